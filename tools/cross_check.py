#!/usr/bin/env python3
"""Compare batt's per-pair outcomes with CPython arc-dsl's, every solver on every task (scope all).

Usage:
    python3 tools/cross_check.py --dsl PATH/TO/arc-dsl --solvers SOLVERS.py \
        --tasks DIR [--canonical] [--sorted-sets] [--timeout 3] [--jobs 2]

batt's side comes from ``cargo run --release -p batt-queries --example outcomes``
(the same shared-graph evaluation as ``batt build``); CPython's from running
every ``solve*`` function of the file on every pair of every task in DIR, each
run under a wall-clock ``--timeout`` and a 3 GiB address-space cap.

* ``--canonical``: CPython runs the canonical programs batt ran (each
  function's expansion, as in ``out/solvers/``) instead of the functions as
  written. This leaves out the two differences canonical forms make on purpose:
  lines whose value is never used are not run, and when two independent lines
  both raise, the exception reported is the one the canonical order reaches
  first.
* ``--sorted-sets``: CPython iterates every frozenset arc-dsl builds in batt's
  storage order (sorted: None < numbers < tuples < frozensets, tuples
  lexicographically) instead of its hash-table order. With ``--canonical`` too,
  this is what batt's runtime promises to compute exactly.

Outcomes per pair: ``pass``, ``fail`` (a value, not the expected one), the
exception's name, and batt's bounds ``fuel`` / ``memory`` or CPython's
``timeout``. Runs that hit a bound on either side are counted apart, not as
mismatches. Prints a table of agreements and mismatches, with an example of
each kind of mismatch; exits 1 if there is any mismatch.
"""

import argparse
import collections
import importlib.util
import inspect
import json
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dsl", required=True, help="an arc-dsl checkout (dsl.py, constants.py)")
    ap.add_argument("--solvers", required=True, help="a solver file")
    ap.add_argument("--tasks", required=True, help="a directory of <task id>.json files")
    ap.add_argument("--canonical", action="store_true", help="CPython runs batt's canonical programs")
    ap.add_argument("--sorted-sets", action="store_true", help="CPython iterates frozensets in batt's order")
    ap.add_argument("--timeout", type=float, default=3.0, help="seconds per CPython run (default 3)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="CPython processes")
    ap.add_argument("--every", type=int, default=1, help="only every N-th task file, in name order")
    return ap.parse_args()


# ---- CPython's side ---------------------------------------------------------------------------


def is_plain(v):
    """An int, or a tuple of ints or of (int, tuple of ints): what Python's own `<` orders as batt does."""
    return type(v) is int or type(v) is tuple and all(
        type(x) is int or type(x) is tuple and all(type(y) is int for y in x) for x in v
    )


def storage_key(v):
    """batt's storage order of frozenset elements (`Value::total_cmp`)."""
    if v is None:
        return (0,)
    if isinstance(v, (bool, int)):
        return (1, int(v))
    if isinstance(v, tuple):
        return (2, tuple(storage_key(x) for x in v))
    if isinstance(v, frozenset):
        return (3, tuple(sorted(storage_key(x) for x in v)))
    return (4, id(v))


class SortedFrozenset(frozenset):
    """A frozenset that iterates in batt's storage order instead of CPython's hash-table order."""

    def __iter__(self):
        order = self.__dict__.get("_order")
        if order is None:
            items = list(frozenset.__iter__(self))
            plain = all(map(is_plain, items)) and len({type(v) for v in items}) <= 1
            try:
                order = sorted(items) if plain else None
            except TypeError:  # (1, 2) against (1, (2, 3)): fall back to the key
                order = None
            self._order = order = order if order is not None else sorted(items, key=storage_key)
        return iter(order)


def _keep_sorted(name):
    base = getattr(frozenset, name)

    def method(self, *args):
        result = base(self, *args)
        return SortedFrozenset(result) if type(result) is frozenset else result

    setattr(SortedFrozenset, name, method)


for _name in ("__or__", "__ror__", "__and__", "__rand__", "__sub__", "__rsub__", "__xor__", "__rxor__",
              "union", "intersection", "difference", "symmetric_difference", "copy"):
    _keep_sorted(_name)


class Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise Timeout()


SOLVERS = []


def init_worker(dsl, solvers_file, sorted_sets):
    sys.dont_write_bytecode = True  # leave the arc-dsl checkout untouched
    sys.path.insert(0, os.path.abspath(dsl))
    sys.setrecursionlimit(1000)
    import dsl as dsl_module

    if sorted_sets:
        dsl_module.frozenset = SortedFrozenset
    spec = importlib.util.spec_from_file_location("solvers_under_check", solvers_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in sorted(vars(module)):
        fn = getattr(module, name)
        if name.startswith("solve") and callable(fn):
            SOLVERS.append((name, fn, len(inspect.signature(fn).parameters)))
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    signal.signal(signal.SIGALRM, _alarm)


def grid(rows):
    return tuple(tuple(r) for r in rows)


def run_task(job):
    path, timeout = job
    with open(path) as f:
        task = json.load(f)
    demos = tuple((grid(p["input"]), grid(p["output"])) for p in task["train"])
    pairs = [(grid(p["input"]), grid(p["output"])) for p in task["train"] + task["test"]]
    task_id = os.path.splitext(os.path.basename(path))[0]
    lines = []
    for name, fn, arity in SOLVERS:
        outcomes = []
        for I, O in pairs:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                result = fn(demos, I, None) if arity == 3 else fn(I)
                signal.setitimer(signal.ITIMER_REAL, 0)
                outcomes.append("pass" if result == O else "fail")
            except Timeout:
                outcomes.append("timeout")
            except BaseException as e:  # noqa: B036 -- every exception is an outcome
                signal.setitimer(signal.ITIMER_REAL, 0)
                outcomes.append(type(e).__name__)
        lines.append({"task": task_id, "solver": name, "outcomes": outcomes})
    return lines


def select_tasks(args, folder):
    """Links to every `--every`-th task file of `--tasks` in `folder`: what both sides run on."""
    names = sorted(f for f in os.listdir(args.tasks) if f.endswith(".json"))[:: args.every]
    for name in names:
        os.symlink(os.path.abspath(os.path.join(args.tasks, name)), os.path.join(folder, name))
    return [os.path.join(folder, name) for name in names]


def cpython_outcomes(args, paths, solvers_file):
    init = (args.dsl, solvers_file, args.sorted_sets)
    outcomes = {}
    with multiprocessing.Pool(args.jobs, initializer=init_worker, initargs=init) as pool:
        for k, lines in enumerate(pool.imap_unordered(run_task, [(p, args.timeout) for p in paths]), 1):
            for line in lines:
                outcomes[(line["task"], line["solver"])] = line["outcomes"]
            print(f"\rCPython: {k}/{len(paths)} tasks", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return outcomes


# ---- batt's side and the comparison -----------------------------------------------------------


def batt_outcomes(args, tasks, canonical_file):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    command = ["cargo", "run", "--release", "-q", "-p", "batt-queries", "--example", "outcomes", "--",
               os.path.abspath(args.solvers), tasks]
    if canonical_file:
        command += ["--canonical", canonical_file]
    run = subprocess.run(command, cwd=root, check=True, stdout=subprocess.PIPE, text=True)
    return {(r["task"], r["solver"]): r["outcomes"] for r in map(json.loads, run.stdout.splitlines())}


def compare(cpython, batt):
    counts, mismatches, examples = collections.Counter(), collections.Counter(), {}
    for key in sorted(set(cpython) | set(batt)):
        ours, theirs = batt.get(key), cpython.get(key)
        if ours is None or theirs is None:
            counts["only under " + ("CPython" if ours is None else "batt")] += 1
            continue
        for pair, (c, b) in enumerate(zip(theirs, ours)):
            if c == b:
                counts["same"] += 1
            elif b in ("fuel", "memory") or c == "timeout":
                label = f"bounded: batt {b}, CPython {c}"
                counts[label] += 1
                examples.setdefault(label, (key, pair))
            else:
                mismatches[(c, b)] += 1
                examples.setdefault((c, b), (key, pair))
    return counts, mismatches, examples


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        canonical_file = os.path.join(tmp, "canonical.py") if args.canonical else None
        tasks = os.path.join(tmp, "tasks")
        os.mkdir(tasks)
        paths = select_tasks(args, tasks)
        batt = batt_outcomes(args, tasks, canonical_file)
        cpython = cpython_outcomes(args, paths, canonical_file or os.path.abspath(args.solvers))
    counts, mismatches, examples = compare(cpython, batt)
    runs = sum(counts.values()) + sum(mismatches.values())
    mode = ", ".join(m for m, on in [("canonical programs", args.canonical), ("sorted sets", args.sorted_sets)] if on)
    print(f"{len(batt)} (solver, task) combinations, {runs} runs; CPython: {mode or 'stock'}")

    def example(label):
        if label not in examples:
            return ""
        (task, solver), pair = examples[label]
        return f"   e.g. {solver} on {task}, pair {pair}"

    for label, n in counts.most_common():
        print(f"  {n:8d}  {label}{example(label)}")
    print(f"  {sum(mismatches.values()):8d}  mismatches")
    for (c, b), n in mismatches.most_common():
        print(f"  {n:8d}    CPython {c}, batt {b}{example((c, b))}")
    for name, table in (("CPython", cpython), ("batt", batt)):
        passes = sum(o == "pass" for v in table.values() for o in v)
        solved = sum(bool(v) and all(o == "pass" for o in v) for v in table.values())
        print(f"{name}: {passes} passing runs; {solved} (solver, task) combinations pass every pair")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()

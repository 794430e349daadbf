#!/usr/bin/env python3
"""batt watch latency: from a solver file's write to the printed delta.

Usage: bench/watch_latency.py PATH/TO/arc-dsl [--tasks DIR] [--edits 20] [--batt target/release/batt]

Runs `batt watch --scope all` on arc-dsl's 400 reference solvers (a copy of solvers.py, so arc-dsl is never
touched) x the ARC-AGI-1 training tasks, waits for the first build, then makes one-solver edits: each swaps a
constant in one solver (ONE -> TWO, T -> F, ...), so that solver becomes a program never scored before, and
times the write (in place, as most editors save) until batt has printed the batch's delta lines, and
until its status line (printed once out/ is written too). Each edit is then reverted (untimed) before the
next. Prints every edit (both times) and the median and worst of each.

The first build's scores come from a cache of the unedited solvers (brought up to date by `batt build`
under --work: a cold build the first time, about 40 s on 2 cores, then a no-op) copied into a fresh out/
each run, so the edited programs are never cache hits.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

SWAPS = [("ONE", "TWO"), ("TWO", "ONE"), ("THREE", "FOUR"), ("FOUR", "THREE"), ("T", "F"), ("F", "T"),
         ("ZERO", "ONE"), ("FIVE", "SIX"), ("UNITY", "TWO_BY_TWO"), ("ORIGIN", "UNITY")]


def solver_spans(text):
    """(name, start, end) of every `def solve_*` in text."""
    starts = [m for m in re.finditer(r"^def (solve_\w+)\(", text, re.M)]
    return [(m.group(1), m.start(), starts[i + 1].start() if i + 1 < len(starts) else len(text))
            for i, m in enumerate(starts)]


def edit_of(text, span):
    """The text with one constant of one solver swapped, or None when the solver has none to swap."""
    name, start, end = span
    body = text[start:end]
    for old, new in SWAPS:
        m = re.search(rf"\b{old}\b", body)
        if m:
            body = body[:m.start()] + new + body[m.end():]
            return f"{name}: {old} -> {new}", text[:start] + body + text[end:]
    return None


def is_delta(line):
    """A task's changed result: `007bbfb7  2/3 → 3/3  solve_007bbfb7  (1311cab3…)`."""
    return re.match(r"^[0-9a-f]{8}  ", line) is not None


def is_status(line):
    return line == "batt: no change" or (line.startswith("batt: ") and " ms: " in line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dsl", help="arc-dsl checkout (its solvers.py is copied)")
    ap.add_argument("--tasks", default="../shared/arc/arc-agi-1/training")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--batt", default="target/release/batt")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "batt-watch-bench"))
    ap.add_argument("--timings", action="store_true", help="show batt's stage timings of each rebuild")
    ap.add_argument("--flag", action="append", default=[], help="an extra flag for batt watch (repeatable), e.g. --flag=--no-diff")
    args = ap.parse_args()

    batt = os.path.abspath(args.batt)
    tasks = os.path.abspath(args.tasks)
    work = os.path.abspath(args.work)
    run = os.path.join(work, "run")
    base = os.path.join(work, "base")
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
    solvers = os.path.join(run, "solvers.py")
    shutil.copyfile(os.path.join(args.dsl, "solvers.py"), solvers)
    flags = ["--config", os.path.join(run, "batt.toml"), "--solvers", solvers, "--tasks", tasks, "--scope", "all"]

    cache = os.path.join(base, ".batt", "cache.redb")
    # Brought up to date at every run: a second of work when it is, a cold build (under a minute) the first
    # time and whenever the engine's cache key has changed since.
    print(f"bringing the base cache in {base} up to date...", file=sys.stderr)
    subprocess.run([batt, *flags[:2], "build", *flags[2:], "--out", base], check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(run, "out")
    os.makedirs(os.path.join(out, ".batt"))
    shutil.copyfile(cache, os.path.join(out, ".batt", "cache.redb"))

    cmd = [batt, *flags[:2], "watch", *flags[2:], "--out", out, *args.flag] + (["--timings"] if args.timings else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)

    def line():
        raw = proc.stdout.readline()
        if not raw:
            sys.exit(f"batt watch exited ({proc.wait()})")
        return raw.decode().rstrip("\n")

    t = time.perf_counter()
    while not (l := line()).startswith("batt: watching"):
        pass
    print(f"first build: {time.perf_counter() - t:.1f} s")

    original = open(solvers).read()
    spans = solver_spans(original)
    step = max(1, len(spans) // args.edits)
    edits = [e for e in (edit_of(original, s) for s in spans[::step]) if e][: args.edits]
    if len(edits) < args.edits:
        edits += [e for e in (edit_of(original, s) for s in spans) if e and e not in edits][: args.edits - len(edits)]

    def save(text):
        with open(solvers, "w") as f:
            f.write(text)

    def wait_status(log, t0=None):
        """Reads the batch's lines up to its status line; with t0, also returns the ms until the last
        delta line (the status line's time when the batch printed no delta)."""
        last_delta = None
        while True:
            l = line()
            if is_delta(l) and t0 is not None:
                last_delta = (time.perf_counter() - t0) * 1000
            if args.timings and l.startswith("batt: stages"):
                log.append(l)
            elif is_status(l):
                return l, last_delta
            else:
                log.append(l)

    to_delta, to_status = [], []
    for label, text in edits:
        log = []
        t0 = time.perf_counter()
        save(text)
        status, delta_ms = wait_status(log, t0)
        ms = (time.perf_counter() - t0) * 1000
        to_status.append(ms)
        to_delta.append(ms if delta_ms is None else delta_ms)
        deltas = [l for l in log if is_delta(l)]
        print(f"{to_delta[-1]:7.1f} ms {ms:7.1f} ms  {label:32}  {len(deltas)} delta line(s); {status}")
        for l in log:
            if l.startswith("batt: stages"):
                print(f"           {l}")
        save(original)
        wait_status([])
    proc.terminate()
    proc.wait()
    print(f"{len(edits)} edits: median {statistics.median(to_delta):.1f} ms, worst {max(to_delta):.1f} ms "
          f"(from the write to the last printed delta line)")
    print(f"{len(edits)} edits: median {statistics.median(to_status):.1f} ms, worst {max(to_status):.1f} ms "
          f"(from the write to the status line, out/ written)")


if __name__ == "__main__":
    main()

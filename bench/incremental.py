#!/usr/bin/env python3
"""batt build: cold, no-op and one-edit times on arc-dsl's 400 reference solvers (scope all, differs on).

Usage: bench/incremental.py PATH/TO/arc-dsl [--tasks DIR] [--batt target/release/batt] [--other BATT]... [--rounds N]

For each binary (batt, then each --other, so that two builds of batt can be compared side by side in one
run on the same machine state): a fresh copy of arc-dsl's solvers.py and a fresh out/ (empty cache), then
  1. a cold build (every program on every task, the cache filled),
  2. a no-op rebuild (nothing changed: must evaluate nothing and leave out/ untouched),
  3. a rebuild after editing one solver (a constant swapped in solve_a5313dff: one new program).
Prints the wall times, the no-op and edit times as a share of the cold one, and the ratios between binaries;
for the cold build also its two big stages, as batt timed them: scoring, and writing out/. With --rounds N
the binaries take turns N times and the medians are compared: this machine's speed drifts by a tenth or
more within minutes, enough to reverse a single side-by-side comparison of a 13 % change.

Writing out/ creates some 14,000 links. On ext4 without a journal, creating inodes within a minute or so of
deleting many (as removing the previous invocation's work folder does) can take seconds instead of a tenth
of one: the allocator skips recently deleted inodes. Runs therefore never remove each other's folders, and
the write stage is printed apart so that such a stall shows as what it is.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time


def timed(cmd):
    """Runs a `batt build --json`; returns its wall time and the stage times it printed."""
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return secs, json.loads(done.stdout)["seconds"]


def run(batt, dsl, tasks, work):
    os.makedirs(work)
    solvers = os.path.join(work, "solvers.py")
    shutil.copyfile(os.path.join(dsl, "solvers.py"), solvers)
    cmd = [batt, "--config", os.path.join(work, "batt.toml"), "build", "--solvers", solvers, "--tasks", tasks,
           "--scope", "all", "--out", os.path.join(work, "out"), "--json"]
    cold = timed(cmd)
    noop, _ = timed(cmd)
    text = open(solvers).read()
    start = text.index("def solve_a5313dff")
    at = text.index("ONE", start)
    with open(solvers, "w") as f:
        f.write(text[:at] + "TWO" + text[at + 3:])
    edit, _ = timed(cmd)
    return cold, noop, edit


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dsl", help="arc-dsl checkout (its solvers.py is copied)")
    ap.add_argument("--tasks", default="../shared/arc/arc-agi-1/training")
    ap.add_argument("--batt", default="target/release/batt")
    ap.add_argument("--other", action="append", default=[], help="another batt binary to compare with")
    ap.add_argument("--rounds", type=int, default=1,
                    help="rounds, each running every binary once in turn; medians are reported")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "batt-incremental-bench"))
    args = ap.parse_args()
    tasks = os.path.abspath(args.tasks)
    binaries = [args.batt, *args.other]
    runs = {batt: [] for batt in binaries}
    # Every run gets a folder of its own, and the last invocation's are removed before the first run only:
    # removing a run's out/ right before the next cold build would put ext4's stall inside the measurement.
    shutil.rmtree(args.work, ignore_errors=True)
    for r in range(args.rounds):
        for k, batt in enumerate(binaries):
            (cold, stages), noop, edit = run(os.path.abspath(batt), args.dsl, tasks,
                                             os.path.join(args.work, f"{r}-{k}"))
            runs[batt].append((cold, stages["score"], stages["write"], noop, edit))
            print(f"round {r + 1}: {batt}: cold {cold:.2f} s (score {stages['score']:.2f} s, "
                  f"write out/ {stages['write']:.2f} s), no-op {noop:.2f} s ({100 * noop / cold:.1f} %), "
                  f"one edited solver {edit:.2f} s ({100 * edit / cold:.1f} %)")
    medians = {batt: [statistics.median(column) for column in zip(*runs[batt])] for batt in binaries}
    if args.rounds > 1:
        for batt, (cold, score, write, noop, edit) in medians.items():
            print(f"median of {args.rounds}: {batt}: cold {cold:.2f} s (score {score:.2f} s, write out/ "
                  f"{write:.2f} s), no-op {noop:.2f} s ({100 * noop / cold:.1f} %), "
                  f"one edited solver {edit:.2f} s ({100 * edit / cold:.1f} %)")
    shutil.rmtree(args.work, ignore_errors=True)
    for batt in binaries[1:]:
        print(f"cold build: {batt} / {args.batt} = {medians[batt][0] / medians[args.batt][0]:.2f}x "
              f"(scoring: {medians[batt][1] / medians[args.batt][1]:.2f}x)")


if __name__ == "__main__":
    main()

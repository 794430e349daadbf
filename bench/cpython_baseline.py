#!/usr/bin/env python3
"""CPython baseline: run every solver of an arc-dsl checkout on its own task.

Usage:
    python3 bench/cpython_baseline.py --dsl /work/arcdsl \
        --tasks /work/shared/arc/arc-agi-1/training

Imports ``dsl``, ``constants`` and ``solvers`` from the arc-dsl checkout given
by --dsl, then runs each ``solve_<id>`` of its solvers.py on all train and test
pairs of ``<tasks>/<id>.json`` (exceptions are caught per pair).  Prints one
JSON line on stdout:

    {"solvers": N, "pairs": P, "solved_tasks": K, "seconds": T}

N = number of solvers run, P = number of pairs whose output equals the expected
output, K = number of tasks with every pair solved, T = wall time (seconds,
time.perf_counter) of the solver runs only -- imports, JSON loading and grid
conversion happen before the clock starts.  Tasks not fully solved are listed
on stderr, one per line.
"""

import argparse
import importlib
import json
import os
import sys
import time


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dsl', required=True, help='path to an arc-dsl checkout')
    ap.add_argument('--tasks', required=True, help='ARC-AGI-1 training directory')
    args = ap.parse_args(argv)

    dsl_dir = os.path.abspath(args.dsl)
    sys.dont_write_bytecode = True  # leave the arc-dsl checkout untouched
    sys.path.insert(0, dsl_dir)
    importlib.import_module('dsl')
    importlib.import_module('constants')
    solvers = importlib.import_module('solvers')

    names = sorted(n for n in vars(solvers)
                   if n.startswith('solve_') and callable(getattr(solvers, n)))

    def as_grid(rows):
        return tuple(tuple(r) for r in rows)

    jobs = []  # (task id, function, [(input, output), ...])
    missing = []
    for name in names:
        task_id = name[len('solve_'):]
        path = os.path.join(args.tasks, task_id + '.json')
        if not os.path.isfile(path):
            missing.append(task_id)
            continue
        with open(path) as f:
            data = json.load(f)
        pairs = [(as_grid(p['input']), as_grid(p['output']))
                 for p in data['train'] + data['test']]
        jobs.append((task_id, getattr(solvers, name), pairs))

    results = []  # (task id, solved pairs, total pairs, first error)
    start = time.perf_counter()
    for task_id, fn, pairs in jobs:
        solved = 0
        error = None
        for grid, expected in pairs:
            try:
                if fn(grid) == expected:
                    solved += 1
            except Exception as e:  # noqa: BLE001 -- any solver failure counts as unsolved
                if error is None:
                    error = f'{type(e).__name__}: {e}'
        results.append((task_id, solved, len(pairs), error))
    seconds = time.perf_counter() - start

    pairs_solved = sum(r[1] for r in results)
    solved_tasks = sum(1 for r in results if r[1] == r[2])
    for task_id, solved, total, error in results:
        if solved != total:
            note = f' ({error})' if error else ''
            print(f'FAIL {task_id}: {solved}/{total} pairs{note}', file=sys.stderr)
    for task_id in missing:
        print(f'SKIP {task_id}: no task file', file=sys.stderr)
    print(json.dumps({'solvers': len(jobs), 'pairs': pairs_solved,
                      'solved_tasks': solved_tasks, 'seconds': round(seconds, 3)}))
    return 0


if __name__ == '__main__':
    sys.exit(main())

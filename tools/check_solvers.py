#!/usr/bin/env python3
"""Check arc-dsl solver programs against their ARC tasks under CPython.

Usage:
    python3 tools/check_solvers.py --dsl /work/arcdsl \
        --tasks /work/shared/arc/arc-agi-1/training [--solvers solvers/] \
        [--expect tests/fixtures/expected.json] [--verbose]

* ``--dsl PATH``: an arc-dsl checkout; ``dsl`` and ``constants`` are imported
  from it at run time (nothing is vendored here).
* ``--tasks DIR``: directory of ``<task id>.json`` files.
* ``--solvers PATH`` (repeatable): solver files or directories (every ``*.py``
  below a directory is loaded).  Defaults to ``solvers/`` next to ``tools/``.
* ``--expect FILE``: JSON file mapping solver name -> expected per-pair result
  strings (see tests/fixtures/README.md).  In this mode the checker exits 0 iff
  every observed result equals the expected one, instead of requiring every
  solver to pass.

Every function named ``solve_<task id>`` is run on all train and test pairs of
``<DIR>/<task id>.json``.  Two calling conventions are supported:

* ``solve_<id>(I)`` -- the classic arc-dsl form;
* ``solve_<id>(S, I, C)`` -- ``S`` is the tuple of demonstration
  ``(input_grid, output_grid)`` pairs (the task's train pairs), ``I`` the input
  grid, ``C`` is ``None`` while solving.

Grids are tuples of tuples of ints, as in arc-dsl.  A file that does not
compile as a whole is split into top-level chunks (one per ``def``) and each
chunk is compiled on its own, so one broken function does not hide its
neighbours; the broken chunks are reported as ``syntax`` failures.

Per pair, the result is one of ``ok`` (output equals the expected grid),
``wrong`` (a value was returned but it differs) or ``error`` (an exception was
raised).  A solver passes when every pair is ``ok``.  Exit status is 1 if any
solver fails (or, with ``--expect``, if any result differs from expectation).
"""

import argparse
import importlib
import inspect
import json
import os
import re
import sys
import traceback


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default_solvers = os.path.join(os.path.dirname(here), 'solvers')
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dsl', required=True, help='path to an arc-dsl checkout')
    ap.add_argument('--tasks', required=True, help='directory of task JSON files')
    ap.add_argument('--solvers', action='append', default=None,
                    help='solver file or directory (repeatable); default: solvers/')
    ap.add_argument('--expect', default=None,
                    help='JSON file of expected per-pair results')
    ap.add_argument('--verbose', '-v', action='store_true',
                    help='print tracebacks of errors')
    args = ap.parse_args(argv)
    if args.solvers is None:
        args.solvers = [default_solvers]
    return args


def import_dsl(path):
    path = os.path.abspath(path)
    if not os.path.isfile(os.path.join(path, 'dsl.py')):
        sys.exit(f'error: no dsl.py in {path}')
    sys.dont_write_bytecode = True  # leave the arc-dsl checkout untouched
    sys.path.insert(0, path)
    dsl = importlib.import_module('dsl')
    constants = importlib.import_module('constants')
    return dsl, constants


def solver_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    if n.endswith('.py') and not n.startswith('__'):
                        files.append(os.path.join(root, n))
        elif os.path.isfile(p):
            files.append(p)
        else:
            sys.exit(f'error: no such solver path: {p}')
    return files


def split_chunks(source):
    """Split a module into top-level chunks, each starting at a column-0 line
    that is not indented (``def``, ``from``, ``import``, assignments...).
    Returns a list of (first line number, text)."""
    lines = source.splitlines(keepends=True)
    chunks = []
    start = 0
    for k, line in enumerate(lines):
        if k > start and line[:1] not in ('', ' ', '\t', '\n', '\r', '#', ')', ']', '}'):
            chunks.append((start + 1, ''.join(lines[start:k])))
            start = k
    if start < len(lines):
        chunks.append((start + 1, ''.join(lines[start:])))
    return chunks


DEF_RE = re.compile(r'^def\s+(\w+)', re.M)


def load_solvers(path, dsl, constants):
    """Returns (solvers, syntax_failures).  solvers: list of (name, function,
    file); syntax_failures: list of (name, file, message)."""
    with open(path) as f:
        source = f.read()
    base = {'__name__': 'solvers_' + os.path.basename(path)[:-3]}
    base.update({k: v for k, v in vars(dsl).items() if not k.startswith('__')})
    base.update({k: v for k, v in vars(constants).items() if not k.startswith('__')})
    failures = []
    try:
        code = compile(source, path, 'exec')
        pieces = [code]
    except SyntaxError:
        pieces = []
        for lineno, text in split_chunks(source):
            padded = '\n' * (lineno - 1) + text
            try:
                pieces.append(compile(padded, path, 'exec'))
            except SyntaxError as e:
                m = DEF_RE.search(text)
                name = m.group(1) if m else f'<line {lineno}>'
                failures.append((name, path, f'SyntaxError: {e.msg} (line {e.lineno})'))
    namespace = dict(base)
    for code in pieces:
        exec(code, namespace)
    solvers = []
    for name, obj in namespace.items():
        if name.startswith('solve_') and inspect.isfunction(obj) \
                and obj.__code__.co_filename == path:
            solvers.append((name, obj, path))
    solvers.sort(key=lambda s: s[1].__code__.co_firstlineno)
    return solvers, failures


def as_grid(rows):
    return tuple(tuple(r) for r in rows)


def load_task(tasks_dir, task_id):
    with open(os.path.join(tasks_dir, task_id + '.json')) as f:
        data = json.load(f)
    train = [(as_grid(p['input']), as_grid(p['output'])) for p in data['train']]
    test = [(as_grid(p['input']), as_grid(p['output'])) for p in data['test']]
    return train, test


def arity(fn):
    return fn.__code__.co_argcount


def run_pair(fn, demos, grid, expected, verbose):
    try:
        if arity(fn) == 3:
            out = fn(demos, grid, None)
        else:
            out = fn(grid)
    except Exception as e:  # noqa: BLE001 -- solvers may raise anything
        if verbose:
            traceback.print_exc()
        return 'error', f'{type(e).__name__}: {e}'
    if out == expected:
        return 'ok', None
    return 'wrong', None


def main(argv=None):
    args = parse_args(argv)
    dsl, constants = import_dsl(args.dsl)
    expected = None
    if args.expect:
        with open(args.expect) as f:
            expected = json.load(f)
    observed = {}
    n_pass = n_fail = 0
    for path in solver_files(args.solvers):
        solvers, syntax_failures = load_solvers(path, dsl, constants)
        rel = os.path.relpath(path)
        for name, file, msg in syntax_failures:
            print(f'FAIL {name:<22} {rel}: {msg}')
            observed[name] = 'syntax'
            n_fail += 1
        for name, fn, _ in solvers:
            task_id = name[len('solve_'):]
            try:
                train, test = load_task(args.tasks, task_id)
            except (OSError, ValueError, KeyError) as e:
                print(f'FAIL {name:<22} {rel}: cannot load task {task_id}: {e}')
                observed[name] = 'notask'
                n_fail += 1
                continue
            if arity(fn) not in (1, 3):
                print(f'FAIL {name:<22} {rel}: unsupported arity {arity(fn)}')
                observed[name] = 'arity'
                n_fail += 1
                continue
            demos = tuple(train)
            results = []
            notes = []
            for kind, pairs in (('train', train), ('test', test)):
                for k, (i, o) in enumerate(pairs):
                    res, note = run_pair(fn, demos, i, o, args.verbose)
                    results.append(res)
                    if note:
                        notes.append(f'{kind}[{k}] {note}')
            observed[name] = results
            ntr = len(train)
            tr_ok = sum(r == 'ok' for r in results[:ntr])
            te_ok = sum(r == 'ok' for r in results[ntr:])
            ok = all(r == 'ok' for r in results)
            n_pass += ok
            n_fail += not ok
            form = '(S, I, C)' if arity(fn) == 3 else '(I)'
            marks = ' '.join(results)
            line = (f'{"PASS" if ok else "FAIL"} {name:<22} {form:<9} '
                    f'train {tr_ok}/{ntr} test {te_ok}/{len(test)}')
            if not ok:
                line += f'  [{marks}]'
            print(line)
            for note in notes:
                print(f'     {note}')
    print(f'{n_pass} passed, {n_fail} failed')
    if expected is not None:
        mismatches = 0
        for name in sorted(set(expected) | set(observed)):
            want = expected.get(name, '<absent>')
            got = observed.get(name, '<absent>')
            if want != got:
                mismatches += 1
                print(f'MISMATCH {name}: expected {want}, observed {got}')
        print(f'expectations: {mismatches} mismatch(es) over '
              f'{len(set(expected) | set(observed))} solver(s)')
        return 1 if mismatches else 0
    return 1 if n_fail else 0


if __name__ == '__main__':
    sys.exit(main())

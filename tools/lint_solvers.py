#!/usr/bin/env python3
"""Check that solver files follow the arc-dsl solver format.

Usage: python3 tools/lint_solvers.py --dsl /work/arcdsl [FILE_OR_DIR ...]

Rules (those of arc-dsl's own formatting test, plus the (S, I, C) form):
* each solver is ``def solve_<id>(I):`` or ``def solve_<id>(S, I, C):``;
* the body is a sequence of ``xN = f(a, b, ...)`` lines with N = 1, 2, 3...,
  then ``O = f(...)`` and ``return O``;
* every call is a single call of a DSL primitive or an earlier variable, whose
  arguments are earlier variables, the parameters, DSL primitives or
  constants -- no literals, no nested calls, no keyword arguments;
* every variable is used later on.
"""

import ast
import os
import sys


def names_of(path, suffix_filter):
    with open(path) as f:
        tree = ast.parse(f.read())
    out = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out.add(node.name)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out.add(t.id)
    return out


def lint_function(fn, prims, consts):
    errs = []
    params = [a.arg for a in fn.args.args]
    if params not in (['I'], ['S', 'I', 'C']):
        errs.append(f'parameters must be (I) or (S, I, C), not ({", ".join(params)})')
    known = set(params)
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # docstring
    if len(body) < 2 or not isinstance(body[-1], ast.Return) \
            or not isinstance(body[-1].value, ast.Name) or body[-1].value.id != 'O':
        errs.append('must end with "return O"')
        return errs
    assigns = body[:-1]
    used = set()
    for k, st in enumerate(assigns):
        last = k == len(assigns) - 1
        want = 'O' if last else f'x{k + 1}'
        if not (isinstance(st, ast.Assign) and len(st.targets) == 1
                and isinstance(st.targets[0], ast.Name)):
            errs.append(f'line {st.lineno}: not a single assignment')
            continue
        tgt = st.targets[0].id
        if tgt != want:
            errs.append(f'line {st.lineno}: expected variable {want}, got {tgt}')
        call = st.value
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
            errs.append(f'line {st.lineno}: right-hand side must be a call f(...)')
        else:
            f = call.func.id
            if f not in prims and f not in known:
                errs.append(f'line {st.lineno}: unknown callee {f}')
            used.add(f)
            if call.keywords:
                errs.append(f'line {st.lineno}: keyword arguments')
            for a in call.args:
                if not isinstance(a, ast.Name):
                    errs.append(f'line {st.lineno}: argument {ast.unparse(a)} is not a name')
                    continue
                if a.id not in known and a.id not in prims and a.id not in consts:
                    errs.append(f'line {st.lineno}: unknown argument {a.id}')
                used.add(a.id)
        known.add(tgt)
    for k in range(1, len(assigns)):
        if f'x{k}' not in used:
            errs.append(f'x{k} is never used')
    return errs


def main(argv):
    if len(argv) < 2 or argv[0] != '--dsl':
        sys.exit(__doc__)
    dsl_dir = argv[1]
    prims = names_of(os.path.join(dsl_dir, 'dsl.py'), None)
    consts = names_of(os.path.join(dsl_dir, 'constants.py'), None)
    targets = argv[2:] or [os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), 'solvers')]
    files = []
    for t in targets:
        if os.path.isdir(t):
            files += sorted(os.path.join(t, n) for n in os.listdir(t) if n.endswith('.py'))
        else:
            files.append(t)
    bad = 0
    seen = {}
    for path in files:
        with open(path) as f:
            source = f.read()
        try:
            tree = ast.parse(source)
        except SyntaxError as e:
            print(f'{path}: SyntaxError: {e.msg} (line {e.lineno})')
            bad += 1
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith('solve_'):
                if node.name in seen:
                    print(f'{path}: {node.name} already defined in {seen[node.name]}')
                    bad += 1
                seen[node.name] = path
                for e in lint_function(node, prims, consts):
                    print(f'{path}: {node.name}: {e}')
                    bad += 1
    print(f'{len(seen)} solvers, {bad} problem(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

from dsl import *
from constants import *


# Solvers in the (S, I, C) form: S is the tuple of demonstration
# (input, output) grid pairs, I the grid to solve, C is None while solving.
# Both learn a colour map from every cell of the demonstrations; `dedupe`
# keeps one (input, output) pair of each kind, so the map is applied once per
# colour instead of once per demonstration cell (same result: the first pair
# of a kind for `extract`, the last, read through `hmirror`, for `paint`).


def solve_0d3d703e(S, I, C):
    x1 = lbind(papply, pair)
    x2 = fork(x1, first, last)
    x3 = mapply(x2, S)
    x4 = merge(x3)
    x5 = hmirror(x4)
    x6 = dedupe(x5)
    x7 = hmirror(x6)
    x8 = lbind(ofcolor, I)
    x9 = compose(x8, first)
    x10 = fork(recolor, last, x9)
    x11 = mapply(x10, x7)
    O = paint(I, x11)
    return O


def solve_b1948b0a(S, I, C):
    x1 = lbind(papply, astuple)
    x2 = compose(merge, first)
    x3 = compose(merge, last)
    x4 = fork(x1, x2, x3)
    x5 = mapply(x4, S)
    x6 = dedupe(x5)
    x7 = lbind(matcher, first)
    x8 = lbind(extract, x6)
    x9 = chain(last, x8, x7)
    x10 = lbind(apply, x9)
    O = apply(x10, I)
    return O


def solve_c8f0f002(S, I, C):
    x1 = first(S)
    x2 = first(x1)
    x3 = last(x1)
    x4 = palette(x2)
    x5 = palette(x3)
    x6 = difference(x4, x5)
    x7 = difference(x5, x4)
    x8 = first(x6)
    x9 = first(x7)
    O = replace(I, x8, x9)
    return O


def solve_44f52bb0(S, I, C):
    x1 = fork(equality, identity, vmirror)
    x2 = compose(x1, first)
    x3 = sfilter(S, x2)
    x4 = first(x3)
    x5 = last(x4)
    x6 = index(x5, ORIGIN)
    x7 = compose(flip, x2)
    x8 = sfilter(S, x7)
    x9 = first(x8)
    x10 = last(x9)
    x11 = index(x10, ORIGIN)
    x12 = x1(I)
    x13 = branch(x12, x6, x11)
    O = canvas(x13, UNITY)
    return O


def solve_6f8cd79b(S, I, C):
    x1 = first(S)
    x2 = last(x1)
    x3 = index(x2, ORIGIN)
    x4 = asindices(I)
    x5 = box(x4)
    O = fill(I, x3, x5)
    return O


def solve_c59eb873(S, I, C):
    x1 = first(S)
    x2 = first(x1)
    x3 = last(x1)
    x4 = height(x3)
    x5 = height(x2)
    x6 = divide(x4, x5)
    O = upscale(I, x6)
    return O


def solve_d10ecb37(S, I, C):
    x1 = first(S)
    x2 = last(x1)
    x3 = shape(x2)
    O = crop(I, ORIGIN, x3)
    return O

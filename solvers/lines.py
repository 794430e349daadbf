from dsl import *
from constants import *


def solve_bdad9b1f(I):
    x1 = ofcolor(I, EIGHT)
    x2 = mapply(vfrontier, x1)
    x3 = ofcolor(I, TWO)
    x4 = mapply(hfrontier, x3)
    x5 = fill(I, EIGHT, x2)
    x6 = fill(x5, TWO, x4)
    x7 = intersection(x2, x4)
    O = fill(x6, FOUR, x7)
    return O


def solve_d037b0a7(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = height(I)
    x4 = interval(ONE, x3, ONE)
    x5 = apply(toivec, x4)
    x6 = lbind(shift, x2)
    x7 = mapply(x6, x5)
    O = underpaint(I, x7)
    return O


def solve_a85d4709(I):
    x1 = ofcolor(I, FIVE)
    x2 = matcher(last, ZERO)
    x3 = sfilter(x1, x2)
    x4 = mapply(hfrontier, x3)
    x5 = matcher(last, ONE)
    x6 = sfilter(x1, x5)
    x7 = mapply(hfrontier, x6)
    x8 = matcher(last, TWO)
    x9 = sfilter(x1, x8)
    x10 = mapply(hfrontier, x9)
    x11 = fill(I, TWO, x4)
    x12 = fill(x11, FOUR, x7)
    O = fill(x12, THREE, x10)
    return O


def solve_f5b8619d(I):
    x1 = hconcat(I, I)
    x2 = vconcat(x1, x1)
    x3 = leastcolor(x2)
    x4 = ofcolor(x2, x3)
    x5 = mapply(vfrontier, x4)
    O = underfill(x2, EIGHT, x5)
    return O


def solve_a3df8b1e(I):
    x1 = height(I)
    x2 = width(I)
    x3 = decrement(x1)
    x4 = toivec(x3)
    x5 = decrement(x2)
    x6 = subtract(x1, x2)
    x7 = astuple(x6, x5)
    x8 = double(x5)
    x9 = subtract(x3, x8)
    x10 = toivec(x9)
    x11 = connect(x4, x7)
    x12 = connect(x7, x10)
    x13 = combine(x11, x12)
    x14 = invert(x1)
    x15 = invert(x8)
    x16 = interval(ZERO, x14, x15)
    x17 = apply(toivec, x16)
    x18 = lbind(shift, x13)
    x19 = mapply(x18, x17)
    O = fill(I, ONE, x19)
    return O


def solve_e179c5f4(I):
    x1 = asindices(I)
    x2 = llcorner(x1)
    x3 = shoot(x2, UP_RIGHT)
    x4 = intersection(x3, x1)
    x5 = urcorner(x4)
    x6 = shoot(x5, NEG_UNITY)
    x7 = intersection(x6, x1)
    x8 = combine(x4, x7)
    x9 = ulcorner(x7)
    x10 = subtract(x9, x2)
    x11 = size(x1)
    x12 = interval(ZERO, x11, ONE)
    x13 = lbind(multiply, x10)
    x14 = apply(x13, x12)
    x15 = lbind(shift, x8)
    x16 = mapply(x15, x14)
    x17 = fill(I, ONE, x16)
    O = replace(x17, ZERO, EIGHT)
    return O


def solve_05269061(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = shape(I)
    x4 = maximum(x3)
    x5 = invert(x4)
    x6 = interval(x5, x4, ONE)
    x7 = product(x6, x6)
    x8 = fork(add, first, last)
    x9 = rbind(divide, THREE)
    x10 = rbind(multiply, THREE)
    x11 = compose(x10, x9)
    x12 = fork(equality, identity, x11)
    x13 = compose(x12, x8)
    x14 = sfilter(x7, x13)
    x15 = lbind(shift, x2)
    x16 = mapply(x15, x14)
    O = paint(I, x16)
    return O

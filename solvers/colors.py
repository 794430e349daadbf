from dsl import *
from constants import *


def solve_9565186b(I):
    x1 = mostcolor(I)
    x2 = shape(I)
    x3 = canvas(x1, x2)
    O = cellwise(I, x3, FIVE)
    return O


def solve_5582e5ca(I):
    x1 = mostcolor(I)
    x2 = shape(I)
    O = canvas(x1, x2)
    return O


def solve_f76d97a5(I):
    x1 = palette(I)
    x2 = other(x1, FIVE)
    x3 = replace(I, x2, ZERO)
    O = replace(x3, FIVE, x2)
    return O


def solve_aabf363d(I):
    x1 = asindices(I)
    x2 = llcorner(x1)
    x3 = index(I, x2)
    x4 = objects(I, T, F, T)
    x5 = argmax(x4, size)
    x6 = recolor(x3, x5)
    x7 = initset(x2)
    x8 = cover(I, x7)
    O = paint(x8, x6)
    return O


def solve_67385a82(I):
    x1 = objects(I, T, F, F)
    x2 = colorfilter(x1, THREE)
    x3 = sizefilter(x2, ONE)
    x4 = merge(x3)
    x5 = replace(I, THREE, EIGHT)
    O = paint(x5, x4)
    return O


def solve_ba26e723(I):
    x1 = ofcolor(I, FOUR)
    x2 = rbind(divide, THREE)
    x3 = rbind(multiply, THREE)
    x4 = compose(x3, x2)
    x5 = fork(equality, identity, x4)
    x6 = compose(x5, last)
    x7 = sfilter(x1, x6)
    O = fill(I, SIX, x7)
    return O


def solve_d406998b(I):
    x1 = ofcolor(I, FIVE)
    x2 = width(I)
    x3 = decrement(x2)
    x4 = lbind(add, x3)
    x5 = chain(even, x4, last)
    x6 = sfilter(x1, x5)
    O = fill(I, THREE, x6)
    return O


def solve_d23f8c26(I):
    x1 = width(I)
    x2 = halve(x1)
    x3 = tojvec(x2)
    x4 = vfrontier(x3)
    x5 = asindices(I)
    x6 = difference(x5, x4)
    O = fill(I, ZERO, x6)
    return O


def solve_a740d043(I):
    x1 = ofcolor(I, ONE)
    x2 = asindices(I)
    x3 = difference(x2, x1)
    x4 = replace(I, ONE, ZERO)
    O = subgrid(x3, x4)
    return O

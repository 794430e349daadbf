from dsl import *
from constants import *


def solve_3aa6fb7a(I):
    x1 = objects(I, T, F, T)
    x2 = mapply(delta, x1)
    O = fill(I, ONE, x2)
    return O


def solve_239be575(I):
    x1 = objects(I, F, T, T)
    x2 = rbind(colorcount, TWO)
    x3 = apply(x2, x1)
    x4 = contained(EIGHT, x3)
    x5 = branch(x4, EIGHT, ZERO)
    O = canvas(x5, UNITY)
    return O


def solve_a87f7484(I):
    x1 = shape(I)
    x2 = maximum(x1)
    x3 = divide(x2, THREE)
    x4 = portrait(I)
    x5 = vsplit(I, x3)
    x6 = hsplit(I, x3)
    x7 = branch(x4, x5, x6)
    x8 = rbind(ofcolor, ZERO)
    x9 = apply(x8, x7)
    x10 = leastcommon(x9)
    x11 = matcher(x8, x10)
    O = extract(x7, x11)
    return O


def solve_760b3cac(I):
    x1 = ofcolor(I, FOUR)
    x2 = uppermost(x1)
    x3 = matcher(first, x2)
    x4 = sfilter(x1, x3)
    x5 = leftmost(x4)
    x6 = leftmost(x1)
    x7 = equality(x5, x6)
    x8 = ofcolor(I, EIGHT)
    x9 = vmirror(x8)
    x10 = width(x8)
    x11 = invert(x10)
    x12 = branch(x7, x11, x10)
    x13 = tojvec(x12)
    x14 = shift(x9, x13)
    O = fill(I, EIGHT, x14)
    return O


def solve_29c11459(I):
    x1 = objects(I, T, F, T)
    x2 = width(I)
    x3 = halve(x2)
    x4 = rbind(astuple, x3)
    x5 = compose(x4, uppermost)
    x6 = fork(connect, center, x5)
    x7 = fork(recolor, color, x6)
    x8 = mapply(x7, x1)
    x9 = paint(I, x8)
    x10 = apply(x5, x1)
    O = fill(x9, FIVE, x10)
    return O


def solve_995c5fa3(I):
    x1 = hsplit(I, THREE)
    x2 = rbind(ofcolor, ZERO)
    x3 = lbind(contained, UNITY)
    x4 = rbind(multiply, FOUR)
    x5 = chain(x4, x3, x2)
    x6 = lbind(contained, DOWN)
    x7 = compose(x6, x2)
    x8 = lbind(contained, TWO_BY_TWO)
    x9 = chain(double, x8, x2)
    x10 = fork(add, x5, x7)
    x11 = fork(add, x10, x9)
    x12 = rbind(add, TWO)
    x13 = compose(x12, x11)
    x14 = apply(x13, x1)
    x15 = rbind(repeat, THREE)
    O = apply(x15, x14)
    return O


def solve_ff28f65a(I):
    x1 = objects(I, T, F, T)
    x2 = size(x1)
    x3 = double(x2)
    x4 = canvas(ZERO, THREE_BY_THREE)
    x5 = asindices(x4)
    x6 = fork(add, first, last)
    x7 = compose(even, x6)
    x8 = rbind(multiply, THREE)
    x9 = compose(x8, first)
    x10 = fork(add, x9, last)
    x11 = lbind(greater, x3)
    x12 = compose(x11, x10)
    x13 = fork(both, x7, x12)
    x14 = sfilter(x5, x13)
    O = fill(x4, ONE, x14)
    return O

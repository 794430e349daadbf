from dsl import *
from constants import *


def solve_0520fde7(I):
    x1 = lefthalf(I)
    x2 = righthalf(I)
    x3 = cellwise(x1, x2, ZERO)
    O = replace(x3, ONE, TWO)
    return O


def solve_dae9d2b5(I):
    x1 = lefthalf(I)
    x2 = righthalf(I)
    x3 = ofcolor(x1, FOUR)
    x4 = ofcolor(x2, THREE)
    x5 = combine(x3, x4)
    x6 = shape(x1)
    x7 = canvas(ZERO, x6)
    O = fill(x7, SIX, x5)
    return O


def solve_fafffa47(I):
    x1 = tophalf(I)
    x2 = bottomhalf(I)
    x3 = ofcolor(x1, ZERO)
    x4 = ofcolor(x2, ZERO)
    x5 = intersection(x3, x4)
    x6 = shape(x1)
    x7 = canvas(ZERO, x6)
    O = fill(x7, TWO, x5)
    return O


def solve_94f9d214(I):
    x1 = tophalf(I)
    x2 = bottomhalf(I)
    x3 = cellwise(x1, x2, ONE)
    x4 = replace(x3, ZERO, TWO)
    O = replace(x4, ONE, ZERO)
    return O


def solve_6430c8c4(I):
    x1 = tophalf(I)
    x2 = bottomhalf(I)
    x3 = asindices(x1)
    x4 = ofcolor(x1, SEVEN)
    x5 = ofcolor(x2, TWO)
    x6 = combine(x4, x5)
    x7 = difference(x3, x6)
    x8 = replace(x1, SEVEN, ZERO)
    O = fill(x8, THREE, x7)
    return O


def solve_99b1bc43(I):
    x1 = tophalf(I)
    x2 = bottomhalf(I)
    x3 = ofcolor(x1, ONE)
    x4 = ofcolor(x2, TWO)
    x5 = combine(x3, x4)
    x6 = intersection(x3, x4)
    x7 = difference(x5, x6)
    x8 = replace(x1, ONE, ZERO)
    O = fill(x8, THREE, x7)
    return O


def solve_ce4f8723(I):
    x1 = tophalf(I)
    x2 = bottomhalf(I)
    O = cellwise(x1, x2, THREE)
    return O


def solve_1b2d62fb(I):
    x1 = lefthalf(I)
    x2 = righthalf(I)
    x3 = cellwise(x1, x2, NINE)
    x4 = replace(x3, ZERO, EIGHT)
    O = replace(x4, NINE, ZERO)
    return O


def solve_bc1d5164(I):
    x1 = leastcolor(I)
    x2 = crop(I, ORIGIN, THREE_BY_THREE)
    x3 = tojvec(FOUR)
    x4 = crop(I, x3, THREE_BY_THREE)
    x5 = toivec(TWO)
    x6 = crop(I, x5, THREE_BY_THREE)
    x7 = astuple(TWO, FOUR)
    x8 = crop(I, x7, THREE_BY_THREE)
    x9 = cellwise(x2, x4, x1)
    x10 = cellwise(x6, x8, x1)
    O = cellwise(x9, x10, x1)
    return O

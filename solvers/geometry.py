from dsl import *
from constants import *


def solve_3af2c5a8(I):
    x1 = vmirror(I)
    x2 = hconcat(I, x1)
    x3 = rot180(x2)
    O = vconcat(x2, x3)
    return O


def solve_7b7f7511(I):
    x1 = portrait(I)
    x2 = tophalf(I)
    x3 = lefthalf(I)
    O = branch(x1, x2, x3)
    return O


def solve_25ff71a9(I):
    x1 = asobject(I)
    x2 = shift(x1, DOWN)
    x3 = mostcolor(I)
    x4 = shape(I)
    x5 = canvas(x3, x4)
    O = paint(x5, x2)
    return O


def solve_a79310a0(I):
    x1 = ofcolor(I, EIGHT)
    x2 = shift(x1, DOWN)
    x3 = shape(I)
    x4 = canvas(ZERO, x3)
    O = fill(x4, TWO, x2)
    return O


def solve_3618c87e(I):
    x1 = ofcolor(I, ONE)
    x2 = shift(x1, TWO_BY_ZERO)
    x3 = fill(I, ZERO, x1)
    O = fill(x3, ONE, x2)
    return O


def solve_963e52fc(I):
    x1 = objects(I, F, F, T)
    x2 = first(x1)
    x3 = hperiod(x2)
    x4 = width(I)
    x5 = divide(x4, x3)
    x6 = multiply(x5, x3)
    x7 = tojvec(x6)
    x8 = shift(x2, x7)
    x9 = double(x7)
    x10 = shift(x2, x9)
    x11 = hconcat(I, I)
    x12 = paint(x11, x8)
    O = paint(x12, x10)
    return O


def solve_93b581b8(I):
    x1 = objects(I, F, F, T)
    x2 = first(x1)
    x3 = subgrid(x2, I)
    x4 = rot180(x3)
    x5 = upscale(x4, TWO)
    x6 = astuple(FOUR, TWO)
    x7 = canvas(ZERO, x6)
    x8 = lefthalf(x5)
    x9 = righthalf(x5)
    x10 = hconcat(x8, x7)
    x11 = hconcat(x10, x9)
    x12 = tophalf(x11)
    x13 = bottomhalf(x11)
    x14 = astuple(TWO, SIX)
    x15 = canvas(ZERO, x14)
    x16 = vconcat(x12, x15)
    x17 = vconcat(x16, x13)
    x18 = asobject(x17)
    x19 = ulcorner(x2)
    x20 = subtract(x19, TWO_BY_TWO)
    x21 = shift(x18, x20)
    O = underpaint(I, x21)
    return O


def solve_b91ae062(I):
    x1 = palette(I)
    x2 = remove(ZERO, x1)
    x3 = size(x2)
    O = upscale(I, x3)
    return O

//! Numbers and logic: ints, `(i, j)` pairs, booleans. The arithmetic primitives accept an int or a pair
//! on either side and work elementwise, as arc-dsl's `isinstance` dispatch does.
//!
//! The elementwise forms apply Python's own operator to the items, so an item that is not an int behaves
//! as in CPython: `+` concatenates tuples, `*` repeats a tuple, `-` of two frozensets is their difference,
//! and anything else is a `TypeError`. Ints leaving 64 bits are a `memory` outcome.

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::prims::{Primitive, bad_type, prim};
use crate::value::{Value, py_gt};

/// `identity(x)`: `x`.
fn identity(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(args[0].clone())
}

/// `add(a, b)`: `a + b`, elementwise when either side is a pair.
fn add(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric2(ctx, Op::Add, &args[0], &args[1])
}

/// `subtract(a, b)`: `a - b`, elementwise when either side is a pair.
fn subtract(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric2(ctx, Op::Sub, &args[0], &args[1])
}

/// `multiply(a, b)`: `a * b`, elementwise when either side is a pair.
fn multiply(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric2(ctx, Op::Mul, &args[0], &args[1])
}

/// `divide(a, b)`: `a // b` (floor division), elementwise when either side is a pair.
fn divide(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric2(ctx, Op::FloorDiv, &args[0], &args[1])
}

/// `invert(n)`: `-n`, elementwise on a pair.
fn invert(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric1(ctx, &args[0], |_, x| match x.as_int() {
        Some(v) => v.checked_neg().map(Value::Int).ok_or_else(Error::memory),
        None => Err(bad_type()),
    })
}

/// `even(n)`: `n % 2 == 0`.
fn even(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let n = args[0].as_int().ok_or_else(bad_type)?;
    Ok(Value::Bool(n.rem_euclid(2) == 0))
}

/// `double(n)`: `n * 2`, elementwise on a pair.
fn double(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric1(ctx, &args[0], |ctx, x| binop(ctx, Op::Mul, x, &Value::Int(2)))
}

/// `halve(n)`: `n // 2`, elementwise on a pair.
fn halve(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric1(ctx, &args[0], |ctx, x| binop(ctx, Op::FloorDiv, x, &Value::Int(2)))
}

/// `flip(b)`: `not b`.
fn flip(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Bool(!args[0].truthy()))
}

/// `equality(a, b)`: `a == b`.
fn equality(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Bool(args[0] == args[1]))
}

/// `greater(a, b)`: `a > b`.
fn greater(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Bool(py_gt(&args[0], &args[1])?))
}

/// `both(a, b)`: `a and b` (the operand itself, not a bool).
fn both(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(if args[0].truthy() { args[1].clone() } else { args[0].clone() })
}

/// `either(a, b)`: `a or b` (the operand itself, not a bool).
fn either(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(if args[0].truthy() { args[0].clone() } else { args[1].clone() })
}

/// `increment(x)`: `x + 1`, elementwise on a pair.
fn increment(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric1(ctx, &args[0], |ctx, x| binop(ctx, Op::Add, x, &Value::Int(1)))
}

/// `decrement(x)`: `x - 1`, elementwise on a pair.
fn decrement(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric1(ctx, &args[0], |ctx, x| binop(ctx, Op::Sub, x, &Value::Int(1)))
}

/// `crement(x)`: `0` if `x == 0`, else `x + 1` if `x > 0`, else `x - 1`; elementwise on a pair.
fn crement(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric1(ctx, &args[0], |ctx, x| {
        if *x == Value::Int(0) {
            Ok(Value::Int(0))
        } else if py_gt(x, &Value::Int(0))? {
            binop(ctx, Op::Add, x, &Value::Int(1))
        } else {
            binop(ctx, Op::Sub, x, &Value::Int(1))
        }
    })
}

/// `sign(x)`: `0` if `x == 0`, else `1` if `x > 0`, else `-1`; elementwise on a pair.
fn sign(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric1(ctx, &args[0], |_, x| {
        if *x == Value::Int(0) {
            Ok(Value::Int(0))
        } else if py_gt(x, &Value::Int(0))? {
            Ok(Value::Int(1))
        } else {
            Ok(Value::Int(-1))
        }
    })
}

/// `positive(x)`: `x > 0`.
fn positive(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Bool(py_gt(&args[0], &Value::Int(0))?))
}

/// `toivec(i)`: `(i, 0)`.
fn toivec(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::tuple2(args[0].clone(), Value::Int(0)))
}

/// `tojvec(j)`: `(0, j)`.
fn tojvec(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::tuple2(Value::Int(0), args[0].clone()))
}

/// `astuple(a, b)`: `(a, b)`.
fn astuple(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::tuple2(args[0].clone(), args[1].clone()))
}

/// `branch(condition, a, b)`: `a if condition else b`.
fn branch(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(if args[0].truthy() { args[1].clone() } else { args[2].clone() })
}

// ---- Python's operators ---------------------------------------------------------------------------

/// A binary operator of Python, as the arithmetic primitives apply it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    FloorDiv,
}

impl Op {
    /// The operator on two ints; `None` when the result leaves 64 bits.
    fn ints(self, x: i64, y: i64) -> Result<i64> {
        let out = match self {
            Op::Add => x.checked_add(y),
            Op::Sub => x.checked_sub(y),
            Op::Mul => x.checked_mul(y),
            Op::FloorDiv => return floordiv(x, y),
        };
        out.ok_or_else(Error::memory)
    }
}

/// Python's `x // y` on ints: the quotient rounded toward negative infinity.
pub(super) fn floordiv(x: i64, y: i64) -> Result<i64> {
    if y == 0 {
        return Err(Error::zero_division());
    }
    let q = x.checked_div(y).ok_or_else(Error::memory)?;
    let r = x.checked_rem(y).ok_or_else(Error::memory)?;
    Ok(if r != 0 && ((r < 0) != (y < 0)) { q - 1 } else { q })
}

/// Python's `x <op> y` for any two values arc-dsl computes with.
fn binop(ctx: &mut Ctx, op: Op, x: &Value, y: &Value) -> Result<Value> {
    if let (Some(a), Some(b)) = (x.as_int(), y.as_int()) {
        return Ok(Value::Int(op.ints(a, b)?));
    }
    match op {
        Op::Add if x.is_tuple_like() && y.is_tuple_like() => {
            let n = x.len()?.checked_add(y.len()?).ok_or_else(Error::memory)?;
            ctx.check_len(n)?;
            let mut items = x.to_vec()?;
            items.extend(y.items()?);
            Ok(Value::tuple(items))
        }
        Op::Sub => match (x, y) {
            (Value::Set(a), Value::Set(b)) => {
                ctx.charge(a.len() + b.len())?;
                let kept = a.iter().filter(|e| b.binary_search_by(|f| f.total_cmp(e)).is_err());
                Ok(Value::set_from_sorted(kept.cloned().collect()))
            }
            _ => Err(bad_type()),
        },
        Op::Mul => match (x.as_int(), y.as_int()) {
            (Some(n), None) if y.is_tuple_like() => repeat_tuple(ctx, y, n),
            (None, Some(n)) if x.is_tuple_like() => repeat_tuple(ctx, x, n),
            _ => Err(bad_type()),
        },
        _ => Err(bad_type()),
    }
}

/// Python's `t * n` for a tuple `t`: `t` repeated, empty when `n <= 0`.
fn repeat_tuple(ctx: &mut Ctx, t: &Value, n: i64) -> Result<Value> {
    let times = usize::try_from(n.max(0)).map_err(|_| Error::memory())?;
    let len = t.len()?.checked_mul(times).ok_or_else(Error::memory)?;
    ctx.check_len(len)?;
    let one = t.to_vec()?;
    let mut items = Vec::with_capacity(len);
    for _ in 0..times {
        items.extend_from_slice(&one);
    }
    Ok(Value::tuple(items))
}

/// arc-dsl's dispatch for a binary arithmetic primitive: `a op b` for two ints, `(a[0] op b[0],
/// a[1] op b[1])` for two tuples, `(a op b[0], a op b[1])` for an int and a tuple, and `(a[0] op b,
/// a[1] op b)` for anything else — in Python's evaluation order, so the first error is CPython's.
fn numeric2(ctx: &mut Ctx, op: Op, a: &Value, b: &Value) -> Result<Value> {
    match (a, b) {
        (Value::Point(a0, a1), Value::Point(b0, b1)) => {
            let r0 = op.ints(*a0 as i64, *b0 as i64)?;
            return Ok(Value::pair(r0, op.ints(*a1 as i64, *b1 as i64)?));
        }
        (Value::Point(a0, a1), Value::Int(_) | Value::Bool(_)) => {
            let y = b.int()?;
            let r0 = op.ints(*a0 as i64, y)?;
            return Ok(Value::pair(r0, op.ints(*a1 as i64, y)?));
        }
        _ => {}
    }
    let (x_int, y_int) = (a.as_int().is_some(), b.as_int().is_some());
    if x_int && y_int {
        return binop(ctx, op, a, b);
    }
    let mut out = Vec::with_capacity(2);
    if a.is_tuple_like() && b.is_tuple_like() {
        for k in 0..2 {
            let (x, y) = (a.index(k)?, b.index(k)?);
            out.push(binop(ctx, op, &x, &y)?);
        }
    } else if x_int && b.is_tuple_like() {
        for k in 0..2 {
            out.push(binop(ctx, op, a, &b.index(k)?)?);
        }
    } else {
        for k in 0..2 {
            out.push(binop(ctx, op, &a.index(k)?, b)?);
        }
    }
    Ok(Value::tuple(out))
}

/// arc-dsl's dispatch for a unary numerical primitive: `f(x)` for an int, `(f(x[0]), f(x[1]))` otherwise.
fn numeric1(ctx: &mut Ctx, x: &Value, f: impl Fn(&mut Ctx, &Value) -> Result<Value>) -> Result<Value> {
    if x.as_int().is_some() {
        return f(ctx, x);
    }
    let r0 = f(ctx, &x.index(0)?)?;
    let r1 = f(ctx, &x.index(1)?)?;
    Ok(Value::tuple2(r0, r1))
}

/// The numbers-and-logic primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
    prim!(identity,  1, "identity function: x"),
    prim!(add,       2, "addition: a + b, elementwise on (i, j) pairs"),
    prim!(subtract,  2, "subtraction: a - b, elementwise on (i, j) pairs"),
    prim!(multiply,  2, "multiplication: a * b, elementwise on (i, j) pairs"),
    prim!(divide,    2, "floor division: a // b, elementwise on (i, j) pairs"),
    prim!(invert,    1, "inversion with respect to addition: -n, elementwise on a pair"),
    prim!(even,      1, "evenness: n % 2 == 0"),
    prim!(double,    1, "scaling by two: n * 2, elementwise on a pair"),
    prim!(halve,     1, "scaling by one half: n // 2, elementwise on a pair"),
    prim!(flip,      1, "logical not: not b"),
    prim!(equality,  2, "equality: a == b"),
    prim!(greater,   2, "greater: a > b"),
    prim!(both,      2, "logical and: a and b"),
    prim!(either,    2, "logical or: a or b"),
    prim!(increment, 1, "incrementing: x + 1, elementwise on a pair"),
    prim!(decrement, 1, "decrementing: x - 1, elementwise on a pair"),
    prim!(crement,   1, "incrementing positives, decrementing negatives, keeping zero; elementwise"),
    prim!(sign,      1, "sign: 0, 1 or -1, elementwise on a pair"),
    prim!(positive,  1, "positivity: x > 0"),
    prim!(toivec,    1, "vector pointing vertically: (i, 0)"),
    prim!(tojvec,    1, "vector pointing horizontally: (0, j)"),
    prim!(astuple,   2, "constructs a pair: (a, b)"),
    prim!(branch,    3, "if-else: a if condition else b"),
];

#[cfg(test)]
mod tests {
    use super::floordiv;
    use crate::literal::py;
    use crate::prims::testing::{repr, run};
    use crate::prims::{apply, lookup};
    use crate::{Ctx, ErrorKind, Limits, Value};

    #[test]
    fn identity_returns_its_argument() {
        assert_eq!(repr("identity", &["frozenset({1})"]), "frozenset({1})");
        assert_eq!(repr("identity", &["None"]), "None");
        assert_eq!(repr("identity", &["True"]), "True");
    }

    #[test]
    fn add_dispatches_like_python() {
        assert_eq!(run("add", &["1", "2"]), Ok(py("3")));
        assert_eq!(run("add", &["(1, 2)", "(3, 4)"]), Ok(py("(4, 6)")));
        assert_eq!(run("add", &["1", "(3, 4)"]), Ok(py("(4, 5)")));
        assert_eq!(run("add", &["(3, 4)", "True"]), Ok(py("(4, 5)")));
        assert_eq!(run("add", &["(1, 2, 3)", "(3, 4)"]), Ok(py("(4, 6)")));
        assert_eq!(run("add", &["(1,)", "(3, 4)"]), Err(ErrorKind::IndexError));
        assert_eq!(run("add", &["frozenset({1, 2})", "1"]), Err(ErrorKind::TypeError));
        assert_eq!(repr("add", &["True", "True"]), "2");
    }

    #[test]
    fn add_applies_python_plus_to_items() {
        // Tuple items concatenate, as `+` does in Python.
        assert_eq!(repr("add", &["((1,), (2,))", "((3,), (4,))"]), "((1, 3), (2, 4))");
        assert_eq!(repr("add", &["((1,), 2)", "1"]), "TypeError");
        assert_eq!(repr("add", &["None", "1"]), "TypeError");
        assert_eq!(repr("add", &["1", "frozenset()"]), "TypeError");
        assert_eq!(repr("add", &["(1, 2)", "frozenset({1})"]), "TypeError");
        assert_eq!(repr("add", &["()", "1"]), "IndexError");
        assert_eq!(repr("add", &["9223372036854775807", "1"]), "memory");
        assert_eq!(repr("add", &["(5, (1, 2))", "(1, (3,))"]), "(6, (1, 2, 3))");
    }

    #[test]
    fn errors_come_in_python_evaluation_order() {
        // a[0] + b[0] fails (int + tuple) before a[1] would raise IndexError.
        assert_eq!(repr("add", &["(1,)", "((1,), 2)"]), "TypeError");
        // a[0] + b[0] succeeds, then a[1] is out of range.
        assert_eq!(repr("subtract", &["(1,)", "(1, 2)"]), "IndexError");
        assert_eq!(repr("multiply", &["(1, 2)", "(3,)"]), "IndexError");
    }

    #[test]
    fn subtract_works_elementwise() {
        assert_eq!(repr("subtract", &["5", "7"]), "-2");
        assert_eq!(repr("subtract", &["(5, 1)", "(1, 5)"]), "(4, -4)");
        assert_eq!(repr("subtract", &["10", "(1, 2)"]), "(9, 8)");
        assert_eq!(repr("subtract", &["(1, 2)", "10"]), "(-9, -8)");
        assert_eq!(repr("subtract", &["((1,), 2)", "(1, 2)"]), "TypeError");
        assert_eq!(repr("subtract", &["-9223372036854775807", "2"]), "memory");
        // Items that are frozensets subtract as sets.
        assert_eq!(run("subtract", &["(frozenset({1, 2}), 1)", "(frozenset({1}), 0)"]), Ok(py("(frozenset({2}), 1)")));
        assert_eq!(repr("subtract", &["frozenset({1})", "frozenset({1})"]), "TypeError");
    }

    #[test]
    fn multiply_repeats_tuples_like_python() {
        assert_eq!(repr("multiply", &["6", "7"]), "42");
        assert_eq!(repr("multiply", &["(2, 3)", "(4, 5)"]), "(8, 15)");
        assert_eq!(repr("multiply", &["-1", "(4, 5)"]), "(-4, -5)");
        assert_eq!(repr("multiply", &["(4, 5)", "False"]), "(0, 0)");
        assert_eq!(repr("multiply", &["2", "((1,), (2,))"]), "((1, 1), (2, 2))");
        assert_eq!(repr("multiply", &["((1, 2), (3,))", "-1"]), "((), ())");
        assert_eq!(repr("multiply", &["((1,), (2,))", "((1,), (2,))"]), "TypeError");
        assert_eq!(repr("multiply", &["4294967296", "4294967296"]), "memory");
        let id = lookup("multiply").expect("exists");
        let mut small = Ctx::new(Limits { fuel: 1000, max_len: 10 });
        let bomb = apply(&mut small, id, &[py("((1, 2), (3, 4))"), Value::Int(1_000_000)]);
        assert_eq!(bomb.map_err(|e| e.kind), Err(ErrorKind::Memory));
    }

    #[test]
    fn divide_floors_toward_negative_infinity() {
        assert_eq!(repr("divide", &["7", "2"]), "3");
        assert_eq!(repr("divide", &["-7", "2"]), "-4");
        assert_eq!(repr("divide", &["7", "-2"]), "-4");
        assert_eq!(repr("divide", &["-7", "-2"]), "3");
        assert_eq!(repr("divide", &["-6", "2"]), "-3");
        assert_eq!(repr("divide", &["(7, -7)", "(2, 2)"]), "(3, -4)");
        assert_eq!(repr("divide", &["9", "(2, -4)"]), "(4, -3)");
        assert_eq!(repr("divide", &["1", "0"]), "ZeroDivisionError");
        assert_eq!(repr("divide", &["(1, 2)", "(1, 0)"]), "ZeroDivisionError");
        assert_eq!(repr("divide", &["((1,), 2)", "1"]), "TypeError");
        assert_eq!(repr("divide", &["-9223372036854775808", "-1"]), "memory");
        assert_eq!(floordiv(i64::MIN, 2).ok(), Some(i64::MIN / 2));
    }

    #[test]
    fn invert_negates() {
        assert_eq!(repr("invert", &["3"]), "-3");
        assert_eq!(repr("invert", &["(3, -4)"]), "(-3, 4)");
        assert_eq!(repr("invert", &["True"]), "-1");
        assert_eq!(repr("invert", &["(1, 2, 3)"]), "(-1, -2)");
        assert_eq!(repr("invert", &["((1,), 2)"]), "TypeError");
        assert_eq!(repr("invert", &["frozenset({1, 2})"]), "TypeError");
        assert_eq!(repr("invert", &["None"]), "TypeError");
        assert_eq!(repr("invert", &["(1,)"]), "IndexError");
        assert_eq!(repr("invert", &["-9223372036854775808"]), "memory");
    }

    #[test]
    fn even_uses_python_modulo() {
        assert_eq!(repr("even", &["4"]), "True");
        assert_eq!(repr("even", &["-3"]), "False");
        assert_eq!(repr("even", &["-4"]), "True");
        assert_eq!(repr("even", &["0"]), "True");
        assert_eq!(repr("even", &["True"]), "False");
        assert_eq!(repr("even", &["(2, 2)"]), "TypeError");
        assert_eq!(repr("even", &["None"]), "TypeError");
    }

    #[test]
    fn double_and_halve() {
        assert_eq!(repr("double", &["-3"]), "-6");
        assert_eq!(repr("double", &["(1, -2)"]), "(2, -4)");
        assert_eq!(repr("double", &["((1,), (2, 3))"]), "((1, 1), (2, 3, 2, 3))");
        assert_eq!(repr("double", &["frozenset()"]), "TypeError");
        assert_eq!(repr("double", &["()"]), "IndexError");
        assert_eq!(repr("halve", &["-3"]), "-2");
        assert_eq!(repr("halve", &["(5, -5)"]), "(2, -3)");
        assert_eq!(repr("halve", &["True"]), "0");
        assert_eq!(repr("halve", &["((1,), 2)"]), "TypeError");
    }

    #[test]
    fn flip_is_python_not() {
        assert_eq!(repr("flip", &["True"]), "False");
        assert_eq!(repr("flip", &["0"]), "True");
        assert_eq!(repr("flip", &["()"]), "True");
        assert_eq!(repr("flip", &["frozenset({0})"]), "False");
        assert_eq!(repr("flip", &["None"]), "True");
    }

    #[test]
    fn equality_is_python_eq() {
        assert_eq!(repr("equality", &["1", "True"]), "True");
        assert_eq!(repr("equality", &["(1, 2)", "(1, 2)"]), "True");
        assert_eq!(repr("equality", &["(1, 2)", "frozenset({1, 2})"]), "False");
        assert_eq!(repr("equality", &["frozenset({1, 2})", "frozenset({2, 1})"]), "True");
        assert_eq!(repr("equality", &["None", "0"]), "False");
        assert_eq!(repr("equality", &["()", "frozenset()"]), "False");
    }

    #[test]
    fn greater_is_python_gt() {
        assert_eq!(repr("greater", &["2", "1"]), "True");
        assert_eq!(repr("greater", &["1", "1"]), "False");
        assert_eq!(repr("greater", &["True", "0"]), "True");
        assert_eq!(repr("greater", &["(1, 2)", "(1, 1, 5)"]), "True");
        assert_eq!(repr("greater", &["frozenset({1, 2})", "frozenset({1})"]), "True");
        assert_eq!(repr("greater", &["frozenset({1, 2})", "frozenset({3})"]), "False");
        assert_eq!(repr("greater", &["(1, 2)", "1"]), "TypeError");
        assert_eq!(repr("greater", &["None", "None"]), "TypeError");
    }

    #[test]
    fn both_and_either_return_an_operand() {
        assert_eq!(repr("both", &["True", "False"]), "False");
        assert_eq!(repr("both", &["0", "5"]), "0");
        assert_eq!(repr("both", &["True", "(1,)"]), "(1,)");
        assert_eq!(repr("both", &["()", "5"]), "()");
        assert_eq!(repr("either", &["0", "()"]), "()");
        assert_eq!(repr("either", &["frozenset()", "0"]), "0");
        assert_eq!(repr("either", &["3", "0"]), "3");
        assert_eq!(repr("either", &["False", "True"]), "True");
    }

    #[test]
    fn increment_and_decrement() {
        assert_eq!(repr("increment", &["-1"]), "0");
        assert_eq!(repr("increment", &["True"]), "2");
        assert_eq!(repr("increment", &["(1, 2)"]), "(2, 3)");
        assert_eq!(repr("increment", &["(5, (1, 2))"]), "TypeError");
        assert_eq!(repr("increment", &["frozenset({(1, 2)})"]), "TypeError");
        assert_eq!(repr("increment", &["9223372036854775807"]), "memory");
        assert_eq!(repr("decrement", &["0"]), "-1");
        assert_eq!(repr("decrement", &["(0, 2, 9)"]), "(-1, 1)");
        assert_eq!(repr("decrement", &["(0,)"]), "IndexError");
        assert_eq!(repr("decrement", &["None"]), "TypeError");
    }

    #[test]
    fn crement_moves_away_from_zero() {
        assert_eq!(repr("crement", &["0"]), "0");
        assert_eq!(repr("crement", &["3"]), "4");
        assert_eq!(repr("crement", &["-3"]), "-4");
        assert_eq!(repr("crement", &["False"]), "0");
        assert_eq!(repr("crement", &["(True, -3)"]), "(2, -4)");
        assert_eq!(repr("crement", &["(0, 0)"]), "(0, 0)");
        assert_eq!(repr("crement", &["((1,), 0)"]), "TypeError");
        assert_eq!(repr("crement", &["(0, None)"]), "TypeError");
        assert_eq!(repr("crement", &["frozenset()"]), "TypeError");
    }

    #[test]
    fn sign_of_ints_and_pairs() {
        assert_eq!(repr("sign", &["0"]), "0");
        assert_eq!(repr("sign", &["17"]), "1");
        assert_eq!(repr("sign", &["-17"]), "-1");
        assert_eq!(repr("sign", &["True"]), "1");
        assert_eq!(repr("sign", &["(-5, 0)"]), "(-1, 0)");
        assert_eq!(repr("sign", &["(2, ())"]), "TypeError");
        assert_eq!(repr("sign", &["()"]), "IndexError");
    }

    #[test]
    fn positive_is_greater_than_zero() {
        assert_eq!(repr("positive", &["1"]), "True");
        assert_eq!(repr("positive", &["0"]), "False");
        assert_eq!(repr("positive", &["-1"]), "False");
        assert_eq!(repr("positive", &["True"]), "True");
        assert_eq!(repr("positive", &["(1, 1)"]), "TypeError");
        assert_eq!(repr("positive", &["None"]), "TypeError");
    }

    #[test]
    fn vectors_and_pairs() {
        assert_eq!(run("toivec", &["3"]), Ok(Value::Point(3, 0)));
        assert_eq!(run("tojvec", &["-2"]), Ok(Value::Point(0, -2)));
        assert_eq!(repr("toivec", &["(1, 2)"]), "((1, 2), 0)");
        assert_eq!(repr("tojvec", &["None"]), "(0, None)");
        assert_eq!(run("astuple", &["1", "2"]), Ok(Value::Point(1, 2)));
        assert_eq!(run("astuple", &["7", "(1, 2)"]), Ok(Value::Cell(7, 1, 2)));
        assert_eq!(repr("astuple", &["frozenset()", "()"]), "(frozenset(), ())");
        assert_eq!(repr("astuple", &["9999999999", "1"]), "(9999999999, 1)");
    }

    #[test]
    fn branch_picks_by_truthiness() {
        assert_eq!(repr("branch", &["True", "1", "2"]), "1");
        assert_eq!(repr("branch", &["False", "1", "2"]), "2");
        assert_eq!(repr("branch", &["()", "1", "2"]), "2");
        assert_eq!(repr("branch", &["(0,)", "1", "2"]), "1");
        assert_eq!(repr("branch", &["None", "1", "(5,)"]), "(5,)");
    }
}

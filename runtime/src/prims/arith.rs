//! Numbers and logic: ints, `(i, j)` pairs, booleans. The arithmetic primitives accept an int or a pair
//! on either side and work elementwise, as arc-dsl's `isinstance` dispatch does.

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::prims::{Primitive, prim};
use crate::value::Value;

/// `identity(x)`: `x`.
fn identity(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(args[0].clone())
}

/// `add(a, b)`: `a + b`, elementwise when either side is a pair.
fn add(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    numeric2(&args[0], &args[1], i64::checked_add)
}

/// Applies `op` to two numericals (int or pair) the way arc-dsl's arithmetic primitives dispatch.
fn numeric2(a: &Value, b: &Value, op: fn(i64, i64) -> Option<i64>) -> Result<Value> {
    let op = |x: i64, y: i64| op(x, y).ok_or_else(Error::memory);
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => Ok(Value::Int(op(x, y)?)),
        (Some(x), None) => {
            let (b0, b1) = b.ints01()?;
            Ok(Value::pair(op(x, b0)?, op(x, b1)?))
        }
        (None, Some(y)) => {
            let (a0, a1) = a.ints01()?;
            Ok(Value::pair(op(a0, y)?, op(a1, y)?))
        }
        (None, None) => {
            let ((a0, a1), (b0, b1)) = (a.ints01()?, b.ints01()?);
            Ok(Value::pair(op(a0, b0)?, op(a1, b1)?))
        }
    }
}

/// The numbers-and-logic primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
    prim!(identity, 1, "identity function: x"),
    prim!(add,      2, "addition: a + b, elementwise on (i, j) pairs"),
];

#[cfg(test)]
mod tests {
    use crate::literal::py;
    use crate::prims::{apply, lookup};
    use crate::{Ctx, ErrorKind, Value};

    fn run(name: &str, args: &[&str]) -> Result<Value, ErrorKind> {
        let id = lookup(name).expect("primitive exists");
        let args: Vec<Value> = args.iter().map(|a| py(a)).collect();
        apply(&mut Ctx::default(), id, &args).map_err(|e| e.kind)
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
    }
}

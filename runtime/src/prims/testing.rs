//! Test helpers shared by the primitive families: evaluate `name(args…)` written as Python text, and
//! compare with a Python literal or an exception name.

use crate::error::ErrorKind;
use crate::func::call;
use crate::literal::parse;
use crate::prims::{constant, lookup};
use crate::{Ctx, Value};

/// The value of `text`: a Python literal, a primitive or constant name, or a call `f(args…)` of any
/// callable expression, evaluated with Python's argument order.
pub fn eval(ctx: &mut Ctx, text: &str) -> Result<Value, ErrorKind> {
    let text = text.trim();
    if let Some(v) = parse(text) {
        return Ok(v);
    }
    if let Some(v) = constant(text) {
        return Ok(v);
    }
    if let Some(id) = lookup(text) {
        return Ok(Value::Prim(id));
    }
    assert!(text.ends_with(')'), "not an expression: {text}");
    let open = matching_open(text);
    if let Some(inner) = text.strip_prefix("frozenset({").and_then(|t| t.strip_suffix("})")) {
        let items = split_top_level(inner).into_iter().map(|a| eval(ctx, a));
        return Ok(Value::set(items.collect::<Result<_, _>>()?));
    }
    let args = split_top_level(&text[open + 1..text.len() - 1]);
    if open == 0 {
        let items = args.into_iter().map(|a| eval(ctx, a));
        return Ok(Value::tuple(items.collect::<Result<_, _>>()?));
    }
    let callee = eval(ctx, &text[..open])?;
    let mut values = Vec::new();
    for arg in args {
        values.push(eval(ctx, arg)?);
    }
    call(ctx, &callee, &values).map_err(|e| e.kind)
}

/// The position of the bracket that the final `)` of `text` closes.
fn matching_open(text: &str) -> usize {
    let mut depth = 0;
    for (k, c) in text.char_indices().rev() {
        match c {
            ')' | '}' | ']' => depth += 1,
            '(' | '{' | '[' => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced: {text}")
}

/// Splits `a, f(b, c), (d, e)` at the commas outside brackets.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut depth, mut start, mut parts) = (0i32, 0, Vec::new());
    for (k, c) in text.char_indices() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    if !text[start..].trim().is_empty() {
        parts.push(&text[start..]);
    }
    parts
}

/// `name(args…)` evaluated: the result's Python repr, or the error kind's name.
pub fn repr(name: &str, args: &[&str]) -> String {
    match run(name, args) {
        Ok(v) => v.to_string(),
        Err(k) => k.name().to_string(),
    }
}

/// `name(args…)` evaluated with default limits.
pub fn run(name: &str, args: &[&str]) -> Result<Value, ErrorKind> {
    eval(&mut Ctx::default(), &format!("{name}({})", args.join(", ")))
}

/// `name(*args)` gives the value written as the Python literal `expected`.
#[track_caller]
pub fn ok(name: &str, args: &[&str], expected: &str) {
    assert_eq!(run(name, args), Ok(crate::literal::py(expected)), "{name}{args:?}");
}

/// `name(*args)` raises `kind`.
#[track_caller]
pub fn err(name: &str, args: &[&str], kind: ErrorKind) {
    assert_eq!(run(name, args), Err(kind), "{name}{args:?}");
}

/// `name(*args)` gives the value of Python literal `expected`, or raises the exception it names.
#[track_caller]
pub fn check(name: &str, args: &[&str], expected: &str) {
    let got = run(name, args);
    if expected.ends_with("Error") || expected == "StopIteration" {
        assert_eq!(got.map_err(|k| k.name()), Err(expected), "{name}{args:?}");
    } else {
        assert_eq!(got, Ok(crate::literal::py(expected)), "{name}{args:?}");
    }
}

/// A reproducible stream of numbers, each below the bound it is asked with (xorshift): the random
/// inputs of the tests that compare a fast path with the plain one.
pub fn numbers() -> impl FnMut(u64) -> u64 {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    }
}

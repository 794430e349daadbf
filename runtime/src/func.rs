//! Callables: primitives and the closures that `compose`, `chain`, `matcher`, `rbind`, `lbind`, `power`
//! and `fork` build, and [`call`], the one way to invoke any of them.
//!
//! A closure's arity is what Python's `f.__code__.co_argcount` would say of the lambda arc-dsl returns:
//! `rbind`/`lbind` read it from what they wrap (2 → 1, 3 → 2, anything else → 3). Equality of callables is
//! structural (CPython compares functions by identity; the two agree for primitives, which are module-level
//! singletons, and differ only for two separately built but identical closures).

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use crate::ctx::{Ctx, MAX_DEPTH};
use crate::error::{Error, Result};
use crate::prims;
use crate::value::Value;

/// A closure (primitives are [`Value::Prim`]).
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Func {
    /// `compose(outer, inner)`: `x -> outer(inner(x))`.
    Compose(Value, Value),
    /// `chain(h, g, f)`: `x -> h(g(f(x)))`.
    Chain(Value, Value, Value),
    /// `matcher(function, target)`: `x -> function(x) == target`.
    Matcher(Value, Value),
    /// `rbind(function, fixed)`: `(args…) -> function(args…, fixed)`, taking `arity` arguments.
    Rbind { function: Value, fixed: Value, arity: u8 },
    /// `lbind(function, fixed)`: `(args…) -> function(fixed, args…)`, taking `arity` arguments.
    Lbind { function: Value, fixed: Value, arity: u8 },
    /// `power(function, n)` for `n >= 2`: `function` applied `n` times.
    Power(Value, u32),
    /// `fork(outer, a, b)`: `x -> outer(a(x), b(x))`.
    Fork(Value, Value, Value),
}

impl Func {
    /// `co_argcount` of the Python function this stands for.
    pub fn arity(&self) -> usize {
        match self {
            Func::Rbind { arity, .. } | Func::Lbind { arity, .. } => *arity as usize,
            _ => 1,
        }
    }

    /// The storage order of callables (for frozensets of functions): by variant, then by fields.
    pub fn total_cmp(&self, other: &Func) -> Ordering {
        let (a, b) = (self.fields(), other.fields());
        self.tag().cmp(&other.tag()).then_with(|| {
            for (x, y) in a.iter().zip(b.iter()) {
                match x.total_cmp(y) {
                    Ordering::Equal => {}
                    o => return o,
                }
            }
            Ordering::Equal
        })
    }

    fn tag(&self) -> (u8, u32) {
        match self {
            Func::Compose(..) => (1, 0),
            Func::Chain(..) => (2, 0),
            Func::Matcher(..) => (3, 0),
            Func::Rbind { arity, .. } => (4, *arity as u32),
            Func::Lbind { arity, .. } => (5, *arity as u32),
            Func::Power(_, n) => (6, *n),
            Func::Fork(..) => (7, 0),
        }
    }

    fn fields(&self) -> Vec<&Value> {
        match self {
            Func::Compose(a, b) | Func::Matcher(a, b) => vec![a, b],
            Func::Chain(a, b, c) | Func::Fork(a, b, c) => vec![a, b, c],
            Func::Rbind { function, fixed, .. } | Func::Lbind { function, fixed, .. } => {
                vec![function, fixed]
            }
            Func::Power(f, _) => vec![f],
        }
    }

    /// Wraps this callable as a value.
    pub fn into_value(self) -> Value {
        Value::Func(Arc::new(self))
    }
}

/// The arity that `rbind`/`lbind` give the lambda they return, from the arity of what they wrap.
pub fn bound_arity(wrapped: usize) -> u8 {
    match wrapped {
        2 => 1,
        3 => 2,
        _ => 3,
    }
}

/// Calls `f` with `args`, as Python's `f(*args)` would.
#[inline]
pub fn call(ctx: &mut Ctx, f: &Value, args: &[Value]) -> Result<Value> {
    // Primitives, by far the most frequent callee, take the short way, inlined where they are called: one
    // table lookup, no depth count (a primitive only recurses through `call`, which counts). Closures go
    // out of line, so that this path keeps a small stack frame.
    match f {
        Value::Prim(id) => {
            let row = prims::get(*id);
            if row.arity != args.len() {
                return Err(Error::type_error("wrong number of arguments"));
            }
            prims::apply_row(ctx, row, args)
        }
        _ => call_func(ctx, f, args),
    }
}

/// [`call`] for anything but a primitive: a closure, or a `TypeError`.
#[inline(never)]
fn call_func(ctx: &mut Ctx, f: &Value, args: &[Value]) -> Result<Value> {
    let func = f.func()?;
    if func.arity() != args.len() {
        return Err(Error::type_error("wrong number of arguments"));
    }
    ctx.depth += 1;
    if ctx.depth > MAX_DEPTH {
        ctx.depth -= 1;
        return Err(Error::recursion());
    }
    let result = call_closure(ctx, func, args);
    ctx.depth -= 1;
    result
}

/// Calls a closure whose arity the caller has checked against `args`. Bound arguments are passed in
/// arrays on the stack.
fn call_closure(ctx: &mut Ctx, func: &Func, args: &[Value]) -> Result<Value> {
    match func {
        Func::Compose(outer, inner) => {
            let x = call(ctx, inner, args)?;
            call(ctx, outer, &[x])
        }
        Func::Chain(h, g, f) => {
            let x = call(ctx, f, args)?;
            let x = call(ctx, g, &[x])?;
            call(ctx, h, &[x])
        }
        Func::Matcher(function, target) => Ok(Value::Bool(call(ctx, function, args)? == *target)),
        Func::Rbind { function, fixed, .. } => match args {
            [a] => call(ctx, function, &[a.clone(), fixed.clone()]),
            [a, b] => call(ctx, function, &[a.clone(), b.clone(), fixed.clone()]),
            [a, b, c] => call(ctx, function, &[a.clone(), b.clone(), c.clone(), fixed.clone()]),
            _ => Err(Error::type_error("wrong number of arguments")),
        },
        Func::Lbind { function, fixed, .. } => match args {
            [a] => call(ctx, function, &[fixed.clone(), a.clone()]),
            [a, b] => call(ctx, function, &[fixed.clone(), a.clone(), b.clone()]),
            [a, b, c] => call(ctx, function, &[fixed.clone(), a.clone(), b.clone(), c.clone()]),
            _ => Err(Error::type_error("wrong number of arguments")),
        },
        Func::Power(function, n) => {
            if *n as u64 + ctx.depth as u64 > MAX_DEPTH as u64 {
                return Err(Error::recursion());
            }
            let mut x = call(ctx, function, args)?;
            for _ in 1..*n {
                x = call(ctx, function, &[x])?;
            }
            Ok(x)
        }
        Func::Fork(outer, a, b) => {
            let x = call(ctx, a, args)?;
            let y = call(ctx, b, args)?;
            call(ctx, outer, &[x, y])
        }
    }
}

/// Renders the callable as the DSL expression that builds it: `rbind(shift, (0, 1))`.
impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Func::Compose(a, b) => write!(f, "compose({a}, {b})"),
            Func::Chain(a, b, c) => write!(f, "chain({a}, {b}, {c})"),
            Func::Matcher(a, b) => write!(f, "matcher({a}, {b})"),
            Func::Rbind { function, fixed, .. } => write!(f, "rbind({function}, {fixed})"),
            Func::Lbind { function, fixed, .. } => write!(f, "lbind({function}, {fixed})"),
            Func::Power(a, n) => write!(f, "power({a}, {n})"),
            Func::Fork(a, b, c) => write!(f, "fork({a}, {b}, {c})"),
        }
    }
}

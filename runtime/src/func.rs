//! Callables: primitives and the closures that `compose`, `chain`, `matcher`, `rbind`, `lbind`, `power`
//! and `fork` build, and [`call`], the one way to invoke any of them.
//!
//! A closure's arity is what Python's `f.__code__.co_argcount` would say of the lambda arc-dsl returns:
//! `rbind`/`lbind` read it from what they wrap (2 → 1, 3 → 2, anything else → 3). Equality of callables is
//! structural (CPython compares functions by identity; the two agree for primitives, which are module-level
//! singletons, and differ only for two separately built but identical closures).

use std::cmp::Ordering;
use std::fmt;
use std::mem::ManuallyDrop;
use std::sync::{Arc, LazyLock};

use crate::ctx::{Ctx, MAX_DEPTH};
use crate::error::{Error, Result};
use crate::memo::{self, Memo};
use crate::prims::{self, PrimId};
use crate::value::{PairShape, Value};

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
    if let Some(memo) = &ctx.memo
        && let Some((result, cost)) = memo.get(func, args, ctx.depth)
    {
        ctx.charge(cost)?;
        ctx.replayed += cost;
        return Ok(result);
    }
    run_func(ctx, func, args)
}

/// A closure call the memo has been asked for and does not hold: it runs, and is remembered if it is
/// worth it. The caller has checked the arity. Inlined into [`call_func`], the path of every closure call.
#[inline(always)]
fn run_func(ctx: &mut Ctx, func: &Arc<Func>, args: &[Value]) -> Result<Value> {
    ctx.depth += 1;
    if ctx.depth > MAX_DEPTH {
        ctx.depth -= 1;
        return Err(Error::recursion());
    }
    // A call that is not remembered whatever it costs (the outermost of a run, of a closure with one owner,
    // or with remembering off) hands its result straight on: reading the result before returning it would
    // make the return a copy, and copying a value just written field by field stalls the processor.
    if ctx.depth == 1 || !ctx.remember || Arc::strong_count(func) == 1 {
        let result = call_closure(ctx, func, args);
        ctx.depth -= 1;
        return result;
    }
    let (before, replayed) = (ctx.fuel_left(), ctx.replayed);
    let result = call_closure(ctx, func, args);
    ctx.depth -= 1;
    if let Ok(value) = &result {
        let cost = (before - ctx.fuel_left()) as usize;
        // Worth remembering if the call did the work itself rather than replay remembered calls.
        if cost.saturating_sub(ctx.replayed - replayed) >= memo::MIN_COST {
            ctx.memo.get_or_insert_with(|| Box::new(Memo::new())).insert(func, args, ctx.depth, value, cost);
        }
    }
    result
}

/// Calls a closure whose arity the caller has checked against `args`. Bound arguments are passed in
/// arrays on the stack.
fn call_closure(ctx: &mut Ctx, func: &Func, args: &[Value]) -> Result<Value> {
    match func {
        Func::Compose(outer, inner) => {
            // Both shortcuts have a closure outside: `compose` of a primitive (most) goes straight on.
            if let Value::Func(bound) = outer {
                match compose_shortcut(ctx, bound, inner, args) {
                    Some(Shortcut::Done(result)) => return result,
                    // The memo has no call of `outer` on the pair: make it and run `outer` without asking again.
                    Some(Shortcut::Unremembered) => {
                        let x = call(ctx, inner, args);
                        return match &x {
                            Ok(pair) => run_unremembered(ctx, bound, std::slice::from_ref(pair)),
                            Err(_) => x,
                        };
                    }
                    None => {}
                }
            }
            let x = call(ctx, inner, args);
            then_call(ctx, outer, x)
        }
        Func::Chain(h, g, f) => {
            let x = call(ctx, f, args);
            let x = then_call(ctx, g, x);
            then_call(ctx, h, x)
        }
        Func::Matcher(function, target) => {
            let x = call(ctx, function, args);
            let Ok(v) = &x else { return x };
            Ok(Value::Bool(v == target))
        }
        Func::Rbind { function, fixed, .. } => match args {
            [a] => call_lent(ctx, function, [a, fixed]),
            [a, b] => call_lent(ctx, function, [a, b, fixed]),
            [a, b, c] => call_lent(ctx, function, [a, b, c, fixed]),
            _ => Err(Error::type_error("wrong number of arguments")),
        },
        Func::Lbind { function, fixed, .. } => match args {
            [a] => call_lent(ctx, function, [fixed, a]),
            [a, b] => call_lent(ctx, function, [fixed, a, b]),
            [a, b, c] => call_lent(ctx, function, [fixed, a, b, c]),
            _ => Err(Error::type_error("wrong number of arguments")),
        },
        Func::Power(function, n) => {
            if *n as u64 + ctx.depth as u64 > MAX_DEPTH as u64 {
                return Err(Error::recursion());
            }
            let mut x = call(ctx, function, args);
            for _ in 1..*n {
                if x.is_err() {
                    break;
                }
                x = then_call(ctx, function, x);
            }
            x
        }
        Func::Fork(outer, a, b) => {
            // The two results stay where the calls wrote them (see `then_call`); the outer call borrows them.
            let x = call(ctx, a, args);
            let Ok(xv) = &x else { return x };
            let y = call(ctx, b, args);
            let Ok(yv) = &y else { return y };
            call_lent(ctx, outer, [xv, yv])
        }
    }
}

/// The primitives the shortcuts of `compose` recognise: `astuple`, `initset`, `manhattan`.
static SHORTCUT_PRIMS: LazyLock<[Option<PrimId>; 3]> =
    LazyLock::new(|| ["astuple", "initset", "manhattan"].map(prims::lookup));

/// [`run_func`] out of line, for the calls [`replay_pair`] found the memo without.
#[inline(never)]
fn run_unremembered(ctx: &mut Ctx, func: &Arc<Func>, args: &[Value]) -> Result<Value> {
    run_func(ctx, func, args)
}

/// What a shortcut of `compose` made of a call.
enum Shortcut {
    /// The call's result, made without the value the inner function returns.
    Done(Result<Value>),
    /// [`replay_pair`] asked the memo for the outer function's call on the pair and found none: the
    /// usual way need not ask again.
    Unremembered,
}

/// `compose(outer, inner)` on `args` without making the value `inner` returns, for two shapes that
/// nested filters and extremes call on every element: [`replay_pair`] and [`singleton_distance`]. `None`
/// for any other (almost every call: one match on `inner`).
#[inline(never)]
fn compose_shortcut(ctx: &mut Ctx, outer: &Arc<Func>, inner: &Value, args: &[Value]) -> Option<Shortcut> {
    match inner {
        Value::Func(bound) => replay_pair(ctx, outer, bound, args),
        Value::Prim(id) if Some(*id) == SHORTCUT_PRIMS[1] => singleton_distance(ctx, outer, args).map(Shortcut::Done),
        _ => None,
    }
}

/// `compose(lbind(manhattan, {a}), initset)` (or `rbind`) on a point or a cell `x`, `a` a point or a
/// cell too: the distance between their indices, charged as the calls of `initset` and `manhattan`
/// would be (each a call and a result of one item), without making `{x}`. `49d1d64f`'s solver measures
/// every cell from every border index this way. `None` to take the usual way: another closure, other
/// values, or a depth where the call of the bound `manhattan` would fail.
#[inline]
fn singleton_distance(ctx: &mut Ctx, bound: &Func, args: &[Value]) -> Option<Result<Value>> {
    let [x] = args else { return None };
    let (Func::Lbind { function: Value::Prim(f), fixed: Value::Set(fixed), arity: 1 }
    | Func::Rbind { function: Value::Prim(f), fixed: Value::Set(fixed), arity: 1 }) = bound
    else {
        return None;
    };
    let ([a], Some((xi, xj))) = (&fixed[..], x.point_or_cell_index()) else { return None };
    let (ai, aj) = a.point_or_cell_index()?;
    if Some(*f) != SHORTCUT_PRIMS[2] || ctx.depth >= MAX_DEPTH {
        return None;
    }
    let charged = ctx.charge(prims::CALL_COST + 1).and_then(|()| ctx.charge(prims::CALL_COST + 1));
    Some(charged.map(|()| Value::Int((ai as i64 - xi as i64).abs() + (aj as i64 - xj as i64).abs())))
}

/// `compose(outer, lbind(astuple, a))` (or `rbind(astuple, b)`; the bound `astuple` is `bound`) on one
/// argument, when the memo holds `outer`'s call on the pair: its result, charged what building the pair (a
/// call of `astuple`) and that call would charge, without building the pair. Nested filters call such closures on every element
/// (`d22278a0`'s solver: `argmin(objects, compose(f, lbind(astuple, index)))` for every index), and
/// the pair was most of the work of a remembered call. [`Shortcut::Unremembered`] when the memo holds no
/// such call. `None` to take the usual way: any other closure, a pair that `astuple` would not make a
/// tuple (two ints make a point), no memo, or a depth where the call of the bound `astuple` would fail.
#[inline]
fn replay_pair(ctx: &mut Ctx, outer: &Arc<Func>, bound: &Func, args: &[Value]) -> Option<Shortcut> {
    let [x] = args else { return None };
    let astuple = |f: &Value| matches!(f, Value::Prim(id) if Some(*id) == SHORTCUT_PRIMS[0]);
    let (a, b) = match bound {
        Func::Lbind { function, fixed, arity: 1 } if astuple(function) => (fixed, x),
        Func::Rbind { function, fixed, arity: 1 } if astuple(function) => (x, fixed),
        _ => return None,
    };
    if outer.arity() != 1 || ctx.depth >= MAX_DEPTH || Value::pair_shape(a, b) != PairShape::Plain {
        return None;
    }
    let Some((result, cost)) = ctx.memo.as_ref()?.get_pair(outer, a, b, ctx.depth) else {
        return Some(Shortcut::Unremembered);
    };
    // `astuple` charges a call and the pair's two items; then the remembered call its cost.
    let replayed = ctx.charge(prims::CALL_COST + 2).and_then(|()| ctx.charge(cost));
    Some(Shortcut::Done(replayed.map(|()| {
        ctx.replayed += cost;
        result
    })))
}

/// `f(x)` for the result `x` of an earlier call, or that call's error. The value is passed where it lies:
/// moving a value just returned (written field by field) with one wide load stalls the processor, since
/// such a load cannot be served from the pending narrow stores.
#[inline]
fn then_call(ctx: &mut Ctx, f: &Value, x: Result<Value>) -> Result<Value> {
    match &x {
        Ok(v) => call(ctx, f, std::slice::from_ref(v)),
        Err(_) => x,
    }
}

/// [`call`] with arguments gathered from several places, lent to the callee instead of cloned: no
/// reference count moves for the arguments of a bound call.
#[inline]
pub(crate) fn call_lent<const N: usize>(ctx: &mut Ctx, f: &Value, args: [&Value; N]) -> Result<Value> {
    let lent = args.map(lend);
    call(ctx, f, as_values(&lent))
}

/// A reusable buffer for calls whose arguments are lent, not cloned (a graph's nodes).
#[derive(Default)]
pub struct LentArgs(Vec<ManuallyDrop<Value>>);

impl LentArgs {
    /// Calls `f` with `args`, lent for the duration of the call.
    pub fn call<'a>(&mut self, ctx: &mut Ctx, f: &Value, args: impl Iterator<Item = &'a Value>) -> Result<Value> {
        self.0.clear();
        self.0.extend(args.map(lend));
        let result = call(ctx, f, as_values(&self.0));
        // Forget the copies now, while their originals are still borrowed.
        self.0.clear();
        result
    }
}

/// A bitwise copy of `v` that shares its heap data without taking a reference count.
///
/// Sound as used here: the copy is `ManuallyDrop`, so it never releases that data, and every copy is
/// used only while `v` is borrowed (within one call), so the data outlives it. The callee gets the copies
/// as a shared slice ([`as_values`]): it may read or clone them (a clone takes its own count), never
/// move or drop them.
#[inline]
fn lend(v: &Value) -> ManuallyDrop<Value> {
    // SAFETY: see above: the copy is never dropped and does not outlive the borrow of `v`.
    ManuallyDrop::new(unsafe { std::ptr::read(v) })
}

/// Lent copies as the argument slice a call takes.
#[inline]
fn as_values(lent: &[ManuallyDrop<Value>]) -> &[Value] {
    // SAFETY: `ManuallyDrop<Value>` is `repr(transparent)` over `Value`: same size, alignment and
    // validity, so a slice of one is a slice of the other, with the same length and lifetime.
    unsafe { &*(lent as *const [ManuallyDrop<Value>] as *const [Value]) }
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

#[cfg(test)]
mod tests {
    use crate::ctx::{Ctx, Limits};
    use crate::error::ErrorKind;
    use crate::prims::testing::eval;

    /// The value of `text` and the steps it took, under `fuel`.
    fn run(text: &str, fuel: u64) -> (Result<crate::value::Value, ErrorKind>, u64) {
        let mut ctx = Ctx::new(Limits { fuel, ..Limits::default() });
        let value = eval(&mut ctx, text);
        (value, fuel - ctx.fuel_left())
    }

    #[test]
    fn distances_to_singletons_are_charged_as_initset_and_manhattan() {
        let items = "((3, 4), (0, 0), (7, (1, 9)), (2, (5, 2)), (-1, 6))";
        for (bound, anchor) in [("lbind", "(1, 2)"), ("rbind", "(1, 2)"), ("lbind", "(4, (6, 0))")] {
            let short = format!("apply(compose({bound}(manhattan, initset({anchor})), initset), {items})");
            // The same distances the long way: every singleton made by a first `apply`.
            let long = format!("apply({bound}(manhattan, initset({anchor})), apply(initset, {items}))");
            let (value, steps) = run(&short, 1 << 20);
            let (expected, long_steps) = run(&long, 1 << 20);
            assert_eq!(value, expected, "{short}");
            assert!(value.is_ok(), "{short}: {value:?}");
            // The long way pays for the first `apply` (a call and its 5 results), not for `compose` (a call
            // and the closure).
            let call = crate::prims::CALL_COST as u64;
            assert_eq!(steps + (call + 5) - (call + 1), long_steps, "{short}");
            assert_eq!(run(&short, steps - 1).0, Err(ErrorKind::Fuel), "{short}");
            assert_eq!(run(&short, steps), (value, steps), "{short}");
        }
        // An anchor of two indices, or an element that is not an index, takes the usual way.
        assert_eq!(
            run("compose(lbind(manhattan, frozenset({(0, 0), (5, 5)})), initset)((4, 4))", 1000).0,
            Ok(2.into())
        );
        assert_eq!(run("compose(lbind(manhattan, initset((0, 0))), initset)(3)", 1000).0, Err(ErrorKind::TypeError));
    }
}

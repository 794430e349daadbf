//! Higher-order primitives: the closure builders (`compose`, `chain`, `matcher`, `rbind`, `lbind`,
//! `power`, `fork`), which return [`Func`] values and, like arc-dsl's lambdas, check nothing about their
//! arguments until called; and the mappers (`apply`, `rapply`, `papply`, `prapply` and their merging
//! forms), which call a function on every element.

use rustc_hash::FxHashSet;

use crate::ctx::{Ctx, MAX_DEPTH};
use crate::error::{Error, Result};
use crate::func::{Func, bound_arity, call, call_lent};
use crate::prims::sets::{elems, in_generator, merge_value};
use crate::prims::{self, Primitive, patches, prim};
use crate::value::{CollectExact, KeyBox, Value};

/// `compose(outer, inner)`: `lambda x: outer(inner(x))`.
fn compose(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Func::Compose(args[0].clone(), args[1].clone()).into_value())
}

/// `chain(h, g, f)`: `lambda x: h(g(f(x)))`.
fn chain(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Func::Chain(args[0].clone(), args[1].clone(), args[2].clone()).into_value())
}

/// `matcher(function, target)`: `lambda x: function(x) == target`.
fn matcher(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Func::Matcher(args[0].clone(), args[1].clone()).into_value())
}

/// `rbind(function, fixed)`: `function` with its last argument fixed.
fn rbind(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let arity = bound_arity(code_argcount(&args[0])?);
    Ok(Func::Rbind { function: args[0].clone(), fixed: args[1].clone(), arity }.into_value())
}

/// `lbind(function, fixed)`: `function` with its first argument fixed.
fn lbind(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let arity = bound_arity(code_argcount(&args[0])?);
    Ok(Func::Lbind { function: args[0].clone(), fixed: args[1].clone(), arity }.into_value())
}

/// `power(function, n)`: `function` composed with itself `n` times (`function` itself for `n == 1`).
fn power(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (function, n) = (&args[0], &args[1]);
    // CPython tests `n == 1`, else recurses on `n - 1`: a non-int fails there, and `n <= 0` never
    // reaches 1. Each level is a Python frame, so a deep recursion fails at the recursion limit.
    let n = n.as_int().ok_or_else(|| Error::type_error("unsupported operand type(s) for -"))?;
    if n == 1 {
        return Ok(function.clone());
    }
    let frames_below = ctx.depth.saturating_sub(1) as i64;
    if n <= 0 || n.saturating_add(frames_below) > MAX_DEPTH as i64 {
        return Err(Error::recursion());
    }
    Ok(Func::Power(function.clone(), n as u32).into_value())
}

/// `fork(outer, a, b)`: `lambda x: outer(a(x), b(x))`.
fn fork(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Func::Fork(args[0].clone(), args[1].clone(), args[2].clone()).into_value())
}

/// `apply(function, container)`: `type(container)(function(e) for e in container)`.
fn apply(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    apply_value(ctx, &args[0], &args[1])
}

/// `rapply(functions, value)`: `type(functions)(function(value) for function in functions)`.
fn rapply(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (functions, value) = (&args[0], &args[1]);
    let kind = functions.kind()?;
    let fs = elems(functions)?;
    let mut out = Vec::with_capacity(fs.len());
    for f in fs.iter() {
        out.push(call(ctx, f, std::slice::from_ref(value)).map_err(in_generator)?);
    }
    Ok(Value::of_kind(kind, out))
}

/// `mapply(function, container)`: `merge(apply(function, container))`.
fn mapply(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    if let Some(union) = mapply_shifts(ctx, &args[0], &args[1]) {
        return union;
    }
    let mapped = apply_value(ctx, &args[0], &args[1])?;
    merge_value(ctx, &mapped)
}

/// `mapply(lbind(shift, patch), offsets)`, stamping a patch of points or cells at each point of a
/// frozenset: the union built from integer keys, without making each shifted copy and sorting them as a
/// set of sets. It charges the fuel the general path would, in the same order (each closure call's shift,
/// then the merge), so the outcome is the same. `None`, having charged nothing, for any other shape, or
/// when a moved index would leave `i32` or the call would be too deep.
fn mapply_shifts(ctx: &mut Ctx, function: &Value, container: &Value) -> Option<Result<Value>> {
    let (Value::Func(f), Value::Set(offsets)) = (function, container) else { return None };
    let Func::Lbind { function, fixed: Value::Set(patch), arity: 1 } = &**f else { return None };
    if !is_prim(function, "shift") || patch.is_empty() || offsets.is_empty() || ctx.depth >= MAX_DEPTH {
        return None;
    }
    let points = matches!(patch[0], Value::Point(..));
    let (mut lo, mut hi) = ((i64::MAX, i64::MAX), (i64::MIN, i64::MIN));
    for v in patch.iter() {
        let (i, j) = match v {
            Value::Point(i, j) if points => (*i, *j),
            Value::Cell(_, i, j) if !points => (*i, *j),
            _ => return None,
        };
        lo = (lo.0.min(i as i64), lo.1.min(j as i64));
        hi = (hi.0.max(i as i64), hi.1.max(j as i64));
    }
    let (mut dlo, mut dhi) = ((i64::MAX, i64::MAX), (i64::MIN, i64::MIN));
    for v in offsets.iter() {
        let Value::Point(di, dj) = v else { return None };
        dlo = (dlo.0.min(*di as i64), dlo.1.min(*dj as i64));
        dhi = (dhi.0.max(*di as i64), dhi.1.max(*dj as i64));
    }
    let fits = |x: i64| i32::try_from(x).is_ok();
    if !(fits(lo.0 + dlo.0) && fits(lo.1 + dlo.1) && fits(hi.0 + dhi.0) && fits(hi.1 + dhi.1)) {
        return None;
    }
    let rows = ((lo.0 + dlo.0) as i32, (hi.0 + dhi.0) as i32);
    let cols = ((lo.1 + dlo.1) as i32, (hi.1 + dhi.1) as i32);
    Some(stamp(ctx, patch, offsets, points, rows, cols))
}

/// [`mapply_shifts`] once its shape is checked: the fuel, then the union, whose indices lie within `rows`
/// and `cols` (inclusive). It goes straight into a bitmap when the box is small enough for one.
fn stamp(
    ctx: &mut Ctx,
    patch: &[Value],
    offsets: &[Value],
    points: bool,
    rows: (i32, i32),
    cols: (i32, i32),
) -> Result<Value> {
    for _ in offsets {
        ctx.charge(prims::CALL_COST + patch.len())?;
    }
    let total = offsets.len().saturating_mul(patch.len());
    ctx.check_len(total)?;
    ctx.charge(total)?;
    // Every offset is a point and the patch holds only points or only cells (checked by the caller).
    let colours = patch.iter().fold((i32::MAX, i32::MIN), |(lo, hi), v| match *v {
        Value::Cell(c, ..) => (lo.min(c), hi.max(c)),
        _ => (0, 0),
    });
    if let Some(mut bitmap) = KeyBox::new((colours.0, rows.0, cols.0), (colours.1, rows.1, cols.1), total) {
        // A shift moves every position by the same amount: the patch's positions are found once.
        let positions: Vec<i64> = patch
            .iter()
            .map(|v| match *v {
                Value::Cell(c, i, j) => bitmap.position((c, i, j)),
                Value::Point(i, j) => bitmap.position((0, i, j)),
                _ => 0,
            })
            .collect();
        for offset in offsets {
            let Value::Point(di, dj) = *offset else { continue };
            let moved = di as i64 * bitmap.stride() + dj as i64;
            for &k in &positions {
                bitmap.insert_at(k + moved);
            }
        }
        let mut out = Vec::with_capacity(bitmap.len());
        bitmap.for_each(|(c, i, j)| out.push(if points { Value::Point(i, j) } else { Value::Cell(c, i, j) }));
        return Ok(Value::Set(out.into()));
    }
    let mut keys = Vec::with_capacity(total);
    for offset in offsets {
        let Value::Point(di, dj) = *offset else { continue };
        keys.extend(patch.iter().map(|v| match *v {
            Value::Point(i, j) => (0, i + di, j + dj),
            Value::Cell(c, i, j) => (c, i + di, j + dj),
            _ => (0, 0, 0),
        }));
    }
    Ok(Value::set_of_keys(keys, points))
}

/// `papply(function, a, b)`: `tuple(function(i, j) for i, j in zip(a, b))`.
fn papply(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    papply_value(ctx, &args[0], &args[1], &args[2])
}

/// `mpapply(function, a, b)`: `merge(papply(function, a, b))`.
fn mpapply(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let mapped = papply_value(ctx, &args[0], &args[1], &args[2])?;
    merge_value(ctx, &mapped)
}

/// `prapply(function, a, b)`: `frozenset(function(i, j) for j in b for i in a)`.
fn prapply(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (function, a, b) = (&args[0], &args[1], &args[2]);
    let bs = elems(b)?;
    if bs.is_empty() {
        return Ok(Value::empty_set());
    }
    let as_ = elems(a)?;
    let n = as_.len().checked_mul(bs.len()).ok_or_else(Error::memory)?;
    ctx.check_len(n)?;
    if let Some(lines) = connect_all(ctx, function, &as_, &bs) {
        return lines;
    }
    let mut out = Vec::with_capacity(n);
    for j in bs.iter() {
        for i in as_.iter() {
            out.push(call_lent(ctx, function, [i, j]).map_err(in_generator)?);
        }
    }
    // Most of the |a|·|b| results repeat (`f(i, j)` and `f(j, i)` of a symmetric `f`, or the many empty
    // `connect`s): when they are containers, which are slow to compare, drop the repeats by hash before
    // the set sorts what is left.
    if out.len() > 32 && out.iter().all(|v| matches!(v, Value::Set(_) | Value::Tuple(_))) {
        let unique: FxHashSet<Value> = out.drain(..).collect();
        out.extend(unique);
    }
    Ok(Value::set(out))
}

/// `prapply(connect, a, b)` for containers of points (`22168020`'s solver joins every pair of cells of a
/// colour): the distinct lines, each built once (see [`Lines`]). `None`, having charged nothing, for any
/// other function or elements.
fn connect_all(ctx: &mut Ctx, function: &Value, a: &[Value], b: &[Value]) -> Option<Result<Value>> {
    if !is_prim(function, "connect") {
        return None;
    }
    let (a, b) = (patches::points_of(a)?, patches::points_of(b)?);
    let mut lines = Lines::new(ctx, &[a.as_slice(), b.as_slice()].concat())?;
    for &q in &b {
        for &p in &a {
            lines.join(p, q, 0);
        }
    }
    Some(lines.finish(ctx))
}

/// `apply(fork(connect, first, last), pairs)` for a frozenset of pairs of points (`dbc1a6ce`'s and
/// `ded97339`'s solvers join every pair of a `product`): the distinct lines, each built once (see
/// [`Lines`]); each element's call also charges its `first` and `last`. `None`, having charged nothing,
/// for any other function or elements, or when the call would be too deep.
fn connect_pairs(ctx: &mut Ctx, function: &Value, container: &Value) -> Option<Result<Value>> {
    let (Value::Func(f), Value::Set(pairs)) = (function, container) else { return None };
    let Func::Fork(outer, a, b) = &**f else { return None };
    if !(is_prim(outer, "connect") && is_prim(a, "first") && is_prim(b, "last")) || ctx.depth >= MAX_DEPTH {
        return None;
    }
    // A pair of small points is a 2×2 grid; of others, a tuple of two points.
    let ends = |v: &Value| match v {
        Value::Grid(g) if g.h == 2 && g.w == 2 => {
            let c = |k: usize| g.cells[k] as i64;
            Some(((c(0), c(1)), (c(2), c(3))))
        }
        Value::Tuple(t) => match **t {
            [Value::Point(i, j), Value::Point(k, l)] => Some(((i as i64, j as i64), (k as i64, l as i64))),
            _ => None,
        },
        _ => None,
    };
    let ends: Vec<_> = pairs.iter().map(ends).collect_some()?;
    let points: Vec<_> = ends.iter().flat_map(|&(p, q)| [p, q]).collect();
    let mut lines = Lines::new(ctx, &points)?;
    for &(p, q) in &ends {
        // `first` and `last` each return a point, of weight 1.
        lines.join(p, q, 2 * (prims::CALL_COST + 1));
    }
    Some(lines.finish(ctx))
}

/// Whether `f` is the primitive `name`.
fn is_prim(f: &Value, name: &str) -> bool {
    matches!(f, Value::Prim(id) if prims::get(*id).name == name)
}

/// The frozenset of `connect(p, q)` over pairs of int points, built from the distinct pairs. Two pairs give
/// the same line exactly when they are the same unordered pair (a line's ends are its first and last
/// points), and unaligned pairs all give the empty set. No call can fail but by running out of fuel (every
/// line lies in the points' bounding box, whose extent [`Lines::new`] checks against the size cap), and
/// fuel only decreases, so charging the calls' total at once ends the same way as charging them one by one.
struct Lines {
    ends: Vec<((i64, i64), (i64, i64))>,
    unaligned: bool,
    steps: usize,
}

impl Lines {
    /// For lines between `points`; `None` when their box is too big for a line to fit the size cap.
    fn new(ctx: &Ctx, points: &[(i64, i64)]) -> Option<Lines> {
        let extent = patches::bounds_of(points)
            .map_or(0, |(top, left, bottom, right)| (bottom - top).max(right - left) as usize + 1);
        ctx.check_len(extent).ok()?;
        Some(Lines { ends: Vec::new(), unaligned: false, steps: 0 })
    }

    /// One `connect(p, q)` call, which charges its line's size, and `extra` steps around it.
    fn join(&mut self, p: (i64, i64), q: (i64, i64), extra: usize) {
        let (di, dj) = (q.0 - p.0, q.1 - p.1);
        self.steps += prims::CALL_COST + extra;
        if di == 0 || dj == 0 || di == dj || di == -dj {
            self.steps += di.abs().max(dj.abs()) as usize + 1;
            self.ends.push(if p <= q { (p, q) } else { (q, p) });
        } else {
            self.unaligned = true;
        }
    }

    /// Charges the calls, then builds each distinct line once.
    fn finish(mut self, ctx: &mut Ctx) -> Result<Value> {
        ctx.charge(self.steps)?;
        self.ends.sort_unstable();
        self.ends.dedup();
        let mut lines = Vec::with_capacity(self.ends.len() + self.unaligned as usize);
        if self.unaligned {
            lines.push(Value::empty_set());
        }
        for (p, q) in self.ends {
            lines.push(patches::line(ctx, p, q)?);
        }
        Ok(Value::set(lines))
    }
}

/// `function.__code__.co_argcount`: the arity of a callable. Anything else has no `__code__`
/// (an AttributeError).
fn code_argcount(function: &Value) -> Result<usize> {
    function.arity().ok_or_else(|| Error::attribute_error("object has no attribute '__code__'"))
}

/// `type(container)(function(e) for e in container)`.
fn apply_value(ctx: &mut Ctx, function: &Value, container: &Value) -> Result<Value> {
    // A point or a cell (a vector, say, mapped through `sign`): two calls, nothing to allocate.
    if let Value::Point(..) | Value::Cell(..) = container {
        let x = call(ctx, function, &[container.item(0)]).map_err(in_generator)?;
        let y = call(ctx, function, &[container.item(1)]).map_err(in_generator)?;
        return Ok(Value::tuple2(x, y));
    }
    if let Some(lines) = connect_pairs(ctx, function, container) {
        return lines;
    }
    let kind = container.kind()?;
    let items = elems(container)?;
    let mut out = Vec::with_capacity(items.len());
    for e in items.iter() {
        out.push(call(ctx, function, std::slice::from_ref(e)).map_err(in_generator)?);
    }
    Ok(Value::of_kind(kind, out))
}

/// `tuple(function(i, j) for i, j in zip(a, b))`.
fn papply_value(ctx: &mut Ctx, function: &Value, a: &Value, b: &Value) -> Result<Value> {
    let (xs, ys) = (elems(a)?, elems(b)?);
    let mut out = Vec::with_capacity(xs.len().min(ys.len()));
    for (i, j) in xs.iter().zip(ys.iter()) {
        out.push(call_lent(ctx, function, [i, j]).map_err(in_generator)?);
    }
    Ok(Value::tuple(out))
}

/// The higher-order primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
    prim!(compose, 2, "function composition: lambda x: outer(inner(x))"),
    prim!(chain,   3, "function composition with three functions: lambda x: h(g(f(x)))"),
    prim!(matcher, 2, "construction of equality function: lambda x: function(x) == target"),
    prim!(rbind,   2, "fix the rightmost argument: lambda *args: function(*args, fixed)"),
    prim!(lbind,   2, "fix the leftmost argument: lambda *args: function(fixed, *args)"),
    prim!(power,   2, "power of function: function composed with itself n times"),
    prim!(fork,    3, "creates a wrapper function: lambda x: outer(a(x), b(x))"),
    prim!(apply,   2, "apply function to each item of container: type(container)(function(e) for e in container)"),
    prim!(rapply,  2, "apply each function in container to value: type(functions)(function(value) for function in functions)"),
    prim!(mapply,  2, "apply and merge: merge(apply(function, container))"),
    prim!(papply,  3, "apply function on two vectors: tuple(function(i, j) for i, j in zip(a, b))"),
    prim!(mpapply, 3, "apply function on two vectors and merge: merge(papply(function, a, b))"),
    prim!(prapply, 3, "apply function on cartesian product: frozenset(function(i, j) for j in b for i in a)"),
];

/// Test support: evaluating small DSL expressions such as `rbind(add, 1)` or `order(((1,), ()), size)`.
#[cfg(test)]
mod tests {
    use crate::literal::py;
    use crate::prims::sets::GENERATOR_STOP;
    use crate::prims::testing::{eval, repr, run};
    use crate::{Ctx, ErrorKind, Value, call};

    #[test]
    fn compose_builds_without_checking() {
        assert_eq!(repr("compose", &["double", "increment"]), "compose(double, increment)");
        assert_eq!(repr("compose(double, increment)", &["3"]), "8");
        assert_eq!(repr("compose(increment, double)", &["3"]), "7");
        assert_eq!(repr("compose(invert, (1, 2))", &["(1, 2)"]), "TypeError");
        // Not callable: fine to build, fails when called.
        assert_eq!(repr("compose", &["1", "2"]), "compose(1, 2)");
        assert_eq!(repr("compose(1, 2)", &["0"]), "TypeError");
        assert_eq!(repr("compose(double, increment)", &["1", "2"]), "TypeError");
        assert_eq!(repr("compose(double, add)", &["1"]), "TypeError");
    }

    #[test]
    fn chain_applies_right_to_left() {
        assert_eq!(repr("chain(double, increment, invert)", &["5"]), "-8");
        assert_eq!(repr("chain(size, merge, identity)", &["((1, 2), (3,))"]), "3");
        assert_eq!(repr("chain", &["5", "None", "()"]), "chain(5, None, ())");
        assert_eq!(repr("chain(double, increment, first)", &["()"]), "StopIteration");
    }

    #[test]
    fn matcher_compares_with_target() {
        assert_eq!(repr("matcher(even, True)", &["4"]), "True");
        assert_eq!(repr("matcher(even, True)", &["3"]), "False");
        assert_eq!(repr("matcher(even, 1)", &["4"]), "True");
        assert_eq!(repr("matcher(size, 2)", &["frozenset({1, 2})"]), "True");
        assert_eq!(repr("matcher(size, 2)", &["5"]), "TypeError");
        assert_eq!(repr("matcher", &["5", "5"]), "matcher(5, 5)");
    }

    #[test]
    fn rbind_fixes_the_last_argument() {
        assert_eq!(repr("rbind(add, 1)", &["5"]), "6");
        assert_eq!(repr("rbind(subtract, 10)", &["3"]), "-7");
        assert_eq!(repr("rbind(interval, 2)", &["0", "7"]), "(0, 2, 4, 6)");
        assert_eq!(repr("rbind(rbind(interval, 2), 7)", &["1"]), "(1, 3, 5)");
        assert_eq!(repr("rbind(add, 1)", &["5", "6"]), "TypeError");
        // A one-argument function gets the three-argument lambda, which then calls it with four.
        assert_eq!(repr("rbind(identity, 1)", &["5"]), "TypeError");
        assert_eq!(repr("rbind(identity, 1)", &["5", "6", "7"]), "TypeError");
        assert_eq!(repr("rbind", &["5", "1"]), "AttributeError");
        assert_eq!(repr("rbind", &["None", "1"]), "AttributeError");
        assert_eq!(repr("rbind", &["add", "UP"]), "rbind(add, (-1, 0))");
        assert_eq!(repr("rbind(add, UP)", &["(3, 3)"]), "(2, 3)");
    }

    #[test]
    fn lbind_fixes_the_first_argument() {
        assert_eq!(repr("lbind(subtract, 10)", &["3"]), "7");
        assert_eq!(repr("lbind(interval, 0)", &["6", "3"]), "(0, 3)");
        assert_eq!(repr("lbind(lbind(interval, 0), 6)", &["2"]), "(0, 2, 4)");
        assert_eq!(repr("lbind(greater, 5)", &["3"]), "True");
        assert_eq!(repr("lbind(rbind(subtract, 1), 10)", &["2"]), "TypeError");
        assert_eq!(repr("lbind", &["(1, 2)", "1"]), "AttributeError");
        // Arity of the bound closure follows what it wraps.
        assert_eq!(repr("rbind(lbind(branch, True), 2)", &["1"]), "1");
    }

    #[test]
    fn power_composes_repeatedly() {
        assert_eq!(repr("power", &["increment", "1"]), "increment");
        assert_eq!(repr("power", &["increment", "True"]), "increment");
        assert_eq!(repr("power(increment, 3)", &["0"]), "3");
        assert_eq!(repr("power(double, 10)", &["1"]), "1024");
        assert_eq!(repr("power(rbind(add, (1, 2)), 2)", &["(0, 0)"]), "(2, 4)");
        assert_eq!(repr("power", &["increment", "0"]), "RecursionError");
        assert_eq!(repr("power", &["increment", "-3"]), "RecursionError");
        assert_eq!(repr("power", &["increment", "False"]), "RecursionError");
        assert_eq!(repr("power", &["increment", "1000"]), "RecursionError");
        assert_eq!(repr("power", &["increment", "9223372036854775807"]), "RecursionError");
        assert_eq!(repr("power", &["increment", "(1,)"]), "TypeError");
        assert_eq!(repr("power", &["increment", "None"]), "TypeError");
        // Not callable: builds, fails on call.
        assert_eq!(repr("power", &["5", "1"]), "5");
        assert_eq!(repr("power", &["5", "2"]), "power(5, 2)");
        assert_eq!(repr("power(5, 2)", &["1"]), "TypeError");
        assert_eq!(repr("power(add, 2)", &["1"]), "TypeError");
    }

    #[test]
    fn fork_feeds_both_branches() {
        assert_eq!(repr("fork(add, identity, double)", &["5"]), "15");
        assert_eq!(repr("fork(astuple, size, first)", &["((7,), 8)"]), "(2, (7,))");
        assert_eq!(repr("fork(add, identity, first)", &["()"]), "StopIteration");
        assert_eq!(repr("fork", &["1", "2", "3"]), "fork(1, 2, 3)");
        assert_eq!(repr("fork(identity, identity, identity)", &["1"]), "TypeError");
    }

    #[test]
    fn closures_end_to_end_through_call() {
        let mut ctx = Ctx::default();
        let f = eval(&mut ctx, "compose(double, increment)").expect("builds");
        assert_eq!(call(&mut ctx, &f, &[Value::Int(4)]), Ok(Value::Int(10)));
        let g = eval(&mut ctx, "fork(add, identity, double)").expect("builds");
        assert_eq!(call(&mut ctx, &g, &[py("(1, 2)")]), Ok(py("(3, 6)")));
        let m = eval(&mut ctx, "matcher(even, True)").expect("builds");
        assert_eq!(call(&mut ctx, &m, &[Value::Int(7)]), Ok(Value::Bool(false)));
        let p = eval(&mut ctx, "power(increment, 3)").expect("builds");
        assert_eq!(call(&mut ctx, &p, &[Value::Int(-3)]), Ok(Value::Int(0)));
        let r = eval(&mut ctx, "rbind(add, 1)").expect("builds");
        assert_eq!(r.func().map(|f| f.arity()), Ok(1));
        let l = eval(&mut ctx, "lbind(interval, 0)").expect("builds");
        assert_eq!(l.func().map(|f| f.arity()), Ok(2));
        let n = eval(&mut ctx, "apply(rbind(add, 1), frozenset({1, 2, 3}))").expect("runs");
        assert_eq!(n, py("frozenset({2, 3, 4})"));
        let s = eval(&mut ctx, "sfilter(interval(0, 10, 1), matcher(even, True))").expect("runs");
        assert_eq!(s, py("(0, 2, 4, 6, 8)"));
        let o = eval(&mut ctx, "order(((1, 2, 3), (1,), ()), compose(invert, size))").expect("runs");
        assert_eq!(o, py("((1, 2, 3), (1,), ())"));
    }

    #[test]
    fn apply_maps_keeping_the_container_kind() {
        assert_eq!(repr("apply", &["double", "(1, 2, 3)"]), "(2, 4, 6)");
        assert_eq!(run("apply", &["halve", "frozenset({1, 2, 3})"]), Ok(py("frozenset({0, 1})")));
        assert_eq!(repr("apply", &["size", "((1, 2), (3, 4))"]), "(2, 2)");
        assert_eq!(repr("apply", &["first", "((1, 2), (3, 4))"]), "(1, 3)");
        assert_eq!(repr("apply", &["5", "()"]), "()");
        assert_eq!(repr("apply", &["5", "frozenset()"]), "frozenset()");
        assert_eq!(repr("apply", &["5", "(1,)"]), "TypeError");
        assert_eq!(repr("apply", &["double", "5"]), "TypeError");
        assert_eq!(repr("apply", &["add", "(1,)"]), "TypeError");
        assert_eq!(repr("apply", &["invert", "(1, ((1,), 2))"]), "TypeError");
        // A StopIteration inside the generator's body is a RuntimeError in CPython.
        assert_eq!(run("apply", &["first", "((),)"]), Err(GENERATOR_STOP));
    }

    #[test]
    fn rapply_calls_every_function() {
        assert_eq!(repr("rapply", &["(double, increment, invert)", "5"]), "(10, 6, -5)");
        assert_eq!(run("rapply", &["frozenset({double, halve})", "4"]), Ok(py("frozenset({8, 2})")));
        assert_eq!(run("rapply", &["frozenset({double, double})", "4"]), Ok(py("frozenset({8})")));
        assert_eq!(repr("rapply", &["()", "4"]), "()");
        assert_eq!(repr("rapply", &["(double, 5)", "4"]), "TypeError");
        assert_eq!(repr("rapply", &["double", "4"]), "TypeError");
        assert_eq!(run("rapply", &["(first,)", "()"]), Err(GENERATOR_STOP));
    }

    #[test]
    fn mapply_merges_the_results() {
        assert_eq!(run("mapply", &["lbind(remove, 2)", "frozenset({(1, 2), (2, 3)})"]), Ok(py("frozenset({1, 3})")));
        assert_eq!(repr("mapply", &["totuple", "((1, 2), (3,))"]), "(1, 2, 3)");
        assert_eq!(repr("mapply", &["identity", "()"]), "()");
        assert_eq!(repr("mapply", &["double", "(1, 2)"]), "TypeError");
        assert_eq!(run("mapply", &["first", "((),)"]), Err(GENERATOR_STOP));
    }

    #[test]
    fn mapply_of_shifts_matches_merge_of_apply_and_its_fuel() {
        let offsets = "frozenset({(0, 0), (1, 2), (2, 0), (-1, 5)})";
        for patch in [
            "frozenset({(0, 0), (0, 1), (2, 1)})",
            "frozenset({(3, (0, 0)), (3, (0, 1)), (5, (1, 1))})",
            "frozenset({(1, 1)})",
            // 64 stamped indices or more in a small box: straight into a bitmap.
            "asindices(canvas(0, (4, 4)))",
            "asobject(hconcat(canvas(3, (4, 2)), canvas(5, (4, 3))))",
        ] {
            let spent = |text: &str| {
                let mut ctx = Ctx::default();
                let before = ctx.fuel_left();
                (eval(&mut ctx, text), before - ctx.fuel_left())
            };
            let (fused, fused_fuel) = spent(&format!("mapply(lbind(shift, {patch}), {offsets})"));
            let (general, general_fuel) = spent(&format!("merge(apply(lbind(shift, {patch}), {offsets}))"));
            assert_eq!(fused, general, "{patch}");
            // The general form also pays for `apply`'s own call and its set of 4 shifted copies.
            assert_eq!(fused_fuel + super::prims::CALL_COST as u64 + 4, general_fuel, "{patch}");
            // Out of fuel part-way: the same outcome.
            let mut starved = Ctx::new(crate::Limits { fuel: 60, max_len: 1 << 20 });
            let text = format!("mapply(lbind(shift, {patch}), {offsets})");
            assert_eq!(eval(&mut starved, &text), Err(ErrorKind::Fuel), "{patch}");
        }
        // Offsets that are not all points, or a patch of mixed elements, take the general path.
        assert_eq!(repr("mapply", &["lbind(shift, frozenset({(0, 0)}))", "frozenset({(1, 1), 5})"]), "TypeError");
        assert_eq!(
            repr("mapply", &["lbind(shift, frozenset({(0, 0), (1, (2, 3))}))", "frozenset({(1, 1)})"]),
            "TypeError"
        );
    }

    #[test]
    fn papply_zips_and_truncates() {
        assert_eq!(repr("papply", &["add", "(1, 2, 3)", "(10, 20)"]), "(11, 22)");
        assert_eq!(repr("papply", &["astuple", "frozenset({2, 1})", "(5, 6)"]), "((1, 5), (2, 6))");
        assert_eq!(repr("papply", &["5", "()", "(1,)"]), "()");
        assert_eq!(repr("papply", &["add", "()", "5"]), "TypeError");
        assert_eq!(repr("papply", &["add", "5", "()"]), "TypeError");
        assert_eq!(repr("papply", &["double", "(1,)", "(1,)"]), "TypeError");
        assert_eq!(run("papply", &["other", "((1,),)", "(1,)"]), Err(GENERATOR_STOP));
    }

    #[test]
    fn mpapply_merges_pairwise_results() {
        assert_eq!(repr("mpapply", &["astuple", "(1, 2)", "(3, 4)"]), "(1, 3, 2, 4)");
        assert_eq!(repr("mpapply", &["combine", "((1,), (2,))", "((3,),)"]), "(1, 3)");
        assert_eq!(repr("mpapply", &["add", "(1,)", "(2,)"]), "TypeError");
        assert_eq!(repr("mpapply", &["add", "()", "()"]), "()");
    }

    #[test]
    fn prapply_covers_the_product() {
        assert_eq!(run("prapply", &["add", "(1, 2)", "frozenset({10, 20})"]), Ok(py("frozenset({11, 12, 21, 22})")));
        assert_eq!(run("prapply", &["multiply", "(1, -1)", "(0,)"]), Ok(py("frozenset({0})")));
        assert_eq!(repr("prapply", &["add", "5", "()"]), "frozenset()");
        assert_eq!(repr("prapply", &["add", "()", "5"]), "TypeError");
        assert_eq!(repr("prapply", &["add", "5", "(1,)"]), "TypeError");
        assert_eq!(repr("prapply", &["5", "(1,)", "()"]), "frozenset()");
        assert_eq!(repr("prapply", &["5", "(1,)", "(1,)"]), "TypeError");
        assert_eq!(run("prapply", &["other", "((1,),)", "(1,)"]), Err(GENERATOR_STOP));
    }

    /// Points of a `size`×`size` box from a fixed seed, shifted by `offset`: some aligned, some not.
    fn scattered(seed: &mut u64, n: usize, size: i32, offset: i32) -> Vec<Value> {
        let mut next = || {
            *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (*seed >> 33) as i32 % size + offset
        };
        (0..n).map(|_| Value::Point(next(), next())).collect()
    }

    /// Runs `f(args)` at the budgets around `total` (what the calls one by one charge, with `f`'s own
    /// charge): out of fuel below it, `expected` with the same fuel left from it on.
    fn same_at_every_budget(f: &str, args: &[Value], expected: &Value, calls: usize) {
        let f = Value::Prim(crate::prims::lookup(f).expect("a primitive"));
        let total = (calls + crate::prims::CALL_COST + expected.weight()) as u64;
        for fuel in [total - 1, total, total + 1] {
            let mut ctx = Ctx::new(crate::Limits { fuel, ..crate::Limits::default() });
            let got = call(&mut ctx, &f, args);
            if fuel < total {
                assert_eq!(got.map_err(|e| e.kind), Err(ErrorKind::Fuel), "budget {fuel}");
            } else {
                assert_eq!(got.as_ref(), Ok(expected), "budget {fuel}");
                assert_eq!(ctx.fuel_left(), fuel - total);
            }
        }
    }

    /// `prapply(connect, a, b)` and `apply(fork(connect, first, last), pairs)` take a shortcut for points:
    /// each must give what calling the function on every element gives, charge the same fuel, and run out
    /// of it at the same budgets.
    #[test]
    fn connecting_every_pair_is_calling_connect_on_each() {
        let connect = Value::Prim(crate::prims::lookup("connect").expect("connect"));
        let mut seed = 7;
        // Small points (pairs of them are 2×2 grids) and big ones (pairs are tuples), repeats included.
        for (n, size, offset) in [(12, 7, 0), (1, 3, 0), (30, 7, 0), (20, 9, 200)] {
            let (a, b) = (scattered(&mut seed, n, size, offset), scattered(&mut seed, n / 2 + 1, size, offset));
            let (a, b) = (Value::set(a), Value::tuple(b));
            let mut ctx = Ctx::default();
            let (mut lines, before) = (Vec::new(), ctx.fuel_left());
            for j in b.items().expect("items") {
                for i in a.items().expect("items") {
                    lines.push(call(&mut ctx, &connect, &[i, j.clone()]).expect("a line"));
                }
            }
            let calls = (before - ctx.fuel_left()) as usize;
            same_at_every_budget("prapply", &[connect.clone(), a.clone(), b.clone()], &Value::set(lines), calls);

            let pairs =
                eval(&mut ctx, "product").and_then(|p| call(&mut ctx, &p, &[a.clone(), a.clone()]).map_err(|e| e.kind));
            let pairs = pairs.expect("pairs");
            let fork = eval(&mut ctx, "fork(connect, first, last)").expect("a closure");
            let (mut lines, before) = (Vec::new(), ctx.fuel_left());
            for pair in pairs.items().expect("items") {
                lines.push(call(&mut ctx, &fork, &[pair]).expect("a line"));
            }
            let calls = (before - ctx.fuel_left()) as usize;
            same_at_every_budget("apply", &[fork, pairs], &Value::set(lines), calls);
        }
    }

    #[test]
    fn product_bombs_are_memory_errors() {
        let mut ctx = Ctx::new(crate::Limits { fuel: 1_000_000, max_len: 100 });
        let r = eval(&mut ctx, "prapply(add, interval(0, 20, 1), interval(0, 20, 1))");
        assert_eq!(r, Err(ErrorKind::Memory));
    }
}

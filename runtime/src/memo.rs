//! Closure calls remembered within one evaluation, so that a repeated expensive call runs once.
//!
//! Nested closures often recompute the same call: `d22278a0`'s solver filters every index of the grid once
//! per object, and for each index runs an `argmin` over all objects that does not depend on the outer object.
//! A nested closure call (one made inside another closure) that did at least [`MIN_COST`] steps of its own
//! work is noted; met a second time, it is remembered with its result and its cost, and from then on a call of
//! the same closure on the same arguments returns that result and charges that cost. Fuel therefore runs out
//! exactly where recomputing would have run it out, and every outcome is the one a run without the memo gives
//! (`Ctx::without_memo`; the tests below compare the two at every budget around the end): the memo only saves
//! time. Top-level calls, one per element of the container a primitive maps over, rarely repeat and are not
//! noted.
//!
//! The closure is recognised by its address. Arguments are compared by what [`same`] says: inline values (an
//! int, a point, a cell) by their bits, short tuples and closures by their parts (`astuple(i, obj)` is built
//! afresh at every call), sets, grids and long tuples by address (an equal copy elsewhere simply misses). An
//! entry holds the closure and the arguments, so no address it names is reused while it lives. Only
//! successful calls are remembered, each with the call depth it ran at: the recursion limit can only fail
//! deeper, so a result is reused at that depth or shallower.

use std::hash::Hasher;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::func::Func;
use crate::value::Value;

/// Steps a closure call must take, besides the remembered calls it replays, to be worth remembering: about
/// ten primitive calls, so that what remembering costs stays small beside the call it saves.
pub(crate) const MIN_COST: usize = 128;

/// Calls remembered (and expensive calls seen) per evaluation at most, and the elements their results may
/// hold in all (16 MiB of values); beyond either, nothing new is remembered.
const MAX_ENTRIES: usize = 1 << 16;
const MAX_WEIGHT: usize = 1 << 20;

/// Slots of the filter of closures that have remembered calls.
const SLOTS: usize = 256;

/// Tuples longer than this are recognised by address, not by their items.
const SHORT: usize = 8;

/// Hashes what [`same`] compares: inline values by their bits, sets, grids and long tuples by address,
/// short tuples and closures by their parts.
fn hash_into(v: &Value, h: &mut FxHasher) {
    match v {
        Value::None => h.write_u8(0),
        Value::Bool(b) => h.write_u16(0x100 | *b as u16),
        Value::Int(i) => {
            h.write_u8(2);
            h.write_i64(*i);
        }
        Value::Point(i, j) => {
            h.write_u8(3);
            h.write_u64(((*i as u32 as u64) << 32) | *j as u32 as u64);
        }
        Value::Cell(c, i, j) => {
            h.write_u8(4);
            h.write_i32(*c);
            h.write_u64(((*i as u32 as u64) << 32) | *j as u32 as u64);
        }
        Value::Prim(id) => h.write_u32(0x5_0000 | id.0 as u32),
        Value::Grid(g) => h.write_usize(Arc::as_ptr(g) as usize),
        Value::Set(s) => h.write_usize(Arc::as_ptr(s) as *const Value as usize),
        Value::Tuple(t) if t.len() > SHORT => h.write_usize(Arc::as_ptr(t) as *const Value as usize),
        Value::Tuple(t) => {
            h.write_u8(6);
            h.write_usize(t.len());
            t.iter().for_each(|item| hash_into(item, h));
        }
        Value::Func(f) => match &**f {
            Func::Compose(a, b) | Func::Matcher(a, b) => {
                h.write_u8(if matches!(&**f, Func::Compose(..)) { 7 } else { 8 });
                hash_into(a, h);
                hash_into(b, h);
            }
            Func::Chain(a, b, c) | Func::Fork(a, b, c) => {
                h.write_u8(if matches!(&**f, Func::Chain(..)) { 9 } else { 10 });
                hash_into(a, h);
                hash_into(b, h);
                hash_into(c, h);
            }
            Func::Rbind { function, fixed, arity } | Func::Lbind { function, fixed, arity } => {
                h.write_u8(if matches!(&**f, Func::Rbind { .. }) { 11 } else { 12 });
                h.write_u8(*arity);
                hash_into(function, h);
                hash_into(fixed, h);
            }
            Func::Power(function, n) => {
                h.write_u8(13);
                h.write_u32(*n);
                hash_into(function, h);
            }
        },
    }
}

/// Whether `a` and `b` are the same by [`hash_into`]'s measure (which implies `a == b`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Point(i, j), Value::Point(k, l)) => (i, j) == (k, l),
        (Value::Cell(c, i, j), Value::Cell(d, k, l)) => (c, i, j) == (d, k, l),
        (Value::Prim(x), Value::Prim(y)) => x == y,
        (Value::Grid(x), Value::Grid(y)) => Arc::ptr_eq(x, y),
        (Value::Set(x), Value::Set(y)) => Arc::ptr_eq(x, y),
        (Value::Tuple(x), Value::Tuple(y)) if x.len() > SHORT || y.len() > SHORT => Arc::ptr_eq(x, y),
        (Value::Tuple(x), Value::Tuple(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b)),
        (Value::Func(x), Value::Func(y)) => Arc::ptr_eq(x, y) || same_func(x, y),
        _ => false,
    }
}

fn same_func(x: &Func, y: &Func) -> bool {
    match (x, y) {
        (Func::Compose(a, b), Func::Compose(c, d)) | (Func::Matcher(a, b), Func::Matcher(c, d)) => {
            same(a, c) && same(b, d)
        }
        (Func::Chain(a, b, c), Func::Chain(d, e, f)) | (Func::Fork(a, b, c), Func::Fork(d, e, f)) => {
            same(a, d) && same(b, e) && same(c, f)
        }
        (Func::Rbind { function: a, fixed: b, arity: m }, Func::Rbind { function: c, fixed: d, arity: n })
        | (Func::Lbind { function: a, fixed: b, arity: m }, Func::Lbind { function: c, fixed: d, arity: n }) => {
            m == n && same(a, c) && same(b, d)
        }
        (Func::Power(a, m), Func::Power(b, n)) => m == n && same(a, b),
        _ => false,
    }
}

fn address(f: &Arc<Func>) -> usize {
    Arc::as_ptr(f) as usize
}

/// The hash of a call: the closure's address and the arguments by [`hash_into`].
fn key(func: &Arc<Func>, args: &[Value]) -> u64 {
    let mut h = FxHasher::default();
    h.write_usize(address(func));
    h.write_usize(args.len());
    args.iter().for_each(|arg| hash_into(arg, &mut h));
    h.finish()
}

struct Entry {
    /// The closure and the arguments, held so that the addresses the key names are not reused.
    func: Arc<Func>,
    args: Box<[Value]>,
    result: Value,
    cost: usize,
    depth: u32,
}

/// The calls remembered in one evaluation.
pub(crate) struct Memo {
    /// `hot[slot(f)] == address(f)` for closures with remembered calls (a collision only loses a hit).
    hot: Box<[usize; SLOTS]>,
    /// Keys of expensive calls met once: a call is remembered the second time it is met.
    seen: FxHashSet<u64>,
    entries: FxHashMap<u64, Entry>,
    /// The weight of the results held by `entries`.
    weight: usize,
}

fn slot(address: usize) -> usize {
    (address >> 4) % SLOTS
}

impl Memo {
    pub(crate) fn new() -> Memo {
        Memo { hot: Box::new([0; SLOTS]), seen: FxHashSet::default(), entries: FxHashMap::default(), weight: 0 }
    }

    /// The result and cost of an earlier call of `func` on `args` made at `depth` or deeper.
    #[inline]
    pub(crate) fn get(&self, func: &Arc<Func>, args: &[Value], depth: u32) -> Option<(Value, usize)> {
        let at = address(func);
        if self.hot[slot(at)] != at {
            return None;
        }
        let entry = self.entries.get(&key(func, args))?;
        let hit = Arc::ptr_eq(&entry.func, func)
            && depth <= entry.depth
            && entry.args.len() == args.len()
            && entry.args.iter().zip(args).all(|(a, b)| same(a, b));
        hit.then(|| (entry.result.clone(), entry.cost))
    }

    /// Notes that `func` on `args`, called at `depth`, returned `result` for `cost` steps; remembers it
    /// the second time it is noted.
    pub(crate) fn insert(&mut self, func: &Arc<Func>, args: &[Value], depth: u32, result: &Value, cost: usize) {
        let key = key(func, args);
        let first_time = if self.seen.len() < MAX_ENTRIES { self.seen.insert(key) } else { !self.seen.contains(&key) };
        if first_time || self.entries.len() >= MAX_ENTRIES || self.weight + result.weight() > MAX_WEIGHT {
            return;
        }
        self.weight += result.weight();
        let at = address(func);
        self.hot[slot(at)] = at;
        let entry = Entry { func: func.clone(), args: args.into(), result: result.clone(), cost, depth };
        self.entries.insert(key, entry);
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Memo({} calls)", self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use crate::ctx::{Ctx, Limits};
    use crate::error::ErrorKind;
    use crate::prims::testing::eval;
    use crate::value::Value;

    /// For each object `o`, the indices `i` of a 3×3 grid where `g(i) == o`, with `g(i)` the size of a
    /// 144-point patch shifted by `i`: `g` does not depend on `o`, so its nine calls repeat for every `o`.
    const REPEATS: &str = "apply(chain(lbind(sfilter, asindices(canvas(0, (3, 3)))), \
        rbind(compose, compose(size, lbind(shift, asindices(canvas(0, (12, 12)))))), \
        lbind(rbind, equality)), frozenset({144, 2, 3, 4}))";

    fn run(ctx: &mut Ctx) -> (Result<Value, ErrorKind>, u64) {
        let result = eval(ctx, REPEATS);
        (result, ctx.fuel_left())
    }

    #[test]
    fn a_repeated_call_is_replayed_at_the_same_cost() {
        let limits = Limits::default();
        let mut with = Ctx::new(limits);
        let mut without = Ctx::without_memo(limits);
        let (a, b) = (run(&mut with), run(&mut without));
        assert_eq!(a, b);
        assert!(a.0.is_ok(), "{a:?}");
        // Three of the four objects replay the nine calls the first one made.
        assert!(with.replayed > 0 && without.replayed == 0, "{} {}", with.replayed, without.replayed);
        assert!(with.memo.as_ref().is_some_and(|m| !m.entries.is_empty()));
    }

    #[test]
    fn fuel_runs_out_where_it_would_without_the_memo() {
        let needed = Limits::default().fuel - run(&mut Ctx::new(Limits::default())).1;
        // Every budget around the end, and a sample of the rest: the same outcome and the same fuel left.
        let budgets = (0..needed + 40).rev().take(400).chain((0..needed).step_by(97));
        for fuel in budgets {
            let limits = Limits { fuel, ..Limits::default() };
            let (a, b) = (run(&mut Ctx::new(limits)), run(&mut Ctx::without_memo(limits)));
            assert_eq!(a, b, "budget {fuel}");
        }
    }

    #[test]
    fn a_result_is_reused_at_its_depth_or_shallower_and_only_for_the_same_arguments() {
        let mut ctx = Ctx::default();
        let Ok(Value::Func(f)) = eval(&mut ctx, "rbind(shift, (1, 1))") else { panic!("not a closure") };
        let patch = eval(&mut ctx, "frozenset({(0, 0), (2, 3)})").unwrap_or(Value::None);
        let result = Value::Int(7);
        let mut memo = super::Memo::new();
        memo.insert(&f, std::slice::from_ref(&patch), 5, &result, 300);
        assert!(memo.get(&f, std::slice::from_ref(&patch), 5).is_none(), "remembered the first time it is met");
        memo.insert(&f, std::slice::from_ref(&patch), 5, &result, 300);
        assert_eq!(memo.get(&f, std::slice::from_ref(&patch), 5), Some((result.clone(), 300)));
        assert_eq!(memo.get(&f, std::slice::from_ref(&patch), 2), Some((result, 300)));
        assert_eq!(memo.get(&f, std::slice::from_ref(&patch), 6), None, "deeper may hit the recursion limit");
        // An equal set in another allocation is another argument; so is another closure.
        let copy = eval(&mut ctx, "frozenset({(0, 0), (2, 3)})").unwrap_or(Value::None);
        assert_eq!(copy, patch);
        assert_eq!(memo.get(&f, &[copy], 5), None);
        let Ok(Value::Func(g)) = eval(&mut ctx, "rbind(shift, (1, 1))") else { panic!("not a closure") };
        assert_eq!(memo.get(&g, std::slice::from_ref(&patch), 5), None);
    }
}

//! Closure calls remembered within one evaluation, so that a repeated expensive call runs once.
//!
//! Nested closures often recompute the same call: `d22278a0`'s solver filters every index of the grid once
//! per object, and for each index runs an `argmin` over all objects that does not depend on the outer object.
//! A nested closure call (one made inside another closure) that did at least [`MIN_COST`] steps of its own
//! work is remembered with its result and its cost, and from then on a call of the same closure on the same
//! arguments returns that result and charges that cost. Fuel therefore runs out exactly where recomputing
//! would have run it out, and every outcome is the one a run without the memo gives (`Ctx::without_memo`; the
//! tests below compare the two at every budget around the end): the memo only saves time. Top-level calls,
//! one per element of the container a primitive maps over, rarely repeat and are not remembered; nor are
//! calls of a closure with a single owner. Most of those are built for one call and dropped after it, like
//! the `compose(f, lbind(astuple, i))` that `d22278a0`'s solver builds afresh for every index `i`: since the
//! memo tells closures apart by address, no later call can be of it, and remembering its calls (half of
//! the expensive calls in that solver) would be work for nothing. A closure whose one owner is a container
//! loses its repeats, which only costs time.
//!
//! The closure is recognised by its address. Arguments are compared by what [`same`] says: inline values (an
//! int, a point, a cell) by their bits, short tuples and closures by their parts (`astuple(i, obj)` is built
//! afresh at every call), sets, grids and long tuples by address (an equal copy elsewhere simply misses);
//! arguments with more than [`MAX_NODES`] such parts are not remembered. An entry holds the closure and the
//! arguments, so no address it names is reused while it lives. Only successful calls are remembered, each
//! with the call depth it ran at: the recursion limit can only fail deeper, so a result is reused at that
//! depth or shallower.

use std::hash::Hasher;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use crate::elements::Elements;
use crate::func::Func;
use crate::value::Value;

/// Steps a closure call must take, besides the remembered calls it replays, to be worth remembering: about
/// ten primitive calls, so that what remembering costs stays small beside the call it saves.
pub(crate) const MIN_COST: usize = 128;

/// Calls remembered per evaluation at most, and the items their entries may keep alive in all (the
/// elements of results, and of the sets, grids and long tuples among the arguments; a million items of 24
/// bytes at most); beyond either, nothing new is remembered. 2^14 keeps the table within the core's cache:
/// `d22278a0`'s solver, the memo's main user, scores 10–15 % faster than with 2^15 or 2^16 (and as fast as
/// with 2^13).
const MAX_ENTRIES: usize = 1 << 14;
const MAX_WEIGHT: usize = 1 << 20;

/// Slots of the filter of closures that have remembered calls.
const SLOTS: usize = 256;

/// Tuples longer than this are recognised by address, not by their items.
const SHORT: usize = 8;

/// Values a key may visit (closures, short tuples and their parts). A call with bigger arguments is not
/// remembered: a tuple can share its parts (`power(fork(astuple, identity, identity), 60)` is 61 cheap
/// tuples that read as 2^61 items), and walking them would be work no step pays for.
const MAX_NODES: u32 = 64;

/// The hash of a call's arguments, as [`same`] compares them, and the items of the sets, grids and long
/// tuples they hold (what remembering the call keeps alive).
struct Walk {
    hasher: FxHasher,
    nodes_left: u32,
    held: usize,
}

impl Walk {
    /// Hashes `v`: inline values by their bits, sets, grids and long tuples by address, short tuples and
    /// closures by their parts. `None` when that takes more than [`MAX_NODES`] values.
    fn value(&mut self, v: &Value) -> Option<()> {
        self.nodes_left = self.nodes_left.checked_sub(1)?;
        let h = &mut self.hasher;
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
            Value::Grid(g) => {
                h.write_usize(Arc::as_ptr(g) as usize);
                self.held += g.cells.len();
            }
            Value::Set(items) => {
                h.write_u8(6);
                h.write_usize(items.address());
                self.held += items.len();
            }
            Value::Tuple(items) if items.len() > SHORT => {
                h.write_u8(7);
                h.write_usize(items.address());
                self.held += items.len();
            }
            Value::Tuple(items) => self.short_tuple(items.iter())?,
            Value::Func(f) => {
                h.write_u8(9);
                match &**f {
                    Func::Compose(a, b) | Func::Matcher(a, b) => {
                        h.write_u8(matches!(&**f, Func::Compose(..)) as u8);
                        self.value(a)?;
                        self.value(b)?;
                    }
                    Func::Chain(a, b, c) | Func::Fork(a, b, c) => {
                        h.write_u8(2 + matches!(&**f, Func::Chain(..)) as u8);
                        self.value(a)?;
                        self.value(b)?;
                        self.value(c)?;
                    }
                    Func::Rbind { function, fixed, arity } | Func::Lbind { function, fixed, arity } => {
                        h.write_u8(4 + matches!(&**f, Func::Rbind { .. }) as u8);
                        h.write_u8(*arity);
                        self.value(function)?;
                        self.value(fixed)?;
                    }
                    Func::Power(function, n) => {
                        h.write_u8(6);
                        h.write_u32(*n);
                        self.value(function)?;
                    }
                }
            }
        }
        Some(())
    }
}

impl Walk {
    /// A walk of a call of `func` on `nargs` arguments, which [`Walk::value`] then hashes one by one.
    fn call(func: &Arc<Func>, nargs: usize) -> Walk {
        let mut walk = Walk { hasher: FxHasher::default(), nodes_left: MAX_NODES, held: 0 };
        walk.hasher.write_usize(address(func));
        walk.hasher.write_usize(nargs);
        walk
    }

    /// Hashes a tuple of at most [`SHORT`] items by its items (the node it is has been counted).
    fn short_tuple<'a>(&mut self, items: impl ExactSizeIterator<Item = &'a Value>) -> Option<()> {
        self.hasher.write_u8(8);
        self.hasher.write_usize(items.len());
        for item in items {
            self.value(item)?;
        }
        Some(())
    }
}

/// Whether `a` and `b` are the same by [`Walk::value`]'s measure (which implies `a == b`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Point(i, j), Value::Point(k, l)) => (i, j) == (k, l),
        (Value::Cell(c, i, j), Value::Cell(d, k, l)) => (c, i, j) == (d, k, l),
        (Value::Prim(x), Value::Prim(y)) => x == y,
        (Value::Grid(x), Value::Grid(y)) => Arc::ptr_eq(x, y),
        (Value::Set(x), Value::Set(y)) => Elements::ptr_eq(x, y),
        (Value::Tuple(x), Value::Tuple(y)) if Elements::ptr_eq(x, y) => true,
        (Value::Tuple(x), Value::Tuple(y)) if x.len() > SHORT || y.len() > SHORT => false,
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

/// The hash of a call (the closure's address and the arguments, by [`Walk::value`]) and the items its
/// arguments hold; `None` for arguments too big to walk.
fn key(func: &Arc<Func>, args: &[Value]) -> Option<(u64, usize)> {
    let mut walk = Walk::call(func, args.len());
    for arg in args {
        walk.value(arg)?;
    }
    Some((walk.hasher.finish(), walk.held))
}

struct Entry {
    /// The closure and the arguments, held so that the addresses the key names are not reused.
    func: Arc<Func>,
    args: Args,
    result: Value,
    cost: usize,
    depth: u32,
    /// Items the entry keeps alive: the result's and those the arguments hold.
    weight: usize,
}

/// The arguments of a remembered call: most closures take one, kept inline (no allocation to make, free
/// or follow).
enum Args {
    One(Value),
    Many(Box<[Value]>),
}

impl Args {
    fn new(args: &[Value]) -> Args {
        match args {
            [a] => Args::One(a.clone()),
            _ => Args::Many(args.into()),
        }
    }

    fn as_slice(&self) -> &[Value] {
        match self {
            Args::One(a) => std::slice::from_ref(a),
            Args::Many(args) => args,
        }
    }
}

/// The calls remembered in one evaluation.
pub(crate) struct Memo {
    /// The address of a closure with remembered calls, in the slot its address picks (a collision only
    /// loses hits; a closure freed with its entries can stay here, and then `get` finds no entry).
    hot: Box<[usize; SLOTS]>,
    entries: FxHashMap<u64, Entry>,
    /// The items `entries` keep alive.
    weight: usize,
}

fn slot(address: usize) -> usize {
    (address >> 4) % SLOTS
}

impl Memo {
    pub(crate) fn new() -> Memo {
        Memo { hot: Box::new([0; SLOTS]), entries: FxHashMap::default(), weight: 0 }
    }

    /// The result and cost of an earlier call of `func` on `args` made at `depth` or deeper.
    #[inline]
    pub(crate) fn get(&self, func: &Arc<Func>, args: &[Value], depth: u32) -> Option<(Value, usize)> {
        self.find(
            func,
            depth,
            || Some(key(func, args)?.0),
            |found| found.len() == args.len() && found.iter().zip(args).all(|(a, b)| same(a, b)),
        )
    }

    /// [`Memo::get`] for a call of `func` on the one argument `astuple(a, b)`, without building that
    /// pair: the caller has checked that it would be a tuple of `a` and `b` ([`Value::pair_shape`]).
    #[inline]
    pub(crate) fn get_pair(&self, func: &Arc<Func>, a: &Value, b: &Value, depth: u32) -> Option<(Value, usize)> {
        let hash = || {
            // What `key` makes of the one argument, a short tuple: the node it is, then its items.
            let mut walk = Walk::call(func, 1);
            walk.nodes_left -= 1;
            walk.short_tuple([a, b].into_iter())?;
            Some(walk.hasher.finish())
        };
        self.find(
            func,
            depth,
            hash,
            |found| matches!(found, [Value::Tuple(t)] if t.len() == 2 && same(&t[0], a) && same(&t[1], b)),
        )
    }

    /// The remembered call of `func` whose key is `hash()` and whose arguments `same_args` accepts, made
    /// at `depth` or deeper. The key is only made for a closure with remembered calls.
    #[inline]
    fn find(
        &self,
        func: &Arc<Func>,
        depth: u32,
        hash: impl FnOnce() -> Option<u64>,
        same_args: impl FnOnce(&[Value]) -> bool,
    ) -> Option<(Value, usize)> {
        let at = address(func);
        if self.hot[slot(at)] != at {
            return None;
        }
        let entry = self.entries.get(&hash()?)?;
        let hit = Arc::ptr_eq(&entry.func, func) && depth <= entry.depth && same_args(entry.args.as_slice());
        hit.then(|| (entry.result.clone(), entry.cost))
    }

    /// Remembers that `func` on `args`, called at `depth`, returned `result` for `cost` steps.
    pub(crate) fn insert(&mut self, func: &Arc<Func>, args: &[Value], depth: u32, result: &Value, cost: usize) {
        // A full table takes nothing new: checked before the key is made, since an evaluation that fills it
        // (`d22278a0`'s solver on a grid of many objects) goes on offering calls until its fuel runs out.
        if self.entries.len() >= MAX_ENTRIES {
            return;
        }
        let Some((key, held)) = key(func, args) else { return };
        let weight = result.weight() + held;
        if self.weight + weight > MAX_WEIGHT {
            return;
        }
        let at = address(func);
        self.hot[slot(at)] = at;
        let entry = Entry { func: func.clone(), args: Args::new(args), result: result.clone(), cost, depth, weight };
        self.weight += weight;
        if let Some(replaced) = self.entries.insert(key, entry) {
            self.weight -= replaced.weight;
        }
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
        let (a, b) = (run(&mut with), run(&mut Ctx::without_memo(limits)));
        assert_eq!(a, b);
        assert!(a.0.is_ok(), "{a:?}");
        // The first object remembers the nine calls of `g`, the other three replay them: 27 calls of 185
        // steps (a shift of 144 points, 20 + 144, then a size, 20 + 1).
        assert_eq!(with.replayed, 27 * 185);
    }

    #[test]
    fn calls_of_a_closure_with_one_owner_are_not_remembered() {
        // `size(shift(P, (1, 1)))` three times per closure, nested, P a 144-point patch: 185 steps each time.
        let patch = "asindices(canvas(0, (12, 12)))";
        let three = "((1, 1), (1, 1), (1, 1))";
        let closure = format!("compose(size, lbind(shift, {patch}))");
        // Held twice, by a pair: the first call is remembered and the five others replayed.
        let held = format!("apply(rbind(apply, {three}), fork(astuple, identity, identity)({closure}))");
        // Built afresh by `lbind(compose, size)` for the one `apply` it is passed to, which alone holds it:
        // only the calls of the shift inside it (held by the tuple and by it) are replayed, 164 steps each.
        let fresh = format!("apply(compose(rbind(apply, {three}), lbind(compose, size)), (lbind(shift, {patch}),))");
        let cases = [(held, "((144, 144, 144), (144, 144, 144))", 5 * 185), (fresh, "((144, 144, 144),)", 2 * 164)];
        for (text, value, replayed) in cases {
            let limits = Limits::default();
            let mut with = Ctx::new(limits);
            let (a, b) = (eval(&mut with, &text), eval(&mut Ctx::without_memo(limits), &text));
            assert_eq!(a, b, "{text}");
            assert_eq!(a.as_ref().map(ToString::to_string), Ok(value.to_string()), "{text}");
            assert_eq!(with.replayed, replayed, "{text}");
        }
    }

    /// For each patch `o` of three, the indices `i` of a 3×3 grid where the largest of the other two
    /// patches, each measured by `h((i, obj))` (a shift of `obj` by `i`, then a size), is not zero: the
    /// shape of `d22278a0`'s third filter. The measure is `compose(h, lbind(astuple, i))`, built afresh for
    /// every index, so its calls are replayed without building the pair; `rbind` puts the index second.
    fn pairs(bind: &str, h: &str) -> String {
        let patches = "apply(compose(asindices, lbind(canvas, 0)), ((12, 12), (11, 13), (10, 14)))";
        let measure = format!("compose(lbind(compose, {h}), lbind({bind}, astuple))");
        format!(
            "apply(compose(lbind(sfilter, asindices(canvas(0, (3, 3)))), chain(rbind(compose, {measure}), \
             lbind(lbind, valmax), rbind(remove, {patches}))), {patches})"
        )
    }

    #[test]
    fn a_pair_built_for_a_remembered_call_is_replayed_at_the_same_cost() {
        let cases = [
            pairs("lbind", "compose(size, fork(shift, last, first))"),
            pairs("rbind", "compose(size, fork(shift, first, last))"),
        ];
        for text in cases {
            let needed = Limits::default().fuel - {
                let mut ctx = Ctx::new(Limits::default());
                let value = eval(&mut ctx, &text);
                assert!(matches!(&value, Ok(Value::Tuple(t)) if t.len() == 3), "{text}: {value:?}");
                assert!(ctx.replayed > 0, "{text}");
                ctx.fuel_left()
            };
            let budgets = (0..needed + 40).rev().take(300).chain((0..needed).step_by(89));
            for fuel in budgets {
                let limits = Limits { fuel, ..Limits::default() };
                let (mut with, mut without) = (Ctx::new(limits), Ctx::without_memo(limits));
                let (a, b) = (eval(&mut with, &text), eval(&mut without, &text));
                assert_eq!((a, with.fuel_left()), (b, without.fuel_left()), "{text}: budget {fuel}");
            }
        }
    }

    #[test]
    fn arguments_with_shared_parts_are_not_walked() {
        // 61 tuples, each of the one before twice: 2^61 items read as a tree. The outer closure is an
        // expensive nested call (a 144-cell canvas), so without a bound on the walk its key never finishes.
        let text = "compose(compose(rbind(canvas, (12, 12)), size), identity)\
            (power(fork(astuple, identity, identity), 60)(None))";
        let limits = Limits::default();
        let mut with = Ctx::new(limits);
        let a = eval(&mut with, text);
        assert_eq!(a, eval(&mut Ctx::without_memo(limits), text));
        assert!(matches!(a, Ok(Value::Grid(_))), "{a:?}");
        // The walk gives up long before it has read a million items (2^20 for 19 levels).
        let Ok(Value::Func(f)) = eval(&mut with, "rbind(shift, (1, 1))") else { panic!("not a closure") };
        let shared = eval(&mut with, "power(fork(astuple, identity, identity), 19)(None)").expect("a tuple");
        assert!(super::key(&f, &[shared]).is_none());
        let small = eval(&mut with, "power(fork(astuple, identity, identity), 4)(None)").expect("a tuple");
        assert!(super::key(&f, &[small]).is_some());
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
        let patch = eval(&mut ctx, "frozenset({(0, 0), (2, 3)})").expect("a set");
        let result = Value::Int(7);
        let mut memo = super::Memo::new();
        assert!(memo.get(&f, std::slice::from_ref(&patch), 5).is_none());
        memo.insert(&f, std::slice::from_ref(&patch), 5, &result, 300);
        assert_eq!(memo.get(&f, std::slice::from_ref(&patch), 5), Some((result.clone(), 300)));
        assert_eq!(memo.get(&f, std::slice::from_ref(&patch), 2), Some((result, 300)));
        assert_eq!(memo.get(&f, std::slice::from_ref(&patch), 6), None, "deeper may hit the recursion limit");
        // An equal set in another allocation is another argument; so is another closure.
        let copy = eval(&mut ctx, "frozenset({(0, 0), (2, 3)})").expect("a set");
        assert_eq!(copy, patch);
        assert_eq!(memo.get(&f, &[copy], 5), None);
        let Ok(Value::Func(g)) = eval(&mut ctx, "rbind(shift, (1, 1))") else { panic!("not a closure") };
        assert_eq!(memo.get(&g, std::slice::from_ref(&patch), 5), None);
    }
}

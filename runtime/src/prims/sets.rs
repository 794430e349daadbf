//! Containers: tuples and frozensets alike, as arc-dsl's `type(container)(…)` idiom treats them.
//!
//! Iterating a frozenset goes in sorted order (the runtime's contract), so `first`, ties in `argmax`
//! and the like follow that order. Two Python internals are reproduced exactly because results depend
//! on them: `sorted` is CPython's timsort (so keys that are only partially ordered, such as frozensets,
//! come out as in CPython), and `set(tuple)` iterates in CPython's hash-table order (so `mostcommon`
//! breaks ties as CPython does).
//!
//! A `StopIteration` raised inside a generator expression's body becomes a `RuntimeError` in Python
//! (PEP 479); [`in_generator`] applies that to the callbacks of `sfilter`, `extract`, `apply`, ….

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

use crate::ctx::Ctx;
use crate::error::{Error, ErrorKind, Result};
use crate::func::call;
use crate::prims::{Primitive, bad_type, prim};
use crate::value::{CollectExact, Grid, Kind, Value, py_gt, py_lt};

/// `value in container`.
fn contained(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (value, container) = (&args[0], &args[1]);
    if let Value::Tuple(t) = container {
        ctx.charge(t.len())?;
    }
    Ok(Value::Bool(container.contains(value)?))
}

/// `combine(a, b)`: `type(a)((*a, *b))`.
fn combine(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (a, b) = (&args[0], &args[1]);
    let kind = a.kind()?;
    let n = a.len()?.checked_add(b.len()?).ok_or_else(Error::memory)?;
    ctx.check_len(n)?;
    if let (Value::Set(x), Value::Set(y)) = (a, b) {
        return Ok(Value::set_from_sorted(union_sorted(x, y)));
    }
    let mut items = a.to_vec()?;
    items.extend(b.items()?);
    Ok(Value::of_kind(kind, items))
}

/// `intersection(a, b)`: `a & b` (frozensets intersect, ints and bools AND bitwise).
fn intersection(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    match (&args[0], &args[1]) {
        (Value::Set(x), Value::Set(y)) => {
            ctx.charge(x.len() + y.len())?;
            let (small, large) = if x.len() <= y.len() { (x, y) } else { (y, x) };
            let kept = small.iter().filter(|e| large.binary_search_by(|f| f.total_cmp(e)).is_ok());
            Ok(Value::set_from_sorted(kept.cloned().collect()))
        }
        (Value::Bool(p), Value::Bool(q)) => Ok(Value::Bool(*p && *q)),
        (x, y) => match (x.as_int(), y.as_int()) {
            (Some(p), Some(q)) => Ok(Value::Int(p & q)),
            _ => Err(bad_type()),
        },
    }
}

/// `difference(a, b)`: `type(a)(e for e in a if e not in b)`.
fn difference(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (a, b) = (&args[0], &args[1]);
    let kind = a.kind()?;
    let items = elems(a)?;
    if items.is_empty() {
        return Ok(Value::of_kind(kind, Vec::new()));
    }
    ctx.charge(items.len() + b.len().unwrap_or(0))?;
    let kept: Vec<Value> = match b {
        // Two frozensets, both in storage order: one walk over the two.
        Value::Set(t) if kind == Kind::Set => {
            let mut rest = &t[..];
            let mut kept = Vec::with_capacity(items.len());
            for e in items.iter() {
                while let Some((first, tail)) = rest.split_first()
                    && first.total_cmp(e) == std::cmp::Ordering::Less
                {
                    rest = tail;
                }
                if rest.first().is_none_or(|first| first.total_cmp(e) != std::cmp::Ordering::Equal) {
                    kept.push(e.clone());
                }
            }
            kept
        }
        Value::Tuple(t) if t.len() > 8 => {
            let lookup: FxHashSet<&Value> = t.iter().collect();
            items.iter().filter(|e| !lookup.contains(e)).cloned().collect()
        }
        _ => {
            let mut kept = Vec::with_capacity(items.len());
            for e in items.iter() {
                if !b.contains(e)? {
                    kept.push(e.clone());
                }
            }
            kept
        }
    };
    Ok(rebuild(kind, kept))
}

/// `dedupe(tup)`: the first occurrence of each element, in order.
fn dedupe(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let tup = &args[0];
    let items = elems(tup)?;
    if matches!(tup, Value::Set(_)) && !items.is_empty() {
        // CPython: `tup.index` does not exist on a frozenset (AttributeError).
        return Err(no_attribute());
    }
    ctx.charge(items.len())?;
    let mut seen = FxHashSet::with_capacity_and_hasher(items.len(), Default::default());
    let kept = items.iter().filter(|e| seen.insert(*e)).cloned().collect();
    Ok(Value::tuple(kept))
}

/// `order(container, compfunc)`: `tuple(sorted(container, key=compfunc))`.
fn order(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (container, compfunc) = (&args[0], &args[1]);
    let items = elems(container)?;
    let mut keys = Vec::with_capacity(items.len());
    for e in items.iter() {
        keys.push(call(ctx, compfunc, std::slice::from_ref(e))?);
    }
    let perm = py_sort(ctx, &keys)?;
    Ok(Value::tuple(perm.into_iter().map(|k| items[k].clone()).collect()))
}

/// `repeat(item, num)`: `tuple(item for i in range(num))`.
fn repeat(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let num = args[1].as_int().ok_or_else(not_an_integer)?;
    let n = usize::try_from(num.max(0)).map_err(|_| Error::memory())?;
    ctx.check_len(n)?;
    Ok(Value::tuple(vec![args[0].clone(); n]))
}

/// `size(container)`: `len(container)`.
fn size(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Int(args[0].len()? as i64))
}

/// `merge(containers)`: `type(containers)(e for c in containers for e in c)`.
fn merge(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    merge_value(ctx, &args[0])
}

/// `maximum(container)`: `max(container, default=0)`.
fn maximum(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(extreme(ctx, &args[0], Extreme::Max)?.unwrap_or(Value::Int(0)))
}

/// `minimum(container)`: `min(container, default=0)`.
fn minimum(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(extreme(ctx, &args[0], Extreme::Min)?.unwrap_or(Value::Int(0)))
}

/// `valmax(container, compfunc)`: `compfunc(max(container, key=compfunc, default=0))`.
fn valmax(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let best = extreme_by(ctx, &args[0], &args[1], Extreme::Max)?.unwrap_or(Value::Int(0));
    call(ctx, &args[1], &[best])
}

/// `valmin(container, compfunc)`: `compfunc(min(container, key=compfunc, default=0))`.
fn valmin(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let best = extreme_by(ctx, &args[0], &args[1], Extreme::Min)?.unwrap_or(Value::Int(0));
    call(ctx, &args[1], &[best])
}

/// `argmax(container, compfunc)`: `max(container, key=compfunc)`.
fn argmax(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    extreme_by(ctx, &args[0], &args[1], Extreme::Max)?.ok_or_else(empty_max)
}

/// `argmin(container, compfunc)`: `min(container, key=compfunc)`.
fn argmin(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    extreme_by(ctx, &args[0], &args[1], Extreme::Min)?.ok_or_else(empty_max)
}

/// `mostcommon(container)`: `max(set(container), key=container.count)`.
fn mostcommon(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    common(ctx, &args[0], Extreme::Max)
}

/// `leastcommon(container)`: `min(set(container), key=container.count)`.
fn leastcommon(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    common(ctx, &args[0], Extreme::Min)
}

/// `initset(value)`: `frozenset({value})`.
fn initset(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    // One allocation, the set's own (a `Vec` first would be a second).
    Ok(Value::Set(crate::elements::Elements::from([args[0].clone()])))
}

/// `sfilter(container, condition)`: `type(container)(e for e in container if condition(e))`.
fn sfilter(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    filter_value(ctx, &args[0], &args[1])
}

/// `mfilter(container, function)`: `merge(sfilter(container, function))`.
fn mfilter(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let kept = filter_value(ctx, &args[0], &args[1])?;
    merge_value(ctx, &kept)
}

/// `extract(container, condition)`: `next(e for e in container if condition(e))`.
fn extract(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (container, condition) = (&args[0], &args[1]);
    for e in elems(container)?.iter() {
        ctx.charge(1)?;
        if call(ctx, condition, std::slice::from_ref(e)).map_err(in_generator)?.truthy() {
            return Ok(e.clone());
        }
    }
    Err(Error::stop_iteration())
}

/// `totuple(container)`: `tuple(container)`.
fn totuple(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let container = &args[0];
    if container.is_tuple_like() {
        return Ok(container.clone());
    }
    Ok(Value::tuple(container.to_vec()?))
}

/// `first(container)`: `next(iter(container))`.
fn first(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    first_of(&args[0])
}

/// `last(container)`: `max(enumerate(container))[1]`, the last element.
fn last(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let container = &args[0];
    match container.len()? {
        0 => Err(empty_max()),
        n => Ok(container.item(n - 1)),
    }
}

/// `insert(value, container)`: `container.union(frozenset({value}))`.
fn insert(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (value, container) = (&args[0], &args[1]);
    match container {
        Value::Set(s) => match s.binary_search_by(|e| e.total_cmp(value)) {
            Ok(_) => Ok(container.clone()),
            Err(k) => {
                let mut items = Vec::with_capacity(s.len() + 1);
                items.extend_from_slice(&s[..k]);
                items.push(value.clone());
                items.extend_from_slice(&s[k..]);
                Ok(Value::set_from_sorted(items))
            }
        },
        // CPython: only frozensets have `.union` (AttributeError otherwise).
        _ => Err(no_attribute()),
    }
}

/// `remove(value, container)`: `type(container)(e for e in container if e != value)`.
fn remove(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    remove_value(ctx, &args[0], &args[1])
}

/// `other(container, value)`: `first(remove(value, container))`.
fn other(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    first_of(&remove_value(ctx, &args[1], &args[0])?)
}

/// `interval(start, stop, step)`: `tuple(range(start, stop, step))`.
fn interval(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let start = args[0].as_int().ok_or_else(not_an_integer)? as i128;
    let stop = args[1].as_int().ok_or_else(not_an_integer)? as i128;
    let step = args[2].as_int().ok_or_else(not_an_integer)? as i128;
    if step == 0 {
        return Err(Error::value_error("range() arg 3 must not be zero"));
    }
    let len = if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / -step + 1
    } else {
        0
    };
    let len = usize::try_from(len).map_err(|_| Error::memory())?;
    ctx.check_len(len)?;
    Ok(Value::tuple((0..len as i128).map(|k| Value::Int((start + k * step) as i64)).collect()))
}

/// `product(a, b)`: `frozenset((i, j) for j in b for i in a)`.
fn product(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (a, b) = (&args[0], &args[1]);
    let bs = elems(b)?;
    if bs.is_empty() {
        return Ok(Value::empty_set());
    }
    let as_ = elems(a)?;
    let n = as_.len().checked_mul(bs.len()).ok_or_else(Error::memory)?;
    ctx.check_len(n)?;
    ctx.charge(n)?;
    // Built in the order of the pairs, not Python's `for j in b for i in a`: from two frozensets (sorted,
    // free of duplicates) the pairs come out sorted and distinct, so the set is made without sorting or
    // checking (a product can have a million pairs).
    let mut items = Vec::with_capacity(n);
    for i in as_.iter() {
        for j in bs.iter() {
            items.push(Value::tuple2(i.clone(), j.clone()));
        }
    }
    Ok(if matches!((a, b), (Value::Set(_), Value::Set(_))) { Value::set_from_sorted(items) } else { Value::set(items) })
}

/// `pair(a, b)`: `tuple(zip(a, b))`.
fn pair(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (xs, ys) = (elems(&args[0])?, elems(&args[1])?);
    let zipped = xs.iter().zip(ys.iter()).map(|(x, y)| Value::tuple2(x.clone(), y.clone()));
    Ok(Value::tuple(zipped.collect()))
}

// ---- helpers the functional family shares -----------------------------------------------------

/// The kind a `StopIteration` escaping a generator expression's body turns into. CPython raises
/// `RuntimeError` ("generator raised StopIteration"); until the runtime has that kind, it stays a
/// `StopIteration`. Change this one line when `ErrorKind::RuntimeError` exists.
pub(super) const GENERATOR_STOP: ErrorKind = ErrorKind::RuntimeError;

/// Maps an error raised inside a generator expression's body as PEP 479 does: `StopIteration`
/// becomes a `RuntimeError` ([`GENERATOR_STOP`]); anything else passes through.
pub(super) fn in_generator(e: Error) -> Error {
    if e.kind == ErrorKind::StopIteration { Error::new(GENERATOR_STOP, "generator raised StopIteration") } else { e }
}

/// The elements of a tuple or frozenset in iteration order, borrowed when stored as a slice;
/// `TypeError` for anything not iterable.
pub(super) fn elems(v: &Value) -> Result<Cow<'_, [Value]>> {
    match v.as_slice() {
        Some(s) => Ok(Cow::Borrowed(s)),
        None => Ok(Cow::Owned(v.to_vec()?)),
    }
}

/// `type(container)(items)` for items taken from `container` in order (so a frozenset's stay sorted).
fn rebuild(kind: Kind, items: Vec<Value>) -> Value {
    match kind {
        Kind::Set => Value::set_from_sorted(items),
        Kind::Tuple => Value::tuple(items),
    }
}

/// `merge(containers)`: every element of every container, in a container of the outer kind.
pub(super) fn merge_value(ctx: &mut Ctx, containers: &Value) -> Result<Value> {
    let kind = containers.kind()?;
    let outer = elems(containers)?;
    let mut total = 0usize;
    for c in outer.iter() {
        total = total.checked_add(c.len()?).ok_or_else(Error::memory)?;
    }
    ctx.check_len(total)?;
    ctx.charge(total)?;
    // A tuple of grids of one width (what `hsplit` and `vsplit` give) merges into a grid: its rows, one
    // after the other, without making each row a tuple of values first.
    if kind == Kind::Tuple
        && let Some(Value::Grid(first)) = outer.first()
        && outer.iter().all(|c| matches!(c, Value::Grid(g) if g.w == first.w))
    {
        let mut cells = Vec::with_capacity(total * first.w);
        for c in outer.iter() {
            if let Value::Grid(g) = c {
                cells.extend_from_slice(&g.cells);
            }
        }
        return Ok(Grid::new(total, first.w, cells.into()).into_value());
    }
    if kind == Kind::Set
        && let Some(union) = Value::union_of_keyed(&outer)
    {
        return Ok(union);
    }
    let mut items = Vec::with_capacity(total);
    for c in outer.iter() {
        match c.as_slice() {
            Some(s) => items.extend_from_slice(s),
            None => items.extend(c.items()?),
        }
    }
    Ok(Value::of_kind(kind, items))
}

/// `type(container)(e for e in container if condition(e))`.
fn filter_value(ctx: &mut Ctx, container: &Value, condition: &Value) -> Result<Value> {
    let kind = container.kind()?;
    let items = elems(container)?;
    ctx.charge(items.len())?;
    let mut kept = Vec::new();
    for e in items.iter() {
        // The verdict is read where the call wrote it (see `func::then_call`).
        let verdict = call(ctx, condition, std::slice::from_ref(e));
        let Ok(v) = &verdict else { return verdict.map_err(in_generator) };
        if v.truthy() {
            kept.push(e.clone());
        }
    }
    Ok(rebuild(kind, kept))
}

/// `type(container)(e for e in container if e != value)`.
fn remove_value(ctx: &mut Ctx, value: &Value, container: &Value) -> Result<Value> {
    let kind = container.kind()?;
    if let Value::Set(s) = container {
        return Ok(match s.binary_search_by(|e| e.total_cmp(value)) {
            Ok(k) => {
                let mut items = s.to_vec();
                items.remove(k);
                Value::set_from_sorted(items)
            }
            Err(_) => container.clone(),
        });
    }
    let items = elems(container)?;
    ctx.charge(items.len())?;
    Ok(rebuild(kind, items.iter().filter(|e| *e != value).cloned().collect()))
}

/// `next(iter(container))`.
fn first_of(container: &Value) -> Result<Value> {
    match container.len()? {
        0 => Err(Error::stop_iteration()),
        _ => Ok(container.item(0)),
    }
}

/// Which end `max`/`min` look for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extreme {
    Max,
    Min,
}

impl Extreme {
    /// Whether `candidate` replaces `best`: Python's `max` keeps the first of equals (`>`), `min`
    /// likewise (`<`).
    fn beats(self, candidate: &Value, best: &Value) -> Result<bool> {
        match self {
            Extreme::Max => py_gt(candidate, best),
            Extreme::Min => py_lt(candidate, best),
        }
    }
}

/// `max(container)` / `min(container)`; `None` when empty.
fn extreme(ctx: &mut Ctx, container: &Value, which: Extreme) -> Result<Option<Value>> {
    let items = elems(container)?;
    ctx.charge(items.len())?;
    let mut best: Option<&Value> = None;
    for e in items.iter() {
        match best {
            Some(b) if !which.beats(e, b)? => {}
            _ => best = Some(e),
        }
    }
    Ok(best.cloned())
}

/// `max(container, key=f)` / `min(container, key=f)`; `None` when empty. Keys are computed and compared
/// one element at a time, as CPython interleaves them.
fn extreme_by(ctx: &mut Ctx, container: &Value, f: &Value, which: Extreme) -> Result<Option<Value>> {
    let items = elems(container)?;
    let mut best: Option<(&Value, Value)> = None;
    for e in items.iter() {
        // The key is compared where the call wrote it, and moved only when it wins.
        let key = call(ctx, f, std::slice::from_ref(e));
        let Ok(k) = &key else { return key.map(Some) };
        match &best {
            Some((_, best_key)) if !which.beats(k, best_key)? => {}
            _ => best = key.ok().map(|key| (e, key)),
        }
    }
    Ok(best.map(|(e, _)| e.clone()))
}

/// `max(set(container), key=container.count)` (or `min`): the distinct elements in CPython's set
/// iteration order, the first with the highest (lowest) count winning.
fn common(ctx: &mut Ctx, container: &Value, which: Extreme) -> Result<Value> {
    let items = elems(container)?;
    if matches!(container, Value::Set(_)) {
        // CPython: frozensets have no `.count` (AttributeError).
        return Err(no_attribute());
    }
    ctx.charge(2 * items.len())?;
    let mut counts: FxHashMap<&Value, usize> = FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
    for e in items.iter() {
        *counts.entry(e).or_insert(0) += 1;
    }
    let distinct: Vec<&Value> = match py_set_order(&items) {
        Some(order) => order.into_iter().map(|k| &items[k]).collect(),
        None => {
            let mut d: Vec<&Value> = items.iter().collect();
            d.sort_by(|a, b| a.total_cmp(b));
            d.dedup_by(|a, b| a == b);
            d
        }
    };
    let mut best: Option<(&Value, usize)> = None;
    for e in distinct {
        let n = counts.get(e).copied().unwrap_or(0);
        let better = match best {
            None => true,
            Some((_, m)) => match which {
                Extreme::Max => n > m,
                Extreme::Min => n < m,
            },
        };
        if better {
            best = Some((e, n));
        }
    }
    best.map(|(e, _)| e.clone()).ok_or_else(empty_max)
}

/// The sorted union of two sorted, deduplicated slices.
fn union_sorted(a: &[Value], b: &[Value]) -> Vec<Value> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].total_cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i].clone());
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j].clone());
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i].clone());
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// CPython's AttributeError: a method the type lacks.
fn no_attribute() -> Error {
    Error::attribute_error("object has no such attribute")
}

/// `range()` or an index given something that is not an int.
fn not_an_integer() -> Error {
    Error::type_error("object cannot be interpreted as an integer")
}

/// `max()`/`min()` of an empty sequence without a default.
fn empty_max() -> Error {
    Error::value_error("max() arg is an empty sequence")
}

// ---- CPython's hash and set order -------------------------------------------------------------

/// CPython's `hash(x)` (as the unsigned bits of `Py_hash_t`) for values whose hash does not depend on
/// memory addresses: ints, bools, and tuples and frozensets of such. `None` for `None` (address-based in
/// CPython 3.11), callables, and containers holding them.
pub(super) fn py_hash(v: &Value) -> Option<u64> {
    match v {
        Value::Bool(b) => Some(*b as u64),
        Value::Int(i) => Some(hash_int(*i)),
        Value::Point(a, b) => Some(hash_tuple(&[hash_int(*a as i64), hash_int(*b as i64)])),
        Value::Cell(c, i, j) => {
            let index = hash_tuple(&[hash_int(*i as i64), hash_int(*j as i64)]);
            Some(hash_tuple(&[hash_int(*c as i64), index]))
        }
        Value::Grid(g) => {
            let mut row_hashes = Vec::with_capacity(g.h);
            let mut lanes = Vec::with_capacity(g.w);
            for i in 0..g.h {
                lanes.clear();
                lanes.extend(g.row(i).iter().map(|&c| hash_int(c as i64)));
                row_hashes.push(hash_tuple(&lanes));
            }
            Some(hash_tuple(&row_hashes))
        }
        Value::Tuple(t) => {
            let lanes: Option<Vec<u64>> = t.iter().map(py_hash).collect_some();
            Some(hash_tuple(&lanes?))
        }
        Value::Set(s) => {
            let mut h: u64 = 0;
            for e in s.iter() {
                h ^= shuffle_bits(py_hash(e)?);
            }
            h ^= (s.len() as u64 + 1).wrapping_mul(1_927_868_237);
            h ^= (h >> 11) ^ (h >> 25);
            h = h.wrapping_mul(69_069).wrapping_add(907_133_923);
            Some(if h == u64::MAX { 590_923_713 } else { h })
        }
        Value::None | Value::Prim(_) | Value::Func(_) => None,
    }
}

/// CPython's int hash: the value modulo the Mersenne prime 2**61 - 1, keeping the sign; -1 becomes -2.
fn hash_int(v: i64) -> u64 {
    const MODULUS: u64 = (1 << 61) - 1;
    let m = (v.unsigned_abs() % MODULUS) as i64;
    let h = if v < 0 { -m } else { m };
    (if h == -1 { -2 } else { h }) as u64
}

/// CPython's tuple hash (an xxHash variant) from the hashes of the items.
fn hash_tuple(lanes: &[u64]) -> u64 {
    const PRIME_1: u64 = 11_400_714_785_074_694_791;
    const PRIME_2: u64 = 14_029_467_366_897_019_727;
    const PRIME_5: u64 = 2_870_177_450_012_600_261;
    let mut acc = PRIME_5;
    for &lane in lanes {
        acc = acc.wrapping_add(lane.wrapping_mul(PRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(PRIME_1);
    }
    acc = acc.wrapping_add(lanes.len() as u64 ^ (PRIME_5 ^ 3_527_539));
    if acc == u64::MAX { 1_546_275_796 } else { acc }
}

/// The bit scrambling CPython's frozenset hash applies to each element's hash.
fn shuffle_bits(h: u64) -> u64 {
    ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167)
}

/// How many slots past the first one CPython's set probes linearly before jumping.
const LINEAR_PROBES: u64 = 9;

/// The order in which CPython iterates `set(values)`: the index in `values` of the first occurrence of
/// each distinct value, in hash-table slot order. `None` when some value's hash is address-based.
pub(super) fn py_set_order(values: &[Value]) -> Option<Vec<usize>> {
    let hashes: Vec<u64> = values.iter().map(py_hash).collect_some()?;
    let mut table: Vec<Option<usize>> = vec![None; 8];
    let mut used = 0usize;
    for (k, v) in values.iter().enumerate() {
        let h = hashes[k];
        let mask = table.len() as u64 - 1;
        let mut i = h & mask;
        let mut perturb = h;
        let slot = 'probe: loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for s in i..=i + probes {
                match table[s as usize] {
                    None => break 'probe Some(s as usize),
                    Some(e) if hashes[e] == h && values[e] == *v => break 'probe None,
                    Some(_) => {}
                }
            }
            perturb >>= 5;
            i = i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb) & mask;
        };
        if let Some(s) = slot {
            table[s] = Some(k);
            used += 1;
            if used as u64 * 5 >= mask * 3 {
                let min_used = if used > 50_000 { used * 2 } else { used * 4 };
                let mut size = 8;
                while size <= min_used {
                    size <<= 1;
                }
                let old = std::mem::replace(&mut table, vec![None; size]);
                for e in old.into_iter().flatten() {
                    insert_clean(&mut table, hashes[e], e);
                }
            }
        }
    }
    Some(table.into_iter().flatten().collect())
}

/// CPython's `set_insert_clean`: places an entry known to be absent into a table without dummies.
fn insert_clean(table: &mut [Option<usize>], h: u64, entry: usize) {
    let mask = table.len() as u64 - 1;
    let mut i = h & mask;
    let mut perturb = h;
    loop {
        let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
        for s in i..=i + probes {
            if table[s as usize].is_none() {
                table[s as usize] = Some(entry);
                return;
            }
        }
        perturb >>= 5;
        i = i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb) & mask;
    }
}

// ---- CPython's sort ---------------------------------------------------------------------------

/// The permutation `sorted(range(n), key=keys.__getitem__)` produces: CPython's list sort (timsort with
/// powersort merging, galloping, binary insertion for short runs), comparing keys with Python's `<` only.
/// Identical to any stable sort when keys are totally ordered; when they are not (frozensets, subset
/// order) it reproduces CPython's result, and its `TypeError` for incomparable keys happens exactly when
/// CPython's does.
pub(super) fn py_sort(ctx: &mut Ctx, keys: &[Value]) -> Result<Vec<usize>> {
    let n = keys.len();
    let mut v: Vec<usize> = (0..n).collect();
    if n < 2 {
        return Ok(v);
    }
    let steps = n * (usize::BITS - n.leading_zeros()) as usize;
    if keys.iter().all(|k| k.as_int().is_some()) {
        ctx.charge(steps)?;
        v.sort_by_key(|&k| keys[k].as_int());
        return Ok(v);
    }
    if keys.iter().all(|k| matches!(k, Value::Point(..))) {
        ctx.charge(steps)?;
        v.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
        return Ok(v);
    }
    Timsort { ctx, keys, v: &mut v, runs: Vec::new(), min_gallop: MIN_GALLOP }.sort()?;
    Ok(v)
}

/// Galloping starts after this many consecutive wins of one run.
const MIN_GALLOP: usize = 7;

/// A pending run: where it starts in the array, its length and its powersort power.
#[derive(Clone, Copy)]
struct Run {
    base: usize,
    len: usize,
    power: u32,
}

/// CPython's merge state, sorting indices into `keys`.
struct Timsort<'a> {
    ctx: &'a mut Ctx,
    keys: &'a [Value],
    v: &'a mut Vec<usize>,
    runs: Vec<Run>,
    min_gallop: usize,
}

impl Timsort<'_> {
    /// `keys[a] < keys[b]`, one step of fuel.
    fn lt(&mut self, a: usize, b: usize) -> Result<bool> {
        self.ctx.charge(1)?;
        py_lt(&self.keys[a], &self.keys[b])
    }

    fn sort(&mut self) -> Result<()> {
        let n = self.v.len();
        let minrun = compute_minrun(n);
        let (mut lo, mut remaining) = (0, n);
        while remaining > 0 {
            let (mut len, descending) = self.count_run(lo, lo + remaining)?;
            if descending {
                self.v[lo..lo + len].reverse();
            }
            if len < minrun {
                let force = remaining.min(minrun);
                self.binary_sort(lo, lo + force, lo + len)?;
                len = force;
            }
            self.found_new_run(len)?;
            self.runs.push(Run { base: lo, len, power: 0 });
            lo += len;
            remaining -= len;
        }
        while self.runs.len() > 1 {
            let mut k = self.runs.len() - 2;
            if k > 0 && self.runs[k - 1].len < self.runs[k + 1].len {
                k -= 1;
            }
            self.merge_at(k)?;
        }
        Ok(())
    }

    /// The length of the run starting at `lo` (at most `hi - lo`): non-descending, or strictly
    /// descending (then `true`).
    fn count_run(&mut self, lo: usize, hi: usize) -> Result<(usize, bool)> {
        if lo + 1 == hi {
            return Ok((1, false));
        }
        let mut k = lo + 2;
        if self.lt(self.v[lo + 1], self.v[lo])? {
            while k < hi && self.lt(self.v[k], self.v[k - 1])? {
                k += 1;
            }
            Ok((k - lo, true))
        } else {
            while k < hi && !self.lt(self.v[k], self.v[k - 1])? {
                k += 1;
            }
            Ok((k - lo, false))
        }
    }

    /// Binary insertion of `v[start..hi]` into the sorted `v[lo..start]`.
    fn binary_sort(&mut self, lo: usize, hi: usize, start: usize) -> Result<()> {
        let start = if lo == start { start + 1 } else { start };
        for s in start..hi {
            let pivot = self.v[s];
            let (mut l, mut r) = (lo, s);
            while l < r {
                let p = l + ((r - l) >> 1);
                if self.lt(pivot, self.v[p])? {
                    r = p;
                } else {
                    l = p + 1;
                }
            }
            self.v.copy_within(l..s, l + 1);
            self.v[l] = pivot;
        }
        Ok(())
    }

    /// Powersort: merges pending runs whose power exceeds that of the boundary before a new run of
    /// length `n2`, then records that power on the last pending run.
    fn found_new_run(&mut self, n2: usize) -> Result<()> {
        let Some(last) = self.runs.last().copied() else {
            return Ok(());
        };
        let power = powerloop(last.base, last.len, n2, self.v.len());
        while self.runs.len() > 1 && self.runs[self.runs.len() - 2].power > power {
            self.merge_at(self.runs.len() - 2)?;
        }
        if let Some(run) = self.runs.last_mut() {
            run.power = power;
        }
        Ok(())
    }

    /// Merges pending runs `i` and `i + 1`.
    fn merge_at(&mut self, i: usize) -> Result<()> {
        let (a, b) = (self.runs[i], self.runs[i + 1]);
        self.runs[i].len = a.len + b.len;
        self.runs.remove(i + 1);
        let (mut pa, mut na) = (a.base, a.len);
        let k = self.gallop_right(self.v[b.base], pa, na, 0)?;
        pa += k;
        na -= k;
        if na == 0 {
            return Ok(());
        }
        let nb = self.gallop_left(self.v[pa + na - 1], b.base, b.len, b.len - 1)?;
        if nb == 0 {
            return Ok(());
        }
        if na <= nb { self.merge_lo(pa, na, b.base, nb) } else { self.merge_hi(pa, na, b.base, nb) }
    }

    /// Where `key` belongs in the sorted `v[base..base + n]`, left of any equal elements, searching from
    /// `hint` outwards.
    fn gallop_left(&mut self, key: usize, base: usize, n: usize, hint: usize) -> Result<usize> {
        self.gallop_left_in(key, Slice::Main(base), n, hint)
    }

    /// Where `key` belongs in the sorted `v[base..base + n]`, right of any equal elements, searching
    /// from `hint` outwards.
    fn gallop_right(&mut self, key: usize, base: usize, n: usize, hint: usize) -> Result<usize> {
        self.gallop_right_in(key, Slice::Main(base), n, hint)
    }

    /// `gallop_right` over a run or a merge's temporary copy.
    fn gallop_right_in(&mut self, key: usize, s: Slice<'_>, n: usize, hint: usize) -> Result<usize> {
        let (n, hint) = (n as isize, hint as isize);
        let (mut lastofs, mut ofs): (isize, isize) = (0, 1);
        if self.lt(key, s.get(self.v, hint))? {
            let maxofs = hint + 1;
            while ofs < maxofs {
                if self.lt(key, s.get(self.v, hint - ofs))? {
                    lastofs = ofs;
                    ofs = (ofs << 1) + 1;
                } else {
                    break;
                }
            }
            ofs = ofs.min(maxofs);
            (lastofs, ofs) = (hint - ofs, hint - lastofs);
        } else {
            let maxofs = n - hint;
            while ofs < maxofs {
                if self.lt(key, s.get(self.v, hint + ofs))? {
                    break;
                }
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            }
            ofs = ofs.min(maxofs);
            lastofs += hint;
            ofs += hint;
        }
        lastofs += 1;
        while lastofs < ofs {
            let m = lastofs + ((ofs - lastofs) >> 1);
            if self.lt(key, s.get(self.v, m))? {
                ofs = m;
            } else {
                lastofs = m + 1;
            }
        }
        Ok(ofs as usize)
    }

    /// `gallop_left` over a run or a merge's temporary copy.
    fn gallop_left_in(&mut self, key: usize, s: Slice<'_>, n: usize, hint: usize) -> Result<usize> {
        let (n, hint) = (n as isize, hint as isize);
        let (mut lastofs, mut ofs): (isize, isize) = (0, 1);
        if self.lt(s.get(self.v, hint), key)? {
            let maxofs = n - hint;
            while ofs < maxofs {
                if self.lt(s.get(self.v, hint + ofs), key)? {
                    lastofs = ofs;
                    ofs = (ofs << 1) + 1;
                } else {
                    break;
                }
            }
            ofs = ofs.min(maxofs);
            lastofs += hint;
            ofs += hint;
        } else {
            let maxofs = hint + 1;
            while ofs < maxofs {
                if self.lt(s.get(self.v, hint - ofs), key)? {
                    break;
                }
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            }
            ofs = ofs.min(maxofs);
            (lastofs, ofs) = (hint - ofs, hint - lastofs);
        }
        lastofs += 1;
        while lastofs < ofs {
            let m = lastofs + ((ofs - lastofs) >> 1);
            if self.lt(s.get(self.v, m), key)? {
                lastofs = m + 1;
            } else {
                ofs = m;
            }
        }
        Ok(ofs as usize)
    }

    /// Merges the adjacent sorted runs `v[pa..pa + na]` and `v[pb..pb + nb]` with `na <= nb`, from the
    /// left, through a copy of the first run.
    fn merge_lo(&mut self, pa: usize, mut na: usize, pb: usize, mut nb: usize) -> Result<()> {
        let tmp: Vec<usize> = self.v[pa..pa + na].to_vec();
        let (mut dest, mut ia, mut ib) = (pa, 0usize, pb);
        self.v[dest] = self.v[ib];
        dest += 1;
        ib += 1;
        nb -= 1;
        let copy_b = 'merge: {
            if nb == 0 {
                break 'merge false;
            }
            if na == 1 {
                break 'merge true;
            }
            let mut min_gallop = self.min_gallop;
            loop {
                let (mut acount, mut bcount) = (0usize, 0usize);
                loop {
                    if self.lt(self.v[ib], tmp[ia])? {
                        self.v[dest] = self.v[ib];
                        dest += 1;
                        ib += 1;
                        bcount += 1;
                        acount = 0;
                        nb -= 1;
                        if nb == 0 {
                            break 'merge false;
                        }
                        if bcount >= min_gallop {
                            break;
                        }
                    } else {
                        self.v[dest] = tmp[ia];
                        dest += 1;
                        ia += 1;
                        acount += 1;
                        bcount = 0;
                        na -= 1;
                        if na == 1 {
                            break 'merge true;
                        }
                        if acount >= min_gallop {
                            break;
                        }
                    }
                }
                min_gallop += 1;
                loop {
                    min_gallop -= (min_gallop > 1) as usize;
                    self.min_gallop = min_gallop;
                    let k = self.gallop_right_in(self.v[ib], Slice::Tmp(&tmp[ia..]), na, 0)?;
                    acount = k;
                    if k > 0 {
                        self.v[dest..dest + k].copy_from_slice(&tmp[ia..ia + k]);
                        dest += k;
                        ia += k;
                        na -= k;
                        if na == 1 {
                            break 'merge true;
                        }
                        if na == 0 {
                            break 'merge false;
                        }
                    }
                    self.v[dest] = self.v[ib];
                    dest += 1;
                    ib += 1;
                    nb -= 1;
                    if nb == 0 {
                        break 'merge false;
                    }
                    let k = self.gallop_left_in(tmp[ia], Slice::Main(ib), nb, 0)?;
                    bcount = k;
                    if k > 0 {
                        self.v.copy_within(ib..ib + k, dest);
                        dest += k;
                        ib += k;
                        nb -= k;
                        if nb == 0 {
                            break 'merge false;
                        }
                    }
                    self.v[dest] = tmp[ia];
                    dest += 1;
                    ia += 1;
                    na -= 1;
                    if na == 1 {
                        break 'merge true;
                    }
                    if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                        break;
                    }
                }
                min_gallop += 1;
                self.min_gallop = min_gallop;
            }
        };
        if copy_b {
            // The last element of the first run belongs after everything left of the second.
            self.v.copy_within(ib..ib + nb, dest);
            self.v[dest + nb] = tmp[ia];
        } else if na > 0 {
            self.v[dest..dest + na].copy_from_slice(&tmp[ia..ia + na]);
        }
        Ok(())
    }

    /// Merges the adjacent sorted runs `v[pa..pa + na]` and `v[pb..pb + nb]` with `na > nb`, from the
    /// right, through a copy of the second run.
    fn merge_hi(&mut self, pa: usize, mut na: usize, pb: usize, mut nb: usize) -> Result<()> {
        let tmp: Vec<usize> = self.v[pb..pb + nb].to_vec();
        // Positions of the last live element of each run and of the destination; signed, as they can
        // step one before the start.
        let mut dest = (pb + nb - 1) as isize;
        let mut ia = (pa + na - 1) as isize;
        let mut ib = nb as isize - 1;
        let at = |v: &Vec<usize>, k: isize| v[k as usize];
        self.v[dest as usize] = at(self.v, ia);
        dest -= 1;
        ia -= 1;
        na -= 1;
        let copy_a = 'merge: {
            if na == 0 {
                break 'merge false;
            }
            if nb == 1 {
                break 'merge true;
            }
            let mut min_gallop = self.min_gallop;
            loop {
                let (mut acount, mut bcount) = (0usize, 0usize);
                loop {
                    if self.lt(tmp[ib as usize], at(self.v, ia))? {
                        self.v[dest as usize] = at(self.v, ia);
                        dest -= 1;
                        ia -= 1;
                        acount += 1;
                        bcount = 0;
                        na -= 1;
                        if na == 0 {
                            break 'merge false;
                        }
                        if acount >= min_gallop {
                            break;
                        }
                    } else {
                        self.v[dest as usize] = tmp[ib as usize];
                        dest -= 1;
                        ib -= 1;
                        bcount += 1;
                        acount = 0;
                        nb -= 1;
                        if nb == 1 {
                            break 'merge true;
                        }
                        if bcount >= min_gallop {
                            break;
                        }
                    }
                }
                min_gallop += 1;
                loop {
                    min_gallop -= (min_gallop > 1) as usize;
                    self.min_gallop = min_gallop;
                    let k = self.gallop_right_in(tmp[ib as usize], Slice::Main(pa), na, na - 1)?;
                    let k = na - k;
                    acount = k;
                    if k > 0 {
                        dest -= k as isize;
                        ia -= k as isize;
                        let (from, to) = ((ia + 1) as usize, (dest + 1) as usize);
                        self.v.copy_within(from..from + k, to);
                        na -= k;
                        if na == 0 {
                            break 'merge false;
                        }
                    }
                    self.v[dest as usize] = tmp[ib as usize];
                    dest -= 1;
                    ib -= 1;
                    nb -= 1;
                    if nb == 1 {
                        break 'merge true;
                    }
                    let k = self.gallop_left_in(at(self.v, ia), Slice::Tmp(&tmp), nb, nb - 1)?;
                    let k = nb - k;
                    bcount = k;
                    if k > 0 {
                        dest -= k as isize;
                        ib -= k as isize;
                        let (from, to) = ((ib + 1) as usize, (dest + 1) as usize);
                        self.v[to..to + k].copy_from_slice(&tmp[from..from + k]);
                        nb -= k;
                        if nb == 1 {
                            break 'merge true;
                        }
                        if nb == 0 {
                            break 'merge false;
                        }
                    }
                    self.v[dest as usize] = at(self.v, ia);
                    dest -= 1;
                    ia -= 1;
                    na -= 1;
                    if na == 0 {
                        break 'merge false;
                    }
                    if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                        break;
                    }
                }
                min_gallop += 1;
                self.min_gallop = min_gallop;
            }
        };
        if copy_a {
            // The first element of the second run belongs before everything right of the first.
            let to = (dest + 1) as usize - na;
            let from = (ia + 1) as usize - na;
            self.v.copy_within(from..from + na, to);
            self.v[to - 1] = tmp[ib as usize];
        } else if nb > 0 {
            let to = (dest + 1) as usize - nb;
            self.v[to..to + nb].copy_from_slice(&tmp[..nb]);
        }
        Ok(())
    }
}

/// A sorted stretch galloping searches: part of the array being sorted, or a merge's temporary copy.
#[derive(Clone, Copy)]
enum Slice<'t> {
    Main(usize),
    Tmp(&'t [usize]),
}

impl Slice<'_> {
    fn get(self, v: &[usize], k: isize) -> usize {
        match self {
            Slice::Main(base) => v[base + k as usize],
            Slice::Tmp(t) => t[k as usize],
        }
    }
}

/// CPython's minimum run length for an array of `n`: `n` itself below 64, else between 32 and 64.
fn compute_minrun(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// Powersort's power of the boundary between the run `[s1, s1 + n1)` and the next `n2` elements of an
/// array of `n`: the first bit where the binary fractions of the two runs' midpoints differ.
fn powerloop(s1: usize, n1: usize, n2: usize, n: usize) -> u32 {
    let mut result = 0;
    let mut a = 2 * s1 + n1;
    let mut b = a + n1 + n2;
    loop {
        result += 1;
        if a >= n {
            a -= n;
            b -= n;
        } else if b >= n {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    result
}

/// The container primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
    prim!(contained,    2, "element of: value in container"),
    prim!(combine,      2, "union: type(a)((*a, *b))"),
    prim!(intersection, 2, "returns the intersection of two containers: a & b"),
    prim!(difference,   2, "set difference: type(a)(e for e in a if e not in b)"),
    prim!(dedupe,       1, "remove duplicates, keeping first occurrences: tuple of unique elements"),
    prim!(order,        2, "order container by custom key: tuple(sorted(container, key=compfunc))"),
    prim!(repeat,       2, "repetition of item within vector: tuple(item for i in range(num))"),
    prim!(size,         1, "cardinality: len(container)"),
    prim!(merge,        1, "merging: type(containers)(e for c in containers for e in c)"),
    prim!(maximum,      1, "maximum: max(container, default=0)"),
    prim!(minimum,      1, "minimum: min(container, default=0)"),
    prim!(valmax,       2, "maximum by custom function: compfunc(max(container, key=compfunc, default=0))"),
    prim!(valmin,       2, "minimum by custom function: compfunc(min(container, key=compfunc, default=0))"),
    prim!(argmax,       2, "largest item by custom order: max(container, key=compfunc)"),
    prim!(argmin,       2, "smallest item by custom order: min(container, key=compfunc)"),
    prim!(mostcommon,   1, "most common item: max(set(container), key=container.count)"),
    prim!(leastcommon,  1, "least common item: min(set(container), key=container.count)"),
    prim!(initset,      1, "initialize container: frozenset({value})"),
    prim!(sfilter,      2, "keep elements for which condition holds: type(container)(e for e in container if condition(e))"),
    prim!(mfilter,      2, "filter and merge: merge(sfilter(container, function))"),
    prim!(extract,      2, "first element of container that satisfies condition: next(e for e in container if condition(e))"),
    prim!(totuple,      1, "conversion to tuple: tuple(container)"),
    prim!(first,        1, "first item of container: next(iter(container))"),
    prim!(last,         1, "last item of container: max(enumerate(container))[1]"),
    prim!(insert,       2, "insert item into container: container.union(frozenset({value}))"),
    prim!(remove,       2, "remove item from container: type(container)(e for e in container if e != value)"),
    prim!(other,        2, "other value in the container: first(remove(value, container))"),
    prim!(interval,     3, "range: tuple(range(start, stop, step))"),
    prim!(product,      2, "cartesian product: frozenset((i, j) for j in b for i in a)"),
    prim!(pair,         2, "zipping of two tuples: tuple(zip(a, b))"),
];

#[cfg(test)]
mod tests {
    use super::{py_hash, py_set_order, py_sort};
    use crate::literal::py;
    use crate::prims::sets::GENERATOR_STOP;
    use crate::prims::testing::{eval, repr, run};
    use crate::{Ctx, ErrorKind, Limits, Value};

    /// `expr` evaluated under a small size cap.
    fn capped(expr: &str) -> Result<Value, ErrorKind> {
        eval(&mut Ctx::new(Limits { fuel: 1_000_000, max_len: 1000 }), expr)
    }

    #[test]
    fn contained_is_python_in() {
        assert_eq!(repr("contained", &["1", "(1, 2)"]), "True");
        assert_eq!(repr("contained", &["3", "frozenset({1, 2})"]), "False");
        assert_eq!(repr("contained", &["True", "frozenset({1})"]), "True");
        assert_eq!(repr("contained", &["(1, 2)", "((1, 2), (3, 4))"]), "True");
        assert_eq!(repr("contained", &["1", "((1, 2), (3, 4))"]), "False");
        assert_eq!(repr("contained", &["(1,)", "((1, 2),)"]), "False");
        assert_eq!(repr("contained", &["(1, 2)", "(5, (1, 2))"]), "True");
        assert_eq!(repr("contained", &["()", "()"]), "False");
        assert_eq!(repr("contained", &["frozenset()", "(frozenset(),)"]), "True");
        assert_eq!(repr("contained", &["1", "5"]), "TypeError");
        assert_eq!(repr("contained", &["1", "None"]), "TypeError");
    }

    #[test]
    fn combine_keeps_the_first_kind() {
        assert_eq!(repr("combine", &["(1, 2)", "(3,)"]), "(1, 2, 3)");
        assert_eq!(run("combine", &["frozenset({1, 2})", "frozenset({2, 3})"]), Ok(py("frozenset({1, 2, 3})")));
        assert_eq!(run("combine", &["frozenset({1})", "(1, 2)"]), Ok(py("frozenset({1, 2})")));
        assert_eq!(repr("combine", &["(1,)", "frozenset({2})"]), "(1, 2)");
        assert_eq!(repr("combine", &["()", "()"]), "()");
        assert_eq!(repr("combine", &["((1, 2),)", "((3, 4),)"]), "((1, 2), (3, 4))");
        assert_eq!(repr("combine", &["(1, 2)", "(1, 2)"]), "(1, 2, 1, 2)");
        assert_eq!(repr("combine", &["1", "(2,)"]), "TypeError");
        assert_eq!(repr("combine", &["(1,)", "2"]), "TypeError");
        assert_eq!(repr("combine", &["frozenset()", "None"]), "TypeError");
        assert_eq!(capped("combine(interval(0, 600, 1), interval(0, 600, 1))"), Err(ErrorKind::Memory));
    }

    #[test]
    fn intersection_is_python_and() {
        assert_eq!(run("intersection", &["frozenset({1, 2, 3})", "frozenset({2, 3, 4})"]), Ok(py("frozenset({2, 3})")));
        assert_eq!(repr("intersection", &["frozenset()", "frozenset({1})"]), "frozenset()");
        assert_eq!(repr("intersection", &["(1, 2)", "(2,)"]), "TypeError");
        assert_eq!(repr("intersection", &["frozenset({1})", "(1,)"]), "TypeError");
        assert_eq!(repr("intersection", &["None", "None"]), "TypeError");
        // Ints and bools AND bitwise, as `&` does.
        assert_eq!(repr("intersection", &["6", "3"]), "2");
        assert_eq!(repr("intersection", &["True", "False"]), "False");
        assert_eq!(repr("intersection", &["True", "3"]), "1");
    }

    #[test]
    fn difference_keeps_the_first_kind_and_order() {
        assert_eq!(run("difference", &["frozenset({1, 2, 3})", "frozenset({2})"]), Ok(py("frozenset({1, 3})")));
        // Two frozensets, walked side by side: elements of the second below, between and above the first's.
        assert_eq!(
            run("difference", &["frozenset({1, 2, 3, 4})", "frozenset({0, 2, 4, 6})"]),
            Ok(py("frozenset({1, 3})"))
        );
        assert_eq!(
            run(
                "difference",
                &["asindices(canvas(0, (2, 3)))", "frozenset({(-1, 0), (0, 1), (1, 0), (1, 2), (5, 5)})"]
            ),
            Ok(py("frozenset({(0, 0), (0, 2), (1, 1)})"))
        );
        assert_eq!(repr("difference", &["(1, 2, 3, 2)", "frozenset({2})"]), "(1, 3)");
        assert_eq!(repr("difference", &["(3, 1, 2)", "(1,)"]), "(3, 2)");
        assert_eq!(repr("difference", &["frozenset({1, 2})", "(2, 9)"]), "frozenset({1})");
        assert_eq!(repr("difference", &["((1, 2), (3, 4))", "((3, 4),)"]), "((1, 2),)");
        assert_eq!(repr("difference", &["interval(1, 11, 1)", "interval(2, 22, 2)"]), "(1, 3, 5, 7, 9)");
        // `b` is only searched when `a` has elements.
        assert_eq!(repr("difference", &["()", "5"]), "()");
        assert_eq!(repr("difference", &["frozenset()", "None"]), "frozenset()");
        assert_eq!(repr("difference", &["(1,)", "5"]), "TypeError");
        assert_eq!(repr("difference", &["5", "()"]), "TypeError");
    }

    #[test]
    fn dedupe_keeps_first_occurrences() {
        assert_eq!(repr("dedupe", &["(1, 2, 1, 3, 2)"]), "(1, 2, 3)");
        assert_eq!(repr("dedupe", &["()"]), "()");
        assert_eq!(repr("dedupe", &["((1, 2), (1, 2), (3, 4))"]), "((1, 2), (3, 4))");
        // `True == 1`: the first of the two stays (the canonical pair prints it as 1).
        assert_eq!(run("dedupe", &["(True, 1, 0, False)"]), Ok(py("(True, 0)")));
        // Frozensets have no `.index`: fine when empty, an AttributeError otherwise.
        assert_eq!(repr("dedupe", &["frozenset()"]), "()");
        assert_eq!(repr("dedupe", &["frozenset({1})"]), "AttributeError");
        assert_eq!(repr("dedupe", &["5"]), "TypeError");
    }

    #[test]
    fn order_sorts_stably_by_key() {
        assert_eq!(repr("order", &["((1, 2, 3), (1,), (1, 2))", "size"]), "((1,), (1, 2), (1, 2, 3))");
        assert_eq!(repr("order", &["(3, 1, 2)", "identity"]), "(1, 2, 3)");
        assert_eq!(repr("order", &["(1, 2, 3, 4)", "even"]), "(1, 3, 2, 4)");
        assert_eq!(repr("order", &["frozenset({3, 1, 2})", "invert"]), "(3, 2, 1)");
        assert_eq!(repr("order", &["((2, 1), (1, 5), (1, 2))", "identity"]), "((1, 2), (1, 5), (2, 1))");
        assert_eq!(repr("order", &["((5, 1), (4, 1), (3, 0))", "last"]), "((3, 0), (5, 1), (4, 1))");
        // The key function is only called when there are elements.
        assert_eq!(repr("order", &["()", "5"]), "()");
        assert_eq!(repr("order", &["(1,)", "5"]), "TypeError");
        assert_eq!(repr("order", &["5", "identity"]), "TypeError");
        // Incomparable keys fail, equal ones are never compared past `==`.
        assert_eq!(repr("order", &["(1, (1,))", "identity"]), "TypeError");
        assert_eq!(repr("order", &["((0, None), (0, None))", "identity"]), "((0, None), (0, None))");
        assert_eq!(repr("order", &["((0, None), (0, 1))", "identity"]), "TypeError");
        // A StopIteration from the key is not inside a generator: it stays one.
        assert_eq!(repr("order", &["((),)", "first"]), "StopIteration");
        // Subset order is partial: CPython's merge order decides.
        assert_eq!(
            run("order", &["(frozenset({2}), frozenset({1}), frozenset(), frozenset({1, 2}))", "identity"]),
            Ok(py("(frozenset(), frozenset({2}), frozenset({1}), frozenset({1, 2}))"))
        );
    }

    #[test]
    fn py_sort_reproduces_cpython_on_partial_orders() {
        // Keys: frozensets of the bits of an LCG's output; the expected permutation is CPython 3.11's
        // `sorted(range(200), key=keys.__getitem__)`.
        let mut x: u64 = 7;
        let keys: Vec<Value> = (0..200)
            .map(|_| {
                x = (x * 1_103_515_245 + 12_345) % (1 << 31);
                Value::set((0..4).filter(|b| (x >> 16) & (1 << b) != 0).map(Value::Int).collect())
            })
            .collect();
        let expected = "25, 47, 66, 72, 77, 84, 100, 101, 188, 192, 2, 0, 3, 6, 19, 23, 1, 8, 9, 15, 4, 5, 37, \
            38, 42, 7, 10, 13, 32, 11, 20, 12, 27, 16, 34, 39, 14, 17, 18, 21, 30, 22, 24, 26, 28, 29, 33, 31, 35, \
            36, 40, 41, 43, 48, 44, 45, 46, 49, 50, 54, 81, 52, 56, 53, 55, 57, 58, 64, 73, 78, 59, 62, 63, 67, \
            87, 99, 70, 74, 96, 60, 61, 65, 68, 69, 71, 75, 76, 79, 80, 85, 89, 82, 83, 88, 86, 90, 91, 92, 93, \
            94, 95, 97, 104, 109, 145, 102, 110, 103, 130, 105, 106, 108, 111, 112, 114, 120, 122, 132, 135, 115, \
            117, 121, 143, 116, 119, 127, 118, 124, 126, 149, 128, 129, 131, 133, 136, 139, 146, 137, 140, 141, \
            150, 151, 152, 153, 154, 173, 155, 157, 159, 156, 168, 178, 162, 158, 163, 164, 165, 167, 169, 185, \
            172, 166, 170, 171, 190, 175, 174, 176, 177, 179, 180, 181, 186, 189, 195, 184, 196, 187, 191, 193, \
            194, 198, 98, 142, 144, 197, 199, 51, 107, 113, 123, 125, 134, 138, 147, 148, 160, 161, 182, 183";
        let expected: Vec<usize> = expected.split(", ").map(|s| s.parse().expect("index")).collect();
        assert_eq!(py_sort(&mut Ctx::default(), &keys), Ok(expected));
    }

    #[test]
    fn py_sort_is_stable_on_total_orders() {
        // Long runs of 1-tuples exercise the merges and galloping; the result is the stable sort.
        let mut x: u64 = 3;
        let keys: Vec<Value> = (0..1000)
            .map(|k| {
                x = (x * 1_103_515_245 + 12_345) % (1 << 31);
                let v = if k % 300 < 150 { (k % 300) as i64 } else { ((x >> 16) % 20) as i64 };
                Value::Tuple(vec![Value::Int(v)].into())
            })
            .collect();
        let mut expected: Vec<usize> = (0..keys.len()).collect();
        expected.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
        assert_eq!(py_sort(&mut Ctx::default(), &keys), Ok(expected));
        let mut starved = Ctx::new(Limits { fuel: 100, max_len: 1 << 20 });
        assert_eq!(py_sort(&mut starved, &keys).map_err(|e| e.kind), Err(ErrorKind::Fuel));
    }

    #[test]
    fn repeat_builds_a_tuple() {
        assert_eq!(repr("repeat", &["1", "3"]), "(1, 1, 1)");
        assert_eq!(repr("repeat", &["(1, 2)", "2"]), "((1, 2), (1, 2))");
        assert_eq!(repr("repeat", &["5", "True"]), "(5,)");
        assert_eq!(repr("repeat", &["5", "0"]), "()");
        assert_eq!(repr("repeat", &["5", "-2"]), "()");
        assert_eq!(repr("repeat", &["5", "None"]), "TypeError");
        assert_eq!(repr("repeat", &["5", "(1,)"]), "TypeError");
        assert_eq!(repr("repeat", &["0", "1000000000000"]), "memory");
    }

    #[test]
    fn size_is_len() {
        assert_eq!(repr("size", &["(1, 2, 3)"]), "3");
        assert_eq!(repr("size", &["frozenset()"]), "0");
        assert_eq!(repr("size", &["((1, 2, 3), (3, 4, 5))"]), "2");
        assert_eq!(repr("size", &["(5, (1, 2))"]), "2");
        assert_eq!(repr("size", &["5"]), "TypeError");
        assert_eq!(repr("size", &["None"]), "TypeError");
    }

    #[test]
    fn merge_flattens_one_level() {
        assert_eq!(repr("merge", &["((1, 2), (3,))"]), "(1, 2, 3)");
        assert_eq!(
            run("merge", &["frozenset({frozenset({1, 2}), frozenset({2, 3})})"]),
            Ok(py("frozenset({1, 2, 3})"))
        );
        assert_eq!(repr("merge", &["()"]), "()");
        // Grids of one width stack into a grid; of different widths, into a tuple of rows.
        assert_eq!(repr("merge", &["(((1, 2), (3, 4)), ((5, 6),))"]), "((1, 2), (3, 4), (5, 6))");
        assert_eq!(run("merge", &["(((1, 2), (3, 4)), ((5, 6),))"]), Ok(py("((1, 2), (3, 4), (5, 6))")));
        assert_eq!(repr("merge", &["(((1, 2),), ((5,),))"]), "((1, 2), (5,))");
        assert_eq!(repr("merge", &["(((1, 2),), ())"]), "((1, 2),)");
        assert_eq!(repr("merge", &["frozenset()"]), "frozenset()");
        assert_eq!(repr("merge", &["((1, 2), frozenset({3}))"]), "(1, 2, 3)");
        assert_eq!(repr("merge", &["((1, 2), (3, 4))"]), "(1, 2, 3, 4)");
        assert_eq!(repr("merge", &["(((1, 2), (3, 4)), ((5, 6),))"]), "((1, 2), (3, 4), (5, 6))");
        assert_eq!(repr("merge", &["((1,), 5)"]), "TypeError");
        assert_eq!(repr("merge", &["5"]), "TypeError");
        assert_eq!(capped("merge(repeat(interval(0, 100, 1), 20))"), Err(ErrorKind::Memory));
    }

    #[test]
    fn maximum_and_minimum_default_to_zero() {
        assert_eq!(repr("maximum", &["frozenset({1, 5, 3})"]), "5");
        assert_eq!(repr("maximum", &["()"]), "0");
        assert_eq!(repr("minimum", &["frozenset()"]), "0");
        assert_eq!(repr("maximum", &["(3, -1, 3)"]), "3");
        assert_eq!(repr("minimum", &["(2, -7, 4)"]), "-7");
        assert_eq!(repr("maximum", &["((1, 2), (1, 3))"]), "(1, 3)");
        // The first of equal elements wins.
        assert_eq!(repr("maximum", &["(True, 1, 0)"]), "True");
        assert_eq!(repr("minimum", &["(2, 1, True)"]), "1");
        assert_eq!(repr("minimum", &["(None,)"]), "None");
        assert_eq!(repr("maximum", &["(None, None)"]), "TypeError");
        assert_eq!(repr("maximum", &["(1, (1,))"]), "TypeError");
        assert_eq!(repr("maximum", &["5"]), "TypeError");
    }

    #[test]
    fn valmax_and_valmin_apply_the_key_again() {
        assert_eq!(repr("valmax", &["((1, 2), (1,), (3, 4, 5))", "size"]), "3");
        assert_eq!(repr("valmin", &["((1, 2), (1,), (3, 4, 5))", "size"]), "1");
        assert_eq!(repr("valmax", &["frozenset({-3, 2})", "invert"]), "3");
        // Empty: the key is applied to the default 0.
        assert_eq!(repr("valmax", &["()", "identity"]), "0");
        assert_eq!(repr("valmin", &["frozenset()", "increment"]), "1");
        assert_eq!(repr("valmax", &["()", "size"]), "TypeError");
        assert_eq!(repr("valmax", &["(1, 2)", "5"]), "TypeError");
        assert_eq!(repr("valmax", &["5", "size"]), "TypeError");
        assert_eq!(repr("valmax", &["((),)", "first"]), "StopIteration");
        assert_eq!(repr("valmin", &["(1, (1,))", "identity"]), "TypeError");
    }

    #[test]
    fn argmax_and_argmin_return_the_first_best() {
        assert_eq!(repr("argmax", &["((1, 2), (3,), (4, 5))", "size"]), "(1, 2)");
        assert_eq!(repr("argmin", &["((1, 2), (3,), (4, 5))", "size"]), "(3,)");
        assert_eq!(repr("argmax", &["frozenset({-2, 1, 2})", "positive"]), "1");
        assert_eq!(repr("argmin", &["frozenset({-2, 1, 2})", "positive"]), "-2");
        assert_eq!(repr("argmax", &["()", "size"]), "ValueError");
        assert_eq!(repr("argmin", &["frozenset()", "5"]), "ValueError");
        assert_eq!(repr("argmax", &["(1,)", "5"]), "TypeError");
        assert_eq!(repr("argmax", &["(1, (1,))", "identity"]), "TypeError");
        assert_eq!(repr("argmin", &["((),)", "first"]), "StopIteration");
    }

    #[test]
    fn mostcommon_breaks_ties_in_cpython_set_order() {
        assert_eq!(repr("mostcommon", &["(1, 2, 2, 3, 3, 3)"]), "3");
        assert_eq!(repr("leastcommon", &["(1, 2, 3, 4, 2, 3, 4)"]), "1");
        // set((9, 1)) iterates 9 first (both hash to slot 1), set((1, 9)) 1 first.
        assert_eq!(repr("mostcommon", &["(9, 1)"]), "9");
        assert_eq!(repr("mostcommon", &["(1, 9)"]), "1");
        assert_eq!(repr("mostcommon", &["(8, 0, 0, 8)"]), "8");
        assert_eq!(repr("mostcommon", &["(0, 8, 8, 0)"]), "0");
        assert_eq!(repr("leastcommon", &["(9, 1, 1, 9, 3, 3)"]), "9");
        assert_eq!(repr("mostcommon", &["((1, 2), (3, 4), (1, 2))"]), "(1, 2)");
        assert_eq!(repr("mostcommon", &["(True, 1, 2)"]), "True");
        // Without a deterministic hash (None), the sorted order decides.
        assert_eq!(repr("mostcommon", &["(1, None, None)"]), "None");
        assert_eq!(repr("mostcommon", &["()"]), "ValueError");
        assert_eq!(repr("leastcommon", &["()"]), "ValueError");
        // Frozensets have no `.count` (AttributeError in CPython).
        assert_eq!(repr("mostcommon", &["frozenset({1})"]), "AttributeError");
        assert_eq!(repr("leastcommon", &["frozenset()"]), "AttributeError");
        assert_eq!(repr("mostcommon", &["5"]), "TypeError");
    }

    #[test]
    fn python_hashes() {
        let h = |text: &str| py_hash(&py(text)).map(|h| h as i64);
        assert_eq!(h("()"), Some(5_740_354_900_026_072_187));
        assert_eq!(h("(1, 2)"), Some(-3_550_055_125_485_641_917));
        assert_eq!(h("((1, 2), (3, 4))"), Some(-1_467_267_874_458_550_984));
        assert_eq!(h("(5, (1, 2))"), Some(-1_289_567_792_466_438_380));
        assert_eq!(h("(True,)"), Some(-6_644_214_454_873_602_895));
        assert_eq!(h("frozenset()"), Some(133_146_708_735_736));
        assert_eq!(h("frozenset({1, 2})"), Some(-1_826_646_154_956_904_602));
        assert_eq!(h("frozenset({(1, 2), (0, 0)})"), Some(4_483_672_111_764_441_749));
        assert_eq!(h("frozenset({frozenset({1})})"), Some(5_515_263_749_738_256_364));
        assert_eq!(h("-1"), Some(-2));
        assert_eq!(h("2305843009213693952"), Some(1));
        assert_eq!(h("-9223372036854775808"), Some(-4));
        assert_eq!(h("True"), Some(1));
        assert_eq!(h("(1, None)"), None);
    }

    #[test]
    fn python_set_order() {
        let order = |text: &str| py_set_order(&py(text).to_vec().expect("tuple"));
        assert_eq!(order("(9, 1)"), Some(vec![0, 1]));
        assert_eq!(order("(1, 9, 1)"), Some(vec![0, 1]));
        assert_eq!(order("(-1, -2, 7, 15)"), Some(vec![2, 3, 0, 1]));
        assert_eq!(order("((0, 1), (1, 0), (2, 2), (0, 0), (5, 5), (3, 1))"), Some(vec![0, 4, 3, 5, 2, 1]));
        let desc: Vec<Value> = (1..=20).rev().map(Value::Int).collect();
        assert_eq!(py_set_order(&desc), Some((0..20).rev().collect()));
        assert_eq!(order("(None,)"), None);
    }

    #[test]
    fn initset_wraps_a_value() {
        assert_eq!(repr("initset", &["5"]), "frozenset({5})");
        assert_eq!(repr("initset", &["()"]), "frozenset({()})");
        assert_eq!(repr("initset", &["frozenset()"]), "frozenset({frozenset()})");
        assert_eq!(repr("initset", &["None"]), "frozenset({None})");
    }

    #[test]
    fn sfilter_keeps_the_kind() {
        assert_eq!(repr("sfilter", &["(1, 2, 3, 4)", "even"]), "(2, 4)");
        assert_eq!(repr("sfilter", &["frozenset({1, 2, 3, 4})", "even"]), "frozenset({2, 4})");
        assert_eq!(repr("sfilter", &["((1, 2), (3, 4), (5, 6))", "matcher(first, 3)"]), "((3, 4),)");
        assert_eq!(repr("sfilter", &["(0, 1, (), (1,))", "identity"]), "(1, (1,))");
        assert_eq!(repr("sfilter", &["()", "5"]), "()");
        assert_eq!(repr("sfilter", &["(1,)", "5"]), "TypeError");
        assert_eq!(repr("sfilter", &["5", "even"]), "TypeError");
        assert_eq!(run("sfilter", &["((),)", "first"]), Err(GENERATOR_STOP));
    }

    #[test]
    fn mfilter_filters_then_merges() {
        assert_eq!(
            run("mfilter", &["frozenset({frozenset({1}), frozenset({2, 3})})", "matcher(size, 2)"]),
            Ok(py("frozenset({2, 3})"))
        );
        assert_eq!(repr("mfilter", &["((1, 2), (3,))", "identity"]), "(1, 2, 3)");
        assert_eq!(repr("mfilter", &["()", "identity"]), "()");
        assert_eq!(repr("mfilter", &["(1, 2)", "identity"]), "TypeError");
        assert_eq!(run("mfilter", &["((),)", "first"]), Err(GENERATOR_STOP));
    }

    #[test]
    fn extract_finds_the_first_match() {
        assert_eq!(repr("extract", &["(1, 2, 3, 4)", "even"]), "2");
        assert_eq!(repr("extract", &["frozenset({5, 3, 4})", "even"]), "4");
        assert_eq!(repr("extract", &["(1, 3)", "even"]), "StopIteration");
        assert_eq!(repr("extract", &["()", "5"]), "StopIteration");
        assert_eq!(repr("extract", &["(1,)", "5"]), "TypeError");
        assert_eq!(repr("extract", &["5", "even"]), "TypeError");
        assert_eq!(run("extract", &["((),)", "first"]), Err(GENERATOR_STOP));
    }

    #[test]
    fn totuple_first_and_last() {
        assert_eq!(repr("totuple", &["frozenset({3, 1, 2})"]), "(1, 2, 3)");
        assert_eq!(repr("totuple", &["frozenset()"]), "()");
        assert_eq!(repr("totuple", &["((1, 2), (3, 4))"]), "((1, 2), (3, 4))");
        assert_eq!(repr("totuple", &["5"]), "TypeError");
        assert_eq!(repr("first", &["(5, 6)"]), "5");
        assert_eq!(repr("first", &["frozenset({3, 1})"]), "1");
        assert_eq!(repr("first", &["((1, 2), (3, 4))"]), "(1, 2)");
        assert_eq!(repr("first", &["(5, (1, 2))"]), "5");
        assert_eq!(repr("first", &["()"]), "StopIteration");
        assert_eq!(repr("first", &["frozenset()"]), "StopIteration");
        assert_eq!(repr("first", &["5"]), "TypeError");
        assert_eq!(repr("last", &["(5, 6, 7)"]), "7");
        assert_eq!(repr("last", &["frozenset({3, 1})"]), "3");
        assert_eq!(repr("last", &["((1, 2), (3, 4))"]), "(3, 4)");
        assert_eq!(repr("last", &["(5, (1, 2))"]), "(1, 2)");
        assert_eq!(repr("last", &["()"]), "ValueError");
        assert_eq!(repr("last", &["frozenset()"]), "ValueError");
        assert_eq!(repr("last", &["None"]), "TypeError");
    }

    #[test]
    fn insert_needs_a_frozenset() {
        assert_eq!(run("insert", &["3", "frozenset({1})"]), Ok(py("frozenset({1, 3})")));
        assert_eq!(repr("insert", &["1", "frozenset({1})"]), "frozenset({1})");
        assert_eq!(repr("insert", &["True", "frozenset({1})"]), "frozenset({1})");
        assert_eq!(repr("insert", &["(1, 2)", "frozenset()"]), "frozenset({(1, 2)})");
        assert_eq!(repr("insert", &["0", "frozenset({-1, 1})"]), "frozenset({-1, 0, 1})");
        assert_eq!(repr("insert", &["1", "(2,)"]), "AttributeError");
        assert_eq!(repr("insert", &["1", "5"]), "AttributeError");
    }

    #[test]
    fn remove_and_other() {
        assert_eq!(repr("remove", &["2", "(1, 2, 3, 2)"]), "(1, 3)");
        assert_eq!(repr("remove", &["2", "frozenset({1, 2})"]), "frozenset({1})");
        assert_eq!(repr("remove", &["5", "frozenset({1})"]), "frozenset({1})");
        assert_eq!(repr("remove", &["True", "(1, 0, True)"]), "(0,)");
        assert_eq!(repr("remove", &["(1, 2)", "((1, 2), (3, 4))"]), "((3, 4),)");
        assert_eq!(repr("remove", &["1", "()"]), "()");
        assert_eq!(repr("remove", &["1", "5"]), "TypeError");
        assert_eq!(repr("other", &["(1, 2)", "1"]), "2");
        assert_eq!(repr("other", &["frozenset({1, 2})", "2"]), "1");
        assert_eq!(repr("other", &["(1, 1, 2)", "1"]), "2");
        assert_eq!(repr("other", &["(1,)", "1"]), "StopIteration");
        assert_eq!(repr("other", &["()", "1"]), "StopIteration");
        assert_eq!(repr("other", &["5", "1"]), "TypeError");
    }

    #[test]
    fn interval_is_python_range() {
        assert_eq!(repr("interval", &["0", "5", "1"]), "(0, 1, 2, 3, 4)");
        assert_eq!(repr("interval", &["5", "0", "-2"]), "(5, 3, 1)");
        assert_eq!(repr("interval", &["-3", "3", "4"]), "(-3, 1)");
        assert_eq!(repr("interval", &["0", "0", "1"]), "()");
        assert_eq!(repr("interval", &["0", "5", "-1"]), "()");
        assert_eq!(repr("interval", &["True", "3", "True"]), "(1, 2)");
        assert_eq!(repr("interval", &["1", "2", "0"]), "ValueError");
        assert_eq!(repr("interval", &["None", "1", "0"]), "TypeError");
        assert_eq!(repr("interval", &["0", "1", "(1,)"]), "TypeError");
        assert_eq!(
            repr("interval", &["-9223372036854775808", "9223372036854775807", "9223372036854775807"]),
            "(-9223372036854775808, -1, 9223372036854775806)"
        );
        assert_eq!(repr("interval", &["0", "1000000000000", "1"]), "memory");
    }

    #[test]
    fn product_pairs_everything() {
        assert_eq!(run("product", &["(1, 2)", "(3,)"]), Ok(py("frozenset({(1, 3), (2, 3)})")));
        assert_eq!(repr("product", &["(1, 1)", "(2,)"]), "frozenset({(1, 2)})");
        assert_eq!(repr("product", &["((1, 2),)", "(5,)"]), "frozenset({((1, 2), 5)})");
        assert_eq!(repr("product", &["frozenset({1})", "frozenset()"]), "frozenset()");
        // `a` is only iterated when `b` has elements.
        assert_eq!(repr("product", &["5", "()"]), "frozenset()");
        assert_eq!(repr("product", &["()", "5"]), "TypeError");
        assert_eq!(repr("product", &["(1,)", "5"]), "TypeError");
        assert_eq!(capped("product(interval(0, 40, 1), interval(0, 40, 1))"), Err(ErrorKind::Memory));
    }

    #[test]
    fn pair_zips_to_the_shortest() {
        assert_eq!(repr("pair", &["(1, 2, 3)", "(4, 5)"]), "((1, 4), (2, 5))");
        assert_eq!(repr("pair", &["frozenset({2, 1})", "(7, 8)"]), "((1, 7), (2, 8))");
        assert_eq!(repr("pair", &["((1, 2),)", "(3,)"]), "(((1, 2), 3),)");
        assert_eq!(repr("pair", &["()", "()"]), "()");
        assert_eq!(repr("pair", &["()", "5"]), "TypeError");
        assert_eq!(repr("pair", &["5", "()"]), "TypeError");
    }
}

//! Values with CPython semantics, in one canonical representation per Python value.
//!
//! arc-dsl programs compute with `int`, `bool`, `None`, `tuple`, `frozenset` and callables. Each Python
//! value has exactly one representation here, so derived equality and hashing are Python's `==` and
//! `hash` (with `True == 1`, as in Python). The canonical forms are chosen for speed:
//!
//! - a 2-tuple of ints that fit in `i32` is a [`Value::Point`] (an index or a vector), stored inline;
//! - a 2-tuple `(int, Point)` is a [`Value::Cell`] (a coloured cell of an object), stored inline;
//! - a non-empty tuple of equally long tuples of small ints is a [`Value::Grid`], stored flat;
//! - every other tuple is a [`Value::Tuple`];
//! - a frozenset is a [`Value::Set`], its elements sorted by [`Value::total_cmp`] (Python's tuple order
//!   for tuples) and deduplicated. Iterating a frozenset therefore goes in sorted order, not CPython's
//!   hash-table order. The reference solvers compute what CPython 3.8+ computes on their own tasks either
//!   way; on other tasks a program whose result depends on which element comes first can differ (the
//!   README's "What batt computes" measures how often; `tools/cross_check.py` checks the rest is exact).
//!
//! All tuple-like forms answer the same *tuple view* (`len`, `item`, iteration), so a primitive never needs
//! to know which one it holds. Build tuples only through [`Value::tuple`] (or the helpers that call it) so
//! the canonical form is kept. Python's rich comparison (`<` on frozensets is a proper subset) is
//! [`py_lt`]; the storage order is [`Value::total_cmp`].

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::elements::Elements;
use crate::error::{Error, Result};
use crate::func::Func;
use crate::prims::{self, PrimId};

/// A Python value as arc-dsl programs see it.
#[derive(Clone)]
pub enum Value {
    /// `None`.
    None,
    /// `True` / `False`; equal to and hashed as `1` / `0`.
    Bool(bool),
    /// `int`; arithmetic that leaves `i64` is a [`crate::ErrorKind::Memory`] outcome.
    Int(i64),
    /// A 2-tuple of ints, `(i, j)`.
    Point(i32, i32),
    /// A 2-tuple `(value, (i, j))`: one cell of an object.
    Cell(i32, i32, i32),
    /// A non-empty tuple of `h` tuples of `w` ints each (`w` may be 0): a grid, row-major.
    Grid(Arc<Grid>),
    /// Any other tuple.
    Tuple(Elements),
    /// A frozenset, sorted by [`Value::total_cmp`] and deduplicated.
    Set(Elements),
    /// A primitive (a function of `dsl.py`), by its row in the table: stored inline, so passing one around
    /// touches no reference count that threads would share.
    Prim(PrimId),
    /// A closure made by `compose`, `rbind`, ….
    Func(Arc<Func>),
}

/// A grid of `h` rows by `w` columns, row-major. Cells hold small ints (`i8`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Grid {
    pub h: usize,
    pub w: usize,
    pub cells: Box<[i8]>,
}

impl Grid {
    /// A grid from its dimensions and row-major cells; `cells.len()` must be `h * w` and `h > 0`.
    pub fn new(h: usize, w: usize, cells: Box<[i8]>) -> Grid {
        debug_assert!(h > 0 && cells.len() == h * w);
        Grid { h, w, cells }
    }
    /// The cell at row `i`, column `j` (unchecked beyond slice bounds).
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> i8 {
        self.cells[i * self.w + j]
    }
    /// Row `i` as a slice.
    #[inline]
    pub fn row(&self, i: usize) -> &[i8] {
        &self.cells[i * self.w..(i + 1) * self.w]
    }
    /// The grid as a value (wrapped in `Value::Grid`).
    pub fn into_value(self) -> Value {
        Value::Grid(Arc::new(self))
    }
}

/// Whether a container is a `tuple` or a `frozenset`: what `type(container)(…)` rebuilds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Tuple,
    Set,
}

pub const TRUE: Value = Value::Bool(true);
pub const FALSE: Value = Value::Bool(false);

impl Value {
    // ---- construction -------------------------------------------------------------------------

    /// A tuple in canonical form (point, cell, grid or plain tuple).
    pub fn tuple(items: Vec<Value>) -> Value {
        if items.len() == 2 {
            if let (Some(a), Some(b)) = (items[0].as_small_int(), items[1].as_small_int()) {
                return Value::Point(a, b);
            }
            if let (Some(v), Value::Point(i, j)) = (items[0].as_small_int(), &items[1]) {
                return Value::Cell(v, *i, *j);
            }
        }
        if let Some(grid) = Self::grid_from_rows(&items) {
            return Value::Grid(Arc::new(grid));
        }
        Value::Tuple(items.into())
    }

    /// The 2-tuple `(a, b)` in canonical form, with one allocation at most (the most common tuple:
    /// a point, a cell, a pair from `product` or `astuple`).
    pub fn tuple2(a: Value, b: Value) -> Value {
        match Value::pair_shape(&a, &b) {
            PairShape::Point(x, y) => Value::Point(x, y),
            PairShape::Cell(x, i, j) => Value::Cell(x, i, j),
            // Two int rows of one length may make a grid: the general constructor decides.
            PairShape::Rows => Value::tuple(vec![a, b]),
            PairShape::Plain => Value::Tuple(Elements::from([a, b])),
        }
    }

    /// What [`Value::tuple2`] makes of `a` and `b`, decided in that order: a point (two ints), a cell (an
    /// int and a point), what two int rows of one length make, or a plain tuple of the two.
    #[inline]
    pub(crate) fn pair_shape(a: &Value, b: &Value) -> PairShape {
        if let Some(x) = a.as_small_int() {
            if let Some(y) = b.as_small_int() {
                return PairShape::Point(x, y);
            }
            if let Value::Point(i, j) = *b {
                return PairShape::Cell(x, i, j);
            }
        }
        match a.int_row_len() {
            Some(w) if b.int_row_len() == Some(w) => PairShape::Rows,
            _ => PairShape::Plain,
        }
    }

    /// The empty tuple `()`.
    pub fn empty_tuple() -> Value {
        Value::Tuple(Elements::empty())
    }

    /// A tuple of ints (a grid row, say) in canonical form.
    pub fn int_tuple(items: &[i64]) -> Value {
        Value::tuple(items.iter().map(|&v| Value::Int(v)).collect())
    }

    fn grid_from_rows(items: &[Value]) -> Option<Grid> {
        let first = items.first()?;
        let w = first.int_row_len()?;
        let mut cells = Vec::with_capacity(items.len() * w);
        for row in items {
            match row {
                Value::Point(a, b) if w == 2 => {
                    cells.push(i8::try_from(*a).ok()?);
                    cells.push(i8::try_from(*b).ok()?);
                }
                Value::Tuple(t) if t.len() == w => {
                    for v in t.iter() {
                        cells.push(i8::try_from(v.as_int()?).ok()?);
                    }
                }
                _ => return None,
            }
        }
        Some(Grid::new(items.len(), w, cells.into()))
    }

    /// Whether the value is stored inline (owns nothing on the heap): `None`, a bool, an int, a point, a
    /// cell or a primitive.
    #[inline]
    pub fn is_inline(&self) -> bool {
        matches!(
            self,
            Value::None | Value::Bool(_) | Value::Int(_) | Value::Point(..) | Value::Cell(..) | Value::Prim(_)
        )
    }

    /// The length of this value if it is a tuple of ints (a candidate grid row).
    fn int_row_len(&self) -> Option<usize> {
        match self {
            Value::Point(..) => Some(2),
            Value::Tuple(t) if t.iter().all(|v| v.as_int().is_some()) => Some(t.len()),
            _ => None,
        }
    }

    /// A frozenset from any elements: sorts and deduplicates.
    pub fn set(mut items: Vec<Value>) -> Value {
        // Most sets are built from an already sorted one (a shift, a filter) or from several sorted ones
        // concatenated (a merge), and hold only points or only cells: check for order first; otherwise sort
        // plain integer keys if it can, and else use the stable sort (which finds sorted runs and merges them).
        if !items.is_sorted_by(|a, b| a.total_cmp(b) != Ordering::Greater) {
            if let Some(set) = keyed_set(items.iter(), items.len()) {
                return set;
            }
            sort_containers(&mut items);
        }
        items.dedup();
        Value::Set(items.into())
    }

    /// The union of frozensets that hold only points, or only cells (`merge` of shifted objects, say),
    /// keyed by plain integers straight from the sets, without gathering their values first. `None`
    /// when some container is not a frozenset or holds anything else.
    pub fn union_of_keyed(sets: &[Value]) -> Option<Value> {
        let elems = sets.iter().map(|s| if let Value::Set(items) = s { Some(&items[..]) } else { None });
        let elems: Vec<&[Value]> = elems.collect_some()?;
        keyed_set(elems.iter().flat_map(|e| e.iter()), elems.iter().map(|e| e.len()).sum())
    }

    /// A frozenset from elements already sorted by `total_cmp` and free of duplicates.
    pub fn set_from_sorted(items: Vec<Value>) -> Value {
        debug_assert!(items.windows(2).all(|w| w[0].total_cmp(&w[1]) == Ordering::Less));
        Value::Set(items.into())
    }

    /// [`Value::set_from_sorted`] for elements an iterator yields, collected straight into the set's
    /// allocation when the iterator knows its length.
    pub fn set_from_exact(items: impl Iterator<Item = Value>) -> Value {
        let set: Elements = items.collect();
        debug_assert!(set.windows(2).all(|w| w[0].total_cmp(&w[1]) == Ordering::Less));
        Value::Set(set)
    }

    /// The frozenset of points `(i, j)` (when `points`) or cells `(c, (i, j))` keyed as `(c, i, j)` (`c` is 0
    /// for points), in any order, duplicates allowed.
    pub fn set_of_keys(keys: Vec<(i32, i32, i32)>, points: bool) -> Value {
        let rebuild = |(c, i, j): (i32, i32, i32)| if points { Value::Point(i, j) } else { Value::Cell(c, i, j) };
        Value::Set(sort_keys(keys).into_iter().map(rebuild).collect())
    }

    /// The empty frozenset.
    pub fn empty_set() -> Value {
        Value::Set(Elements::empty())
    }

    /// A container of `kind` from items: `type(container)(items)`.
    pub fn of_kind(kind: Kind, items: Vec<Value>) -> Value {
        match kind {
            Kind::Tuple => Value::tuple(items),
            Kind::Set => Value::set(items),
        }
    }

    /// `(a, b)` for two ints.
    pub fn pair(a: i64, b: i64) -> Value {
        match (i32::try_from(a), i32::try_from(b)) {
            (Ok(a), Ok(b)) => Value::Point(a, b),
            _ => Value::Tuple(Elements::from([Value::Int(a), Value::Int(b)])),
        }
    }

    // ---- scalar access ------------------------------------------------------------------------

    /// The value as an int, if it is an `int` or a `bool`.
    #[inline]
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    fn as_small_int(&self) -> Option<i32> {
        self.as_int().and_then(|i| i32::try_from(i).ok())
    }

    /// The index `(i, j)` of a point, or of a cell `(value, (i, j))`; `None` for anything else.
    #[inline]
    pub fn point_or_cell_index(&self) -> Option<(i32, i32)> {
        match self {
            Value::Point(i, j) | Value::Cell(_, i, j) => Some((*i, *j)),
            _ => None,
        }
    }

    /// The value as an int, or a `TypeError`.
    #[inline]
    pub fn int(&self) -> Result<i64> {
        self.as_int().ok_or_else(|| Error::type_error("an integer is required"))
    }

    /// The value as a pair of ints `(a, b)`, or the error Python's unpacking would raise.
    pub fn int_pair(&self) -> Result<(i64, i64)> {
        match self {
            Value::Point(a, b) => Ok((*a as i64, *b as i64)),
            Value::Tuple(t) if t.len() == 2 => Ok((t[0].int()?, t[1].int()?)),
            // Two items of which one is no int (`(v, (i, j))`, a two-row grid): unpacking works, using them fails.
            Value::Cell(..) | Value::Grid(_) if self.len() == Ok(2) => Err(Error::type_error("an integer is required")),
            _ if self.is_tuple_like() => Err(Error::value_error("unpacking expected 2 values")),
            _ => Err(Error::type_error("cannot unpack non-tuple")),
        }
    }

    /// `(x[0], x[1])` as ints: what arc-dsl's numerical primitives read from a pair. A longer tuple is
    /// fine (as in Python); a shorter one is an `IndexError`, a frozenset a `TypeError`.
    pub fn ints01(&self) -> Result<(i64, i64)> {
        match self {
            Value::Point(a, b) => Ok((*a as i64, *b as i64)),
            _ => Ok((self.index(0)?.int()?, self.index(1)?.int()?)),
        }
    }

    /// Python truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Point(..) | Value::Cell(..) | Value::Grid(_) => true,
            Value::Tuple(t) | Value::Set(t) => !t.is_empty(),
            Value::Prim(_) | Value::Func(_) => true,
        }
    }

    /// A bool value.
    #[inline]
    pub fn bool(b: bool) -> Value {
        Value::Bool(b)
    }

    // ---- the container view -------------------------------------------------------------------

    /// True if and only if this is a tuple in any of its canonical forms.
    #[inline]
    pub fn is_tuple_like(&self) -> bool {
        matches!(self, Value::Point(..) | Value::Cell(..) | Value::Grid(_) | Value::Tuple(_))
    }

    /// `tuple` or `frozenset`; a `TypeError` for anything else.
    pub fn kind(&self) -> Result<Kind> {
        match self {
            Value::Set(_) => Ok(Kind::Set),
            v if v.is_tuple_like() => Ok(Kind::Tuple),
            _ => Err(Error::type_error("object is not a container")),
        }
    }

    /// `len(x)`.
    #[inline]
    pub fn len(&self) -> Result<usize> {
        match self {
            Value::Point(..) | Value::Cell(..) => Ok(2),
            Value::Grid(g) => Ok(g.h),
            Value::Tuple(t) | Value::Set(t) => Ok(t.len()),
            _ => Err(Error::type_error("object has no len()")),
        }
    }

    /// `len(x) == 0`.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Item `k` of a tuple or of a frozenset in iteration order (callers check `k < len`). Inlined where
    /// it is called (`first`, `last`, `index` and the iterators run it some hundred million times a build);
    /// a grid's row is built out of line.
    #[inline]
    pub fn item(&self, k: usize) -> Value {
        match self {
            Value::Point(a, b) => Value::Int(if k == 0 { *a } else { *b } as i64),
            Value::Cell(v, i, j) => {
                if k == 0 {
                    Value::Int(*v as i64)
                } else {
                    Value::Point(*i, *j)
                }
            }
            Value::Grid(g) => grid_row(g, k),
            Value::Tuple(t) | Value::Set(t) => t[k].clone(),
            _ => Value::None,
        }
    }

    /// `x[k]` with Python's negative indices; `IndexError` when out of range.
    pub fn index(&self, k: i64) -> Result<Value> {
        let n = self.len()? as i64;
        if matches!(self, Value::Set(_)) {
            return Err(Error::type_error("'frozenset' object is not subscriptable"));
        }
        let k = if k < 0 { k + n } else { k };
        if k < 0 || k >= n {
            return Err(Error::index_error("tuple index out of range"));
        }
        Ok(self.item(k as usize))
    }

    /// `len(self[0])`, without building the row when this is a grid (its width).
    pub fn first_len(&self) -> Result<usize> {
        match self {
            Value::Grid(g) => Ok(g.w),
            _ => self.index(0)?.len(),
        }
    }

    /// The items of a tuple or frozenset, in iteration order; `TypeError` if not iterable.
    pub fn items(&self) -> Result<Items<'_>> {
        Ok(Items { value: self, next: 0, len: self.len()? })
    }

    /// The items collected into a vector.
    pub fn to_vec(&self) -> Result<Vec<Value>> {
        match self {
            Value::Tuple(t) | Value::Set(t) => Ok(t.to_vec()),
            _ => Ok(self.items()?.collect()),
        }
    }

    /// The elements of a frozenset or plain tuple as a slice, without copying.
    pub fn as_slice(&self) -> Option<&[Value]> {
        match self {
            Value::Tuple(t) | Value::Set(t) => Some(t),
            _ => None,
        }
    }

    /// `x in container`.
    pub fn contains(&self, x: &Value) -> Result<bool> {
        match self {
            Value::Set(s) => Ok(s.binary_search_by(|e| e.total_cmp(x)).is_ok()),
            Value::Tuple(t) => Ok(t.iter().any(|e| e == x)),
            Value::Point(..) | Value::Cell(..) => Ok(self.items()?.any(|e| &e == x)),
            Value::Grid(g) => Ok(match x.int_row_len() {
                Some(w) if w == g.w => (0..g.h).any(|i| self.item(i) == *x),
                _ => false,
            }),
            _ => Err(Error::type_error("argument of type is not iterable")),
        }
    }

    /// The grid, or a `TypeError`/`IndexError` as arc-dsl's grid primitives would raise.
    pub fn grid(&self) -> Result<&Grid> {
        match self {
            Value::Grid(g) => Ok(g),
            Value::Tuple(t) if t.is_empty() => Err(Error::index_error("tuple index out of range")),
            _ => Err(Error::type_error("expected a grid")),
        }
    }

    /// The closure, or a `TypeError` (`'int' object is not callable`; a primitive is not a closure).
    pub fn func(&self) -> Result<&Arc<Func>> {
        match self {
            Value::Func(f) => Ok(f),
            _ => Err(Error::type_error("object is not callable")),
        }
    }

    /// `co_argcount` of a callable (primitive or closure); `None` for anything else.
    pub fn arity(&self) -> Option<usize> {
        match self {
            Value::Prim(id) => Some(prims::get(*id).arity),
            Value::Func(f) => Some(f.arity()),
            _ => None,
        }
    }

    /// A short Python type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Point(..) | Value::Cell(..) | Value::Grid(_) | Value::Tuple(_) => "tuple",
            Value::Set(_) => "frozenset",
            Value::Prim(_) | Value::Func(_) => "function",
        }
    }

    /// How many elements this value holds at its top level (for fuel and size accounting).
    pub fn weight(&self) -> usize {
        match self {
            Value::Grid(g) => g.cells.len(),
            Value::Tuple(t) | Value::Set(t) => t.len(),
            _ => 1,
        }
    }

    // ---- ordering -----------------------------------------------------------------------------

    fn rank(&self) -> u8 {
        match self {
            Value::None => 0,
            Value::Bool(_) | Value::Int(_) => 1,
            Value::Point(..) | Value::Cell(..) | Value::Grid(_) | Value::Tuple(_) => 2,
            Value::Set(_) => 3,
            Value::Prim(_) | Value::Func(_) => 4,
        }
    }

    /// The total order frozensets are stored in: Python's order for ints and for tuples (lexicographic),
    /// and a fixed order across types (None < numbers < tuples < frozensets < callables); frozensets
    /// among themselves compare lexicographically by their sorted elements.
    #[inline]
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        use Value::*;
        // Points, cells and ints, the elements of nearly every set, compare inline; the rest out of line.
        match (self, other) {
            (Point(a, b), Point(c, d)) => (a, b).cmp(&(c, d)),
            (Cell(a, b, c), Cell(d, e, f)) => (a, b, c).cmp(&(d, e, f)),
            (Int(a), Int(b)) => a.cmp(b),
            _ => self.total_cmp_general(other),
        }
    }

    #[inline(never)]
    fn total_cmp_general(&self, other: &Value) -> Ordering {
        use Value::*;
        let (ra, rb) = (self.rank(), other.rank());
        if ra != rb {
            return ra.cmp(&rb);
        }
        match (self, other) {
            (Point(a, b), Point(c, d)) => (a, b).cmp(&(c, d)),
            (Cell(a, b, c), Cell(d, e, f)) => (a, b, c).cmp(&(d, e, f)),
            (None, None) => Ordering::Equal,
            (Set(a), Set(b)) => cmp_slices(a, b),
            // Callables: primitives by their row, before every closure.
            (Prim(a), Prim(b)) => a.cmp(b),
            (Prim(_), Func(_)) => Ordering::Less,
            (Func(_), Prim(_)) => Ordering::Greater,
            (Func(a), Func(b)) => a.total_cmp(b),
            (Grid(a), Grid(b)) if a.w == b.w => a.cells.cmp(&b.cells),
            (Tuple(a), Tuple(b)) => cmp_slices(a, b),
            _ if ra == 1 => self.as_int().cmp(&other.as_int()),
            _ => cmp_tuple_views(self, other),
        }
    }
}

/// Row `k` of a grid as a value: a tuple of ints, so a point when it has two.
#[inline(never)]
fn grid_row(g: &Grid, k: usize) -> Value {
    match g.row(k) {
        &[a, b] => Value::Point(a as i32, b as i32),
        row => Value::Tuple(row.iter().map(|&c| Value::Int(c as i64)).collect()),
    }
}

/// The frozenset of `items` (`len` of them, in any order, duplicates allowed) when they are only points,
/// or only cells: sorted and deduplicated as plain integer keys (a cell's key starts with its value, a
/// point's with 0, so a mix of both is refused). `None` otherwise.
fn keyed_set<'a>(items: impl Iterator<Item = &'a Value>, len: usize) -> Option<Value> {
    let mut points: Option<bool> = None;
    let mut keys = Vec::with_capacity(len);
    for v in items {
        match v {
            Value::Point(i, j) if points != Some(false) => {
                points = Some(true);
                keys.push((0, *i, *j));
            }
            Value::Cell(c, i, j) if points != Some(true) => {
                points = Some(false);
                keys.push((*c, *i, *j));
            }
            _ => return None,
        }
    }
    Some(Value::set_of_keys(keys, points == Some(true)))
}

/// What [`Value::tuple2`] makes of two values ([`Value::pair_shape`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PairShape {
    Point(i32, i32),
    Cell(i32, i32, i32),
    Rows,
    Plain,
}

/// Sorts values by `total_cmp`. Frozensets, or tuples, compare by their items in order, and most
/// comparisons end at the first: when every first item is a point, every one a cell or every one an int
/// (the sets of objects a merge of shifted objects makes, the pairs of cells of a `product`), a key of
/// it, made once per value, decides those without following the pointers, and only equal keys compare
/// the rest. The stable sort finds the runs a concatenation of sorted sets leaves.
fn sort_containers(items: &mut Vec<Value>) {
    let Some(keys) = first_item_keys(items) else {
        items.sort_by(Value::total_cmp);
        return;
    };
    let mut keyed: Vec<(u128, Value)> = keys.into_iter().zip(items.drain(..)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| a.total_cmp(b)));
    items.extend(keyed.into_iter().map(|(_, v)| v));
}

/// For frozensets only, or tuples only, whose first items are all points, all cells or all ints: per
/// value, a key ordered as those first items are (an empty container's key comes first, as it does).
fn first_item_keys(items: &[Value]) -> Option<Vec<u128>> {
    // An `i32` as a `u32` in the same order.
    let bias = |x: i32| (x as u32 ^ 0x8000_0000) as u128;
    let sets = match items.first()? {
        Value::Set(_) => true,
        Value::Tuple(_) => false,
        _ => return None,
    };
    let mut kind = 0;
    let mut keys = Vec::with_capacity(items.len());
    for v in items {
        let elements = match v {
            Value::Set(e) if sets => e,
            Value::Tuple(e) if !sets => e,
            _ => return None,
        };
        let Some(first) = elements.first() else {
            keys.push(0);
            continue;
        };
        let (k, key) = match *first {
            Value::Point(i, j) => (1, bias(i) << 32 | bias(j)),
            Value::Cell(c, i, j) => (2, bias(c) << 64 | bias(i) << 32 | bias(j)),
            Value::Int(x) => (3, (x as u64 ^ (1 << 63)) as u128),
            _ => return None,
        };
        if kind != 0 && kind != k {
            return None;
        }
        kind = k;
        keys.push(1 << 127 | key);
    }
    Some(keys)
}

/// Sorts and deduplicates integer triples. When they fall in a small box (the usual case: colours 0–9 and
/// coordinates of one grid, with many duplicates after a merge), a bitmap over the box does it in linear
/// time; otherwise a sort.
fn sort_keys(mut keys: Vec<(i32, i32, i32)>) -> Vec<(i32, i32, i32)> {
    let (mut lo, mut hi) = ((i32::MAX, i32::MAX, i32::MAX), (i32::MIN, i32::MIN, i32::MIN));
    for &(a, b, c) in &keys {
        lo = (lo.0.min(a), lo.1.min(b), lo.2.min(c));
        hi = (hi.0.max(a), hi.1.max(b), hi.2.max(c));
    }
    let Some(mut bitmap) = KeyBox::new(lo, hi, keys.len()) else {
        keys.sort_unstable();
        keys.dedup();
        return keys;
    };
    for &key in &keys {
        bitmap.insert(key);
    }
    keys.clear();
    bitmap.for_each(|key| keys.push(key));
    keys
}

/// A bitmap over the integer triples of a box `lo..=hi`, numbered in lexicographic order: it sorts and
/// deduplicates triples in time linear in their number and the box's size.
pub(crate) struct KeyBox {
    lo: (i32, i32, i32),
    /// The spans of the second and third coordinates.
    sb: u64,
    sc: u64,
    bits: Vec<u64>,
}

impl KeyBox {
    /// A bitmap over `lo..=hi` (each within `i32`, `lo <= hi`) for `n` triples, when one is worth making:
    /// 64 triples or more, and at most 16 cells of the box per triple and 2^22 in all.
    pub(crate) fn new(lo: (i32, i32, i32), hi: (i32, i32, i32), n: usize) -> Option<KeyBox> {
        let span = |l: i32, h: i32| (h as i64 - l as i64 + 1) as u64;
        let (sa, sb, sc) = (span(lo.0, hi.0), span(lo.1, hi.1), span(lo.2, hi.2));
        let cells = sa.saturating_mul(sb).saturating_mul(sc);
        if n < 64 || cells > (1 << 22) || cells > 16 * n as u64 {
            return None;
        }
        Some(KeyBox { lo, sb, sc, bits: vec![0; cells.div_ceil(64) as usize] })
    }

    /// Adds a triple of the box.
    #[inline]
    pub(crate) fn insert(&mut self, key: (i32, i32, i32)) {
        self.insert_at(self.position(key));
    }

    /// The position of a triple in the box's order (negative, or past the end, for one outside it): a
    /// triple's position moved by `d` in its second coordinate moves by `d * stride()`.
    #[inline]
    pub(crate) fn position(&self, (a, b, c): (i32, i32, i32)) -> i64 {
        let (sb, sc) = (self.sb as i64, self.sc as i64);
        ((a as i64 - self.lo.0 as i64) * sb + (b as i64 - self.lo.1 as i64)) * sc + (c as i64 - self.lo.2 as i64)
    }

    /// How far the position moves for a step of the second coordinate.
    pub(crate) fn stride(&self) -> i64 {
        self.sc as i64
    }

    /// Adds the triple at `position`, which lies in the box.
    #[inline]
    pub(crate) fn insert_at(&mut self, position: i64) {
        debug_assert!(position >= 0 && (position as u64) < self.bits.len() as u64 * 64);
        let k = position as u64;
        self.bits[(k / 64) as usize] |= 1 << (k % 64);
    }

    /// Calls `f` on each triple added, once, in increasing order. The coordinates follow the bits as they
    /// go up (no division per triple).
    pub(crate) fn for_each(&self, mut f: impl FnMut((i32, i32, i32))) {
        let (mut a, mut b, mut row) = (self.lo.0, 0u64, 0u64);
        for (w, &word) in self.bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                let k = w as u64 * 64 + word.trailing_zeros() as u64;
                word &= word - 1;
                while k >= row + self.sc {
                    row += self.sc;
                    b += 1;
                    if b == self.sb {
                        b = 0;
                        a += 1;
                    }
                }
                f((a, self.lo.1 + b as i32, self.lo.2 + (k - row) as i32));
            }
        }
    }

    /// How many triples were added.
    pub(crate) fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }
}

fn cmp_slices(a: &[Value], b: &[Value]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        match x.total_cmp(y) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    a.len().cmp(&b.len())
}

fn cmp_tuple_views(a: &Value, b: &Value) -> Ordering {
    let (la, lb) = (a.len().unwrap_or(0), b.len().unwrap_or(0));
    for k in 0..la.min(lb) {
        match a.item(k).total_cmp(&b.item(k)) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    la.cmp(&lb)
}

/// Python's `a < b`: ints numerically, tuples lexicographically (first unequal items decide), frozensets
/// by proper subset; `TypeError` across types, for `None` and for callables.
pub fn py_lt(a: &Value, b: &Value) -> Result<bool> {
    use Value::*;
    match (a, b) {
        (Int(_) | Bool(_), Int(_) | Bool(_)) => Ok(a.as_int() < b.as_int()),
        (Point(a0, a1), Point(b0, b1)) => Ok((a0, a1) < (b0, b1)),
        (Cell(a0, a1, a2), Cell(b0, b1, b2)) => Ok((a0, a1, a2) < (b0, b1, b2)),
        (Set(x), Set(y)) => Ok(x.len() < y.len() && is_subset(x, y)),
        _ if a.is_tuple_like() && b.is_tuple_like() => {
            let (la, lb) = (a.len()?, b.len()?);
            for k in 0..la.min(lb) {
                let (x, y) = (a.item(k), b.item(k));
                if x != y {
                    return py_lt(&x, &y);
                }
            }
            Ok(la < lb)
        }
        _ => Err(Error::type_error("'<' not supported between these types")),
    }
}

/// Python's `a > b` (for every type arc-dsl compares, `b < a`).
#[inline]
pub fn py_gt(a: &Value, b: &Value) -> Result<bool> {
    py_lt(b, a)
}

/// Whether sorted slice `a` is a subset of sorted slice `b`.
pub fn is_subset(a: &[Value], b: &[Value]) -> bool {
    let mut rest = b;
    for x in a {
        match rest.binary_search_by(|e| e.total_cmp(x)) {
            Ok(k) => rest = &rest[k + 1..],
            Err(_) => return false,
        }
    }
    true
}

/// An iterator over the items of a tuple or frozenset.
pub struct Items<'a> {
    value: &'a Value,
    next: usize,
    len: usize,
}

impl Iterator for Items<'_> {
    type Item = Value;
    #[inline]
    fn next(&mut self) -> Option<Value> {
        if self.next >= self.len {
            return None;
        }
        self.next += 1;
        Some(self.value.item(self.next - 1))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len - self.next, Some(self.len - self.next))
    }
}

impl ExactSizeIterator for Items<'_> {}

/// Short-circuiting collects that allocate once. `collect::<Option<Vec<_>>>()` cannot trust an
/// iterator's length (it may stop early), so it grows its vector by doubling, copying as it goes; over a
/// slice or a tuple view the length is known, and most collects run to the end.
pub(crate) trait CollectExact<T>: ExactSizeIterator + Sized {
    /// `collect::<Result<Vec<T>, E>>()`.
    fn collect_ok<E>(self) -> std::result::Result<Vec<T>, E>
    where
        Self: Iterator<Item = std::result::Result<T, E>>,
    {
        let mut out = Vec::with_capacity(self.len());
        for x in self {
            out.push(x?);
        }
        Ok(out)
    }

    /// `collect::<Option<Vec<T>>>()`.
    fn collect_some(self) -> Option<Vec<T>>
    where
        Self: Iterator<Item = Option<T>>,
    {
        self.map(|x| x.ok_or(())).collect_ok().ok()
    }
}

impl<T, I: ExactSizeIterator> CollectExact<T> for I {}

impl PartialEq for Value {
    #[inline]
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Int(a), Int(b)) => a == b,
            (Point(a, b), Point(c, d)) => a == c && b == d,
            (Cell(a, b, c), Cell(d, e, f)) => a == d && b == e && c == f,
            (Bool(_) | Int(_), Bool(_) | Int(_)) => self.as_int() == other.as_int(),
            (None, None) => true,
            (Grid(a), Grid(b)) => a == b,
            (Tuple(a), Tuple(b)) | (Set(a), Set(b)) => a == b,
            (Prim(a), Prim(b)) => a == b,
            (Func(a), Func(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        use Value::*;
        match self {
            None => state.write_u8(0),
            Bool(_) | Int(_) => {
                state.write_u8(1);
                state.write_i64(self.as_int().unwrap_or(0));
            }
            Point(a, b) => {
                state.write_u8(2);
                state.write_i32(*a);
                state.write_i32(*b);
            }
            Cell(a, b, c) => {
                state.write_u8(3);
                state.write_i32(*a);
                state.write_i32(*b);
                state.write_i32(*c);
            }
            Grid(g) => {
                state.write_u8(4);
                g.hash(state);
            }
            Tuple(t) => {
                state.write_u8(5);
                t.hash(state);
            }
            Set(t) => {
                state.write_u8(6);
                t.hash(state);
            }
            Func(f) => {
                state.write_u8(7);
                f.hash(state);
            }
            Prim(id) => {
                state.write_u8(8);
                state.write_u16(id.0);
            }
        }
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// Python's `repr`: `(1, 2)`, `frozenset({…})`, `True`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => f.write_str("None"),
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Point(a, b) => write!(f, "({a}, {b})"),
            Value::Cell(v, i, j) => write!(f, "({v}, ({i}, {j}))"),
            Value::Set(s) if s.is_empty() => f.write_str("frozenset()"),
            Value::Set(s) => {
                f.write_str("frozenset({")?;
                for (k, v) in s.iter().enumerate() {
                    if k > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("})")
            }
            Value::Prim(id) => f.write_str(prims::get(*id).name),
            Value::Func(func) => write!(f, "{func}"),
            _ => {
                let n = self.len().unwrap_or(0);
                f.write_str("(")?;
                for k in 0..n {
                    if k > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", self.item(k))?;
                }
                f.write_str(if n == 1 { ",)" } else { ")" })
            }
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(items: Vec<Value>) -> Value {
        Value::tuple(items)
    }

    #[test]
    fn sorting_containers_by_their_first_item_is_sorting_them() {
        let p = |i, j| Value::Point(i, j);
        let c = |k, i, j| Value::Cell(k, i, j);
        let set = |items: Vec<Value>| Value::set(items);
        let families: Vec<Vec<Value>> = vec![
            // Sets of points, with equal first points, an empty set and negative coordinates.
            vec![
                set(vec![p(1, 2), p(3, 0)]),
                set(vec![]),
                set(vec![p(1, 2)]),
                set(vec![p(-1, 5), p(0, 0)]),
                set(vec![p(1, 2), p(2, 9)]),
                set(vec![p(1, 2), p(3, 0)]),
            ],
            // Pairs of cells, as `product` makes them.
            vec![
                Value::tuple2(c(3, 0, 1), c(2, 5, 5)),
                Value::tuple2(c(-1, 0, 1), c(2, 5, 5)),
                Value::tuple2(c(3, 0, 1), c(1, 5, 5)),
                Value::tuple2(c(3, 0, 0), c(9, 9, 9)),
            ],
            // Tuples starting with ints; mixed first items take the plain sort.
            vec![t(vec![Value::Int(5), p(1, 1)]), t(vec![Value::Int(-7)]), t(vec![]), t(vec![Value::Int(5)])],
            vec![set(vec![p(1, 2)]), set(vec![c(1, 0, 0)]), set(vec![Value::Int(3)])],
        ];
        for items in families {
            let mut expected = items.clone();
            expected.sort_by(Value::total_cmp);
            let mut sorted = items.clone();
            sort_containers(&mut sorted);
            assert_eq!(sorted, expected, "{items:?}");
        }
    }

    #[test]
    fn sorting_triples_by_bitmap_is_sorting_them() {
        // Boxes from one cell thick to sparse, with many repeats; a simple generator keeps it reproducible.
        let mut numbers = crate::prims::testing::numbers();
        let mut next = |n: i32| numbers(n as u64) as i32;
        for (n, spans) in
            [(64, (1, 1, 64)), (600, (10, 30, 30)), (300, (1, 7, 3)), (200, (3, 1, 40)), (1000, (2, 5, 9))]
        {
            let keys: Vec<(i32, i32, i32)> =
                (0..n).map(|_| (next(spans.0) - 1, next(spans.1) + 3, next(spans.2) - 20)).collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(sort_keys(keys), expected, "{n} triples in {spans:?}");
        }
    }

    #[test]
    fn canonical_forms() {
        assert!(matches!(t(vec![1.into(), 2.into()]), Value::Point(1, 2)));
        assert!(matches!(t(vec![3.into(), Value::pair(1, 2)]), Value::Cell(3, 1, 2)));
        let g = t(vec![Value::pair(1, 2), Value::pair(3, 4)]);
        assert!(matches!(&g, Value::Grid(g) if g.h == 2 && g.w == 2));
        let row = Value::int_tuple(&[1, 2, 3]);
        assert!(matches!(t(vec![row.clone()]), Value::Grid(g) if g.h == 1 && g.w == 3));
        let ragged = t(vec![row, Value::pair(1, 2)]);
        assert!(matches!(ragged, Value::Tuple(_)));
        assert!(matches!(t(vec![Value::empty_tuple(), Value::empty_tuple()]), Value::Grid(g) if g.w == 0));
        assert!(matches!(t(vec![]), Value::Tuple(_)));
        let big = t(vec![Value::int_tuple(&[1000, 2, 3])]);
        assert!(matches!(big, Value::Tuple(_)));
    }

    #[test]
    fn tuple2_agrees_with_tuple() {
        let row = Value::int_tuple(&[1, 2, 3]);
        let set = Value::set(vec![Value::pair(0, 0)]);
        let pairs = [
            (1.into(), 2.into()),
            (3.into(), Value::pair(1, 2)),
            (Value::pair(1, 2), Value::pair(3, 4)),
            (row.clone(), row.clone()),
            (row.clone(), Value::pair(1, 2)),
            (Value::pair(1, 2), set.clone()),
            (Value::empty_tuple(), Value::empty_tuple()),
            (Value::int_tuple(&[1000, 2]), Value::pair(3, 4)),
            (set, Value::None),
        ];
        for (a, b) in pairs {
            let (two, general) = (Value::tuple2(a.clone(), b.clone()), t(vec![a, b]));
            assert_eq!(std::mem::discriminant(&two), std::mem::discriminant(&general), "{general}");
            assert_eq!(two, general);
        }
    }

    #[test]
    fn union_of_keyed_agrees_with_set() {
        let points = |v: &[(i32, i32)]| Value::set(v.iter().map(|&(i, j)| Value::Point(i, j)).collect());
        let cells = |v: &[(i32, i32, i32)]| Value::set(v.iter().map(|&(c, i, j)| Value::Cell(c, i, j)).collect());
        let union = |sets: &[Value]| Value::set(sets.iter().flat_map(|s| s.to_vec().unwrap_or_default()).collect());
        let cases = [
            vec![points(&[(0, 1), (2, 3)]), points(&[(0, 0), (2, 3), (-5, 9)]), Value::empty_set()],
            vec![cells(&[(1, 0, 0), (3, 1, 1)]), cells(&[(0, 5, 5), (3, 1, 1)])],
            vec![Value::empty_set(), Value::empty_set()],
        ];
        for sets in cases {
            assert_eq!(Value::union_of_keyed(&sets), Some(union(&sets)));
        }
        // Points with cells, a tuple, or other elements: left to the general path.
        assert_eq!(Value::union_of_keyed(&[points(&[(0, 1)]), cells(&[(1, 0, 0)])]), None);
        assert_eq!(Value::union_of_keyed(&[Value::pair(0, 1)]), None);
        assert_eq!(Value::union_of_keyed(&[Value::set(vec![Value::Int(1)])]), None);
    }

    #[test]
    fn tuple_view_is_uniform() {
        let g = t(vec![Value::int_tuple(&[1, 2, 3]), Value::int_tuple(&[4, 5, 6])]);
        assert_eq!(g.len().ok(), Some(2));
        assert_eq!(g.item(1), Value::int_tuple(&[4, 5, 6]));
        assert_eq!(g.to_string(), "((1, 2, 3), (4, 5, 6))");
        let c = Value::Cell(5, 1, 2);
        assert_eq!(c.item(1), Value::Point(1, 2));
        assert_eq!(t(vec![Value::Int(1)]).to_string(), "(1,)");
    }

    #[test]
    fn bools_are_ints() {
        assert_eq!(Value::Bool(true), Value::Int(1));
        assert!(matches!(t(vec![TRUE, FALSE]), Value::Point(1, 0)));
        assert!(py_lt(&FALSE, &Value::Int(1)).unwrap_or(false));
    }

    #[test]
    fn sets_sort_and_dedupe() {
        let s = Value::set(vec![Value::pair(1, 0), Value::pair(0, 5), Value::pair(1, 0)]);
        assert_eq!(s.to_string(), "frozenset({(0, 5), (1, 0)})");
        assert!(s.contains(&Value::pair(0, 5)).unwrap_or(false));
    }

    #[test]
    fn dense_and_sorted_set_building_agree() {
        // A small linear congruential generator: deterministic inputs of every shape the bitmap path takes
        // (boxes of many duplicates) and the sort path (sparse, far apart, few).
        let mut state: u64 = 7;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for round in 0..200 {
            let n = [3, 70, 500, 3000][round % 4];
            let spread = [4, 30, 1000, 1 << 30][(round / 4) % 4];
            let cells = round % 2 == 0;
            let items: Vec<Value> = (0..n)
                .map(|_| {
                    let (i, j) = (next(spread) as i32 - (spread / 2) as i32, next(spread) as i32);
                    if cells { Value::Cell(next(10) as i32, i, j) } else { Value::Point(i, j) }
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by(Value::total_cmp);
            expected.dedup();
            assert_eq!(Value::set(items), Value::Set(expected.into()), "round {round}");
        }
    }

    #[test]
    fn python_comparisons() {
        let a = Value::set(vec![1.into()]);
        let b = Value::set(vec![1.into(), 2.into()]);
        let c = Value::set(vec![3.into()]);
        assert_eq!(py_lt(&a, &b).ok(), Some(true));
        assert_eq!(py_lt(&a, &c).ok(), Some(false));
        assert_eq!(py_gt(&a, &c).ok(), Some(false));
        assert!(py_lt(&Value::Int(1), &Value::pair(1, 1)).is_err());
        let x = Value::int_tuple(&[1, 2, 3]);
        assert_eq!(py_lt(&Value::pair(1, 2), &x).ok(), Some(true));
        assert_eq!(Value::pair(1, 2).total_cmp(&x), Ordering::Less);
    }
}

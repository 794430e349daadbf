//! The geometry of patches: a patch is a set of indices `(i, j)` or an object, a set of cells
//! `(value, (i, j))`. These primitives read extents and corners, move and normalize patches, build
//! neighbourhoods, lines, boxes and frontiers, and measure distances, relative positions and periods.
//!
//! Grids are patches too where arc-dsl lets them be: `height`, `width`, `shape`, `portrait`, `square` and
//! `center` dispatch on `isinstance(piece, tuple)`, and `toindices` hands a tuple of pairs back unchanged,
//! so a tuple flows through the generic paths below with Python's results and errors. The fast paths cover
//! the canonical forms (frozensets of [`Value::Point`]s or [`Value::Cell`]s); everything else takes a
//! slower path that follows the Python code step by step.

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::prims::common::{self, bounds, holds_cells, index_pairs, pair_items};
use crate::prims::{Primitive, prim};
use crate::value::{CollectExact, Value, is_subset, py_gt, py_lt};

// ---- helpers -----------------------------------------------------------------------------------------

/// Python's `a, b = x` where both are then used as ints: unpacking errors first, then a `TypeError` for a
/// non-int part.
pub(super) fn ints2(x: &Value) -> Result<(i64, i64)> {
    if let Value::Point(a, b) = x {
        return Ok((*a as i64, *b as i64));
    }
    let (a, b) = pair_items(x)?;
    Ok((a.int()?, b.int()?))
}

/// An int result that left `i64`: batt's `memory` outcome.
fn overflow() -> Error {
    Error::memory()
}

/// `a + b`, or the `memory` outcome when it leaves `i64`.
#[inline]
fn add(a: i64, b: i64) -> Result<i64> {
    a.checked_add(b).ok_or_else(overflow)
}

/// `-a`, or the `memory` outcome.
#[inline]
fn neg(a: i64) -> Result<i64> {
    a.checked_neg().ok_or_else(overflow)
}

/// `hi - lo + 1` (an extent), or the `memory` outcome.
fn extent(lo: i64, hi: i64) -> Result<i64> {
    i64::try_from(hi as i128 - lo as i128 + 1).map_err(|_| overflow())
}

/// A length computed in `i128`, as a `usize` for [`Ctx::check_len`] (huge or negative saturate).
fn len_of(n: i128) -> usize {
    usize::try_from(n.max(0)).unwrap_or(usize::MAX)
}

/// The points of a slice that holds only [`Value::Point`]s (none if it holds anything else).
pub(super) fn points_of(s: &[Value]) -> Option<Vec<(i64, i64)>> {
    s.iter()
        .map(|v| match v {
            Value::Point(i, j) => Some((*i as i64, *j as i64)),
            _ => None,
        })
        .collect_some()
}

/// `toindices(patch)` as pairs when the patch is a frozenset of points or of cells.
fn fast_indices(patch: &Value) -> Option<Vec<(i64, i64)>> {
    match patch {
        Value::Set(s) if matches!(s.first(), Some(Value::Point(..) | Value::Cell(..))) => index_pairs(patch).ok(),
        _ => None,
    }
}

/// `(uppermost, leftmost, lowermost, rightmost)` of some index pairs; `None` when there are none.
pub(super) fn bounds_of(points: &[(i64, i64)]) -> Option<(i64, i64, i64, i64)> {
    let (&(i0, j0), rest) = points.split_first()?;
    Some(rest.iter().fold((i0, j0, i0, j0), |(t, l, b, r), &(i, j)| (t.min(i), l.min(j), b.max(i), r.max(j))))
}

/// The bounds of a frozenset of points or cells, without building its indices twice.
fn fast_bounds(patch: &Value) -> Option<(i64, i64, i64, i64)> {
    bounds_of(&fast_indices(patch)?)
}

/// `shift(patch, (di, dj))` for a non-empty patch: cells keep their values; a frozenset of points or cells
/// keeps its order when moved by a constant, so no re-sort is needed.
pub(super) fn shift_by(patch: &Value, di: i64, dj: i64) -> Result<Value> {
    if patch.len()? == 0 {
        return Ok(patch.clone());
    }
    if let Value::Set(s) = patch
        && let Some(out) = shift_fast(s, di, dj)
    {
        return Ok(out);
    }
    let mut out = Vec::with_capacity(patch.len()?);
    if holds_cells(patch)? {
        for cell in patch.items()? {
            let (value, index) = pair_items(&cell)?;
            let (i, j) = ints2(&index)?;
            out.push(Value::tuple2(value, Value::pair(add(i, di)?, add(j, dj)?)));
        }
    } else {
        for index in patch.items()? {
            let (i, j) = ints2(&index)?;
            out.push(Value::pair(add(i, di)?, add(j, dj)?));
        }
    }
    Ok(Value::set(out))
}

/// [`shift_by`] on a frozenset of only points or only cells whose moved indices stay in `i32`. A shift
/// keeps the order, so the moved elements go straight into the new set (one allocation).
fn shift_fast(s: &[Value], di: i64, dj: i64) -> Option<Value> {
    let (di, dj) = (i32::try_from(di).ok()?, i32::try_from(dj).ok()?);
    let point = matches!(s.first()?, Value::Point(..));
    let mut fits = true;
    let moved: crate::elements::Elements = s
        .iter()
        .map(|v| {
            let (i, j) = match v {
                Value::Point(i, j) if point => (i.checked_add(di), j.checked_add(dj)),
                Value::Cell(_, i, j) if !point => (i.checked_add(di), j.checked_add(dj)),
                _ => (None, None),
            };
            match (v, i, j) {
                (Value::Point(..), Some(i), Some(j)) => Value::Point(i, j),
                (Value::Cell(c, ..), Some(i), Some(j)) => Value::Cell(*c, i, j),
                _ => {
                    fits = false;
                    Value::None
                }
            }
        })
        .collect();
    fits.then_some(Value::Set(moved))
}

/// `normalize(patch)`: the patch moved so that its upper left corner is the origin.
pub(super) fn normalize_patch(patch: &Value) -> Result<Value> {
    if patch.len()? == 0 {
        return Ok(patch.clone());
    }
    let (top, left, _, _) = bounds(patch)?;
    shift_by(patch, neg(top)?, neg(left)?)
}

/// `height(piece)`: rows of a grid (any tuple), or the row extent of a patch; 0 when empty.
pub(super) fn height_of(piece: &Value) -> Result<i64> {
    let n = piece.len()?;
    if n == 0 {
        return Ok(0);
    }
    if piece.is_tuple_like() {
        return Ok(n as i64);
    }
    let (top, _, bottom, _) = bounds(piece)?;
    extent(top, bottom)
}

/// `width(piece)`: `len(piece[0])` for a tuple, or the column extent of a patch; 0 when empty.
pub(super) fn width_of(piece: &Value) -> Result<i64> {
    if piece.len()? == 0 {
        return Ok(0);
    }
    if piece.is_tuple_like() {
        return Ok(piece.first_len()? as i64);
    }
    let (_, left, _, right) = bounds(piece)?;
    extent(left, right)
}

/// `center(patch)`: `(uppermost + height // 2, leftmost + width // 2)`.
pub(super) fn center_of(patch: &Value) -> Result<(i64, i64)> {
    let (top, left, bottom, right) = bounds(patch)?;
    if !patch.is_tuple_like() {
        // A patch's height and width are its extents: one pass over it instead of three.
        let (h, w) = (extent(top, bottom)?, extent(left, right)?);
        return Ok((add(top, h.div_euclid(2))?, add(left, w.div_euclid(2))?));
    }
    let h = height_of(patch)?;
    let w = width_of(patch)?;
    Ok((add(top, h.div_euclid(2))?, add(left, w.div_euclid(2))?))
}

/// Which reduction a corner takes of one coordinate column.
#[derive(Clone, Copy)]
enum Pick {
    Min,
    Max,
}

/// `tuple(map(f, zip(*toindices(patch))))` where `f` is `pick[k]` for column `k`, and columns past the
/// two picks use `rest` (or raise `KeyError`, as the `{0: min, 1: max}` dicts of `urcorner` do). An empty
/// patch gives `()`; a grid gives its column-wise reductions, as in Python.
fn corner(patch: &Value, pick: [Pick; 2], rest: Option<Pick>) -> Result<Value> {
    let indices = common::toindices(patch)?;
    if let Value::Set(s) = &indices {
        if s.is_empty() {
            return Ok(Value::empty_tuple());
        }
        if let Some(points) = points_of(s) {
            let reduce = |p: Pick, k: usize| {
                let coords = points.iter().map(|pt| if k == 0 { pt.0 } else { pt.1 });
                match p {
                    Pick::Min => coords.min().unwrap_or(0),
                    Pick::Max => coords.max().unwrap_or(0),
                }
            };
            return Ok(Value::pair(reduce(pick[0], 0), reduce(pick[1], 1)));
        }
    }
    let columns = zip_columns(&indices)?;
    let mut out = Vec::with_capacity(columns.len());
    for (k, column) in columns.into_iter().enumerate() {
        let p = match (k, rest) {
            (0 | 1, _) => pick[k],
            (_, Some(p)) => p,
            (_, None) => return Err(Error::key_error("corner picks only two columns")),
        };
        out.push(reduce_column(column, p)?);
    }
    Ok(Value::tuple(out))
}

/// `zip(*items)`: the columns of a container's items, as many as its shortest item has; `TypeError` if an
/// item is not iterable.
fn zip_columns(container: &Value) -> Result<Vec<Vec<Value>>> {
    let rows: Vec<Vec<Value>> = container.items()?.map(|row| row.to_vec()).collect_ok()?;
    let n = rows.iter().map(Vec::len).min().unwrap_or(0);
    Ok((0..n).map(|k| rows.iter().map(|row| row[k].clone()).collect()).collect())
}

/// Python's `min(column)` / `max(column)` (the first of equal extremes wins) on a non-empty column.
fn reduce_column(column: Vec<Value>, pick: Pick) -> Result<Value> {
    let mut items = column.into_iter();
    let mut best = items.next().ok_or_else(|| Error::value_error("min() arg is an empty sequence"))?;
    for x in items {
        let better = match pick {
            Pick::Min => py_lt(&x, &best)?,
            Pick::Max => py_gt(&x, &best)?,
        };
        if better {
            best = x;
        }
    }
    Ok(best)
}

/// `ulcorner(patch)`, unpacked into two ints (as `si, sj = ulcorner(…)` then `range(si, …)` need).
fn corner_ints(patch: &Value, pick: [Pick; 2], rest: Option<Pick>) -> Result<(Value, Value)> {
    pair_items(&corner(patch, pick, rest)?)
}

/// The frozenset of points `(i, j)` for `i` in `si..=ei` and `j` in `sj..=ej`, in sorted order.
fn rectangle(ctx: &Ctx, si: i64, sj: i64, ei: i64, ej: i64) -> Result<Value> {
    let (rows, cols) = ((ei as i128 - si as i128 + 1).max(0), (ej as i128 - sj as i128 + 1).max(0));
    ctx.check_len(len_of(rows * cols))?;
    let mut out = Vec::with_capacity(len_of(rows * cols));
    if rows > 0 && cols > 0 {
        for i in si..=ei {
            for j in sj..=ej {
                out.push(Value::pair(i, j));
            }
        }
    }
    Ok(Value::set_from_sorted(out))
}

/// The outline of the box with corners `(si, sj)` and `(ei, ej)` (`si <= ei`, `sj <= ej`): its two
/// vertical and two horizontal lines, built in sorted order.
fn outline(ctx: &Ctx, si: i64, sj: i64, ei: i64, ej: i64) -> Result<Value> {
    let (rows, cols) = (ei as i128 - si as i128 + 1, ej as i128 - sj as i128 + 1);
    ctx.check_len(len_of(2 * rows + 2 * cols))?;
    let mut out = Vec::with_capacity(len_of(2 * rows + 2 * cols));
    for i in si..=ei {
        if i == si || i == ei {
            for j in sj..=ej {
                out.push(Value::pair(i, j));
            }
        } else {
            out.push(Value::pair(i, sj));
            if ej != sj {
                out.push(Value::pair(i, ej));
            }
        }
    }
    Ok(Value::set_from_sorted(out))
}

/// The smallest `|ai + di - bi| + |aj + dj - bj|` over all pairs, charging one step per eight pairs;
/// `None` when either side is empty.
fn min_distance(ctx: &mut Ctx, a: &[(i64, i64)], b: &[(i64, i64)], di: i64, dj: i64) -> Result<Option<i64>> {
    ctx.charge(a.len().saturating_mul(b.len()) / 8)?;
    const LIMIT: i64 = 1 << 60;
    let fits = |&(i, j): &(i64, i64)| (-LIMIT..LIMIT).contains(&i) && (-LIMIT..LIMIT).contains(&j);
    if !(a.iter().all(fits) && b.iter().all(fits) && (-LIMIT..LIMIT).contains(&di) && (-LIMIT..LIMIT).contains(&dj)) {
        return Err(overflow());
    }
    let mut best: Option<i64> = None;
    for &(ai, aj) in a {
        let (ai, aj) = (ai + di, aj + dj);
        for &(bi, bj) in b {
            let d = (ai - bi).abs() + (aj - bj).abs();
            if best.is_none_or(|m| d < m) {
                best = Some(d);
                if d == 0 {
                    return Ok(best);
                }
            }
        }
    }
    Ok(best)
}

/// `manhattan(a, b)` with Python's order of evaluation: `toindices(a)`, the first index of `a`, then all
/// of `b`, then the rest of `a`; `ValueError` when either side is empty.
fn manhattan_of(ctx: &mut Ctx, a: &Value, b: &Value) -> Result<i64> {
    // Two single indices (`initset` of a point or a cell, the usual way to measure one distance): no
    // index lists to build.
    if let (Value::Set(sa), Value::Set(sb)) = (a, b)
        && let ([x], [y]) = (&sa[..], &sb[..])
        && let (Some((ai, aj)), Some((bi, bj))) = (x.point_or_cell_index(), y.point_or_cell_index())
    {
        return Ok((ai as i64 - bi as i64).abs() + (aj as i64 - bj as i64).abs());
    }
    let empty = || Error::value_error("min() arg is an empty sequence");
    let (pa, pb) = match (fast_indices(a), fast_indices(b)) {
        (Some(pa), Some(pb)) => (pa, pb),
        _ => {
            let ia = common::toindices(a)?;
            let mut items = ia.items()?;
            let Some(first) = items.next() else {
                return Err(empty());
            };
            let first = ints2(&first)?;
            let pb = index_pairs(b)?;
            let mut pa = vec![first];
            for x in items {
                pa.push(ints2(&x)?);
            }
            (pa, pb)
        }
    };
    min_distance(ctx, &pa, &pb, 0, 0)?.ok_or_else(empty)
}

/// Whether two patches share a row (`rows`) or a column: Python's
/// `len(set(i for i, j in toindices(a)) & set(…)) > 0`.
fn matching(a: &Value, b: &Value, rows: bool) -> Result<bool> {
    let pick = |p: Vec<(i64, i64)>| {
        let mut v: Vec<i64> = p.into_iter().map(|(i, j)| if rows { i } else { j }).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (xa, xb) = (pick(index_pairs(a)?), pick(index_pairs(b)?));
    Ok(xa.iter().any(|x| xb.binary_search(x).is_ok()))
}

/// `hperiod` (`horizontal`) or `vperiod`: the smallest shift `p` in `1..w` for which the normalized object
/// moved back by `p` (cells falling off the edge dropped) is a subset of itself; `w` (the width or height)
/// when none is.
fn period(ctx: &mut Ctx, obj: &Value, horizontal: bool) -> Result<Value> {
    let normalized = normalize_patch(obj)?;
    let w = if horizontal { width_of(&normalized)? } else { height_of(&normalized)? };
    let n = normalized.len()?;
    let cells = match &normalized {
        Value::Set(s) => {
            s.iter().map(|v| if let Value::Cell(c, i, j) = v { Some((*c, *i, *j)) } else { None }).collect_some()
        }
        _ => None,
    };
    let mut p = 1;
    while p < w {
        ctx.charge(n)?;
        let fits = match (&cells, &normalized) {
            (Some(cells), Value::Set(s)) => {
                let p = i32::try_from(p).map_err(|_| overflow())?;
                cells.iter().all(|&(c, i, j)| {
                    let (i, j) = if horizontal { (i, j - p) } else { (i - p, j) };
                    if (if horizontal { j } else { i }) < 0 {
                        return true;
                    }
                    let cell = Value::Cell(c, i, j);
                    s.binary_search_by(|e| e.total_cmp(&cell)).is_ok()
                })
            }
            _ => {
                let offsetted =
                    if horizontal { shift_by(&normalized, 0, neg(p)?)? } else { shift_by(&normalized, neg(p)?, 0)? };
                let mut pruned = Vec::new();
                for cell in offsetted.items()? {
                    let (c, index) = pair_items(&cell)?;
                    let (i, j) = ints2(&index)?;
                    if (if horizontal { j } else { i }) >= 0 {
                        pruned.push(Value::tuple2(c, Value::pair(i, j)));
                    }
                }
                let pruned = Value::set(pruned);
                match (pruned.as_slice(), normalized.as_slice()) {
                    (Some(x), Some(y)) => is_subset(x, y),
                    _ => return Err(Error::type_error("issubset needs an iterable")),
                }
            }
        };
        if fits {
            return Ok(Value::Int(p));
        }
        p += 1;
    }
    Ok(Value::Int(w))
}

// ---- primitives --------------------------------------------------------------------------------------

/// `toindices(patch)`: the indices of a patch (an object's cells lose their values).
fn toindices(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    common::toindices(&args[0])
}

/// `recolor(value, patch)`: the object with colour `value` at every index of `patch`.
fn recolor(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (value, patch) = (&args[0], &args[1]);
    let indices = common::toindices(patch)?;
    let colour = value.as_int().and_then(|v| i32::try_from(v).ok());
    if let (Some(c), Value::Set(s)) = (colour, &indices) {
        let cells: Option<Vec<Value>> = s
            .iter()
            .map(|v| if let Value::Point(i, j) = v { Some(Value::Cell(c, *i, *j)) } else { None })
            .collect_some();
        if let Some(cells) = cells {
            return Ok(Value::set_from_sorted(cells));
        }
    }
    let mut out = Vec::with_capacity(indices.len()?);
    for index in indices.items()? {
        out.push(Value::tuple2(value.clone(), index));
    }
    Ok(Value::set(out))
}

/// `shift(patch, directions)`: the patch moved by the vector `directions`.
pub(super) fn shift(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let patch = &args[0];
    if patch.len()? == 0 {
        return Ok(patch.clone());
    }
    let (di, dj) = pair_items(&args[1])?;
    match (di.as_int(), dj.as_int()) {
        (Some(di), Some(dj)) => shift_by(patch, di, dj),
        // Python gets as far as `i + di` for the first element, unpacking it first.
        _ => {
            let first = patch.items()?.next().ok_or_else(Error::stop_iteration)?;
            let index = if holds_cells(patch)? { pair_items(&first)?.1 } else { first };
            pair_items(&index)?;
            Err(Error::type_error("unsupported operand type(s) for +"))
        }
    }
}

/// `normalize(patch)`: the patch moved so that its upper left corner is the origin.
fn normalize(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    normalize_patch(&args[0])
}

/// `loc[0]`, `loc[1]` as ints, then the given offsets of them in the order they are listed (sorted).
fn offsets(loc: &Value, deltas: &[(i64, i64)]) -> Result<Value> {
    let (i, j) = loc.ints01()?;
    let mut out = Vec::with_capacity(deltas.len());
    for &(di, dj) in deltas {
        out.push(Value::pair(add(i, di)?, add(j, dj)?));
    }
    Ok(Value::set_from_sorted(out))
}

/// `dneighbors(loc)`: the four indices directly adjacent to `loc`.
fn dneighbors(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    offsets(&args[0], &[(-1, 0), (0, -1), (0, 1), (1, 0)])
}

/// `ineighbors(loc)`: the four indices diagonally adjacent to `loc`.
fn ineighbors(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    offsets(&args[0], &[(-1, -1), (-1, 1), (1, -1), (1, 1)])
}

/// `neighbors(loc)`: the eight indices adjacent to `loc`, directly or diagonally.
fn neighbors(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    offsets(&args[0], &[(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)])
}

/// `uppermost(patch)`: the smallest row index.
fn uppermost(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Int(bounds(&args[0])?.0))
}

/// `lowermost(patch)`: the largest row index.
fn lowermost(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Int(bounds(&args[0])?.2))
}

/// `leftmost(patch)`: the smallest column index.
fn leftmost(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Int(bounds(&args[0])?.1))
}

/// `rightmost(patch)`: the largest column index.
fn rightmost(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Int(bounds(&args[0])?.3))
}

/// `ulcorner(patch)`: `(min row, min column)`; `()` for an empty patch.
fn ulcorner(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    corner(&args[0], [Pick::Min, Pick::Min], Some(Pick::Min))
}

/// `urcorner(patch)`: `(min row, max column)`; `()` for an empty patch.
fn urcorner(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    corner(&args[0], [Pick::Min, Pick::Max], None)
}

/// `llcorner(patch)`: `(max row, min column)`; `()` for an empty patch.
fn llcorner(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    corner(&args[0], [Pick::Max, Pick::Min], None)
}

/// `lrcorner(patch)`: `(max row, max column)`; `()` for an empty patch.
fn lrcorner(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    corner(&args[0], [Pick::Max, Pick::Max], Some(Pick::Max))
}

/// `height(piece)`: the number of rows of a grid, or the row extent of a patch.
fn height(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Int(height_of(&args[0])?))
}

/// `width(piece)`: the number of columns of a grid, or the column extent of a patch.
fn width(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Int(width_of(&args[0])?))
}

/// `shape(piece)`: `(height, width)`.
fn shape(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let h = height_of(&args[0])?;
    Ok(Value::pair(h, width_of(&args[0])?))
}

/// `portrait(piece)`: whether the height exceeds the width.
fn portrait(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let h = height_of(&args[0])?;
    Ok(Value::Bool(h > width_of(&args[0])?))
}

/// `square(piece)`: a grid with as many rows as columns, or a patch filling a square bounding box.
fn square(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let piece = &args[0];
    if piece.is_tuple_like() {
        let n = piece.len()?;
        return Ok(Value::Bool(n == piece.first_len()?));
    }
    let (h, w) = (height_of(piece)?, width_of(piece)?);
    Ok(Value::Bool(h as i128 * w as i128 == piece.len()? as i128 && h == w))
}

/// `vline(patch)`: whether the patch is a vertical line (height equals size, width one).
fn vline(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let patch = &args[0];
    Ok(Value::Bool(height_of(patch)? == patch.len()? as i64 && width_of(patch)? == 1))
}

/// `hline(patch)`: whether the patch is a horizontal line (width equals size, height one).
fn hline(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let patch = &args[0];
    Ok(Value::Bool(width_of(patch)? == patch.len()? as i64 && height_of(patch)? == 1))
}

/// `hmatching(a, b)`: whether some row holds cells of both patches.
fn hmatching(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Bool(matching(&args[0], &args[1], true)?))
}

/// `vmatching(a, b)`: whether some column holds cells of both patches.
fn vmatching(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Bool(matching(&args[0], &args[1], false)?))
}

/// `manhattan(a, b)`: the smallest Manhattan distance between an index of `a` and one of `b`.
fn manhattan(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Int(manhattan_of(ctx, &args[0], &args[1])?))
}

/// `adjacent(a, b)`: whether the patches are at Manhattan distance one.
fn adjacent(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    Ok(Value::Bool(manhattan_of(ctx, &args[0], &args[1])? == 1))
}

/// `bordering(patch, grid)`: whether the patch touches a border of the grid.
fn bordering(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (patch, grid) = (&args[0], &args[1]);
    let (top, left, bottom, right) = bounds(patch)?;
    if top == 0 || left == 0 {
        return Ok(Value::Bool(true));
    }
    if bottom as i128 == grid.len()? as i128 - 1 {
        return Ok(Value::Bool(true));
    }
    Ok(Value::Bool(right as i128 == grid.first_len()? as i128 - 1))
}

/// `centerofmass(patch)`: the column-wise sums of the indices floor-divided by `len(patch)`.
fn centerofmass(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let patch = &args[0];
    let indices = common::toindices(patch)?;
    let n = patch.len()? as i64;
    if let Value::Set(s) = &indices
        && let Some(points) = points_of(s)
    {
        if points.is_empty() {
            return Ok(Value::empty_tuple());
        }
        let (si, sj) = points.iter().fold((0i64, 0i64), |(a, b), &(i, j)| (a + i, b + j));
        return Ok(Value::pair(si.div_euclid(n), sj.div_euclid(n)));
    }
    let mut out = Vec::new();
    for column in zip_columns(&indices)? {
        let mut sum = 0i64;
        for x in column {
            sum = add(sum, x.as_int().ok_or_else(|| Error::type_error("unsupported operand type for +"))?)?;
        }
        out.push(Value::Int(sum.div_euclid(n)));
    }
    Ok(Value::tuple(out))
}

/// `center(patch)`: `(uppermost + height // 2, leftmost + width // 2)`.
fn center(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (i, j) = center_of(&args[0])?;
    Ok(Value::pair(i, j))
}

/// `position(a, b)`: the direction from the centre of `a` to that of `b`, each coordinate in `{-1, 0, 1}`.
fn position(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (ia, ja) = center_of(&common::toindices(&args[0])?)?;
    let (ib, jb) = center_of(&common::toindices(&args[1])?)?;
    let sideways = if ja < jb { 1 } else { -1 };
    Ok(if ia == ib {
        Value::pair(0, sideways)
    } else if ja == jb {
        Value::pair(if ia < ib { 1 } else { -1 }, 0)
    } else if ia < ib {
        Value::pair(1, sideways)
    } else {
        Value::pair(-1, sideways)
    })
}

/// `corners(patch)`: the set of the four corner indices.
fn corners(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let patch = &args[0];
    if let Some((top, left, bottom, right)) = fast_bounds(patch) {
        let c = [(top, left), (top, right), (bottom, left), (bottom, right)];
        return Ok(Value::set(c.iter().map(|&(i, j)| Value::pair(i, j)).collect()));
    }
    let ul = corner(patch, [Pick::Min, Pick::Min], Some(Pick::Min))?;
    let ur = corner(patch, [Pick::Min, Pick::Max], None)?;
    let ll = corner(patch, [Pick::Max, Pick::Min], None)?;
    let lr = corner(patch, [Pick::Max, Pick::Max], Some(Pick::Max))?;
    Ok(Value::set(vec![ul, ur, ll, lr]))
}

/// The points of `connect(a, b)` for int endpoints.
pub(super) fn line(ctx: &Ctx, (ai, aj): (i64, i64), (bi, bj): (i64, i64)) -> Result<Value> {
    let (si, ei) = (ai.min(bi), ai.max(bi));
    let (sj, ej) = (aj.min(bj), aj.max(bj));
    let (di, dj) = (bi as i128 - ai as i128, bj as i128 - aj as i128);
    // The line as a start, a step and a length: its points are already in sorted order.
    let (start, step, n) = if ai == bi {
        ((ai, sj), (0, 1), ej as i128 - sj as i128 + 1)
    } else if aj == bj {
        ((si, aj), (1, 0), ei as i128 - si as i128 + 1)
    } else if di == dj {
        ((si, sj), (1, 1), ei as i128 - si as i128 + 1)
    } else if di == -dj {
        ((si, ej), (1, -1), ei as i128 - si as i128 + 1)
    } else {
        return Ok(Value::empty_set());
    };
    let n = len_of(n);
    ctx.check_len(n)?;
    let point = |k: i64| Value::pair(start.0 + k * step.0, start.1 + k * step.1);
    Ok(Value::set_from_exact((0..n as i64).map(point)))
}

/// `connect(a, b)`: the horizontal, vertical or diagonal line of indices from `a` to `b`, or an empty set.
fn connect(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (ai, aj) = pair_items(&args[0])?;
    let (bi, bj) = pair_items(&args[1])?;
    line(ctx, (ai.int()?, aj.int()?), (bi.int()?, bj.int()?))
}

/// `backdrop(patch)`: every index in the bounding box of the patch.
fn backdrop(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    backdrop_of(ctx, &args[0])
}

/// [`backdrop`] of one patch.
fn backdrop_of(ctx: &Ctx, patch: &Value) -> Result<Value> {
    if patch.len()? == 0 {
        return Ok(Value::empty_set());
    }
    if let Some((top, left, bottom, right)) = fast_bounds(patch) {
        return rectangle(ctx, top, left, bottom, right);
    }
    let indices = common::toindices(patch)?;
    let (si, sj) = corner_ints(&indices, [Pick::Min, Pick::Min], Some(Pick::Min))?;
    let (ei, ej) = corner_ints(patch, [Pick::Max, Pick::Max], Some(Pick::Max))?;
    let (si, ei) = (si.int()?, ei.int()?);
    let (sj, ej) = (sj.int()?, ej.int()?);
    rectangle(ctx, si, sj, ei, ej)
}

/// `delta(patch)`: the indices of the bounding box that are not in the patch.
fn delta(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let patch = &args[0];
    if patch.len()? == 0 {
        return Ok(Value::empty_set());
    }
    let bd = backdrop_of(ctx, patch)?;
    let indices = common::toindices(patch)?;
    let Value::Set(inside) = &indices else {
        return Err(Error::type_error("unsupported operand type(s) for -: 'frozenset' and 'tuple'"));
    };
    let all = bd.as_slice().unwrap_or(&[]);
    ctx.charge(all.len())?;
    let out = all.iter().filter(|p| inside.binary_search_by(|e| e.total_cmp(p)).is_err()).cloned().collect();
    Ok(Value::set_from_sorted(out))
}

/// `inbox(patch)`: the outline of the box one step inside the bounding box.
fn inbox(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (top, left, bottom, right) = bounds(&args[0])?;
    let (ai, aj, bi, bj) = (add(top, 1)?, add(left, 1)?, add(bottom, -1)?, add(right, -1)?);
    outline(ctx, ai.min(bi), aj.min(bj), ai.max(bi), aj.max(bj))
}

/// `outbox(patch)`: the outline of the box one step outside the bounding box.
fn outbox(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (top, left, bottom, right) = bounds(&args[0])?;
    let (ai, aj, bi, bj) = (add(top, -1)?, add(left, -1)?, add(bottom, 1)?, add(right, 1)?);
    outline(ctx, ai.min(bi), aj.min(bj), ai.max(bi), aj.max(bj))
}

/// `box(patch)`: the outline of the bounding box; an empty patch is returned as it is.
fn box_(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let patch = &args[0];
    if patch.len()? == 0 {
        return Ok(patch.clone());
    }
    let (ai, aj, bi, bj) = if let Some(b) = fast_bounds(patch) {
        b
    } else {
        let (ai, aj) = corner_ints(patch, [Pick::Min, Pick::Min], Some(Pick::Min))?;
        let (bi, bj) = corner_ints(patch, [Pick::Max, Pick::Max], Some(Pick::Max))?;
        let (ai, bi) = (ai.int()?, bi.int()?);
        (ai, aj.int()?, bi, bj.int()?)
    };
    outline(ctx, ai.min(bi), aj.min(bj), ai.max(bi), aj.max(bj))
}

/// `shoot(start, direction)`: the line from `start` to `start + 42 * direction`.
fn shoot(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (start, direction) = (&args[0], &args[1]);
    // `start[k] + 42 * direction[k]`: an int, or `None` for a tuple (`tuple * int` repeats and
    // `tuple + tuple` concatenates in Python, so the failure comes later, in `connect`).
    let far = |k: i64| -> Result<Option<i64>> {
        let s = start.index(k)?;
        let d = direction.index(k)?;
        let product = match d.as_int() {
            Some(d) => Some(d.checked_mul(42).ok_or_else(overflow)?),
            None if d.is_tuple_like() => None,
            None => return Err(Error::type_error("unsupported operand type(s) for *")),
        };
        match (s.as_int(), product) {
            (Some(s), Some(p)) => Ok(Some(add(s, p)?)),
            (None, None) if s.is_tuple_like() => Ok(None),
            _ => Err(Error::type_error("unsupported operand type(s) for +")),
        }
    };
    let (fi, fj) = (far(0)?, far(1)?);
    let (ai, aj) = pair_items(start)?;
    match (fi, fj) {
        (Some(bi), Some(bj)) => line(ctx, (ai.int()?, aj.int()?), (bi, bj)),
        _ => Err(Error::type_error("unsupported operand type(s) for +")),
    }
}

/// `vfrontier(location)`: the vertical line `(i, location[1])` for `i` in `0..30`.
fn vfrontier(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let j = args[0].index(1)?;
    Ok(Value::set_from_sorted((0..30).map(|i| Value::tuple2(Value::Int(i), j.clone())).collect()))
}

/// `hfrontier(location)`: the horizontal line `(location[0], j)` for `j` in `0..30`.
fn hfrontier(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let i = args[0].index(0)?;
    Ok(Value::set_from_sorted((0..30).map(|j| Value::tuple2(i.clone(), Value::Int(j))).collect()))
}

/// `gravitate(source, destination)`: the vector that moves `source` step by step (up to 42 steps) towards
/// `destination` until they are adjacent.
fn gravitate(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (source, destination) = (&args[0], &args[1]);
    let (si, sj) = center_of(source)?;
    let (di, dj) = center_of(destination)?;
    let (i, j) = if matching(source, destination, false)? {
        (if si < di { 1 } else { -1 }, 0)
    } else {
        (0, if sj < dj { 1 } else { -1 })
    };
    let (pa, pb) = (index_pairs(source)?, index_pairs(destination)?);
    let mut c = 0;
    loop {
        let d = min_distance(ctx, &pa, &pb, c * i, c * j)?;
        if d == Some(1) || c >= 42 {
            break;
        }
        c += 1;
    }
    Ok(Value::pair(c * i, c * j))
}

/// `hperiod(obj)`: the horizontal period of an object.
fn hperiod(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    period(ctx, &args[0], true)
}

/// `vperiod(obj)`: the vertical period of an object.
fn vperiod(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    period(ctx, &args[0], false)
}

/// The patches primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
    prim!(height,       1, "height of a grid (rows) or a patch (row extent)"),
    prim!(width,        1, "width of a grid (columns) or a patch (column extent)"),
    prim!(shape,        1, "(height, width) of a grid or patch"),
    prim!(portrait,     1, "whether height exceeds width"),
    prim!(ulcorner,     1, "index of the upper left corner of a patch"),
    prim!(urcorner,     1, "index of the upper right corner of a patch"),
    prim!(llcorner,     1, "index of the lower left corner of a patch"),
    prim!(lrcorner,     1, "index of the lower right corner of a patch"),
    prim!(toindices,    1, "indices of a patch (object cells lose their values)"),
    prim!(recolor,      2, "object with the given colour at every index of the patch"),
    prim!(shift,        2, "patch moved by a vector"),
    prim!(normalize,    1, "patch moved so its upper left corner is the origin"),
    prim!(dneighbors,   1, "the four directly adjacent indices"),
    prim!(ineighbors,   1, "the four diagonally adjacent indices"),
    prim!(neighbors,    1, "the eight adjacent indices"),
    prim!(uppermost,    1, "row index of the uppermost cell"),
    prim!(lowermost,    1, "row index of the lowermost cell"),
    prim!(leftmost,     1, "column index of the leftmost cell"),
    prim!(rightmost,    1, "column index of the rightmost cell"),
    prim!(square,       1, "whether a grid or patch forms a square"),
    prim!(vline,        1, "whether a patch forms a vertical line"),
    prim!(hline,        1, "whether a patch forms a horizontal line"),
    prim!(hmatching,    2, "whether some row holds cells of both patches"),
    prim!(vmatching,    2, "whether some column holds cells of both patches"),
    prim!(manhattan,    2, "closest Manhattan distance between two patches"),
    prim!(adjacent,     2, "whether two patches are at Manhattan distance one"),
    prim!(bordering,    2, "whether a patch touches a border of the grid"),
    prim!(centerofmass, 1, "mean index of a patch, floor-divided by its size"),
    prim!(center,       1, "centre of the bounding box of a patch"),
    prim!(position,     2, "direction from one patch's centre to another's"),
    prim!(corners,      1, "the four corner indices of a patch"),
    prim!(connect,      2, "straight (or diagonal) line of indices between two points"),
    prim!(vfrontier,    1, "vertical line of 30 indices through a location"),
    prim!(hfrontier,    1, "horizontal line of 30 indices through a location"),
    prim!(backdrop,     1, "every index in the bounding box of a patch"),
    prim!(delta,        1, "bounding-box indices not in the patch"),
    prim!(gravitate,    2, "vector moving a patch towards another until adjacent"),
    prim!(inbox,        1, "outline one step inside the bounding box"),
    prim!(outbox,       1, "outline one step outside the bounding box"),
    Primitive { name: "box", arity: 1, f: box_, doc: "outline of the bounding box" },
    prim!(shoot,        2, "line from a point 42 steps in a direction"),
    prim!(hperiod,      1, "horizontal periodicity of an object"),
    prim!(vperiod,      1, "vertical periodicity of an object"),
];

#[cfg(test)]
mod tests {
    use crate::literal::py;
    use crate::prims::testing::{err, ok};
    use crate::prims::{apply, lookup};
    use crate::{Ctx, ErrorKind, Value};

    // The cases below were checked against CPython 3.11 running arc-dsl.

    #[test]
    #[rustfmt::skip]
    fn toindices_matches_python() {
        ok("toindices", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({(1, 1), (1, 2), (2, 1)})");
        ok("toindices", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(1, 1), (1, 2), (2, 1)})");
        ok("toindices", &["frozenset()"], "frozenset()");
        ok("toindices", &["()"], "frozenset()");
        ok("toindices", &["((1, 2), (3, 4))"], "((1, 2), (3, 4))");
        err("toindices", &["(1, 2)"], ErrorKind::TypeError);
        err("toindices", &["frozenset({frozenset({1})})"], ErrorKind::TypeError);
        err("toindices", &["((1,), (2,))"], ErrorKind::IndexError);
        err("toindices", &["5"], ErrorKind::TypeError);
        ok("toindices", &["frozenset({(1, (0, 0)), (2, (0, 0))})"], "frozenset({(0, 0)})");
    }

    #[test]
    #[rustfmt::skip]
    fn recolor_matches_python() {
        ok("recolor", &["5", "frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(5, (2, 1)), (5, (1, 2)), (5, (1, 1))})");
        ok("recolor", &["5", "frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({(5, (2, 1)), (5, (1, 2)), (5, (1, 1))})");
        ok("recolor", &["5", "frozenset()"], "frozenset()");
        ok("recolor", &["(1, 2)", "frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({((1, 2), (1, 1)), ((1, 2), (2, 1)), ((1, 2), (1, 2))})");
        ok("recolor", &["5", "((0, 1), (2, 3))"], "frozenset({(5, (0, 1)), (5, (2, 3))})");
        err("recolor", &["5", "3"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn shift_matches_python() {
        ok("shift", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})", "(1, -1)"], "frozenset({(2, (3, 0)), (1, (2, 0)), (1, (2, 1))})");
        ok("shift", &["frozenset({(1, 1), (1, 2), (2, 1)})", "(-2, 3)"], "frozenset({(0, 4), (-1, 4), (-1, 5)})");
        ok("shift", &["frozenset()", "(1, 1)"], "frozenset()");
        ok("shift", &["()", "(1, 1)"], "()");
        err("shift", &["frozenset({(1, 1), (1, 2), (2, 1)})", "(1, 2, 3)"], ErrorKind::ValueError);
        err("shift", &["frozenset({(1, 1), (1, 2), (2, 1)})", "5"], ErrorKind::TypeError);
        ok("shift", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({1, 2})"], "frozenset({(2, 3), (2, 4), (3, 3)})");
        ok("shift", &["((0, 1), (2, 3))", "(1, 1)"], "frozenset({(1, 2), (3, 4)})");
        err("shift", &["5", "(1, 1)"], ErrorKind::TypeError);
        err("shift", &["frozenset({(1, 1), (1, 2), (2, 1)})", "((1,), 2)"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn normalize_matches_python() {
        ok("normalize", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({(2, (1, 0)), (1, (0, 1)), (1, (0, 0))})");
        ok("normalize", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(0, 1), (1, 0), (0, 0)})");
        ok("normalize", &["frozenset()"], "frozenset()");
        ok("normalize", &["()"], "()");
        ok("normalize", &["frozenset({(-3, -4), (5, 6)})"], "frozenset({(8, 10), (0, 0)})");
        ok("normalize", &["frozenset({(7, (-1, 4))})"], "frozenset({(7, (0, 0))})");
    }

    #[test]
    #[rustfmt::skip]
    fn dneighbors_matches_python() {
        ok("dneighbors", &["(1, 1)"], "frozenset({(0, 1), (1, 0), (1, 2), (2, 1)})");
        ok("dneighbors", &["(0, 0)"], "frozenset({(-1, 0), (1, 0), (0, -1), (0, 1)})");
        ok("dneighbors", &["(1, 2, 3)"], "frozenset({(1, 1), (0, 2), (1, 3), (2, 2)})");
        err("dneighbors", &["(1,)"], ErrorKind::IndexError);
        err("dneighbors", &["5"], ErrorKind::TypeError);
        err("dneighbors", &["frozenset({(1, 1), (1, 2), (2, 1)})"], ErrorKind::TypeError);
        err("dneighbors", &["((1, 2), 3)"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn ineighbors_matches_python() {
        ok("ineighbors", &["(1, 1)"], "frozenset({(2, 2), (0, 2), (2, 0), (0, 0)})");
        ok("ineighbors", &["(-5, 7)"], "frozenset({(-4, 6), (-6, 6), (-4, 8), (-6, 8)})");
        err("ineighbors", &["(1,)"], ErrorKind::IndexError);
    }

    #[test]
    #[rustfmt::skip]
    fn neighbors_matches_python() {
        ok("neighbors", &["(1, 1)"], "frozenset({(0, 1), (1, 2), (2, 1), (0, 0), (2, 0), (0, 2), (2, 2), (1, 0)})");
        ok("neighbors", &["(0, 0)"], "frozenset({(0, 1), (-1, -1), (-1, 1), (1, 1), (1, -1), (-1, 0), (1, 0), (0, -1)})");
        err("neighbors", &["frozenset({1, 2})"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn uppermost_matches_python() {
        ok("uppermost", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "1");
        ok("uppermost", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "1");
        err("uppermost", &["frozenset()"], ErrorKind::ValueError);
        ok("uppermost", &["((1, 2), (0, 5))"], "0");
        err("uppermost", &["frozenset({(1, 2, 3)})"], ErrorKind::ValueError);
        err("uppermost", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn lowermost_matches_python() {
        ok("lowermost", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "2");
        ok("lowermost", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "2");
        err("lowermost", &["frozenset()"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn leftmost_matches_python() {
        ok("leftmost", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "1");
        ok("leftmost", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "1");
        err("leftmost", &["frozenset()"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn rightmost_matches_python() {
        ok("rightmost", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "2");
        ok("rightmost", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "2");
        err("rightmost", &["frozenset()"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn ulcorner_matches_python() {
        ok("ulcorner", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "(1, 1)");
        ok("ulcorner", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "(1, 1)");
        ok("ulcorner", &["frozenset()"], "()");
        ok("ulcorner", &["((1, 2, 3), (4, 0, 6))"], "(1, 0, 3)");
        ok("ulcorner", &["((5, 2), (4, 3))"], "(4, 2)");
    }

    #[test]
    #[rustfmt::skip]
    fn urcorner_matches_python() {
        ok("urcorner", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "(1, 2)");
        ok("urcorner", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "(1, 2)");
        ok("urcorner", &["frozenset()"], "()");
        err("urcorner", &["((1, 2, 3), (4, 0, 6))"], ErrorKind::KeyError);
        ok("urcorner", &["((5, 2), (4, 3))"], "(4, 3)");
    }

    #[test]
    #[rustfmt::skip]
    fn llcorner_matches_python() {
        ok("llcorner", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "(2, 1)");
        ok("llcorner", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "(2, 1)");
        ok("llcorner", &["frozenset()"], "()");
        err("llcorner", &["((1, 2, 3), (4, 0, 6))"], ErrorKind::KeyError);
    }

    #[test]
    #[rustfmt::skip]
    fn lrcorner_matches_python() {
        ok("lrcorner", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "(2, 2)");
        ok("lrcorner", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "(2, 2)");
        ok("lrcorner", &["frozenset()"], "()");
        ok("lrcorner", &["((1, 2, 3), (4, 0, 6))"], "(4, 2, 6)");
    }

    #[test]
    #[rustfmt::skip]
    fn height_matches_python() {
        ok("height", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "2");
        ok("height", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "2");
        ok("height", &["frozenset()"], "0");
        ok("height", &["()"], "0");
        ok("height", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "3");
        ok("height", &["((1, 2),)"], "1");
        ok("height", &["(1, 2)"], "2");
        err("height", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn width_matches_python() {
        ok("width", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "2");
        ok("width", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "2");
        ok("width", &["frozenset()"], "0");
        ok("width", &["()"], "0");
        ok("width", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "3");
        err("width", &["(1, 2)"], ErrorKind::TypeError);
        ok("width", &["((1, 2, 3),)"], "3");
        ok("width", &["(frozenset({1, 2}),)"], "2");
    }

    #[test]
    #[rustfmt::skip]
    fn shape_matches_python() {
        ok("shape", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "(2, 2)");
        ok("shape", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "(3, 3)");
        ok("shape", &["frozenset()"], "(0, 0)");
        ok("shape", &["()"], "(0, 0)");
    }

    #[test]
    #[rustfmt::skip]
    fn portrait_matches_python() {
        ok("portrait", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "False");
        ok("portrait", &["frozenset({(0, 0), (1, 0)})"], "True");
        ok("portrait", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "False");
        ok("portrait", &["frozenset()"], "False");
        ok("portrait", &["((1,), (2,))"], "True");
    }

    #[test]
    #[rustfmt::skip]
    fn square_matches_python() {
        ok("square", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "False");
        ok("square", &["frozenset()"], "True");
        err("square", &["()"], ErrorKind::IndexError);
        ok("square", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "True");
        ok("square", &["frozenset({(0, 0), (1, 1)})"], "False");
        ok("square", &["frozenset({(0, 0), (0, 1), (1, 0), (1, 1)})"], "True");
        ok("square", &["((1, 2, 3),)"], "False");
        err("square", &["(1, 2)"], ErrorKind::TypeError);
        err("square", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn vline_matches_python() {
        ok("vline", &["frozenset({(0, 0), (1, 0)})"], "True");
        ok("vline", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "False");
        ok("vline", &["frozenset()"], "False");
        ok("vline", &["((1,), (2,))"], "True");
        ok("vline", &["frozenset({(0, 0), (2, 0)})"], "False");
    }

    #[test]
    #[rustfmt::skip]
    fn hline_matches_python() {
        ok("hline", &["frozenset({(3, 0), (3, 1)})"], "True");
        ok("hline", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "False");
        ok("hline", &["frozenset()"], "False");
        ok("hline", &["((1, 2),)"], "False");
        ok("hline", &["frozenset({(5, (0, 0)), (6, (0, 0))})"], "False");
    }

    #[test]
    #[rustfmt::skip]
    fn hmatching_matches_python() {
        ok("hmatching", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(2, 5)})"], "True");
        ok("hmatching", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(3, 5)})"], "False");
        ok("hmatching", &["frozenset()", "frozenset({(1, 1), (1, 2), (2, 1)})"], "False");
        ok("hmatching", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})", "frozenset({(1, 1), (1, 2), (2, 1)})"], "True");
    }

    #[test]
    #[rustfmt::skip]
    fn vmatching_matches_python() {
        ok("vmatching", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(7, 2)})"], "True");
        ok("vmatching", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(3, 5)})"], "False");
        ok("vmatching", &["frozenset()", "frozenset()"], "False");
    }

    #[test]
    #[rustfmt::skip]
    fn manhattan_matches_python() {
        ok("manhattan", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(5, 5)})"], "7");
        ok("manhattan", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})", "frozenset({(1, 1), (1, 2), (2, 1)})"], "0");
        err("manhattan", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset()"], ErrorKind::ValueError);
        err("manhattan", &["frozenset()", "5"], ErrorKind::ValueError);
        err("manhattan", &["frozenset({(0, 0)})", "5"], ErrorKind::TypeError);
        // One index on each side, as points or as cells.
        ok("manhattan", &["frozenset({(-3, 4)})", "frozenset({(7, (2, -1))})"], "10");
        ok("manhattan", &["frozenset({(0, (0, 0))})", "frozenset({(0, 0)})"], "0");
        err("manhattan", &["frozenset({(1, 2, 3)})", "frozenset({(0, 0)})"], ErrorKind::ValueError);
        ok("manhattan", &["frozenset({(0, 0)})", "frozenset({(3, (-2, 4))})"], "6");
    }

    #[test]
    #[rustfmt::skip]
    fn adjacent_matches_python() {
        ok("adjacent", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(1, 3)})"], "True");
        ok("adjacent", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(1, 4)})"], "False");
        ok("adjacent", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(1, 1), (1, 2), (2, 1)})"], "False");
        err("adjacent", &["frozenset()", "frozenset({(1, 1), (1, 2), (2, 1)})"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn bordering_matches_python() {
        ok("bordering", &["frozenset({(1, 1), (1, 2), (2, 1)})", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "True");
        ok("bordering", &["frozenset({(1, 1)})", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "False");
        ok("bordering", &["frozenset({(2, 1)})", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "True");
        ok("bordering", &["frozenset({(1, 2)})", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "True");
        ok("bordering", &["frozenset({(0, 1)})", "5"], "True");
        err("bordering", &["frozenset({(1, 1)})", "()"], ErrorKind::IndexError);
        err("bordering", &["frozenset({(1, 1)})", "5"], ErrorKind::TypeError);
        err("bordering", &["frozenset()", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn centerofmass_matches_python() {
        ok("centerofmass", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "(1, 1)");
        ok("centerofmass", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "(1, 1)");
        ok("centerofmass", &["frozenset()"], "()");
        ok("centerofmass", &["frozenset({(1, (0, 0)), (2, (0, 0)), (3, (3, 3))})"], "(1, 1)");
        ok("centerofmass", &["((1, 2, 3), (4, 5, 6))"], "(2, 3, 4)");
        ok("centerofmass", &["frozenset({(-1, -1), (0, 0)})"], "(-1, -1)");
    }

    #[test]
    #[rustfmt::skip]
    fn center_matches_python() {
        ok("center", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "(2, 2)");
        ok("center", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "(2, 2)");
        ok("center", &["frozenset({(0, 0), (3, 5)})"], "(2, 3)");
        err("center", &["frozenset()"], ErrorKind::ValueError);
        ok("center", &["((1, 4), (2, 9))"], "(2, 5)");
    }

    #[test]
    #[rustfmt::skip]
    fn position_matches_python() {
        ok("position", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(1, 5)})"], "(-1, 1)");
        ok("position", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(9, 1)})"], "(1, -1)");
        ok("position", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(9, 9)})"], "(1, 1)");
        ok("position", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(0, 0)})"], "(-1, -1)");
        ok("position", &["frozenset({(5, 5)})", "frozenset({(0, 9)})"], "(-1, 1)");
        ok("position", &["frozenset({(1, 1), (1, 2), (2, 1)})", "frozenset({(1, 1), (1, 2), (2, 1)})"], "(0, -1)");
        err("position", &["frozenset()", "frozenset({(1, 1), (1, 2), (2, 1)})"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn corners_matches_python() {
        ok("corners", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})");
        ok("corners", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})");
        ok("corners", &["frozenset()"], "frozenset({()})");
        ok("corners", &["frozenset({(4, 4)})"], "frozenset({(4, 4)})");
        err("corners", &["((1, 2, 3), (4, 0, 6))"], ErrorKind::KeyError);
    }

    #[test]
    #[rustfmt::skip]
    fn connect_matches_python() {
        ok("connect", &["(1, 1)", "(1, 4)"], "frozenset({(1, 1), (1, 2), (1, 3), (1, 4)})");
        ok("connect", &["(4, 2)", "(1, 2)"], "frozenset({(3, 2), (1, 2), (4, 2), (2, 2)})");
        ok("connect", &["(0, 0)", "(3, 3)"], "frozenset({(1, 1), (3, 3), (2, 2), (0, 0)})");
        ok("connect", &["(3, 0)", "(0, 3)"], "frozenset({(1, 2), (0, 3), (2, 1), (3, 0)})");
        ok("connect", &["(0, 0)", "(1, 2)"], "frozenset()");
        ok("connect", &["(2, 2)", "(2, 2)"], "frozenset({(2, 2)})");
        err("connect", &["(1, 2, 3)", "(1, 1)"], ErrorKind::ValueError);
        err("connect", &["(1, 2)", "5"], ErrorKind::TypeError);
        err("connect", &["(1, (2,))", "(1, 1)"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn backdrop_matches_python() {
        ok("backdrop", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})");
        ok("backdrop", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})");
        ok("backdrop", &["frozenset()"], "frozenset()");
        ok("backdrop", &["()"], "frozenset()");
        ok("backdrop", &["frozenset({(0, 0), (2, 3)})"], "frozenset({(0, 1), (1, 2), (2, 1), (0, 0), (1, 1), (0, 3), (2, 0), (2, 3), (0, 2), (2, 2), (1, 0), (1, 3)})");
        err("backdrop", &["((1, 2, 3), (4, 0, 6))"], ErrorKind::ValueError);
        ok("backdrop", &["((0, 1), (2, 3))"], "frozenset({(0, 1), (1, 2), (2, 1), (1, 1), (0, 3), (2, 3), (0, 2), (2, 2), (1, 3)})");
    }

    #[test]
    #[rustfmt::skip]
    fn delta_matches_python() {
        ok("delta", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({(2, 2)})");
        ok("delta", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(2, 2)})");
        ok("delta", &["frozenset()"], "frozenset()");
        ok("delta", &["frozenset({(0, 0), (2, 2)})"], "frozenset({(0, 1), (1, 2), (2, 1), (1, 1), (2, 0), (0, 2), (1, 0)})");
        err("delta", &["((0, 1), (2, 3))"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn inbox_matches_python() {
        ok("inbox", &["frozenset({(0, 0), (4, 4)})"], "frozenset({(1, 2), (2, 1), (3, 1), (1, 1), (2, 3), (3, 3), (3, 2), (1, 3)})");
        ok("inbox", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})");
        err("inbox", &["frozenset()"], ErrorKind::ValueError);
        ok("inbox", &["frozenset({(0, 0), (0, 4)})"], "frozenset({(0, 1), (1, 2), (-1, 1), (1, 1), (0, 3), (-1, 3), (-1, 2), (1, 3)})");
        ok("inbox", &["frozenset({(0, 0), (3, 3)})"], "frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})");
    }

    #[test]
    #[rustfmt::skip]
    fn outbox_matches_python() {
        ok("outbox", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(0, 1), (0, 0), (3, 1), (0, 3), (2, 0), (3, 0), (2, 3), (0, 2), (3, 3), (1, 0), (3, 2), (1, 3)})");
        ok("outbox", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({(0, 1), (0, 0), (3, 1), (0, 3), (2, 0), (3, 0), (2, 3), (0, 2), (3, 3), (1, 0), (3, 2), (1, 3)})");
        ok("outbox", &["frozenset({(0, 0)})"], "frozenset({(0, 1), (-1, -1), (-1, 1), (1, 1), (1, -1), (-1, 0), (1, 0), (0, -1)})");
        err("outbox", &["frozenset()"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn box_matches_python() {
        ok("box", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})");
        ok("box", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({(1, 1), (1, 2), (2, 1), (2, 2)})");
        ok("box", &["frozenset({(0, 0), (3, 3)})"], "frozenset({(0, 1), (0, 0), (3, 1), (0, 3), (2, 0), (3, 0), (2, 3), (0, 2), (3, 3), (1, 0), (3, 2), (1, 3)})");
        ok("box", &["frozenset()"], "frozenset()");
        ok("box", &["()"], "()");
        ok("box", &["frozenset({(2, 2)})"], "frozenset({(2, 2)})");
        err("box", &["((1, 2, 3), (4, 0, 6))"], ErrorKind::ValueError);
        ok("box", &["((0, 1), (2, 3))"], "frozenset({(0, 1), (2, 1), (1, 1), (0, 3), (2, 3), (0, 2), (2, 2), (1, 3)})");
    }

    #[test]
    #[rustfmt::skip]
    fn shoot_matches_python() {
        ok("shoot", &["(1, 1)", "(0, 1)"], "frozenset({(1, 28), (1, 31), (1, 37), (1, 34), (1, 40), (1, 43), (1, 6), (1, 3), (1, 9), (1, 12), (1, 18), (1, 15), (1, 21), (1, 24), (1, 30), (1, 27), (1, 33), (1, 39), (1, 36), (1, 42), (1, 2), (1, 5), (1, 11), (1, 8), (1, 14), (1, 20), (1, 17), (1, 23), (1, 26), (1, 32), (1, 29), (1, 35), (1, 38), (1, 41), (1, 1), (1, 4), (1, 7), (1, 13), (1, 10), (1, 16), (1, 19), (1, 25), (1, 22)})");
        ok("shoot", &["(1, 1)", "(-1, -1)"], "frozenset({(-22, -22), (-3, -3), (-35, -35), (-26, -26), (-17, -17), (-8, -8), (-16, -16), (-7, -7), (-30, -30), (-39, -39), (-21, -21), (-12, -12), (-11, -11), (-2, -2), (-1, -1), (-25, -25), (-6, -6), (-20, -20), (-34, -34), (-24, -24), (-38, -38), (-15, -15), (-29, -29), (-28, -28), (-19, -19), (-10, -10), (-33, -33), (-23, -23), (-32, -32), (-14, -14), (-5, -5), (-37, -37), (-18, -18), (-9, -9), (0, 0), (-41, -41), (1, 1), (-36, -36), (-13, -13), (-4, -4), (-40, -40), (-27, -27), (-31, -31)})");
        ok("shoot", &["(1, 1)", "(1, 2)"], "frozenset()");
        ok("shoot", &["(1, 1)", "(0, 0)"], "frozenset({(1, 1)})");
        err("shoot", &["(1, 1, 5)", "(0, 1)"], ErrorKind::ValueError);
        err("shoot", &["(1,)", "(0, 1)"], ErrorKind::IndexError);
        err("shoot", &["(1, 1)", "5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn vfrontier_matches_python() {
        ok("vfrontier", &["(3, 4)"], "frozenset({(12, 4), (23, 4), (3, 4), (14, 4), (5, 4), (27, 4), (16, 4), (25, 4), (7, 4), (18, 4), (29, 4), (20, 4), (22, 4), (11, 4), (9, 4), (2, 4), (13, 4), (0, 4), (24, 4), (15, 4), (26, 4), (6, 4), (17, 4), (4, 4), (28, 4), (8, 4), (19, 4), (10, 4), (1, 4), (21, 4)})");
        err("vfrontier", &["(1,)"], ErrorKind::IndexError);
        ok("vfrontier", &["(0, (1, 2))"], "frozenset({(21, (1, 2)), (12, (1, 2)), (23, (1, 2)), (3, (1, 2)), (14, (1, 2)), (5, (1, 2)), (27, (1, 2)), (25, (1, 2)), (16, (1, 2)), (7, (1, 2)), (18, (1, 2)), (29, (1, 2)), (20, (1, 2)), (22, (1, 2)), (9, (1, 2)), (0, (1, 2)), (11, (1, 2)), (2, (1, 2)), (13, (1, 2)), (24, (1, 2)), (15, (1, 2)), (26, (1, 2)), (6, (1, 2)), (4, (1, 2)), (17, (1, 2)), (28, (1, 2)), (8, (1, 2)), (19, (1, 2)), (10, (1, 2)), (1, (1, 2))})");
        err("vfrontier", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn hfrontier_matches_python() {
        ok("hfrontier", &["(3, 4)"], "frozenset({(3, 4), (3, 1), (3, 7), (3, 10), (3, 16), (3, 13), (3, 19), (3, 25), (3, 22), (3, 28), (3, 0), (3, 3), (3, 9), (3, 6), (3, 12), (3, 18), (3, 15), (3, 21), (3, 24), (3, 27), (3, 2), (3, 5), (3, 11), (3, 8), (3, 14), (3, 17), (3, 23), (3, 20), (3, 26), (3, 29)})");
        err("hfrontier", &["frozenset({1, 2})"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn gravitate_matches_python() {
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(5, 0)})"], "(4, 0)");
        ok("gravitate", &["frozenset({(5, 0)})", "frozenset({(0, 0)})"], "(-4, 0)");
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(0, 7)})"], "(0, 6)");
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(3, 3)})"], "(0, 42)");
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(0, 1)})"], "(0, 0)");
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(0, 0)})"], "(-1, 0)");
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(100, 0)})"], "(42, 0)");
        ok("gravitate", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})", "frozenset({(1, (9, 9)), (1, (9, 8))})"], "(0, 42)");
        err("gravitate", &["frozenset()", "frozenset({(1, 1), (1, 2), (2, 1)})"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn hperiod_matches_python() {
        ok("hperiod", &["frozenset({(1, (0, 0)), (2, (0, 1)), (1, (0, 2)), (2, (0, 3)), (1, (0, 4))})"], "2");
        ok("hperiod", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "1");
        ok("hperiod", &["frozenset()"], "0");
        ok("hperiod", &["frozenset({(0, 0)})"], "1");
        err("hperiod", &["frozenset({(1, 1), (1, 2), (2, 1)})"], ErrorKind::TypeError);
        ok("hperiod", &["frozenset({(1, (5, 5)), (1, (5, 6))})"], "1");
    }

    #[test]
    #[rustfmt::skip]
    fn vperiod_matches_python() {
        ok("vperiod", &["frozenset({(1, (0, 0)), (2, (1, 0)), (1, (2, 0)), (2, (3, 0))})"], "2");
        ok("vperiod", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "2");
        ok("vperiod", &["frozenset()"], "0");
        err("vperiod", &["frozenset({(1, 1), (1, 2), (2, 1)})"], ErrorKind::TypeError);
        ok("vperiod", &["frozenset({(1, (5, 5)), (1, (6, 5))})"], "1");
    }

    fn run_with(ctx: &mut Ctx, name: &str, args: &[Value]) -> Result<Value, ErrorKind> {
        let id = lookup(name).expect("primitive exists");
        apply(ctx, id, args).map_err(|e| e.kind)
    }

    #[test]
    fn indices_beyond_i32_keep_their_order_and_values() {
        ok("shift", &["frozenset({(2147483647, 0), (0, 0)})", "(1, -1)"], "frozenset({(1, -1), (2147483648, -1)})");
        ok("shift", &["frozenset({(3, (2147483647, 0))})", "(1, 0)"], "frozenset({(3, (2147483648, 0))})");
        ok("normalize", &["frozenset({(-2147483648, 5), (2147483647, 7)})"], "frozenset({(0, 0), (4294967295, 2)})");
        ok(
            "dneighbors",
            &["(2147483647, 0)"],
            "frozenset({(2147483646, 0), (2147483647, -1), (2147483647, 1), (2147483648, 0)})",
        );
        ok("manhattan", &["frozenset({(-2147483648, 0)})", "frozenset({(2147483647, 0)})"], "4294967295");
        err("shift", &["frozenset({(9223372036854775807, 0)})", "(1, 0)"], ErrorKind::Memory);
    }

    #[test]
    fn huge_lines_and_boxes_are_memory_outcomes() {
        err("connect", &["(0, 0)", "(0, 100000000)"], ErrorKind::Memory);
        err("connect", &["(0, 0)", "(100000000, 100000000)"], ErrorKind::Memory);
        err("backdrop", &["frozenset({(0, 0), (100000, 100000)})"], ErrorKind::Memory);
        err("delta", &["frozenset({(0, 0), (100000, 100000)})"], ErrorKind::Memory);
        err("box", &["frozenset({(0, 0), (0, 100000000)})"], ErrorKind::Memory);
        err("shoot", &["(0, 0)", "(0, 100000000)"], ErrorKind::Memory);
        ok("box", &["frozenset({(0, 0), (100000, 100000)})"], &outline_literal(100000));
    }

    /// The outline of the square from (0, 0) to (n, n), as a Python literal.
    fn outline_literal(n: i64) -> String {
        let mut points = Vec::new();
        for k in 0..=n {
            points.extend([(0, k), (n, k), (k, 0), (k, n)]);
        }
        let items: Vec<String> = points.iter().map(|(i, j)| format!("({i}, {j})")).collect();
        format!("frozenset({{{}}})", items.join(", "))
    }

    #[test]
    fn distances_charge_for_their_pairs() {
        let a = Value::set((0..100).map(|k| Value::pair(k, 0)).collect());
        let b = Value::set((0..100).map(|k| Value::pair(k, 500)).collect());
        let mut ctx = Ctx::new(crate::Limits { fuel: 1_000, max_len: 1 << 20 });
        assert_eq!(run_with(&mut ctx, "manhattan", &[a.clone(), b.clone()]), Err(ErrorKind::Fuel));
        let mut ctx = Ctx::default();
        let before = ctx.fuel_left();
        assert_eq!(run_with(&mut ctx, "manhattan", &[a.clone(), b.clone()]), Ok(Value::Int(500)));
        assert!(before - ctx.fuel_left() >= 100 * 100 / 8);
        // gravitate measures up to 43 times.
        let mut ctx = Ctx::new(crate::Limits { fuel: 40_000, max_len: 1 << 20 });
        assert_eq!(run_with(&mut ctx, "gravitate", &[a, b]), Err(ErrorKind::Fuel));
    }

    #[test]
    fn gravitate_stops_after_42_steps_and_at_contact() {
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(0, 1000)})"], "(0, 42)");
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(0, -1000)})"], "(0, -42)");
        ok("gravitate", &["frozenset({(0, 0)})", "frozenset({(0, 10)})"], "(0, 9)");
        ok("gravitate", &["frozenset({(1, (0, 0)), (1, (1, 0))})", "frozenset({(10, 0), (10, 1)})"], "(8, 0)");
        // Overlapping patches move apart until they touch.
        ok("gravitate", &["frozenset({(0, 0), (0, 1)})", "frozenset({(0, 0)})"], "(-1, 0)");
        ok("gravitate", &["frozenset({(0, 0), (1, 0)})", "frozenset({(0, 0)})"], "(-2, 0)");
    }

    #[test]
    fn periods_of_sparse_objects_run_out_of_fuel_rather_than_hang() {
        for (name, far) in [("hperiod", "(0, 100000000000)"), ("vperiod", "(100000000000, 0)")] {
            let obj = py(&format!("frozenset({{(1, (0, 0)), (1, {far})}})"));
            let mut ctx = Ctx::new(crate::Limits { fuel: 10_000, max_len: 1 << 20 });
            assert_eq!(run_with(&mut ctx, name, &[obj]), Err(ErrorKind::Fuel));
        }
        ok("hperiod", &["frozenset({(1, (0, 0)), (1, (0, 5))})"], "5");
        ok("hperiod", &["frozenset({(1, (0, 0)), (2, (0, 1)), (1, (0, 2))})"], "2");
        ok("vperiod", &["frozenset({(3, (0, 0)), (3, (1, 0)), (3, (2, 0))})"], "1");
    }

    #[test]
    fn grids_are_pieces() {
        let grid = "((1, 2, 3), (4, 5, 6))";
        ok("height", &[grid], "2");
        ok("width", &[grid], "3");
        ok("shape", &[grid], "(2, 3)");
        ok("portrait", &[grid], "False");
        ok("square", &[grid], "False");
        ok("square", &["((1, 2), (4, 5))"], "True");
        ok("toindices", &[grid], grid);
        ok("ulcorner", &[grid], "(1, 2, 3)");
        ok("lrcorner", &[grid], "(4, 5, 6)");
        err("urcorner", &[grid], ErrorKind::KeyError);
        err("uppermost", &[grid], ErrorKind::ValueError);
    }
}

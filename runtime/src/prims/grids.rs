//! Grids: cropping, rotations and mirrors, painting, scaling, concatenation, splitting, colour
//! substitution and the halves.
//!
//! Every primitive has a fast path for the canonical forms it usually meets (a flat [`Grid`], a frozenset of
//! points or of cells, a `Point` offset) and a generic path that replays the Python statement by statement
//! on the tuple view, so odd arguments (ragged tuples, rows that are frozensets, a patch where a grid was
//! expected, values that do not fit a grid cell) give CPython's value or CPython's exception kind. The
//! generic path keeps Python's evaluation order where it decides which exception is raised: `crop` reads
//! `start[0]` before `dims[0]`, `fill` checks `0 <= i < h` before looking at `j`, `hsplit` takes
//! `len(grid[0])` before dividing while `vsplit` divides first.
//!
//! Containers whose size comes from an argument (`upscale`, `hupscale`, `vupscale`, `canvas`, `hsplit`,
//! `vsplit`, the concatenations) are checked with [`Ctx::check_len`] before they are built.

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::prims::arith::floordiv;
use crate::prims::common::{
    grid_from_fn, grid_from_rows_fn, grid_mostcolor, holds_cells, pair_items, rows_to_value, toindices,
};
use crate::prims::objects::common_colour;
use crate::prims::patches::shift;
use crate::prims::{Primitive, prim};
use crate::value::{CollectExact, Grid, Value, py_gt, py_lt};

// ---- Python building blocks ------------------------------------------------------------------------

/// The value as an `i8` grid cell, if it is an int that fits.
#[inline]
fn small(v: &Value) -> Option<i8> {
    v.as_int().and_then(|i| i8::try_from(i).ok())
}

/// `(v, (i, j))` in canonical form.
#[inline]
fn cell(v: i64, i: i64, j: i64) -> Value {
    match (i32::try_from(v), i32::try_from(i), i32::try_from(j)) {
        (Ok(v), Ok(i), Ok(j)) => Value::Cell(v, i, j),
        _ => Value::tuple2(Value::Int(v), Value::pair(i, j)),
    }
}

/// `a * b` for two sizes; overflow is a `memory` outcome (the container could never be built).
#[inline]
fn size_mul(a: usize, b: usize) -> Result<usize> {
    a.checked_mul(b).ok_or_else(Error::memory)
}

/// A non-negative int as a size (`range(n)` of a negative `n` is empty).
#[inline]
fn count(n: i64) -> Result<usize> {
    usize::try_from(n.max(0)).map_err(|_| Error::memory())
}

/// The ints Python's `range(x)` accepts.
#[inline]
fn range_arg(x: &Value) -> Result<i64> {
    x.as_int().ok_or_else(|| Error::type_error("object cannot be interpreted as an integer"))
}

/// The `[start, stop)` bounds of Python's `seq[start:stop]` on a sequence of length `n`.
fn slice_bounds(n: usize, start: Option<i64>, stop: Option<i64>) -> (usize, usize) {
    let len = n as i64;
    let norm = |x: i64| {
        if x < 0 { x.saturating_add(len).max(0) } else { x.min(len) }
    };
    let s = start.map_or(0, norm);
    let e = stop.map_or(len, norm).max(s);
    (s as usize, e as usize)
}

/// A `TypeError` unless `v` is a tuple (what `v[...]` needs).
fn subscriptable(v: &Value) -> Result<()> {
    if v.is_tuple_like() { Ok(()) } else { Err(Error::type_error("object is not subscriptable")) }
}

/// `v[start:stop]` for a tuple.
fn py_slice(v: &Value, start: Option<i64>, stop: Option<i64>) -> Result<Value> {
    subscriptable(v)?;
    let n = v.len()?;
    let (s, e) = slice_bounds(n, start, stop);
    if s == 0 && e == n {
        return Ok(v.clone());
    }
    Ok(match v {
        Value::Grid(g) if s < e => Grid::new(e - s, g.w, g.cells[s * g.w..e * g.w].into()).into_value(),
        Value::Tuple(t) => Value::tuple(t[s..e].to_vec()),
        _ => Value::tuple((s..e).map(|k| v.item(k)).collect()),
    })
}

/// `v[::-1]` for a tuple.
fn py_reversed(v: &Value) -> Result<Value> {
    subscriptable(v)?;
    Ok(match v {
        Value::Grid(g) => grid_from_fn(g.h, g.w, |i, j| g.at(g.h - 1 - i, j)),
        Value::Tuple(t) => Value::tuple(t.iter().rev().cloned().collect()),
        _ => {
            let mut items = v.to_vec()?;
            items.reverse();
            Value::tuple(items)
        }
    })
}

/// Python's `a + b` on the values these primitives meet: ints add, tuples concatenate.
fn py_add(a: &Value, b: &Value) -> Result<Value> {
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => x.checked_add(y).map(Value::Int).ok_or_else(Error::memory),
        _ if a.is_tuple_like() && b.is_tuple_like() => {
            if let (Value::Grid(x), Value::Grid(y)) = (a, b)
                && x.w == y.w
            {
                let cells: Vec<i8> = x.cells.iter().chain(y.cells.iter()).copied().collect();
                return Ok(Grid::new(x.h + y.h, x.w, cells.into()).into_value());
            }
            let mut items = a.to_vec()?;
            items.extend(b.items()?);
            Ok(Value::tuple(items))
        }
        _ => Err(Error::type_error("unsupported operand type(s) for +")),
    }
}

/// Python's `a - b` for ints (every other operand pair reaching it raises a `TypeError` in arc-dsl).
fn py_sub(a: &Value, b: &Value) -> Result<Value> {
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => x.checked_sub(y).map(Value::Int).ok_or_else(Error::memory),
        _ => Err(Error::type_error("unsupported operand type(s) for -")),
    }
}

/// Python's `-a` for an int.
fn py_neg(a: &Value) -> Result<Value> {
    match a.as_int() {
        Some(x) => x.checked_neg().map(Value::Int).ok_or_else(Error::memory),
        None => Err(Error::type_error("bad operand type for unary -")),
    }
}

/// `0 <= i < n`: the index as a `usize` when it holds, `None` when not; `TypeError` if `i` is no int.
#[inline]
fn in_range(i: &Value, n: usize) -> Result<Option<usize>> {
    let i = i.as_int().ok_or_else(|| Error::type_error("'<=' not supported between these types"))?;
    Ok(usize::try_from(i).ok().filter(|&i| i < n))
}

/// `h, w = len(grid), len(grid[0])`.
fn grid_dims(grid: &Value) -> Result<(usize, usize)> {
    match grid {
        Value::Grid(g) => Ok((g.h, g.w)),
        _ => {
            let h = grid.len()?;
            Ok((h, grid.first_len()?))
        }
    }
}

/// `list(list(row) for row in grid)`.
fn py_rows(grid: &Value) -> Result<Vec<Vec<Value>>> {
    grid.items()?.map(|row| row.to_vec()).collect_ok()
}

/// `list(zip(*rows))`: the columns of the rows, cut to the shortest row.
fn zip_rows(rows: &[Value]) -> Result<Vec<Vec<Value>>> {
    let rows: Vec<Vec<Value>> = rows.iter().map(Value::to_vec).collect_ok()?;
    let n = rows.iter().map(Vec::len).min().unwrap_or(0);
    Ok((0..n).map(|c| rows.iter().filter_map(|r| r.get(c).cloned()).collect()).collect())
}

/// `min(items)` (or `max`): the first of the least (greatest) items under Python's `<` (`>`).
fn py_extreme(items: impl IntoIterator<Item = Result<Value>>, max: bool) -> Result<Value> {
    let mut best: Option<Value> = None;
    for x in items {
        let x = x?;
        best = Some(match best {
            None => x,
            Some(b) => {
                let better = if max { py_gt(&x, &b)? } else { py_lt(&x, &b)? };
                if better { x } else { b }
            }
        });
    }
    best.ok_or_else(|| Error::value_error("min() arg is an empty sequence"))
}

/// `ulcorner(patch)` (or `lrcorner` when `max`): `tuple(map(min, zip(*toindices(patch))))`.
fn corner(patch: &Value, max: bool) -> Result<Vec<Value>> {
    let indices = toindices(patch)?;
    let columns = zip_rows(&indices.to_vec()?)?;
    columns.into_iter().map(|c| py_extreme(c.into_iter().map(Ok), max)).collect()
}

/// `x[k]` of a corner, or the `IndexError` of indexing a short tuple.
fn corner_item(c: &[Value], k: usize) -> Result<Value> {
    c.get(k).cloned().ok_or_else(|| Error::index_error("tuple index out of range"))
}

/// `a, b = corner`.
fn corner_pair(c: Vec<Value>) -> Result<(Value, Value)> {
    let [a, b]: [Value; 2] = c.try_into().map_err(|_| Error::value_error("unpacking expected 2 values"))?;
    Ok((a, b))
}

/// `max(i for i, j in toindices(patch))` for coordinate `k` (0 for `i`, 1 for `j`), or `min`.
fn coord_extreme(patch: &Value, k: usize, max: bool) -> Result<Value> {
    let indices = toindices(patch)?;
    py_extreme(indices.items()?.map(|x| pair_items(&x).map(|(i, j)| if k == 0 { i } else { j })), max)
}

/// `height(piece)` (`k == 0`) or `width(piece)` (`k == 1`), on any argument.
fn extent(piece: &Value, k: usize) -> Result<Value> {
    if piece.len()? == 0 {
        return Ok(Value::Int(0));
    }
    if piece.is_tuple_like() {
        let n = if k == 0 { piece.len()? } else { piece.first_len()? };
        return Ok(Value::Int(n as i64));
    }
    let span = py_sub(&coord_extreme(piece, k, true)?, &coord_extreme(piece, k, false)?)?;
    py_add(&span, &Value::Int(1))
}

/// A non-empty frozenset of points, as index pairs.
fn fast_points(v: &Value) -> Option<Vec<(i64, i64)>> {
    match v {
        Value::Set(s) if !s.is_empty() => s
            .iter()
            .map(|x| if let Value::Point(i, j) = x { Some((*i as i64, *j as i64)) } else { None })
            .collect_some(),
        _ => None,
    }
}

/// A non-empty frozenset of cells, as `(value, i, j)` triples.
fn fast_cells(v: &Value) -> Option<Vec<(i64, i64, i64)>> {
    match v {
        Value::Set(s) if !s.is_empty() => s
            .iter()
            .map(|x| if let Value::Cell(c, i, j) = x { Some((*c as i64, *i as i64, *j as i64)) } else { None })
            .collect_some(),
        _ => None,
    }
}

/// The positions a frozenset of points or of cells covers, for the fast paths.
fn fast_indices(v: &Value) -> Option<Vec<(i64, i64)>> {
    match v {
        Value::Set(s) | Value::Tuple(s) if s.is_empty() => Some(Vec::new()),
        _ => fast_points(v).or_else(|| fast_cells(v).map(|c| c.into_iter().map(|(_, i, j)| (i, j)).collect())),
    }
}

/// `(uppermost, leftmost, lowermost, rightmost)` of index pairs (non-empty).
fn pair_bounds(pairs: &[(i64, i64)]) -> (i64, i64, i64, i64) {
    pairs.iter().fold((i64::MAX, i64::MAX, i64::MIN, i64::MIN), |(t, l, b, r), &(i, j)| {
        (t.min(i), l.min(j), b.max(i), r.max(j))
    })
}

/// The position `(i, j)` in a `h` by `w` grid, if it is inside.
#[inline]
fn inside(i: i64, j: i64, h: usize, w: usize) -> Option<usize> {
    let (i, j) = (usize::try_from(i).ok()?, usize::try_from(j).ok()?);
    (i < h && j < w).then(|| i * w + j)
}

/// Maps every element of a patch (not a tuple) through `f(i, j)`, keeping cell values:
/// `frozenset((v, f(i, j)) for v, (i, j) in piece)` or `frozenset(f(i, j) for i, j in piece)`.
fn map_patch(piece: &Value, f: impl Fn(&Value, &Value) -> Result<(Value, Value)>) -> Result<Value> {
    let cells = holds_cells(piece)?;
    let mut out = Vec::with_capacity(piece.len()?);
    for x in piece.items()? {
        if cells {
            let (v, index) = pair_items(&x)?;
            let (i, j) = pair_items(&index)?;
            let (a, b) = f(&i, &j)?;
            out.push(Value::tuple2(v, Value::tuple(vec![a, b])));
        } else {
            let (i, j) = pair_items(&x)?;
            let (a, b) = f(&i, &j)?;
            out.push(Value::tuple2(a, b));
        }
    }
    Ok(Value::set(out))
}

/// Maps a frozenset of points or of cells through `f(i, j)` on ints, if it is one.
fn fast_map(piece: &Value, f: impl Fn(i64, i64) -> (i64, i64)) -> Option<Value> {
    if let Some(points) = fast_points(piece) {
        return Some(Value::set(points.into_iter().map(|(i, j)| f(i, j)).map(|(a, b)| Value::pair(a, b)).collect()));
    }
    let cells = fast_cells(piece)?;
    Some(Value::set(cells.into_iter().map(|(v, i, j)| (v, f(i, j))).map(|(v, (a, b))| cell(v, a, b)).collect()))
}

// ---- crop and the rotations ------------------------------------------------------------------------

/// `crop` on a flat grid with int arguments.
fn crop_grid(g: &Grid, s0: i64, s1: i64, d0: i64, d1: i64) -> Value {
    let (r0, r1) = slice_bounds(g.h, Some(s0), Some(s0.saturating_add(d0)));
    let (c0, c1) = slice_bounds(g.w, Some(s1), Some(s1.saturating_add(d1)));
    grid_from_rows_fn(r1 - r0, c1 - c0, |i, cells| cells.extend_from_slice(&g.row(r0 + i)[c0..c1]))
}

/// The ints `(s, s + d)` of a slice `x[s:s + d]`; anything else is a `TypeError` (`+` or the slice fails).
fn slice_ends(s: &Value, d: &Value) -> Result<(i64, i64)> {
    match (s.as_int(), d.as_int()) {
        (Some(s), Some(d)) => Ok((s, s.saturating_add(d))),
        _ => Err(Error::type_error("slice indices must be integers")),
    }
}

/// `crop(grid, start, dims)` on any arguments.
fn crop_any(grid: &Value, start: &Value, dims: &Value) -> Result<Value> {
    if let (Value::Grid(g), Value::Point(a, b), Value::Point(c, d)) = (grid, start, dims) {
        return Ok(crop_grid(g, *a as i64, *b as i64, *c as i64, *d as i64));
    }
    let (s0, e0) = slice_ends(&start.index(0)?, &dims.index(0)?)?;
    let rows = py_slice(grid, Some(s0), Some(e0))?;
    let mut out = Vec::with_capacity(rows.len()?);
    for row in rows.items()? {
        let (s1, e1) = slice_ends(&start.index(1)?, &dims.index(1)?)?;
        out.push(py_slice(&row, Some(s1), Some(e1))?);
    }
    Ok(Value::tuple(out))
}

/// `crop(grid, start, dims)`: `tuple(r[start[1]:start[1]+dims[1]] for r in grid[start[0]:start[0]+dims[0]])`.
fn crop(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    crop_any(&args[0], &args[1], &args[2])
}

/// `rot90(grid)` on any argument.
fn rot90_any(grid: &Value) -> Result<Value> {
    if let Value::Grid(g) = grid {
        return Ok(grid_from_fn(g.w, g.h, |i, j| g.at(g.h - 1 - j, i)));
    }
    let columns = zip_rows(&py_reversed(grid)?.to_vec()?)?;
    Ok(rows_to_value(columns))
}

/// `rot90(grid)`: `tuple(zip(*grid[::-1]))`, a quarter turn clockwise.
fn rot90(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    rot90_any(&args[0])
}

/// `rot180(grid)`: `tuple(tuple(row[::-1]) for row in grid[::-1])`.
fn rot180(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    if let Value::Grid(g) = &args[0] {
        return Ok(grid_from_fn(g.h, g.w, |i, j| g.at(g.h - 1 - i, g.w - 1 - j)));
    }
    let rows = py_reversed(&args[0])?;
    Ok(Value::tuple(rows.items()?.map(|r| py_reversed(&r)).collect_ok()?))
}

/// `rot270(grid)` on any argument.
fn rot270_any(grid: &Value) -> Result<Value> {
    if let Value::Grid(g) = grid {
        return Ok(grid_from_fn(g.w, g.h, |i, j| g.at(j, g.w - 1 - i)));
    }
    let mut columns = zip_rows(&py_reversed(grid)?.to_vec()?)?;
    for c in &mut columns {
        c.reverse();
    }
    columns.reverse();
    Ok(rows_to_value(columns))
}

/// `rot270(grid)`: `tuple(tuple(row[::-1]) for row in zip(*grid[::-1]))[::-1]`, a quarter turn anticlockwise.
fn rot270(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    rot270_any(&args[0])
}

// ---- mirrors --------------------------------------------------------------------------------------

/// `hmirror(piece)`: `piece[::-1]` for a tuple, else each `(i, j)` to `(d - i, j)` with
/// `d = ulcorner(piece)[0] + lrcorner(piece)[0]`.
fn hmirror(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let piece = &args[0];
    if piece.is_tuple_like() {
        return py_reversed(piece);
    }
    if let Some(pairs) = fast_indices(piece).filter(|p| !p.is_empty()) {
        let (top, _, bottom, _) = pair_bounds(&pairs);
        if let Some(out) = fast_map(piece, |i, j| (top + bottom - i, j)) {
            return Ok(out);
        }
    }
    let d = py_add(&corner_item(&corner(piece, false)?, 0)?, &corner_item(&corner(piece, true)?, 0)?)?;
    map_patch(piece, |i, j| Ok((py_sub(&d, i)?, j.clone())))
}

/// `vmirror(piece)` on any argument.
fn vmirror_any(piece: &Value) -> Result<Value> {
    if let Value::Grid(g) = piece {
        return Ok(grid_from_fn(g.h, g.w, |i, j| g.at(i, g.w - 1 - j)));
    }
    if piece.is_tuple_like() {
        return Ok(Value::tuple(piece.items()?.map(|r| py_reversed(&r)).collect_ok()?));
    }
    if let Some(pairs) = fast_indices(piece).filter(|p| !p.is_empty()) {
        let (_, left, _, right) = pair_bounds(&pairs);
        if let Some(out) = fast_map(piece, |i, j| (i, left + right - j)) {
            return Ok(out);
        }
    }
    let d = py_add(&corner_item(&corner(piece, false)?, 1)?, &corner_item(&corner(piece, true)?, 1)?)?;
    map_patch(piece, |i, j| Ok((i.clone(), py_sub(&d, j)?)))
}

/// `vmirror(piece)`: each row reversed for a tuple, else each `(i, j)` to `(i, d - j)` with
/// `d = ulcorner(piece)[1] + lrcorner(piece)[1]`.
fn vmirror(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    vmirror_any(&args[0])
}

/// `dmirror(piece)` on any argument.
fn dmirror_any(piece: &Value) -> Result<Value> {
    if let Value::Grid(g) = piece {
        return Ok(grid_from_fn(g.w, g.h, |i, j| g.at(j, i)));
    }
    if piece.is_tuple_like() {
        return Ok(rows_to_value(zip_rows(&piece.to_vec()?)?));
    }
    if let Some(pairs) = fast_indices(piece).filter(|p| !p.is_empty()) {
        let (a, b, _, _) = pair_bounds(&pairs);
        if let Some(out) = fast_map(piece, |i, j| (j - b + a, i - a + b)) {
            return Ok(out);
        }
    }
    let (a, b) = corner_pair(corner(piece, false)?)?;
    map_patch(piece, |i, j| Ok((py_add(&py_sub(j, &b)?, &a)?, py_add(&py_sub(i, &a)?, &b)?)))
}

/// `dmirror(piece)`: `tuple(zip(*piece))` for a tuple, else each `(i, j)` to `(j - b + a, i - a + b)` with
/// `a, b = ulcorner(piece)`.
fn dmirror(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    dmirror_any(&args[0])
}

/// `cmirror(piece)`: `tuple(zip(*(r[::-1] for r in piece[::-1])))` for a tuple, else
/// `vmirror(dmirror(vmirror(piece)))`.
fn cmirror(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let piece = &args[0];
    if let Value::Grid(g) = piece {
        return Ok(grid_from_fn(g.w, g.h, |i, j| g.at(g.h - 1 - j, g.w - 1 - i)));
    }
    if piece.is_tuple_like() {
        let rows: Vec<Value> = py_reversed(piece)?.items()?.map(|r| py_reversed(&r)).collect_ok()?;
        return Ok(rows_to_value(zip_rows(&rows)?));
    }
    vmirror_any(&dmirror_any(&vmirror_any(piece)?)?)
}

// ---- painting ---------------------------------------------------------------------------------------

/// `fill(grid, value, patch)` (`under`: only where the grid holds `mostcolor(grid)`), on any arguments.
fn fill_any(ctx: &mut Ctx, grid: &Value, value: &Value, patch: &Value, under: bool) -> Result<Value> {
    let (h, w) = grid_dims(grid)?;
    if let (Value::Grid(g), Some(c), Some(pairs)) = (grid, small(value), fast_indices(patch)) {
        let bg = if under { Some(under_color(g)?) } else { None };
        let mut cells = g.cells.to_vec();
        for (i, j) in pairs {
            if let Some(k) = inside(i, j, h, w)
                && bg.is_none_or(|bg| cells[k] == bg)
            {
                cells[k] = c;
            }
        }
        return Ok(Grid::new(h, w, cells.into()).into_value());
    }
    let bg = if under { Some(common_colour(ctx, grid, true)?) } else { None };
    let mut rows = py_rows(grid)?;
    for x in toindices(patch)?.items()? {
        let (i, j) = pair_items(&x)?;
        let Some(i) = in_range(&i, h)? else { continue };
        let Some(j) = in_range(&j, w)? else { continue };
        put(&mut rows, i, j, value, bg.as_ref())?;
    }
    Ok(rows_to_value(rows))
}

/// The background colour of a flat grid, for `underfill` / `underpaint` (`mostcolor` of an empty grid is a
/// `ValueError`).
fn under_color(g: &Grid) -> Result<i8> {
    if g.w == 0 {
        return Err(Error::value_error("max() arg is an empty sequence"));
    }
    Ok(grid_mostcolor(g) as i8)
}

/// `rows[i][j] = value` (only if `rows[i][j] == bg` when a background is given); `i` is in range, row `i`
/// may be short (`IndexError`).
fn put(rows: &mut [Vec<Value>], i: usize, j: usize, value: &Value, bg: Option<&Value>) -> Result<()> {
    let slot =
        rows.get_mut(i).and_then(|r| r.get_mut(j)).ok_or_else(|| Error::index_error("list index out of range"))?;
    if bg.is_none_or(|bg| slot == bg) {
        *slot = value.clone();
    }
    Ok(())
}

/// `paint(grid, obj)` (`under`: only where the grid holds `mostcolor(grid)`), on any arguments.
fn paint_any(ctx: &mut Ctx, grid: &Value, obj: &Value, under: bool) -> Result<Value> {
    let (h, w) = grid_dims(grid)?;
    if let Value::Grid(g) = grid {
        // A frozenset of cells, or a tuple of them (painted in its order): written cell by cell into a copy.
        let triples = match obj {
            Value::Set(s) | Value::Tuple(s) if s.is_empty() => Some(Vec::new()),
            Value::Set(_) => fast_cells(obj),
            Value::Tuple(t) => t
                .iter()
                .map(|x| if let Value::Cell(c, i, j) = x { Some((*c as i64, *i as i64, *j as i64)) } else { None })
                .collect_some(),
            _ => None,
        };
        if let Some(triples) = triples.filter(|t| t.iter().all(|&(v, _, _)| i8::try_from(v).is_ok())) {
            let bg = if under { Some(under_color(g)?) } else { None };
            let mut cells = g.cells.to_vec();
            for (v, i, j) in triples {
                if let Some(k) = inside(i, j, h, w)
                    && bg.is_none_or(|bg| cells[k] == bg)
                {
                    cells[k] = v as i8;
                }
            }
            return Ok(Grid::new(h, w, cells.into()).into_value());
        }
    }
    let bg = if under { Some(common_colour(ctx, grid, true)?) } else { None };
    let mut rows = py_rows(grid)?;
    for x in obj.items()? {
        let (value, index) = pair_items(&x)?;
        let (i, j) = pair_items(&index)?;
        let Some(i) = in_range(&i, h)? else { continue };
        let Some(j) = in_range(&j, w)? else { continue };
        put(&mut rows, i, j, &value, bg.as_ref())?;
    }
    Ok(rows_to_value(rows))
}

/// `fill(grid, value, patch)`: the grid with `value` at the patch's indices inside it.
fn fill(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    fill_any(ctx, &args[0], &args[1], &args[2], false)
}

/// `paint(grid, obj)`: the grid with each cell `(value, (i, j))` of the object inside it written.
fn paint(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    paint_any(ctx, &args[0], &args[1], false)
}

/// `underfill(grid, value, patch)`: `fill`, but only where the grid holds `mostcolor(grid)`.
fn underfill(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    fill_any(ctx, &args[0], &args[1], &args[2], true)
}

/// `underpaint(grid, obj)`: `paint`, but only where the grid holds `mostcolor(grid)`.
fn underpaint(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    paint_any(ctx, &args[0], &args[1], true)
}

// ---- scaling ----------------------------------------------------------------------------------------

/// `hupscale(grid, factor)`: every value of every row repeated `factor` times.
fn hupscale(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, factor) = (&args[0], &args[1]);
    if let (Value::Grid(g), Some(f)) = (grid, factor.as_int()) {
        let f = count(f)?;
        let w = size_mul(g.w, f)?;
        ctx.check_len(size_mul(g.h, w)?)?;
        return Ok(grid_from_fn(g.h, w, |i, j| g.at(i, j / f)));
    }
    let rows = py_rows(grid)?;
    let cells: usize = rows.iter().map(Vec::len).sum();
    if cells == 0 {
        return Ok(rows_to_value(rows));
    }
    let f = count(range_arg(factor)?)?;
    ctx.check_len(size_mul(cells, f)?)?;
    Ok(rows_to_value(
        rows.into_iter().map(|r| r.into_iter().flat_map(|v| std::iter::repeat_n(v, f)).collect()).collect(),
    ))
}

/// `vupscale(grid, factor)`: every row repeated `factor` times.
fn vupscale(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, factor) = (&args[0], &args[1]);
    if let (Value::Grid(g), Some(f)) = (grid, factor.as_int()) {
        let f = count(f)?;
        let h = size_mul(g.h, f)?;
        ctx.check_len(size_mul(h, g.w.max(1))?)?;
        return Ok(grid_from_fn(h, g.w, |i, j| g.at(i / f, j)));
    }
    let rows = grid.to_vec()?;
    if rows.is_empty() {
        return Ok(Value::empty_tuple());
    }
    let f = count(range_arg(factor)?)?;
    let cells: usize = rows.iter().map(|r| r.len().unwrap_or(1).max(1)).sum();
    ctx.check_len(size_mul(cells, f)?)?;
    Ok(Value::tuple(rows.into_iter().flat_map(|r| std::iter::repeat_n(r, f)).collect()))
}

/// `upscale(element, factor)`: a grid with every cell a `factor` by `factor` block; an object likewise,
/// anchored at its upper left corner.
fn upscale(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (element, factor) = (&args[0], &args[1]);
    if element.is_tuple_like() {
        return upscale_grid(ctx, element, factor);
    }
    if element.len()? == 0 {
        return Ok(Value::empty_set());
    }
    if let (Some(triples), Some(f)) = (fast_cells(element), factor.as_int()) {
        let (top, left) = triples.iter().fold((i64::MAX, i64::MAX), |(t, l), &(_, i, j)| (t.min(i), l.min(j)));
        let cells = triples.into_iter().map(|(v, i, j)| (Value::Int(v), i - top, j - left)).collect();
        return upscale_cells(ctx, cells, (top, left), count(f)?);
    }
    let (top, left) = corner_pair(corner(element, false)?)?;
    let normed = shift(ctx, &[element.clone(), Value::tuple2(py_neg(&top)?, py_neg(&left)?)])?;
    // `for value, (i, j) in normed_obj:` then `range(factor)` and `i * factor + io`, in Python's order.
    let mut cells = Vec::with_capacity(normed.len()?);
    let mut f = None;
    for x in normed.items()? {
        let (value, index) = pair_items(&x)?;
        let (i, j) = pair_items(&index)?;
        let n = *match &f {
            Some(n) => n,
            None => f.insert(range_arg(factor)?),
        };
        if n <= 0 {
            continue;
        }
        let ints = (i.as_int(), j.as_int());
        let (Some(i), Some(j)) = ints else {
            return Err(Error::type_error("unsupported operand type(s) for +"));
        };
        cells.push((value, i, j));
    }
    let (top, left) = (top.as_int().unwrap_or(0), left.as_int().unwrap_or(0));
    upscale_cells(ctx, cells, (top, left), count(f.unwrap_or(0))?)
}

/// The cells `(value, i, j)` of an object normalized to its corner `(top, left)`, each blown up to a
/// `f` by `f` block and moved back.
fn upscale_cells(ctx: &mut Ctx, cells: Vec<(Value, i64, i64)>, (top, left): (i64, i64), f: usize) -> Result<Value> {
    if cells.is_empty() || f == 0 {
        return Ok(Value::empty_set());
    }
    ctx.check_len(size_mul(size_mul(cells.len(), f)?, f)?)?;
    let at = |base: i64, k: i64, o: usize| -> Result<i64> {
        k.checked_mul(f as i64)
            .and_then(|x| x.checked_add(o as i64))
            .and_then(|x| x.checked_add(base))
            .ok_or_else(Error::memory)
    };
    let mut out = Vec::with_capacity(cells.len() * f * f);
    for (value, i, j) in cells {
        for io in 0..f {
            let a = at(top, i, io)?;
            for jo in 0..f {
                let b = at(left, j, jo)?;
                out.push(match value.as_int() {
                    Some(v) => cell(v, a, b),
                    None => Value::tuple2(value.clone(), Value::pair(a, b)),
                });
            }
        }
    }
    Ok(Value::set(out))
}

/// `upscale` of a tuple: every row's values repeated `factor` times, then the row repeated `factor` times.
fn upscale_grid(ctx: &mut Ctx, grid: &Value, factor: &Value) -> Result<Value> {
    if let (Value::Grid(g), Some(f)) = (grid, factor.as_int()) {
        let f = count(f)?;
        let (h, w) = (size_mul(g.h, f)?, size_mul(g.w, f)?);
        ctx.check_len(size_mul(h, w.max(1))?)?;
        return Ok(grid_from_fn(h, w, |i, j| g.at(i / f, j / f)));
    }
    let rows = py_rows(grid)?;
    if rows.is_empty() {
        return Ok(Value::empty_tuple());
    }
    let f = count(range_arg(factor)?)?;
    let cells: usize = rows.iter().map(|r| r.len().max(1)).sum();
    ctx.check_len(size_mul(size_mul(cells, f)?, f)?)?;
    let mut out = Vec::with_capacity(rows.len() * f);
    for r in rows {
        let wide: Vec<Value> = r.into_iter().flat_map(|v| std::iter::repeat_n(v, f)).collect();
        let wide = Value::tuple(wide);
        out.extend(std::iter::repeat_n(wide, f));
    }
    Ok(Value::tuple(out))
}

/// `j % factor == 0` with Python's `%`.
fn divisible(j: usize, factor: &Value) -> Result<bool> {
    let f = factor.as_int().ok_or_else(|| Error::type_error("unsupported operand type(s) for %"))?;
    if f == 0 {
        return Err(Error::zero_division());
    }
    Ok((j as i64).checked_rem(f).is_none_or(|r| r == 0))
}

/// `downscale(grid, factor)`: every `factor`-th row and column, starting with the first.
fn downscale(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, factor) = (&args[0], &args[1]);
    let (h, w) = grid_dims(grid)?;
    if let (Value::Grid(g), Some(f)) = (grid, factor.as_int()) {
        if f == 0 {
            return Err(Error::zero_division());
        }
        let f = usize::try_from(f.unsigned_abs()).unwrap_or(usize::MAX);
        return Ok(grid_from_fn(h.div_ceil(f), w.div_ceil(f), |i, j| g.at(i * f, j * f)));
    }
    let mut kept = Vec::with_capacity(h);
    for i in 0..h {
        let mut r = Vec::new();
        let mut row = None;
        for j in 0..w {
            if divisible(j, factor)? {
                let row = row.get_or_insert_with(|| grid.item(i));
                r.push(row.index(j as i64)?);
            }
        }
        kept.push(r);
    }
    let mut out = Vec::new();
    for (i, r) in kept.into_iter().enumerate() {
        if divisible(i, factor)? {
            out.push(r);
        }
    }
    Ok(rows_to_value(out))
}

// ---- concatenation, subgrids, splits ----------------------------------------------------------------

/// `hconcat(a, b)`: `tuple(i + j for i, j in zip(a, b))`, the rows side by side.
fn hconcat(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (a, b) = (&args[0], &args[1]);
    if let (Value::Grid(x), Value::Grid(y)) = (a, b) {
        let (h, w) = (x.h.min(y.h), x.w + y.w);
        ctx.check_len(size_mul(h, w)?)?;
        return Ok(grid_from_rows_fn(h, w, |i, cells| {
            cells.extend_from_slice(x.row(i));
            cells.extend_from_slice(y.row(i));
        }));
    }
    let (xs, ys) = (a.items()?, b.items()?);
    let mut out = Vec::with_capacity(xs.len().min(ys.len()));
    let mut total = 0usize;
    for (x, y) in xs.zip(ys) {
        total = total.saturating_add(x.weight()).saturating_add(y.weight());
        ctx.check_len(total)?;
        out.push(py_add(&x, &y)?);
    }
    Ok(Value::tuple(out))
}

/// `vconcat(a, b)`: `a + b`, the rows of `b` below those of `a`.
fn vconcat(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (a, b) = (&args[0], &args[1]);
    if a.is_tuple_like() && b.is_tuple_like() {
        ctx.check_len(a.weight().saturating_add(b.weight()))?;
    }
    py_add(a, b)
}

/// `subgrid(patch, grid)`: `crop(grid, ulcorner(patch), shape(patch))`.
fn subgrid(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (patch, grid) = (&args[0], &args[1]);
    if let (Some(pairs), Value::Grid(g)) = (fast_indices(patch), grid)
        && !pairs.is_empty()
    {
        let (top, left, bottom, right) = pair_bounds(&pairs);
        return Ok(crop_grid(g, top, left, bottom - top + 1, right - left + 1));
    }
    let start = Value::tuple(corner(patch, false)?);
    let dims = Value::tuple2(extent(patch, 0)?, extent(patch, 1)?);
    crop_any(grid, &start, &dims)
}

/// The `n` crops of `hsplit` / `vsplit`: crop `k` starts at `(k * step0, k * step1)` and has `dims`.
fn splits(ctx: &mut Ctx, grid: &Value, n: i64, step: (i64, i64), dims: (i64, i64)) -> Result<Value> {
    let n = count(n)?;
    ctx.check_len(n)?;
    ctx.charge(size_mul(n, grid.len()?).unwrap_or(usize::MAX))?;
    let mut out = Vec::with_capacity(n);
    for k in 0..n as i64 {
        let (s0, s1) = (k * step.0, k * step.1);
        out.push(match grid {
            Value::Grid(g) => crop_grid(g, s0, s1, dims.0, dims.1),
            _ => crop_any(grid, &Value::pair(s0, s1), &Value::pair(dims.0, dims.1))?,
        });
    }
    Ok(Value::tuple(out))
}

/// The int divisor of `hsplit` / `vsplit`: `TypeError` if none, `ZeroDivisionError` if zero.
fn divisor(n: &Value) -> Result<i64> {
    match n.as_int() {
        None => Err(Error::type_error("unsupported operand type(s) for //")),
        Some(0) => Err(Error::zero_division()),
        Some(n) => Ok(n),
    }
}

/// `hsplit(grid, n)`: `n` side-by-side parts of width `len(grid[0]) // n`, skipping one column between
/// parts when the width does not divide.
fn hsplit(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let grid = &args[0];
    let h = grid.len()? as i64;
    let full = grid.first_len()? as i64;
    let n = divisor(&args[1])?;
    let w = floordiv(full, n)?;
    let offset = (full.wrapping_rem(n) != 0) as i64;
    splits(ctx, grid, n, (0, w + offset), (h, w))
}

/// `vsplit(grid, n)`: `n` stacked parts of height `len(grid) // n`, skipping one row between parts when
/// the height does not divide.
fn vsplit(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let grid = &args[0];
    let full = grid.len()? as i64;
    let n = divisor(&args[1])?;
    let h = floordiv(full, n)?;
    let w = grid.first_len()? as i64;
    let offset = (full.wrapping_rem(n) != 0) as i64;
    splits(ctx, grid, n, (h + offset, 0), (h, w))
}

// ---- cellwise and colour substitution ---------------------------------------------------------------

/// `cellwise(a, b, fallback)`: `a`'s value where `a` and `b` agree, `fallback` elsewhere, over `a`'s shape.
fn cellwise(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (a, b, fallback) = (&args[0], &args[1], &args[2]);
    let (h, w) = grid_dims(a)?;
    if let (Value::Grid(x), Value::Grid(y), Some(c)) = (a, b, small(fallback))
        && y.h >= h
        && y.w >= w
    {
        return Ok(grid_from_fn(h, w, |i, j| if x.at(i, j) == y.at(i, j) { x.at(i, j) } else { c }));
    }
    let mut out = Vec::with_capacity(h);
    for i in 0..h {
        let ra = a.item(i);
        let mut rb = None;
        let mut row = Vec::with_capacity(w);
        for j in 0..w {
            let av = ra.index(j as i64)?;
            let rb = match &rb {
                Some(r) => r,
                None => rb.insert(b.index(i as i64)?),
            };
            let bv = rb.index(j as i64)?;
            row.push(if av == bv { av } else { fallback.clone() });
        }
        out.push(row);
    }
    Ok(rows_to_value(out))
}

/// Maps every value of every row (`for r in grid`, `for v in r`) through `f`.
fn map_values(grid: &Value, f: impl Fn(Value) -> Value) -> Result<Value> {
    let rows = py_rows(grid)?;
    Ok(rows_to_value(rows.into_iter().map(|r| r.into_iter().map(&f).collect()).collect()))
}

/// `replace(grid, replacee, replacer)`: every `replacee` value changed to `replacer`.
fn replace(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, replacee, replacer) = (&args[0], &args[1], &args[2]);
    if let Value::Grid(g) = grid {
        match (small(replacee), small(replacer)) {
            (None, _) => return Ok(grid.clone()),
            (Some(old), Some(new)) => {
                return Ok(grid_from_fn(g.h, g.w, |i, j| if g.at(i, j) == old { new } else { g.at(i, j) }));
            }
            _ => {}
        }
    }
    map_values(grid, |v| if v == *replacee { replacer.clone() } else { v })
}

/// `switch(grid, a, b)`: values `a` and `b` exchanged.
fn switch(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, a, b) = (&args[0], &args[1], &args[2]);
    if let Value::Grid(g) = grid {
        match (small(a), small(b)) {
            (None, None) => return Ok(grid.clone()),
            (Some(x), Some(y)) => {
                return Ok(grid_from_fn(g.h, g.w, |i, j| match g.at(i, j) {
                    v if v == y => x,
                    v if v == x => y,
                    v => v,
                }));
            }
            _ => {}
        }
    }
    map_values(grid, |v| {
        if v == *b {
            a.clone()
        } else if v == *a {
            b.clone()
        } else {
            v
        }
    })
}

/// `index(grid, loc)`: `grid[i][j]` for `i, j = loc`, `None` outside the grid.
fn index(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, loc) = (&args[0], &args[1]);
    let (i, j) = pair_items(loc)?;
    let (h, w) = grid_dims(grid)?;
    let Some(i) = in_range(&i, h)? else {
        return Ok(Value::None);
    };
    let Some(j) = in_range(&j, w)? else {
        return Ok(Value::None);
    };
    if let Value::Grid(g) = grid
        && loc.is_tuple_like()
    {
        return Ok(Value::Int(g.at(i, j) as i64));
    }
    let (i, j) = (loc.index(0)?, loc.index(1)?);
    let row = grid.index(i.as_int().unwrap_or(0))?;
    row.index(j.as_int().unwrap_or(0))
}

/// `canvas(value, dimensions)`: a `dimensions[0]` by `dimensions[1]` grid of `value`.
fn canvas(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (value, dims) = (&args[0], &args[1]);
    let h = count(range_arg(&dims.index(0)?)?)?;
    if h == 0 {
        return Ok(Value::empty_tuple());
    }
    let w = count(range_arg(&dims.index(1)?)?)?;
    ctx.check_len(h)?;
    ctx.check_len(size_mul(h, w)?)?;
    if let Some(c) = small(value) {
        return Ok(grid_from_fn(h, w, |_, _| c));
    }
    let row = Value::tuple(vec![value.clone(); w]);
    Ok(Value::tuple(vec![row; h]))
}

/// `cover(grid, patch)`: `fill(grid, mostcolor(grid), toindices(patch))`, the patch erased to the background.
fn cover_any(ctx: &mut Ctx, grid: &Value, patch: &Value) -> Result<Value> {
    let bg = common_colour(ctx, grid, true)?;
    if fast_indices(patch).is_some() {
        return fill_any(ctx, grid, &bg, patch, false);
    }
    fill_any(ctx, grid, &bg, &toindices(patch)?, false)
}

/// `cover(grid, patch)`: the patch filled with the grid's most common colour.
fn cover(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    cover_any(ctx, &args[0], &args[1])
}

/// `trim(grid)`: `tuple(r[1:-1] for r in grid[1:-1])`, the border removed.
fn trim(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let grid = &args[0];
    if let Value::Grid(g) = grid {
        return Ok(crop_grid(g, 1, 1, g.h as i64 - 2, g.w as i64 - 2));
    }
    let rows = py_slice(grid, Some(1), Some(-1))?;
    Ok(Value::tuple(rows.items()?.map(|r| py_slice(&r, Some(1), Some(-1))).collect_ok()?))
}

/// `move(grid, obj, offset)`: `paint(cover(grid, obj), shift(obj, offset))`.
fn move_(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, obj, offset) = (&args[0], &args[1], &args[2]);
    if let (Value::Grid(g), Some(triples), Value::Point(di, dj)) = (grid, fast_cells(obj), offset)
        && g.w > 0
        && triples.iter().all(|&(v, _, _)| i8::try_from(v).is_ok())
    {
        let bg = grid_mostcolor(g) as i8;
        let mut cells = g.cells.to_vec();
        for &(_, i, j) in &triples {
            if let Some(k) = inside(i, j, g.h, g.w) {
                cells[k] = bg;
            }
        }
        for (v, i, j) in triples {
            if let Some(k) = inside(i + *di as i64, j + *dj as i64, g.h, g.w) {
                cells[k] = v as i8;
            }
        }
        return Ok(Grid::new(g.h, g.w, cells.into()).into_value());
    }
    let covered = cover_any(ctx, grid, obj)?;
    let shifted = shift(ctx, &[obj.clone(), offset.clone()])?;
    paint_any(ctx, &covered, &shifted, false)
}

// ---- halves and compress ----------------------------------------------------------------------------

/// `tophalf(grid)`: `grid[:len(grid) // 2]`.
fn tophalf(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let n = args[0].len()? as i64;
    py_slice(&args[0], None, Some(n / 2))
}

/// `bottomhalf(grid)`: `grid[len(grid) // 2 + len(grid) % 2:]`.
fn bottomhalf(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let n = args[0].len()? as i64;
    py_slice(&args[0], Some(n / 2 + n % 2), None)
}

/// `lefthalf` (`right == false`) or `righthalf` via `rot270(tophalf(rot90(grid)))` (resp. `bottomhalf`).
fn side_half(grid: &Value, right: bool) -> Result<Value> {
    if let Value::Grid(g) = grid {
        let half = g.w / 2;
        if half == 0 {
            return Ok(Value::empty_tuple());
        }
        let start = if right { g.w - half } else { 0 };
        return Ok(grid_from_fn(g.h, half, |i, j| g.at(i, start + j)));
    }
    let turned = rot90_any(grid)?;
    let n = turned.len()? as i64;
    let half =
        if right { py_slice(&turned, Some(n / 2 + n % 2), None)? } else { py_slice(&turned, None, Some(n / 2))? };
    rot270_any(&half)
}

/// `lefthalf(grid)`: `rot270(tophalf(rot90(grid)))`, the left `w // 2` columns.
fn lefthalf(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    side_half(&args[0], false)
}

/// `righthalf(grid)`: `rot270(bottomhalf(rot90(grid)))`, the right `w // 2` columns.
fn righthalf(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    side_half(&args[0], true)
}

/// `len(set(cells)) == 1` for grid cells.
fn uniform_cells(mut cells: impl Iterator<Item = i8>) -> bool {
    match cells.next() {
        Some(first) => cells.all(|x| x == first),
        None => false,
    }
}

/// `len(set(items)) == 1`.
fn uniform(items: &[Value]) -> bool {
    items.first().is_some_and(|x| items.iter().all(|y| y == x))
}

/// `compress(grid)`: the grid without its single-coloured rows and columns.
fn compress(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let grid = &args[0];
    if let Value::Grid(g) = grid {
        let rows: Vec<usize> = (0..g.h).filter(|&i| !uniform_cells(g.row(i).iter().copied())).collect();
        let cols: Vec<usize> = (0..g.w).filter(|&j| !uniform_cells((0..g.h).map(|i| g.at(i, j)))).collect();
        return Ok(grid_from_fn(rows.len(), cols.len(), |i, j| g.at(rows[i], cols[j])));
    }
    let rows = py_rows(grid)?;
    let drop_rows: Vec<bool> = rows.iter().map(|r| uniform(r)).collect();
    let columns = dmirror_any(grid)?;
    let mut drop_cols = Vec::new();
    for (j, c) in columns.items()?.enumerate() {
        if uniform(&c.to_vec()?) {
            drop_cols.push(j);
        }
    }
    let out = rows
        .into_iter()
        .zip(drop_rows)
        .filter(|(_, drop)| !drop)
        .map(|(r, _)| r.into_iter().enumerate().filter(|(j, _)| !drop_cols.contains(j)).map(|(_, v)| v).collect())
        .collect();
    Ok(rows_to_value(out))
}

/// The grids primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
    prim!(crop,       3, "subgrid at start with dims: rows start[0]:start[0]+dims[0], columns likewise"),
    prim!(rot90,      1, "quarter turn clockwise: tuple(zip(*grid[::-1]))"),
    prim!(rot180,     1, "half turn: every row reversed, rows reversed"),
    prim!(rot270,     1, "quarter turn anticlockwise"),
    prim!(hmirror,    1, "mirror along the horizontal: piece[::-1], or i -> top + bottom - i for a patch"),
    prim!(vmirror,    1, "mirror along the vertical: rows reversed, or j -> left + right - j for a patch"),
    prim!(dmirror,    1, "mirror along the diagonal: tuple(zip(*piece)), or a transpose about ulcorner"),
    prim!(cmirror,    1, "mirror along the counterdiagonal; vmirror(dmirror(vmirror(piece))) for a patch"),
    prim!(fill,       3, "grid with value written at the patch's indices inside it"),
    prim!(paint,      2, "grid with the object's cells (value, (i, j)) inside it written"),
    prim!(underfill,  3, "fill, only where the grid holds its most common colour"),
    prim!(underpaint, 2, "paint, only where the grid holds its most common colour"),
    prim!(hupscale,   2, "every value of every row repeated factor times"),
    prim!(vupscale,   2, "every row repeated factor times"),
    prim!(upscale,    2, "every cell of a grid or object blown up to a factor x factor block"),
    prim!(downscale,  2, "every factor-th row and column, from the first"),
    prim!(hconcat,    2, "rows side by side: tuple(i + j for i, j in zip(a, b))"),
    prim!(vconcat,    2, "rows stacked: a + b"),
    prim!(subgrid,    2, "smallest subgrid holding the patch: crop(grid, ulcorner(patch), shape(patch))"),
    prim!(hsplit,     2, "n parts side by side, one column skipped between them if the width does not divide"),
    prim!(vsplit,     2, "n parts stacked, one row skipped between them if the height does not divide"),
    prim!(cellwise,   3, "a's value where a and b agree, fallback elsewhere"),
    prim!(replace,    3, "every replacee value changed to replacer"),
    prim!(switch,     3, "values a and b exchanged"),
    prim!(index,      2, "grid[i][j] for (i, j) = loc, None outside the grid"),
    prim!(canvas,     2, "a dimensions[0] x dimensions[1] grid filled with value"),
    prim!(cover,      2, "the patch filled with the grid's most common colour"),
    prim!(trim,       1, "the grid without its border: r[1:-1] for r in grid[1:-1]"),
    Primitive { name: "move", arity: 3, f: move_, doc: "paint(cover(grid, obj), shift(obj, offset))" },
    prim!(tophalf,    1, "grid[:len(grid) // 2]"),
    prim!(bottomhalf, 1, "grid[len(grid) // 2 + len(grid) % 2:]"),
    prim!(lefthalf,   1, "the left w // 2 columns: rot270(tophalf(rot90(grid)))"),
    prim!(righthalf,  1, "the right w // 2 columns: rot270(bottomhalf(rot90(grid)))"),
    prim!(compress,   1, "the grid without its single-coloured rows and columns"),
];

#[cfg(test)]
mod tests {
    use crate::literal::py;
    use crate::prims::testing::{check, run};

    use crate::{ErrorKind, Value};

    // Each `*_cases` test lists normal cases and edges (1x1, non-square, `()`, rows of `()`, ragged or
    // non-grid tuples, patches of indices and of cells, out-of-bounds patches, wrong types) with the value
    // or exception CPython 3.11 gives for them.

    const G: &str = "((1, 2, 3), (4, 5, 6))";
    const S: &str = "((0, 0, 1), (0, 2, 0), (0, 0, 0))";

    #[test]
    #[rustfmt::skip]
    fn crop_cases() {
        check("crop", &[G, "(0, 1)", "(2, 2)"], "((2, 3), (5, 6))");
        check("crop", &[G, "(1, 0)", "(1, 3)"], "((4, 5, 6),)");
        check("crop", &[G, "(0, 0)", "(5, 5)"], "((1, 2, 3), (4, 5, 6))");
        check("crop", &[G, "(1, 2)", "(1, 1)"], "((6,),)");
        check("crop", &[G, "(-1, 1)", "(2, 5)"], "()");
        check("crop", &[G, "(-1, -2)", "(1, 5)"], "()");
        check("crop", &[G, "(0, 3)", "(2, 1)"], "((), ())");
        check("crop", &[G, "(2, 0)", "(1, 1)"], "()");
        check("crop", &[G, "(0, 0)", "(0, 3)"], "()");
        check("crop", &[G, "(0, 0)", "(2, 0)"], "((), ())");
        check("crop", &[G, "(0, 0)", "(-1, 2)"], "((1, 2),)");
        check("crop", &["()", "(0, 0)", "(1, 1)"], "()");
        check("crop", &[G, "(0,)", "(0,)"], "()");
        check("crop", &[G, "(0,)", "(1,)"], "IndexError");
        check("crop", &[G, "(0, 0, 9)", "(1, 1, 9)"], "((1,),)");
        check("crop", &[G, "(None, 0)", "(1, 1)"], "TypeError");
        check("crop", &[G, "frozenset({0, 1})", "(1, 1)"], "TypeError");
        check("crop", &["((1, 200), (3, 4))", "(0, 1)", "(2, 1)"], "((200,), (4,))");
        check("crop", &["((1, 2), (3,))", "(0, 1)", "(2, 1)"], "((2,), ())");
        check("crop", &["frozenset({(0, 0)})", "(0, 0)", "(1, 1)"], "TypeError");
        check("crop", &["((1, 2), frozenset({3}))", "(0, 0)", "(1, 1)"], "((1,),)");
        check("crop", &["((1, 2), frozenset({3}))", "(0, 0)", "(2, 1)"], "TypeError");
        check("crop", &["(1, 2, 3)", "(0, 0)", "(1, 1)"], "TypeError");
        check("crop", &["((1, 2),)", "(True, False)", "(1, 2)"], "()");
    }

    #[test]
    #[rustfmt::skip]
    fn rot90_cases() {
        check("rot90", &[G], "((4, 1), (5, 2), (6, 3))");
        check("rot90", &["((1,),)"], "((1,),)");
        check("rot90", &["((1, 2),)"], "((1,), (2,))");
        check("rot90", &["((1,), (2,))"], "((2, 1),)");
        check("rot90", &["()"], "()");
        check("rot90", &["((), ())"], "()");
        check("rot90", &["((1, 2), (3,))"], "((3, 1),)");
        check("rot90", &["((1, 200), (3, 4))"], "((3, 1), (4, 200))");
        check("rot90", &["(1, 2)"], "TypeError");
        check("rot90", &["frozenset({(0, 0)})"], "TypeError");
        check("rot90", &["((1, 2), frozenset({3, 4}))"], "((3, 1), (4, 2))");
        check("rot90", &["5"], "TypeError");
        check("rot90", &["(3, (1, 2))"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn rot180_cases() {
        check("rot180", &[G], "((6, 5, 4), (3, 2, 1))");
        check("rot180", &["((1,),)"], "((1,),)");
        check("rot180", &["()"], "()");
        check("rot180", &["((), ())"], "((), ())");
        check("rot180", &["((1, 2), (3,))"], "((3,), (2, 1))");
        check("rot180", &["((1, 200),)"], "((200, 1),)");
        check("rot180", &["((1, 2), frozenset({3}))"], "TypeError");
        check("rot180", &["(1, 2)"], "TypeError");
        check("rot180", &["frozenset()"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn rot270_cases() {
        check("rot270", &[G], "((3, 6), (2, 5), (1, 4))");
        check("rot270", &["((1,),)"], "((1,),)");
        check("rot270", &["((1, 2),)"], "((2,), (1,))");
        check("rot270", &["()"], "()");
        check("rot270", &["((), ())"], "()");
        check("rot270", &["((1, 2), (3,))"], "((1, 3),)");
        check("rot270", &["((1, 200), (3, 4))"], "((200, 4), (1, 3))");
        check("rot270", &["(1, 2)"], "TypeError");
        check("rot270", &["None"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn hmirror_cases() {
        check("hmirror", &[G], "((4, 5, 6), (1, 2, 3))");
        check("hmirror", &["((1,),)"], "((1,),)");
        check("hmirror", &["()"], "()");
        check("hmirror", &["(1, 2)"], "(2, 1)");
        check("hmirror", &["(3, (1, 2))"], "((1, 2), 3)");
        check("hmirror", &["(1, 2, 3)"], "(3, 2, 1)");
        check("hmirror", &["frozenset({(0, 0), (2, 5), (1, 1)})"], "frozenset({(1, 1), (2, 0), (0, 5)})");
        check("hmirror", &["frozenset({(3, (0, 0)), (4, (2, 5))})"], "frozenset({(4, (0, 5)), (3, (2, 0))})");
        check("hmirror", &["frozenset({(-5, 0)})"], "frozenset({(-5, 0)})");
        check("hmirror", &["frozenset()"], "IndexError");
        check("hmirror", &["5"], "TypeError");
        check("hmirror", &["frozenset({(1, 2, 3)})"], "ValueError");
        check("hmirror", &["frozenset({(0, frozenset({1, 2}))})"], "frozenset({(0, frozenset({1, 2}))})");
        check("hmirror", &["frozenset({(None, (1, 1))})"], "frozenset({(None, (1, 1))})");
    }

    #[test]
    #[rustfmt::skip]
    fn vmirror_cases() {
        check("vmirror", &[G], "((3, 2, 1), (6, 5, 4))");
        check("vmirror", &["((1,),)"], "((1,),)");
        check("vmirror", &["()"], "()");
        check("vmirror", &["((), ())"], "((), ())");
        check("vmirror", &["((1, 2), (3,))"], "((2, 1), (3,))");
        check("vmirror", &["(1, 2)"], "TypeError");
        check("vmirror", &["((1, 2), frozenset({3}))"], "TypeError");
        check("vmirror", &["frozenset({(0, 0), (2, 5), (1, 1)})"], "frozenset({(2, 0), (1, 4), (0, 5)})");
        check("vmirror", &["frozenset({(3, (0, 0)), (4, (2, 5))})"], "frozenset({(3, (0, 5)), (4, (2, 0))})");
        check("vmirror", &["frozenset()"], "IndexError");
        check("vmirror", &["frozenset({(1,), (2,)})"], "IndexError");
        check("vmirror", &["3"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn dmirror_cases() {
        check("dmirror", &[G], "((1, 4), (2, 5), (3, 6))");
        check("dmirror", &["((1,),)"], "((1,),)");
        check("dmirror", &["()"], "()");
        check("dmirror", &["((), ())"], "()");
        check("dmirror", &["((1, 2), (3,))"], "((1, 3),)");
        check("dmirror", &["(1, 2)"], "TypeError");
        check("dmirror", &["((1, 200), (3, 4))"], "((1, 3), (200, 4))");
        check("dmirror", &["frozenset({(0, 1), (2, 5), (1, 1)})"], "frozenset({(0, 1), (0, 2), (4, 3)})");
        check("dmirror", &["frozenset({(3, (1, 0)), (4, (2, 5))})"], "frozenset({(3, (1, 0)), (4, (6, 1))})");
        check("dmirror", &["frozenset()"], "ValueError");
        check("dmirror", &["frozenset({(1, 2, 3)})"], "ValueError");
        check("dmirror", &["frozenset({(0, 0), (1, 2)})"], "frozenset({(2, 1), (0, 0)})");
    }

    #[test]
    #[rustfmt::skip]
    fn cmirror_cases() {
        check("cmirror", &[G], "((6, 3), (5, 2), (4, 1))");
        check("cmirror", &["((1,),)"], "((1,),)");
        check("cmirror", &["()"], "()");
        check("cmirror", &["((), ())"], "()");
        check("cmirror", &["((1, 2), (3,))"], "((3, 2),)");
        check("cmirror", &["(1, 2)"], "TypeError");
        check("cmirror", &["((1, 200), (3, 4))"], "((4, 200), (3, 1))");
        check("cmirror", &["frozenset({(0, 1), (2, 5), (1, 1)})"], "frozenset({(0, 1), (4, 2), (4, 3)})");
        check("cmirror", &["frozenset({(3, (1, 0)), (4, (2, 5))})"], "frozenset({(3, (6, 1)), (4, (1, 0))})");
        check("cmirror", &["frozenset()"], "IndexError");
        check("cmirror", &["frozenset({(7, 7)})"], "frozenset({(7, 7)})");
    }

    #[test]
    #[rustfmt::skip]
    fn fill_cases() {
        check("fill", &[S, "5", "frozenset({(0, 0), (2, 2), (3, 3), (-1, 0)})"], "((5, 0, 1), (0, 2, 0), (0, 0, 5))");
        check("fill", &[S, "5", "frozenset({(1, (1, 1)), (2, (0, 2))})"], "((0, 0, 5), (0, 5, 0), (0, 0, 0))");
        check("fill", &[S, "5", "frozenset()"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("fill", &[S, "100", "frozenset({(0, 0)})"], "((100, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("fill", &[S, "100", "frozenset({(9, 9)})"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("fill", &[S, "None", "frozenset({(1, 1)})"], "((0, 0, 1), (0, None, 0), (0, 0, 0))");
        check("fill", &[S, "True", "frozenset({(1, 1)})"], "((0, 0, 1), (0, True, 0), (0, 0, 0))");
        check("fill", &[S, "5", "((0, 1), (1, 0))"], "((0, 5, 1), (5, 2, 0), (0, 0, 0))");
        check("fill", &[S, "5", "frozenset({(1, 2, 3)})"], "ValueError");
        check("fill", &[S, "5", "5"], "TypeError");
        check("fill", &["()", "5", "frozenset()"], "IndexError");
        check("fill", &["((), ())", "5", "frozenset({(0, 0)})"], "((), ())");
        check("fill", &["frozenset({(0, 0)})", "5", "frozenset()"], "TypeError");
        check("fill", &["((1, 2), (3,))", "5", "frozenset({(1, 1)})"], "IndexError");
        check("fill", &["((1, 2), (3,))", "5", "frozenset({(1, 0)})"], "((1, 2), (5,))");
        check("fill", &[S, "5", "frozenset({(-1, frozenset({0, 1}))})"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("fill", &[S, "5", "frozenset({(0, None)})"], "TypeError");
        check("fill", &[S, "5", "frozenset({((1, 2), (3, 4))})"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("fill", &["((1, 2), 5)", "5", "frozenset()"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn paint_cases() {
        check("paint", &[S, "frozenset({(5, (0, 0)), (6, (2, 2)), (7, (3, 3)), (8, (-1, 0))})"], "((5, 0, 1), (0, 2, 0), (0, 0, 6))");
        check("paint", &[S, "frozenset()"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("paint", &[S, "frozenset({(1, (1, 1)), (9, (1, 1))})"], "((0, 0, 1), (0, 9, 0), (0, 0, 0))");
        check("paint", &[S, "frozenset({(100, (0, 0))})"], "((100, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("paint", &[S, "frozenset({(100, (5, 5))})"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("paint", &[S, "frozenset({(0, 0)})"], "TypeError");
        check("paint", &[S, "((4, (0, 0)),)"], "((4, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("paint", &[S, "((4, (0, 0, 0)),)"], "ValueError");
        // A tuple is painted in its order: the last write to a cell wins.
        check("paint", &[S, "((4, (0, 0)), (3, (0, 0)), (5, (9, 9)))"], "((3, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("paint", &[S, "()"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("fill", &[S, "3", "()"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("underpaint", &[S, "()"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("paint", &[S, "frozenset({((1, 2), (0, 0))})"], "(((1, 2), 0, 1), (0, 2, 0), (0, 0, 0))");
        check("paint", &[S, "5"], "TypeError");
        check("paint", &["()", "frozenset()"], "IndexError");
        check("paint", &["((1, 2), (3,))", "frozenset({(9, (1, 1))})"], "IndexError");
        check("paint", &[S, "frozenset({(None, (1, 1))})"], "((0, 0, 1), (0, None, 0), (0, 0, 0))");
        check("paint", &[S, "frozenset({(4, (-1, (1,)))})"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
    }

    #[test]
    #[rustfmt::skip]
    fn underfill_cases() {
        check("underfill", &[S, "5", "frozenset({(0, 0), (0, 2), (1, 1), (2, 2)})"], "((5, 0, 1), (0, 2, 0), (0, 0, 5))");
        check("underfill", &[S, "5", "frozenset()"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("underfill", &["((1, 1), (2, 2))", "5", "frozenset({(0, 0), (1, 0)})"], "((5, 1), (2, 2))");
        check("underfill", &[S, "100", "frozenset({(0, 0)})"], "((100, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("underfill", &["((),)", "5", "frozenset()"], "ValueError");
        check("underfill", &["()", "5", "frozenset()"], "IndexError");
        check("underfill", &["((1, 300), (300, 2))", "5", "frozenset({(0, 1), (0, 0)})"], "((1, 5), (300, 2))");
        check("underfill", &[S, "5", "frozenset({(1, (0, 0)), (2, (1, 1))})"], "((5, 0, 1), (0, 2, 0), (0, 0, 0))");
    }

    #[test]
    #[rustfmt::skip]
    fn underpaint_cases() {
        check("underpaint", &[S, "frozenset({(5, (0, 0)), (6, (0, 2)), (7, (1, 1))})"], "((5, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("underpaint", &[S, "frozenset()"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("underpaint", &["((),)", "frozenset()"], "ValueError");
        check("underpaint", &[S, "frozenset({(100, (0, 0))})"], "((100, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("underpaint", &["((1, 1), (2, 2))", "frozenset({(5, (1, 0)), (6, (0, 1))})"], "((1, 6), (2, 2))");
        check("underpaint", &[S, "frozenset({(0, 0)})"], "TypeError");
        check("underpaint", &["((1, 300), (300, 2))", "frozenset({(5, (0, 1))})"], "((1, 5), (300, 2))");
    }

    #[test]
    #[rustfmt::skip]
    fn hupscale_cases() {
        check("hupscale", &[G, "2"], "((1, 1, 2, 2, 3, 3), (4, 4, 5, 5, 6, 6))");
        check("hupscale", &[G, "1"], "((1, 2, 3), (4, 5, 6))");
        check("hupscale", &[G, "0"], "((), ())");
        check("hupscale", &[G, "-1"], "((), ())");
        check("hupscale", &["((1,),)", "3"], "((1, 1, 1),)");
        check("hupscale", &["((), ())", "3"], "((), ())");
        check("hupscale", &["((), ())", "None"], "((), ())");
        check("hupscale", &["()", "None"], "()");
        check("hupscale", &[G, "None"], "TypeError");
        check("hupscale", &[G, "True"], "((1, 2, 3), (4, 5, 6))");
        check("hupscale", &["((1, 2), (3,))", "2"], "((1, 1, 2, 2), (3, 3))");
        check("hupscale", &["((1, 200),)", "2"], "((1, 1, 200, 200),)");
        check("hupscale", &["frozenset({(0, 1)})", "2"], "((0, 0, 1, 1),)");
        check("hupscale", &["(1, 2)", "2"], "TypeError");
        check("hupscale", &["5", "2"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn vupscale_cases() {
        check("vupscale", &[G, "2"], "((1, 2, 3), (1, 2, 3), (4, 5, 6), (4, 5, 6))");
        check("vupscale", &[G, "1"], "((1, 2, 3), (4, 5, 6))");
        check("vupscale", &[G, "0"], "()");
        check("vupscale", &[G, "-2"], "()");
        check("vupscale", &["((1,),)", "3"], "((1,), (1,), (1,))");
        check("vupscale", &["((), ())", "2"], "((), (), (), ())");
        check("vupscale", &["()", "None"], "()");
        check("vupscale", &[G, "None"], "TypeError");
        check("vupscale", &["(1, 2)", "2"], "(1, 1, 2, 2)");
        check("vupscale", &["((1, 2), (3,))", "2"], "((1, 2), (1, 2), (3,), (3,))");
        check("vupscale", &["frozenset({(0, 1), (2, 3)})", "2"], "((0, 1), (0, 1), (2, 3), (2, 3))");
        check("vupscale", &["5", "2"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn upscale_cases() {
        check("upscale", &[G, "2"], "((1, 1, 2, 2, 3, 3), (1, 1, 2, 2, 3, 3), (4, 4, 5, 5, 6, 6), (4, 4, 5, 5, 6, 6))");
        check("upscale", &[G, "1"], "((1, 2, 3), (4, 5, 6))");
        check("upscale", &[G, "0"], "()");
        check("upscale", &["((1,),)", "3"], "((1, 1, 1), (1, 1, 1), (1, 1, 1))");
        check("upscale", &["((),)", "2"], "((), ())");
        check("upscale", &["((),)", "None"], "TypeError");
        check("upscale", &["()", "None"], "()");
        check("upscale", &[G, "None"], "TypeError");
        check("upscale", &["((1, 2), (3,))", "2"], "((1, 1, 2, 2), (1, 1, 2, 2), (3, 3), (3, 3))");
        check("upscale", &["(1, 2)", "2"], "TypeError");
        check("upscale", &["frozenset({(1, (2, 3)), (4, (2, 4))})", "2"], "frozenset({(4, (2, 6)), (1, (2, 4)), (4, (3, 5)), (1, (3, 4)), (4, (2, 5)), (4, (3, 6)), (1, (2, 3)), (1, (3, 3))})");
        check("upscale", &["frozenset({(1, (2, 3))})", "1"], "frozenset({(1, (2, 3))})");
        check("upscale", &["frozenset({(1, (2, 3))})", "0"], "frozenset()");
        check("upscale", &["frozenset({(1, (-2, 3)), (2, (0, -1))})", "3"], "frozenset({(2, (4, -1)), (2, (4, 0)), (2, (5, 0)), (2, (6, 0)), (1, (0, 12)), (2, (5, -1)), (1, (-1, 11)), (1, (-2, 11)), (1, (-2, 13)), (1, (-1, 13)), (2, (4, 1)), (2, (6, 1)), (1, (-2, 12)), (1, (0, 13)), (1, (0, 11)), (1, (-1, 12)), (2, (5, 1)), (2, (6, -1))})");
        check("upscale", &["frozenset()", "None"], "frozenset()");
        check("upscale", &["frozenset({(0, 0)})", "2"], "TypeError");
        check("upscale", &["frozenset({(1, (2, 3))})", "None"], "TypeError");
        check("upscale", &["frozenset({(1, 2, 3)})", "2"], "ValueError");
        check("upscale", &["5", "2"], "TypeError");
        check("upscale", &["frozenset({(None, (1, 1))})", "2"], "frozenset({(None, (1, 2)), (None, (1, 1)), (None, (2, 2)), (None, (2, 1))})");
        check("upscale", &["frozenset({(100, (1, 1))})", "2"], "frozenset({(100, (1, 1)), (100, (2, 2)), (100, (2, 1)), (100, (1, 2))})");
    }

    #[test]
    #[rustfmt::skip]
    fn downscale_cases() {
        check("downscale", &["((1, 2, 3), (4, 5, 6), (7, 8, 9))", "2"], "((1, 3), (7, 9))");
        check("downscale", &[G, "1"], "((1, 2, 3), (4, 5, 6))");
        check("downscale", &[G, "3"], "((1,),)");
        check("downscale", &[G, "10"], "((1,),)");
        check("downscale", &[G, "-2"], "((1, 3),)");
        check("downscale", &[G, "0"], "ZeroDivisionError");
        check("downscale", &["((), ())", "0"], "ZeroDivisionError");
        check("downscale", &["((), ())", "2"], "((),)");
        check("downscale", &["()", "2"], "IndexError");
        check("downscale", &[G, "None"], "TypeError");
        check("downscale", &["((1, 2, 3), (4,))", "2"], "IndexError");
        check("downscale", &["((1, 2, 3), (4,), (5, 6, 7))", "2"], "IndexError");
        check("downscale", &["((1, 200, 3),)", "2"], "((1, 3),)");
        check("downscale", &["frozenset({(0, 0)})", "1"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn hconcat_cases() {
        check("hconcat", &[G, G], "((1, 2, 3, 1, 2, 3), (4, 5, 6, 4, 5, 6))");
        check("hconcat", &["((1,),)", "((2, 3),)"], "((1, 2, 3),)");
        check("hconcat", &[G, "((7,),)"], "((1, 2, 3, 7),)");
        check("hconcat", &["((7,),)", G], "((7, 1, 2, 3),)");
        check("hconcat", &["()", G], "()");
        check("hconcat", &["((), ())", G], "((1, 2, 3), (4, 5, 6))");
        check("hconcat", &["(1, 2)", "(3, 4)"], "(4, 6)");
        check("hconcat", &["((1,),)", "((200,),)"], "((1, 200),)");
        check("hconcat", &["((1,), (2,))", "((3,), (4, 5))"], "((1, 3), (2, 4, 5))");
        check("hconcat", &["frozenset({(0, 1)})", "((2,),)"], "((0, 1, 2),)");
        check("hconcat", &["5", G], "TypeError");
        check("hconcat", &[G, "frozenset()"], "()");
        check("hconcat", &["((1,),)", "(frozenset({2}),)"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn vconcat_cases() {
        check("vconcat", &[G, G], "((1, 2, 3), (4, 5, 6), (1, 2, 3), (4, 5, 6))");
        check("vconcat", &["((1,),)", "((2, 3),)"], "((1,), (2, 3))");
        check("vconcat", &["()", G], "((1, 2, 3), (4, 5, 6))");
        check("vconcat", &[G, "()"], "((1, 2, 3), (4, 5, 6))");
        check("vconcat", &["((), ())", "((),)"], "((), (), ())");
        check("vconcat", &["1", "2"], "3");
        check("vconcat", &["(1, 2)", "(3,)"], "(1, 2, 3)");
        check("vconcat", &["((1,),)", "((200,),)"], "((1,), (200,))");
        check("vconcat", &[G, "frozenset()"], "TypeError");
        check("vconcat", &["frozenset()", "frozenset()"], "TypeError");
        check("vconcat", &["None", "()"], "TypeError");
        check("vconcat", &["True", "1"], "2");
    }

    #[test]
    #[rustfmt::skip]
    fn subgrid_cases() {
        check("subgrid", &["frozenset({(0, 1), (1, 2)})", "((1, 2, 3), (4, 5, 6), (7, 8, 9))"], "((2, 3), (5, 6))");
        check("subgrid", &["frozenset({(1, (1, 1))})", "((1, 2, 3), (4, 5, 6), (7, 8, 9))"], "((5,),)");
        check("subgrid", &["frozenset({(2, 2), (5, 5)})", "((1, 2, 3), (4, 5, 6), (7, 8, 9))"], "((9,),)");
        check("subgrid", &["frozenset({(-1, -1), (0, 0)})", G], "()");
        check("subgrid", &["frozenset()", G], "IndexError");
        check("subgrid", &["((1, 2), (3, 4))", "((1, 2, 3), (4, 5, 6), (7, 8, 9))"], "((6,), (9,))");
        check("subgrid", &["frozenset({(0, 0)})", "()"], "()");
        check("subgrid", &["frozenset({(0, 0)})", "((1, 200),)"], "((1,),)");
        check("subgrid", &["frozenset({(1, 2, 3)})", G], "ValueError");
        check("subgrid", &["frozenset({(0, 0)})", "frozenset({(0, 0)})"], "TypeError");
        check("subgrid", &["5", G], "TypeError");
        check("subgrid", &["frozenset({(0, 0)})", "((1, 2), (3,))"], "((1,),)");
    }

    #[test]
    #[rustfmt::skip]
    fn hsplit_cases() {
        check("hsplit", &["((1, 2, 3, 4),)", "2"], "(((1, 2),), ((3, 4),))");
        check("hsplit", &["((1, 2, 3, 4, 5),)", "2"], "(((1, 2),), ((4, 5),))");
        check("hsplit", &[G, "1"], "(((1, 2, 3), (4, 5, 6)),)");
        check("hsplit", &[G, "3"], "(((1,), (4,)), ((2,), (5,)), ((3,), (6,)))");
        check("hsplit", &[G, "4"], "(((), ()), ((), ()), ((), ()), ((), ()))");
        check("hsplit", &[G, "-1"], "()");
        check("hsplit", &[G, "0"], "ZeroDivisionError");
        check("hsplit", &["()", "0"], "IndexError");
        check("hsplit", &["()", "2"], "IndexError");
        check("hsplit", &[G, "None"], "TypeError");
        check("hsplit", &["((), ())", "2"], "(((), ()), ((), ()))");
        check("hsplit", &["((1, 2, 300, 4),)", "2"], "(((1, 2),), ((300, 4),))");
        check("hsplit", &["frozenset({(0, 0)})", "1"], "TypeError");
        check("hsplit", &["((1, 2), (3,))", "2"], "(((1,), (3,)), ((2,), ()))");
        check("hsplit", &[G, "True"], "(((1, 2, 3), (4, 5, 6)),)");
    }

    #[test]
    #[rustfmt::skip]
    fn vsplit_cases() {
        check("vsplit", &["((1,), (2,), (3,), (4,))", "2"], "(((1,), (2,)), ((3,), (4,)))");
        check("vsplit", &["((1,), (2,), (3,))", "2"], "(((1,),), ((3,),))");
        check("vsplit", &[G, "1"], "(((1, 2, 3), (4, 5, 6)),)");
        check("vsplit", &[G, "3"], "((), (), ())");
        check("vsplit", &[G, "-1"], "()");
        check("vsplit", &[G, "0"], "ZeroDivisionError");
        check("vsplit", &["()", "0"], "ZeroDivisionError");
        check("vsplit", &["()", "2"], "IndexError");
        check("vsplit", &[G, "None"], "TypeError");
        check("vsplit", &["((), ())", "2"], "(((),), ((),))");
        check("vsplit", &["((1,), (200,))", "2"], "(((1,),), ((200,),))");
        check("vsplit", &["frozenset({(0, 0)})", "1"], "TypeError");
        check("vsplit", &["((1, 2), (3,))", "2"], "(((1, 2),), ((3,),))");
        check("vsplit", &["(1, 2)", "2"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn cellwise_cases() {
        check("cellwise", &[G, "((1, 0, 3), (0, 5, 0))", "9"], "((1, 9, 3), (9, 5, 9))");
        check("cellwise", &[G, G, "0"], "((1, 2, 3), (4, 5, 6))");
        check("cellwise", &[G, "((1, 2, 3, 4), (4, 5, 6, 7), (0, 0, 0, 0))", "0"], "((1, 2, 3), (4, 5, 6))");
        check("cellwise", &[G, "((1, 2), (4, 5))", "0"], "IndexError");
        check("cellwise", &[G, "((1, 2, 3),)", "0"], "IndexError");
        check("cellwise", &["()", G, "0"], "IndexError");
        check("cellwise", &["((), ())", "()", "0"], "((), ())");
        check("cellwise", &["((), ())", "5", "0"], "((), ())");
        check("cellwise", &[G, "((1, 0, 3), (0, 5, 0))", "100"], "((1, 100, 3), (100, 5, 100))");
        check("cellwise", &[G, G, "None"], "((1, 2, 3), (4, 5, 6))");
        check("cellwise", &[G, "frozenset()", "0"], "TypeError");
        check("cellwise", &[G, "((1, 2, 3), 5)", "0"], "TypeError");
        check("cellwise", &["((1, 2), (3,))", "((1, 2), (3, 4))", "0"], "IndexError");
        check("cellwise", &["frozenset({(0, 0)})", G, "0"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn replace_cases() {
        check("replace", &[S, "0", "7"], "((7, 7, 1), (7, 2, 7), (7, 7, 7))");
        check("replace", &[S, "9", "7"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("replace", &[S, "0", "100"], "((100, 100, 1), (100, 2, 100), (100, 100, 100))");
        check("replace", &[S, "100", "7"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("replace", &[S, "None", "7"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("replace", &[S, "0", "None"], "((None, None, 1), (None, 2, None), (None, None, None))");
        check("replace", &[S, "True", "7"], "((0, 0, 7), (0, 2, 0), (0, 0, 0))");
        check("replace", &["()", "0", "1"], "()");
        check("replace", &["((), ())", "0", "1"], "((), ())");
        check("replace", &["((1, 200),)", "200", "2"], "((1, 2),)");
        check("replace", &["frozenset({(0, 1)})", "0", "5"], "((5, 1),)");
        check("replace", &["5", "0", "1"], "TypeError");
        check("replace", &["((1, 2), frozenset({1, 3}))", "1", "9"], "((9, 2), (9, 3))");
    }

    #[test]
    #[rustfmt::skip]
    fn switch_cases() {
        check("switch", &[S, "0", "2"], "((2, 2, 1), (2, 0, 2), (2, 2, 2))");
        check("switch", &[S, "2", "0"], "((2, 2, 1), (2, 0, 2), (2, 2, 2))");
        check("switch", &[S, "0", "0"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("switch", &[S, "0", "9"], "((9, 9, 1), (9, 2, 9), (9, 9, 9))");
        check("switch", &[S, "9", "8"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("switch", &[S, "0", "100"], "((100, 100, 1), (100, 2, 100), (100, 100, 100))");
        check("switch", &[S, "None", "2"], "((0, 0, 1), (0, None, 0), (0, 0, 0))");
        check("switch", &["()", "0", "1"], "()");
        check("switch", &["((1, 200),)", "200", "1"], "((200, 1),)");
        check("switch", &["frozenset({(0, 1)})", "0", "1"], "((1, 0),)");
        check("switch", &["5", "0", "1"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn index_cases() {
        check("index", &[G, "(0, 0)"], "1");
        check("index", &[G, "(1, 2)"], "6");
        check("index", &[G, "(2, 0)"], "None");
        check("index", &[G, "(0, 3)"], "None");
        check("index", &[G, "(-1, 0)"], "None");
        check("index", &[G, "(0, -1)"], "None");
        check("index", &["()", "(0, 0)"], "IndexError");
        check("index", &["((), ())", "(0, 0)"], "None");
        check("index", &[G, "(0,)"], "ValueError");
        check("index", &[G, "(0, 0, 0)"], "ValueError");
        check("index", &[G, "frozenset({0, 1})"], "TypeError");
        check("index", &[G, "5"], "TypeError");
        check("index", &[G, "(None, 0)"], "TypeError");
        check("index", &[G, "(-1, None)"], "None");
        check("index", &[G, "(0, None)"], "TypeError");
        check("index", &[G, "(True, True)"], "5");
        check("index", &["((1, 2), (3,))", "(1, 1)"], "IndexError");
        check("index", &["((1, 200),)", "(0, 1)"], "200");
        check("index", &["frozenset({(0, 1)})", "(0, 0)"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn canvas_cases() {
        check("canvas", &["5", "(2, 3)"], "((5, 5, 5), (5, 5, 5))");
        check("canvas", &["5", "(1, 1)"], "((5,),)");
        check("canvas", &["5", "(0, 3)"], "()");
        check("canvas", &["5", "(-1, 3)"], "()");
        check("canvas", &["5", "(2, 0)"], "((), ())");
        check("canvas", &["5", "(2, -1)"], "((), ())");
        check("canvas", &["5", "(0,)"], "()");
        check("canvas", &["5", "(2,)"], "IndexError");
        check("canvas", &["100", "(2, 2)"], "((100, 100), (100, 100))");
        check("canvas", &["None", "(1, 2)"], "((None, None),)");
        check("canvas", &["(1, 2)", "(1, 1)"], "(((1, 2),),)");
        check("canvas", &["5", "frozenset({1, 2})"], "TypeError");
        check("canvas", &["5", "5"], "TypeError");
        check("canvas", &["5", "(None, 1)"], "TypeError");
        check("canvas", &["5", "(1, None)"], "TypeError");
        check("canvas", &["True", "(1, 2)"], "((True, True),)");
        check("canvas", &["5", "(True, 2)"], "((5, 5),)");
    }

    #[test]
    #[rustfmt::skip]
    fn cover_cases() {
        check("cover", &[S, "frozenset({(0, 2), (1, 1)})"], "((0, 0, 0), (0, 0, 0), (0, 0, 0))");
        check("cover", &[S, "frozenset({(1, (0, 2)), (2, (1, 1))})"], "((0, 0, 0), (0, 0, 0), (0, 0, 0))");
        check("cover", &[S, "frozenset()"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("cover", &[S, "frozenset({(9, 9)})"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("cover", &["()", "frozenset()"], "ValueError");
        check("cover", &["((),)", "frozenset()"], "ValueError");
        check("cover", &["frozenset()", "frozenset()"], "ValueError");
        check("cover", &["5", "frozenset()"], "TypeError");
        check("cover", &[S, "5"], "TypeError");
        check("cover", &["((1, 300), (300, 300))", "frozenset({(0, 0)})"], "((300, 300), (300, 300))");
        check("cover", &[S, "frozenset({(1, (100, (5,)))})"], "ValueError");
        check("cover", &["frozenset({(1, (0, 0))})", "frozenset()"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn trim_cases() {
        check("trim", &["((1, 2, 3), (4, 5, 6), (7, 8, 9))"], "((5,),)");
        check("trim", &["((1, 2), (3, 4), (5, 6))"], "((),)");
        check("trim", &[G], "()");
        check("trim", &["((1,),)"], "()");
        check("trim", &["()"], "()");
        check("trim", &["((1, 2, 3, 4), (5, 6, 7, 8), (9, 10, 11, 12))"], "((6, 7),)");
        check("trim", &["((1, 2, 3), (4, 500, 6), (7, 8, 9))"], "((500,),)");
        check("trim", &["(1, 2, 3)"], "TypeError");
        check("trim", &["frozenset()"], "TypeError");
        check("trim", &["((1, 2, 3), frozenset({1, 2, 3}), (7, 8, 9))"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn move_cases() {
        check("move", &[S, "frozenset({(1, (0, 2))})", "(1, 0)"], "((0, 0, 0), (0, 2, 1), (0, 0, 0))");
        check("move", &[S, "frozenset({(2, (1, 1)), (1, (0, 2))})", "(1, 1)"], "((0, 0, 0), (0, 0, 0), (0, 0, 2))");
        check("move", &[S, "frozenset({(2, (1, 1))})", "(5, 5)"], "((0, 0, 1), (0, 0, 0), (0, 0, 0))");
        check("move", &[S, "frozenset()", "(1, 1)"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("move", &[S, "frozenset({(2, (1, 1))})", "(0, 0)"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
        check("move", &[S, "frozenset({(2, (1, 1))})", "(1,)"], "ValueError");
        check("move", &[S, "frozenset({(2, (1, 1))})", "frozenset({0, 1})"], "((0, 0, 1), (0, 0, 2), (0, 0, 0))");
        check("move", &[S, "frozenset({(0, 0)})", "(1, 1)"], "TypeError");
        check("move", &[S, "frozenset({(100, (1, 1))})", "(1, 0)"], "((0, 0, 1), (0, 0, 0), (0, 100, 0))");
        check("move", &["((),)", "frozenset()", "(0, 0)"], "ValueError");
        check("move", &["()", "frozenset()", "(0, 0)"], "ValueError");
        check("move", &[S, "frozenset({(1, (100, (5,)))})", "(0, (1,))"], "ValueError");
        check("move", &[S, "frozenset({(2, (1, 1))})", "(1000000000000, 0)"], "((0, 0, 1), (0, 0, 0), (0, 0, 0))");
        check("move", &[S, "frozenset({(1, (0, 0)), (2, (0, 0))})", "(1, 1)"], "((0, 0, 1), (0, 2, 0), (0, 0, 0))");
    }

    #[test]
    #[rustfmt::skip]
    fn tophalf_cases() {
        check("tophalf", &["((1,), (2,), (3,))"], "((1,),)");
        check("tophalf", &["((1,), (2,), (3,), (4,))"], "((1,), (2,))");
        check("tophalf", &["((1,),)"], "()");
        check("tophalf", &["()"], "()");
        check("tophalf", &["(1, 2, 3)"], "(1,)");
        check("tophalf", &["frozenset()"], "TypeError");
        check("tophalf", &["5"], "TypeError");
        check("tophalf", &["((), ())"], "((),)");
    }

    #[test]
    #[rustfmt::skip]
    fn bottomhalf_cases() {
        check("bottomhalf", &["((1,), (2,), (3,))"], "((3,),)");
        check("bottomhalf", &["((1,), (2,), (3,), (4,))"], "((3,), (4,))");
        check("bottomhalf", &["((1,),)"], "()");
        check("bottomhalf", &["()"], "()");
        check("bottomhalf", &["(1, 2, 3)"], "(3,)");
        check("bottomhalf", &["frozenset({1})"], "TypeError");
        check("bottomhalf", &["5"], "TypeError");
        check("bottomhalf", &["((), ())"], "((),)");
    }

    #[test]
    #[rustfmt::skip]
    fn lefthalf_cases() {
        check("lefthalf", &[G], "((1,), (4,))");
        check("lefthalf", &["((1, 2, 3, 4),)"], "((1, 2),)");
        check("lefthalf", &["((1,), (2,))"], "()");
        check("lefthalf", &["((), ())"], "()");
        check("lefthalf", &["()"], "()");
        check("lefthalf", &["((1, 2), (3,))"], "()");
        check("lefthalf", &["((1, 2, 3), (4, 5))"], "((1,), (4,))");
        check("lefthalf", &["((1, 200, 3),)"], "((1,),)");
        check("lefthalf", &["(1, 2)"], "TypeError");
        check("lefthalf", &["frozenset()"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn righthalf_cases() {
        check("righthalf", &[G], "((3,), (6,))");
        check("righthalf", &["((1, 2, 3, 4),)"], "((3, 4),)");
        check("righthalf", &["((1,), (2,))"], "()");
        check("righthalf", &["((), ())"], "()");
        check("righthalf", &["()"], "()");
        check("righthalf", &["((1, 2), (3,))"], "()");
        check("righthalf", &["((1, 2, 3), (4, 5))"], "((2,), (5,))");
        check("righthalf", &["((1, 200, 3),)"], "((3,),)");
        check("righthalf", &["(1, 2)"], "TypeError");
        check("righthalf", &["frozenset()"], "TypeError");
    }

    #[test]
    #[rustfmt::skip]
    fn compress_cases() {
        check("compress", &["((1, 1, 1), (1, 2, 1), (1, 1, 1))"], "((2,),)");
        check("compress", &["((1, 0, 2), (1, 0, 3), (1, 0, 4))"], "((2,), (3,), (4,))");
        check("compress", &["((1, 1), (1, 1))"], "()");
        check("compress", &["((1,),)"], "()");
        check("compress", &["()"], "()");
        check("compress", &["((), ())"], "((), ())");
        check("compress", &["((1, 2), (3, 4))"], "((1, 2), (3, 4))");
        check("compress", &["((1, 200, 1), (1, 200, 2))"], "((1,), (2,))");
        check("compress", &["((1, 2), (3,))"], "((1, 2),)");
        check("compress", &["frozenset({(1, 2), (3, 4)})"], "((1, 2), (3, 4))");
        check("compress", &["5"], "TypeError");
        check("compress", &["((1, 1), frozenset({1}))"], "()");
        check("compress", &["(1, 2)"], "TypeError");
    }

    #[test]
    fn canonical_forms() {
        let empty_rows = run("canvas", &["5", "(2, 0)"]).expect("canvas");
        assert!(matches!(&empty_rows, Value::Grid(g) if g.h == 2 && g.w == 0));
        let wide = run("fill", &["((0, 0),)", "200", "frozenset({(0, 0)})"]).expect("fill");
        assert!(matches!(wide, Value::Tuple(_)));
        let back = run("replace", &["((200, 0),)", "200", "1"]).expect("replace");
        assert!(matches!(back, Value::Grid(_)));
        assert!(matches!(run("rot90", &["((1, 2),)"]), Ok(Value::Grid(_))));
        assert!(matches!(run("hmirror", &["frozenset({(0, 0), (1, 1)})"]), Ok(Value::Set(_))));
    }

    #[test]
    fn bombs_are_memory_errors() {
        let g = "((1, 2), (3, 4))";
        let memory = Err(ErrorKind::Memory);
        assert_eq!(run("upscale", &[g, "1000000"]), memory);
        assert_eq!(run("upscale", &["((),)", "10000000"]), memory);
        assert_eq!(run("upscale", &["frozenset({(1, (0, 0))})", "100000"]), memory);
        assert_eq!(run("hupscale", &[g, "10000000"]), memory);
        assert_eq!(run("vupscale", &[g, "10000000"]), memory);
        assert_eq!(run("vupscale", &["((1, 2), (300, 4))", "10000000"]), memory);
        assert_eq!(run("canvas", &["0", "(1000000, 1000000)"]), memory);
        assert_eq!(run("canvas", &["0", "(1000000000000000000, 0)"]), memory);
        assert_eq!(run("canvas", &["0", "(4611686018427387904, 4611686018427387904)"]), memory);
        assert_eq!(run("canvas", &["None", "(1000000, 1000000)"]), memory);
        assert_eq!(run("hsplit", &[g, "1000000000"]), memory);
        assert_eq!(run("vsplit", &[g, "1000000000"]), memory);
        // No bomb when nothing is repeated.
        assert_eq!(run("hupscale", &["((), ())", "1000000000000000000"]), Ok(py("((), ())")));
        assert_eq!(run("upscale", &[g, "-1000000000000000000"]), Ok(py("()")));
        assert_eq!(run("canvas", &["0", "(-1000000000000000000, 1000000000000000000)"]), Ok(py("()")));
    }

    #[test]
    fn big_coordinates_do_not_overflow() {
        check("move", &["((0, 1),)", "frozenset({(1, (0, 1))})", "(9223372036854775807, 0)"], "((0, 0),)");
        check(
            "hmirror",
            &["frozenset({(2147483647, 0), (-2147483648, 1)})"],
            "frozenset({(-2147483648, 0), (2147483647, 1)})",
        );
        check(
            "upscale",
            &["frozenset({(1, (2147483647, 0))})", "2"],
            "frozenset({(1, (2147483647, 0)), (1, (2147483647, 1)), (1, (2147483648, 0)), (1, (2147483648, 1))})",
        );
        check("subgrid", &["frozenset({(2000000000, 0)})", "((1, 2),)"], "()");
        check("crop", &["((1, 2),)", "(0, 9223372036854775807)", "(1, 9223372036854775807)"], "((),)");
        check("crop", &["((1, 2),)", "(-9223372036854775808, 0)", "(-1, 1)"], "()");
    }
}

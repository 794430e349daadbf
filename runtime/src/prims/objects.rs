//! Colours and objects: the colours of grids and objects (`mostcolor`, `palette`, …), and the objects
//! a grid holds (`objects`, `partition`, `occurrences`, `frontiers`, …).
//!
//! An *element* is a grid or an object; like arc-dsl, these primitives tell them apart by
//! `isinstance(element, tuple)`: a tuple's colours are `[v for r in element for v in r]`, anything else's
//! are `[v for v, _ in element]`. The hot paths (`objects`, `partition`, `ofcolor`, `asobject`,
//! `occurrences`, …) work on the flat cells of a [`Value::Grid`] and build their frozensets already sorted;
//! grids in the generic tuple form (values that do not fit `i8`, ragged rows) take a slower path that
//! follows the Python code. Ties between equally frequent colours are broken exactly as CPython's `set`
//! iteration order breaks them (see `common::py_int_set_order`).

use crate::ctx::Ctx;
use crate::error::{Error, ErrorKind, Result};
use crate::prims::common::{self, pair_items, py_common_int, py_grid_common_color};
use crate::prims::patches::{height_of, ints2, normalize_patch, shift_by, width_of};
use crate::prims::{Primitive, prim};
use crate::value::{CollectExact, Grid, Value};

// ---- helpers -----------------------------------------------------------------------------------------

/// Python's `AttributeError` (`1 .count`): batt has no such kind yet, so it is reported as a `TypeError`.
fn attribute_error() -> Error {
    Error::type_error("object has no attribute 'count'")
}

/// Python's `RuntimeError: generator raised StopIteration` (PEP 479): batt has no such kind yet, so it is
/// reported as the `StopIteration` that caused it.
fn generator_stop() -> Error {
    Error::new(ErrorKind::StopIteration, "generator raised StopIteration")
}

/// `next(iter(container))`, or `None` when it is empty; `TypeError` if it is not iterable.
fn first_item(container: &Value) -> Result<Option<Value>> {
    match container {
        Value::Set(s) => Ok(s.first().cloned()),
        _ => Ok(container.items()?.next()),
    }
}

/// The colours of an element in iteration order: `[v for r in element for v in r]` for a tuple,
/// `[v for v, _ in element]` for anything else.
fn element_values(element: &Value) -> Result<Vec<Value>> {
    if element.is_tuple_like() {
        let mut out = Vec::new();
        for row in element.items()? {
            out.extend(row.items()?);
        }
        Ok(out)
    } else {
        element.items()?.map(|x| Ok(pair_items(&x)?.0)).collect()
    }
}

/// [`element_values`] as ints; `None` if some colour is not an int.
fn element_ints(element: &Value) -> Result<Option<Vec<i64>>> {
    match element {
        Value::Grid(g) => Ok(Some(g.cells.iter().map(|&c| c as i64).collect())),
        Value::Set(s) => {
            let fast: Option<Vec<i64>> = s
                .iter()
                .map(|v| match v {
                    Value::Cell(c, _, _) => Some(*c as i64),
                    Value::Point(i, _) => Some(*i as i64),
                    _ => None,
                })
                .collect_some();
            match fast {
                Some(out) => Ok(Some(out)),
                None => Ok(ints_of(&element_values(element)?)),
            }
        }
        _ => Ok(ints_of(&element_values(element)?)),
    }
}

/// The values as ints, if they all are.
fn ints_of(values: &[Value]) -> Option<Vec<i64>> {
    values.iter().map(Value::as_int).collect()
}

/// `max(set(values), key=values.count)` (`min` when `most` is false) for colours that are not all ints.
/// CPython iterates such a set in an order given by the values' hashes, which batt does not model: the
/// answer is exact when one colour has the best count, and a tie is reported as a `TypeError` (a known
/// deviation, for elements no ARC grid or object has).
fn common_value(values: &[Value], most: bool) -> Result<Value> {
    let mut counts: Vec<(Value, usize)> = Vec::new();
    let mut index = rustc_hash::FxHashMap::default();
    for v in values {
        let k = *index.entry(v.clone()).or_insert_with(|| {
            counts.push((v.clone(), 0));
            counts.len() - 1
        });
        counts[k].1 += 1;
    }
    let tally = counts.iter().map(|c| c.1);
    let best = if most { tally.max() } else { tally.min() };
    let best = best.ok_or_else(|| Error::value_error("max() arg is an empty sequence"))?;
    let mut winners = counts.into_iter().filter(|c| c.1 == best);
    match (winners.next(), winners.next()) {
        (Some((v, _)), None) => Ok(v),
        _ => Err(Error::type_error("tie between colours that are not ints")),
    }
}

/// `mostcolor(element)` (`leastcolor` when `most` is false), charging one step per colour read.
pub(super) fn common_colour(ctx: &mut Ctx, element: &Value, most: bool) -> Result<Value> {
    if let Value::Grid(g) = element {
        ctx.charge(g.cells.len())?;
        return Ok(Value::Int(py_grid_common_color(g, most)?));
    }
    match element_ints(element)? {
        Some(values) => {
            ctx.charge(values.len())?;
            Ok(Value::Int(py_common_int(&values, most)?))
        }
        None => {
            let values = element_values(element)?;
            ctx.charge(values.len())?;
            common_value(&values, most)
        }
    }
}

/// `palette(element)`: the frozenset of its colours.
fn palette_of(element: &Value) -> Result<Value> {
    match element {
        Value::Grid(g) => {
            let mut seen = [false; 256];
            for &c in g.cells.iter() {
                seen[c as u8 as usize] = true;
            }
            let colours = (-128i64..128).filter(|&v| seen[v as i8 as u8 as usize]).map(Value::Int).collect();
            Ok(Value::set_from_sorted(colours))
        }
        Value::Set(s) if matches!(s.first(), Some(Value::Cell(..))) => {
            let colours: Option<Vec<i64>> =
                s.iter().map(|v| if let Value::Cell(c, _, _) = v { Some(*c as i64) } else { None }).collect_some();
            match colours {
                Some(mut colours) => {
                    colours.dedup();
                    Ok(Value::set_from_sorted(colours.into_iter().map(Value::Int).collect()))
                }
                None => Ok(Value::set(element_values(element)?)),
            }
        }
        _ => Ok(Value::set(element_values(element)?)),
    }
}

/// `len(grid[0])` for a grid argument: `IndexError` for `()`, `TypeError` for a non-tuple.
fn grid_width(grid: &Value) -> Result<usize> {
    match grid {
        Value::Grid(g) => Ok(g.w),
        _ => grid.first_len(),
    }
}

/// The `h * w` cells `grid[i][j]` of a generic tuple grid (`w` from its first row), in row-major order;
/// the error of the first cell Python could not read.
fn generic_cells(grid: &Value, w: usize) -> Result<Vec<Value>> {
    let mut cells = Vec::new();
    for row in grid.items()? {
        for j in 0..w {
            cells.push(row.index(j as i64)?);
        }
    }
    Ok(cells)
}

/// The objects of an `h × w` grid: connected groups of non-background cells (`joins(seed, k)` says whether
/// cell `k` belongs with the group seeded at `seed`), seeded in row-major order, each as sorted flat
/// indices.
fn components(
    h: usize,
    w: usize,
    diagonal: bool,
    is_bg: impl Fn(usize) -> bool,
    joins: impl Fn(usize, usize) -> bool,
) -> Vec<Vec<usize>> {
    const DIRECT: &[(isize, isize)] = &[(-1, 0), (0, -1), (0, 1), (1, 0)];
    const ALL: &[(isize, isize)] = &[(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)];
    let steps = if diagonal { ALL } else { DIRECT };
    let mut occupied = vec![false; h * w];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    for seed in 0..h * w {
        if occupied[seed] || is_bg(seed) {
            continue;
        }
        let mut group = Vec::new();
        occupied[seed] = true;
        stack.push(seed);
        while let Some(k) = stack.pop() {
            group.push(k);
            let (i, j) = ((k / w) as isize, (k % w) as isize);
            for &(di, dj) in steps {
                let (ni, nj) = (i + di, j + dj);
                if ni < 0 || nj < 0 || ni >= h as isize || nj >= w as isize {
                    continue;
                }
                let n = ni as usize * w + nj as usize;
                if !occupied[n] && joins(seed, n) {
                    occupied[n] = true;
                    stack.push(n);
                }
            }
        }
        group.sort_unstable();
        out.push(group);
    }
    out
}

/// The cells of an object on a grid of small ints, sorted: by colour, then position.
fn grid_object(g: &Grid, mut group: Vec<usize>, univalued: bool) -> Value {
    if !univalued {
        group.sort_by_key(|&k| (g.cells[k], k));
    }
    let w = g.w;
    Value::set_from_sorted(
        group.into_iter().map(|k| Value::Cell(g.cells[k] as i32, (k / w) as i32, (k % w) as i32)).collect(),
    )
}

/// `(v, (i, j))` for a flat index `k` of a `w`-wide generic grid.
fn generic_cell(v: Value, k: usize, w: usize) -> Value {
    Value::tuple2(v, Value::pair((k / w) as i64, (k % w) as i64))
}

/// `partition` (no background) and `fgpartition` (`without_bg`) on a grid of small ints.
fn grid_partition(g: &Grid, without_bg: bool) -> Result<Value> {
    let bg = if without_bg { Some(py_grid_common_color(g, true)?) } else { None };
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); 256];
    for (k, &c) in g.cells.iter().enumerate() {
        buckets[c as u8 as usize].push(k);
    }
    let mut objs = Vec::new();
    for v in -128i64..128 {
        let group = &buckets[v as i8 as u8 as usize];
        if group.is_empty() || Some(v) == bg {
            continue;
        }
        let cells = group.iter().map(|&k| Value::Cell(v as i32, (k / g.w) as i32, (k % g.w) as i32)).collect();
        objs.push(Value::set_from_sorted(cells));
    }
    Ok(Value::set_from_sorted(objs))
}

/// `partition`/`fgpartition` for any other grid, following the Python code.
fn generic_partition(ctx: &mut Ctx, grid: &Value, without_bg: bool) -> Result<Value> {
    let mut colours = palette_of(grid)?.to_vec()?;
    if without_bg {
        let bg = common_colour(ctx, grid, true)?;
        colours.retain(|c| *c != bg);
    }
    let mut objs = Vec::with_capacity(colours.len());
    for value in colours {
        let mut cells = Vec::new();
        for (i, row) in grid.items()?.enumerate() {
            for (j, v) in row.items()?.enumerate() {
                ctx.charge(1)?;
                if v == value {
                    cells.push(Value::tuple2(v, Value::pair(i as i64, j as i64)));
                }
            }
        }
        objs.push(Value::set(cells));
    }
    Ok(Value::set(objs))
}

/// Whether the items of a row hold exactly one distinct value (`len(set(r)) == 1`).
fn single_valued(items: &[Value]) -> bool {
    items.first().is_some_and(|first| items.iter().all(|v| v == first))
}

// ---- primitives --------------------------------------------------------------------------------------

/// `mostcolor(element)`: the most common colour of a grid or object.
fn mostcolor(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    common_colour(ctx, &args[0], true)
}

/// `leastcolor(element)`: the least common colour of a grid or object.
fn leastcolor(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    common_colour(ctx, &args[0], false)
}

/// `colorcount(element, value)`: the number of cells of colour `value`.
fn colorcount(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (element, value) = (&args[0], &args[1]);
    let mut n = 0usize;
    match element {
        Value::Grid(g) => {
            ctx.charge(g.cells.len())?;
            if let Some(v) = value.as_int() {
                n = g.cells.iter().filter(|&&c| c as i64 == v).count();
            }
        }
        _ if element.is_tuple_like() => {
            for row in element.items()? {
                if !row.is_tuple_like() {
                    return Err(attribute_error());
                }
                ctx.charge(row.len()?)?;
                n += row.items()?.filter(|v| v == value).count();
            }
        }
        Value::Set(s) if s.iter().all(|v| matches!(v, Value::Cell(..))) => {
            ctx.charge(s.len())?;
            if let Some(v) = value.as_int() {
                n = s.iter().filter(|c| matches!(c, Value::Cell(cv, _, _) if *cv as i64 == v)).count();
            }
        }
        _ => {
            ctx.charge(element.len()?)?;
            for x in element.items()? {
                if pair_items(&x)?.0 == *value {
                    n += 1;
                }
            }
        }
    }
    Ok(Value::Int(n as i64))
}

/// `colorfilter(objs, value)`: the objects whose first cell has colour `value`.
fn colorfilter(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (objs, value) = (&args[0], &args[1]);
    let mut out = Vec::new();
    for obj in objs.items()? {
        let first = first_item(&obj)?.ok_or_else(generator_stop)?;
        if first.index(0)? == *value {
            out.push(obj);
        }
    }
    Ok(if matches!(objs, Value::Set(_)) { Value::set_from_sorted(out) } else { Value::set(out) })
}

/// `sizefilter(container, n)`: the items of size `n`.
fn sizefilter(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (container, n) = (&args[0], &args[1]);
    let mut out = Vec::new();
    for item in container.items()? {
        if Value::Int(item.len()? as i64) == *n {
            out.push(item);
        }
    }
    Ok(if matches!(container, Value::Set(_)) { Value::set_from_sorted(out) } else { Value::set(out) })
}

/// `asindices(grid)`: the indices of all cells of a grid.
fn asindices(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let grid = &args[0];
    let h = grid.len()?;
    if h == 0 {
        return Ok(Value::empty_set());
    }
    let w = grid_width(grid)?;
    ctx.check_len(h.saturating_mul(w))?;
    let mut out = Vec::with_capacity(h * w);
    for i in 0..h {
        for j in 0..w {
            out.push(Value::pair(i as i64, j as i64));
        }
    }
    Ok(Value::set_from_sorted(out))
}

/// `ofcolor(grid, value)`: the indices of the cells of colour `value`.
fn ofcolor(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, value) = (&args[0], &args[1]);
    let mut out = Vec::new();
    if let Value::Grid(g) = grid {
        ctx.charge(g.cells.len())?;
        if let Some(v) = value.as_int() {
            for (k, &c) in g.cells.iter().enumerate() {
                if c as i64 == v {
                    out.push(Value::Point((k / g.w) as i32, (k % g.w) as i32));
                }
            }
        }
        return Ok(Value::set_from_sorted(out));
    }
    for (i, row) in grid.items()?.enumerate() {
        for (j, v) in row.items()?.enumerate() {
            ctx.charge(1)?;
            if v == *value {
                out.push(Value::pair(i as i64, j as i64));
            }
        }
    }
    Ok(Value::set_from_sorted(out))
}

/// `palette(element)`: the colours occurring in a grid or object.
fn palette(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    ctx.charge(args[0].weight())?;
    palette_of(&args[0])
}

/// `numcolors(element)`: the number of colours occurring in a grid or object.
fn numcolors(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    ctx.charge(args[0].weight())?;
    Ok(Value::Int(palette_of(&args[0])?.len()? as i64))
}

/// `color(obj)`: the colour of the first cell of an object.
fn color(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    first_item(&args[0])?.ok_or_else(Error::stop_iteration)?.index(0)
}

/// `toobject(patch, grid)`: the cells of the grid at the patch's indices (indices off the grid dropped).
fn toobject(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (patch, grid) = (&args[0], &args[1]);
    let h = grid.len()? as i64;
    let w = grid_width(grid)? as i64;
    let indices = common::toindices(patch)?;
    ctx.charge(indices.len()?)?;
    let mut out = Vec::with_capacity(indices.len()?);
    if let (Value::Grid(g), Value::Set(s)) = (grid, &indices)
        && s.iter().all(|v| matches!(v, Value::Point(..)))
    {
        for v in s.iter() {
            if let Value::Point(i, j) = *v
                && 0 <= i
                && (i as i64) < h
                && 0 <= j
                && (j as i64) < w
            {
                out.push(Value::Cell(g.at(i as usize, j as usize) as i32, i, j));
            }
        }
        return Ok(Value::set(out));
    }
    for index in indices.items()? {
        let (i, j) = pair_items(&index)?;
        let i = i.int()?;
        if !(0 <= i && i < h) {
            continue;
        }
        let j = j.int()?;
        if !(0 <= j && j < w) {
            continue;
        }
        let v = grid.index(i)?.index(j)?;
        out.push(Value::tuple2(v, Value::pair(i, j)));
    }
    Ok(Value::set(out))
}

/// `asobject(grid)`: every cell of the grid as an object.
fn asobject(_: &mut Ctx, args: &[Value]) -> Result<Value> {
    let grid = &args[0];
    if let Value::Grid(g) = grid {
        let mut keys: Vec<(i8, usize)> = g.cells.iter().enumerate().map(|(k, &c)| (c, k)).collect();
        keys.sort_unstable();
        let w = g.w;
        let cells = keys.into_iter().map(|(c, k)| Value::Cell(c as i32, (k / w) as i32, (k % w) as i32)).collect();
        return Ok(Value::set_from_sorted(cells));
    }
    let mut out = Vec::new();
    for (i, row) in grid.items()?.enumerate() {
        for (j, v) in row.items()?.enumerate() {
            out.push(Value::tuple2(v, Value::pair(i as i64, j as i64)));
        }
    }
    Ok(Value::set(out))
}

/// `objects(grid, univalued, diagonal, without_bg)`: the connected objects of a grid (of one colour each
/// when `univalued`, joined diagonally too when `diagonal`, skipping the most common colour when
/// `without_bg`).
fn objects(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let grid = &args[0];
    let (univalued, diagonal, without_bg) = (args[1].truthy(), args[2].truthy(), args[3].truthy());
    let bg = if without_bg { Some(common_colour(ctx, grid, true)?) } else { None };
    let h = grid.len()?;
    let w = grid_width(grid)?;
    ctx.charge(h.saturating_mul(w))?;
    if let Value::Grid(g) = grid {
        let bg = bg.and_then(|b| b.as_int()).map(|b| b as i8);
        let is_bg = |k: usize| Some(g.cells[k]) == bg;
        let groups = if univalued {
            components(h, w, diagonal, is_bg, |seed, k| g.cells[k] == g.cells[seed])
        } else {
            components(h, w, diagonal, is_bg, |_, k| !is_bg(k))
        };
        let objs = groups.into_iter().map(|group| grid_object(g, group, univalued)).collect();
        return Ok(Value::set(objs));
    }
    let cells = generic_cells(grid, w)?;
    let bg = bg.unwrap_or(Value::None);
    let is_bg = |k: usize| cells[k] == bg;
    let groups = if univalued {
        components(h, w, diagonal, is_bg, |seed, k| cells[k] == cells[seed])
    } else {
        components(h, w, diagonal, is_bg, |_, k| !is_bg(k))
    };
    let objs = groups
        .into_iter()
        .map(|group| Value::set(group.into_iter().map(|k| generic_cell(cells[k].clone(), k, w)).collect()));
    Ok(Value::set(objs.collect()))
}

/// `partition(grid)`: one object per colour, holding every cell of that colour.
fn partition(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    match &args[0] {
        Value::Grid(g) => {
            ctx.charge(g.cells.len())?;
            grid_partition(g, false)
        }
        grid => generic_partition(ctx, grid, false),
    }
}

/// `fgpartition(grid)`: one object per colour other than the most common one.
fn fgpartition(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    match &args[0] {
        Value::Grid(g) => {
            ctx.charge(g.cells.len())?;
            grid_partition(g, true)
        }
        grid => generic_partition(ctx, grid, true),
    }
}

/// `occurrences` of an object that fills its `oh` by `ow` box in one colour (`a64e4611`'s solver tries
/// every size of blank rectangle): the same offsets and the same steps as probing cell by cell, from the
/// length of the run of that colour starting at each cell. The probes of such an object all count alike,
/// so they go in row-major order; at an offset, a row whose run reaches `ow` matches whole and a shorter
/// run ends the probing on its first mismatch. `None` for any other object.
fn uniform_rectangle(
    ctx: &mut Ctx,
    g: &Grid,
    probes: &[(usize, i8)],
    (oh, ow): (usize, usize),
    (h2, w2): (i64, i64),
    positions: usize,
) -> Option<Result<Value>> {
    let &(_, colour) = probes.first()?;
    if probes.len() != oh * ow || probes.iter().any(|&(_, v)| v != colour) {
        return None;
    }
    // `runs[k]`: how many cells of `colour` start at cell `k` and go right within its row.
    let mut runs = vec![0usize; g.cells.len()];
    for (cells, runs) in g.cells.chunks(g.w.max(1)).zip(runs.chunks_mut(g.w.max(1))) {
        let mut run = 0;
        for (cell, slot) in cells.iter().zip(runs.iter_mut()).rev() {
            run = if *cell == colour { run + 1 } else { 0 };
            *slot = run;
        }
    }
    let (mut out, mut steps) = (Vec::new(), positions);
    for i in 0..h2 as usize {
        for j in 0..w2 as usize {
            let mut occurs = true;
            for k in 0..oh {
                let run = runs[(i + k) * g.w + j];
                if run >= ow {
                    steps += ow;
                } else {
                    steps += run + 1;
                    occurs = false;
                    break;
                }
            }
            if occurs {
                out.push(Value::pair(i as i64, j as i64));
            }
        }
    }
    Some(ctx.charge(steps).map(|()| Value::set_from_sorted(out)))
}

/// `occurrences(grid, obj)`: the offsets at which the normalized object matches the grid cell for cell.
fn occurrences(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let (grid, obj) = (&args[0], &args[1]);
    let normed = normalize_patch(obj)?;
    let h = grid.len()? as i64;
    let w = grid_width(grid)? as i64;
    let (oh, ow) = (height_of(obj)?, width_of(obj)?);
    let (h2, w2) = (h as i128 - oh as i128 + 1, w as i128 - ow as i128 + 1);
    if h2 <= 0 || w2 <= 0 {
        return Ok(Value::empty_set());
    }
    let (h2, w2) = (h2 as i64, w2 as i64);
    let positions = (h2 as usize).saturating_mul(w2 as usize);
    ctx.check_len(positions)?;
    let mut out = Vec::new();
    let fast_cells: Option<Vec<(i64, i64, i64)>> = match &normed {
        Value::Set(s) => s
            .iter()
            .map(|v| if let Value::Cell(c, a, b) = v { Some((*c as i64, *a as i64, *b as i64)) } else { None })
            .collect_some(),
        _ => None,
    };
    if let (Value::Grid(g), Some(cells)) = (grid, &fast_cells) {
        // The object is normalized and only offsets that keep it inside the grid are tried, so every cell
        // lands inside: compare flat cells, rarest colours first so that a mismatch is found early, and
        // charge the comparisons actually made.
        let mut counts = [0usize; 256];
        for &c in g.cells.iter() {
            counts[c as u8 as usize] += 1;
        }
        let mut probes: Vec<(usize, i8)> = Vec::with_capacity(cells.len());
        for &(v, a, b) in cells {
            let Ok(v) = i8::try_from(v) else { return Ok(Value::empty_set()) };
            probes.push((a as usize * g.w + b as usize, v));
        }
        probes.sort_by_key(|&(offset, v)| (counts[v as u8 as usize], offset));
        if let Some(found) = uniform_rectangle(ctx, g, &probes, (oh as usize, ow as usize), (h2, w2), positions) {
            return found;
        }
        let mut steps = positions;
        for i in 0..h2 as usize {
            for j in 0..w2 as usize {
                let base = i * g.w + j;
                let mut checked = 0;
                let occurs = probes.iter().all(|&(offset, v)| {
                    checked += 1;
                    g.cells[base + offset] == v
                });
                steps += checked;
                if occurs {
                    out.push(Value::pair(i as i64, j as i64));
                }
            }
        }
        ctx.charge(steps)?;
        return Ok(Value::set_from_sorted(out));
    }
    ctx.charge(positions.saturating_mul(normed.len()?.max(1)))?;
    for i in 0..h2 {
        for j in 0..w2 {
            let mut occurs = true;
            for cell in shift_by(&normed, i, j)?.items()? {
                let (v, index) = pair_items(&cell)?;
                let (a, b) = ints2(&index)?;
                if !(0 <= a && a < h && 0 <= b && b < w) || grid.index(a)?.index(b)? != v {
                    occurs = false;
                    break;
                }
            }
            if occurs {
                out.push(Value::pair(i, j));
            }
        }
    }
    Ok(Value::set_from_sorted(out))
}

/// `frontiers(grid)`: the rows and columns of a single colour, each as an object.
fn frontiers(ctx: &mut Ctx, args: &[Value]) -> Result<Value> {
    let grid = &args[0];
    let h = grid.len()?;
    let w = grid_width(grid)?;
    ctx.charge(h.saturating_mul(w))?;
    let mut out = Vec::new();
    if let Value::Grid(g) = grid {
        let cell = |i: usize, j: usize| Value::Cell(g.at(i, j) as i32, i as i32, j as i32);
        for i in 0..h {
            let row = g.row(i);
            if row.first().is_some_and(|&v| row.iter().all(|&c| c == v)) {
                out.push(Value::set_from_sorted((0..w).map(|j| cell(i, j)).collect()));
            }
        }
        for j in 0..w {
            if (0..h).all(|i| g.at(i, j) == g.at(0, j)) {
                out.push(Value::set_from_sorted((0..h).map(|i| cell(i, j)).collect()));
            }
        }
        return Ok(Value::set(out));
    }
    let rows: Vec<Value> = grid.items()?.collect();
    let mut row_indices = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if single_valued(&row.to_vec()?) {
            row_indices.push(i);
        }
    }
    let row_items: Vec<Vec<Value>> = rows.iter().map(|r| r.to_vec()).collect_ok()?;
    let columns = row_items.iter().map(Vec::len).min().unwrap_or(0);
    let column_indices: Vec<usize> =
        (0..columns).filter(|&j| single_valued(&row_items.iter().map(|r| r[j].clone()).collect::<Vec<_>>())).collect();
    let cell = |i: usize, j: usize| -> Result<Value> {
        Ok(Value::tuple2(rows[i].index(j as i64)?, Value::pair(i as i64, j as i64)))
    };
    for i in row_indices {
        out.push(Value::set((0..w).map(|j| cell(i, j)).collect_ok()?));
    }
    for j in column_indices {
        out.push(Value::set((0..h).map(|i| cell(i, j)).collect_ok()?));
    }
    Ok(Value::set(out))
}

/// The colours-and-objects primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
    prim!(mostcolor,   1, "most common colour of a grid or object"),
    prim!(leastcolor,  1, "least common colour of a grid or object"),
    prim!(colorcount,  2, "number of cells of a colour in a grid or object"),
    prim!(colorfilter, 2, "objects whose colour is the given one"),
    prim!(sizefilter,  2, "items of the given size"),
    prim!(asindices,   1, "indices of all grid cells"),
    prim!(ofcolor,     2, "indices of the grid cells of a colour"),
    prim!(objects,     4, "objects of a grid: univalued?, diagonal?, without background?"),
    prim!(partition,   1, "one object per colour of the grid"),
    prim!(fgpartition, 1, "one object per colour of the grid, background excluded"),
    prim!(palette,     1, "colours occurring in a grid or object"),
    prim!(numcolors,   1, "number of colours occurring in a grid or object"),
    prim!(color,       1, "colour of an object (of its first cell)"),
    prim!(toobject,    2, "object from a patch and the grid under it"),
    prim!(asobject,    1, "all cells of a grid as an object"),
    prim!(occurrences, 2, "offsets where an object occurs in a grid"),
    prim!(frontiers,   1, "rows and columns of a single colour, as objects"),
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
    fn mostcolor_matches_python() {
        ok("mostcolor", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "0");
        ok("mostcolor", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "1");
        ok("mostcolor", &["((9, 1),)"], "9");
        ok("mostcolor", &["((1, 9),)"], "1");
        ok("mostcolor", &["((1, 9), (9, 1))"], "1");
        ok("mostcolor", &["((9, 1), (1, 9))"], "9");
        ok("mostcolor", &["((8, 0), (0, 8))"], "8");
        err("mostcolor", &["()"], ErrorKind::ValueError);
        err("mostcolor", &["frozenset()"], ErrorKind::ValueError);
        ok("mostcolor", &["frozenset({(1, 2), (1, 3), (2, 2)})"], "1");
        err("mostcolor", &["(1, 2)"], ErrorKind::TypeError);
        err("mostcolor", &["((), ())"], ErrorKind::ValueError);
        ok("mostcolor", &["((100, 1, 100),)"], "100");
        err("mostcolor", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn leastcolor_matches_python() {
        ok("leastcolor", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "3");
        ok("leastcolor", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "2");
        ok("leastcolor", &["((9, 1),)"], "9");
        ok("leastcolor", &["((1, 9),)"], "1");
        err("leastcolor", &["frozenset()"], ErrorKind::ValueError);
        ok("leastcolor", &["((1, 1, 2, 2, 3, 3),)"], "1");
        ok("leastcolor", &["((3, 3, 1, 1, 2, 2),)"], "1");
    }

    #[test]
    #[rustfmt::skip]
    fn colorcount_matches_python() {
        ok("colorcount", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "1"], "3");
        ok("colorcount", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "7"], "0");
        ok("colorcount", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})", "1"], "2");
        ok("colorcount", &["frozenset({(1, 1), (1, 2), (2, 1)})", "1"], "2");
        ok("colorcount", &["frozenset()", "1"], "0");
        ok("colorcount", &["()", "1"], "0");
        err("colorcount", &["(1, 2)", "1"], ErrorKind::TypeError);
        ok("colorcount", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "True"], "3");
        ok("colorcount", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "(1, 1)"], "0");
        ok("colorcount", &["((1, 2), (1,))", "1"], "2");
    }

    #[test]
    #[rustfmt::skip]
    fn colorfilter_matches_python() {
        ok("colorfilter", &["frozenset({frozenset({(1, (0, 0))}), frozenset({(2, (0, 1))})})", "1"], "frozenset({frozenset({(1, (0, 0))})})");
        ok("colorfilter", &["frozenset({frozenset({(1, (0, 0))})})", "3"], "frozenset()");
        ok("colorfilter", &["frozenset()", "1"], "frozenset()");
        err("colorfilter", &["frozenset({frozenset()})", "1"], ErrorKind::StopIteration);
        ok("colorfilter", &["(frozenset({(1, (0, 0))}),)", "1"], "frozenset({frozenset({(1, (0, 0))})})");
        err("colorfilter", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "1"], ErrorKind::TypeError);
        err("colorfilter", &["frozenset({1})", "1"], ErrorKind::TypeError);
        err("colorfilter", &["frozenset({(1, 1), (1, 2), (2, 1)})", "1"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn sizefilter_matches_python() {
        ok("sizefilter", &["frozenset({frozenset({(1, (0, 0))}), frozenset({(2, (0, 1)), (2, (0, 2))})})", "2"], "frozenset({frozenset({(2, (0, 2)), (2, (0, 1))})})");
        ok("sizefilter", &["frozenset()", "0"], "frozenset()");
        ok("sizefilter", &["frozenset({(1, 1), (1, 2), (2, 1)})", "2"], "frozenset({(1, 1), (1, 2), (2, 1)})");
        ok("sizefilter", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "3"], "frozenset({(0, 1, 2), (3, 0, 0), (1, 1, 2)})");
        err("sizefilter", &["frozenset({1})", "1"], ErrorKind::TypeError);
        ok("sizefilter", &["frozenset({(1, 1), (1, 2), (2, 1)})", "(2,)"], "frozenset()");
    }

    #[test]
    #[rustfmt::skip]
    fn asindices_matches_python() {
        ok("asindices", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset({(0, 1), (1, 2), (2, 1), (0, 0), (1, 1), (2, 0), (0, 2), (2, 2), (1, 0)})");
        ok("asindices", &["()"], "frozenset()");
        ok("asindices", &["((), ())"], "frozenset()");
        ok("asindices", &["((1, 2, 3), (4,))"], "frozenset({(0, 1), (1, 2), (0, 0), (1, 1), (0, 2), (1, 0)})");
        ok("asindices", &["frozenset()"], "frozenset()");
        err("asindices", &["frozenset({(1, 1), (1, 2), (2, 1)})"], ErrorKind::TypeError);
        err("asindices", &["5"], ErrorKind::TypeError);
        err("asindices", &["(1, 2)"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn ofcolor_matches_python() {
        ok("ofcolor", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "1"], "frozenset({(0, 1), (1, 1), (0, 0)})");
        ok("ofcolor", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "5"], "frozenset()");
        ok("ofcolor", &["()", "1"], "frozenset()");
        ok("ofcolor", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))", "(1, 1)"], "frozenset()");
        ok("ofcolor", &["((1, 200), (200, 1))", "200"], "frozenset({(0, 1), (1, 0)})");
        ok("ofcolor", &["frozenset({(1, 1), (1, 2), (2, 1)})", "2"], "frozenset({(1, 1), (2, 0)})");
        err("ofcolor", &["5", "1"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn objects_matches_python() {
        ok("objects", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "True", "False", "True"], "frozenset({frozenset({(2, (2, 1)), (2, (1, 1)), (2, (2, 0))}), frozenset({(1, (1, 2)), (1, (0, 2))})})");
        ok("objects", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "True", "True", "True"], "frozenset({frozenset({(2, (2, 1)), (2, (1, 1)), (2, (2, 0))}), frozenset({(1, (1, 2)), (1, (0, 2))})})");
        ok("objects", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "False", "False", "True"], "frozenset({frozenset({(2, (2, 1)), (2, (2, 0)), (1, (1, 2)), (1, (0, 2)), (2, (1, 1))})})");
        ok("objects", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "False", "True", "True"], "frozenset({frozenset({(2, (2, 1)), (2, (2, 0)), (1, (1, 2)), (1, (0, 2)), (2, (1, 1))})})");
        ok("objects", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "True", "False", "False"], "frozenset({frozenset({(0, (2, 2))}), frozenset({(2, (2, 1)), (2, (1, 1)), (2, (2, 0))}), frozenset({(0, (0, 1)), (0, (1, 0)), (0, (0, 0))}), frozenset({(1, (1, 2)), (1, (0, 2))})})");
        ok("objects", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "False", "False", "False"], "frozenset({frozenset({(0, (0, 0)), (0, (1, 0)), (2, (2, 1)), (1, (1, 2)), (2, (2, 0)), (0, (0, 1)), (0, (2, 2)), (1, (0, 2)), (2, (1, 1))})})");
        ok("objects", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "False", "True", "False"], "frozenset({frozenset({(0, (0, 0)), (0, (1, 0)), (2, (2, 1)), (1, (1, 2)), (2, (2, 0)), (0, (0, 1)), (0, (2, 2)), (1, (0, 2)), (2, (1, 1))})})");
        ok("objects", &["((1, 0), (0, 1))", "True", "True", "False"], "frozenset({frozenset({(1, (1, 1)), (1, (0, 0))}), frozenset({(0, (0, 1)), (0, (1, 0))})})");
        ok("objects", &["((1, 0), (0, 1))", "True", "False", "False"], "frozenset({frozenset({(1, (1, 1))}), frozenset({(0, (1, 0))}), frozenset({(0, (0, 1))}), frozenset({(1, (0, 0))})})");
        err("objects", &["()", "True", "True", "True"], ErrorKind::ValueError);
        err("objects", &["()", "True", "True", "False"], ErrorKind::IndexError);
        ok("objects", &["((), ())", "True", "False", "False"], "frozenset()");
        err("objects", &["((), ())", "True", "False", "True"], ErrorKind::ValueError);
        ok("objects", &["((0, 100), (100, 100))", "True", "False", "True"], "frozenset({frozenset({(0, (0, 0))})})");
        ok("objects", &["((0, 100), (100, 0))", "False", "True", "False"], "frozenset({frozenset({(0, (1, 1)), (100, (1, 0)), (0, (0, 0)), (100, (0, 1))})})");
        err("objects", &["((1, 2), (3,))", "True", "False", "False"], ErrorKind::IndexError);
        err("objects", &["frozenset()", "True", "True", "True"], ErrorKind::ValueError);
        err("objects", &["frozenset({(1, 1), (1, 2), (2, 1)})", "True", "True", "False"], ErrorKind::TypeError);
        ok("objects", &["((5, 5), (5, 5))", "True", "False", "True"], "frozenset()");
    }

    #[test]
    #[rustfmt::skip]
    fn partition_matches_python() {
        ok("partition", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset({frozenset({(2, (0, 2)), (2, (1, 2))}), frozenset({(1, (0, 1)), (1, (1, 1)), (1, (0, 0))}), frozenset({(0, (1, 0)), (0, (2, 1)), (0, (2, 2))}), frozenset({(3, (2, 0))})})");
        ok("partition", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))"], "frozenset({frozenset({(2, (2, 1)), (2, (1, 1)), (2, (2, 0))}), frozenset({(0, (0, 1)), (0, (1, 0)), (0, (0, 0)), (0, (2, 2))}), frozenset({(1, (1, 2)), (1, (0, 2))})})");
        ok("partition", &["()"], "frozenset()");
        ok("partition", &["((), ())"], "frozenset()");
        ok("partition", &["((1, 300), (300, 1))"], "frozenset({frozenset({(300, (0, 1)), (300, (1, 0))}), frozenset({(1, (1, 1)), (1, (0, 0))})})");
        ok("partition", &["frozenset()"], "frozenset()");
        err("partition", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn fgpartition_matches_python() {
        ok("fgpartition", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset({frozenset({(2, (0, 2)), (2, (1, 2))}), frozenset({(1, (0, 1)), (1, (1, 1)), (1, (0, 0))}), frozenset({(3, (2, 0))})})");
        ok("fgpartition", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))"], "frozenset({frozenset({(2, (2, 1)), (2, (1, 1)), (2, (2, 0))}), frozenset({(1, (1, 2)), (1, (0, 2))})})");
        err("fgpartition", &["()"], ErrorKind::ValueError);
        ok("fgpartition", &["((1, 300), (300, 300))"], "frozenset({frozenset({(1, (0, 0))})})");
        ok("fgpartition", &["((4, 4), (4, 4))"], "frozenset()");
        err("fgpartition", &["frozenset()"], ErrorKind::ValueError);
    }

    #[test]
    #[rustfmt::skip]
    fn palette_matches_python() {
        ok("palette", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset({0, 1, 2, 3})");
        ok("palette", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "frozenset({1, 2})");
        ok("palette", &["frozenset()"], "frozenset()");
        ok("palette", &["()"], "frozenset()");
        ok("palette", &["((1, 300), (-3, 1))"], "frozenset({1, 300, -3})");
        ok("palette", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({1, 2})");
        err("palette", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn numcolors_matches_python() {
        ok("numcolors", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "4");
        ok("numcolors", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "2");
        ok("numcolors", &["frozenset()"], "0");
        ok("numcolors", &["()"], "0");
        err("numcolors", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn color_matches_python() {
        ok("color", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], "1");
        err("color", &["frozenset()"], ErrorKind::StopIteration);
        ok("color", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "1");
        err("color", &["(5, (1, 1))"], ErrorKind::TypeError);
        err("color", &["5"], ErrorKind::TypeError);
        ok("color", &["frozenset({(3, 4)})"], "3");
        err("color", &["((), 1)"], ErrorKind::IndexError);
    }

    #[test]
    #[rustfmt::skip]
    fn toobject_matches_python() {
        ok("toobject", &["frozenset({(1, 1), (1, 2), (2, 1)})", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset({(1, (1, 1)), (2, (1, 2)), (0, (2, 1))})");
        ok("toobject", &["frozenset({(-1, 0), (0, 0), (5, 5), (2, 2)})", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset({(0, (2, 2)), (1, (0, 0))})");
        ok("toobject", &["frozenset()", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset()");
        err("toobject", &["frozenset({(1, 1), (1, 2), (2, 1)})", "()"], ErrorKind::IndexError);
        err("toobject", &["frozenset({(1, 1), (1, 2), (2, 1)})", "5"], ErrorKind::TypeError);
        ok("toobject", &["frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})", "((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset({(1, (1, 1)), (2, (1, 2)), (0, (2, 1))})");
        ok("toobject", &["frozenset({(0, 1)})", "((1, 300), (2, 3))"], "frozenset({(300, (0, 1))})");
        err("toobject", &["frozenset({(1, 1)})", "((1, 2), (3,))"], ErrorKind::IndexError);
    }

    #[test]
    #[rustfmt::skip]
    fn asobject_matches_python() {
        ok("asobject", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset({(1, (0, 1)), (1, (1, 1)), (0, (1, 0)), (2, (1, 2)), (0, (2, 1)), (2, (0, 2)), (1, (0, 0)), (3, (2, 0)), (0, (2, 2))})");
        ok("asobject", &["()"], "frozenset()");
        ok("asobject", &["((), ())"], "frozenset()");
        ok("asobject", &["((1, 300),)"], "frozenset({(1, (0, 0)), (300, (0, 1))})");
        ok("asobject", &["frozenset({(1, 1), (1, 2), (2, 1)})"], "frozenset({(1, (0, 1)), (1, (2, 1)), (1, (0, 0)), (1, (1, 0)), (2, (2, 0)), (2, (1, 1))})");
        err("asobject", &["5"], ErrorKind::TypeError);
    }

    #[test]
    #[rustfmt::skip]
    fn occurrences_matches_python() {
        ok("occurrences", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "frozenset({(0, (0, 0)), (0, (1, 0))})"], "frozenset({(0, 0)})");
        ok("occurrences", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "frozenset({(2, (5, 5)), (2, (5, 6))})"], "frozenset({(2, 0)})");
        ok("occurrences", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "frozenset()"], "frozenset({(0, 1), (1, 2), (2, 1), (3, 1), (0, 2), (2, 2), (1, 0), (3, 2), (1, 3), (0, 0), (1, 1), (0, 3), (2, 0), (3, 0), (2, 3), (3, 3)})");
        ok("occurrences", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "frozenset({(9, (0, 0))})"], "frozenset()");
        err("occurrences", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "frozenset({(1, 1), (1, 2), (2, 1)})"], ErrorKind::TypeError);
        err("occurrences", &["()", "frozenset({(1, (1, 1)), (1, (1, 2)), (2, (2, 1))})"], ErrorKind::IndexError);
        ok("occurrences", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "frozenset({(1, (0, 0)), (1, (1, 0)), (1, (2, 0)), (1, (3, 0))})"], "frozenset()");
        ok("occurrences", &["((1, 300), (300, 1))", "frozenset({(300, (0, 0))})"], "frozenset({(0, 1), (1, 0)})");
        ok("occurrences", &["((0, 0, 1), (0, 2, 1), (2, 2, 0))", "((0, (0, 0)), (0, (0, 1)))"], "frozenset({(0, 0)})");
    }

    #[test]
    fn blank_rectangles_occur_where_probing_cell_by_cell_finds_them() {
        // Random grids of three colours and rectangles of one colour, against offsets and steps counted
        // probe by probe in row-major order (the order every probe of a one-colour object takes).
        let mut next = crate::prims::testing::numbers();
        let id = lookup("occurrences").expect("primitive exists");
        for _ in 0..300 {
            let (h, w) = (1 + next(7) as usize, 1 + next(7) as usize);
            let cells: Vec<i64> = (0..h * w).map(|_| if next(3) == 0 { 1 } else { next(2) as i64 * 2 }).collect();
            let (oh, ow, colour) = (1 + next(3) as usize, 1 + next(3) as usize, next(3) as i64);
            let grid = Value::tuple((0..h).map(|i| Value::int_tuple(&cells[i * w..(i + 1) * w])).collect());
            let rect: Vec<Value> = (0..oh)
                .flat_map(|a| (0..ow).map(move |b| Value::Cell(colour as i32, a as i32 + 3, b as i32 + 1)))
                .collect();
            let rect = Value::set(rect);
            let (mut expected, mut steps) = (Vec::new(), 0);
            if oh <= h && ow <= w {
                steps = (h - oh + 1) * (w - ow + 1);
                for i in 0..=h - oh {
                    for j in 0..=w - ow {
                        let mut occurs = true;
                        'probe: for a in 0..oh {
                            for b in 0..ow {
                                steps += 1;
                                if cells[(i + a) * w + j + b] != colour {
                                    occurs = false;
                                    break 'probe;
                                }
                            }
                        }
                        if occurs {
                            expected.push(Value::pair(i as i64, j as i64));
                        }
                    }
                }
            }
            let expected = Value::set(expected);
            let mut ctx = Ctx::default();
            let before = ctx.fuel_left();
            let found = apply(&mut ctx, id, &[grid, rect]).expect("occurrences runs");
            let charged = (before - ctx.fuel_left()) as usize;
            assert_eq!(found, expected, "{cells:?} {h}x{w}, {oh}x{ow} of {colour}");
            assert_eq!(charged, steps + crate::prims::CALL_COST + expected.weight(), "{cells:?}");
        }
    }

    #[test]
    #[rustfmt::skip]
    fn frontiers_matches_python() {
        ok("frontiers", &["((1, 1, 2), (0, 1, 2), (3, 0, 0))"], "frozenset()");
        ok("frontiers", &["((1, 1), (2, 2))"], "frozenset({frozenset({(2, (1, 0)), (2, (1, 1))}), frozenset({(1, (0, 1)), (1, (0, 0))})})");
        ok("frontiers", &["((1, 2), (1, 3))"], "frozenset({frozenset({(1, (0, 0)), (1, (1, 0))})})");
        ok("frontiers", &["((5,),)"], "frozenset({frozenset({(5, (0, 0))})})");
        err("frontiers", &["()"], ErrorKind::IndexError);
        ok("frontiers", &["((), ())"], "frozenset()");
        ok("frontiers", &["((300, 300), (1, 2))"], "frozenset({frozenset({(300, (0, 1)), (300, (0, 0))})})");
        err("frontiers", &["((1, 1, 1), (2, 2))"], ErrorKind::IndexError);
        ok("frontiers", &["((1, 1), (2, 2, 2))"], "frozenset({frozenset({(2, (1, 0)), (2, (1, 1))}), frozenset({(1, (0, 1)), (1, (0, 0))})})");
        err("frontiers", &["frozenset()"], ErrorKind::TypeError);
        err("frontiers", &["5"], ErrorKind::TypeError);
    }

    fn run_values(name: &str, args: &[Value]) -> Result<Value, ErrorKind> {
        let id = lookup(name).expect("primitive exists");
        apply(&mut Ctx::default(), id, args).map_err(|e| e.kind)
    }

    /// A grid literal of `h` rows and `w` columns with cells `f(i, j)`.
    fn grid_literal(h: usize, w: usize, f: impl Fn(usize, usize) -> i64) -> String {
        let rows: Vec<String> = (0..h)
            .map(|i| format!("({},)", (0..w).map(|j| f(i, j).to_string()).collect::<Vec<_>>().join(", ")))
            .collect();
        format!("({},)", rows.join(", "))
    }

    #[test]
    fn colour_ties_follow_cpython_set_order() {
        // 1 and 9 share a slot of CPython's 8-slot table: the first one seen is iterated first.
        ok("mostcolor", &["((9, 1), (1, 9))"], "9");
        ok("mostcolor", &["((1, 9), (9, 1))"], "1");
        ok("leastcolor", &["((9, 9, 1, 1, 2),)"], "2");
        ok("leastcolor", &["((9, 9, 1, 1),)"], "9");
        // Without a collision the order is ascending whatever comes first.
        ok("mostcolor", &["((5, 0), (0, 5))"], "0");
        ok("fgpartition", &["((9, 1), (1, 9))"], "frozenset({frozenset({(1, (0, 1)), (1, (1, 0))})})");
        ok(
            "objects",
            &["((9, 1), (1, 9))", "True", "False", "True"],
            "frozenset({frozenset({(1, (0, 1))}), frozenset({(1, (1, 0))})})",
        );
    }

    #[test]
    fn objects_of_a_full_size_grid() {
        let checker = py(&grid_literal(30, 30, |i, j| ((i + j) % 2 * 5) as i64));
        let count =
            |u: bool, d: bool, b: bool| match run_values("objects", &[checker.clone(), u.into(), d.into(), b.into()]) {
                Ok(v) => v.len().ok(),
                Err(_) => None,
            };
        assert_eq!(count(true, true, true), Some(1));
        assert_eq!(count(true, false, true), Some(450));
        assert_eq!(count(false, false, false), Some(1));
        assert_eq!(count(true, true, false), Some(2));
    }

    #[test]
    fn generic_grids_give_what_small_grids_give() {
        // Same shapes, colours shifted past i8: the generic path must find the same objects.
        let small = |v: i64| v;
        let big = |v: i64| v + 300;
        let cells = [[0, 0, 1, 2], [0, 1, 1, 2], [2, 0, 0, 0]];
        for (u, d, b) in [(true, false, true), (false, true, true), (true, true, false), (false, false, true)] {
            let run_for = |f: &dyn Fn(i64) -> i64| {
                let g = py(&grid_literal(3, 4, |i, j| f(cells[i][j])));
                run_values("objects", &[g, u.into(), d.into(), b.into()])
            };
            let (a, z) = (run_for(&small), run_for(&big));
            let shifted = match a {
                Ok(Value::Set(objs)) => Value::set(
                    objs.iter()
                        .map(|o| {
                            let cells = o.to_vec().unwrap_or_default();
                            Value::set(
                                cells
                                    .into_iter()
                                    .map(|c| match c {
                                        Value::Cell(v, i, j) => {
                                            Value::tuple(vec![Value::Int(v as i64 + 300), Value::Point(i, j)])
                                        }
                                        other => other,
                                    })
                                    .collect(),
                            )
                        })
                        .collect(),
                ),
                other => panic!("{other:?}"),
            };
            assert_eq!(z, Ok(shifted), "{u} {d} {b}");
        }
        ok(
            "partition",
            &["((300, 1), (1, 300))"],
            "frozenset({frozenset({(1, (0, 1)), (1, (1, 0))}), frozenset({(300, (0, 0)), (300, (1, 1))})})",
        );
        ok("fgpartition", &["((300, 1), (300, 300))"], "frozenset({frozenset({(1, (0, 1))})})");
    }

    #[test]
    fn occurrences_charge_for_positions_times_cells() {
        let g = py(&grid_literal(30, 30, |i, j| ((i * j) % 3) as i64));
        let obj = py("frozenset({(0, (0, 0)), (0, (0, 1)), (0, (1, 0))})");
        let id = lookup("occurrences").expect("primitive exists");
        let mut ctx = Ctx::new(crate::Limits { fuel: 2_000, max_len: 1 << 20 });
        assert_eq!(apply(&mut ctx, id, &[g.clone(), obj.clone()]).map_err(|e| e.kind), Err(ErrorKind::Fuel));
        let found = run_values("occurrences", &[g, obj]);
        assert_eq!(found.as_ref().ok().and_then(|v| v.len().ok()), Some(100));
    }
}

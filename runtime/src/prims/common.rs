//! Helpers the primitive families share: reading patches, objects and grids with the exact dispatch of
//! arc-dsl (`toindices`' "is the second item of the first element a tuple?" test, Python's unpacking).

use crate::error::{Error, Result};
use crate::value::{CollectExact, Grid, Value};

/// Python's `i, j = x` for an element of a patch: exactly two ints.
#[inline]
pub(crate) fn unpack2(x: &Value) -> Result<(i64, i64)> {
    match x {
        Value::Point(i, j) => Ok((*i as i64, *j as i64)),
        _ => x.int_pair(),
    }
}

/// Whether `patch` holds cells `(value, (i, j))` rather than indices: arc-dsl's
/// `isinstance(next(iter(patch))[1], tuple)`. Errors as that expression would for odd elements.
pub(crate) fn holds_cells(patch: &Value) -> Result<bool> {
    let first = match patch {
        Value::Set(s) => match s.first() {
            Some(Value::Cell(..)) => return Ok(true),
            Some(Value::Point(..)) => return Ok(false),
            Some(v) => v.clone(),
            None => return Err(Error::stop_iteration()),
        },
        _ => match patch.items()?.next() {
            Some(v) => v,
            None => return Err(Error::stop_iteration()),
        },
    };
    Ok(first.index(1)?.is_tuple_like())
}

/// `toindices(patch)`: the indices of a patch; an object's cells lose their values.
pub(crate) fn toindices(patch: &Value) -> Result<Value> {
    if patch.len()? == 0 {
        return Ok(Value::empty_set());
    }
    if !holds_cells(patch)? {
        return Ok(patch.clone());
    }
    let mut out = Vec::with_capacity(patch.len()?);
    for cell in patch.items()? {
        match cell {
            Value::Cell(_, i, j) => out.push(Value::Point(i, j)),
            other => {
                let (_, index) = pair_items(&other)?;
                out.push(index);
            }
        }
    }
    Ok(Value::set(out))
}

/// Python's `a, b = x` for a 2-element container.
pub(crate) fn pair_items(x: &Value) -> Result<(Value, Value)> {
    if !x.is_tuple_like() && !matches!(x, Value::Set(_)) {
        return Err(Error::type_error("cannot unpack non-iterable object"));
    }
    if x.len()? != 2 {
        return Err(Error::value_error("unpacking expected 2 values"));
    }
    Ok((x.item(0), x.item(1)))
}

/// `for i, j in toindices(patch)`: the index pairs of a patch, in iteration order.
pub(crate) fn index_pairs(patch: &Value) -> Result<Vec<(i64, i64)>> {
    if let Value::Set(s) = patch {
        if let Some(Value::Point(..)) = s.first()
            && let Some(out) = s
                .iter()
                .map(|v| if let Value::Point(i, j) = v { Some((*i as i64, *j as i64)) } else { None })
                .collect_some()
        {
            return Ok(out);
        }
        if let Some(Value::Cell(..)) = s.first() {
            let cells: Option<Vec<(i64, i64)>> = s
                .iter()
                .map(|v| if let Value::Cell(_, i, j) = v { Some((*i as i64, *j as i64)) } else { None })
                .collect_some();
            if let Some(mut out) = cells {
                out.sort_unstable();
                out.dedup();
                return Ok(out);
            }
        }
    }
    toindices(patch)?.items()?.map(|x| unpack2(&x)).collect_ok()
}

/// `(uppermost, leftmost, lowermost, rightmost)` of a patch; `ValueError` (min of an empty sequence) when
/// it is empty.
pub(crate) fn bounds(patch: &Value) -> Result<(i64, i64, i64, i64)> {
    // A frozenset of only indices or only cells, the usual patch: one pass, nothing allocated.
    if let Value::Set(s) = patch
        && let Some(first) = s.first()
    {
        let at = |v: &Value, cells: bool| match (v, cells) {
            (Value::Point(i, j), false) | (Value::Cell(_, i, j), true) => Some((*i, *j)),
            _ => None,
        };
        let cells = matches!(first, Value::Cell(..));
        let (mut top, mut left, mut bottom, mut right) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        let mut homogeneous = true;
        for v in s.iter() {
            let Some((i, j)) = at(v, cells) else {
                homogeneous = false;
                break;
            };
            (top, bottom, left, right) = (top.min(i), bottom.max(i), left.min(j), right.max(j));
        }
        if homogeneous {
            return Ok((top as i64, left as i64, bottom as i64, right as i64));
        }
    }
    let pairs = index_pairs(patch)?;
    if pairs.is_empty() {
        return Err(Error::value_error("min() arg is an empty sequence"));
    }
    let (mut top, mut left, mut bottom, mut right) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    for (i, j) in pairs {
        top = top.min(i);
        bottom = bottom.max(i);
        left = left.min(j);
        right = right.max(j);
    }
    Ok((top, left, bottom, right))
}

/// `mostcolor(grid)` for a grid value: ties broken in CPython's `set` iteration order.
pub(crate) fn grid_mostcolor(g: &Grid) -> i64 {
    py_grid_common_color(g, true).unwrap_or(0)
}

/// Builds a grid from `h` rows of `w` cells computed by `f(i, j)`; the cells must fit in `i8`, which all
/// arc-dsl grid primitives preserve (they only move existing values or write given ones).
pub(crate) fn grid_from_fn(h: usize, w: usize, mut f: impl FnMut(usize, usize) -> i8) -> Value {
    grid_from_rows_fn(h, w, |i, cells| cells.extend((0..w).map(|j| f(i, j))))
}

/// A grid of `h` rows of width `w`, each row appended to the cells by `row(i, cells)` (as slice copies).
pub(crate) fn grid_from_rows_fn(h: usize, w: usize, mut row: impl FnMut(usize, &mut Vec<i8>)) -> Value {
    if h == 0 {
        return Value::empty_tuple();
    }
    let mut cells = Vec::with_capacity(h * w);
    for i in 0..h {
        row(i, &mut cells);
    }
    debug_assert_eq!(cells.len(), h * w);
    Grid::new(h, w, cells.into()).into_value()
}

/// Builds a tuple of rows from arbitrary values: the slow path for grids whose cells do not fit `i8`
/// (say `fill(grid, 100, patch)`), or which hold non-ints.
pub(crate) fn rows_to_value(rows: Vec<Vec<Value>>) -> Value {
    Value::tuple(rows.into_iter().map(Value::tuple).collect())
}

// ---- patches & objects family (prims-b): CPython's iteration order of a `set` of ints ----------------
//
// `mostcolor`/`leastcolor` (and `mostcommon`/`leastcommon`) take `max(set(values), key=values.count)`: on
// a tie the winner is whichever value the *set* yields first, and CPython's `set` does not iterate ints in
// sorted order once two of them collide in its hash table (`list(set([9, 1])) == [9, 1]`). The helpers
// below replay CPython 3.11's `set` insertion (open addressing, 9 linear probes, then perturbed probing;
// growth to 4 × used when 3/5 full) to get that order exactly.

/// CPython's `hash(x)` for an int: `x` reduced modulo the Mersenne prime 2**61 - 1, keeping the sign,
/// with `-1` mapped to `-2`.
fn py_int_hash(x: i64) -> i64 {
    const MODULUS: i128 = (1 << 61) - 1;
    let reduced = (x as i128).abs() % MODULUS;
    let h = if x < 0 { -reduced } else { reduced } as i64;
    if h == -1 { -2 } else { h }
}

/// The iteration order of `set(values)` in CPython 3.11, for ints added in the order given. Values
/// repeated later in `values` do not move (adding a present key is a no-op).
pub(crate) fn py_int_set_order(values: &[i64]) -> Vec<i64> {
    const LINEAR_PROBES: usize = 9;
    // Slots hold (key, hash); `None` is an unused slot (sets built by adding never hold dummies).
    let mut table: Vec<Option<(i64, i64)>> = vec![None; 8];
    let mut used = 0usize;
    for &key in values {
        let hash = py_int_hash(key);
        let mask = table.len() - 1;
        let mut i = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64 as usize;
        let slot = 'probe: loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for (k, entry) in table.iter().enumerate().skip(i).take(probes + 1) {
                match *entry {
                    None => break 'probe Some(k),
                    Some((other, h)) if h == hash && other == key => break 'probe None,
                    Some(_) => {}
                }
            }
            perturb >>= 5;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        };
        let Some(slot) = slot else { continue };
        table[slot] = Some((key, hash));
        used += 1;
        // No deletions happen, so `fill == used`.
        if used * 5 >= mask * 3 {
            let min_used = if used > 50_000 { used * 2 } else { used * 4 };
            let mut size = 8;
            while size <= min_used {
                size <<= 1;
            }
            table = py_set_reinsert(&table, size);
        }
    }
    table.into_iter().flatten().map(|(key, _)| key).collect()
}

/// CPython's `set_table_resize`: re-inserts the entries of `old`, in slot order, into a fresh table of
/// `size` slots with `set_insert_clean`'s probing.
fn py_set_reinsert(old: &[Option<(i64, i64)>], size: usize) -> Vec<Option<(i64, i64)>> {
    const LINEAR_PROBES: usize = 9;
    let mut table = vec![None; size];
    let mask = size - 1;
    for &(key, hash) in old.iter().flatten() {
        let mut i = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64 as usize;
        let slot = 'probe: loop {
            if table[i].is_none() {
                break 'probe i;
            }
            if i + LINEAR_PROBES <= mask
                && let Some(k) = (i + 1..=i + LINEAR_PROBES).find(|&k| table[k].is_none())
            {
                break 'probe k;
            }
            perturb >>= 5;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        };
        table[slot] = Some((key, hash));
    }
    table
}

/// `max(set(values), key=values.count)` (`min` when `most` is false) as CPython computes it: the set is
/// iterated in CPython's order and the first value with the strictly best count wins. `ValueError` when
/// there are no values.
pub(crate) fn py_common_int(values: &[i64], most: bool) -> Result<i64> {
    let mut counts: rustc_hash::FxHashMap<i64, usize> = rustc_hash::FxHashMap::default();
    let mut first_seen = Vec::new();
    for &v in values {
        let n = counts.entry(v).or_insert(0);
        if *n == 0 {
            first_seen.push(v);
        }
        *n += 1;
    }
    let order = py_int_set_order(&first_seen);
    pick_by_count(&order, |v| counts.get(&v).copied().unwrap_or(0), most)
}

/// `mostcolor(grid)` (`leastcolor` when `most` is false) for a grid of small ints, exactly as CPython
/// breaks ties. A grid with no cells is a `ValueError`.
pub(crate) fn py_grid_common_color(g: &Grid, most: bool) -> Result<i64> {
    // Two tallies, of the even and the odd cells, so that a run of one colour does not wait on its own
    // last increment at every cell.
    let (mut even, mut odd) = ([0usize; 256], [0usize; 256]);
    let mut pairs = g.cells.chunks_exact(2);
    for pair in &mut pairs {
        even[pair[0] as u8 as usize] += 1;
        odd[pair[1] as u8 as usize] += 1;
    }
    for &c in pairs.remainder() {
        even[c as u8 as usize] += 1;
    }
    let count = |v: i64| even[v as i8 as u8 as usize] + odd[v as i8 as u8 as usize];
    // The values present, ascending, on the stack: this runs for every `mostcolor` and `objects` call.
    let (mut present, mut n) = ([0i64; 256], 0);
    for v in -128..128 {
        if count(v) > 0 {
            present[n] = v;
            n += 1;
        }
    }
    let present = &present[..n];
    if iterates_ascending(present) {
        return pick_by_count(present, count, most);
    }
    // The order the values first appear in, which the set's order depends on.
    let mut seen = [false; 256];
    let mut first_seen = Vec::with_capacity(present.len());
    for &c in g.cells.iter() {
        if !std::mem::replace(&mut seen[c as u8 as usize], true) {
            first_seen.push(c as i64);
        }
    }
    pick_by_count(&py_int_set_order(&first_seen), count, most)
}

/// Whether CPython's `set` of these distinct ints (ascending) iterates them in ascending order whatever
/// order they were added in: none of them collide. With at most four values the table has 8 slots, each
/// value of `0..8` its own; a fifth value grows it to 32 slots, each value of `0..32` its own (and the
/// next growth needs 19 values).
fn iterates_ascending(distinct: &[i64]) -> bool {
    let below = |n: i64| distinct.iter().all(|&v| (0..n).contains(&v));
    match distinct.len() {
        0..=4 => below(8),
        5..=18 => below(32),
        _ => false,
    }
}

/// The first value of `order` whose count is strictly greater (smaller when `most` is false) than every
/// earlier one's: Python's `max`/`min` with a key.
fn pick_by_count(order: &[i64], count: impl Fn(i64) -> usize, most: bool) -> Result<i64> {
    let mut best: Option<(i64, usize)> = None;
    for &v in order {
        let n = count(v);
        let better = match best {
            None => true,
            Some((_, m)) => {
                if most {
                    n > m
                } else {
                    n < m
                }
            }
        };
        if better {
            best = Some((v, n));
        }
    }
    best.map(|(v, _)| v).ok_or_else(|| Error::value_error("max() arg is an empty sequence"))
}

#[cfg(test)]
mod prims_b_tests {
    use super::*;

    #[test]
    fn sets_said_to_iterate_ascending_do() {
        // Every set of values in -1..12, added in ascending, descending and an interleaved order.
        for mask in 0u32..(1 << 13) {
            let values: Vec<i64> = (-1..12).filter(|v| mask & (1 << (v + 1)) != 0).collect();
            if !iterates_ascending(&values) {
                continue;
            }
            let descending: Vec<i64> = values.iter().rev().copied().collect();
            let (evens, odds): (Vec<i64>, Vec<i64>) = values.iter().partition(|&&v| v % 2 == 0);
            for added in [values.clone(), descending, [odds, evens].concat()] {
                assert_eq!(py_int_set_order(&added), values, "{added:?}");
            }
        }
        assert!(!iterates_ascending(&[1, 9]) && !iterates_ascending(&[-1, 0]) && iterates_ascending(&[0, 3, 5, 8, 9]));
    }

    #[test]
    fn int_sets_iterate_as_in_cpython() {
        assert_eq!(py_int_set_order(&[9, 1]), vec![9, 1]);
        assert_eq!(py_int_set_order(&[1, 9]), vec![1, 9]);
        assert_eq!(py_int_set_order(&[-1, 0, 1]), vec![0, 1, -1]);
        assert_eq!(py_int_set_order(&[16, 8, 0]), vec![16, 8, 0]);
        let descending: Vec<i64> = (1..=20).rev().collect();
        assert_eq!(py_int_set_order(&descending), (1..=20).collect::<Vec<_>>());
        let m = (1i64 << 61) - 1;
        assert_eq!(py_int_set_order(&[m, 0, m + 1, 1, -m]), vec![m, 0, -m, m + 1, 1]);
        assert_eq!(py_int_hash(-1), -2);
        assert_eq!(py_int_hash(i64::MIN), -(((1i128 << 63) % ((1 << 61) - 1)) as i64));
    }

    #[test]
    fn common_ints_break_ties_by_set_order() {
        assert_eq!(py_common_int(&[9, 1], true), Ok(9));
        assert_eq!(py_common_int(&[1, 9], true), Ok(1));
        assert_eq!(py_common_int(&[1, 9, 9], false), Ok(1));
        assert!(py_common_int(&[], true).is_err());
        let g = Grid::new(1, 3, vec![9, 1, 2].into());
        assert_eq!(py_grid_common_color(&g, true), Ok(9));
        assert_eq!(
            py_grid_common_color(&Grid::new(1, 0, Vec::new().into()), true).map_err(|e| e.kind),
            Err(crate::ErrorKind::ValueError)
        );
    }
}

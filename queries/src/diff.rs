//! Stage 6, `diff`: how close a wrong output came to the expected one.
//!
//! A *differ* scores a produced grid `I` against the expected grid `C`, given the demo pairs `S`; higher
//! means closer. It runs on every (program, task, pair) whose output was a grid but not the expected one
//! (a `fail` outcome), while that grid is still alive in [`crate::score::score_task_with`]; nothing
//! stores grids. A differ that does not apply (a produced value that is not a grid) or fails gives no
//! score for that pair.
//!
//! **Built-in differs** are native and scaled 0–1000 (1000: as close as it gets), one row each in
//! [`BUILTINS`]. Each has an exact equivalent in the solver language, so a user differ can refine one
//! (`tests/fixtures/differs.py` holds them; a test checks that they agree):
//!
//! | name | score of `I` against `C` |
//! | --- | --- |
//! | `cell_accuracy` | same shape: `1000 * equal_cells // cells`; different shapes: `0` |
//! | `shape_distance` | `500 * min(hI, hC) // max(hI, hC) + 500 * min(wI, wC) // max(wI, wC)` |
//! | `palette_overlap` | `1000 * len(palette(I) & palette(C)) // len(palette(I) \| palette(C))` |
//! | `object_count` | with `a, b` = the sizes of `objects(I, T, F, T)` and `objects(C, T, F, T)`: `1000 * (min(a, b) + 1) // (max(a, b) + 1)` |
//!
//! **User differs** are `def differ_<name>(S, I, C):` functions in any solver file (or a file listed
//! under `differs` in `batt.toml`). They are parsed, inlined, hashed, validated and expanded exactly like
//! solvers and run by the same evaluator, within the same limits, on `S` (the demo pairs), `I` (the
//! produced grid) and `C` (the expected grid). The result is an int, or a tuple whose first item is an
//! int (the score); anything else, or an error, is no score.
//!
//! A program's score on a task for one differ is the sum over the task's pairs: a wrong grid counts its
//! differ score, and a solved pair counts what the differ gives the expected grid against itself (1000
//! for every built-in), so solving a pair is never worse than any wrong answer for it; a pair that
//! raised counts nothing. A program has a score when at least one pair contributed (it produced a grid);
//! it is then a *near miss* of every task it does not solve, and the build ranks those by one differ
//! (`rank_by`, default `cell_accuracy`).

use std::cell::OnceCell;
use std::sync::{Arc, LazyLock};

use batt_runtime::eval::{Inputs, Program};
use batt_runtime::{Ctx, Grid, Limits, PrimId, Value, prims};
use rustc_hash::FxHashMap;

use crate::db::Db;
use crate::inputs::Project;
use crate::score::Outcome;

/// Whether a function named `name` is a differ rather than a solver: `differ_<name>`, or the `differ`
/// of an expanded differ file.
pub fn is_differ_name(name: &str) -> bool {
    name == "differ" || name.starts_with("differ_")
}

/// One built-in differ: a row of [`BUILTINS`].
#[derive(Clone, Copy)]
pub struct Builtin {
    /// The name `rank_by` and the report use.
    pub name: &'static str,
    /// Bumped whenever the definition changes; part of the cache key.
    pub version: u32,
    /// The score of a produced grid (first) against the expected one.
    pub f: fn(&Side, &Side) -> i64,
    /// One line: what it computes.
    pub doc: &'static str,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.name, self.version)
    }
}

/// The built-in differs, in the order they are reported.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "cell_accuracy",
        version: 1,
        f: cell_accuracy,
        doc: "same shape: 1000 * equal cells // cells; different shapes: 0",
    },
    Builtin {
        name: "shape_distance",
        version: 1,
        f: shape_distance,
        doc: "500 * min/max of the heights + 500 * min/max of the widths (integer divisions)",
    },
    Builtin {
        name: "palette_overlap",
        version: 1,
        f: palette_overlap,
        doc: "1000 * shared colours // colours of either grid",
    },
    Builtin {
        name: "object_count",
        version: 1,
        f: object_count,
        doc: "1000 * (fewer objects + 1) // (more objects + 1), objects as objects(grid, T, F, T)",
    },
];

/// A grid a built-in reads, with what built-ins derive from it computed once: a pair's expected grid
/// is measured against every distinct wrong grid of that pair.
pub struct Side<'a> {
    value: &'a Value,
    grid: &'a Grid,
    objects: OnceCell<usize>,
    palette: OnceCell<[u64; 4]>,
}

impl<'a> Side<'a> {
    /// The side of a value, if it is a grid.
    pub fn of(value: &'a Value) -> Option<Side<'a>> {
        match value {
            Value::Grid(grid) => Some(Side { value, grid, objects: OnceCell::new(), palette: OnceCell::new() }),
            _ => None,
        }
    }

    /// `len(objects(grid, T, F, T))`.
    fn objects(&self) -> usize {
        *self.objects.get_or_init(|| count_objects(self.value, self.grid))
    }

    /// The colours of the grid, as a bit set over the `i8` range.
    fn palette(&self) -> [u64; 4] {
        *self.palette.get_or_init(|| {
            let mut bits = [0u64; 4];
            for &v in self.grid.cells.iter() {
                let k = v as u8 as usize;
                bits[k / 64] |= 1 << (k % 64);
            }
            bits
        })
    }
}

/// `1000 * a // b` for non-negative `a`, `b`; `full` when `b` is 0.
fn per_mille(a: usize, b: usize, full: i64) -> i64 {
    (1000 * a).checked_div(b).map_or(full, |q| q as i64)
}

fn cell_accuracy(i: &Side, c: &Side) -> i64 {
    let (i, c) = (i.grid, c.grid);
    if (i.h, i.w) != (c.h, c.w) {
        return 0;
    }
    let equal = i.cells.iter().zip(c.cells.iter()).filter(|(a, b)| a == b).count();
    per_mille(equal, c.cells.len(), 1000)
}

fn shape_distance(i: &Side, c: &Side) -> i64 {
    let (i, c) = (i.grid, c.grid);
    let half = |a: usize, b: usize| if a.max(b) == 0 { 500 } else { (500 * a.min(b) / a.max(b)) as i64 };
    half(i.h, c.h) + half(i.w, c.w)
}

fn palette_overlap(i: &Side, c: &Side) -> i64 {
    let (a, b) = (i.palette(), c.palette());
    let count = |f: fn(u64, u64) -> u64| (0..4).map(|k| f(a[k], b[k]).count_ones() as usize).sum::<usize>();
    per_mille(count(|x, y| x & y), count(|x, y| x | y), 1000)
}

fn object_count(i: &Side, c: &Side) -> i64 {
    let (a, b) = (i.objects(), c.objects());
    (1000 * (a.min(b) + 1) / (a.max(b) + 1)) as i64
}

static MOSTCOLOR: LazyLock<Option<PrimId>> = LazyLock::new(|| prims::lookup("mostcolor"));

/// `len(objects(grid, T, F, T))`: single-colour, 4-connected groups of cells, the most common colour
/// (chosen by the runtime's `mostcolor`, ties broken as CPython does) being the background.
///
/// Counted over runs (cells of one colour side by side in a row): every run starts an object, and each
/// run of the row above with the same colour that shares a column with it joins the two (union-find), so
/// the count is the runs less the joins that merged two objects.
fn count_objects(value: &Value, g: &Grid) -> usize {
    let bg = MOSTCOLOR.and_then(|id| {
        let mut ctx = Ctx::new(Limits::default());
        (prims::get(id).f)(&mut ctx, std::slice::from_ref(value)).ok()?.as_int()
    });
    if g.w == 0 {
        return 0;
    }
    // Each run: its columns `start..end`, its colour, its object (an index into `parent`).
    struct Run {
        start: usize,
        end: usize,
        colour: i8,
        object: usize,
    }
    fn root(parent: &mut [usize], mut k: usize) -> usize {
        while parent[k] != k {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        k
    }
    let (mut above, mut row_runs) = (Vec::<Run>::new(), Vec::<Run>::new());
    let mut parent = Vec::new();
    let mut count = 0;
    for row in g.cells.chunks(g.w) {
        row_runs.clear();
        // The runs above that end at or before a run's start cannot touch it or any run after it.
        let mut first_above = 0;
        let mut j = 0;
        while j < row.len() {
            let (start, colour) = (j, row[j]);
            while j < row.len() && row[j] == colour {
                j += 1;
            }
            if Some(i64::from(colour)) == bg {
                continue;
            }
            let object = parent.len();
            parent.push(object);
            count += 1;
            while above.get(first_above).is_some_and(|r| r.end <= start) {
                first_above += 1;
            }
            for run in above[first_above..].iter().take_while(|r| r.start < j) {
                if run.colour == colour {
                    let (a, b) = (root(&mut parent, object), root(&mut parent, run.object));
                    if a != b {
                        parent[a] = b;
                        count -= 1;
                    }
                }
            }
            row_runs.push(Run { start, end: j, colour, object });
        }
        std::mem::swap(&mut above, &mut row_runs);
    }
    count
}

/// One enabled differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Differ {
    /// A row of [`BUILTINS`].
    Builtin(usize),
    /// A `differ_*` function: its name, its canonical hash, and its runtime program.
    User { name: String, hash: String, program: Arc<Program> },
}

impl Differ {
    /// The name: a built-in's, or the function's.
    pub fn name(&self) -> &str {
        match self {
            Differ::Builtin(k) => BUILTINS.get(*k).map_or("?", |b| b.name),
            Differ::User { name, .. } => name,
        }
    }

    /// The user differ's hash (`None` for a built-in).
    pub fn hash(&self) -> Option<&str> {
        match self {
            Differ::Builtin(_) => None,
            Differ::User { hash, .. } => Some(hash),
        }
    }

    /// What identifies its definition in cache keys.
    fn key(&self) -> String {
        match self {
            Differ::Builtin(k) => {
                BUILTINS.get(*k).map_or_else(String::new, |b| format!("builtin:{}@{}", b.name, b.version))
            }
            Differ::User { hash, .. } => format!("differ:{hash}"),
        }
    }

    /// Scores `produced` against `expected` (both grids; `None` otherwise, or when the differ fails).
    pub fn score(&self, demos: &Value, produced: &Value, expected: &Value, limits: Limits) -> Option<i64> {
        self.score_sides(demos, &Side::of(produced)?, &Side::of(expected)?, limits)
    }

    /// [`Differ::score`] of two grids.
    fn score_sides(&self, demos: &Value, produced: &Side, expected: &Side, limits: Limits) -> Option<i64> {
        match self {
            Differ::Builtin(k) => BUILTINS.get(*k).map(|b| (b.f)(produced, expected)),
            Differ::User { program, .. } => {
                let inputs = Inputs { s: demos.clone(), i: produced.value.clone(), c: expected.value.clone() };
                score_of(&batt_runtime::eval::run(program, &inputs, limits).ok()?)
            }
        }
    }
}

/// The score a user differ's result stands for: an int (or bool), or a tuple's first item if it is one.
pub fn score_of(value: &Value) -> Option<i64> {
    match value {
        Value::Int(_) | Value::Bool(_) => value.as_int(),
        Value::Point(a, _) | Value::Cell(a, _, _) => Some(i64::from(*a)),
        Value::Tuple(items) => items.first().and_then(|v| match v {
            Value::Int(_) | Value::Bool(_) => v.as_int(),
            _ => None,
        }),
        _ => None,
    }
}

/// The enabled differs of a project, in a fixed order: the built-ins, then the user differs by hash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Differs {
    pub list: Vec<Differ>,
    /// A hash of every differ's identity, in order: part of the cache key of differ scores, so that
    /// adding, removing or editing a differ never reads stale scores.
    pub key: String,
}

impl Differs {
    /// Every built-in and the given user differs.
    pub fn new(users: Vec<Differ>) -> Differs {
        let mut list: Vec<Differ> = (0..BUILTINS.len()).map(Differ::Builtin).collect();
        list.extend(users);
        let identity: Vec<String> = list.iter().map(Differ::key).collect();
        let key = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(identity.join("\n").as_bytes()));
        Differs { list, key }
    }

    /// Whether no differ is enabled.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The position of the differ named `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|d| d.name() == name)
    }

    /// Every differ's score of `produced` against `expected`.
    pub fn score_all(&self, demos: &Value, produced: &Value, expected: &Value, limits: Limits) -> Vec<Option<i64>> {
        match (Side::of(produced), Side::of(expected)) {
            (Some(i), Some(c)) => self.score_all_sides(demos, &i, &c, limits),
            _ => vec![None; self.list.len()],
        }
    }

    fn score_all_sides(&self, demos: &Value, produced: &Side, expected: &Side, limits: Limits) -> Vec<Option<i64>> {
        self.list.iter().map(|d| d.score_sides(demos, produced, expected, limits)).collect()
    }

    /// Scores the wrong outputs of one pair (`Some` entries of `produced`); equal grids are scored once,
    /// and what the built-ins derive from the expected grid is derived once.
    pub fn score_pair(
        &self,
        demos: &Value,
        expected: &Value,
        produced: &[Option<&Value>],
        limits: Limits,
    ) -> Vec<Option<Vec<Option<i64>>>> {
        let Some(expected) = Side::of(expected) else {
            // No differ scores a grid against what is not one (task files only hold grids).
            return produced.iter().map(|v| v.and_then(Side::of).map(|_| vec![None; self.list.len()])).collect();
        };
        let mut memo: FxHashMap<&Value, Vec<Option<i64>>> = FxHashMap::default();
        produced
            .iter()
            .map(|value| {
                let value = (*value)?;
                let produced = Side::of(value)?;
                let scores =
                    memo.entry(value).or_insert_with(|| self.score_all_sides(demos, &produced, &expected, limits));
                Some(scores.clone())
            })
            .collect()
    }
}

/// The differ scores of one program on one task: for each pair (in task order), each differ's score of
/// the program's wrong grid, or nothing (an empty list) when that pair did not produce a wrong grid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PairScores {
    pub pairs: Vec<Vec<Option<i64>>>,
}

impl PairScores {
    /// Compact bytes for the cache: per pair, the number of scores, then per score a tag (0: none,
    /// 1: some) and the zig-zag LEB128 of the value.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for pair in &self.pairs {
            out.push(u8::try_from(pair.len()).unwrap_or(u8::MAX));
            for score in pair.iter().take(u8::MAX as usize) {
                match score {
                    None => out.push(0),
                    Some(v) => {
                        out.push(1);
                        let mut z = ((*v << 1) ^ (*v >> 63)) as u64;
                        loop {
                            let byte = (z & 0x7f) as u8;
                            z >>= 7;
                            if z == 0 {
                                out.push(byte);
                                break;
                            }
                            out.push(byte | 0x80);
                        }
                    }
                }
            }
        }
        out
    }

    /// The inverse of [`PairScores::encode`]; `None` for malformed bytes.
    pub fn decode(bytes: &[u8]) -> Option<PairScores> {
        let mut it = bytes.iter().copied();
        let mut pairs = Vec::new();
        while let Some(n) = it.next() {
            let mut pair = Vec::with_capacity(n as usize);
            for _ in 0..n {
                match it.next()? {
                    0 => pair.push(None),
                    1 => {
                        let mut z: u64 = 0;
                        let mut shift = 0;
                        loop {
                            let byte = it.next()?;
                            if shift > 63 {
                                return None;
                            }
                            z |= u64::from(byte & 0x7f) << shift;
                            shift += 7;
                            if byte & 0x80 == 0 {
                                break;
                            }
                        }
                        pair.push(Some(((z >> 1) as i64) ^ -((z & 1) as i64)));
                    }
                    _ => return None,
                }
            }
            pairs.push(pair);
        }
        Some(PairScores { pairs })
    }

    /// Whether no pair was scored.
    pub fn is_empty(&self) -> bool {
        self.pairs.iter().all(Vec::is_empty)
    }

    /// Differ `d`'s score of a program on the task, from the program's `outcomes` and its wrong grids'
    /// scores (`None`: it produced no wrong grid): the sum over the pairs of the differ's score of each
    /// wrong grid and, for each solved pair, `perfect` (what the differ gives that pair's expected grid
    /// against itself); `None` when no pair contributed.
    pub fn total(
        scores: Option<&PairScores>,
        outcomes: &[Outcome],
        perfect: &[Vec<Option<i64>>],
        d: usize,
    ) -> Option<i64> {
        let pairs = scores.map_or(&[][..], |s| &s.pairs[..]);
        let mut total: Option<i64> = None;
        for (p, outcome) in outcomes.iter().enumerate() {
            let score = match outcome {
                Outcome::Pass => perfect.get(p),
                Outcome::Fail => pairs.get(p),
                _ => None,
            };
            if let Some(score) = score.and_then(|s| s.get(d).copied().flatten()) {
                total = Some(total.unwrap_or(0).saturating_add(score));
            }
        }
        total
    }
}

// ---- the salsa query ----------------------------------------------------------------------------------

/// The enabled differs of `project`: none when diffs are off; otherwise every built-in, then every valid
/// `differ_*` function of the solver and differ files, one per distinct hash (the first name found).
#[salsa::tracked(returns(ref))]
pub fn differs(db: &dyn Db, project: Project) -> Differs {
    if !project.diff(db) {
        return Differs::default();
    }
    let mut users: Vec<Differ> = Vec::new();
    for entry in crate::project::solvers(db, project).iter().filter(|e| e.is_differ) {
        let Some(hash) = &entry.hash else { continue };
        if users.iter().any(|d| d.hash() == Some(hash)) {
            continue;
        }
        let Some(program) = crate::expand::program(db, entry.file, entry.index) else { continue };
        users.push(Differ::User { name: entry.name.clone(), hash: hash.clone(), program: program.clone() });
    }
    users.sort_by(|a, b| a.hash().cmp(&b.hash()));
    Differs::new(users)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[i64]]) -> Value {
        Value::tuple(rows.iter().map(|r| Value::int_tuple(r)).collect())
    }

    fn builtin(name: &str, i: &Value, c: &Value) -> Option<i64> {
        let k = BUILTINS.iter().position(|b| b.name == name)?;
        Differ::Builtin(k).score(&Value::empty_tuple(), i, c, Limits::default())
    }

    #[test]
    fn cell_accuracy_by_hand() {
        let c = grid(&[&[1, 2, 3], &[4, 5, 6]]);
        // 4 of 6 cells equal: 1000 * 4 // 6 = 666.
        assert_eq!(builtin("cell_accuracy", &grid(&[&[1, 2, 0], &[4, 5, 0]]), &c), Some(666));
        assert_eq!(builtin("cell_accuracy", &c, &c), Some(1000));
        assert_eq!(builtin("cell_accuracy", &grid(&[&[0, 0, 0], &[0, 0, 0]]), &c), Some(0));
        // A different shape scores 0, however many cells agree.
        assert_eq!(builtin("cell_accuracy", &grid(&[&[1, 2, 3]]), &c), Some(0));
        // Not a grid: no score.
        assert_eq!(builtin("cell_accuracy", &Value::Int(3), &c), None);
    }

    #[test]
    fn shape_distance_by_hand() {
        let c = grid(&[&[1, 2, 3], &[4, 5, 6]]); // 2 × 3
        assert_eq!(builtin("shape_distance", &c, &c), Some(1000));
        // 1 × 3 against 2 × 3: 500 * 1 // 2 + 500 * 3 // 3 = 250 + 500.
        assert_eq!(builtin("shape_distance", &grid(&[&[0, 0, 0]]), &c), Some(750));
        // 3 × 2 against 2 × 3: 500 * 2 // 3 + 500 * 2 // 3 = 333 + 333.
        assert_eq!(builtin("shape_distance", &grid(&[&[0, 0], &[0, 0], &[0, 0]]), &c), Some(666));
        // Same shape, other contents: still 1000.
        assert_eq!(builtin("shape_distance", &grid(&[&[0, 0, 0], &[0, 0, 0]]), &c), Some(1000));
    }

    #[test]
    fn palette_overlap_by_hand() {
        let c = grid(&[&[1, 2], &[3, 3]]); // {1, 2, 3}
        assert_eq!(builtin("palette_overlap", &c, &c), Some(1000));
        // {1, 2, 5} against {1, 2, 3}: 2 shared of 4 in all.
        assert_eq!(builtin("palette_overlap", &grid(&[&[1, 2, 5]]), &c), Some(500));
        // {0} against {1, 2, 3}: nothing shared.
        assert_eq!(builtin("palette_overlap", &grid(&[&[0]]), &c), Some(0));
        // {3} against {1, 2, 3}: 1000 * 1 // 3.
        assert_eq!(builtin("palette_overlap", &grid(&[&[3, 3]]), &c), Some(333));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Grids of a few colours (so that runs touch and ring around each other), against
        /// `len(objects(I, T, F, T))` as the runtime computes it.
        #[test]
        fn objects_are_counted_as_the_runtime_finds_them(rows in grids()) {
            let objects = prims::lookup("objects").expect("objects is a primitive");
            let refs: Vec<&[i64]> = rows.iter().map(Vec::as_slice).collect();
            let value = grid(&refs);
            let Value::Grid(g) = &value else { panic!("not a grid") };
            let mut ctx = Ctx::new(Limits::default());
            let args = [value.clone(), Value::Bool(true), Value::Bool(false), Value::Bool(true)];
            let found = (prims::get(objects).f)(&mut ctx, &args).expect("objects runs");
            let Value::Set(found) = found else { panic!("objects gives a set") };
            assert_eq!(count_objects(&value, g), found.len(), "{rows:?}");
        }
    }

    /// Grids of 1 to 9 rows and columns in 1 to 4 colours.
    fn grids() -> impl proptest::strategy::Strategy<Value = Vec<Vec<i64>>> {
        use proptest::prelude::*;
        (1usize..10, 1usize..10, 1i64..5)
            .prop_flat_map(|(h, w, colours)| proptest::collection::vec(proptest::collection::vec(0..colours, w), h))
    }

    #[test]
    fn object_count_by_hand() {
        // Background 0; objects (single-colour, 4-connected): the 1s (one object), the 2 and the 2
        // below-right of it (diagonal: two objects) = 3.
        let c = grid(&[&[1, 1, 0, 0], &[0, 0, 2, 0], &[0, 0, 0, 2], &[0, 0, 0, 0]]);
        assert!(matches!(&c, Value::Grid(g) if count_objects(&c, g) == 3));
        assert_eq!(builtin("object_count", &c, &c), Some(1000));
        // One object (background 0): 1000 * (1 + 1) // (3 + 1) = 500.
        let one = grid(&[&[0, 0, 0], &[0, 4, 4], &[0, 0, 0]]);
        assert_eq!(builtin("object_count", &one, &c), Some(500));
        // An empty grid has no objects: 1000 * 1 // 4 = 250.
        assert_eq!(builtin("object_count", &grid(&[&[0, 0], &[0, 0]]), &c), Some(250));
        // Two colours, one a ring around the other: background is 5 (most common), one object of 7.
        let ring = grid(&[&[5, 5, 5], &[5, 7, 5], &[5, 5, 5]]);
        assert_eq!(builtin("object_count", &ring, &one), Some(1000));
    }

    #[test]
    fn user_results_become_scores() {
        assert_eq!(score_of(&Value::Int(-7)), Some(-7));
        assert_eq!(score_of(&Value::Bool(true)), Some(1));
        assert_eq!(score_of(&Value::pair(3, 4)), Some(3));
        assert_eq!(score_of(&Value::tuple(vec![Value::Int(9), Value::None])), Some(9));
        assert_eq!(score_of(&Value::tuple(vec![Value::None, Value::Int(9)])), None);
        assert_eq!(score_of(&grid(&[&[1]])), None);
        assert_eq!(score_of(&Value::None), None);
    }

    #[test]
    fn pair_scores_round_trip_and_total() {
        let scores = PairScores {
            pairs: vec![vec![], vec![Some(0), None, Some(-1), Some(i64::MAX)], vec![Some(i64::MIN), Some(1000)]],
        };
        assert_eq!(PairScores::decode(&scores.encode()), Some(scores.clone()));
        assert_eq!(PairScores::decode(&[1, 7]), None);
        let scores = PairScores { pairs: vec![vec![], vec![Some(600), None], vec![Some(100), None]] };
        let outcomes = [Outcome::Pass, Outcome::Fail, Outcome::Fail];
        let perfect = vec![vec![Some(1000), Some(5)]; 3];
        // Differ 0: 1000 (solved) + 600 + 100; differ 1: 5 for the solved pair, nothing for the others.
        let totals = |scores: Option<&PairScores>, outcomes: &[Outcome]| -> Vec<Option<i64>> {
            (0..2).map(|d| PairScores::total(scores, outcomes, &perfect, d)).collect()
        };
        assert_eq!(totals(Some(&scores), &outcomes), vec![Some(1700), Some(5)]);
        // A pair that raised counts nothing; a program with no grid at all has no score.
        let errors = [Outcome::Error(batt_runtime::ErrorKind::IndexError), Outcome::Fail, Outcome::Fail];
        assert_eq!(totals(Some(&scores), &errors), vec![Some(700), None]);
        assert_eq!(totals(None, &errors[..1]), vec![None, None]);
        let none = PairScores { pairs: vec![vec![], vec![], vec![]] };
        assert_eq!(totals(Some(&none), &errors), vec![None, None]);
    }

    /// The differs of `tests/fixtures/differs.py`, by name.
    fn fixture_differs() -> Vec<(String, Differ)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/differs.py");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let module = batt_syntax::parse(&text);
        assert!(module.has_valid_syntax());
        module
            .functions
            .iter()
            .map(|f| {
                let inlined = crate::inline::inline(f);
                let program = crate::expand::lower(&inlined, &crate::names::Runtime);
                let program = Arc::new(program.unwrap_or_else(|e| panic!("{}: {e}", f.name.text)));
                let hash = inlined.hash().to_string();
                (f.name.text.clone(), Differ::User { name: f.name.text.clone(), hash, program })
            })
            .collect()
    }

    /// Every output grid of every fixture task, with its task's demos.
    fn fixture_grids() -> Vec<(Value, Value)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/tasks");
        let mut out = Vec::new();
        let mut paths: Vec<_> =
            std::fs::read_dir(dir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for task in crate::tasks::load_file("t", "t", &text, None).tasks {
                for pair in task.pairs() {
                    out.push((task.demos(), pair.input.clone()));
                    out.extend(pair.output.clone().map(|o| (task.demos(), o)));
                }
            }
        }
        out
    }

    #[test]
    fn dsl_differs_equal_the_builtins() {
        let users = fixture_differs();
        let grids = fixture_grids();
        assert!(grids.len() > 50, "{}", grids.len());
        let limits = Limits::default();
        let mut extra = vec![
            grid(&[&[1, 2, 0], &[4, 5, 0]]),
            grid(&[&[1, 2, 3], &[4, 5, 6]]),
            grid(&[&[0, 0], &[0, 0], &[0, 0]]),
            grid(&[&[1, 1, 0, 0], &[0, 0, 2, 0], &[0, 0, 0, 2], &[0, 0, 0, 0]]),
            grid(&[&[5, 5, 5], &[5, 7, 5], &[5, 5, 5]]),
        ];
        extra.extend(grids.iter().map(|(_, g)| g.clone()));
        let mut compared = 0;
        for (builtin, user) in [
            ("cell_accuracy", "differ_cells"),
            ("shape_distance", "differ_shape"),
            ("palette_overlap", "differ_palette"),
            ("object_count", "differ_objects"),
        ] {
            let k = BUILTINS.iter().position(|b| b.name == builtin).unwrap_or(usize::MAX);
            let user = &users.iter().find(|(n, _)| n == user).unwrap_or_else(|| panic!("{user}")).1;
            for (demos, c) in &grids {
                for i in &extra {
                    let native = Differ::Builtin(k).score(demos, i, c, limits);
                    assert!(native.is_some());
                    assert_eq!(native, user.score(demos, i, c, limits), "{builtin} of {i:?} against {c:?}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 10_000, "{compared}");
    }

    #[test]
    fn dsl_differ_returning_a_tuple_scores_its_first_item() {
        let users = fixture_differs();
        let ranked = &users.iter().find(|(n, _)| n == "differ_ranked").unwrap_or_else(|| panic!("differ_ranked")).1;
        let c = grid(&[&[1, 2, 3], &[4, 5, 6]]);
        let demos = Value::tuple(vec![Value::tuple(vec![c.clone(), c.clone()])]);
        // 4 equal cells; the tuple's second item (the number of demos) is ignored.
        assert_eq!(ranked.score(&demos, &grid(&[&[1, 2, 0], &[4, 5, 0]]), &c, Limits::default()), Some(4));
        // A differ that raises (size of a non-container) gives no score.
        assert_eq!(ranked.score(&Value::Int(3), &c, &c, Limits::default()), None);
    }

    #[test]
    fn differ_names() {
        assert!(is_differ_name("differ_cells") && is_differ_name("differ"));
        assert!(!is_differ_name("solve_x") && !is_differ_name("differently"));
    }
}

//! Project-wide queries: the solver list, the distinct programs, the task list and per-task scores.
//!
//! These tie the per-file stages together. Identity flows by content hash: two functions with the same
//! canonical hash are one program, evaluated once per pair, wherever and however often they appear.
//! Every list is sorted (programs by hash, tasks by id, solvers by file then line) so that outputs are
//! deterministic.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use batt_runtime::eval::Program;

use crate::cache::{self, Remembered};
use crate::db::Db;
use crate::diff::PairScores;
use crate::inputs::{Project, Scope, SourceFile, TaskFile};
use crate::score::{Graph, Outcome, Scores};
use crate::tasks::{Task, TaskError};
use crate::{expand, inline, parse, validate};

/// A function found in a solver file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolverEntry {
    pub file: SourceFile,
    /// Its position among the file's functions.
    pub index: u32,
    pub name: String,
    /// 1-based line of its `def`.
    pub line: u32,
    /// The canonical hash, when the function is valid.
    pub hash: Option<String>,
    /// A `differ_*` rather than a solver.
    pub is_differ: bool,
}

/// The functions of every solver file, in file order then line order, then the `differ_*` functions of
/// the differ files (their other functions are not solvers).
#[salsa::tracked(returns(ref))]
pub fn solvers(db: &dyn Db, project: Project) -> Vec<SolverEntry> {
    let mut out = Vec::new();
    let solver_files = project.solver_files(db).iter().map(|&f| (f, false));
    for (file, differs_only) in solver_files.chain(project.differ_files(db).iter().map(|&f| (f, true))) {
        let module = parse::parse(db, file);
        for (index, function) in module.functions.iter().enumerate() {
            let is_differ = crate::diff::is_differ_name(&function.name.text);
            if differs_only && !is_differ {
                continue;
            }
            let index = index as u32;
            let valid = validate::validated(db, file, index).is_valid();
            out.push(SolverEntry {
                file,
                index,
                name: function.name.text.clone(),
                line: parse::line_of(db, file, function.range.start()),
                hash: if valid { inline::hash(db, file, index) } else { None },
                is_differ,
            });
        }
    }
    out
}

/// One distinct program: its hash and its runtime graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramEntry {
    pub hash: String,
    pub program: Arc<Program>,
}

/// The distinct valid solver programs (differs excluded), sorted by hash. Renaming or moving a solver
/// leaves this equal, so nothing downstream re-runs.
#[salsa::tracked(returns(ref))]
pub fn programs(db: &dyn Db, project: Project) -> Vec<ProgramEntry> {
    let mut by_hash: BTreeMap<String, ProgramEntry> = BTreeMap::new();
    for entry in solvers(db, project).iter().filter(|e| !e.is_differ) {
        let Some(hash) = &entry.hash else { continue };
        if by_hash.contains_key(hash) {
            continue;
        }
        let Some(program) = expand::program(db, entry.file, entry.index) else { continue };
        by_hash.insert(hash.clone(), ProgramEntry { hash: hash.clone(), program: program.clone() });
    }
    by_hash.into_values().collect()
}

/// The solver names of each program in [`programs`] (same order), sorted and deduplicated.
#[salsa::tracked(returns(ref))]
pub fn program_names(db: &dyn Db, project: Project) -> Vec<Vec<String>> {
    let programs = programs(db, project);
    let mut names: Vec<Vec<String>> = vec![Vec::new(); programs.len()];
    for entry in solvers(db, project).iter().filter(|e| !e.is_differ) {
        let Some(hash) = &entry.hash else { continue };
        if let Ok(k) = programs.binary_search_by(|p| p.hash.as_str().cmp(hash)) {
            names[k].push(entry.name.clone());
        }
    }
    for list in &mut names {
        list.sort();
        list.dedup();
    }
    names
}

/// The tasks of one task file (parsed and validated), and the tasks it could not load.
#[derive(Debug, PartialEq, Eq)]
pub struct TaskSet {
    pub tasks: Vec<Arc<Task>>,
    pub errors: Vec<TaskError>,
}

/// Stage 0 for tasks: the tasks in one file.
#[salsa::tracked(returns(ref))]
pub fn tasks(db: &dyn Db, file: TaskFile) -> TaskSet {
    let path = file.path(db);
    let stem = path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
    let loaded =
        crate::tasks::load_file(&path.display().to_string(), &stem, file.text(db), file.solutions(db).as_deref());
    let mut tasks: Vec<Arc<Task>> = loaded.tasks.into_iter().map(Arc::new).collect();
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    TaskSet { tasks, errors: loaded.errors }
}

/// Where a task lives: its file and position there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskRef {
    pub file: TaskFile,
    pub index: u32,
    pub id: String,
}

/// Every task of the project, sorted by id; of two tasks with the same id, the first file's wins.
#[salsa::tracked(returns(ref))]
pub fn task_list(db: &dyn Db, project: Project) -> Vec<TaskRef> {
    let mut by_id: BTreeMap<String, TaskRef> = BTreeMap::new();
    for &file in project.task_files(db) {
        for (index, task) in tasks(db, file).tasks.iter().enumerate() {
            by_id.entry(task.id.clone()).or_insert(TaskRef { file, index: index as u32, id: task.id.clone() });
        }
    }
    by_id.into_values().collect()
}

/// Warnings for the tasks hidden by an earlier task of the same id (those [`task_list`] does not keep): one
/// per pair of sources (a folder of task files, or a file that holds several tasks), with the count and
/// the first ids, in the order the hidden tasks are found.
#[salsa::tracked(returns(ref))]
pub fn shadowed_tasks(db: &dyn Db, project: Project) -> Vec<String> {
    // A task file named after its task stands for its folder; a bundle or Kaggle file for itself.
    let source = |path: &std::path::Path, id: &str| match path.file_stem().is_some_and(|s| s == id) {
        true => path.parent().unwrap_or(path).to_path_buf(),
        false => path.to_path_buf(),
    };
    let kept: HashMap<&str, &TaskRef> = task_list(db, project).iter().map(|r| (r.id.as_str(), r)).collect();
    let mut hidden: Vec<((std::path::PathBuf, std::path::PathBuf), Vec<&str>)> = Vec::new();
    for &file in project.task_files(db) {
        for (index, task) in tasks(db, file).tasks.iter().enumerate() {
            let Some(kept) = kept.get(task.id.as_str()).filter(|r| (r.file, r.index) != (file, index as u32)) else {
                continue;
            };
            let key = (source(file.path(db), &task.id), source(kept.file.path(db), &task.id));
            match hidden.iter_mut().find(|(k, _)| *k == key) {
                Some((_, ids)) => ids.push(&task.id),
                None => hidden.push((key, vec![&task.id])),
            }
        }
    }
    let listed = |ids: &[&str]| match ids.len() > 5 {
        true => format!("{}, …", ids[..5].join(", ")),
        false => ids.join(", "),
    };
    let plural = |n: usize| if n == 1 { "task" } else { "tasks" };
    hidden
        .iter()
        .map(|((here, kept), ids)| {
            format!(
                "{}: {} {} left out ({}): {} has tasks with the same ids, and the first one is kept",
                here.display(),
                ids.len(),
                plural(ids.len()),
                listed(ids),
                kept.display()
            )
        })
        .collect()
}

/// The scores of the programs in scope on one task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskScores {
    pub task: Arc<Task>,
    /// (index into [`programs`], its record: outcomes, differ scores and each differ's total), for every
    /// program in scope, in program order. Shared with the memory of scores ([`crate::cache::Memory`]).
    pub scores: Vec<(u32, Arc<Remembered>)>,
    /// Cache entries computed by this run (not found in the persistent cache), for the driver to store.
    pub fresh: Vec<(cache::Key, Scores)>,
    /// Differ scores computed by this run, encoded ([`PairScores::encode`]), for the driver to store (none
    /// when there is no cache).
    pub fresh_diffs: Vec<(cache::Key, Vec<u8>)>,
}

impl TaskScores {
    /// Differ `d`'s score of the program at entry `row` of `scores` (`None`: it produced no grid there, or
    /// diffs are off).
    pub fn diff(&self, row: usize, d: usize) -> Option<i64> {
        self.scores.get(row)?.1.totals.get(d).copied().flatten()
    }
}

/// What each enabled differ gives the expected grid of each pair of a task against itself: the score of a
/// solved pair. A query of its own, so that re-scoring a task (a new program in `batt watch`) does not
/// run the differs on the expected grids again.
#[salsa::tracked(returns(ref))]
pub fn perfect_scores(db: &dyn Db, project: Project, file: TaskFile, index: u32) -> Vec<Vec<Option<i64>>> {
    let differs = crate::diff::differs(db, project);
    let Some(task) = tasks(db, file).tasks.get(index as usize) else { return Vec::new() };
    if differs.is_empty() {
        return Vec::new();
    }
    let (demos, limits) = (task.demos(), project.limits(db));
    task.pairs()
        .map(|pair| match &pair.output {
            Some(expected) => differs.score_all(&demos, expected, expected, limits),
            None => Vec::new(),
        })
        .collect()
}

/// A program of a task that memory did not hold complete: its row, its outcomes and its differ scores, each
/// `None` until found or computed.
type Partial = (usize, Option<Arc<Scores>>, Option<PairScores>);

/// Stages 5 and 6, per task: every program in scope run on every pair of the task, and every enabled
/// differ run on each wrong grid. Programs found in memory (scored earlier by this process) or in the
/// persistent cache are not run (unless their differ scores are missing); the others run together as one
/// graph, shared subexpressions computed once per grid, and the differs score each wrong grid while it is
/// alive.
#[salsa::tracked(returns(clone))]
pub fn score(db: &dyn Db, project: Project, file: TaskFile, index: u32) -> Option<Arc<TaskScores>> {
    let task = tasks(db, file).tasks.get(index as usize)?.clone();
    let programs = programs(db, project);
    let differs = crate::diff::differs(db, project);
    let in_scope: Vec<u32> = match project.scope(db) {
        Scope::All => (0..programs.len() as u32).collect(),
        Scope::Own => {
            let own_name = format!("solve_{}", task.id);
            let names = program_names(db, project);
            (0..programs.len() as u32).filter(|&k| names[k as usize].contains(&own_name)).collect()
        }
    };
    let limits = project.limits(db);
    let hashes: Vec<&str> = in_scope.iter().map(|&k| programs[k as usize].hash.as_str()).collect();
    let scope = cache::task_scope(limits, &task.hash);
    let key = |i: usize| cache::key(scope, hashes[i]);
    // Differ scores are needed (and cached) only for programs with a wrong output.
    let has_fail = |s: &Scores| s.outcomes.contains(&Outcome::Fail);
    let wants_diffs = |s: Option<&Scores>| !differs.is_empty() && s.is_none_or(has_fail);
    // Memory first (whole records: outcomes, differ scores and totals), then the persistent cache. A rebuild
    // in `batt watch` finds all but the edited programs in memory, and shares their records.
    let mut records: Vec<Option<Arc<Remembered>>> = db
        .memory()
        .get_all(limits, &task.hash, &differs.key, &hashes)
        .into_iter()
        .map(|r| r.filter(|r| r.scored_diffs || !wants_diffs(Some(&r.scores))))
        .collect();
    // The rows memory did not hold complete: (row, outcomes, differ scores), each found or computed below.
    let mut partial: Vec<Partial> =
        (0..records.len()).filter(|&i| records[i].is_none()).map(|i| (i, None, None)).collect();
    if let Some(cache) = db.cache()
        && !partial.is_empty()
    {
        let keys: Vec<cache::Key> = partial.iter().map(|p| key(p.0)).collect();
        for (p, found) in partial.iter_mut().zip(cache.get_all(&keys)) {
            p.1 = found.map(Arc::new);
        }
        let diff_keys: Vec<Option<cache::Key>> = partial
            .iter()
            .map(|p| wants_diffs(p.1.as_deref()).then(|| cache::diff_key(key(p.0), &differs.key)))
            .collect();
        if diff_keys.iter().any(Option::is_some) {
            for (p, found) in partial.iter_mut().zip(cache.get_diffs(&diff_keys)) {
                p.2 = found;
            }
        }
    }
    let missing: Vec<usize> = (0..partial.len())
        .filter(|&m| partial[m].1.is_none() || (wants_diffs(partial[m].1.as_deref()) && partial[m].2.is_none()))
        .collect();
    let missing_hashes: Vec<&str> = missing.iter().map(|&m| hashes[partial[m].0]).collect();
    let graph = db.memory().graph(&missing_hashes, || {
        Graph::new(missing.iter().map(|&m| &*programs[in_scope[partial[m].0] as usize].program))
    });
    let demos = task.demos();
    let computed = if differs.is_empty() {
        crate::score::score_task(&graph, &task, limits).into_iter().map(|s| (s, Vec::new())).collect()
    } else {
        crate::score::score_task_with(&graph, &task, limits, |_, expected, produced| {
            differs.score_pair(&demos, expected, produced, limits)
        })
    };
    let mut fresh = Vec::new();
    let mut fresh_diffs = Vec::new();
    for (m, (result, judged)) in missing.into_iter().zip(computed) {
        let (i, scores, diffs) = &mut partial[m];
        if !differs.is_empty() && has_fail(&result) {
            let judged = PairScores { pairs: judged.into_iter().map(Option::unwrap_or_default).collect() };
            if db.cache().is_some() {
                fresh_diffs.push((cache::diff_key(key(*i), &differs.key), judged.encode()));
            }
            *diffs = Some(judged);
        }
        if scores.is_none() {
            fresh.push((key(*i), result.clone()));
            *scores = Some(Arc::new(result));
        }
    }
    // The new records, with each differ's total on the task, remembered for the next run.
    let perfect = perfect_scores(db, project, file, index);
    let mut learnt: Vec<(&str, Arc<Remembered>)> = Vec::new();
    for (i, scores, diffs) in partial {
        let Some(scores) = scores else { continue };
        let totals: Vec<Option<i64>> =
            (0..differs.list.len()).map(|d| PairScores::total(diffs.as_ref(), &scores.outcomes, perfect, d)).collect();
        let record = Arc::new(Remembered { scores, scored_diffs: diffs.is_some(), totals });
        learnt.push((hashes[i], record.clone()));
        records[i] = Some(record);
    }
    if !learnt.is_empty() {
        db.memory().put_all(limits, &task.hash, &differs.key, learnt);
    }
    let scores = in_scope.into_iter().zip(records).filter_map(|(k, r)| Some((k, r?))).collect();
    Some(Arc::new(TaskScores { task, scores, fresh, fresh_diffs }))
}

/// A diagnostic rendered as `path:line:col: CODE message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub rendered: String,
    pub is_error: bool,
}

/// Every diagnostic of `file`: syntax errors outside functions, then each function's checks.
pub fn diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Rendered> {
    let module = parse::parse(db, file);
    let mut out: Vec<Rendered> = module.errors.iter().map(|d| render(db, file, d)).collect();
    for index in 0..module.functions.len() as u32 {
        out.extend(diagnostics_of(db, file, index));
    }
    // Python keeps the last of two functions with one name; batt scores both, under that name.
    let mut first: HashMap<&str, batt_syntax::TextRange> = HashMap::new();
    for function in &module.functions {
        let name = &function.name;
        match first.get(name.text.as_str()) {
            Some(&earlier) => {
                let message = format!(
                    "`{}` is defined a second time: Python keeps only the last definition, batt scores both",
                    name.text
                );
                let warning = batt_syntax::Diagnostic::warning("W003", message, name.range)
                    .with_label(earlier, "first defined here");
                out.push(render(db, file, &warning));
            }
            None => {
                first.insert(&name.text, name.range);
            }
        }
    }
    out
}

/// The diagnostics of function `index` of `file`: syntax and validation, then inlining's (`I001`).
pub fn diagnostics_of(db: &dyn Db, file: SourceFile, index: u32) -> Vec<Rendered> {
    let validated = validate::validated(db, file, index);
    let inlined = crate::inline::inlined(db, file, index).as_ref().map_or(&[][..], |i| i.diagnostics());
    validated
        .diagnostics
        .iter()
        .chain(inlined)
        .map(|d| render(db, file, &parse::absolute(db, file, index, d)))
        .collect()
}

/// `path:line:col: CODE message`, with the file's memoized line index.
fn render(db: &dyn Db, file: SourceFile, diagnostic: &batt_syntax::Diagnostic) -> Rendered {
    let path = file.path(db).display().to_string();
    let rendered =
        batt_syntax::diagnostic::render_concise_with(&path, file.text(db), parse::line_index(db, file), diagnostic);
    Rendered { rendered, is_error: diagnostic.is_error() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::BattDb;

    #[test]
    fn a_function_defined_twice_is_warned_about_at_its_second_definition() {
        let db = BattDb::default();
        let function = |name: &str, body: &str| format!("def {name}(I):\n{body}    return O\n\n\n");
        let text = [("solve_a", ""), ("solve_b", ""), ("solve_a", "    O = vmirror(I)\n")]
            .map(|(name, body)| function(name, if body.is_empty() { "    O = I\n" } else { body }))
            .concat();
        let file = SourceFile::new(&db, "s.py".into(), text);
        let rendered: Vec<String> = diagnostics(&db, file).into_iter().map(|d| d.rendered).collect();
        let expected = "s.py:11:5: W003 `solve_a` is defined a second time: \
                        Python keeps only the last definition, batt scores both";
        assert_eq!(rendered, [expected]);
    }
}

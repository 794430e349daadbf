//! Project-wide queries: the solver list, the distinct programs, the task list and per-task scores.
//!
//! These tie the per-file stages together. Identity flows by content hash: two functions with the same
//! canonical hash are one program, evaluated once per pair, wherever and however often they appear.
//! Every list is sorted (programs by hash, tasks by id, solvers by file then line) so that outputs are
//! deterministic.

use std::collections::BTreeMap;
use std::sync::Arc;

use batt_runtime::eval::Program;

use crate::db::Db;
use crate::inputs::{Project, Scope, SourceFile, TaskFile};
use crate::score::{Graph, Scores};
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

/// The functions of every solver file, in file order then line order.
#[salsa::tracked(returns(ref))]
pub fn solvers(db: &dyn Db, project: Project) -> Vec<SolverEntry> {
    let mut out = Vec::new();
    for &file in project.solver_files(db) {
        let module = parse::parse(db, file);
        for (index, function) in module.functions.iter().enumerate() {
            let index = index as u32;
            let valid = !validate::validate(db, file, index).has_errors();
            out.push(SolverEntry {
                file,
                index,
                name: function.name.text.clone(),
                line: parse::line_of(db, file, function.range.start()),
                hash: if valid { inline::inline(db, file, index).as_ref().map(|i| i.hash.clone()) } else { None },
                is_differ: function.name.text.starts_with("differ"),
            });
        }
    }
    out
}

/// One distinct program: its hash, its runtime graph, and the names it goes by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramEntry {
    pub hash: String,
    pub program: Arc<Program>,
    /// The solver names with this hash, sorted.
    pub names: Vec<String>,
}

/// The distinct valid solver programs (differs excluded), sorted by hash.
#[salsa::tracked(returns(ref))]
pub fn programs(db: &dyn Db, project: Project) -> Vec<ProgramEntry> {
    let mut by_hash: BTreeMap<String, ProgramEntry> = BTreeMap::new();
    for entry in solvers(db, project).iter().filter(|e| !e.is_differ) {
        let Some(hash) = &entry.hash else { continue };
        let Some(program) = expand::program(db, entry.file, entry.index) else { continue };
        let slot = by_hash.entry(hash.clone()).or_insert_with(|| ProgramEntry {
            hash: hash.clone(),
            program: program.clone(),
            names: Vec::new(),
        });
        slot.names.push(entry.name.clone());
    }
    by_hash
        .into_values()
        .map(|mut p| {
            p.names.sort();
            p.names.dedup();
            p
        })
        .collect()
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
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("task");
    let loaded =
        crate::tasks::load_file(&path.display().to_string(), stem, file.text(db), file.solutions(db).as_deref());
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

/// The scores of the programs in scope on one task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskScores {
    pub task: Arc<Task>,
    /// (index into [`programs`], its scores), for every program in scope, in program order.
    pub scores: Vec<(u32, Scores)>,
}

/// Stage 5, per task: every program in scope run on every pair of the task, with shared subexpressions
/// computed once per grid.
#[salsa::tracked(returns(ref))]
pub fn score(db: &dyn Db, project: Project, file: TaskFile, index: u32) -> Option<TaskScores> {
    let task = tasks(db, file).tasks.get(index as usize)?.clone();
    let programs = programs(db, project);
    let own_name = format!("solve_{}", task.id);
    let in_scope: Vec<u32> = (0..programs.len() as u32)
        .filter(|&k| match project.scope(db) {
            Scope::All => true,
            Scope::Own => programs[k as usize].names.iter().any(|n| *n == own_name),
        })
        .collect();
    let graph = Graph::new(in_scope.iter().map(|&k| &*programs[k as usize].program));
    let scores = crate::score::score_task(&graph, &task, project.limits(db));
    Some(TaskScores { task, scores: in_scope.into_iter().zip(scores).collect() })
}

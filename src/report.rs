//! `report.json`: the contract other tools read.
//!
//! `{"tasks": {"<task_id>": {"samples": n, "solvers": [{"name", "hash", "matches"}…]}}}` lists, per task,
//! every solver that matched at least one pair, best first (then by name). batt adds `"solved"` per task
//! and a `"summary"` object; the keys above are never renamed or removed.

use std::collections::BTreeMap;

use serde::Serialize;

/// One solver's result on one task.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct SolverResult {
    pub name: String,
    pub hash: String,
    pub matches: usize,
}

/// One task's entry.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct TaskReport {
    pub samples: usize,
    /// Whether some solver matched every pair.
    pub solved: bool,
    pub solvers: Vec<SolverResult>,
}

/// Totals for the whole build.
#[derive(Serialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub tasks: usize,
    pub solvers: usize,
    pub programs: usize,
    pub invalid_solvers: usize,
    pub bad_tasks: usize,
    pub pairs_run: usize,
    pub tasks_solved: usize,
}

/// The whole report.
#[derive(Serialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub tasks: BTreeMap<String, TaskReport>,
    pub summary: Summary,
}

impl TaskReport {
    /// Sorts solvers best first, then by name, and sets `solved`.
    pub fn finish(&mut self) {
        self.solvers.sort_by(|a, b| b.matches.cmp(&a.matches).then_with(|| a.name.cmp(&b.name)));
        self.solved = self.solvers.first().is_some_and(|s| s.matches == self.samples);
    }
}

impl Report {
    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into());
        text.push('\n');
        text
    }
}

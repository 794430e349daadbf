//! `report.json`: the contract other tools read.
//!
//! `{"tasks": {"<task_id>": {"samples": n, "solvers": [{"name", "hash", "matches"}…]}}}` lists, per task,
//! every solver that matched at least one pair, best first (then by name). batt adds `"solved"` per task,
//! `"near_misses"` per task (the programs that do not solve it, ranked by a differ's score, best first:
//! `[{"name", "hash", "differ", "score"}…]`, at most `keep`) and a `"summary"` object; the keys above are
//! never renamed or removed.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// One solver's result on one task.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct SolverResult {
    pub name: String,
    pub hash: String,
    pub matches: usize,
}

/// A program that does not solve a task, with its score there by the ranking differ (see `batt_queries::diff`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    /// The first of its solver names (in scope).
    pub name: String,
    pub hash: String,
    /// The differ that ranked it.
    pub differ: String,
    /// That differ's score summed over the task's pairs (higher is closer).
    pub score: i64,
}

/// One task's entry.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct TaskReport {
    pub samples: usize,
    /// Whether some solver matched every pair.
    pub solved: bool,
    pub solvers: Vec<SolverResult>,
    /// Best first (then by hash); empty when diffs are off.
    #[serde(default)]
    pub near_misses: Vec<NearMiss>,
}

/// Totals for the whole build.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub tasks: usize,
    pub solvers: usize,
    pub programs: usize,
    pub invalid_solvers: usize,
    pub bad_tasks: usize,
    pub pairs_run: usize,
    pub tasks_solved: usize,
    /// Tasks with at least one near miss.
    #[serde(default)]
    pub tasks_with_near_misses: usize,
}

/// The whole report.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Shared with the assembled tasks that `batt watch` keeps from one build to the next.
    pub tasks: BTreeMap<String, Arc<TaskReport>>,
    pub summary: Summary,
}

impl TaskReport {
    /// Sorts solvers best first, then by name, and sets `solved`.
    pub fn finish(&mut self) {
        self.solvers.sort_by(|a, b| b.matches.cmp(&a.matches).then_with(|| a.name.cmp(&b.name)));
        self.solved = self.solvers.first().is_some_and(|s| s.matches == self.samples);
    }
}

#[cfg(test)]
impl Report {
    /// Pretty JSON with a trailing newline (the build assembles it from cached fragments instead).
    pub fn to_json(&self) -> String {
        let fragments: Vec<(&str, String)> = self.tasks.iter().map(|(id, t)| (id.as_str(), task_json(t))).collect();
        report_json(fragments.iter().map(|(id, json)| (*id, json.as_str())), &self.summary)
    }
}

/// One task's entry as [`report_json`] places it: pretty JSON, indented for its depth in the report.
pub fn task_json(task: &TaskReport) -> String {
    indent(&serde_json::to_string_pretty(task).unwrap_or_else(|_| "{}".into()), "    ")
}

/// The report's pretty JSON (what `serde_json::to_string_pretty` of the [`Report`] gives, and a trailing
/// newline) from each task's [`task_json`] in id order: a rebuild re-serializes only the tasks that changed.
pub fn report_json<'a>(tasks: impl Iterator<Item = (&'a str, &'a str)>, summary: &Summary) -> String {
    let mut text = String::from("{\n  \"tasks\": {");
    let mut any = false;
    for (id, json) in tasks {
        text.push_str(if any { ",\n    " } else { "\n    " });
        any = true;
        text.push_str(&serde_json::to_string(id).unwrap_or_default());
        text.push_str(": ");
        text.push_str(json);
    }
    text.push_str(if any { "\n  },\n  \"summary\": " } else { "},\n  \"summary\": " });
    text.push_str(&indent(&serde_json::to_string_pretty(summary).unwrap_or_else(|_| "{}".into()), "  "));
    text.push_str("\n}\n");
    text
}

/// `text` with `prefix` after each line break (JSON strings escape theirs, so only layout breaks count).
fn indent(text: &str, prefix: &str) -> String {
    text.replace('\n', &format!("\n{prefix}"))
}

/// How one task's best result differs between two builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskChange {
    pub task: String,
    /// Best pairs solved before and after (`None`: the task was not in that build).
    pub before: Option<usize>,
    pub after: Option<usize>,
    pub samples: usize,
    /// The best solver after the change (or before, if the task is gone).
    pub best: Option<SolverResult>,
}

impl TaskChange {
    /// Whether every pair is solved after and was not before.
    pub fn newly_solved(&self) -> bool {
        self.after == Some(self.samples) && self.before != Some(self.samples)
    }

    /// Whether every pair was solved before and is not after.
    pub fn newly_broken(&self) -> bool {
        self.before == Some(self.samples) && self.after != Some(self.samples)
    }
}

impl std::fmt::Display for TaskChange {
    /// `007bbfb7  2/3 → 3/3  solve_007bbfb7  (1311cab3…)`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = |m: Option<usize>| m.map_or("-".to_string(), |m| format!("{m}/{}", self.samples));
        write!(f, "{}  {} → {}", self.task, side(self.before), side(self.after))?;
        if let Some(best) = &self.best {
            write!(f, "  {}  ({}…)", best.name, &best.hash[..best.hash.len().min(8)])?;
        }
        Ok(())
    }
}

/// The tasks whose best result or best solver differs between `old` and `new`, by task id.
pub fn changes(old: &Report, new: &Report) -> Vec<TaskChange> {
    let best = |t: &Arc<TaskReport>| t.solvers.first().map_or(0, |s| s.matches);
    let mut ids: Vec<&String> = old.tasks.keys().chain(new.tasks.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let (a, b) = (old.tasks.get(id), new.tasks.get(id));
        if a.map(|t| (best(t), t.solvers.first())) == b.map(|t| (best(t), t.solvers.first())) {
            continue;
        }
        let samples = b.or(a).map_or(0, |t| t.samples);
        out.push(TaskChange {
            task: id.clone(),
            before: a.map(best),
            after: b.map(best),
            samples,
            best: b.or(a).and_then(|t| t.solvers.first().cloned()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task id, its pair count, and its solvers with their matches.
    type Entry<'a> = (&'a str, usize, &'a [(&'a str, usize)]);

    fn report(entries: &[Entry]) -> Report {
        let mut r = Report::default();
        for (id, samples, solvers) in entries {
            let mut t = TaskReport {
                samples: *samples,
                solved: false,
                solvers: solvers
                    .iter()
                    .map(|(n, m)| SolverResult { name: n.to_string(), hash: format!("{n}hash"), matches: *m })
                    .collect(),
                near_misses: Vec::new(),
            };
            t.finish();
            r.tasks.insert(id.to_string(), Arc::new(t));
        }
        r
    }

    #[test]
    fn the_json_is_what_serde_writes() {
        let mut r = report(&[("a\"b", 3, &[("solve_a", 2), ("x", 3)]), ("c", 1, &[])]);
        r.summary.tasks = 2;
        if let Some(t) = r.tasks.get_mut("c") {
            Arc::make_mut(t).near_misses.push(NearMiss {
                name: "n".into(),
                hash: "h".into(),
                differ: "cell_accuracy".into(),
                score: -3,
            });
        }
        let serde = |r: &Report| serde_json::to_string_pretty(r).ok().map(|t| t + "\n");
        assert_eq!(Some(r.to_json()), serde(&r));
        assert_eq!(Some(Report::default().to_json()), serde(&Report::default()));
    }

    #[test]
    fn changes_name_newly_solved_and_broken_tasks() {
        let old = report(&[("a", 3, &[("solve_a", 2)]), ("b", 2, &[("solve_b", 2)]), ("c", 1, &[])]);
        let new = report(&[("a", 3, &[("solve_a", 3)]), ("b", 2, &[("solve_b", 1)]), ("c", 1, &[])]);
        let got = changes(&old, &new);
        assert_eq!(got.len(), 2);
        assert!(got[0].newly_solved() && !got[0].newly_broken());
        assert_eq!(got[0].to_string(), "a  2/3 → 3/3  solve_a  (solve_ah…)");
        assert!(got[1].newly_broken());
        assert!(changes(&new, &new).is_empty());
    }
}

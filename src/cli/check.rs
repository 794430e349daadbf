//! `batt check PATH…`: static validation only, like a linter. Exit 1 when any error is found.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use batt_queries::db::BattDb;
use batt_queries::inputs::SourceFile;

use crate::project;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Solver files or directories.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print the diagnostics as a JSON array on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(_config: &Path, args: CheckArgs) -> Result<ExitCode> {
    let db = BattDb::default();
    let (mut paths, mut unlisted) = (Vec::new(), Vec::new());
    for path in &args.paths {
        paths.extend(project::walk(path, "py", &mut unlisted)?);
    }
    let (mut errors, mut warnings, mut json) = (0, 0, Vec::new());
    // One finding, as a line or as a JSON object.
    let emit = |json: &mut Vec<serde_json::Value>, text: &str, is_error: bool| match args.json {
        true => {
            json.push(serde_json::json!({ "diagnostic": text, "severity": if is_error { "error" } else { "warning" } }))
        }
        false => println!("{text}"),
    };
    // An entry that cannot be listed or a file that cannot be read (not UTF-8, say) is one error; the
    // other files are still checked.
    for e in &unlisted {
        errors += 1;
        emit(&mut json, &format!("{e:#}"), true);
    }
    for path in &paths {
        let text = match project::read(path) {
            Ok(text) => text,
            Err(e) => {
                errors += 1;
                emit(&mut json, &format!("{e:#}"), true);
                continue;
            }
        };
        let file = SourceFile::new(&db, path.clone(), text);
        for d in batt_queries::project::diagnostics(&db, file) {
            match d.is_error {
                true => errors += 1,
                false => warnings += 1,
            }
            emit(&mut json, &d.rendered, d.is_error);
        }
    }
    if args.json {
        println!("{}", serde_json::Value::Array(json));
    } else {
        eprintln!("batt: {} files checked: {errors} errors, {warnings} warnings", paths.len());
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

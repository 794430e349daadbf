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
    let (mut errors, mut warnings, mut json) = (unlisted.len(), 0, Vec::new());
    for e in &unlisted {
        if args.json {
            json.push(serde_json::json!({ "diagnostic": format!("{e:#}"), "severity": "error" }));
        } else {
            println!("{e:#}");
        }
    }
    for path in &paths {
        // A file that cannot be read (not UTF-8, say) is one error; the others are still checked.
        let text = match project::read(path) {
            Ok(text) => text,
            Err(e) => {
                errors += 1;
                match args.json {
                    true => json.push(serde_json::json!({ "diagnostic": format!("{e:#}"), "severity": "error" })),
                    false => println!("{e:#}"),
                }
                continue;
            }
        };
        let file = SourceFile::new(&db, path.clone(), text);
        for d in batt_queries::project::diagnostics(&db, file) {
            if d.is_error {
                errors += 1
            } else {
                warnings += 1
            }
            if args.json {
                json.push(serde_json::json!({ "diagnostic": d.rendered, "severity": if d.is_error { "error" } else { "warning" } }));
            } else {
                println!("{}", d.rendered);
            }
        }
    }
    if args.json {
        println!("{}", serde_json::Value::Array(json));
    } else {
        eprintln!("batt: {} files checked: {errors} errors, {warnings} warnings", paths.len());
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

//! `batt expand FILE[::FUNCTION]`: print a solver's canonical file (straight-line Python arc-dsl runs).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use batt_queries::db::BattDb;

use super::run::load_function;

#[derive(clap::Args, Debug)]
pub struct ExpandArgs {
    /// The solver: a file, optionally followed by `::FUNCTION`.
    pub target: String,
}

pub fn run(_config: &Path, args: ExpandArgs) -> Result<ExitCode> {
    let db = BattDb::default();
    let (file, index, _) = load_function(&db, &args.target, None)?;
    let Some(expanded) = batt_queries::expand::expanded(&db, file, index as u32) else {
        bail!("{}: no such function", args.target);
    };
    let errors = super::inline::print_diagnostics(&db, file, index as u32);
    print!("{}", expanded.text);
    Ok(if errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

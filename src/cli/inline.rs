//! `batt inline FILE[::FUNCTION]`: print a solver's canonical expression and its content hash.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use batt_queries::db::BattDb;

use super::run::load_function;

#[derive(clap::Args, Debug)]
pub struct InlineArgs {
    /// The solver: a file, optionally followed by `::FUNCTION`.
    pub target: String,
}

pub fn run(_config: &Path, args: InlineArgs) -> Result<ExitCode> {
    let db = BattDb::default();
    let (file, index, _) = load_function(&db, &args.target, None)?;
    let Some(inlined) = batt_queries::inline::inlined(&db, file, index as u32) else {
        bail!("{}: no such function", args.target);
    };
    println!("{}", inlined.canonical_text());
    println!("hash {}", inlined.hash());
    Ok(ExitCode::SUCCESS)
}

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
    let errors = print_diagnostics(&db, file, index as u32);
    // A term too large to print (`I001`) is hashed structurally; printing it would take all the memory.
    let len = inlined.printed_len(inlined.root());
    match len <= batt_queries::inline::MAX_CANONICAL_LEN {
        true => println!("{}", inlined.canonical_text()),
        false => println!("(the canonical expression would print as {len} bytes; `batt expand` prints it as SSA)"),
    }
    println!("hash {}", inlined.hash());
    Ok(if errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Prints the function's diagnostics on stderr; whether there is an error among them.
pub fn print_diagnostics(db: &BattDb, file: batt_queries::inputs::SourceFile, index: u32) -> bool {
    let mut errors = false;
    for diagnostic in batt_queries::project::diagnostics_of(db, file, index) {
        eprintln!("{}", diagnostic.rendered);
        errors |= diagnostic.is_error;
    }
    errors
}

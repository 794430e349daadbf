//! `batt`: an incremental build system for arc-dsl solver programs.
//!
//! This binary is the only layer that knows about the command line, terminals and exit codes; the work is
//! done by `batt-queries` (the stages) on `batt-runtime` (the DSL) and `batt-syntax` (the language).
//! Exit codes: 0 success, 1 diagnostics or failed runs were reported, 2 usage, configuration or I/O error.

mod cli;
mod config;
mod output;
mod pipeline;
mod progress;
mod project;
mod report;
mod watch_inputs;
mod watcher;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the runtime allocates many small short-lived values (tuples, sets); glibc's allocator
/// spent about 15 % of a build in malloc/free.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("batt: {e:#}");
            ExitCode::from(2)
        }
    }
}

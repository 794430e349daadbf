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

#[global_allocator]
static ALLOC: batt_runtime::alloc::Mimalloc = batt_runtime::alloc::Mimalloc;

/// `mi_option_purge_delay` of `mimalloc.h`, which the bindings do not name: the option between
/// `mi_option_eager_commit_delay` (14) and `mi_option_use_numa_nodes` (16).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Memory freed by one evaluation is reused by the next a moment later: handing it back to the system
    // after mimalloc's default 10 ms only to fault it in again, page by page, cost a cold build about half
    // a second of system time. Kept, it stays at the peak (about 280 MB for 400 solvers × 400 tasks).
    // SAFETY: `mi_option_set` stores a number in mimalloc's option table (an atomic store); -1 is a valid
    // `purge_delay` ("never"), and the option is only read when memory is purged.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("batt: {e:#}");
            ExitCode::from(2)
        }
    }
}

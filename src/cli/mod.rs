//! The command line: the flag grammar (clap) and one file per subcommand.

mod build;
mod check;
mod expand;
mod inline;
mod run;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::config::{Config, Overrides, Scope};

/// An incremental build system for arc-dsl solver programs.
#[derive(Parser, Debug)]
#[command(name = "batt", version, about)]
pub struct Args {
    /// The project configuration file.
    #[arg(long, global = true, default_value = "batt.toml")]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run one solver on one task and print each pair's outcome.
    Run(run::RunArgs),
    /// Evaluate solvers on tasks and write OUT/report.json.
    Build(build::BuildArgs),
    /// Print a solver's canonical expression and its content hash.
    Inline(inline::InlineArgs),
    /// Print a solver's canonical, expanded file.
    Expand(expand::ExpandArgs),
    /// Check solver files statically (exit 1 on any error).
    Check(check::CheckArgs),
    /// Build, then rebuild on every change to the solvers, tasks or batt.toml, printing what changed.
    Watch(watch::WatchArgs),
}

/// What to read and how to run it: the flags of every command that evaluates solvers on tasks.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputFlags {
    /// Task files or directories (repeatable; overrides batt.toml).
    #[arg(long = "tasks", value_name = "PATH")]
    pub tasks: Vec<PathBuf>,
    /// Solver files or directories (repeatable; overrides batt.toml).
    #[arg(long = "solvers", value_name = "PATH")]
    pub solvers: Vec<PathBuf>,
    /// Step budget of one run of one program on one grid.
    #[arg(long)]
    pub fuel: Option<u64>,
    /// Files or directories searched for `differ_*` functions, besides the solvers (repeatable;
    /// overrides batt.toml).
    #[arg(long = "differs", value_name = "PATH")]
    pub differs: Vec<PathBuf>,
    /// Skip the diff stage: no differ scores, no near misses.
    #[arg(long)]
    pub no_diff: bool,
}

/// Flags shared by the commands that build `out/` (`build`, `watch`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ProjectFlags {
    #[command(flatten)]
    pub inputs: InputFlags,
    /// Output directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// `all`: every solver on every task; `own`: solve_<id> only on task <id>.
    #[arg(long, value_enum)]
    pub scope: Option<Scope>,
    /// Threads that score (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
    /// Neither read nor write the persistent score cache (OUT/.batt/cache.redb).
    #[arg(long)]
    pub no_cache: bool,
    /// The differ near misses are ranked by (a built-in such as `cell_accuracy`, or a `differ_*` name).
    #[arg(long, value_name = "DIFFER")]
    pub rank_by: Option<String>,
}

impl ProjectFlags {
    /// The configuration: `batt.toml` with these flags laid over it.
    pub fn config(&self, path: &std::path::Path) -> Result<Config> {
        Config::load(
            path,
            Overrides {
                solvers: self.inputs.solvers.clone(),
                tasks: self.inputs.tasks.clone(),
                out: self.out.clone(),
                scope: self.scope,
                keep: None,
                fuel: self.inputs.fuel,
                differs: self.inputs.differs.clone(),
                no_diff: self.inputs.no_diff,
                rank_by: self.rank_by.clone(),
            },
        )
    }
}

/// Runs the subcommand.
pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Run(run_args) => run::run(&args.config, run_args),
        Command::Build(build_args) => build::run(&args.config, build_args),
        Command::Inline(a) => inline::run(&args.config, a),
        Command::Expand(a) => expand::run(&args.config, a),
        Command::Check(a) => check::run(&args.config, a),
        Command::Watch(a) => watch::run(&args.config, a),
    }
}

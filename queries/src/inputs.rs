//! The salsa inputs: everything batt reads from outside. Set by the driver (`batt build`, `batt watch`),
//! never by queries.
//!
//! - [`SourceFile`]: one solver or differ file; its text changes on every save (LOW durability).
//! - [`TaskFile`]: one file of ARC tasks (and a Kaggle challenges file's solutions); changes rarely.
//! - [`Project`]: the lists of files and the settings of `batt.toml`; changes when files appear or go, or
//!   when the configuration is edited.

use std::path::PathBuf;

use batt_runtime::Limits;

/// A solver (or differ) source file.
#[salsa::input(debug)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: PathBuf,
    #[returns(ref)]
    pub text: String,
}

/// A file of ARC tasks. `solutions` is the text of a Kaggle challenges file's sibling solutions file.
#[salsa::input(debug)]
pub struct TaskFile {
    #[returns(ref)]
    pub path: PathBuf,
    #[returns(ref)]
    pub text: String,
    #[returns(ref)]
    pub solutions: Option<String>,
}

/// Which (solver, task) combinations a build scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every solver on every task.
    All,
    /// `solve_<id>` only on task `<id>`.
    Own,
}

/// The whole project: its files and settings.
#[salsa::input(debug)]
pub struct Project {
    #[returns(ref)]
    pub solver_files: Vec<SourceFile>,
    #[returns(ref)]
    pub task_files: Vec<TaskFile>,
    #[returns(copy)]
    pub scope: Scope,
    #[returns(copy)]
    pub limits: Limits,
    /// Files read for their `differ_*` functions only (`differs` in `batt.toml`).
    #[returns(ref)]
    pub differ_files: Vec<SourceFile>,
    /// Whether the diff stage runs (differ scores of wrong outputs).
    #[returns(copy)]
    pub diff: bool,
}

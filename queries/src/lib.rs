//! The salsa database of batt: one query per stage, in pipeline order.
//!
//! - [`parse`]: a solver file's text → syntax tree (`batt-syntax`);
//! - [`inline`]: a function → one canonical expression and its xxh3-128 content hash, the solver's identity;
//! - [`validate`]: linter-style static checks with stable codes (`V…` errors, `W…` warnings);
//! - [`expand`]: the expression → canonical straight-line Python, and → the runtime's program graph;
//! - [`score`]: programs run on every pair of a task, shared subexpressions computed once per grid;
//! - [`diff`]: differs (built-in and `differ_*` functions) score each wrong grid against the expected one;
//! - [`project`]: the project-wide queries that tie the stages together per project;
//! - [`tasks`]: reading ARC tasks; [`cache`]: the persistent score cache; [`inputs`]: the salsa inputs.
//!
//! Each stage file holds the pure algorithm and the salsa query that caches it. Only this crate touches
//! salsa. The library never prints.

pub mod cache;
pub mod codes;
pub mod db;
pub mod diff;
pub mod expand;
pub mod inline;
pub mod inputs;
pub mod names;
pub mod parse;
pub mod project;
pub mod score;
pub mod tasks;
pub mod validate;

#[cfg(test)]
mod tests;

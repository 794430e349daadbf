//! The stages of batt after parsing, as plain functions over the syntax tree: [`inline`] (a solver to
//! one expression and its content hash), [`validate`] (linter-style checks with stable codes) and
//! [`expand`] (the expression back to canonical straight-line Python, or to the runtime's program
//! graph).
//!
//! Source code layout, in pipeline order:
//!
//! - [`inline`]: [`inline::inline`] → [`inline::Inlined`], the term arena and its [`inline::ContentHash`];
//! - [`validate`]: [`validate::validate`] → [`validate::Validated`], `V…` errors and `W…` warnings;
//! - [`expand`]: [`expand::expand`] → [`expand::Expanded`] text, and [`expand::lower`] → runtime program;
//! - [`names`]: the [`names::Names`] / [`names::Resolve`] traits and their runtime implementation;
//! - [`codes`]: the table of the `I`/`V`/`W` diagnostic codes.
//!
//! These functions are pure and know nothing of salsa, files or tasks; the salsa queries that cache them
//! wrap them one to one. The library never prints.

#![deny(missing_docs)]

pub mod codes;
pub mod expand;
pub mod inline;
pub mod names;
pub mod validate;

#[cfg(test)]
mod tests;

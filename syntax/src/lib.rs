//! The solver language of batt: arc-dsl's `solvers.py` subset of Python, as text → tokens → tree.
//!
//! A solver file is a list of top-level `def NAME(PARAMS):` functions whose bodies are `NAME = EXPR` and
//! `return EXPR` lines; an expression is a name, an integer, `True`/`False`/`None`, a tuple or a call
//! (whose callee may itself be a call: `rbind(shift, UP)(x)`). `from X import *` / `import X` lines,
//! comments and blank lines are accepted and skipped.
//!
//! Parsing never fails. [`parse`] returns a [`Module`] holding every function it could name and the
//! syntax errors; an error inside one function never stops the next `def` at column 0 from loading.
//!
//! ```text
//! def solve(I):            Def Name LParen Name RParen Colon Newline
//!     O = vmirror(I)       Name Equals Name LParen Name RParen Newline
//!     return O             Return Name Newline
//! ```
//!
//! Source code layout, in pipeline order:
//!
//! - [`text`]: byte offsets ([`TextSize`], [`TextRange`]) and the [`LineIndex`] that turns them into
//!   1-based `line:col` only when a diagnostic is rendered;
//! - [`lexer`]: text to tokens, never failing (unknown characters become `Unknown` tokens);
//! - [`parser`]: tokens to the tree, recursive descent with recovery;
//! - [`ast`]: the tree;
//! - [`diagnostic`]: [`Diagnostic`] with stable codes (`P001`…), and the concise renderer;
//! - [`printer`]: the tree back to normalized source text.
//!
//! Invariant: this crate knows nothing of salsa, files, tasks or the runtime; it has no dependencies.

#![deny(missing_docs)]

pub mod ast;
pub mod diagnostic;
pub mod lexer;
pub mod parser;
pub mod printer;
pub mod text;

pub use ast::{Expr, Function, Module, Name, Stmt};
pub use diagnostic::{Diagnostic, Label, Severity, render_concise};
pub use parser::parse;
pub use text::{LineCol, LineIndex, Ranged, TextRange, TextSize};

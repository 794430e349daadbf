//! The arc-dsl runtime: Python-semantics [`Value`]s, the 160 primitives ([`prims`]), callables
//! ([`func`]) and a fuel-bounded evaluator of program graphs ([`eval`]).
//!
//! Invariant: this crate knows nothing of salsa, files, tasks or terminals. It computes exactly what CPython
//! computes with arc-dsl, or the exception CPython would raise, or a `fuel`/`memory` outcome.

pub mod alloc;
pub mod ctx;
pub mod elements;
pub mod error;
pub mod eval;
pub mod func;
pub mod literal;
mod memo;
pub mod prims;
pub mod value;

pub use ctx::{Ctx, Limits};
pub use elements::Elements;
pub use error::{Error, ErrorKind, Result};
pub use func::{Func, LentArgs, call};
pub use prims::PrimId;
pub use value::{Grid, Kind, Value, py_gt, py_lt};

//! Run-time errors, classified by the Python exception CPython would raise, plus batt's own limits.
//!
//! Messages are short static strings on the hot path; a primitive fails with the *kind* CPython would
//! report (an `IndexError` from `grid[0]` on an empty tuple, a `StopIteration` from `next()` on an empty
//! container, …). [`ErrorKind::Fuel`] and [`ErrorKind::Memory`] are batt's bounds on run time and value size.

use std::fmt;

/// What went wrong, named after the Python exception (or batt limit) it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    TypeError,
    IndexError,
    ValueError,
    KeyError,
    StopIteration,
    ZeroDivisionError,
    RecursionError,
    /// A method the type lacks (`frozenset.count`, `rbind` of a non-function's `__code__`).
    AttributeError,
    /// `StopIteration` raised inside a generator body becomes this (PEP 479).
    RuntimeError,
    /// The step budget ran out (an endless or runaway program).
    Fuel,
    /// A value grew past the size cap (an upscale bomb, say), or an int left 64 bits.
    Memory,
}

impl ErrorKind {
    /// Every kind, in declaration order (`kind as usize` is its position here). The score cache stores
    /// outcomes by this position: reordering the kinds means a new `ENGINE_VERSION` there.
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::TypeError,
        ErrorKind::IndexError,
        ErrorKind::ValueError,
        ErrorKind::KeyError,
        ErrorKind::StopIteration,
        ErrorKind::ZeroDivisionError,
        ErrorKind::RecursionError,
        ErrorKind::AttributeError,
        ErrorKind::RuntimeError,
        ErrorKind::Fuel,
        ErrorKind::Memory,
    ];

    /// The Python exception name, or `fuel` / `memory`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::TypeError => "TypeError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::ValueError => "ValueError",
            ErrorKind::KeyError => "KeyError",
            ErrorKind::StopIteration => "StopIteration",
            ErrorKind::ZeroDivisionError => "ZeroDivisionError",
            ErrorKind::RecursionError => "RecursionError",
            ErrorKind::AttributeError => "AttributeError",
            ErrorKind::RuntimeError => "RuntimeError",
            ErrorKind::Fuel => "fuel",
            ErrorKind::Memory => "memory",
        }
    }
}

/// A run-time error: its kind and a short message, boxed so that a `Result<Value>` is two words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Error(Box<Details>);

/// What an [`Error`] says (read through it: `error.kind`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Details {
    pub kind: ErrorKind,
    pub message: &'static str,
}

impl std::ops::Deref for Error {
    type Target = Details;

    fn deref(&self) -> &Details {
        &self.0
    }
}

/// The result of running a primitive or a program.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: &'static str) -> Error {
        Error(Box::new(Details { kind, message }))
    }
    pub fn type_error(message: &'static str) -> Error {
        Error::new(ErrorKind::TypeError, message)
    }
    pub fn index_error(message: &'static str) -> Error {
        Error::new(ErrorKind::IndexError, message)
    }
    pub fn value_error(message: &'static str) -> Error {
        Error::new(ErrorKind::ValueError, message)
    }
    pub fn key_error(message: &'static str) -> Error {
        Error::new(ErrorKind::KeyError, message)
    }
    pub fn attribute_error(message: &'static str) -> Error {
        Error::new(ErrorKind::AttributeError, message)
    }
    pub fn stop_iteration() -> Error {
        Error::new(ErrorKind::StopIteration, "next() on an empty iterator")
    }
    pub fn zero_division() -> Error {
        Error::new(ErrorKind::ZeroDivisionError, "integer division or modulo by zero")
    }
    pub fn recursion() -> Error {
        Error::new(ErrorKind::RecursionError, "maximum recursion depth exceeded")
    }
    pub fn fuel() -> Error {
        Error::new(ErrorKind::Fuel, "step budget exhausted")
    }
    pub fn memory() -> Error {
        Error::new(ErrorKind::Memory, "value larger than the size cap")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_kind_at_its_own_position() {
        for (k, kind) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, k, "{}", kind.name());
        }
    }
}

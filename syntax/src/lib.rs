//! The solver language.

//! The salsa database of batt.

pub mod tasks;

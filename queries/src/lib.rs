//! The salsa database of batt.

pub mod cache;
pub mod score;
pub mod tasks;

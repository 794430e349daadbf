//! The salsa database of batt.

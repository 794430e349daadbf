//! Tests that span stages: property tests over generated solvers, checks against arc-dsl's own
//! `solvers.py` when a copy is on this machine, and the speed of inlining.

mod arc_dsl;
pub(crate) mod mock;
mod props;
mod tidy;

//! Tests that span stages: property tests over generated solvers, and checks against arc-dsl's own
//! `solvers.py` when a copy is on this machine.

mod arc_dsl;
pub(crate) mod mock;


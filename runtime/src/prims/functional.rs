//! FAMILY_DOC

use crate::prims::{prim, Primitive};

/// The functional primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
];

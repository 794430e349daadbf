//! FAMILY_DOC

use crate::prims::{prim, Primitive};

/// The grids primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
];

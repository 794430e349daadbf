//! FAMILY_DOC

use crate::prims::{prim, Primitive};

/// The sets primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
];

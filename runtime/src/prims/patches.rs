//! FAMILY_DOC

use crate::prims::{prim, Primitive};

/// The patches primitives, in `dsl.py` order.
#[rustfmt::skip]
pub(super) const TABLE: &[Primitive] = &[
];

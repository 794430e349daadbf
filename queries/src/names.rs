//! What names mean: the two small traits through which validation and lowering ask about primitives and
//! constants, and [`Runtime`], their implementation by the runtime's primitive table.
//!
//! Validation only needs arities and whether a name is a constant ([`Names`]); lowering needs values
//! ([`Resolve`]). Keeping them behind traits lets tests use a table of their own and keeps these stages
//! independent of how much of the runtime exists.

use batt_runtime::{Value, prims};

/// What validation needs to know about the names a solver may use.
pub trait Names {
    /// The number of parameters of primitive `name`, or `None` if it is not a primitive.
    fn primitive_arity(&self, name: &str) -> Option<usize>;

    /// Returns true if and only if `name` is a constant (`ZERO`, `UP`, `T` …).
    fn is_constant(&self, name: &str) -> bool;
}

/// What lowering needs: the value a name stands for.
pub trait Resolve {
    /// The value of primitive or constant `name`, or `None` if it is neither.
    fn resolve(&self, name: &str) -> Option<Value>;
}

/// The names of the runtime: its primitive table and its constants.
#[derive(Clone, Copy, Debug, Default)]
pub struct Runtime;

impl Names for Runtime {
    fn primitive_arity(&self, name: &str) -> Option<usize> {
        prims::lookup(name).map(|id| prims::get(id).arity)
    }

    fn is_constant(&self, name: &str) -> bool {
        prims::constant(name).is_some()
    }
}

impl Resolve for Runtime {
    fn resolve(&self, name: &str) -> Option<Value> {
        match prims::lookup(name) {
            Some(id) => Some(Value::Prim(id)),
            None => prims::constant(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_names() {
        // `identity` and `add` exist in every build of the runtime table.
        assert_eq!(Runtime.primitive_arity("identity"), Some(1));
        assert_eq!(Runtime.primitive_arity("add"), Some(2));
        assert_eq!(Runtime.primitive_arity("no_such_thing"), None);
        assert!(Runtime.is_constant("FIVE") && !Runtime.is_constant("add"));
        assert!(matches!(Runtime.resolve("identity"), Some(Value::Prim(_))));
        assert_eq!(Runtime.resolve("FIVE"), Some(Value::Int(5)));
        assert_eq!(Runtime.resolve("nope"), None);
    }
}

//! The 160 arc-dsl primitives and the constants, as one table.
//!
//! Each family file (`arith`, `sets`, `functional`, `patches`, `objects`, `grids`) ends with a `TABLE` of
//! [`Primitive`] rows, one per line: the Python name, the arity (`co_argcount`), the Rust function (wrapped
//! to charge each call's fuel) and a one-line doc of the Python meaning. [`all`] concatenates the families
//! in the order of `FAMILIES`; a [`PrimId`] is a row's index there. Primitives receive their arguments as a
//! slice whose length the dispatcher has checked against the arity, and a [`Ctx`] to charge fuel beyond
//! the call and the size of their result.

use std::sync::LazyLock;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::value::Value;

mod arith;
mod common;
mod functional;
mod grids;
mod objects;
mod patches;
mod sets;
#[cfg(test)]
pub(crate) mod testing;

/// The signature every primitive has: `args.len()` equals the declared arity.
pub type PrimFn = fn(&mut Ctx, &[Value]) -> Result<Value>;

/// One row of the primitive table.
#[derive(Clone, Copy)]
pub struct Primitive {
    /// The arc-dsl name.
    pub name: &'static str,
    /// The number of parameters of the Python function.
    pub arity: usize,
    /// The implementation, wrapped by [`prim!`] to charge [`CALL_COST`] plus the size of its result.
    pub f: PrimFn,
    /// One line: what the Python function computes.
    pub doc: &'static str,
}

/// A dense index into [`all`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrimId(pub u16);

/// One table row: `prim!(name, arity, "doc")` names the function `name` in the current module.
macro_rules! prim {
    ($name:ident, $arity:expr, $doc:expr) => {
        $crate::prims::Primitive {
            name: stringify!($name),
            arity: $arity,
            f: {
                // The function with the call's fuel charged where its result is made, so that a call
                // hands the result straight to its caller. It sits in a module named after the primitive,
                // so that profiles name it (`prims::sets::TABLE::sfilter::charged`).
                #[allow(non_snake_case)]
                mod $name {
                    pub fn charged(
                        ctx: &mut $crate::ctx::Ctx,
                        args: &[$crate::value::Value],
                    ) -> $crate::error::Result<$crate::value::Value> {
                        let out = super::$name(ctx, args);
                        if let Ok(value) = &out
                            && let Err(e) = ctx.charge($crate::prims::CALL_COST + value.weight())
                        {
                            return Err(e);
                        }
                        out
                    }
                }
                $name::charged
            },
            doc: $doc,
        }
    };
}
pub(crate) use prim;

/// The families, in the order their tables are concatenated.
const FAMILIES: &[&[Primitive]] =
    &[arith::TABLE, sets::TABLE, functional::TABLE, patches::TABLE, objects::TABLE, grids::TABLE];

/// How many primitives there are.
const COUNT: usize = {
    let mut n = 0;
    let mut f = 0;
    while f < FAMILIES.len() {
        n += FAMILIES[f].len();
        f += 1;
    }
    n
};

/// The families concatenated at compile time, so that a call indexes a plain array (no lazy
/// initialisation to check on the hot path).
static ALL: [Primitive; COUNT] = {
    let mut all = [arith::TABLE[0]; COUNT];
    let (mut f, mut k) = (0, 0);
    while f < FAMILIES.len() {
        let mut r = 0;
        while r < FAMILIES[f].len() {
            all[k] = FAMILIES[f][r];
            k += 1;
            r += 1;
        }
        f += 1;
    }
    all
};

/// Every primitive, indexed by [`PrimId`].
pub fn all() -> &'static [Primitive] {
    &ALL
}

/// The row of a primitive.
#[inline]
pub fn get(id: PrimId) -> &'static Primitive {
    &ALL[id.0 as usize]
}

/// The primitive called `name`, if there is one.
pub fn lookup(name: &str) -> Option<PrimId> {
    static BY_NAME: LazyLock<std::collections::HashMap<&'static str, PrimId>> =
        LazyLock::new(|| ALL.iter().enumerate().map(|(k, p)| (p.name, PrimId(k as u16))).collect());
    BY_NAME.get(name).copied()
}

/// Fuel for one primitive call, beyond the size of its result: a call costs about as much as building a few
/// dozen elements, so runaway programs of many tiny calls and programs building big values run out of fuel at
/// comparable wall times.
pub const CALL_COST: usize = 20;

/// Runs primitive `id` on `args` (whose length the caller has checked), charging [`CALL_COST`] plus the
/// size of the result.
#[inline]
pub fn apply(ctx: &mut Ctx, id: PrimId, args: &[Value]) -> Result<Value> {
    apply_row(ctx, get(id), args)
}

/// [`apply`] for a row already looked up.
#[inline]
pub fn apply_row(ctx: &mut Ctx, row: &Primitive, args: &[Value]) -> Result<Value> {
    debug_assert_eq!(row.arity, args.len());
    (row.f)(ctx, args)
}

/// The constants of arc-dsl's `constants.py`: name, value.
pub fn constants() -> &'static [(&'static str, Value)] {
    static CONSTANTS: LazyLock<Vec<(&'static str, Value)>> = LazyLock::new(|| {
        let p = Value::pair;
        vec![
            ("F", Value::Bool(false)),
            ("T", Value::Bool(true)),
            ("ZERO", Value::Int(0)),
            ("ONE", Value::Int(1)),
            ("TWO", Value::Int(2)),
            ("THREE", Value::Int(3)),
            ("FOUR", Value::Int(4)),
            ("FIVE", Value::Int(5)),
            ("SIX", Value::Int(6)),
            ("SEVEN", Value::Int(7)),
            ("EIGHT", Value::Int(8)),
            ("NINE", Value::Int(9)),
            ("TEN", Value::Int(10)),
            ("NEG_ONE", Value::Int(-1)),
            ("NEG_TWO", Value::Int(-2)),
            ("DOWN", p(1, 0)),
            ("RIGHT", p(0, 1)),
            ("UP", p(-1, 0)),
            ("LEFT", p(0, -1)),
            ("ORIGIN", p(0, 0)),
            ("UNITY", p(1, 1)),
            ("NEG_UNITY", p(-1, -1)),
            ("UP_RIGHT", p(-1, 1)),
            ("DOWN_LEFT", p(1, -1)),
            ("ZERO_BY_TWO", p(0, 2)),
            ("TWO_BY_ZERO", p(2, 0)),
            ("TWO_BY_TWO", p(2, 2)),
            ("THREE_BY_THREE", p(3, 3)),
        ]
    });
    &CONSTANTS
}

/// The value of constant `name`, if there is one.
pub fn constant(name: &str) -> Option<Value> {
    constants().iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
}

/// A `TypeError` for an argument of the wrong type.
pub(crate) fn bad_type() -> Error {
    Error::type_error("unsupported operand type")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// arc-dsl's 160 names, in `dsl.py` order.
    const REFERENCE: &str = "identity/1 add/2 subtract/2 multiply/2 divide/2 invert/1 even/1 double/1 halve/1 flip/1 equality/2 contained/2 combine/2 intersection/2 difference/2 dedupe/1 order/2 repeat/2 greater/2 size/1 merge/1 maximum/1 minimum/1 valmax/2 valmin/2 argmax/2 argmin/2 mostcommon/1 leastcommon/1 initset/1 both/2 either/2 increment/1 decrement/1 crement/1 sign/1 positive/1 toivec/1 tojvec/1 sfilter/2 mfilter/2 extract/2 totuple/1 first/1 last/1 insert/2 remove/2 other/2 interval/3 astuple/2 product/2 pair/2 branch/3 compose/2 chain/3 matcher/2 rbind/2 lbind/2 power/2 fork/3 apply/2 rapply/2 mapply/2 papply/3 mpapply/3 prapply/3 mostcolor/1 leastcolor/1 height/1 width/1 shape/1 portrait/1 colorcount/2 colorfilter/2 sizefilter/2 asindices/1 ofcolor/2 ulcorner/1 urcorner/1 llcorner/1 lrcorner/1 crop/3 toindices/1 recolor/2 shift/2 normalize/1 dneighbors/1 ineighbors/1 neighbors/1 objects/4 partition/1 fgpartition/1 uppermost/1 lowermost/1 leftmost/1 rightmost/1 square/1 vline/1 hline/1 hmatching/2 vmatching/2 manhattan/2 adjacent/2 bordering/2 centerofmass/1 palette/1 numcolors/1 color/1 toobject/2 asobject/1 rot90/1 rot180/1 rot270/1 hmirror/1 vmirror/1 dmirror/1 cmirror/1 fill/3 paint/2 underfill/3 underpaint/2 hupscale/2 vupscale/2 upscale/2 downscale/2 hconcat/2 vconcat/2 subgrid/2 hsplit/2 vsplit/2 cellwise/3 replace/3 switch/3 center/1 position/2 index/2 canvas/2 corners/1 connect/2 cover/2 trim/1 move/3 tophalf/1 bottomhalf/1 lefthalf/1 righthalf/1 vfrontier/1 hfrontier/1 backdrop/1 delta/1 gravitate/2 inbox/1 outbox/1 box/1 shoot/2 occurrences/2 frontiers/1 compress/1 hperiod/1 vperiod/1";

    #[test]
    fn table_matches_arc_dsl() {
        let mut expected: Vec<&str> = REFERENCE.split(' ').collect();
        let mut got: Vec<String> = all().iter().map(|p| format!("{}/{}", p.name, p.arity)).collect();
        expected.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, expected);
    }

    #[test]
    fn every_row_has_a_doc_line() {
        for p in all() {
            assert!(!p.doc.is_empty() && !p.doc.contains('\n'), "{}", p.name);
        }
    }

    #[test]
    fn constants_match_arc_dsl() {
        assert_eq!(constants().len(), 28);
        assert_eq!(constant("UP_RIGHT"), Some(Value::pair(-1, 1)));
        assert_eq!(constant("T"), Some(Value::Int(1)));
    }
}

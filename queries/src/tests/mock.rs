//! Stand-ins for the runtime's names in tests: [`ArcDsl`] knows arc-dsl's 160 primitives and 28
//! constants from their reference list (the runtime table may still be partial), and [`MockResolve`]
//! gives every primitive a distinct stand-in value, so lowering can be tested without the primitives.

use batt_runtime::{Value, prims};

use crate::names::{Names, Resolve};

/// arc-dsl's 160 primitives with their arities, in `dsl.py` order.
pub(crate) const REFERENCE: &str = "identity/1 add/2 subtract/2 multiply/2 divide/2 invert/1 even/1 double/1 halve/1 flip/1 equality/2 contained/2 combine/2 intersection/2 difference/2 dedupe/1 order/2 repeat/2 greater/2 size/1 merge/1 maximum/1 minimum/1 valmax/2 valmin/2 argmax/2 argmin/2 mostcommon/1 leastcommon/1 initset/1 both/2 either/2 increment/1 decrement/1 crement/1 sign/1 positive/1 toivec/1 tojvec/1 sfilter/2 mfilter/2 extract/2 totuple/1 first/1 last/1 insert/2 remove/2 other/2 interval/3 astuple/2 product/2 pair/2 branch/3 compose/2 chain/3 matcher/2 rbind/2 lbind/2 power/2 fork/3 apply/2 rapply/2 mapply/2 papply/3 mpapply/3 prapply/3 mostcolor/1 leastcolor/1 height/1 width/1 shape/1 portrait/1 colorcount/2 colorfilter/2 sizefilter/2 asindices/1 ofcolor/2 ulcorner/1 urcorner/1 llcorner/1 lrcorner/1 crop/3 toindices/1 recolor/2 shift/2 normalize/1 dneighbors/1 ineighbors/1 neighbors/1 objects/4 partition/1 fgpartition/1 uppermost/1 lowermost/1 leftmost/1 rightmost/1 square/1 vline/1 hline/1 hmatching/2 vmatching/2 manhattan/2 adjacent/2 bordering/2 centerofmass/1 palette/1 numcolors/1 color/1 toobject/2 asobject/1 rot90/1 rot180/1 rot270/1 hmirror/1 vmirror/1 dmirror/1 cmirror/1 fill/3 paint/2 underfill/3 underpaint/2 hupscale/2 vupscale/2 upscale/2 downscale/2 hconcat/2 vconcat/2 subgrid/2 hsplit/2 vsplit/2 cellwise/3 replace/3 switch/3 center/1 position/2 index/2 canvas/2 corners/1 connect/2 cover/2 trim/1 move/3 tophalf/1 bottomhalf/1 lefthalf/1 righthalf/1 vfrontier/1 hfrontier/1 backdrop/1 delta/1 gravitate/2 inbox/1 outbox/1 box/1 shoot/2 occurrences/2 frontiers/1 compress/1 hperiod/1 vperiod/1";

/// The primitives of [`REFERENCE`] as `(name, arity)`.
pub(crate) fn primitives() -> impl Iterator<Item = (&'static str, usize)> {
    REFERENCE.split(' ').filter_map(|entry| {
        let (name, arity) = entry.split_once('/')?;
        Some((name, arity.parse().ok()?))
    })
}

/// arc-dsl's names: the reference primitives and the runtime's constants.
pub(crate) struct ArcDsl;

impl Names for ArcDsl {
    fn primitive_arity(&self, name: &str) -> Option<usize> {
        primitives().find(|(n, _)| *n == name).map(|(_, arity)| arity)
    }

    fn is_constant(&self, name: &str) -> bool {
        prims::constant(name).is_some()
    }
}

/// Primitive `k` of [`REFERENCE`] resolves to the stand-in `Int(1000 + k)`; constants to their values.
pub(crate) struct MockResolve;

impl MockResolve {
    /// The value `name` resolves to (`None` for unknown names, to keep test code short).
    pub(crate) fn value(name: &str) -> Value {
        MockResolve.resolve(name).unwrap_or(Value::None)
    }
}

impl Resolve for MockResolve {
    fn resolve(&self, name: &str) -> Option<Value> {
        match primitives().position(|(n, _)| n == name) {
            Some(k) => Some(Value::Int(1000 + k as i64)),
            None => prims::constant(name),
        }
    }
}

#[test]
fn the_reference_has_160_primitives_and_agrees_with_the_runtime() {
    assert_eq!(primitives().count(), 160);
    // Whatever part of the runtime table exists must agree with the reference.
    for p in prims::all() {
        assert_eq!(ArcDsl.primitive_arity(p.name), Some(p.arity), "{}", p.name);
    }
}

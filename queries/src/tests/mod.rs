//! Tests that span stages: property tests over generated solvers, checks against arc-dsl's own
//! `solvers.py` when a copy is on this machine, and helpers the stages' own tests share.

mod arc_dsl;
pub(crate) mod mock;
mod props;
mod tidy;

/// The inlined form of the first function of `text`, which must parse without errors.
pub(crate) fn inline_text(text: &str) -> crate::inline::Inlined {
    let module = batt_syntax::parse(text);
    assert!(module.has_valid_syntax(), "{:?}", module.all_errors().collect::<Vec<_>>());
    crate::inline::inline(&module.functions[0])
}

//! Checks against arc-dsl's own `solvers.py` (400 solvers), when a copy is on this machine: it parses
//! without errors, validates with exactly the two known unused variables, and every solver survives the
//! expand/inline round trip. Skipped, with a printed reason, when the file is absent.

use std::collections::HashSet;

use batt_syntax::Module;

use crate::expand::{Role, expand};
use crate::inline::{ContentHash, inline};
use crate::tests::mock::ArcDsl;
use crate::validate::validate;

/// Where to look for `solvers.py`: `$ARC_DSL_SOLVERS`, then the usual checkout.
fn load() -> Option<(String, Module)> {
    let candidates = std::env::var("ARC_DSL_SOLVERS").into_iter().chain(["/work/arcdsl/solvers.py".to_string()]);
    for path in candidates {
        if let Ok(text) = std::fs::read_to_string(&path) {
            let module = batt_syntax::parse(&text);
            return Some((text, module));
        }
    }
    println!("skipped: arc-dsl's solvers.py not found (set ARC_DSL_SOLVERS to its path)");
    None
}

#[test]
fn solvers_py_parses_without_errors() {
    let Some((_, module)) = load() else { return };
    assert_eq!(module.functions.len(), 400);
    assert_eq!(module.all_errors().count(), 0);
}

#[test]
fn solvers_py_validates_with_two_unused_variables() {
    let Some((_, module)) = load() else { return };
    let mut found = Vec::new();
    for function in &module.functions {
        for diag in validate(function, &ArcDsl).diagnostics {
            found.push(format!("{} {} {}", function.name.text, diag.code, diag.message));
        }
    }
    assert_eq!(
        found,
        ["solve_a87f7484 W001 `x2` is assigned but never used", "solve_855e0971 W001 `x1` is assigned but never used"]
    );
}

#[test]
fn solvers_py_round_trips_through_expand() {
    let Some((_, module)) = load() else { return };
    let mut hashes = HashSet::new();
    for function in &module.functions {
        let inlined = inline(function);
        // The hash (printed with shared subterms copied) is the hash of the displayed text.
        assert_eq!(inlined.hash(), ContentHash::of_canonical_text(&inlined.canonical_text()));
        hashes.insert(inlined.hash());
        let expanded = expand(&inlined, Role::Solver);
        let reparsed = batt_syntax::parse(&expanded.text);
        assert!(reparsed.has_valid_syntax(), "{}", expanded.text);
        let again = inline(&reparsed.functions[0]);
        assert_eq!(again.hash(), inlined.hash(), "{}", function.name.text);
        assert_eq!(expand(&again, Role::Solver), expanded, "{}", function.name.text);
        assert!(validate(&reparsed.functions[0], &ArcDsl).diagnostics.is_empty(), "{}", expanded.text);
    }
    // Some tasks share a solver (`rot180(I)` solves two of them, for instance).
    println!("{} distinct solvers among {}", hashes.len(), module.functions.len());
    assert!(hashes.len() < 400 && hashes.len() > 350, "{} distinct", hashes.len());
}

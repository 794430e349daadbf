//! The diagnostic codes of the stages after parsing, one row per code (the parse codes `P…` live in
//! `batt_syntax::diagnostic::PARSE_CODES`). Stage letters: `I` inline, `V` validate (errors), `W`
//! validate (warnings). Codes are never reused; a retired code stays here.

use batt_syntax::Severity;
use batt_syntax::diagnostic::Code;

/// The codes of inlining and validation.
#[rustfmt::skip]
pub const CODES: &[Code] = &[
    Code { code: "I001", name: "inlined-too-large", severity: Severity::Warning, summary: "the inlined expression is too large to print; it is hashed structurally" },
    Code { code: "V001", name: "undefined-name", severity: Severity::Error, summary: "a name that is no parameter, variable, primitive or constant" },
    Code { code: "V002", name: "unknown-primitive", severity: Severity::Error, summary: "a call to a name that is no primitive, constant or variable" },
    Code { code: "V003", name: "wrong-arity", severity: Severity::Error, summary: "a primitive called directly with the wrong number of arguments" },
    Code { code: "V004", name: "reassigned-variable", severity: Severity::Error, summary: "a variable (or parameter) assigned a second time" },
    Code { code: "V005", name: "used-before-assignment", severity: Severity::Error, summary: "a variable used on a line before the line that assigns it" },
    Code { code: "V006", name: "missing-return", severity: Severity::Error, summary: "a function without `return`" },
    Code { code: "V007", name: "extra-return", severity: Severity::Error, summary: "a second `return`, or statements after the `return`" },
    Code { code: "V008", name: "bad-signature", severity: Severity::Error, summary: "parameters other than `(I)` or `(S, I, C)`" },
    Code { code: "V009", name: "computed-tuple", severity: Severity::Error, summary: "a tuple literal holding computed values (the runtime builds tuples only with primitives)" },
    Code { code: "W001", name: "unused-variable", severity: Severity::Warning, summary: "a variable assigned and never used" },
    Code { code: "W002", name: "duplicate-call", severity: Severity::Warning, summary: "the same call assigned to two variables" },
    Code { code: "W003", name: "redefined-function", severity: Severity::Warning, summary: "a second function of the same name in one file" },
];

/// The row of `code`, if it is one of [`CODES`].
pub fn code(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|row| row.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use batt_syntax::diagnostic::PARSE_CODES;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen_codes = std::collections::HashSet::new();
        let mut seen_names = std::collections::HashSet::new();
        for row in PARSE_CODES.iter().chain(CODES) {
            assert!(seen_codes.insert(row.code), "duplicate code {}", row.code);
            assert!(seen_names.insert(row.name), "duplicate name {}", row.name);
            assert_eq!(row.code.len(), 4);
            assert!(row.code[1..].bytes().all(|b| b.is_ascii_digit()));
            let expected =
                if row.code.starts_with('W') || row.code == "I001" { Severity::Warning } else { Severity::Error };
            assert_eq!(row.severity, expected, "{}", row.code);
        }
        assert_eq!(code("V003").map(|c| c.name), Some("wrong-arity"));
    }
}

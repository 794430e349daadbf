//! Diagnostics: a stable code, a severity, a message and a byte range, built once and rendered at the edge.
//!
//! A [`Diagnostic`] knows nothing about files or lines; [`render_concise`] turns it into the one-line
//! `path:line:col: CODE message` form with a [`LineIndex`]. The parse codes (`P…`) are listed in
//! [`PARSE_CODES`], one row per code; later stages keep their own tables of the same [`Code`] shape. Codes
//! are never reused: a retired code stays in its table.

use std::fmt;

use crate::text::{LineIndex, TextRange};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The solver cannot be used.
    Error,
    /// Worth fixing, but the solver still works.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place that explains a diagnostic ("first assigned here").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    /// Where.
    pub range: TextRange,
    /// What is there.
    pub message: String,
}

/// One finding about a source text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The stable code, such as `P003`.
    pub code: &'static str,
    /// Whether this makes the solver unusable.
    pub severity: Severity,
    /// A terse message a user understands.
    pub message: String,
    /// The primary place.
    pub range: TextRange,
    /// Secondary places, possibly none.
    pub labels: Vec<Label>,
}

impl Diagnostic {
    /// An error with no labels.
    pub fn error(code: &'static str, message: impl Into<String>, range: TextRange) -> Diagnostic {
        Diagnostic { code, severity: Severity::Error, message: message.into(), range, labels: Vec::new() }
    }

    /// A warning with no labels.
    pub fn warning(code: &'static str, message: impl Into<String>, range: TextRange) -> Diagnostic {
        Diagnostic { code, severity: Severity::Warning, message: message.into(), range, labels: Vec::new() }
    }

    /// This diagnostic with one more secondary label.
    #[must_use]
    pub fn with_label(mut self, range: TextRange, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { range, message: message.into() });
        self
    }

    /// Returns true if and only if this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One row of a code table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    /// The stable code: a stage letter and a number (`P001`).
    pub code: &'static str,
    /// A kebab-case name (`unknown-character`).
    pub name: &'static str,
    /// The severity every diagnostic with this code has.
    pub severity: Severity,
    /// One line: what it means.
    pub summary: &'static str,
}

/// The parse codes, one row per code.
#[rustfmt::skip]
pub const PARSE_CODES: &[Code] = &[
    Code { code: "P001", name: "unknown-character", severity: Severity::Error, summary: "a character that is not part of the solver language" },
    Code { code: "P002", name: "expected-expression", severity: Severity::Error, summary: "a name, number, tuple or call was expected" },
    Code { code: "P003", name: "unclosed-parenthesis", severity: Severity::Error, summary: "a call, tuple or parenthesis is not closed by `)`" },
    Code { code: "P004", name: "unexpected-indent", severity: Severity::Error, summary: "a line is indented more than the block it is in" },
    Code { code: "P005", name: "expected-token", severity: Severity::Error, summary: "a specific token (`(`, `:`, `=`, a name …) was expected" },
    Code { code: "P006", name: "expected-indented-block", severity: Severity::Error, summary: "a `def` line is not followed by an indented body" },
    Code { code: "P007", name: "inconsistent-dedent", severity: Severity::Error, summary: "a line is indented less than its block but not at column 0" },
    Code { code: "P008", name: "unexpected-top-level", severity: Severity::Error, summary: "something other than `def`, `import` or `from` at column 0" },
    Code { code: "P009", name: "unsupported-statement", severity: Severity::Error, summary: "a Python statement the solver language does not have (`if`, `for`, …)" },
    Code { code: "P010", name: "invalid-integer", severity: Severity::Error, summary: "an integer literal that is too large or has leading zeros" },
    Code { code: "P011", name: "unsupported-string", severity: Severity::Error, summary: "a string literal, which the solver language does not have" },
    Code { code: "P012", name: "nested-too-deeply", severity: Severity::Error, summary: "an expression nested more deeply than the parser allows" },
    Code { code: "P013", name: "unsupported-unary-minus", severity: Severity::Error, summary: "unary minus before something other than an integer literal" },
];

/// The row of parse code `code`, if there is one.
pub fn parse_code(code: &str) -> Option<&'static Code> {
    PARSE_CODES.iter().find(|row| row.code == code)
}

/// Renders `diag` as `path:line:col: CODE message` (line and column 1-based), building a line index of
/// `source`. When rendering many diagnostics of one file, build the [`LineIndex`] once and use
/// [`render_concise_with`].
pub fn render_concise(path: &str, source: &str, diag: &Diagnostic) -> String {
    render_concise_with(path, source, &LineIndex::new(source), diag)
}

/// Renders `diag` as `path:line:col: CODE message` with a prebuilt line index of `source`.
pub fn render_concise_with(path: &str, source: &str, index: &LineIndex, diag: &Diagnostic) -> String {
    let at = index.line_col(source, diag.range.start());
    format!("{path}:{at}: {} {}", diag.code, diag.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextSize;

    #[test]
    fn concise_rendering() {
        let source = "def f(I):\n    O = $\n";
        let diag = Diagnostic::error("P001", "unknown character `$`", TextRange::at(TextSize::new(18), 1));
        assert_eq!(render_concise("a.py", source, &diag), "a.py:2:9: P001 unknown character `$`");
    }

    #[test]
    fn code_table_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for (k, row) in PARSE_CODES.iter().enumerate() {
            assert_eq!(row.code, format!("P{:03}", k + 1), "codes are numbered in order");
            assert!(seen.insert(row.name), "duplicate name {}", row.name);
            assert!(row.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            assert!(!row.summary.is_empty());
        }
        assert_eq!(parse_code("P003").map(|c| c.name), Some("unclosed-parenthesis"));
    }
}

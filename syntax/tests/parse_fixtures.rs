//! Fixture tests: each `tests/fixtures/NAME.py` is parsed, and its functions (printed back) and syntax
//! errors (rendered concisely) must equal `NAME.expected`. Run with `BATT_UPDATE_FIXTURES=1` to rewrite
//! the expected files after a deliberate change, then review the diff.

use std::path::Path;

use batt_syntax::diagnostic::render_concise_with;
use batt_syntax::printer::print_function;
use batt_syntax::{LineIndex, parse};

fn render(name: &str, text: &str) -> String {
    let module = parse(text);
    let index = LineIndex::new(text);
    let mut out = String::new();
    for function in &module.functions {
        out.push_str(&format!("# {} ({} errors)\n", function.name.text, function.errors.len()));
        out.push_str(&print_function(function));
    }
    out.push_str("# errors\n");
    let mut errors: Vec<_> = module.all_errors().collect();
    errors.sort_by_key(|d| d.range.start());
    for diag in errors {
        out.push_str(&render_concise_with(name, text, &index, diag));
        out.push('\n');
    }
    out
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut entries: Vec<_> =
        std::fs::read_dir(&dir).expect("fixtures directory").flatten().map(|e| e.path()).collect();
    entries.sort();
    let update = std::env::var_os("BATT_UPDATE_FIXTURES").is_some();
    let mut checked = 0;
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "py")) {
        let text = std::fs::read_to_string(path).expect("readable fixture");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("fixture.py");
        let actual = render(name, &text);
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).expect("writable expected file");
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        assert_eq!(actual, expected, "{} differs from {}", name, expected_path.display());
        checked += 1;
    }
    assert!(checked > 0);
}

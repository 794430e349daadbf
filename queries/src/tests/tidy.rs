//! House rules checked as tests: every Rust file of `batt-syntax` and `batt-queries` opens with a `//!`
//! paragraph saying what it is.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_file_has_a_module_doc() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "examples", "tests", "../syntax/src", "../syntax/examples", "../syntax/tests"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 10, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(text.starts_with("//! "), "{} does not open with a `//!` paragraph", file.display());
    }
}

//! Derives the score cache's engine version from the sources that decide what a program computes: the
//! runtime (primitives, fuel, values) and the stages that lower, run and judge programs. Any edit there
//! gives cached outcomes a new key, so a cache never serves a result an older engine computed
//! (`src/cache.rs`, `ENGINE_VERSION`).

use std::path::{Path, PathBuf};

/// The files and folders hashed, relative to this crate.
const SOURCES: &[&str] = &["../runtime/src", "src/expand.rs", "src/names.rs", "src/score.rs", "src/diff.rs"];

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
        collect(&root.join(source), &mut files);
    }
    files.sort();
    // FNV-1a over each file's path (relative to the crate) and bytes: stable across machines and runs.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        eat(relative.to_string_lossy().as_bytes());
        eat(&std::fs::read(file).unwrap_or_default());
    }
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    println!("cargo:rustc-env=BATT_ENGINE_SOURCES={version}-{hash:016x}");
}

/// Every `.rs` file at or below `path`, leaving out hidden names and links (an editor's lock file such as
/// `.#eval.rs` is a dangling link), so that only the sources themselves make the version. A path that
/// does not exist (a packaged crate without its siblings) adds nothing; the package version stays in
/// the key for that case.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
    if hidden || path.is_symlink() {
        return;
    }
    if path.is_dir() {
        for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
            collect(&entry.path(), files);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        files.push(path.to_path_buf());
    }
}

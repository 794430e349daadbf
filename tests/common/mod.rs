//! Helpers shared by the end-to-end test files.

use std::path::{Path, PathBuf};

/// Every file and link below `dir` (the cache folder `.batt` aside): relative path → bytes or link target.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            if rel.starts_with(".batt") {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).ok();
            if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
                let target = std::fs::read_link(&path).unwrap_or_default();
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if meta.is_some_and(|m| m.is_dir()) {
                stack.push(path);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

//! The `out/` tree, written as a whole desired state and synchronised onto disk.
//!
//! A build computes every file and link `out/` should hold ([`Tree`]), then [`Tree::sync`] makes the disk
//! match: a file whose bytes are already right is not touched (so a no-op rebuild leaves `out/`
//! byte-identical, timestamps included); a changed file is written to a temporary name and renamed over
//! the old one (readers never see half a file, and a kill leaves either the old or the new version);
//! stale files, links and emptied folders under the managed subfolders are removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One entry of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A regular file with these bytes.
    File(Vec<u8>),
    /// A symbolic link with this (relative) target.
    Link(PathBuf),
}

/// The desired contents of `out/`, by path relative to it.
#[derive(Debug, Default)]
pub struct Tree {
    pub entries: BTreeMap<PathBuf, Entry>,
}

/// What a sync changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncStats {
    pub written: usize,
    pub removed: usize,
    pub unchanged: usize,
}

impl Tree {
    /// Adds a file.
    pub fn file(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.entries.insert(path.into(), Entry::File(bytes.into()));
    }

    /// Adds a symlink.
    pub fn link(&mut self, path: impl Into<PathBuf>, target: impl Into<PathBuf>) {
        self.entries.insert(path.into(), Entry::Link(target.into()));
    }

    /// Makes `root` match the tree. `managed` lists the subfolders whose undesired contents are removed.
    pub fn sync(&self, root: &Path, managed: &[&str]) -> Result<SyncStats> {
        let mut stats = SyncStats::default();
        for (rel, entry) in &self.entries {
            let path = root.join(rel);
            if current(&path).as_ref() == Some(entry) {
                stats.unchanged += 1;
                continue;
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            let tmp = path.with_file_name(format!(
                ".{}.tmp{}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("entry"),
                std::process::id()
            ));
            let _ = std::fs::remove_file(&tmp);
            match entry {
                Entry::File(bytes) => std::fs::write(&tmp, bytes),
                Entry::Link(target) => symlink(target, &tmp),
            }
            .with_context(|| format!("writing {}", tmp.display()))?;
            if path.is_dir() && !path.is_symlink() {
                std::fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
            }
            std::fs::rename(&tmp, &path).with_context(|| format!("renaming onto {}", path.display()))?;
            stats.written += 1;
        }
        for sub in managed {
            let dir = root.join(sub);
            if dir.is_dir() {
                stats.removed += self.prune(root, &dir)?;
            }
        }
        Ok(stats)
    }

    /// Removes what is under `dir` but not in the tree, then the folders that end up empty. Returns how
    /// many files and links it removed.
    fn prune(&self, root: &Path, dir: &Path) -> Result<usize> {
        let mut removed = 0;
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("listing {}", dir.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if path.is_dir() && !path.is_symlink() {
                removed += self.prune(root, &path)?;
                let empty = std::fs::read_dir(&path).map(|mut d| d.next().is_none()).unwrap_or(false);
                if empty {
                    std::fs::remove_dir(&path).with_context(|| format!("removing {}", path.display()))?;
                }
            } else if !self.entries.contains_key(&rel) {
                std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// What is at `path` now, as an entry (`None` when missing or a folder).
fn current(path: &Path) -> Option<Entry> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if meta.file_type().is_symlink() {
        std::fs::read_link(path).ok().map(Entry::Link)
    } else if meta.is_file() {
        std::fs::read(path).ok().map(Entry::File)
    } else {
        None
    }
}

#[cfg(unix)]
fn symlink(target: &Path, path: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, path)
}

#[cfg(not(unix))]
fn symlink(target: &Path, path: &Path) -> std::io::Result<()> {
    // Without symlinks, a copy of the link's text keeps the tree readable.
    std::fs::write(path, target.to_string_lossy().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncs_writes_nothing_twice_and_prunes() {
        let root = std::env::temp_dir().join(format!("batt-out-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let mut tree = Tree::default();
        tree.file("solvers/a.py", "A");
        tree.file("solvers/b.py", "B");
        tree.link("tasks/t/1-of-2/a.py", "../../../solvers/a.py");
        let first = tree.sync(&root, &["solvers", "tasks"]).ok();
        assert_eq!(first.map(|s| s.written), Some(3));
        assert_eq!(std::fs::read_to_string(root.join("tasks/t/1-of-2/a.py")).ok().as_deref(), Some("A"));
        let again = tree.sync(&root, &["solvers", "tasks"]).ok();
        assert_eq!(again, Some(SyncStats { written: 0, removed: 0, unchanged: 3 }));

        let mut smaller = Tree::default();
        smaller.file("solvers/a.py", "A2");
        let last = smaller.sync(&root, &["solvers", "tasks"]).ok();
        assert_eq!(last, Some(SyncStats { written: 1, removed: 2, unchanged: 0 }));
        assert!(!root.join("tasks/t").exists());
        std::fs::remove_dir_all(&root).ok();
    }
}

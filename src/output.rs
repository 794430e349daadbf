//! The `out/` tree, written as a whole desired state and synchronised onto disk.
//!
//! A build computes every file and link `out/` should hold ([`Tree`]), then [`Tree::sync`] makes the disk
//! match: a file whose bytes are already right is not touched (so a no-op rebuild leaves `out/`
//! byte-identical, timestamps included); a changed file is written to a temporary name and renamed over
//! the old one (readers never see half a file, and a kill leaves either the old or the new version);
//! stale files, links and emptied folders under the managed subfolders are removed (only what batt could
//! have written: links, files named by a content hash, temporaries; anything else someone put there stays).
//!
//! A process that syncs the same folder again (`batt watch`, after every change) remembers the tree it
//! synced last and trusts the disk to still hold it: entries that did not change are not read back, and
//! only the entries that left the tree are removed, instead of walking the whole folder. Files someone
//! else put under the managed subfolders meanwhile stay until the next `batt build` prunes them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::progress::Progress;

/// One entry of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A regular file with these bytes.
    File(Vec<u8>),
    /// A symbolic link with this (relative) target.
    Link(PathBuf),
}

/// The desired contents of `out/`, by path relative to it.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    /// By path relative to `out/`, `/`-separated (strings compare much faster than paths).
    pub entries: BTreeMap<String, Entry>,
}

/// What a sync changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncStats {
    pub written: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// The tree each folder was last synced to by this process, by the folder's path.
static SYNCED: Mutex<BTreeMap<PathBuf, BTreeMap<String, Entry>>> = Mutex::new(BTreeMap::new());

impl Tree {
    /// Adds a file.
    pub fn file(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.entries.insert(path.into(), Entry::File(bytes.into()));
    }

    /// Adds a symlink.
    pub fn link(&mut self, path: impl Into<String>, target: impl Into<PathBuf>) {
        self.entries.insert(path.into(), Entry::Link(target.into()));
    }

    /// Makes `root` match the tree. `managed` lists the subfolders whose undesired contents are removed.
    /// Entries are written on every core; which ones, and what they hold, does not depend on the order.
    /// `progress` counts the entries checked.
    pub fn sync(self, root: &Path, managed: &[&str], progress: &Progress) -> Result<SyncStats> {
        // Taken out while syncing: a sync that fails half-way leaves the next one to check everything.
        let last = SYNCED.lock().ok().and_then(|mut synced| synced.remove(root));
        // What differs from the last sync: both maps are sorted, so one walk over the two finds it.
        let mut check: Vec<(&String, &Entry)> = Vec::new();
        let mut departed: Vec<&String> = Vec::new();
        let mut unchanged = 0;
        match &last {
            None => check.extend(&self.entries),
            Some(last) => {
                let (mut new, mut old) = (self.entries.iter().peekable(), last.iter().peekable());
                loop {
                    match (new.peek(), old.peek()) {
                        (None, None) => break,
                        (Some(&n), None) => {
                            check.push(n);
                            new.next();
                        }
                        (None, Some(&(rel, _))) => {
                            departed.push(rel);
                            old.next();
                        }
                        (Some(&n), Some(&(rel, entry))) => match n.0.cmp(rel) {
                            std::cmp::Ordering::Less => {
                                check.push(n);
                                new.next();
                            }
                            std::cmp::Ordering::Greater => {
                                departed.push(rel);
                                old.next();
                            }
                            std::cmp::Ordering::Equal => {
                                if n.1 == entry {
                                    unchanged += 1;
                                } else {
                                    check.push(n);
                                }
                                new.next();
                                old.next();
                            }
                        },
                    }
                }
            }
        }
        progress.start_writing(check.len() as u64);
        // A first sync into a tree already there (a rebuild in a new process) mostly finds its links in
        // place: reading each first is one system call where trying to create it first is three.
        let expect_present = last.is_none() && managed.iter().any(|sub| root.join(sub).is_dir());
        let written: Vec<bool> = check
            .par_iter()
            .map(|(rel, entry)| {
                let wrote = put(root, rel, entry, expect_present);
                progress.inc();
                wrote
            })
            .collect::<Result<Vec<bool>>>()?;
        let written = written.iter().filter(|w| **w).count();
        let mut stats = SyncStats { written, removed: 0, unchanged: unchanged + check.len() - written };
        match &last {
            Some(_) => stats.removed += remove_departed(root, managed, &departed)?,
            None => {
                for sub in managed {
                    let dir = root.join(sub);
                    if dir.is_dir() {
                        stats.removed += self.prune(root, &dir)?.0;
                    }
                }
                stats.removed += remove_temporaries(root)?;
            }
        }
        if let Ok(mut synced) = SYNCED.lock() {
            synced.insert(root.to_path_buf(), self.entries);
        }
        Ok(stats)
    }

    /// Whether the tree has an entry at `path` (under `root`). Entries are keyed by `/`-separated
    /// relative paths; a name that is not UTF-8 is never one.
    fn holds(&self, root: &Path, path: &Path) -> bool {
        let rel = path.strip_prefix(root).unwrap_or(path).to_str().map(|r| r.replace('\\', "/"));
        rel.is_some_and(|rel| self.entries.contains_key(&rel))
    }

    /// Removes what is under `dir` but not in the tree, then the folders that end up empty. Returns how
    /// many files and links it removed, and how many entries `dir` still holds (a folder's own count
    /// says whether it ended up empty: listing it again was a third of the walk's system calls).
    fn prune(&self, root: &Path, dir: &Path) -> Result<(usize, usize)> {
        let (mut removed, mut kept) = (0, 0);
        // With each entry's type as the listing gives it (not following links): no `stat` per entry,
        // which made most of a no-op rebuild's time in `out/`.
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("listing {}", dir.display()))?
            .filter_map(|e| e.ok())
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
            .collect();
        entries.sort();
        for (path, is_dir) in entries {
            if is_dir {
                let (below, left) = self.prune(root, &path)?;
                removed += below;
                if left == 0 {
                    std::fs::remove_dir(&path).with_context(|| format!("removing {}", path.display()))?;
                } else {
                    kept += 1;
                }
            } else if !self.holds(root, &path) && could_be_ours(&path) {
                std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
                removed += 1;
            } else {
                kept += 1;
            }
        }
        Ok((removed, kept))
    }
}

/// Whether batt could have written the file or link at `path`: a link, a file named by a content hash
/// (`<32 hex digits>.py`), or a temporary (`.<name>.tmp<pid>`). Pruning removes nothing else, so a file
/// someone put in a managed folder stays.
fn could_be_ours(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let hashed = name.strip_suffix(".py").is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    let temporary =
        name.starts_with('.') && name.rsplit_once(".tmp").is_some_and(|(_, pid)| pid.parse::<u32>().is_ok());
    hashed || temporary || path.is_symlink()
}

/// Puts `entry` at `rel` under `root` unless it is there already; returns whether it wrote. A file is
/// written to a temporary name and renamed into place; a link is created directly where nothing is
/// (creating a link is atomic), and otherwise renamed into place the same way.
fn put(root: &Path, rel: &str, entry: &Entry, expect_present: bool) -> Result<bool> {
    let path = root.join(rel);
    if let Entry::Link(target) = entry {
        if expect_present && std::fs::read_link(&path).is_ok_and(|found| found == *target) {
            return Ok(false);
        }
        // A link where nothing is yet (the usual case in `batt watch` and in a first build) is one system
        // call.
        match symlink(target, &path) {
            Ok(()) => return Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                }
                if symlink(target, &path).is_ok() {
                    return Ok(true);
                }
            }
            Err(_) => {}
        }
    }
    if current(&path).as_ref() == Some(entry) {
        return Ok(false);
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
    Ok(true)
}

/// Removes the `departed` entries (relative paths the last sync wrote) that lie under the managed
/// subfolders, then the folders that leaves empty. Returns how many files and links it removed.
fn remove_departed(root: &Path, managed: &[&str], departed: &[&String]) -> Result<usize> {
    let mut removed = 0;
    for rel in departed {
        let Some(sub) = managed.iter().find(|sub| Path::new(rel.as_str()).starts_with(sub)) else { continue };
        let path = root.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        }
        let top = root.join(sub);
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| d.starts_with(&top) && *d != top) {
            if std::fs::remove_dir(d).is_err() {
                break; // not empty
            }
            dir = d.parent();
        }
    }
    Ok(removed)
}

/// Removes the temporary files a killed sync left in `root` itself (`.<name>.tmp<pid>` of a process that
/// is gone; those under the managed subfolders are pruned with the rest).
fn remove_temporaries(root: &Path) -> Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(root).with_context(|| format!("listing {}", root.display()))?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        // Another batt writing the same folder right now keeps its own.
        let pid = name.strip_prefix('.').and_then(|n| n.rsplit_once(".tmp")).map(|(_, pid)| pid);
        let is_temporary = pid.and_then(|pid| pid.parse::<u32>().ok()).is_some_and(|pid| !is_running(pid));
        if is_temporary && entry.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()) {
            std::fs::remove_file(entry.path()).with_context(|| format!("removing {}", entry.path().display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Whether process `pid` is this one or, where `/proc` tells, another one still running.
fn is_running(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
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

    /// Two content hashes, as batt names its solver files.
    const A: &str = "0123456789abcdef0123456789abcdef";
    const B: &str = "fedcba9876543210fedcba9876543210";

    /// Syncs `tree` onto `root`, managing `solvers/` and `tasks/`.
    fn sync_all(tree: Tree, root: &Path) -> Option<SyncStats> {
        tree.sync(root, &["solvers", "tasks"], &Progress::new(false)).ok()
    }

    /// A tree of the solver files of `A` and `B`.
    fn two_solvers() -> Tree {
        let mut tree = Tree::default();
        tree.file(format!("solvers/{A}.py"), "A");
        tree.file(format!("solvers/{B}.py"), "B");
        tree
    }

    /// A task link's target: the solver file of `hash`.
    fn solver_link(hash: &str) -> String {
        format!("../../../solvers/{hash}.py")
    }

    /// An empty folder of this test's own under the temporary directory.
    fn fresh_root(name: &str) -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("batt-out-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        root
    }

    #[test]
    fn syncs_writes_nothing_twice_and_prunes() {
        let root = fresh_root("twice");
        let mut tree = two_solvers();
        tree.link("tasks/t/1-of-2/a.py", solver_link(A));
        let first = sync_all(tree.clone(), &root);
        assert_eq!(first.map(|s| s.written), Some(3));
        assert_eq!(std::fs::read_to_string(root.join("tasks/t/1-of-2/a.py")).ok().as_deref(), Some("A"));
        let again = sync_all(tree, &root);
        assert_eq!(again, Some(SyncStats { written: 0, removed: 0, unchanged: 3 }));

        let mut smaller = Tree::default();
        smaller.file(format!("solvers/{A}.py"), "A2");
        let last = sync_all(smaller, &root);
        assert_eq!(last, Some(SyncStats { written: 1, removed: 2, unchanged: 0 }));
        assert!(!root.join("tasks/t").exists());
        std::fs::remove_dir_all(&root).ok();
    }

    #[test]
    fn a_first_sync_prunes_only_what_batt_could_have_written() {
        let root = fresh_root("prune");
        let mut tree = Tree::default();
        tree.file(format!("solvers/{A}.py"), "A");
        std::fs::create_dir_all(root.join("solvers/notes")).ok();
        std::fs::create_dir_all(root.join("solvers/old/older")).ok();
        for name in [format!("{B}.py"), "geometry.py".to_string(), "notes/todo.txt".to_string(), format!("old/{B}.py")]
        {
            std::fs::write(root.join("solvers").join(name), "x").ok();
        }
        let stats = tree.sync(&root, &["solvers"], &Progress::new(false)).ok();
        assert_eq!(stats, Some(SyncStats { written: 1, removed: 2, unchanged: 0 }));
        assert!(!root.join(format!("solvers/{B}.py")).exists());
        assert!(root.join("solvers/geometry.py").exists() && root.join("solvers/notes/todo.txt").exists());
        // A folder left with nothing (and the empty one inside it) goes; one still holding a file stays.
        assert!(!root.join("solvers/old").exists() && root.join("solvers/notes").is_dir());
        std::fs::remove_dir_all(&root).ok();
    }

    #[test]
    fn a_first_sync_removes_what_a_killed_one_left_half_written() {
        let root = fresh_root("killed");
        std::fs::create_dir_all(&root).ok();
        // A pid no process has (above the kernel's limit of 2^22).
        std::fs::write(root.join(".report.json.tmp4194305"), "half").ok();
        std::fs::write(root.join(".keep.tmp"), "not ours").ok();
        let mut tree = Tree::default();
        tree.file("report.json", "{}");
        let stats = tree.sync(&root, &["solvers"], &Progress::new(false)).ok();
        assert_eq!(stats, Some(SyncStats { written: 1, removed: 1, unchanged: 0 }));
        assert!(!root.join(".report.json.tmp4194305").exists() && root.join(".keep.tmp").exists());
        std::fs::remove_dir_all(&root).ok();
    }

    #[test]
    fn a_first_sync_over_an_earlier_tree_keeps_its_links_and_retargets_the_moved_one() {
        let root = fresh_root("reread");
        let mut tree = two_solvers();
        tree.link("tasks/t/1-of-2/x.py", solver_link(A));
        tree.link("tasks/u/2-of-2/x.py", solver_link(A));
        let first = sync_all(tree.clone(), &root);
        assert_eq!(first.map(|s| s.written), Some(4));
        // A new process: nothing remembered of the last sync, so every entry is read from the disk.
        SYNCED.lock().map(|mut synced| synced.remove(&root)).ok();
        tree.link("tasks/u/2-of-2/x.py", solver_link(B));
        let stats = sync_all(tree, &root);
        assert_eq!(stats, Some(SyncStats { written: 1, removed: 0, unchanged: 3 }));
        assert_eq!(std::fs::read_to_string(root.join("tasks/u/2-of-2/x.py")).ok().as_deref(), Some("B"));
        assert_eq!(std::fs::read_to_string(root.join("tasks/t/1-of-2/x.py")).ok().as_deref(), Some("A"));
        std::fs::remove_dir_all(&root).ok();
    }

    #[test]
    fn a_second_sync_removes_what_left_the_tree_and_trusts_the_rest() {
        let root = fresh_root("again");
        let mut tree = Tree::default();
        tree.file(format!("solvers/{A}.py"), "A");
        tree.link("tasks/t/1-of-2/a.py", solver_link(A));
        tree.link("tasks/u/2-of-2/a.py", solver_link(A));
        assert_eq!(sync_all(tree.clone(), &root).map(|s| s.written), Some(3));
        // Someone else's file: a first sync of the folder would prune it; a later one leaves it.
        std::fs::write(root.join("solvers/stray.py"), "S").ok();
        tree.entries.remove("tasks/u/2-of-2/a.py");
        let stats = sync_all(tree, &root);
        assert_eq!(stats, Some(SyncStats { written: 0, removed: 1, unchanged: 2 }));
        assert!(!root.join("tasks/u").exists() && root.join("tasks/t/1-of-2/a.py").exists());
        assert!(root.join("solvers/stray.py").exists());
        std::fs::remove_dir_all(&root).ok();
    }
}

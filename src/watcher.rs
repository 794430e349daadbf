//! Where `batt watch` learns that files changed: a `notify` watcher on the project's paths, a debouncer
//! that turns a burst of events into one batch, and the other messages the watch loop waits on (a rescan
//! asked on standard input, end of input, Ctrl-C).
//!
//! What is watched: every solver and task folder recursively; the folder of every solver or task path
//! that is a single file, and of `batt.toml` (watching a file itself would lose it to the first editor that
//! saves by writing a new file and renaming it over the old one); and the folder above each path, so
//! that a path deleted and created again is seen. Events are filtered by path (`*.py` below solver
//! paths, `*.json` below task paths, `batt.toml`; nothing below `out/`) and by kind (opening and reading
//! a file are not changes). A batch is what arrives until the file system has been quiet for a while, so
//! an editor's save (write in place, write then rename, delete then create) is one batch: [`SETTLE`] once
//! every file written is closed or renamed into place, [`QUIET`] while one may still be half-written or
//! deleted to be created again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::Config;
use crate::watch_inputs::{Changed, absolute};

/// How long the file system must stay quiet before a batch is taken while a file may be half-written
/// (created, written or deleted, and not yet closed after writing).
pub const QUIET: Duration = Duration::from_millis(20);

/// How long it must stay quiet once every file written has been closed (or renamed into place).
pub const SETTLE: Duration = Duration::from_millis(2);

/// The longest a batch gathers events under a steady stream of writes.
const MAX_GATHER: Duration = Duration::from_millis(500);

/// What the watch loop waits for.
#[derive(Debug)]
pub enum Msg {
    /// An event from the file-system watcher.
    Fs(notify::Result<notify::Event>),
    /// Re-read every file (a line on standard input, with `--rescan-on-stdin`).
    Rescan,
    /// Standard input was closed (with `--rescan-on-stdin`).
    Eof,
    /// Ctrl-C.
    Interrupt,
}

/// The next thing the watch loop must do.
#[derive(Debug)]
pub enum Next {
    /// Apply these changes.
    Batch(Batch),
    Eof,
    Interrupt,
    /// Nothing happened for the `idle` time given to [`next`].
    Idle,
}

/// One debounced batch of changes.
#[derive(Debug, Default)]
pub struct Batch {
    pub changed: Changed,
    /// `batt.toml` had an event.
    pub config: bool,
    /// A watched path itself had an event (it may have been deleted or created): watch again.
    pub rewatch: bool,
}

/// The absolute paths events are matched against.
#[derive(Debug, Clone)]
pub struct Roots {
    config: PathBuf,
    out: PathBuf,
    solvers: Vec<PathBuf>,
    tasks: Vec<PathBuf>,
    differs: Vec<PathBuf>,
    /// The roots that were folders when the watches were set up (and are watched recursively).
    folders: BTreeSet<PathBuf>,
}

impl Roots {
    pub fn new(config_path: &Path, config: &Config) -> Roots {
        let all = |paths: &[PathBuf]| paths.iter().map(|p| absolute(p)).collect();
        let (solvers, tasks): (Vec<PathBuf>, Vec<PathBuf>) = (all(&config.solvers), all(&config.tasks));
        let differs: Vec<PathBuf> = all(&config.differs);
        let folders = solvers.iter().chain(&tasks).chain(&differs).filter(|p| p.is_dir()).cloned().collect();
        Roots { config: absolute(config_path), out: absolute(&config.out), solvers, tasks, differs, folders }
    }

    /// Whether an event on `path` can change the project.
    fn relevant(&self, path: &Path) -> bool {
        if path == self.config {
            return true;
        }
        if path.starts_with(&self.out) {
            return false;
        }
        // A path without an extension may be a folder (created, removed or renamed with its files); so is
        // one that is a folder now, whatever its name (`v1.2/` moved in).
        let has = |ext: &str| path.extension().is_none_or(|e| e == ext) || path.is_dir();
        self.solvers.iter().chain(&self.differs).any(|root| path.starts_with(root) && has("py"))
            || self.tasks.iter().any(|root| path.starts_with(root) && has("json"))
            || self.tasks.iter().any(|root| crate::project::solutions_path(root).is_some_and(|s| path == s))
    }

    /// Whether an event on `path` means the watches must be set up again: `path` is one of the project's
    /// paths and is a folder, or was one (a folder's recursive watch does not survive its removal). A file
    /// path needs nothing: its folder is watched, whatever happens to the file.
    fn needs_rewatch(&self, path: &Path) -> bool {
        self.solvers.iter().chain(&self.tasks).chain(&self.differs).any(|root| root == path)
            && (self.folders.contains(path) || path.is_dir())
    }

    /// The folders to watch, and whether recursively.
    fn watches(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut recursive: BTreeSet<PathBuf> = BTreeSet::new();
        let mut flat: BTreeSet<PathBuf> = BTreeSet::new();
        for root in self.solvers.iter().chain(&self.tasks).chain(&self.differs) {
            if root.is_dir() {
                recursive.insert(root.clone());
            }
            if let Some(parent) = root.parent() {
                flat.insert(parent.to_path_buf());
            }
        }
        if let Some(parent) = self.config.parent() {
            flat.insert(parent.to_path_buf());
        }
        let mut out: Vec<_> = recursive.iter().map(|p| (p.clone(), RecursiveMode::Recursive)).collect();
        out.extend(flat.into_iter().filter(|p| !recursive.contains(p)).map(|p| (p, RecursiveMode::NonRecursive)));
        out
    }
}

/// Starts a watcher that sends its events to `tx`. A folder that cannot be watched (it does not exist)
/// is skipped; the others still are.
pub fn watch(roots: &Roots, tx: Sender<Msg>) -> notify::Result<RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(Msg::Fs(event));
    })?;
    for (path, mode) in roots.watches() {
        if path.is_dir() {
            watcher.watch(&path, mode)?;
        }
    }
    Ok(watcher)
}

/// Whether an event of this kind can mean new contents (opening or reading a file cannot).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Adds an event to `batch`; returns whether it was relevant. `open` tracks the paths that may still be
/// half-written (created, written to or removed, and not closed or renamed into place since).
fn add(batch: &mut Batch, open: &mut BTreeSet<PathBuf>, roots: &Roots, event: notify::Result<notify::Event>) -> bool {
    let event = match event {
        Ok(event) => event,
        Err(e) => {
            eprintln!("batt: watcher: {e}; rescanning");
            batch.changed.all = true;
            return true;
        }
    };
    if event.need_rescan() {
        batch.changed.all = true;
        return true;
    }
    if !is_change(&event.kind) {
        return false;
    }
    let mut relevant = false;
    for path in &event.paths {
        if !roots.relevant(path) {
            continue;
        }
        relevant = true;
        batch.config |= *path == roots.config;
        batch.rewatch |= roots.needs_rewatch(path);
        batch.changed.paths.insert(path.clone());
        match event.kind {
            EventKind::Access(_)
            | EventKind::Modify(ModifyKind::Name(_))
            | EventKind::Modify(ModifyKind::Metadata(_)) => {
                open.remove(path);
            }
            _ => {
                open.insert(path.clone());
            }
        }
    }
    relevant
}

/// Waits for the next relevant message, then gathers events until the file system is quiet. With
/// `idle`, gives up waiting after that long without a relevant message: [`Next::Idle`].
pub fn next(rx: &Receiver<Msg>, roots: &Roots, idle: Option<Duration>) -> Next {
    let mut batch = Batch::default();
    let mut open = BTreeSet::new();
    let waiting = Instant::now();
    loop {
        let msg = match idle {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(idle) => rx.recv_timeout(idle.saturating_sub(waiting.elapsed())),
        };
        match msg {
            Err(RecvTimeoutError::Timeout) => return Next::Idle,
            Err(RecvTimeoutError::Disconnected) | Ok(Msg::Eof) => return Next::Eof,
            Ok(Msg::Interrupt) => return Next::Interrupt,
            Ok(Msg::Rescan) => return Next::Batch(Batch { changed: Changed::all(), config: true, rewatch: false }),
            Ok(Msg::Fs(event)) => {
                if add(&mut batch, &mut open, roots, event) {
                    break;
                }
            }
        }
    }
    let start = Instant::now();
    let mut quiet_since = Instant::now();
    loop {
        let quiet = if open.is_empty() { SETTLE } else { QUIET };
        let left = quiet.saturating_sub(quiet_since.elapsed()).min(MAX_GATHER.saturating_sub(start.elapsed()));
        if left.is_zero() {
            return Next::Batch(batch);
        }
        match rx.recv_timeout(left) {
            Err(RecvTimeoutError::Timeout) => return Next::Batch(batch),
            Err(RecvTimeoutError::Disconnected) | Ok(Msg::Eof) => return Next::Eof,
            Ok(Msg::Interrupt) => return Next::Interrupt,
            Ok(Msg::Rescan) => batch.changed.all = true,
            Ok(Msg::Fs(event)) => {
                if add(&mut batch, &mut open, roots, event) {
                    quiet_since = Instant::now();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    fn roots() -> Roots {
        let dir = std::env::temp_dir().join("batt-roots");
        let config = Config::load(
            &dir.join("batt.toml"),
            Overrides {
                solvers: vec![dir.join("solvers"), dir.join("extra.py")],
                tasks: vec![dir.join("tasks"), dir.join("k_challenges.json")],
                out: Some(dir.join("out")),
                ..Overrides::default()
            },
        );
        let Ok(config) = config else { panic!("config") };
        Roots::new(&dir.join("batt.toml"), &config)
    }

    #[test]
    fn events_are_filtered_by_path() {
        let r = roots();
        let dir = std::env::temp_dir().join("batt-roots");
        for (path, expected) in [
            ("batt.toml", true),
            ("solvers/a.py", true),
            ("solvers/sub", true),
            ("solvers/.a.py.swp", false),
            ("extra.py", true),
            ("other.py", false),
            ("tasks/t.json", true),
            ("tasks/t.txt", false),
            ("k_challenges.json", true),
            ("k_solutions.json", true),
            ("out/report.json", false),
        ] {
            assert_eq!(r.relevant(&dir.join(path)), expected, "{path}");
        }
        let folder = dir.join("solvers/v1.2");
        assert!(!r.relevant(&folder));
        std::fs::create_dir_all(&folder).ok();
        assert!(r.relevant(&folder));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_burst_is_one_batch_and_reads_are_not_changes() {
        let r = roots();
        let dir = std::env::temp_dir().join("batt-roots");
        let (tx, rx) = std::sync::mpsc::channel();
        let event = |kind, path: &str| Msg::Fs(Ok(notify::Event::new(kind).add_path(dir.join(path))));
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        let modify = EventKind::Modify(notify::event::ModifyKind::Any);
        for msg in [event(open, "solvers/a.py"), event(modify, "solvers/a.py"), event(modify, "tasks/t.json")] {
            let _ = tx.send(msg);
        }
        let Next::Batch(batch) = next(&rx, &r, None) else { panic!("no batch") };
        let paths: Vec<_> = batch.changed.paths.iter().cloned().collect();
        assert_eq!(paths, vec![dir.join("solvers/a.py"), dir.join("tasks/t.json")]);
        assert!(!batch.config && !batch.rewatch);
        // Ctrl-C while a batch gathers drops the batch.
        let _ = tx.send(event(modify, "solvers/a.py"));
        let _ = tx.send(Msg::Interrupt);
        assert!(matches!(next(&rx, &r, None), Next::Interrupt));
        assert!(matches!(next(&rx, &r, Some(Duration::from_millis(5))), Next::Idle));
    }

    #[test]
    fn a_file_is_settled_once_closed_or_renamed_into_place() {
        let r = roots();
        let dir = std::env::temp_dir().join("batt-roots");
        let (mut batch, mut open) = (Batch::default(), BTreeSet::new());
        let mut event = |kind, path: &str| {
            add(&mut batch, &mut open, &r, Ok(notify::Event::new(kind).add_path(dir.join(path))));
            open.len()
        };
        let create = EventKind::Create(notify::event::CreateKind::File);
        let write = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let removed = EventKind::Remove(notify::event::RemoveKind::File);
        let renamed = EventKind::Modify(ModifyKind::Name(notify::event::RenameMode::To));
        // Deleted, created again, written, closed.
        assert_eq!(event(removed, "solvers/a.py"), 1);
        assert_eq!(event(create, "solvers/a.py"), 1);
        assert_eq!(event(write, "solvers/a.py"), 1);
        assert_eq!(event(close, "solvers/a.py"), 0);
        // Written to a temporary file (not watched), renamed into place.
        assert_eq!(event(create, "solvers/.a.py.tmp"), 0);
        assert_eq!(event(renamed, "solvers/a.py"), 0);
    }

    #[test]
    fn only_a_folder_root_is_watched_again() {
        let dir = std::env::temp_dir().join(format!("batt-rewatch-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("solvers")).ok();
        std::fs::write(dir.join("one.py"), "").ok();
        let config = Config::load(
            &dir.join("batt.toml"),
            Overrides { solvers: vec![dir.join("solvers"), dir.join("one.py")], ..Overrides::default() },
        );
        let Ok(config) = config else { panic!("config") };
        let r = Roots::new(&dir.join("batt.toml"), &config);
        // Saving a solver file given by name: its folder's watch sees it; nothing to set up again.
        assert!(!r.needs_rewatch(&dir.join("one.py")));
        assert!(!r.needs_rewatch(&dir.join("solvers/a.py")));
        // The solver folder itself (removed, created again): its recursive watch must be set up again.
        assert!(r.needs_rewatch(&dir.join("solvers")));
        std::fs::remove_dir_all(dir.join("solvers")).ok();
        assert!(r.needs_rewatch(&dir.join("solvers")));
        std::fs::remove_dir_all(&dir).ok();
    }
}

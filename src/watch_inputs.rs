//! What `batt watch` changes in a [`Session`] between two builds: file texts set on their existing salsa
//! inputs, files that appeared or went added to or removed from the project's lists, and `batt.toml` laid
//! over the project's settings.
//!
//! Nothing is rebuilt here and nothing is written: the next [`Session::build`] re-runs only the queries
//! whose inputs changed. A write that leaves a file's text as it was sets nothing (salsa setters never
//! compare values, so every set would start a new revision).
//!
//! **Last good text.** When a solver file that parsed cleanly is saved with syntax errors (an edit
//! half-way through), its input keeps the last text that parsed, so the tasks its functions solve keep
//! their results and `out/` stays as the last good build left it; the syntax errors are reported from the
//! text on disk ([`WatchInputs::held_messages`]). The text on disk is parsed once, by the build's own parse
//! query: only when it turns out broken is the last text set back. The first save that parses again (or the file's removal)
//! ends the hold. A file that has had syntax errors since it appeared is built as it is: it has no good text.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use batt_queries::inputs::{Project, Scope, SourceFile, TaskFile};
use salsa::Setter;

use crate::config::{self, Config};
use crate::pipeline::Session;
use crate::project;

/// Which files may have changed since the last build.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Re-read every file.
    pub all: bool,
    /// Absolute paths of the files and folders that had events: the files at or below them are re-read.
    pub paths: BTreeSet<PathBuf>,
}

impl Changed {
    /// Every file.
    pub fn all() -> Changed {
        Changed { all: true, paths: BTreeSet::new() }
    }

    /// Whether `path`, or a folder above it, had an event.
    pub fn touches(&self, path: &Path) -> bool {
        self.all || absolute(path).ancestors().any(|a| self.paths.contains(a))
    }
}

/// `path` made absolute against the current directory, without resolving links (events name paths the
/// way the watched roots were given).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Every input `batt watch` has created, by path (inputs cannot be deleted: a file that goes and comes
/// back gets its old input again), and the files held at their last good text.
#[derive(Debug, Default)]
pub struct WatchInputs {
    solvers: HashMap<PathBuf, SourceFile>,
    tasks: HashMap<PathBuf, TaskFile>,
    /// Files read for their differs only.
    differs: HashMap<PathBuf, SourceFile>,
    /// The entries the last listing could not read (dangling links, link loops): reported when they change.
    skipped: Vec<String>,
    /// Solver files held at their last good text: the syntax errors of the text on disk, rendered.
    held: BTreeMap<PathBuf, Vec<String>>,
}

impl WatchInputs {
    /// The syntax errors of the files held at their last good text, by path.
    pub fn held_messages(&self) -> Vec<String> {
        self.held.values().flatten().cloned().collect()
    }
}

/// What applying a batch of changes did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Whether some input changed: the next build differs from the last.
    pub inputs: bool,
    /// Whether the set of held files or their errors changed (diagnostics to print, no build needed).
    pub held: bool,
    /// Files that started being held at their last good text in this batch.
    pub newly_held: Vec<PathBuf>,
    /// Paths that could not be listed or read: left out of the project until they can be.
    pub errors: Vec<String>,
}

/// How a new configuration differs from the session's.
#[derive(Debug, PartialEq, Eq)]
pub enum Reconfigured {
    /// Nothing the session uses changed.
    Same,
    /// Settings were set on the project; `paths` when the solver or task paths changed (rescan them).
    Updated { paths: bool },
    /// The output folder changed: the session (whose cache lives there) must be opened again.
    Reopen,
}

impl Session {
    /// The inputs of the project as loaded by [`Session::open`], by path.
    pub fn watch_inputs(&self) -> WatchInputs {
        let db = &self.db;
        WatchInputs {
            solvers: self.project.solver_files(db).iter().map(|&f| (f.path(db).clone(), f)).collect(),
            tasks: self.project.task_files(db).iter().map(|&f| (f.path(db).clone(), f)).collect(),
            differs: self.project.differ_files(db).iter().map(|&f| (f.path(db).clone(), f)).collect(),
            skipped: Vec::new(),
            held: BTreeMap::new(),
        }
    }

    /// Lists the project's files again and feeds into the database the texts of those `changed` touches,
    /// the files that appeared, and the removal of those that went.
    pub fn apply_changes(&mut self, inputs: &mut WatchInputs, changed: &Changed) -> Applied {
        let mut applied = Applied::default();
        let (files, errors) = project::discover_present(&self.config);
        applied.errors.extend(errors.iter().map(|e| format!("{e:#}")));
        let skipped: Vec<String> = files.skipped.iter().map(|e| format!("{e:#}")).collect();
        if skipped != inputs.skipped {
            applied.errors.extend(skipped.iter().cloned());
            inputs.skipped = skipped;
        }
        self.apply_solvers(inputs, &files.solvers, changed, &mut applied);
        self.apply_tasks(inputs, &files.tasks, changed, &mut applied);
        self.apply_differs(inputs, &files.differs, changed, &mut applied);
        applied
    }

    /// Differ files: read again when touched, adopted when new, dropped when gone. (A syntax error in one
    /// is not held back as in a solver file: the differs it breaks are reported and left out.)
    fn apply_differs(&mut self, inputs: &mut WatchInputs, paths: &[PathBuf], changed: &Changed, applied: &mut Applied) {
        let project = self.project;
        let mut list = Vec::with_capacity(paths.len());
        for path in paths {
            let known = inputs.differs.get(path).copied();
            if let Some(file) = known
                && !changed.touches(path)
            {
                list.push(file);
                continue;
            }
            let Some(text) = read_reporting(path, applied) else { continue };
            match known {
                Some(file) => {
                    if *file.text(&self.db) != text {
                        file.set_text(&mut self.db).to(text);
                        applied.inputs = true;
                    }
                    list.push(file);
                }
                None => {
                    let file = SourceFile::new(&self.db, path.clone(), text);
                    inputs.differs.insert(path.clone(), file);
                    list.push(file);
                }
            }
        }
        if *project.differ_files(&self.db) != list {
            project.set_differ_files(&mut self.db).to(list);
            applied.inputs = true;
        }
    }

    fn apply_solvers(&mut self, inputs: &mut WatchInputs, paths: &[PathBuf], changed: &Changed, applied: &mut Applied) {
        let project = self.project;
        let listed: HashSet<SourceFile> = project.solver_files(&self.db).iter().copied().collect();
        let mut list = Vec::with_capacity(paths.len());
        for path in paths {
            let known = inputs.solvers.get(path).copied();
            let in_list = known.is_some_and(|f| listed.contains(&f));
            if let Some(file) = known
                && in_list
                && !changed.touches(path)
            {
                list.push(file);
                continue;
            }
            let Some(text) = read_reporting(path, applied) else { continue };
            let Some(file) = known else {
                let file = SourceFile::new(&self.db, path.clone(), text);
                inputs.solvers.insert(path.clone(), file);
                list.push(file);
                continue;
            };
            list.push(file);
            if *file.text(&self.db) == text {
                applied.held |= inputs.held.remove(path).is_some();
                continue;
            }
            // The new text is parsed once, by the query the build reads: if it has syntax errors the last
            // text had not, the last text is put back (the build then re-parses it and nothing else re-runs).
            let last_is_good = in_list && !has_syntax_errors(batt_queries::parse::parse(&self.db, file));
            let last = file.set_text(&mut self.db).to(text);
            let module = batt_queries::parse::parse(&self.db, file);
            if last_is_good && has_syntax_errors(module) {
                let errors = syntax_errors(path, file.text(&self.db), module);
                if !inputs.held.contains_key(path) {
                    applied.newly_held.push(path.clone());
                }
                if inputs.held.get(path) != Some(&errors) {
                    applied.held = true;
                    inputs.held.insert(path.clone(), errors);
                }
                file.set_text(&mut self.db).to(last);
                continue;
            }
            applied.held |= inputs.held.remove(path).is_some();
            applied.inputs = true;
        }
        let before = inputs.held.len();
        inputs.held.retain(|path, _| paths.contains(path));
        applied.held |= inputs.held.len() != before;
        if *project.solver_files(&self.db) != list {
            project.set_solver_files(&mut self.db).to(list);
            applied.inputs = true;
        }
    }

    fn apply_tasks(&mut self, inputs: &mut WatchInputs, paths: &[PathBuf], changed: &Changed, applied: &mut Applied) {
        let project = self.project;
        let listed: HashSet<TaskFile> = project.task_files(&self.db).iter().copied().collect();
        let mut list = Vec::with_capacity(paths.len());
        for path in paths {
            let known = inputs.tasks.get(path).copied();
            let in_list = known.is_some_and(|f| listed.contains(&f));
            let touched = changed.touches(path) || project::solutions_path(path).is_some_and(|s| changed.touches(&s));
            if let Some(file) = known
                && in_list
                && !touched
            {
                list.push(file);
                continue;
            }
            let (text, solutions) = match project::read_task(path) {
                Ok(read) => read,
                Err(e) => {
                    applied.errors.push(format!("{e:#}"));
                    continue;
                }
            };
            let Some(file) = known else {
                let file = TaskFile::new(&self.db, path.clone(), text, solutions);
                inputs.tasks.insert(path.clone(), file);
                list.push(file);
                continue;
            };
            list.push(file);
            if *file.text(&self.db) != text {
                file.set_text(&mut self.db).to(text);
                applied.inputs = true;
            }
            if *file.solutions(&self.db) != solutions {
                file.set_solutions(&mut self.db).to(solutions);
                applied.inputs = true;
            }
        }
        if *project.task_files(&self.db) != list {
            project.set_task_files(&mut self.db).to(list);
            applied.inputs = true;
        }
    }

    /// Lays a reloaded configuration over the session: the scope, limits and the diff switch are set on the
    /// project (only the scores they affect are recomputed), new paths are adopted (the caller rescans them), and a new
    /// output folder asks for a new session.
    pub fn reconfigure(&mut self, config: Config) -> Reconfigured {
        if config == self.config {
            return Reconfigured::Same;
        }
        if config.out != self.config.out {
            return Reconfigured::Reopen;
        }
        let project: Project = self.project;
        let scope = match config.scope {
            config::Scope::All => Scope::All,
            config::Scope::Own => Scope::Own,
        };
        if project.scope(&self.db) != scope {
            project.set_scope(&mut self.db).to(scope);
        }
        if project.limits(&self.db) != config.limits {
            project.set_limits(&mut self.db).to(config.limits);
        }
        if project.diff(&self.db) != config.diff {
            project.set_diff(&mut self.db).to(config.diff);
        }
        let paths = config.solvers != self.config.solvers
            || config.tasks != self.config.tasks
            || config.differs != self.config.differs;
        self.config = config;
        Reconfigured::Updated { paths }
    }
}

/// The text of `path`, or `None` with the error added to those `applied` reports.
fn read_reporting(path: &Path, applied: &mut Applied) -> Option<String> {
    project::read(path).map_err(|e| applied.errors.push(format!("{e:#}"))).ok()
}

/// Whether a parsed file has syntax errors (inside functions or between them).
fn has_syntax_errors(module: &batt_syntax::ast::Module) -> bool {
    module.errors.iter().chain(module.functions.iter().flat_map(|f| &f.errors)).any(|d| d.is_error())
}

/// The syntax errors of `module` (parsed from `text`), rendered as `path:line:col: CODE message`, in file
/// order.
fn syntax_errors(path: &Path, text: &str, module: &batt_syntax::ast::Module) -> Vec<String> {
    let mut errors: Vec<_> =
        module.errors.iter().chain(module.functions.iter().flat_map(|f| &f.errors)).filter(|d| d.is_error()).collect();
    errors.sort_by_key(|d| d.range.start());
    let shown = path.display().to_string();
    let index = batt_syntax::LineIndex::new(text);
    errors.into_iter().map(|d| batt_syntax::diagnostic::render_concise_with(&shown, text, &index, d)).collect()
}

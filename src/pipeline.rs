//! One build, as `batt build` and `batt watch` both run it: bring every stage up to date, store fresh
//! scores in the cache, assemble the report and the `out/` tree, and write them.
//!
//! A [`Session`] owns the database and the project input. `batt build` runs it once; `batt watch` keeps
//! it, feeds changed files in as new input values, and runs [`Session::build`] again: salsa re-runs only
//! the queries an edit affects.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result};
use batt_queries::cache::Cache;
use batt_queries::db::BattDb;
use batt_queries::diff::differs;
use batt_queries::inputs::Project;
use batt_queries::project::{TaskScores, program_names, programs, score, solvers, task_list, tasks};
use batt_queries::score::Outcome;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Scope};
use crate::output::{SyncStats, Tree};
use crate::progress::Progress;
use crate::project;
use crate::report::{NearMiss, Report, SolverResult, TaskReport};

/// Seconds spent in each stage of one build.
#[derive(Serialize, Default, Debug, Clone)]
pub struct Timings {
    pub parse: f64,
    pub inline_validate: f64,
    pub expand: f64,
    pub load_tasks: f64,
    pub score: f64,
    /// Assembling the report and the `out/` tree in memory.
    pub assemble: f64,
    /// Writing `out/` (the report's JSON included).
    pub write: f64,
    pub total: f64,
}

/// What one build produced.
#[derive(Debug)]
pub struct Built {
    pub report: Report,
    /// Rendered diagnostics of solver files, and one line per task that could not be loaded.
    pub messages: Vec<String>,
    /// Whether any diagnostic is an error or any task was bad.
    pub errored: bool,
    pub timings: Timings,
    /// (program, task) scores read from the cache and computed.
    pub cache_hits: usize,
    pub cache_misses: usize,
    /// Pair outcomes by name (`pass`, `fail`, `IndexError`, …).
    pub outcomes: BTreeMap<&'static str, usize>,
    pub synced: SyncStats,
}

/// A database and a project, kept across builds.
pub struct Session {
    pub config: Config,
    pub db: BattDb,
    pub project: Project,
    pool: rayon::ThreadPool,
    /// Keep fresh scores in `pending` instead of storing them in the cache during the build (`batt watch`
    /// stores them after printing what changed: see [`Session::store_pending`]).
    pub defer_store: bool,
    pending: Mutex<Vec<Arc<TaskScores>>>,
}

impl Session {
    /// Discovers the project's files and loads them as inputs. `cache` opens `OUT/.batt/cache.redb`;
    /// `jobs` is the number of threads that score (0: one per core).
    pub fn open(config: Config, cache: bool, jobs: usize) -> Result<Session> {
        let files = project::discover(&config)?;
        let cache = if cache {
            let path = config.out.join(".batt").join("cache.redb");
            match Cache::open(&path) {
                Ok(cache) => Some(cache),
                Err(e) => {
                    eprintln!("batt: cache {} unavailable ({e}); building without it", path.display());
                    None
                }
            }
        } else {
            None
        };
        let db = BattDb::with_cache(cache);
        let project = project::load(&db, &config, &files);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().context("starting threads")?;
        Ok(Session { config, db, project, pool, defer_store: false, pending: Mutex::new(Vec::new()) })
    }

    /// Stores the scores that builds computed and kept back (with [`Session::defer_store`]) in the cache.
    pub fn store_pending(&self) {
        let pending = self.pending.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default();
        self.store(&pending);
    }

    /// Stores the fresh scores and differ scores of these tasks in the cache, if there is one.
    fn store(&self, fresh: &[Arc<TaskScores>]) {
        let Some(cache) = self.db.score_cache() else { return };
        if fresh.is_empty() {
            return;
        }
        let scores: Vec<_> = fresh.iter().flat_map(|t| t.fresh.iter().cloned()).collect();
        let diffs = fresh.iter().flat_map(|t| t.fresh_diffs.iter().map(|(k, b)| (k.as_str(), b.as_slice())));
        if let Err(e) = cache.put(&scores, diffs) {
            eprintln!("batt: could not store scores in the cache: {e}");
        }
    }

    /// Runs every stage, stores fresh scores, and writes `out/`.
    pub fn build(&self, progress: &Progress) -> Result<Built> {
        let start = Instant::now();
        let mut timings = Timings::default();
        let mut lap = {
            let mut last = Instant::now();
            move || {
                let now = Instant::now();
                let secs = (now - last).as_secs_f64();
                last = now;
                secs
            }
        };
        let (db, project) = (&self.db, self.project);
        // The stages run one after another so that each can be timed; each is a memoized query.
        for &file in project.solver_files(db) {
            batt_queries::parse::parse(db, file);
        }
        timings.parse = lap();
        let solver_list = solvers(db, project);
        timings.inline_validate = lap();
        let program_list = programs(db, project);
        let names = program_names(db, project);
        timings.expand = lap();
        let task_refs = task_list(db, project).clone();
        timings.load_tasks = lap();
        progress.start(task_refs.len() as u64);
        let handle = db.clone();
        let results: Vec<_> = self.pool.install(move || {
            task_refs
                .par_iter()
                .map_with(handle, |db, t| {
                    let scores = score(&*db, project, t.file, t.index);
                    progress.inc();
                    scores
                })
                .collect()
        });
        progress.finish();
        timings.score = lap();

        let cache_misses = results.iter().flatten().map(|t| t.fresh.len()).sum::<usize>();
        let cache_hits = results.iter().flatten().map(|t| t.scores.len()).sum::<usize>() - cache_misses;
        let fresh: Vec<Arc<TaskScores>> =
            results.iter().flatten().filter(|t| !t.fresh.is_empty() || !t.fresh_diffs.is_empty()).cloned().collect();
        if self.defer_store {
            if let Ok(mut pending) = self.pending.lock() {
                pending.extend(fresh);
            }
        } else {
            self.store(&fresh);
        }

        let mut errored = false;
        let mut messages = Vec::new();
        for &file in project.solver_files(db).iter().chain(project.differ_files(db)) {
            for diagnostic in batt_queries::project::diagnostics(db, file) {
                errored |= diagnostic.is_error;
                messages.push(diagnostic.rendered);
            }
        }
        let mut bad_tasks = 0;
        for &file in project.task_files(db) {
            for error in &tasks(db, file).errors {
                bad_tasks += 1;
                errored = true;
                messages.push(format!("skipped task: {error}"));
            }
        }

        let mut report = Report::default();
        let mut tree = Tree::default();
        // Each program's canonical file, expanded from the first solver with its hash.
        let mut first_of: HashMap<&str, _> = HashMap::new();
        for entry in solver_list.iter().filter(|e| !e.is_differ) {
            if let Some(hash) = &entry.hash {
                first_of.entry(hash.as_str()).or_insert(entry);
            }
        }
        for program in program_list.iter() {
            let Some(entry) = first_of.get(program.hash.as_str()) else { continue };
            if let Some(expanded) = batt_queries::expand::expanded(db, entry.file, entry.index) {
                tree.file(format!("solvers/{}.py", program.hash), expanded.text.clone());
            }
        }
        let differ_list = differs(db, project);
        for differ in &differ_list.list {
            let Some(hash) = differ.hash() else { continue };
            let Some(entry) = solver_list.iter().find(|e| e.is_differ && e.hash.as_deref() == Some(hash)) else {
                continue;
            };
            if let Some(expanded) = batt_queries::expand::expanded(db, entry.file, entry.index) {
                tree.file(format!("differs/{hash}.py"), expanded.text.clone());
            }
        }
        let rank_by = differ_list.position(&self.config.rank_by);
        if !differ_list.is_empty() && rank_by.is_none() {
            errored = true;
            let known: Vec<&str> = differ_list.list.iter().map(|d| d.name()).collect();
            messages.push(format!(
                "batt: rank_by = {:?} names no differ (there are: {}); near misses are not ranked",
                self.config.rank_by,
                known.join(", ")
            ));
        }
        // Each task's report entry, ranked links and near misses, assembled on every thread.
        let context = AssemblyContext {
            config: &self.config,
            program_list,
            names,
            rank_by: rank_by.map(|d| (d, differ_list.list[d].name())),
        };
        let assembled: Vec<Assembled> = self
            .pool
            .install(|| results.par_iter().flatten().map(|task_scores| context.assemble(task_scores)).collect());
        let mut pairs_run = 0;
        let mut outcomes = Tally::default();
        for piece in assembled {
            pairs_run += piece.pairs_run;
            outcomes.merge(piece.outcomes);
            for (path, target) in piece.links {
                tree.link(path, target);
            }
            report.tasks.insert(piece.id, piece.entry);
        }
        let summary = &mut report.summary;
        summary.tasks = report.tasks.len();
        summary.solvers = solver_list.iter().filter(|s| !s.is_differ).count();
        summary.invalid_solvers = solver_list.iter().filter(|s| s.hash.is_none()).count();
        summary.programs = program_list.len();
        summary.bad_tasks = bad_tasks;
        summary.pairs_run = pairs_run;
        summary.tasks_solved = report.tasks.values().filter(|t| t.solved).count();
        summary.tasks_with_near_misses = report.tasks.values().filter(|t| !t.near_misses.is_empty()).count();

        timings.assemble = lap();

        let mut errors_txt = messages.join("\n");
        if !errors_txt.is_empty() {
            errors_txt.push('\n');
        }
        tree.file("report.json", report.to_json());
        tree.file("errors.txt", errors_txt);
        let out = &self.config.out;
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        // On the build's own threads: a second pool would spin beside this one on the same cores.
        let synced = self.pool.install(|| tree.sync(out, &["solvers", "tasks", "differs"]))?;
        timings.write = lap();
        timings.total = start.elapsed().as_secs_f64();
        let outcomes = outcomes.into_map();
        Ok(Built { report, messages, errored, timings, cache_hits, cache_misses, outcomes, synced })
    }
}

/// What assembling one task's results needs.
struct AssemblyContext<'a> {
    config: &'a Config,
    program_list: &'a [batt_queries::project::ProgramEntry],
    names: &'a [Vec<String>],
    /// The ranking differ's position and name, when near misses are ranked.
    rank_by: Option<(usize, &'a str)>,
}

/// One task's share of the report and of `out/`.
struct Assembled {
    id: String,
    entry: TaskReport,
    /// (path under `out/`, relative target) of its ranked links and near-miss links.
    links: Vec<(String, String)>,
    pairs_run: usize,
    outcomes: Tally,
}

impl AssemblyContext<'_> {
    /// The task's report entry (solvers in scope with a match, near misses), and its links: the best
    /// `keep` programs by matches (ties by hash), then its near misses.
    fn assemble(&self, task_scores: &TaskScores) -> Assembled {
        let (config, program_list, names) = (self.config, self.program_list, self.names);
        let task = &task_scores.task;
        let samples = task.samples();
        let own = format!("solve_{}", task.id);
        let mut entry = TaskReport { samples, solved: false, solvers: Vec::new(), near_misses: Vec::new() };
        let mut outcomes = Tally::default();
        let mut pairs_run = 0;
        let mut ranked: Vec<(usize, &str)> = Vec::new();
        for (k, scores) in &task_scores.scores {
            pairs_run += scores.outcomes.len();
            outcomes.add(&scores.outcomes);
            let matches = scores.matches();
            if matches == 0 {
                continue;
            }
            let hash = &program_list[*k as usize].hash;
            ranked.push((matches, hash));
            for name in &names[*k as usize] {
                if config.scope == Scope::Own && *name != own {
                    continue;
                }
                entry.solvers.push(SolverResult { name: name.clone(), hash: hash.clone(), matches });
            }
        }
        entry.finish();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let mut links: Vec<(String, String)> = ranked
            .into_iter()
            .take(config.keep)
            .map(|(matches, hash)| {
                (format!("tasks/{}/{matches}-of-{samples}/{hash}.py", task.id), format!("../../../solvers/{hash}.py"))
            })
            .collect();
        if let Some((d, differ)) = self.rank_by {
            entry.near_misses = self.near_misses(task_scores, d, differ);
            links.extend(entry.near_misses.iter().map(|miss| {
                (
                    format!("tasks/{}/near/{}/{}.py", task.id, miss.score, miss.hash),
                    format!("../../../../solvers/{}.py", miss.hash),
                )
            }));
        }
        Assembled { id: task.id.clone(), entry, links, pairs_run, outcomes }
    }

    /// The near misses of one task: the programs in scope that do not solve it but have a score there by
    /// the differ at position `d` (they produced a grid), best first (ties by hash), at most `keep`.
    fn near_misses(&self, task_scores: &TaskScores, d: usize, differ: &str) -> Vec<NearMiss> {
        let (config, program_list, names) = (self.config, self.program_list, self.names);
        let samples = task_scores.task.samples();
        let own = format!("solve_{}", task_scores.task.id);
        let mut ranked: Vec<(i64, usize)> = task_scores
            .scores
            .iter()
            .enumerate()
            .filter(|(_, (_, s))| s.matches() < samples)
            .filter_map(|(row, (k, _))| Some((task_scores.diff(row, d)?, *k as usize)))
            .collect();
        // Best first, ties by hash. Only the best `keep` (well, enough of them to skip out-of-scope names)
        // are needed: select them first, then sort just those, instead of sorting every program.
        let order = |a: &(i64, usize), b: &(i64, usize)| {
            b.0.cmp(&a.0).then_with(|| program_list[a.1].hash.cmp(&program_list[b.1].hash))
        };
        let wanted = if config.scope == Scope::All { config.keep } else { ranked.len() };
        if wanted < ranked.len() {
            ranked.select_nth_unstable_by(wanted, order);
            ranked.truncate(wanted);
        }
        ranked.sort_by(order);
        ranked
            .into_iter()
            .filter_map(|(score, k)| {
                let in_scope = |n: &&String| config.scope == Scope::All || **n == own;
                let name = names[k].iter().find(in_scope)?;
                Some(NearMiss {
                    name: name.clone(),
                    hash: program_list[k].hash.clone(),
                    differ: differ.to_string(),
                    score,
                })
            })
            .take(config.keep)
            .collect()
    }
}

/// The report a previous build left in `out`, if any.
pub fn previous_report(out: &Path) -> Option<Report> {
    let text = std::fs::read_to_string(out.join("report.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Pair outcomes counted by kind. A build counts every pair of every program on every task (670,000 for
/// 400 solvers × 400 tasks, again at each `batt watch` rebuild): a short list searched by value is much
/// cheaper per pair than a map keyed by name.
#[derive(Default)]
struct Tally(Vec<(Outcome, usize)>);

impl Tally {
    fn add(&mut self, outcomes: &[Outcome]) {
        for &outcome in outcomes {
            match self.0.iter_mut().find(|(o, _)| *o == outcome) {
                Some((_, n)) => *n += 1,
                None => self.0.push((outcome, 1)),
            }
        }
    }

    /// Adds another tally's counts.
    fn merge(&mut self, other: Tally) {
        for (outcome, n) in other.0 {
            match self.0.iter_mut().find(|(o, _)| *o == outcome) {
                Some((_, m)) => *m += n,
                None => self.0.push((outcome, n)),
            }
        }
    }

    /// The counts by outcome name.
    fn into_map(self) -> BTreeMap<&'static str, usize> {
        let mut map = BTreeMap::new();
        for (outcome, n) in self.0 {
            *map.entry(outcome.name()).or_default() += n;
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use batt_runtime::ErrorKind;

    #[test]
    fn tally_counts_outcomes_by_name() {
        let mut tally = Tally::default();
        tally.add(&[Outcome::Pass, Outcome::Fail, Outcome::Pass]);
        tally.add(&[Outcome::Error(ErrorKind::IndexError), Outcome::Fail]);
        let map = tally.into_map();
        assert_eq!(map.into_iter().collect::<Vec<_>>(), vec![("IndexError", 1), ("fail", 2), ("pass", 2)]);
    }
}

//! One build, as `batt build` and `batt watch` both run it: bring every stage up to date, store fresh
//! scores in the cache (or queue them, for `batt watch` to store after printing), assemble the report and
//! the `out/` tree, and write them.
//!
//! A [`Session`] owns the database and the project input. `batt build` runs it once; `batt watch` keeps
//! it, feeds changed files in as new input values, and runs [`Session::build`] again: salsa re-runs only
//! the queries an edit affects.

use std::collections::{BTreeMap, HashMap, HashSet};
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
use batt_runtime::ErrorKind;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Scope};
use crate::output::{SyncStats, Tree};
use crate::progress::Progress;
use crate::project;
use crate::report::{NearMiss, Report, SolverResult, TaskReport, report_json};

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
    /// The last build's task scores: those it computed are stored (or queued) already.
    last_results: Mutex<Vec<Arc<TaskScores>>>,
    /// The last build's assembled tasks, by [`AssemblyContext::fingerprint`].
    assembled: Mutex<HashMap<u128, Arc<Assembled>>>,
}

impl Session {
    /// Discovers the project's files and loads them as inputs. `cache` opens `OUT/.batt/cache.redb`;
    /// `jobs` is the number of threads that score (0: one per core).
    pub fn open(config: Config, cache: bool, jobs: usize) -> Result<Session> {
        config.check_out()?;
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
        Ok(Session {
            config,
            db,
            project,
            pool,
            defer_store: false,
            pending: Mutex::default(),
            last_results: Mutex::default(),
            assembled: Mutex::default(),
        })
    }

    /// Ends a session whose process is about to exit, without freeing what it built: freeing the memoized
    /// stages, scores and reports one allocation at a time took a third of a no-op rebuild (75 ms of
    /// 0.22 s), and the operating system takes the memory back at once. The cache is closed first (redb
    /// records a clean shutdown when its database is dropped; otherwise the next open would repair it); if
    /// anything else still holds it, the session is dropped as usual.
    pub fn finish(mut self) {
        match self.db.take_cache().map(Arc::try_unwrap) {
            Some(Err(_still_shared)) => return,
            Some(Ok(cache)) => drop(cache),
            None => {}
        }
        std::mem::forget(self);
    }

    /// Stores the scores that builds computed and kept back (with [`Session::defer_store`]) in the cache.
    pub fn store_pending(&self) {
        let pending = self.pending.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default();
        if let Some(cache) = self.db.score_cache() {
            store_in(cache, &pending);
        }
    }

    /// Runs every stage, stores fresh scores (queues them with [`Session::defer_store`]), and writes `out/`.
    pub fn build(&self, progress: &Progress) -> Result<Built> {
        let planned = self.plan(progress)?;
        self.write(planned, progress)
    }

    /// Runs every stage and stores (or queues) fresh scores; the report and the `out/` tree to write.
    pub fn plan(&self, progress: &Progress) -> Result<Planned> {
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

        // A task's scores computed by an earlier build (memoized, not re-run) were stored by that build.
        let new: Vec<&Arc<TaskScores>> = {
            let last = self.last_results.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default();
            let seen: HashSet<*const TaskScores> = last.iter().map(Arc::as_ptr).collect();
            results.iter().flatten().filter(|t| !seen.contains(&Arc::as_ptr(t))).collect()
        };
        let cache_misses = new.iter().map(|t| t.fresh.len()).sum::<usize>();
        let cache_hits = results.iter().flatten().map(|t| t.scores.len()).sum::<usize>() - cache_misses;
        let fresh: Vec<Arc<TaskScores>> =
            new.into_iter().filter(|t| !t.fresh.is_empty() || !t.fresh_diffs.is_empty()).cloned().collect();
        if let Ok(mut last) = self.last_results.lock() {
            *last = results.iter().flatten().cloned().collect();
        }
        // Stored on a thread of its own while the report is assembled and `out/` written: the commit is one
        // transaction, so a build killed before it ends leaves the cache as it was.
        let mut storing = None;
        if self.defer_store {
            if let Ok(mut pending) = self.pending.lock() {
                pending.extend(fresh);
            }
        } else if let Some(cache) = self.db.cache_handle()
            && !fresh.is_empty()
        {
            storing = Some(std::thread::spawn(move || store_in(&cache, &fresh)));
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
        messages.extend(batt_queries::project::shadowed_tasks(db, project).iter().map(|w| format!("warning: {w}")));

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
        // Each task's report entry, ranked links and near misses, assembled on every thread, or taken from
        // the last build when nothing they are made of changed (in `batt watch`, most tasks after an edit).
        let context = AssemblyContext {
            config: &self.config,
            program_list,
            names,
            rank_by: rank_by.map(|d| (d, differ_list.list[d].name())),
            program_digests: program_list
                .iter()
                .zip(names)
                .map(|(program, names)| {
                    let mut text = program.hash.clone();
                    for name in names {
                        text.push('\0');
                        text.push_str(name);
                    }
                    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
                })
                .collect(),
        };
        let last = self.assembled.lock().map(|mut a| std::mem::take(&mut *a)).unwrap_or_default();
        let pieces: Vec<(u128, Arc<Assembled>, Ranking)> = self.pool.install(|| {
            results
                .par_iter()
                .flatten()
                .map(|task_scores| {
                    let ranking = context.rank(task_scores);
                    let key = context.fingerprint(task_scores, &ranking);
                    let piece = match last.get(&key) {
                        Some(piece) => piece.clone(),
                        None => Arc::new(context.assemble(task_scores, &ranking)),
                    };
                    (key, piece, ranking)
                })
                .collect()
        });
        drop(last);
        let mut pairs_run = 0;
        let mut outcomes = Tally::default();
        let mut by_id: BTreeMap<&str, &Arc<Assembled>> = BTreeMap::new();
        for (_, piece, ranking) in &pieces {
            pairs_run += ranking.pairs_run;
            outcomes.merge(&ranking.outcomes);
            by_id.insert(&piece.id, piece);
        }
        report.tasks = by_id.iter().map(|(id, piece)| (id.to_string(), piece.entry.clone())).collect();
        // In id order; their links and report.json are laid out when `out/` is written.
        let tasks: Vec<Arc<Assembled>> = by_id.into_values().cloned().collect();
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
        tree.file("errors.txt", errors_txt);
        if let Ok(mut assembled) = self.assembled.lock() {
            *assembled = pieces.into_iter().map(|(key, piece, _)| (key, piece)).collect();
        }
        let outcomes = outcomes.into_map();
        let synced = SyncStats::default();
        let built = Built { report, messages, errored, timings, cache_hits, cache_misses, outcomes, synced };
        Ok(Planned { built, tree, tasks, start, storing })
    }

    /// Writes a planned build's `out/` tree; the build with its write statistics and timings complete.
    pub fn write(&self, planned: Planned, progress: &Progress) -> Result<Built> {
        let Planned { mut built, mut tree, tasks, start, storing } = planned;
        let began = Instant::now();
        for piece in &tasks {
            for (path, target) in &piece.links {
                tree.link(path.clone(), target.clone());
            }
        }
        let fragments = tasks.iter().map(|piece| (piece.id.as_str(), piece.json.as_str()));
        tree.file("report.json", report_json(fragments, &built.report.summary));
        let out = &self.config.out;
        let synced = std::fs::create_dir_all(out)
            .with_context(|| format!("creating {}", out.display()))
            // On the build's own threads: a second pool would spin beside this one on the same cores.
            .and_then(|()| self.pool.install(|| tree.sync(out, &["solvers", "tasks", "differs"], progress)));
        progress.clear();
        if let Some(storing) = storing
            && storing.join().is_err()
        {
            eprintln!("batt: storing scores in the cache failed");
        }
        built.synced = synced?;
        built.timings.write = began.elapsed().as_secs_f64();
        built.timings.total = start.elapsed().as_secs_f64();
        Ok(built)
    }
}

/// Stores the fresh scores and differ scores of these tasks in `cache`.
fn store_in(cache: &Cache, fresh: &[Arc<TaskScores>]) {
    if fresh.is_empty() {
        return;
    }
    let scores: Vec<_> = fresh.iter().flat_map(|t| t.fresh.iter().cloned()).collect();
    let diffs = fresh.iter().flat_map(|t| t.fresh_diffs.iter().map(|(k, b)| (*k, b.as_slice())));
    if let Err(e) = cache.put(&scores, diffs) {
        eprintln!("batt: could not store scores in the cache: {e}");
    }
}

/// A build whose `out/` tree is assembled but not yet written ([`Session::write`]).
pub struct Planned {
    /// The build (its `synced` statistics and write time still zero).
    pub built: Built,
    /// Everything but the tasks' links and report.json.
    tree: Tree,
    /// The assembled tasks, in id order.
    tasks: Vec<Arc<Assembled>>,
    start: Instant,
    /// The thread storing this build's fresh scores, joined once `out/` is written.
    storing: Option<std::thread::JoinHandle<()>>,
}

/// What assembling one task's results needs.
struct AssemblyContext<'a> {
    config: &'a Config,
    program_list: &'a [batt_queries::project::ProgramEntry],
    names: &'a [Vec<String>],
    /// The ranking differ's position and name, when near misses are ranked.
    rank_by: Option<(usize, &'a str)>,
    /// Per program, a digest of its hash and names (for [`AssemblyContext::fingerprint`]).
    program_digests: Vec<u64>,
}

/// One task's share of the report and of `out/`.
struct Assembled {
    id: String,
    entry: Arc<TaskReport>,
    /// `entry` as report.json holds it (see [`report_json`]).
    json: String,
    /// (path under `out/`, relative target) of its ranked links and near-miss links.
    links: Vec<(String, String)>,
}

/// What a task's assembly is made of, found in one pass over its scores.
struct Ranking {
    /// (program index, pairs matched) of every program that matches at least one pair, in program order.
    matched: Vec<(usize, usize)>,
    /// (score, program index) of the best near-miss candidates, best first (ties by hash): the programs that
    /// do not solve the task but produced a grid there.
    near: Vec<(i64, usize)>,
    pairs_run: usize,
    outcomes: Tally,
}

impl AssemblyContext<'_> {
    /// Ranks the task's programs: which match, which are its nearest misses.
    fn rank(&self, task_scores: &TaskScores) -> Ranking {
        let samples = task_scores.task.samples();
        let mut ranking = Ranking { matched: Vec::new(), near: Vec::new(), pairs_run: 0, outcomes: Tally::default() };
        for (row, (k, record)) in task_scores.scores.iter().enumerate() {
            let scores = &record.scores;
            ranking.pairs_run += scores.outcomes.len();
            ranking.outcomes.add(&scores.outcomes);
            let matches = scores.matches();
            if matches > 0 {
                ranking.matched.push((*k as usize, matches));
            }
            if matches < samples
                && let Some((d, _)) = self.rank_by
                && let Some(score) = task_scores.diff(row, d)
            {
                ranking.near.push((score, *k as usize));
            }
        }
        // Best first, ties by hash. Only the best `keep` (well, enough of them to skip out-of-scope names)
        // are needed: select them first, then sort just those, instead of sorting every program.
        let program_list = self.program_list;
        let order = |a: &(i64, usize), b: &(i64, usize)| {
            b.0.cmp(&a.0).then_with(|| program_list[a.1].hash.cmp(&program_list[b.1].hash))
        };
        let near = &mut ranking.near;
        let wanted = if self.config.scope == Scope::All { self.config.keep } else { near.len() };
        if wanted < near.len() {
            near.select_nth_unstable_by(wanted, order);
            near.truncate(wanted);
        }
        near.sort_by(order);
        ranking
    }

    /// A digest of everything [`AssemblyContext::assemble`] reads: the settings, the task's id and size,
    /// and the ranked programs (hash, names, matches or score). After a one-solver edit in `batt watch`,
    /// only the tasks where that solver ranks get a new digest.
    fn fingerprint(&self, task_scores: &TaskScores, ranking: &Ranking) -> u128 {
        let task = &task_scores.task;
        let mut bytes: Vec<u8> = Vec::with_capacity(64 + 16 * (ranking.matched.len() + ranking.near.len()));
        for field in [task.id.as_str(), self.rank_by.map_or("", |(_, name)| name)] {
            bytes.extend_from_slice(field.as_bytes());
            bytes.push(0);
        }
        let scope = (self.config.scope == Scope::All) as u64;
        for n in [task.samples() as u64, self.config.keep as u64, scope, ranking.matched.len() as u64] {
            bytes.extend_from_slice(&n.to_le_bytes());
        }
        for &(k, matches) in &ranking.matched {
            bytes.extend_from_slice(&self.program_digests[k].to_le_bytes());
            bytes.extend_from_slice(&(matches as u64).to_le_bytes());
        }
        for &(score, k) in &ranking.near {
            bytes.extend_from_slice(&self.program_digests[k].to_le_bytes());
            bytes.extend_from_slice(&score.to_le_bytes());
        }
        xxhash_rust::xxh3::xxh3_128(&bytes)
    }

    /// The task's report entry (solvers in scope with a match, near misses), and its links: the best
    /// `keep` programs by matches (ties by hash), then its near misses.
    fn assemble(&self, task_scores: &TaskScores, ranking: &Ranking) -> Assembled {
        let (config, program_list, names) = (self.config, self.program_list, self.names);
        let task = &task_scores.task;
        let samples = task.samples();
        let own = format!("solve_{}", task.id);
        let in_scope = |n: &&String| config.scope == Scope::All || **n == own;
        let mut entry = TaskReport { samples, solved: false, solvers: Vec::new(), near_misses: Vec::new() };
        let mut ranked: Vec<(usize, &str)> = Vec::new();
        for &(k, matches) in &ranking.matched {
            let hash = &program_list[k].hash;
            ranked.push((matches, hash));
            for name in names[k].iter().filter(in_scope) {
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
        if let Some((_, differ)) = self.rank_by {
            entry.near_misses = ranking
                .near
                .iter()
                .filter_map(|&(score, k)| {
                    let name = names[k].iter().find(in_scope)?;
                    let hash = program_list[k].hash.clone();
                    Some(NearMiss { name: name.clone(), hash, differ: differ.to_string(), score })
                })
                .take(config.keep)
                .collect();
            links.extend(entry.near_misses.iter().map(|miss| {
                (
                    format!("tasks/{}/near/{}-{}.py", task.id, miss.score, miss.hash),
                    format!("../../../solvers/{}.py", miss.hash),
                )
            }));
        }
        let json = crate::report::task_json(&entry);
        Assembled { id: task.id.clone(), entry: Arc::new(entry), json, links }
    }
}

/// The report a previous build left in `out`, if any.
pub fn previous_report(out: &Path) -> Option<Report> {
    let text = std::fs::read_to_string(out.join("report.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Pair outcomes counted by kind. A build counts every pair of every program on every task (670,000 for
/// 400 solvers × 400 tasks, again at each `batt watch` rebuild): one array slot per kind of outcome.
#[derive(Default)]
struct Tally {
    /// By slot (see [`Tally::outcome`]).
    counts: [usize; Tally::SLOTS],
}

impl Tally {
    /// Pass, fail, unchecked, then each error kind.
    const SLOTS: usize = 3 + ErrorKind::ALL.len();

    /// The outcome a slot counts.
    fn outcome(slot: usize) -> Outcome {
        match slot {
            0 => Outcome::Pass,
            1 => Outcome::Fail,
            2 => Outcome::Unchecked,
            k => Outcome::Error(ErrorKind::ALL[k - 3]),
        }
    }

    fn slot(outcome: Outcome) -> usize {
        match outcome {
            Outcome::Pass => 0,
            Outcome::Fail => 1,
            Outcome::Unchecked => 2,
            Outcome::Error(kind) => 3 + kind as usize,
        }
    }

    fn add(&mut self, outcomes: &[Outcome]) {
        for &outcome in outcomes {
            self.counts[Tally::slot(outcome)] += 1;
        }
    }

    /// Adds another tally's counts.
    fn merge(&mut self, other: &Tally) {
        for (n, m) in self.counts.iter_mut().zip(other.counts) {
            *n += m;
        }
    }

    /// The counts by outcome name (outcomes never seen left out).
    fn into_map(self) -> BTreeMap<&'static str, usize> {
        let seen = self.counts.iter().enumerate().filter(|(_, n)| **n > 0);
        seen.map(|(slot, &n)| (Tally::outcome(slot).name(), n)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_outcomes_by_name() {
        let mut tally = Tally::default();
        tally.add(&[Outcome::Pass, Outcome::Fail, Outcome::Pass]);
        tally.add(&[Outcome::Error(ErrorKind::IndexError), Outcome::Fail]);
        let map = tally.into_map();
        assert_eq!(map.into_iter().collect::<Vec<_>>(), vec![("IndexError", 1), ("fail", 2), ("pass", 2)]);
    }

    #[test]
    fn every_outcome_has_its_own_slot() {
        let all = [Outcome::Pass, Outcome::Fail, Outcome::Unchecked].into_iter();
        let all: Vec<Outcome> = all.chain(ErrorKind::ALL.map(Outcome::Error)).collect();
        assert_eq!(all.len(), Tally::SLOTS);
        for outcome in all {
            assert_eq!(Tally::outcome(Tally::slot(outcome)), outcome);
        }
    }
}

//! `batt watch`: one build, then a rebuild after every change to the solvers, the tasks or `batt.toml`,
//! printing only what changed.
//!
//! The session (database and inputs) lives for the whole run: a change sets the changed texts on their
//! inputs and [`Session::plan`] re-runs only the queries they affect; what changed is printed, then
//! [`Session::write`] writes `out/` as `batt build` does, then the status line follows. Printed on standard
//! output: one line per task whose best result changed (`007bbfb7  2/3 → 3/3  solve_007bbfb7  (1311cab3…)`),
//! each new diagnostic, and each fixed one
//! (`fixed: path:line:col: …`). On standard error: the first build's summary, `batt: watching …` once
//! ready, and one status line per batch of changes.
//!
//! Ctrl-C while scoring exits at once: nothing of that build is written yet. Ctrl-C while `out/` or the
//! cache is being written lets the write finish first. Either way the exit code is 130. A rebuild's
//! scores are stored in the cache after its deltas are printed, without waiting for the disk, and made
//! durable once the project has been quiet for a second, at exit, or on Ctrl-C (so neither the printed
//! line nor the next rebuild waits for `fsync`); the first build's are durable at once.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering::SeqCst};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result};
use batt_queries::cache::Cache;

use super::ProjectFlags;
use crate::pipeline::{Built, Planned, Session, previous_report};
use crate::progress::Progress;
use crate::report::{Report, changes};
use crate::watch_inputs::{Changed, Reconfigured};
use crate::watcher::{self, Msg, Next, Roots};

#[derive(clap::Args, Debug)]
pub struct WatchArgs {
    #[command(flatten)]
    pub project: ProjectFlags,
    /// Exit after the first change that made a difference (status 1 if an error diagnostic remains).
    #[arg(long)]
    pub once_changed: bool,
    /// Instead of watching the file system, re-read every file each time a line arrives on standard input;
    /// exit when it closes (for scripts, editors and tests).
    #[arg(long)]
    pub rescan_on_stdin: bool,
    /// After each rebuild, print the time of each stage (milliseconds) on standard error.
    #[arg(long)]
    pub timings: bool,
}

/// Nothing is running: Ctrl-C is handled by the loop.
const IDLE: u8 = 0;
/// A build is scoring: nothing is being written, so Ctrl-C exits at once.
const SCORING: u8 = 1;
/// A build is writing the cache and `out/`: Ctrl-C waits for it.
const WRITING: u8 = 2;

/// Exit status after Ctrl-C.
const INTERRUPTED: u8 = 130;

/// How long the project stays quiet before the scores stored since the last rebuilds are made durable.
const FLUSH_WHEN_IDLE: std::time::Duration = std::time::Duration::from_secs(1);

/// What Ctrl-C must know of the loop.
#[derive(Clone)]
struct Signal {
    phase: Arc<AtomicU8>,
    interrupted: Arc<AtomicBool>,
    /// The session's cache, made durable by a Ctrl-C that exits at once (while scoring).
    cache: Arc<Mutex<Option<Arc<Cache>>>>,
}

impl Signal {
    fn install(tx: Sender<Msg>) -> Result<Signal> {
        let signal = Signal {
            phase: Arc::new(AtomicU8::new(IDLE)),
            interrupted: Arc::new(AtomicBool::new(false)),
            cache: Arc::default(),
        };
        let s = signal.clone();
        ctrlc::set_handler(move || {
            s.interrupted.store(true, SeqCst);
            if s.phase.load(SeqCst) == SCORING {
                // No write is under way while scoring: the earlier rebuilds' scores can be made durable.
                if let Some(cache) = s.cache.lock().ok().and_then(|c| c.clone()) {
                    let _ = cache.flush();
                }
                eprintln!("batt: interrupted");
                std::process::exit(INTERRUPTED.into());
            }
            let _ = tx.send(Msg::Interrupt);
        })
        .context("installing the Ctrl-C handler")?;
        Ok(signal)
    }

    /// Switches `session` to rebuilds that store their scores after printing them and commit without
    /// waiting for the disk, and lets Ctrl-C make its cache durable.
    fn watch_cache(&self, session: &mut Session) {
        if let Some(cache) = session.db.score_cache() {
            cache.set_durable(false);
        }
        session.defer_store = true;
        if let Ok(mut cache) = self.cache.lock() {
            *cache = session.db.cache_handle();
        }
    }

    /// Runs one build and writes it; `None` when Ctrl-C came during it (it wrote everything it started
    /// writing).
    fn build(&self, session: &Session) -> Result<Option<Built>> {
        match self.plan(session)? {
            Some(planned) => self.write(session, planned),
            None => Ok(None),
        }
    }

    /// Runs one build up to writing `out/`; `None` when Ctrl-C came during it (nothing was written).
    fn plan(&self, session: &Session) -> Result<Option<Planned>> {
        self.phase.store(SCORING, SeqCst);
        if self.interrupted.load(SeqCst) {
            return Ok(None);
        }
        let phase = self.phase.clone();
        let progress = Progress::new(true).on_finish(move || phase.store(WRITING, SeqCst));
        let planned = session.plan(&progress);
        self.phase.store(IDLE, SeqCst);
        if self.interrupted.load(SeqCst) {
            return Ok(None);
        }
        planned.map(Some)
    }

    /// Writes a planned build's `out/`; `None` when Ctrl-C came during it (it wrote everything).
    fn write(&self, session: &Session, planned: Planned) -> Result<Option<Built>> {
        self.phase.store(WRITING, SeqCst);
        let built = session.write(planned, &Progress::new(true));
        self.phase.store(IDLE, SeqCst);
        if self.interrupted.load(SeqCst) {
            return Ok(None);
        }
        built.map(Some)
    }
}

/// What the terminal has been shown.
struct Shown {
    /// The last build's report.
    report: Report,
    /// The last build's diagnostics.
    built: Vec<String>,
    /// Whether one of them is an error.
    errored: bool,
    /// Those and the syntax errors of the files held at their last good text.
    messages: Vec<String>,
}

pub fn run(config_path: &Path, args: WatchArgs) -> Result<ExitCode> {
    let flags = &args.project;
    let config = flags.config(config_path)?;
    let (tx, rx) = mpsc::channel();
    let signal = Signal::install(tx.clone())?;
    let mut roots = Roots::new(config_path, &config);
    // Watch before reading anything: an edit made while the first build runs is seen after it.
    let mut watcher = if args.rescan_on_stdin {
        read_stdin(tx.clone());
        None
    } else {
        Some(watcher::watch(&roots, tx.clone()).context("watching the project")?)
    };
    let before = previous_report(&config.out);
    let mut session = Session::open(config, !flags.no_cache, flags.jobs)?;
    let mut inputs = session.watch_inputs();
    let Some(built) = signal.build(&session)? else { return Ok(ExitCode::from(INTERRUPTED)) };
    for message in &built.messages {
        println!("{message}");
    }
    let delta = before.as_ref().map(|old| changes(old, &built.report)).unwrap_or_default();
    super::build::print_summary(&built, &delta, before.is_some());
    let messages = built.messages.clone();
    let mut shown = Shown { report: built.report, built: built.messages, errored: built.errored, messages };
    eprintln!("batt: watching {} (Ctrl-C to stop)", watched(&session, config_path));
    // From now on a rebuild's scores are committed without waiting for the disk (see `unflushed` below).
    signal.watch_cache(&mut session);

    // Fresh scores are stored in the cache after each rebuild, and made durable once the project has been
    // quiet for a moment (or at exit): an fsync in the middle of a burst of saves would slow the writes
    // of the next rebuild down. Until then a crash loses those scores, never the cache's consistency.
    let mut unflushed = false;
    loop {
        let batch = match watcher::next(&rx, &roots, unflushed.then_some(FLUSH_WHEN_IDLE)) {
            Next::Eof => {
                flush(&session);
                return Ok(exit(&shown));
            }
            Next::Interrupt => {
                flush(&session);
                return Ok(ExitCode::from(INTERRUPTED));
            }
            Next::Idle => {
                flush(&session);
                unflushed = false;
                continue;
            }
            Next::Batch(batch) => batch,
        };
        let start = Instant::now();
        let mut changed = batch.changed;
        let mut rebuild = false;
        let mut rewatch = batch.rewatch;
        if batch.config {
            // A configuration file that went away (an editor's save, say) or names nothing to build would
            // empty out/: the previous configuration stays until it is back.
            let config = flags.config(config_path).and_then(|config| {
                if session.config.file.is_some() && config.file.is_none() {
                    anyhow::bail!("{}: no such file", config_path.display());
                }
                if config.solvers.is_empty() || config.tasks.is_empty() {
                    anyhow::bail!("{}: no solvers or no tasks configured", config_path.display());
                }
                Ok(config)
            });
            match config {
                Err(e) => eprintln!("batt: {e:#}; keeping the previous configuration"),
                Ok(config) => match session.reconfigure(config.clone()) {
                    Reconfigured::Same => {}
                    Reconfigured::Updated { paths } => {
                        rebuild = true;
                        rewatch |= paths;
                        if paths {
                            changed = Changed::all();
                        }
                    }
                    Reconfigured::Reopen => {
                        // The old session's scores go to its cache before it is closed.
                        flush(&session);
                        unflushed = false;
                        match Session::open(config, !flags.no_cache, flags.jobs) {
                            Ok(opened) => {
                                session = opened;
                                signal.watch_cache(&mut session);
                                inputs = session.watch_inputs();
                                rebuild = true;
                                rewatch = true;
                            }
                            Err(e) => eprintln!("batt: {e:#}; keeping the previous configuration"),
                        }
                    }
                },
            }
        }
        if rewatch && watcher.is_some() {
            roots = Roots::new(config_path, &session.config);
            watcher = Some(watcher::watch(&roots, tx.clone()).context("watching the project")?);
            // What was created in a new folder before it was watched is found by reading everything.
            changed = Changed::all();
        }
        let applied = session.apply_changes(&mut inputs, &changed);
        let apply_ms = start.elapsed().as_secs_f64() * 1000.0;
        for error in &applied.errors {
            eprintln!("batt: {error}");
        }
        for path in &applied.newly_held {
            println!("{}: syntax errors; building with its last good version until they are fixed", path.display());
        }
        rebuild |= applied.inputs;
        if !rebuild && !applied.held {
            eprintln!("batt: no change");
            continue;
        }
        // The build is planned, what changed is printed, and then `out/` is written: the delta shows as
        // soon as it is known, and the status line follows once `out/` holds it.
        let planned = if rebuild {
            match signal.plan(&session) {
                Ok(Some(planned)) => Some(planned),
                Ok(None) => {
                    flush(&session);
                    return Ok(ExitCode::from(INTERRUPTED));
                }
                Err(e) => {
                    eprintln!("batt: {e:#}");
                    session.store_pending();
                    unflushed = true;
                    continue;
                }
            }
        } else {
            None
        };
        let (report, built, errored) = match &planned {
            Some(p) => (p.built.report.clone(), p.built.messages.clone(), p.built.errored),
            None => (shown.report.clone(), shown.built.clone(), shown.errored),
        };
        let mut messages = built.clone();
        messages.extend(inputs.held_messages());
        let delta = changes(&shown.report, &report);
        for change in &delta {
            println!("{change}");
        }
        let (added, fixed) = diagnostics_delta(&shown.messages, &messages);
        for message in &added {
            println!("{message}");
        }
        for message in &fixed {
            println!("fixed: {message}");
        }
        if let Some(planned) = planned {
            match signal.write(&session, planned) {
                Ok(Some(written)) if args.timings => print_timings(apply_ms, &written),
                Ok(Some(_)) => {}
                Ok(None) => {
                    flush(&session);
                    return Ok(ExitCode::from(INTERRUPTED));
                }
                // Writing out/ failed (a full disk, a folder made read-only): say so and keep watching.
                Err(e) => eprintln!("batt: {e:#}"),
            }
        }
        eprintln!(
            "batt: {} ms: {} task{} changed, {} new diagnostic{}, {} fixed",
            start.elapsed().as_millis(),
            delta.len(),
            plural(delta.len()),
            added.len(),
            plural(added.len()),
            fixed.len()
        );
        shown = Shown { report, built, errored, messages };
        session.store_pending();
        unflushed = true;
        if args.once_changed {
            flush(&session);
            return Ok(exit(&shown));
        }
    }
}

/// Stores the scores computed since the last flush in the cache and makes them durable.
fn flush(session: &Session) {
    session.store_pending();
    if let Some(cache) = session.db.score_cache()
        && let Err(e) = cache.flush()
    {
        eprintln!("batt: could not store scores in the cache: {e}");
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// 1 when an error diagnostic is showing (a held file's syntax errors count), 0 otherwise.
fn exit(shown: &Shown) -> ExitCode {
    if shown.errored || shown.messages.len() > shown.built.len() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// `1 solver file, 400 task files and batt.toml`.
fn watched(session: &Session, config_path: &Path) -> String {
    let (s, t) = (session.project.solver_files(&session.db).len(), session.project.task_files(&session.db).len());
    format!("{s} solver file{}, {t} task file{} and {}", plural(s), plural(t), config_path.display())
}

/// `batt: stages (ms): parse 1.2, inline+validate 3.4, …` on one line.
fn print_timings(apply_ms: f64, built: &Built) {
    let t = &built.timings;
    let ms = |s: f64| s * 1000.0;
    eprintln!(
        "batt: stages (ms): read changes {apply_ms:.1}, parse {:.1}, inline+validate {:.1}, expand {:.1}, load tasks {:.1}, score {:.1}, assemble {:.1}, write {:.1}, \
         build {:.1}; cache {} hits, {} misses; out/ {} written, {} removed",
        ms(t.parse),
        ms(t.inline_validate),
        ms(t.expand),
        ms(t.load_tasks),
        ms(t.score),
        ms(t.assemble),
        ms(t.write),
        ms(t.total),
        built.cache_hits,
        built.cache_misses,
        built.synced.written,
        built.synced.removed
    );
}

/// Sends a rescan for every line of standard input, then end of input.
fn read_stdin(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            if line.is_err() || tx.send(Msg::Rescan).is_err() {
                break;
            }
        }
        let _ = tx.send(Msg::Eof);
    });
}

/// A diagnostic without its `:line:col`, so that one which only moved (lines added above it) is neither
/// new nor fixed.
fn without_position(message: &str) -> String {
    let Some(colon) = message.find(": ") else { return message.to_string() };
    let (head, rest) = message.split_at(colon);
    let mut parts = head.rsplitn(3, ':');
    let (col, line, path) = (parts.next(), parts.next(), parts.next());
    let numeric = |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    match path {
        Some(path) if numeric(line) && numeric(col) => format!("{path}{rest}"),
        _ => message.to_string(),
    }
}

/// The diagnostics of `new` that `old` had not (new), and those of `old` that `new` has not (fixed),
/// compared without their positions.
fn diagnostics_delta<'a>(old: &'a [String], new: &'a [String]) -> (Vec<&'a String>, Vec<&'a String>) {
    let mut count: HashMap<String, isize> = HashMap::new();
    for m in old {
        *count.entry(without_position(m)).or_default() += 1;
    }
    for m in new {
        *count.entry(without_position(m)).or_default() -= 1;
    }
    // A key with more in `new` than in `old` has that many new ones (its last), and the other way round.
    let pick = |list: &'a [String], sign: isize| -> Vec<&'a String> {
        let mut left: HashMap<String, isize> = count.iter().map(|(k, v)| (k.clone(), sign * v)).collect();
        let mut out: Vec<&String> = Vec::new();
        for m in list.iter().rev() {
            if let Some(n) = left.get_mut(&without_position(m))
                && *n > 0
            {
                *n -= 1;
                out.push(m);
            }
        }
        out.reverse();
        out
    };
    (pick(new, -1), pick(old, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_ignored_when_comparing_diagnostics() {
        assert_eq!(without_position("a/b.py:12:3: P003 expected `)`"), "a/b.py: P003 expected `)`");
        assert_eq!(without_position("skipped task: t.json: bad"), "skipped task: t.json: bad");
        let old: Vec<String> = ["f.py:1:1: W1 x", "f.py:5:1: V2 y", "f.py:9:1: V2 y"].map(String::from).into();
        let new: Vec<String> = ["f.py:2:1: W1 x", "f.py:6:1: V2 y", "f.py:7:1: P3 z"].map(String::from).into();
        let (added, fixed) = diagnostics_delta(&old, &new);
        assert_eq!(added, vec!["f.py:7:1: P3 z"]);
        assert_eq!(fixed, vec!["f.py:9:1: V2 y"]);
    }
}

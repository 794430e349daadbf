//! `batt build`: evaluate every solver in scope on every task and write `OUT/`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::ProjectFlags;
use crate::pipeline::{Built, Session, previous_report};
use crate::progress::Progress;
use crate::report::changes;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectFlags,
    /// Print a one-object JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
    /// Print the time of each stage and the cache hits and misses.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(config_path: &Path, args: BuildArgs) -> Result<ExitCode> {
    let config = args.project.config(config_path)?;
    let before = previous_report(&config.out);
    let session = Session::open(config, !args.project.no_cache, args.project.jobs)?;
    let built = session.build(&Progress::new(!args.json))?;
    session.finish();
    for message in &built.messages {
        eprintln!("{message}");
    }
    let delta = before.as_ref().map(|old| changes(old, &built.report)).unwrap_or_default();
    if args.json {
        println!("{}", json_summary(&built, &delta));
    } else {
        print_summary(&built, &delta, before.is_some());
    }
    if args.timings {
        print_timings(&built);
    }
    Ok(if built.errored { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn json_summary(built: &Built, delta: &[crate::report::TaskChange]) -> serde_json::Value {
    let ids = |pick: fn(&crate::report::TaskChange) -> bool| -> Vec<&str> {
        delta.iter().filter(|c| pick(c)).map(|c| c.task.as_str()).collect()
    };
    serde_json::json!({
        "summary": built.report.summary,
        "seconds": built.timings,
        "cache": { "hits": built.cache_hits, "misses": built.cache_misses },
        "outcomes": built.outcomes,
        "out": { "written": built.synced.written, "removed": built.synced.removed, "unchanged": built.synced.unchanged },
        "changes": { "newly_solved": ids(|c| c.newly_solved()), "newly_broken": ids(|c| c.newly_broken()),
                     "changed": delta.len() },
    })
}

pub(super) fn print_summary(built: &Built, delta: &[crate::report::TaskChange], had_previous: bool) {
    let s = &built.report.summary;
    eprintln!(
        "batt: {} tasks, {} solvers ({} distinct programs, {} invalid), {} pairs: {} tasks solved in {:.2}s",
        s.tasks, s.solvers, s.programs, s.invalid_solvers, s.pairs_run, s.tasks_solved, built.timings.total
    );
    print_near_misses(&built.report);
    if had_previous {
        let solved: Vec<_> = delta.iter().filter(|c| c.newly_solved()).collect();
        let broken: Vec<_> = delta.iter().filter(|c| c.newly_broken()).collect();
        if delta.is_empty() {
            eprintln!("batt: no task changed since the last build");
        } else {
            eprintln!(
                "batt: since the last build: {} newly solved, {} newly broken, {} changed in all",
                solved.len(),
                broken.len(),
                delta.len()
            );
            for change in solved.iter().chain(&broken).take(20) {
                eprintln!("  {change}");
            }
        }
    }
}

/// For unsolved tasks: how many have near misses, and the best near miss of the ten nearest (by score per
/// pair).
fn print_near_misses(report: &crate::report::Report) {
    let unsolved: Vec<_> = report.tasks.iter().filter(|(_, t)| !t.solved).collect();
    let mut nearest: Vec<_> = unsolved
        .iter()
        .filter_map(|(id, t)| Some((id, t.samples, t.near_misses.first()?)))
        .map(|(id, samples, miss)| (miss.score / samples.max(1) as i64, id, samples, miss))
        .collect();
    if nearest.is_empty() {
        return;
    }
    nearest.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    eprintln!(
        "batt: {} unsolved tasks, {} with near misses (by {}); the nearest:",
        unsolved.len(),
        nearest.len(),
        nearest[0].3.differ
    );
    for (per_pair, id, samples, miss) in nearest.iter().take(10) {
        let hash = &miss.hash[..miss.hash.len().min(8)];
        eprintln!("  {id}  {} over {samples} pairs ({per_pair}/pair)  {}  ({hash}…)", miss.score, miss.name);
    }
}

fn print_timings(built: &Built) {
    let t = &built.timings;
    eprintln!("stage            seconds");
    for (stage, secs) in [
        ("parse", t.parse),
        ("inline+validate", t.inline_validate),
        ("expand", t.expand),
        ("load tasks", t.load_tasks),
        ("score", t.score),
        ("assemble", t.assemble),
        ("write out/", t.write),
        ("total", t.total),
    ] {
        eprintln!("{stage:<16} {secs:8.3}");
    }
    eprintln!(
        "cache: {} hits, {} misses; out/: {} written, {} removed, {} unchanged",
        built.cache_hits, built.cache_misses, built.synced.written, built.synced.removed, built.synced.unchanged
    );
}

//! `batt build`: evaluate every solver in scope on every task and write `OUT/report.json`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use batt_queries::cache::Cache;
use batt_queries::db::BattDb;
use batt_queries::project::{program_names, programs, score, solvers, task_list, tasks};
use rayon::prelude::*;
use serde::Serialize;

use super::ProjectFlags;
use crate::output::Tree;
use crate::project;
use crate::report::{Report, SolverResult, TaskReport};

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectFlags,
    /// Print a one-object JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
    /// Neither read nor write the persistent score cache (OUT/.batt/cache.redb).
    #[arg(long)]
    pub no_cache: bool,
}

/// Seconds spent in each stage.
#[derive(Serialize, Default, Debug)]
struct Timings {
    discover: f64,
    parse: f64,
    inline_validate: f64,
    expand: f64,
    load_tasks: f64,
    score: f64,
    write: f64,
    total: f64,
}

pub fn run(config_path: &Path, args: BuildArgs) -> Result<ExitCode> {
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
    let config = args.project.config(config_path)?;
    let files = project::discover(&config)?;
    let cache = if args.no_cache {
        None
    } else {
        let path = config.out.join(".batt").join("cache.redb");
        match Cache::open(&path) {
            Ok(cache) => Some(cache),
            Err(e) => {
                eprintln!("batt: cache {} unavailable ({e}); building without it", path.display());
                None
            }
        }
    };
    let db = BattDb::with_cache(cache);
    let project = project::load(&db, &config, &files);
    timings.discover = lap();

    // Run the stages one after another so that each can be timed; each is a memoized query.
    for &file in project.solver_files(&db) {
        batt_queries::parse::parse(&db, file);
    }
    timings.parse = lap();
    let solver_list = solvers(&db, project);
    timings.inline_validate = lap();
    let program_list = programs(&db, project);
    let names = program_names(&db, project);
    timings.expand = lap();
    let task_refs = task_list(&db, project);
    timings.load_tasks = lap();
    let results: Vec<_> =
        task_refs.par_iter().map_with(db.clone(), |db, t| score(&*db, project, t.file, t.index).clone()).collect();
    timings.score = lap();

    let fresh: Vec<_> = results.iter().flatten().flat_map(|t| t.fresh.iter().cloned()).collect();
    let (n_fresh, n_cached) =
        (fresh.len(), results.iter().flatten().map(|t| t.scores.len()).sum::<usize>() - fresh.len());
    if let Some(cache) = db.score_cache()
        && let Err(e) = cache.put_all(&fresh)
    {
        eprintln!("batt: could not store scores in the cache: {e}");
    }

    let mut errored = false;
    let mut errors_txt = String::new();
    for &file in project.solver_files(&db) {
        for diagnostic in batt_queries::project::diagnostics(&db, file) {
            errored |= diagnostic.is_error;
            eprintln!("{}", diagnostic.rendered);
            errors_txt.push_str(&diagnostic.rendered);
            errors_txt.push('\n');
        }
    }
    let mut bad_tasks = 0;
    for &file in project.task_files(&db) {
        for error in &tasks(&db, file).errors {
            bad_tasks += 1;
            errored = true;
            eprintln!("batt: skipped task: {error}");
            errors_txt.push_str(&format!("skipped task: {error}\n"));
        }
    }

    let mut report = Report::default();
    let mut tree = Tree::default();
    // Each program's canonical file, expanded from the first solver with its hash.
    let mut first_of: std::collections::HashMap<&str, _> = std::collections::HashMap::new();
    for entry in solver_list.iter().filter(|e| !e.is_differ) {
        if let Some(hash) = &entry.hash {
            first_of.entry(hash.as_str()).or_insert(entry);
        }
    }
    for program in program_list.iter() {
        let Some(entry) = first_of.get(program.hash.as_str()) else { continue };
        if let Some(expanded) = batt_queries::expand::expanded(&db, entry.file, entry.index) {
            tree.file(format!("solvers/{}.py", program.hash), expanded.text.clone());
        }
    }
    let mut pairs_run = 0;
    let mut outcomes: std::collections::BTreeMap<&'static str, usize> = std::collections::BTreeMap::new();
    for task_scores in results.iter().flatten() {
        let task = &task_scores.task;
        let mut entry = TaskReport { samples: task.samples(), solved: false, solvers: Vec::new() };
        for (k, scores) in &task_scores.scores {
            pairs_run += scores.outcomes.len();
            for outcome in &scores.outcomes {
                *outcomes.entry(outcome.name()).or_default() += 1;
            }
            let matches = scores.matches();
            if matches == 0 {
                continue;
            }
            let program = &program_list[*k as usize];
            let own = format!("solve_{}", task.id);
            for name in &names[*k as usize] {
                if config.scope == crate::config::Scope::Own && *name != own {
                    continue;
                }
                entry.solvers.push(SolverResult { name: name.clone(), hash: program.hash.clone(), matches });
            }
        }
        entry.finish();
        // Ranked links: best first, ties by hash, at most `keep`.
        let mut ranked: Vec<(usize, &str)> = task_scores
            .scores
            .iter()
            .map(|(k, s)| (s.matches(), program_list[*k as usize].hash.as_str()))
            .filter(|(m, _)| *m > 0)
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        for (matches, hash) in ranked.into_iter().take(config.keep) {
            tree.link(
                format!("tasks/{}/{}-of-{}/{hash}.py", task.id, matches, task.samples()),
                format!("../../../solvers/{hash}.py"),
            );
        }
        report.tasks.insert(task.id.clone(), entry);
    }
    let summary = &mut report.summary;
    summary.tasks = report.tasks.len();
    summary.solvers = solver_list.iter().filter(|s| !s.is_differ).count();
    summary.invalid_solvers = solver_list.iter().filter(|s| s.hash.is_none()).count();
    summary.programs = program_list.len();
    summary.bad_tasks = bad_tasks;
    summary.pairs_run = pairs_run;
    summary.tasks_solved = report.tasks.values().filter(|t| t.solved).count();

    tree.file("report.json", report.to_json());
    tree.file("errors.txt", errors_txt);
    std::fs::create_dir_all(&config.out).with_context(|| format!("creating {}", config.out.display()))?;
    let synced = tree.sync(&config.out, &["solvers", "tasks"])?;
    timings.write = lap();
    timings.total = start.elapsed().as_secs_f64();

    let s = &report.summary;
    if args.json {
        let summary = serde_json::json!({
            "summary": s,
            "seconds": timings,
            "cache": { "hits": n_cached, "misses": n_fresh },
            "outcomes": outcomes,
            "out": { "written": synced.written, "removed": synced.removed, "unchanged": synced.unchanged },
        });
        println!("{summary}");
    } else {
        eprintln!(
            "batt: {} tasks, {} solvers ({} distinct programs, {} invalid), {} pairs: {} tasks solved in {:.2}s \
             ({n_fresh} program×task runs, {n_cached} from cache; out/: {} written, {} removed)",
            s.tasks,
            s.solvers,
            s.programs,
            s.invalid_solvers,
            s.pairs_run,
            s.tasks_solved,
            timings.total,
            synced.written,
            synced.removed
        );
    }
    Ok(if errored { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

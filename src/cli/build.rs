//! `batt build`: evaluate every solver in scope on every task and write `OUT/report.json`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use batt_queries::db::BattDb;
use batt_queries::project::{program_names, programs, score, solvers, task_list, tasks};
use rayon::prelude::*;
use serde::Serialize;

use super::ProjectFlags;
use crate::project;
use crate::report::{Report, SolverResult, TaskReport};

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectFlags,
    /// Print a one-object JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
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
    let db = BattDb::default();
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
    let results: Vec<_> = task_refs
        .par_iter()
        .map_with(db.clone(), |db, t| score(&*db, project, t.file, t.index).clone())
        .collect();
    timings.score = lap();

    let mut errored = false;
    for &file in project.solver_files(&db) {
        for diagnostic in batt_queries::project::diagnostics(&db, file) {
            errored |= diagnostic.is_error;
            eprintln!("{}", diagnostic.rendered);
        }
    }
    let mut bad_tasks = 0;
    for &file in project.task_files(&db) {
        for error in &tasks(&db, file).errors {
            bad_tasks += 1;
            errored = true;
            eprintln!("batt: skipped task: {error}");
        }
    }

    let mut report = Report::default();
    let mut pairs_run = 0;
    for task_scores in results.iter().flatten() {
        let task = &task_scores.task;
        let mut entry = TaskReport { samples: task.samples(), solved: false, solvers: Vec::new() };
        for (k, scores) in &task_scores.scores {
            pairs_run += scores.outcomes.len();
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

    std::fs::create_dir_all(&config.out).with_context(|| format!("creating {}", config.out.display()))?;
    write_atomic(&config.out.join("report.json"), report.to_json().as_bytes())?;
    timings.write = lap();
    timings.total = start.elapsed().as_secs_f64();

    let s = &report.summary;
    if args.json {
        let summary = serde_json::json!({ "summary": s, "seconds": timings });
        println!("{summary}");
    } else {
        eprintln!(
            "batt: {} tasks, {} solvers ({} distinct programs, {} invalid), {} pairs run: {} tasks solved in {:.2}s",
            s.tasks, s.solvers, s.programs, s.invalid_solvers, s.pairs_run, s.tasks_solved, timings.total
        );
    }
    Ok(if errored { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Writes `bytes` to `path` through a temporary file and a rename, so readers never see half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

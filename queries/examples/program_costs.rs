//! Profiling aid: run every function of a solver file on every task of a directory (scope all), one
//! program at a time, and print the programs that take the most wall time in total, with their outcomes,
//! and how the time splits between runs that hit a bound (fuel, memory) and the rest.
//!
//! `cargo run --release -p batt-queries --example program_costs -- SOLVERS.py TASKS_DIR [N]`

use std::time::Instant;

use batt_queries::names::Runtime;
use batt_queries::score::{Outcome, score_one};
use batt_runtime::{ErrorKind, Limits};

mod common;

#[global_allocator]
static ALLOC: batt_runtime::alloc::Mimalloc = batt_runtime::alloc::Mimalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(solvers), Some(tasks)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: program_costs SOLVERS.py TASKS_DIR [N]");
        std::process::exit(2);
    };
    let top: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(15);
    let text = std::fs::read_to_string(solvers).unwrap_or_default();
    let module = batt_syntax::parse(&text);
    let loaded = common::load_tasks(tasks);
    let mut costs = Vec::new();
    // Seconds spent on (program, task) runs with a pair out of fuel; with one out of memory; the rest.
    let mut by_bound = [0.0f64; 3];
    for function in &module.functions {
        let inlined = batt_queries::inline::inline(function);
        let Ok(program) = batt_queries::expand::lower(&inlined, &Runtime) else { continue };
        let start = Instant::now();
        let (mut fuel, mut errors, mut fuel_secs) = (0, 0, 0.0);
        for task in &loaded {
            let run = Instant::now();
            let outcomes = score_one(&program, task, Limits::default()).outcomes;
            let secs = run.elapsed().as_secs_f64();
            let bound = |kind| outcomes.contains(&Outcome::Error(kind));
            match (bound(ErrorKind::Fuel), bound(ErrorKind::Memory)) {
                (true, _) => {
                    by_bound[0] += secs;
                    fuel_secs += secs;
                }
                (false, true) => by_bound[1] += secs,
                (false, false) => by_bound[2] += secs,
            }
            for outcome in outcomes {
                match outcome {
                    Outcome::Error(ErrorKind::Fuel) => fuel += 1,
                    Outcome::Error(_) => errors += 1,
                    _ => {}
                }
            }
        }
        costs.push((start.elapsed().as_secs_f64(), function.name.text.clone(), fuel, fuel_secs, errors));
    }
    let total: f64 = costs.iter().map(|c| c.0).sum();
    costs.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("{} programs × {} tasks: {total:.2} s in all", costs.len(), loaded.len());
    println!(
        "by task: {:.2} s with a pair out of fuel, {:.2} s with one out of memory, {:.2} s within bounds",
        by_bound[0], by_bound[1], by_bound[2]
    );
    for (secs, name, fuel, fuel_secs, errors) in costs.iter().take(top) {
        println!(
            "{secs:8.3} s {:5.1}%  {name}  (fuel-outs {fuel} in {fuel_secs:.3} s, errors {errors})",
            100.0 * secs / total
        );
    }
}

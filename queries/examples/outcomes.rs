//! Per-pair outcomes of every `solve*` function of a solver file on every task of a directory (scope all),
//! evaluated as a build evaluates them (one shared graph per task), printed as JSON lines
//! `{"task", "solver", "outcomes"}`: per pair, demo pairs first, `pass`, `fail`, the name of the Python
//! exception, `fuel` or `memory`. With `--canonical FILE` it also writes each function's canonical
//! expansion, under the function's own name, to FILE: the programs batt actually ran, for CPython to run.
//! `tools/cross_check.py` compares these outcomes with CPython arc-dsl's.
//!
//! `cargo run --release -p batt-queries --example outcomes -- SOLVERS.py TASKS_DIR [--canonical FILE]`

use batt_queries::expand::{Role, expand, lower};
use batt_queries::inline::inline;
use batt_queries::names::Runtime;
use batt_queries::score::{Graph, score_task};
use batt_runtime::Limits;

mod common;

#[global_allocator]
static ALLOC: batt_runtime::alloc::Mimalloc = batt_runtime::alloc::Mimalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(solvers), Some(tasks)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: outcomes SOLVERS.py TASKS_DIR [--canonical FILE]");
        std::process::exit(2);
    };
    let canonical_out = args.iter().position(|a| a == "--canonical").and_then(|k| args.get(k + 1));
    let text = match std::fs::read_to_string(solvers) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{solvers}: {e}");
            std::process::exit(2);
        }
    };
    let module = batt_syntax::parse(&text);
    let (mut names, mut programs) = (Vec::new(), Vec::new());
    let mut canonical = String::from("from dsl import *\nfrom constants import *\n");
    for function in module.functions.iter().filter(|f| f.name.text.starts_with("solve")) {
        if !function.has_valid_syntax() {
            eprintln!("{}: not run (syntax error; `batt check` says where)", function.name.text);
            continue;
        }
        let inlined = inline(function);
        match lower(&inlined, &Runtime) {
            Ok(program) => {
                let expanded = expand(&inlined, Role::Solver).text;
                let body = expanded.split_once("def solve(").map_or("", |(_, body)| body);
                canonical.push_str(&format!("\n\ndef {}({body}", function.name.text));
                names.push(function.name.text.clone());
                programs.push(program);
            }
            Err(e) => eprintln!("{}: not run ({e})", function.name.text),
        }
    }
    if let Some(path) = canonical_out
        && let Err(e) = std::fs::write(path, canonical)
    {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    }
    let graph = Graph::new(&programs);
    for task in common::load_tasks(tasks) {
        for (name, scores) in names.iter().zip(score_task(&graph, &task, Limits::default())) {
            let outcomes: Vec<&str> = scores.outcomes.iter().map(|o| o.name()).collect();
            println!("{}", serde_json::json!({"task": task.id, "solver": name, "outcomes": outcomes}));
        }
    }
}

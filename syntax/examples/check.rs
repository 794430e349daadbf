//! Parses the files named on the command line and prints their syntax errors in the concise form,
//! then one summary line per file: `cargo run -p batt-syntax --example check -- solvers.py`.

use std::process::ExitCode;

use batt_syntax::diagnostic::render_concise_with;
use batt_syntax::{LineIndex, parse};

fn main() -> ExitCode {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("{path}: {err}");
                failed = true;
                continue;
            }
        };
        let module = parse(&text);
        let index = LineIndex::new(&text);
        let mut n_errors = 0;
        for diag in module.all_errors() {
            println!("{}", render_concise_with(&path, &text, &index, diag));
            n_errors += 1;
        }
        let n_statements: usize = module.functions.iter().map(|f| f.body.len()).sum();
        println!("{path}: {} functions, {n_statements} statements, {n_errors} syntax errors", module.functions.len());
        failed |= n_errors > 0;
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

//! Prints `name<TAB>hash<TAB>canonical expression` for every function of the files named on the command
//! line, or with `--expand` each function's canonical file: `cargo run -p batt-queries --example canon --
//! solvers.py`.

use batt_queries::expand::{Role, expand};
use batt_queries::inline::inline;

fn main() {
    let mut expand_mode = false;
    for arg in std::env::args().skip(1) {
        if arg == "--expand" {
            expand_mode = true;
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&arg) else {
            eprintln!("{arg}: cannot read");
            continue;
        };
        let module = batt_syntax::parse(&text);
        for function in &module.functions {
            let inlined = inline(function);
            if expand_mode {
                println!("# {}\n{}", function.name.text, expand(&inlined, Role::Solver).text);
            } else {
                println!("{}\t{}\t{}", function.name.text, inlined.hash(), inlined.canonical_text());
            }
        }
    }
}

//! Benchmark: inline and hash every function of a solver file (arc-dsl's `solvers.py`, say), many times
//! over, and print the time per solver.
//!
//! `cargo run --release -p batt-queries --example inline_bench -- PATH/TO/solvers.py`

use std::time::Instant;

/// The allocator the `batt` binary uses.
#[global_allocator]
static ALLOC: batt_runtime::alloc::Mimalloc = batt_runtime::alloc::Mimalloc;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: inline_bench PATH/TO/solvers.py");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let module = batt_syntax::parse(&text);
    let n = module.functions.len();
    let rounds = 200;
    let mut best = f64::INFINITY;
    for _ in 0..10 {
        let start = Instant::now();
        let mut acc = 0u128;
        for _ in 0..rounds {
            for function in &module.functions {
                acc ^= batt_queries::inline::inline(std::hint::black_box(function)).hash().0;
            }
        }
        std::hint::black_box(acc);
        best = best.min(start.elapsed().as_secs_f64() / (rounds * n) as f64);
    }
    println!("{n} solvers: inline + hash {:.2} µs per solver (best of 10 rounds of {rounds})", best * 1e6);
}

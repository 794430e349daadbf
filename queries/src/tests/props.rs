//! Property tests over randomly generated valid solvers: the content hash ignores variable names, the
//! order of independent lines, the function name and unused lines, and notices any changed argument or
//! callee; expansion and inlining round-trip; a shared graph runs each program as it runs alone; the
//! parser survives arbitrary input.

use std::sync::LazyLock;

use batt_runtime::eval::{Inputs, Program};
use batt_runtime::{Limits, Value, prims};
use proptest::prelude::*;

use crate::expand::{Role, expand, lower};
use crate::inline::{ContentHash, inline};
use crate::names::Runtime;
use crate::score::Graph;
use crate::tests::mock::{ArcDsl, MockResolve, primitives};
use crate::validate::validate;

/// The primitives a generated line may call.
static PRIMS: LazyLock<Vec<(&'static str, usize)>> = LazyLock::new(|| primitives().collect());

/// An argument of a generated call.
#[derive(Clone, Debug)]
enum Arg {
    /// The value of an earlier line.
    Var(usize),
    /// `I`.
    Input,
    /// A constant such as `FIVE`.
    Const(&'static str),
    /// A small integer literal.
    Int(i64),
    /// A pair of atoms.
    Pair(Box<Arg>, Box<Arg>),
}

/// What a generated line calls.
#[derive(Clone, Debug)]
enum Callee {
    /// A primitive, with as many arguments as it takes.
    Prim(&'static str),
    /// The value of an earlier line (as in `x5 = x4(I)`).
    Var(usize),
}

#[derive(Clone, Debug)]
struct Line {
    callee: Callee,
    args: Vec<Arg>,
}

/// A solver as a list of lines, each using only earlier ones; the last line is returned.
#[derive(Clone, Debug)]
struct Solver {
    lines: Vec<Line>,
}

/// Raw random choices for one argument: a kind, an index and an integer.
type ArgSeed = (u8, usize, i64);

fn arg_from_seed((kind, idx, int): ArgSeed, k: usize, allow_pair: bool) -> Arg {
    let constants = prims::constants();
    match kind % 8 {
        0..=2 if k > 0 => Arg::Var(idx % k),
        0..=3 => Arg::Input,
        4 | 5 => Arg::Const(constants[idx % constants.len()].0),
        6 => Arg::Int(int),
        _ if allow_pair => Arg::Pair(
            Box::new(arg_from_seed((kind / 8, idx / 7, int), k, false)),
            Box::new(arg_from_seed((kind / 3, idx / 5, int + 1), k, false)),
        ),
        _ => Arg::Int(int),
    }
}

fn solver_strategy() -> impl Strategy<Value = Solver> {
    let arg_seed = (any::<u8>(), any::<usize>(), -3i64..10);
    let line_seed = (any::<usize>(), prop::bool::weighted(0.15), prop::collection::vec(arg_seed, 4));
    prop::collection::vec(line_seed, 1..18).prop_map(|seeds| {
        let lines = seeds
            .into_iter()
            .enumerate()
            .map(|(k, (prim_idx, through_var, arg_seeds))| {
                let (callee, arity) = if through_var && k > 0 {
                    (Callee::Var(prim_idx % k), 1)
                } else {
                    let (name, arity) = PRIMS[prim_idx % PRIMS.len()];
                    (Callee::Prim(name), arity)
                };
                let args = arg_seeds.into_iter().take(arity).map(|seed| arg_from_seed(seed, k, true)).collect();
                Line { callee, args }
            })
            .collect();
        Solver { lines }
    })
}

impl Solver {
    fn root(&self) -> usize {
        self.lines.len() - 1
    }

    /// The lines `k` reads directly.
    fn deps(&self, k: usize) -> Vec<usize> {
        fn arg_deps(arg: &Arg, out: &mut Vec<usize>) {
            match arg {
                Arg::Var(j) => out.push(*j),
                Arg::Pair(a, b) => {
                    arg_deps(a, out);
                    arg_deps(b, out);
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Callee::Var(j) = self.lines[k].callee {
            out.push(j);
        }
        self.lines[k].args.iter().for_each(|arg| arg_deps(arg, &mut out));
        out
    }

    /// The lines the root depends on, the root included.
    fn reachable(&self) -> Vec<usize> {
        let mut seen = vec![false; self.lines.len()];
        let mut stack = vec![self.root()];
        while let Some(k) = stack.pop() {
            if !std::mem::replace(&mut seen[k], true) {
                stack.extend(self.deps(k));
            }
        }
        (0..self.lines.len()).filter(|&k| seen[k]).collect()
    }

    /// A topological order that prefers lines of lower `priority`.
    fn order(&self, priority: &[u32]) -> Vec<usize> {
        let n = self.lines.len();
        let mut placed = vec![false; n];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            let next = (0..n)
                .filter(|&k| !placed[k] && self.deps(k).iter().all(|&j| placed[j]))
                .min_by_key(|&k| (priority.get(k).copied().unwrap_or(0), k))
                .expect("an acyclic solver always has a ready line");
            placed[next] = true;
            order.push(next);
        }
        order
    }

    /// The solver as source text, with line `k` named `names[k]`, lines in `order`, and `extra` lines
    /// inserted first.
    fn render(&self, function: &str, names: &[String], order: &[usize], extra: &[&str]) -> String {
        fn arg_text(arg: &Arg, names: &[String]) -> String {
            match arg {
                Arg::Var(j) => names[*j].clone(),
                Arg::Input => "I".to_string(),
                Arg::Const(name) => name.to_string(),
                Arg::Int(value) => value.to_string(),
                Arg::Pair(a, b) => format!("({}, {})", arg_text(a, names), arg_text(b, names)),
            }
        }
        let mut text = format!("from dsl import *\n\ndef {function}(I):\n");
        for line in extra {
            text.push_str(&format!("    {line}\n"));
        }
        for &k in order {
            let line = &self.lines[k];
            let callee = match line.callee {
                Callee::Prim(name) => name.to_string(),
                Callee::Var(j) => names[j].clone(),
            };
            let args: Vec<String> = line.args.iter().map(|arg| arg_text(arg, names)).collect();
            text.push_str(&format!("    {} = {callee}({})\n", names[k], args.join(", ")));
        }
        text.push_str(&format!("    return {}\n", names[self.root()]));
        text
    }

    /// The text in arc-dsl's style: `x1`, `x2`, … in line order.
    fn plain(&self) -> String {
        let names: Vec<String> = (0..self.lines.len()).map(|k| format!("x{}", k + 1)).collect();
        let order: Vec<usize> = (0..self.lines.len()).collect();
        self.render("solve_plain", &names, &order, &[])
    }
}

fn hash_of(text: &str) -> ContentHash {
    crate::tests::inline_text(text).hash()
}

/// A solver, a shuffle of line numbers (for new names) and random line priorities (for a new order).
fn variant_strategy() -> impl Strategy<Value = (Solver, Vec<usize>, Vec<u32>)> {
    solver_strategy().prop_flat_map(|solver| {
        let n = solver.lines.len();
        let shuffle = Just((0..n).collect::<Vec<usize>>()).prop_shuffle();
        (Just(solver), shuffle, prop::collection::vec(any::<u32>(), n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_solvers_are_valid((solver, _, _) in variant_strategy()) {
        let text = solver.plain();
        let module = batt_syntax::parse(&text);
        prop_assert!(module.has_valid_syntax());
        let validated = validate(&module.functions[0], &ArcDsl);
        // Pairs of computed values are the one error a generated solver may have (`V009`), reported
        // exactly when lowering refuses the solver (a pair on a line the result does not need is neither).
        let computed_tuple = validated.errors().any(|d| d.code == "V009");
        prop_assert!(validated.errors().all(|d| d.code == "V009"), "{text}\n{:?}", validated.diagnostics);
        let refused = lower(&inline(&module.functions[0]), &MockResolve).is_err();
        prop_assert_eq!(refused, computed_tuple, "{}", text);
    }

    #[test]
    fn renaming_reordering_and_dead_lines_keep_the_hash((solver, shuffle, priority) in variant_strategy()) {
        let names: Vec<String> = shuffle.iter().map(|k| format!("tmp_{k}")).collect();
        let order = solver.order(&priority);
        let other = solver.render("another_name", &names, &order, &["dead = vmirror(I)", "dead2 = fill(I, ONE, dead)"]);
        prop_assert_eq!(hash_of(&solver.plain()), hash_of(&other), "{}\n{}", solver.plain(), other);
    }

    #[test]
    fn changing_one_argument_changes_the_hash((solver, pick, _) in variant_strategy(), arg_pick in any::<usize>()) {
        let reachable = solver.reachable();
        let line = reachable[pick[0] % reachable.len()];
        let mut changed = solver.clone();
        let args = &mut changed.lines[line].args;
        prop_assume!(!args.is_empty());
        let position = arg_pick % args.len();
        // No generated literal is this large, so the new argument is new to the solver.
        args[position] = Arg::Int(4242);
        prop_assert_ne!(hash_of(&solver.plain()), hash_of(&changed.plain()));
    }

    #[test]
    fn changing_one_callee_changes_the_hash((solver, pick, _) in variant_strategy(), prim_pick in any::<usize>()) {
        let reachable = solver.reachable();
        let line = reachable[pick[0] % reachable.len()];
        let Callee::Prim(name) = solver.lines[line].callee else { return Ok(()) };
        let arity = solver.lines[line].args.len();
        let others: Vec<&str> = PRIMS.iter().filter(|(n, a)| *a == arity && *n != name).map(|(n, _)| *n).collect();
        // `objects` is the only primitive of arity 4.
        prop_assume!(!others.is_empty());
        let mut changed = solver.clone();
        changed.lines[line].callee = Callee::Prim(others[prim_pick % others.len()]);
        prop_assert_ne!(hash_of(&solver.plain()), hash_of(&changed.plain()));
    }

    #[test]
    fn expand_and_inline_round_trip((solver, _, _) in variant_strategy()) {
        let text = solver.plain();
        let module = batt_syntax::parse(&text);
        let inlined = inline(&module.functions[0]);
        prop_assert_eq!(inlined.hash(), ContentHash::of_canonical_text(&inlined.canonical_text()));
        let expanded = expand(&inlined, Role::Solver);
        let reparsed = batt_syntax::parse(&expanded.text);
        prop_assert!(reparsed.has_valid_syntax(), "{}", expanded.text);
        let again = inline(&reparsed.functions[0]);
        prop_assert_eq!(again.hash(), inlined.hash());
        prop_assert_eq!(&expand(&again, Role::Solver), &expanded);
        // An expansion is as clean as a solver gets: no unused lines, no repeated calls.
        let validated = validate(&reparsed.functions[0], &ArcDsl);
        let findings: Vec<_> = validated.diagnostics.iter().filter(|d| d.code != "V009").collect();
        prop_assert!(findings.is_empty(), "{}\n{:?}", expanded.text, findings);
    }

    #[test]
    fn lowering_follows_the_expansion((solver, _, _) in variant_strategy()) {
        let module = batt_syntax::parse(&solver.plain());
        let inlined = inline(&module.functions[0]);
        let expanded = expand(&inlined, Role::Solver);
        let n_call_lines = expanded.text.lines().filter(|line| line.contains(" = ") && line.ends_with(')') && !line.contains(" = (")).count();
        match lower(&inlined, &MockResolve) {
            Ok(program) => prop_assert_eq!(program.nodes.len(), n_call_lines, "{}", expanded.text),
            // Pairs of computed values cannot be lowered; nothing else fails.
            Err(err) => prop_assert!(matches!(err, crate::expand::LowerError::ComputedTuple(_)), "{err}"),
        }
    }

    #[test]
    fn a_shared_graph_runs_each_program_as_it_runs_alone((solver, _, _) in variant_strategy(), fuel in 1u64..5_000) {
        // Every prefix of the solver is a program: they share most of their calls, and most stop early
        // (an exception, or the small budget), which is what a graph's bookkeeping must get right.
        let programs: Vec<Program> = (1..=solver.lines.len())
            .filter_map(|n| {
                let prefix = Solver { lines: solver.lines[..n].to_vec() };
                lower(&inline(&batt_syntax::parse(&prefix.plain()).functions[0]), &Runtime).ok()
            })
            .collect();
        let row = |cells: &[i64]| Value::int_tuple(cells);
        let grid = Value::tuple(vec![row(&[0, 2, 2]), row(&[0, 0, 5]), row(&[3, 0, 5])]);
        let demos = Value::tuple(vec![Value::tuple(vec![grid.clone(), grid.clone()])]);
        let inputs = Inputs { s: demos, i: grid, c: Value::None };
        let limits = Limits { fuel, max_len: 10_000 };
        let alone: Vec<_> = programs.iter().map(|p| Graph::new([p]).run(&inputs, limits).remove(0)).collect();
        prop_assert_eq!(&Graph::new(&programs).run(&inputs, limits), &alone, "{}", solver.plain());
        let mut reversed = Graph::new(programs.iter().rev()).run(&inputs, limits);
        reversed.reverse();
        prop_assert_eq!(&reversed, &alone, "{}", solver.plain());
    }

    #[test]
    fn the_parser_survives_anything(text in "[a-zA-Z0-9_ (),=:\\-\n\t#'\"$\\\\.*]{0,300}") {
        let module = batt_syntax::parse(&text);
        for diag in module.all_errors() {
            prop_assert!(diag.range.end().to_usize() <= text.len());
            prop_assert!(diag.code.starts_with('P'));
        }
        // Whatever parsed cleanly prints back to text that parses to the same thing.
        for function in module.functions.iter().filter(|f| f.has_valid_syntax()) {
            let printed = batt_syntax::printer::print_function(function);
            let again = batt_syntax::parse(&printed);
            prop_assert!(again.has_valid_syntax(), "{printed}");
            prop_assert_eq!(batt_syntax::printer::print_function(&again.functions[0]), printed);
        }
    }
}

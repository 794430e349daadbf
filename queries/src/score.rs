//! Stage 5, `score`: run programs on every demo and test pair of a task.
//!
//! A pair's [`Outcome`] is `pass` (the output equals the expected grid), `fail` (some other value), the
//! Python exception the run raised, or `fuel`/`memory` when it hit batt's bounds. A task's programs are
//! evaluated together, pair by pair, as one graph: a call that several programs share (the same callee on
//! the same arguments, after hash-consing) is computed once per grid ([`Graph`]). Results do not depend
//! on evaluation order or thread count: a program's outcome is the first error along its own post-order,
//! and its fuel is the sum of the costs of its own nodes.

use std::sync::Arc;

use batt_runtime::eval::{Inputs, Operand, Program};
use batt_runtime::{Ctx, Error, ErrorKind, LentArgs, Limits, Value};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::tasks::Task;

/// What one program did on one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Returned the expected output.
    Pass,
    /// Returned something else.
    Fail,
    /// The pair has no expected output to compare with (a Kaggle challenge without solutions).
    Unchecked,
    /// Raised (or hit a bound).
    Error(ErrorKind),
}

impl Outcome {
    /// A short name: `pass`, `fail`, `unchecked`, or the exception name.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Unchecked => "unchecked",
            Outcome::Error(kind) => kind.name(),
        }
    }
}

/// The outcomes of one program on every pair of a task (demo pairs first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scores {
    pub outcomes: Vec<Outcome>,
}

impl Scores {
    /// Pairs solved.
    pub fn matches(&self) -> usize {
        self.outcomes.iter().filter(|o| **o == Outcome::Pass).count()
    }
}

/// Programs merged into one hash-consed graph: node `k` is a call whose operands are inputs, constants
/// or earlier nodes, and each program is a root operand plus the nodes it needs, in its own post-order.
#[derive(Debug, Default)]
pub struct Graph {
    nodes: Vec<(Operand, Vec<Operand>)>,
    index: FxHashMap<(Operand, Vec<Operand>), u32>,
    /// Per program: its root and its nodes in evaluation order.
    programs: Vec<(Option<Operand>, Vec<u32>)>,
    /// Per program: `(position, node)` for each node whose last reader is this program, at that position
    /// of its order (its length for the root), in position order. A run drops each value there, so values
    /// are freed while still in cache and their memory is reused at once.
    releases: Vec<Vec<(u32, u32)>>,
}

impl Graph {
    /// Merges `programs` (each in SSA form) into one graph.
    pub fn new<'a>(programs: impl IntoIterator<Item = &'a Program>) -> Graph {
        let mut graph = Graph::default();
        for program in programs {
            graph.add(program);
        }
        graph.releases = graph.plan_releases();
        graph
    }

    /// Where each node's value is read for the last time. Reads happen in program order and, within a
    /// program, in the order of its nodes; which program first evaluates a shared node depends on which
    /// earlier ones stopped early, so every position that lists a reader of a node counts as a read.
    fn plan_releases(&self) -> Vec<Vec<(u32, u32)>> {
        let mut last: Vec<Option<(usize, u32)>> = vec![None; self.nodes.len()];
        for (p, (root, order)) in self.programs.iter().enumerate() {
            for (i, &j) in order.iter().enumerate() {
                let (callee, args) = &self.nodes[j as usize];
                last[j as usize] = Some((p, i as u32));
                for op in std::iter::once(callee).chain(args) {
                    if let Operand::Node(k) = op {
                        last[*k as usize] = Some((p, i as u32));
                    }
                }
            }
            if let Some(Operand::Node(k)) = root {
                last[*k as usize] = Some((p, order.len() as u32));
            }
        }
        let mut releases = vec![Vec::new(); self.programs.len()];
        for (k, at) in last.into_iter().enumerate() {
            if let Some((p, i)) = at {
                releases[p].push((i, k as u32));
            }
        }
        for list in &mut releases {
            list.sort_unstable();
        }
        releases
    }

    fn add(&mut self, program: &Program) {
        let mut local: Vec<u32> = Vec::with_capacity(program.nodes.len());
        let remap = |op: &Operand, local: &[u32]| match op {
            Operand::Node(k) => Operand::Node(local[*k as usize]),
            other => other.clone(),
        };
        for node in &program.nodes {
            let key = (remap(&node.callee, &local), node.args.iter().map(|a| remap(a, &local)).collect::<Vec<_>>());
            let next = self.nodes.len() as u32;
            let id = *self.index.entry(key).or_insert_with_key(|key| {
                self.nodes.push(key.clone());
                next
            });
            local.push(id);
        }
        let root = program.root.as_ref().map(|r| remap(r, &local));
        self.programs.push((root, local));
    }

    /// Distinct calls in the graph.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph has no calls.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Runs every program on `inputs`; returns each program's result, in the order they were added.
    pub fn run(&self, inputs: &Inputs, limits: Limits) -> Vec<Result<Value, Error>> {
        // Each node runs at most once, with a full budget of its own; a program then fails with `fuel`
        // when the costs of its own nodes add up past the budget, as a standalone run would.
        let mut values: Vec<Option<Result<Value, Error>>> = vec![None; self.nodes.len()];
        let mut costs: Vec<u64> = vec![0; self.nodes.len()];
        let mut args = LentArgs::default();
        let mut results = Vec::with_capacity(self.programs.len());
        for ((root, order), releases) in self.programs.iter().zip(&self.releases) {
            let mut spent: u64 = 0;
            let mut failed = None;
            let mut released = 0;
            for (i, &k) in order.iter().enumerate() {
                if values[k as usize].is_none() {
                    let (value, cost) = self.eval_node(k, inputs, &values, limits, &mut args);
                    values[k as usize] = Some(value);
                    costs[k as usize] = cost;
                }
                spent += costs[k as usize];
                if spent > limits.fuel {
                    failed = Some(Error::fuel());
                    break;
                }
                if let Some(Err(e)) = &values[k as usize] {
                    failed = Some(e.clone());
                    break;
                }
                while let Some(&(at, node)) = releases.get(released)
                    && at as usize == i
                {
                    values[node as usize] = None;
                    released += 1;
                }
            }
            results.push(match (failed, root) {
                (Some(e), _) => Err(e),
                (None, Some(root)) => Ok(self.operand(root, inputs, &values)),
                (None, None) => Err(Error::type_error("program returns nothing")),
            });
            // What this program read last and has not dropped yet (all of it, if it stopped early).
            for &(_, k) in &releases[released..] {
                values[k as usize] = None;
            }
        }
        results
    }

    fn operand(&self, op: &Operand, inputs: &Inputs, values: &[Option<Result<Value, Error>>]) -> Value {
        Self::operand_ref(op, inputs, values).clone()
    }

    /// The value of an operand, borrowed. A node is read only once computed, free of errors and not yet
    /// dropped: the program's order and the graph's releases guarantee it (`None` stands in otherwise).
    fn operand_ref<'a>(op: &'a Operand, inputs: &'a Inputs, values: &'a [Option<Result<Value, Error>>]) -> &'a Value {
        static NONE: Value = Value::None;
        match op {
            Operand::Input(slot) => inputs.get(*slot),
            Operand::Const(v) => v,
            Operand::Node(k) => match &values[*k as usize] {
                Some(Ok(v)) => v,
                other => {
                    debug_assert!(other.is_some(), "node {k} read after its value was dropped");
                    &NONE
                }
            },
        }
    }

    /// Evaluates node `k`, whose operands are already computed and free of errors (the program's order
    /// guarantees both). Returns the result and the fuel it took. `args` is a scratch buffer, reused from
    /// node to node.
    fn eval_node(
        &self,
        k: u32,
        inputs: &Inputs,
        values: &[Option<Result<Value, Error>>],
        limits: Limits,
        args: &mut LentArgs,
    ) -> (Result<Value, Error>, u64) {
        let (callee, operands) = &self.nodes[k as usize];
        let callee = Self::operand_ref(callee, inputs, values);
        let mut ctx = Ctx::new(limits);
        let result = args.call(&mut ctx, callee, operands.iter().map(|a| Self::operand_ref(a, inputs, values)));
        (result, limits.fuel - ctx.fuel_left())
    }
}

/// Runs every program of `graph` on every pair of `task`: one [`Scores`] per program.
pub fn score_task(graph: &Graph, task: &Task, limits: Limits) -> Vec<Scores> {
    score_task_with(graph, task, limits, |_, _, produced| vec![None::<()>; produced.len()])
        .into_iter()
        .map(|(scores, _)| scores)
        .collect()
}

/// Like [`score_task`], and while each pair's results are alive, `judge(pair, expected, produced)` sees
/// the wrong outputs of that pair: `produced[p]` is program `p`'s value when its outcome is `fail`
/// (`None` otherwise). It returns one `Option<T>` per program. The result is, per program, its scores
/// and per pair what the judge said (`None` where it was not asked). Values are dropped pair by pair,
/// so memory stays that of one pair's results.
pub fn score_task_with<T: Send>(
    graph: &Graph,
    task: &Task,
    limits: Limits,
    judge: impl Fn(usize, &Value, &[Option<&Value>]) -> Vec<Option<T>> + Sync,
) -> Vec<(Scores, Vec<Option<T>>)> {
    let demos = task.demos();
    let mut scores: Vec<(Scores, Vec<Option<T>>)> = (0..graph.programs.len())
        .map(|_| (Scores { outcomes: Vec::with_capacity(task.samples()) }, Vec::with_capacity(task.samples())))
        .collect();
    if graph.programs.is_empty() {
        return scores;
    }
    // Pairs are independent: run them in parallel (a task with one slow program would otherwise keep
    // one core busy while the other idles), then collect in pair order.
    let pairs: Vec<_> = task.pairs().collect();
    let per_pair: Vec<Vec<(Outcome, Option<T>)>> = pairs
        .par_iter()
        .enumerate()
        .map(|(k, pair)| {
            let inputs = Inputs { s: demos.clone(), i: pair.input.clone(), c: Value::None };
            let results = graph.run(&inputs, limits);
            let outcomes: Vec<Outcome> = results
                .iter()
                .map(|result| match (result, &pair.output) {
                    (Err(e), _) => Outcome::Error(e.kind),
                    (Ok(_), None) => Outcome::Unchecked,
                    (Ok(v), Some(expected)) if v == expected => Outcome::Pass,
                    (Ok(_), Some(_)) => Outcome::Fail,
                })
                .collect();
            let mut judged: Vec<Option<T>> = Vec::new();
            if let Some(expected) = &pair.output
                && outcomes.contains(&Outcome::Fail)
            {
                let produced: Vec<Option<&Value>> = results
                    .iter()
                    .zip(&outcomes)
                    .map(|(r, o)| if *o == Outcome::Fail { r.as_ref().ok() } else { None })
                    .collect();
                judged = judge(k, expected, &produced);
            }
            judged.resize_with(outcomes.len(), || None);
            outcomes.into_iter().zip(judged).collect()
        })
        .collect();
    for outcomes in per_pair {
        for ((score, judged), (outcome, verdict)) in scores.iter_mut().zip(outcomes) {
            score.outcomes.push(outcome);
            judged.push(verdict);
        }
    }
    scores
}

/// Scores of one program on one task, without sharing: `batt run` and tests use it.
pub fn score_one(program: &Program, task: &Task, limits: Limits) -> Scores {
    let graph = Graph::new([program]);
    score_task(&graph, task, limits).pop().unwrap_or(Scores { outcomes: Vec::new() })
}

/// A program shared between threads and queries.
pub type SharedProgram = Arc<Program>;

//! Evaluation of a program graph on one input, under a step budget.
//!
//! A [`Program`] is SSA: node `k` calls an operand with operands that are inputs (`S`, `I`, `C`), constants
//! or earlier nodes. Nodes run in order; the callee is evaluated before the arguments, left to right, so the
//! error a program stops with is the one CPython would raise first.

use crate::ctx::{Ctx, Limits};
use crate::error::{Error, Result};
use crate::func::call;
use crate::value::Value;

/// The inputs a solver or differ reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    /// `S`: the demo pairs, a tuple of `(input, output)` grid pairs.
    S,
    /// `I`: the input grid (for a differ, the produced grid).
    I,
    /// `C`: the expected output (`None` when solving).
    C,
}

/// Where an argument (or a callee) comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// One of the inputs.
    Input(Slot),
    /// A constant or a primitive.
    Const(Value),
    /// The result of an earlier node.
    Node(u32),
}

/// One call: `callee(args…)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    pub callee: Operand,
    pub args: Vec<Operand>,
}

/// A program in SSA form: nodes in evaluation order and the operand it returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Program {
    pub nodes: Vec<Node>,
    pub root: Option<Operand>,
}

/// Values for the three input slots.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub s: Value,
    pub i: Value,
    pub c: Value,
}

impl Inputs {
    /// The value of a slot.
    #[inline]
    pub fn get(&self, slot: Slot) -> &Value {
        match slot {
            Slot::S => &self.s,
            Slot::I => &self.i,
            Slot::C => &self.c,
        }
    }
}

/// Runs `program` on `inputs` within `limits`.
pub fn run(program: &Program, inputs: &Inputs, limits: Limits) -> Result<Value> {
    let mut ctx = Ctx::new(limits);
    let mut values: Vec<Value> = Vec::with_capacity(program.nodes.len());
    for node in &program.nodes {
        let callee = operand(&node.callee, inputs, &values);
        let args: Vec<Value> = node.args.iter().map(|a| operand(a, inputs, &values)).collect();
        values.push(call(&mut ctx, &callee, &args)?);
    }
    match &program.root {
        Some(root) => Ok(operand(root, inputs, &values)),
        None => Err(Error::type_error("program returns nothing")),
    }
}

/// The value of an operand, given the values of the nodes computed so far.
#[inline]
pub fn operand(op: &Operand, inputs: &Inputs, values: &[Value]) -> Value {
    match op {
        Operand::Input(slot) => inputs.get(*slot).clone(),
        Operand::Const(v) => v.clone(),
        Operand::Node(k) => values[*k as usize].clone(),
    }
}

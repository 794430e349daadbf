//! Expansion: an inlined expression back to straight-line code, as canonical Python text ([`expand`]) or
//! as the runtime's SSA graph ([`lower`]).
//!
//! Both walk the term the same way. First, equal subterms are merged, so each distinct call appears once
//! however often it is used (common subexpressions are shared). Then the calls are ordered by a
//! post-order walk from the root (callee before arguments, arguments left to right) and named `x1`,
//! `x2`, …, the root call `O`. The order depends only on the term, so two solvers with the same hash
//! expand to the same bytes, and expanding the parse of an expansion gives it back unchanged.
//!
//! A tuple whose items are all atoms (names, inputs, literals) is written inline; a tuple holding a call
//! or another tuple gets a line of its own, like a call, so no line nests more than two levels deep.
//!
//! Names are printed as written. A name that is defined nowhere but spelled like a generated variable
//! (`x3`, `O`) would be captured by it; validation reports such solvers (`V001`), no invalid solver is
//! scored, and `batt expand` prints the diagnostics with the expansion.
//!
//! [`lower`] builds a [`Program`]: node `k` is the `k`-th call line, names become values through
//! [`Resolve`], inputs become [`Slot`]s, and constant tuples become constant values. The runtime has no
//! operation that builds a tuple, so a tuple of computed values cannot be lowered ([`LowerError`]).

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use batt_runtime::Value;
use batt_runtime::eval::{Node, Operand, Program, Slot};

use crate::inline::{Inlined, Input, Term, TermId};
use crate::names::Resolve;

/// Whether the expansion is a solver or a differ (which decides the `def` line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// `def solve(I):`, or `def solve(S, I, C):` when `S` or `C` is used.
    Solver,
    /// `def differ(S, I, C):`.
    Differ,
}

/// A canonical solver file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Expanded {
    /// The whole file: imports, the `def` line, one line per distinct call, and `return`.
    pub text: String,
}

/// Expands `inlined` into a Python file that arc-dsl runs as-is.
///
/// ```
/// let module = batt_syntax::parse("def solve_x(I):\n    a = vmirror(I)\n    b = hconcat(a, a)\n    c = unused(I)\n    return b\n");
/// let inlined = batt_queries::inline::inline(&module.functions[0]);
/// let expanded = batt_queries::expand::expand(&inlined, batt_queries::expand::Role::Solver);
/// assert_eq!(
///     expanded.text,
///     "from dsl import *\nfrom constants import *\n\n\ndef solve(I):\n    x1 = vmirror(I)\n    O = hconcat(x1, x1)\n    return O\n"
/// );
/// ```
pub fn expand(inlined: &Inlined, role: Role) -> Expanded {
    let plan = Plan::new(inlined);
    let mut text = String::with_capacity(64 + 32 * plan.order.len());
    text.push_str("from dsl import *\nfrom constants import *\n\n\n");
    let uses_s_or_c = plan.nodes.iter().any(|key| matches!(key, Key::Input(Input::S | Input::C)));
    text.push_str(match role {
        Role::Differ => "def differ(S, I, C):\n",
        Role::Solver if uses_s_or_c => "def solve(S, I, C):\n",
        Role::Solver => "def solve(I):\n",
    });
    for &line in &plan.order {
        text.push_str("    ");
        plan.write_var(&mut text, line);
        text.push_str(" = ");
        match &plan.nodes[line as usize] {
            Key::Call(callee, args) => {
                plan.write_operand(&mut text, *callee);
                text.push('(');
                plan.write_operands(&mut text, args);
                text.push(')');
            }
            Key::Tuple(items) => plan.write_tuple(&mut text, items),
            _ => {}
        }
        text.push('\n');
    }
    text.push_str("    return ");
    plan.write_operand(&mut text, plan.root);
    text.push('\n');
    Expanded { text }
}

/// Why a term cannot become a runtime program.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LowerError {
    /// A name that is neither a primitive nor a constant (validation reports it as `V001`/`V002`).
    UnknownName(String),
    /// A tuple literal holding computed values: the runtime has no operation that builds one.
    ComputedTuple(String),
    /// The term holds a syntax error.
    SyntaxError,
}

impl fmt::Display for LowerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LowerError::UnknownName(name) => write!(f, "`{name}` is not a primitive or a constant"),
            LowerError::ComputedTuple(text) => {
                write!(f, "the tuple `{text}` holds computed values, which the runtime cannot build")
            }
            LowerError::SyntaxError => f.write_str("the solver has a syntax error"),
        }
    }
}

impl std::error::Error for LowerError {}

/// Builds the runtime graph of `inlined`: one node per distinct call, in the order of [`expand`].
pub fn lower(inlined: &Inlined, resolve: &(impl Resolve + ?Sized)) -> Result<Program, LowerError> {
    let plan = Plan::new(inlined);
    // The operand each canonical node has become, once known.
    let mut operands: Vec<Option<Operand>> = vec![None; plan.nodes.len()];
    let mut nodes: Vec<Node> = Vec::with_capacity(plan.order.len());
    for &line in &plan.order {
        let operand = match &plan.nodes[line as usize] {
            Key::Call(callee, args) => {
                let callee = plan.operand(*callee, &operands, resolve)?;
                let args = args.iter().map(|&arg| plan.operand(arg, &operands, resolve)).collect::<Result<_, _>>()?;
                let index = u32::try_from(nodes.len()).unwrap_or(u32::MAX);
                nodes.push(Node { callee, args });
                Operand::Node(index)
            }
            _ => plan.operand(line, &operands, resolve)?,
        };
        operands[line as usize] = Some(operand);
    }
    let root = plan.operand(plan.root, &operands, resolve)?;
    Ok(Program { nodes, root: Some(root) })
}

/// A canonical node: equal keys are the same subterm.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key<'a> {
    Input(Input),
    Name(&'a str),
    Int(i64),
    Bool(bool),
    None,
    Error,
    Tuple(Vec<u32>),
    Call(u32, Vec<u32>),
}

/// The merged term and the order of its lines.
struct Plan<'a> {
    /// The distinct subterms; children come before parents.
    nodes: Vec<Key<'a>>,
    /// The root's canonical node.
    root: u32,
    /// The nodes that get a line (calls and compound tuples), in post-order.
    order: Vec<u32>,
    /// For each node with a line, its position in `order`.
    line_of: Vec<Option<u32>>,
}

impl<'a> Plan<'a> {
    fn new(inlined: &'a Inlined) -> Plan<'a> {
        let (nodes, root) = canonicalize(inlined);
        let has_line: Vec<bool> = nodes.iter().map(|key| has_line(key, &nodes)).collect();
        let mut order = Vec::new();
        let mut visited = vec![false; nodes.len()];
        // An explicit stack of (node, index of the next child): terms can be deep.
        let mut stack: Vec<(u32, usize)> = vec![(root, 0)];
        if let Some(seen) = visited.get_mut(root as usize) {
            *seen = true;
        }
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            match child(&nodes[node as usize], next) {
                Some(c) => {
                    top.1 += 1;
                    if !visited[c as usize] {
                        visited[c as usize] = true;
                        stack.push((c, 0));
                    }
                }
                None => {
                    stack.pop();
                    if has_line[node as usize] {
                        order.push(node);
                    }
                }
            }
        }
        let mut line_of = vec![None; nodes.len()];
        for (k, &node) in order.iter().enumerate() {
            line_of[node as usize] = Some(u32::try_from(k).unwrap_or(u32::MAX));
        }
        Plan { nodes, root, order, line_of }
    }

    /// `O` for the root, `x{k}` for the `k`-th line.
    fn write_var(&self, out: &mut String, node: u32) {
        if node == self.root {
            out.push('O');
        } else if let Some(line) = self.line_of[node as usize] {
            // Writing to a `String` cannot fail.
            let _ = write!(out, "x{}", line + 1);
        }
    }

    /// A node as an argument: its variable if it has a line, else its inline text.
    fn write_operand(&self, out: &mut String, node: u32) {
        if self.line_of[node as usize].is_some() {
            return self.write_var(out, node);
        }
        match &self.nodes[node as usize] {
            Key::Input(input) => out.push_str(input.as_str()),
            Key::Name(name) => out.push_str(name),
            Key::Int(value) => {
                let _ = write!(out, "{value}");
            }
            Key::Bool(true) => out.push_str("True"),
            Key::Bool(false) => out.push_str("False"),
            Key::None => out.push_str("None"),
            Key::Error => out.push_str("<error>"),
            // Only tuples of atoms get here, so this recursion is one level deep.
            Key::Tuple(items) => self.write_tuple(out, items),
            Key::Call(..) => {}
        }
    }

    fn write_operands(&self, out: &mut String, items: &[u32]) {
        for (k, &item) in items.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            self.write_operand(out, item);
        }
    }

    fn write_tuple(&self, out: &mut String, items: &[u32]) {
        out.push('(');
        self.write_operands(out, items);
        out.push_str(if items.len() == 1 { ",)" } else { ")" });
    }

    /// The runtime operand of a node, given the operands of the lines built so far.
    fn operand(
        &self,
        node: u32,
        operands: &[Option<Operand>],
        resolve: &(impl Resolve + ?Sized),
    ) -> Result<Operand, LowerError> {
        if let Some(Some(operand)) = operands.get(node as usize) {
            return Ok(operand.clone());
        }
        match &self.nodes[node as usize] {
            Key::Input(input) => Ok(Operand::Input(slot(*input))),
            Key::Name(name) => {
                resolve.resolve(name).map(Operand::Const).ok_or_else(|| LowerError::UnknownName(name.to_string()))
            }
            Key::Int(value) => Ok(Operand::Const(Value::Int(*value))),
            Key::Bool(value) => Ok(Operand::Const(Value::Bool(*value))),
            Key::None => Ok(Operand::Const(Value::None)),
            Key::Error => Err(LowerError::SyntaxError),
            Key::Tuple(items) => {
                let mut values = Vec::with_capacity(items.len());
                for &item in items {
                    match self.operand(item, operands, resolve)? {
                        Operand::Const(value) => values.push(value),
                        _ => {
                            let mut text = String::new();
                            self.write_tuple(&mut text, items);
                            return Err(LowerError::ComputedTuple(text));
                        }
                    }
                }
                Ok(Operand::Const(Value::tuple(values)))
            }
            // Calls are lines and so always in `operands` by the time they are used.
            Key::Call(..) => Err(LowerError::SyntaxError),
        }
    }
}

fn slot(input: Input) -> Slot {
    match input {
        Input::S => Slot::S,
        Input::I => Slot::I,
        Input::C => Slot::C,
    }
}

/// Returns true if and only if the node is written on a line of its own: calls, and tuples that hold a
/// call or a tuple.
fn has_line(key: &Key<'_>, nodes: &[Key<'_>]) -> bool {
    match key {
        Key::Call(..) => true,
        Key::Tuple(items) => items.iter().any(|&item| matches!(nodes[item as usize], Key::Call(..) | Key::Tuple(_))),
        _ => false,
    }
}

/// The `k`-th child of a node: the callee, then the arguments; or the items of a tuple.
fn child(key: &Key<'_>, k: usize) -> Option<u32> {
    match key {
        Key::Call(callee, args) => {
            if k == 0 {
                Some(*callee)
            } else {
                args.get(k - 1).copied()
            }
        }
        Key::Tuple(items) => items.get(k).copied(),
        _ => None,
    }
}

/// Merges equal subterms of the nodes the root reaches: returns the distinct nodes (children first) and
/// the root's index among them.
fn canonicalize(inlined: &Inlined) -> (Vec<Key<'_>>, u32) {
    const UNSEEN: u32 = u32::MAX;
    let mut memo = vec![UNSEEN; inlined.node_count()];
    let mut nodes: Vec<Key<'_>> = Vec::new();
    let mut index: HashMap<Key<'_>, u32> = HashMap::new();
    let mut stack: Vec<(TermId, bool)> = vec![(inlined.root(), false)];
    let canon = |memo: &[u32], id: TermId| memo.get(id.index()).copied().unwrap_or(UNSEEN);
    while let Some((id, children_done)) = stack.pop() {
        if canon(&memo, id) != UNSEEN {
            continue;
        }
        let term = inlined.term(id);
        if !children_done {
            stack.push((id, true));
            match term {
                Term::Call { callee, args } => {
                    stack.push((callee, false));
                    stack.extend(inlined.list(args).iter().map(|&arg| (arg, false)));
                }
                Term::Tuple(items) => stack.extend(inlined.list(items).iter().map(|&item| (item, false))),
                _ => {}
            }
            continue;
        }
        let key = match term {
            Term::Input(input) => Key::Input(input),
            Term::Name(sym) => Key::Name(inlined.name(sym)),
            Term::Int(value) => Key::Int(value),
            Term::Bool(value) => Key::Bool(value),
            Term::None => Key::None,
            Term::Error => Key::Error,
            Term::Tuple(items) => Key::Tuple(inlined.list(items).iter().map(|&item| canon(&memo, item)).collect()),
            Term::Call { callee, args } => {
                Key::Call(canon(&memo, callee), inlined.list(args).iter().map(|&arg| canon(&memo, arg)).collect())
            }
        };
        let next = u32::try_from(nodes.len()).unwrap_or(UNSEEN);
        let node = *index.entry(key.clone()).or_insert(next);
        if node == next {
            nodes.push(key);
        }
        if let Some(slot) = memo.get_mut(id.index()) {
            *slot = node;
        }
    }
    let root = canon(&memo, inlined.root());
    (nodes, root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::inline_text;
    use crate::tests::mock::MockResolve;

    fn body(text: &str, role: Role) -> String {
        let expanded = expand(&inline_text(text), role).text;
        let prefix = "from dsl import *\nfrom constants import *\n\n\n";
        assert!(expanded.starts_with(prefix));
        expanded[prefix.len()..].to_string()
    }

    #[test]
    fn shares_common_subexpressions_in_post_order() {
        let text = "def solve_a87f7484(I):\n    x1 = numcolors(I)\n    x2 = dmirror(I)\n    x3 = portrait(I)\n    x4 = branch(x3, dmirror, identity)\n    x5 = x4(I)\n    x6 = decrement(x1)\n    x7 = hsplit(x5, x6)\n    x8 = rbind(ofcolor, ZERO)\n    x9 = apply(x8, x7)\n    x10 = leastcommon(x9)\n    x11 = matcher(x8, x10)\n    x12 = extract(x7, x11)\n    O = x4(x12)\n    return O\n";
        assert_eq!(
            body(text, Role::Solver),
            "def solve(I):\n    x1 = portrait(I)\n    x2 = branch(x1, dmirror, identity)\n    x3 = x2(I)\n    x4 = numcolors(I)\n    x5 = decrement(x4)\n    x6 = hsplit(x3, x5)\n    x7 = rbind(ofcolor, ZERO)\n    x8 = apply(x7, x6)\n    x9 = leastcommon(x8)\n    x10 = matcher(x7, x9)\n    x11 = extract(x6, x10)\n    O = x2(x11)\n    return O\n"
        );
    }

    #[test]
    fn duplicate_calls_are_merged() {
        let text = "def f(I):\n    a = vmirror(I)\n    b = vmirror(I)\n    O = hconcat(a, b)\n    return O\n";
        assert_eq!(
            body(text, Role::Solver),
            "def solve(I):\n    x1 = vmirror(I)\n    O = hconcat(x1, x1)\n    return O\n"
        );
    }

    #[test]
    fn roots_that_are_not_calls() {
        assert_eq!(body("def f(I):\n    return I\n", Role::Solver), "def solve(I):\n    return I\n");
        assert_eq!(
            body("def f(I):\n    x = g(I)\n    return FIVE\n", Role::Solver),
            "def solve(I):\n    return FIVE\n"
        );
        assert_eq!(body("def f(I):\n    return (1, -2)\n", Role::Solver), "def solve(I):\n    return (1, -2)\n");
    }

    #[test]
    fn signatures() {
        assert_eq!(
            body("def f(S, I, C):\n    return g(I)\n", Role::Solver),
            "def solve(I):\n    O = g(I)\n    return O\n"
        );
        assert_eq!(
            body("def f(S, I, C):\n    return g(S)\n", Role::Solver),
            "def solve(S, I, C):\n    O = g(S)\n    return O\n"
        );
        assert_eq!(
            body("def f(S, I, C):\n    return equality(I, C)\n", Role::Differ),
            "def differ(S, I, C):\n    O = equality(I, C)\n    return O\n"
        );
    }

    #[test]
    fn tuples() {
        let text = "def f(I):\n    x = g(I)\n    return h((1, (2,)), (x, (I, x)), ())\n";
        assert_eq!(
            body(text, Role::Solver),
            "def solve(I):\n    x1 = (1, (2,))\n    x2 = g(I)\n    x3 = (I, x2)\n    x4 = (x2, x3)\n    O = h(x1, x4, ())\n    return O\n"
        );
    }

    #[test]
    fn lowering() {
        let text = "def f(I):\n    x1 = rbind(add, ONE)\n    x2 = x1(I)\n    O = add(x2, x2)\n    return O\n";
        let program = lower(&inline_text(text), &MockResolve).expect("lowers");
        assert_eq!(program.nodes.len(), 3);
        let [first, second, third] = &program.nodes[..] else { panic!("three nodes") };
        assert_eq!(first.callee, Operand::Const(MockResolve::value("rbind")));
        assert_eq!(first.args, [Operand::Const(MockResolve::value("add")), Operand::Const(Value::Int(1))]);
        assert_eq!(second.callee, Operand::Node(0));
        assert_eq!(second.args, [Operand::Input(Slot::I)]);
        assert_eq!(third.args, [Operand::Node(1), Operand::Node(1)]);
        assert_eq!(program.root, Some(Operand::Node(2)));
    }

    #[test]
    fn lowering_non_calls_and_failures() {
        let program = lower(&inline_text("def f(I):\n    return I\n"), &MockResolve);
        assert_eq!(program, Ok(Program { nodes: vec![], root: Some(Operand::Input(Slot::I)) }));
        let program = lower(&inline_text("def f(I):\n    return add(I, (1, 2))\n"), &MockResolve);
        assert_eq!(program.map(|p| p.nodes[0].args[1].clone()), Ok(Operand::Const(Value::pair(1, 2))));
        assert_eq!(
            lower(&inline_text("def f(I):\n    return frob(I)\n"), &MockResolve),
            Err(LowerError::UnknownName("frob".to_string()))
        );
        assert_eq!(
            lower(&inline_text("def f(I):\n    return add(I, (I, 1))\n"), &MockResolve),
            Err(LowerError::ComputedTuple("(I, 1)".to_string()))
        );
    }

    #[test]
    fn lowered_programs_run_on_the_runtime() {
        use batt_runtime::Limits;
        use batt_runtime::eval::{Inputs, run};

        use crate::names::Runtime;

        // Only `identity` and `add` are sure to be in the runtime table.
        let text = "def f(I):\n    x1 = add(I, ONE)\n    x2 = identity(x1)\n    O = add(x2, x1)\n    return O\n";
        let program = lower(&inline_text(text), &Runtime).expect("lowers");
        assert_eq!(program.nodes.len(), 3);
        let inputs = Inputs { s: Value::None, i: Value::Int(4), c: Value::None };
        assert_eq!(run(&program, &inputs, Limits::default()), Ok(Value::Int(10)));
    }

    #[test]
    fn deep_terms_do_not_overflow_the_stack() {
        let mut text = String::from("def f(I):\n    x0 = g(I)\n");
        for k in 1..=20_000 {
            text.push_str(&format!("    x{k} = h(x{}, x{})\n", k - 1, k - 1));
        }
        text.push_str("    return x20000\n");
        let expanded = expand(&inline_text(&text), Role::Solver);
        assert_eq!(expanded.text.lines().count(), 20_001 + 6);
    }
}

// ---- the salsa queries --------------------------------------------------------------------------------

/// The canonical file of function `index` of `file` (`None` when there is no such function).
#[salsa::tracked(returns(ref))]
pub fn expanded(db: &dyn crate::db::Db, file: crate::inputs::SourceFile, index: u32) -> Option<Expanded> {
    let function = crate::parse::function(db, file, index).as_ref()?;
    let role = if crate::diff::is_differ_name(&function.name.text) { Role::Differ } else { Role::Solver };
    crate::inline::inlined(db, file, index).as_ref().map(|inlined| expand(inlined, role))
}

/// The runtime program of function `index` of `file`, when it is valid and every name resolves.
#[salsa::tracked(returns(ref))]
pub fn program(db: &dyn crate::db::Db, file: crate::inputs::SourceFile, index: u32) -> Option<std::sync::Arc<Program>> {
    if !crate::validate::validated(db, file, index).is_valid() {
        return None;
    }
    let inlined = crate::inline::inlined(db, file, index).as_ref()?;
    lower(inlined, &crate::names::Runtime).ok().map(std::sync::Arc::new)
}

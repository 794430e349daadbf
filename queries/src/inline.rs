//! Inlining: a solver function to the one expression it returns, and the content hash of that expression.
//!
//! [`inline`] substitutes every variable into the expression of the first `return`, so a solver becomes a
//! single [`Term`]: inputs (`I`, `S`, `C`), names (primitives and constants, printed as written),
//! literals, tuples and calls, whose callee may itself be a call (`rbind(shift, UP)(x)`). Lines the
//! returned value does not depend on drop out, and a variable used twice is used twice in the term.
//!
//! The term is stored as an arena ([`Inlined`]): nodes are created children first, and a variable's uses
//! all point at the node of its value, so sharing costs nothing and a term whose printed form is huge is
//! still small in memory. Nothing here allocates per node.
//!
//! The content hash ([`ContentHash`]) is xxh3-128 of [`CANON_VERSION`] followed by the canonical printed
//! expression (`fill(I, FIVE, objects(I, T, F, T))`: names as written, `, ` between arguments, tuples
//! and integers as Python prints them). It does not depend on variable names, the order of independent
//! lines, the function's name or unused lines; any change to what is computed changes the printed form
//! and so the hash. A term whose printed form would exceed [`MAX_CANONICAL_LEN`] bytes (variables used
//! twice, nested many times over) is hashed structurally instead, with a `I001` warning.
//!
//! This stage judges nothing: undefined names simply stay names, a function without `return` returns
//! `None` (as in Python), and statements after the first `return` are ignored. Validation reports those.

use std::collections::HashMap;
use std::fmt;
use std::io::Write as _;

use batt_syntax::ast::{Expr, Function, Stmt};
use batt_syntax::{Diagnostic, TextRange};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// The first line of every hashed text; bump it when the canonical form changes.
pub const CANON_VERSION: &str = "batt-canon-1\n";

/// The longest canonical text that is printed and hashed; longer terms are hashed structurally.
pub const MAX_CANONICAL_LEN: u64 = 1 << 24;

/// Inlines `function` into the expression it returns and hashes it.
///
/// ```
/// let module = batt_syntax::parse("def f(I):\n    x1 = objects(I, T, F, T)\n    x2 = vmirror(I)\n    O = fill(I, FIVE, x1)\n    return O\n");
/// let inlined = batt_queries::inline::inline(&module.functions[0]);
/// assert_eq!(inlined.canonical_text(), "fill(I, FIVE, objects(I, T, F, T))");
/// assert_eq!(inlined.hash().to_string().len(), 32);
/// ```
pub fn inline(function: &Function) -> Inlined {
    let mut builder = Builder::with_capacity(function.body.len());
    let mut env = Env::with_capacity(function.body.len() + function.params.len());
    for param in &function.params {
        if let Some(input) = Input::from_name(&param.text) {
            let id = builder.push(Term::Input(input), 1);
            env.set(&param.text, id);
        }
    }
    let mut root = None;
    for stmt in &function.body {
        match stmt {
            Stmt::Assign { target, value, .. } => {
                let id = builder.expr(value, &env);
                env.set(&target.text, id);
            }
            Stmt::Return { value, .. } => {
                root = Some(builder.expr(value, &env));
                break;
            }
        }
    }
    let root = match root {
        Some(root) => root,
        None => builder.push(Term::None, 4),
    };
    builder.finish(root, function.name.range)
}

/// A solver inlined into one expression, with its content hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inlined {
    /// The arena; every node's children come before it.
    nodes: Vec<Node>,
    /// The argument lists and tuple items of all nodes, each a contiguous run.
    lists: Vec<TermId>,
    /// The text of all names, each a contiguous run.
    names: String,
    /// The returned expression.
    root: TermId,
    /// The content hash of the root.
    hash: ContentHash,
    /// `I001` when the term was too large to print; otherwise empty.
    diagnostics: Vec<Diagnostic>,
    /// How many calls and tuples are used more than once.
    n_shared: u32,
}

/// The index of a node in an [`Inlined`] arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermId(u32);

impl TermId {
    /// The index as a `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A run of [`TermId`]s (the arguments of a call, the items of a tuple); read it with [`Inlined::list`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct List {
    start: u32,
    len: u32,
}

impl List {
    /// The number of items.
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Returns true if and only if there are no items.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// A name's text in an [`Inlined`]; read it with [`Inlined::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sym {
    start: u32,
    len: u32,
}

/// One of the three inputs a solver or differ reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// `S`: the demonstration pairs.
    S,
    /// `I`: the input grid.
    I,
    /// `C`: the expected output (differs only).
    C,
}

impl Input {
    /// The input a parameter called `name` stands for.
    pub fn from_name(name: &str) -> Option<Input> {
        match name {
            "S" => Some(Input::S),
            "I" => Some(Input::I),
            "C" => Some(Input::C),
            _ => None,
        }
    }

    /// `S`, `I` or `C`.
    pub fn as_str(self) -> &'static str {
        match self {
            Input::S => "S",
            Input::I => "I",
            Input::C => "C",
        }
    }
}

/// One node of an inlined expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// A parameter named `I`, `S` or `C`.
    Input(Input),
    /// Any other name: a primitive, a constant, or a name that is defined nowhere.
    Name(Sym),
    /// An integer literal.
    Int(i64),
    /// `True` or `False`.
    Bool(bool),
    /// `None`.
    None,
    /// A tuple literal.
    Tuple(List),
    /// `callee(args…)`.
    Call {
        /// What is called.
        callee: TermId,
        /// The arguments.
        args: List,
    },
    /// Where the syntax tree had an error.
    Error,
}

/// An arena node: the term and the length of its canonical printed form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Node {
    term: Term,
    /// Saturating: a shared subterm counts once per use.
    printed_len: u64,
    /// How often a variable refers to this node (saturating); calls and tuples used more than once are
    /// printed once and then copied.
    uses: u8,
}

impl Inlined {
    /// The returned expression.
    pub fn root(&self) -> TermId {
        self.root
    }

    /// The node `id`.
    pub fn term(&self, id: TermId) -> Term {
        self.nodes.get(id.index()).map_or(Term::Error, |node| node.term)
    }

    /// The items of `list`.
    pub fn list(&self, list: List) -> &[TermId] {
        let start = list.start as usize;
        self.lists.get(start..start + list.len as usize).unwrap_or(&[])
    }

    /// The text of `sym`.
    pub fn name(&self, sym: Sym) -> &str {
        let start = sym.start as usize;
        self.names.get(start..start + sym.len as usize).unwrap_or("")
    }

    /// The number of nodes in the arena (including those the root does not reach).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The content hash of the returned expression.
    pub fn hash(&self) -> ContentHash {
        self.hash
    }

    /// `I001` when the term was too large to print and was hashed structurally.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The length in bytes of the canonical printed form of `id` (saturating).
    pub fn printed_len(&self, id: TermId) -> u64 {
        self.nodes.get(id.index()).map_or(0, |node| node.printed_len)
    }

    /// The canonical printed form of the returned expression (without the version line).
    pub fn canonical_text(&self) -> String {
        self.display(self.root).to_string()
    }

    /// Displays the canonical printed form of `id`.
    pub fn display(&self, id: TermId) -> impl fmt::Display + '_ {
        DisplayTerm { inlined: self, id }
    }

    /// Which inputs the returned expression reads.
    pub fn inputs_used(&self) -> InputsUsed {
        let mut used = InputsUsed::default();
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![self.root];
        while let Some(id) = stack.pop() {
            match seen.get_mut(id.index()) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            match self.term(id) {
                Term::Input(Input::S) => used.s = true,
                Term::Input(Input::I) => used.i = true,
                Term::Input(Input::C) => used.c = true,
                Term::Tuple(items) => stack.extend_from_slice(self.list(items)),
                Term::Call { callee, args } => {
                    stack.push(callee);
                    stack.extend_from_slice(self.list(args));
                }
                _ => {}
            }
        }
        used
    }

    /// Writes the canonical printed form of `id` to `out`, without recursion (terms can be deep).
    ///
    /// A list (call arguments, tuple items) is one frame on the stack, resumed once per item. A call or
    /// tuple used more than once is printed once; later uses copy its text when the sink can read back
    /// ([`Sink::copy_within`]).
    fn write_term(&self, id: TermId, out: &mut impl Sink) {
        /// A list being printed: its items, the next one (`u32::MAX` before the `(` of a call's
        /// arguments), and the text that closes it.
        struct Frame {
            list: List,
            next: u32,
            close: &'static str,
        }
        // Where each shared node's text starts in `out`, once printed (`u32::MAX` before).
        let mut printed_at: Vec<u32> = if self.n_shared > 0 { vec![u32::MAX; self.nodes.len()] } else { Vec::new() };
        let mut stack: Vec<Frame> = Vec::with_capacity(16);
        let mut current = Some(id);
        loop {
            if let Some(id) = current.take() {
                let Some(node) = self.nodes.get(id.index()) else {
                    out.put("<error>");
                    continue;
                };
                let memo = if node.uses > 1 { printed_at.get_mut(id.index()) } else { None };
                if let Some(at) = memo {
                    if *at != u32::MAX && out.copy_within(*at as usize, node.printed_len) {
                        continue;
                    }
                    *at = u32::try_from(out.len()).unwrap_or(u32::MAX);
                }
                match node.term {
                    Term::Input(input) => out.put(input.as_str()),
                    Term::Name(sym) => out.put(self.name(sym)),
                    Term::Int(value) => out.put_int(value),
                    Term::Bool(true) => out.put("True"),
                    Term::Bool(false) => out.put("False"),
                    Term::None => out.put("None"),
                    Term::Error => out.put("<error>"),
                    Term::Tuple(items) => {
                        out.put("(");
                        let close = if items.len == 1 { ",)" } else { ")" };
                        stack.push(Frame { list: items, next: 0, close });
                    }
                    Term::Call { callee, args } => {
                        // The callee is printed first; the frame then prints `(args)`.
                        stack.push(Frame { list: args, next: u32::MAX, close: ")" });
                        current = Some(callee);
                        continue;
                    }
                }
            }
            let Some(frame) = stack.last_mut() else { break };
            if frame.next == u32::MAX {
                out.put("(");
                frame.next = 0;
            }
            if frame.next < frame.list.len {
                if frame.next > 0 {
                    out.put(", ");
                }
                current = self.lists.get((frame.list.start + frame.next) as usize).copied();
                frame.next += 1;
                if current.is_none() {
                    out.put("<error>");
                }
            } else {
                out.put(frame.close);
                stack.pop();
            }
        }
    }
}

/// Which of the inputs an expression reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InputsUsed {
    /// Reads `S`.
    pub s: bool,
    /// Reads `I`.
    pub i: bool,
    /// Reads `C`.
    pub c: bool,
}

struct DisplayTerm<'a> {
    inlined: &'a Inlined,
    id: TermId,
}

impl fmt::Display for DisplayTerm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sink = FmtSink { f, result: Ok(()) };
        self.inlined.write_term(self.id, &mut sink);
        sink.result
    }
}

/// Where printed text goes.
trait Sink {
    /// Appends `text`.
    fn put(&mut self, text: &str);
    /// Appends `value` in decimal.
    fn put_int(&mut self, value: i64);
    /// The number of bytes written so far.
    fn len(&self) -> usize;
    /// Appends a copy of the `len` bytes written at `start`, if this sink can read back what it wrote;
    /// returns false (and writes nothing) otherwise.
    fn copy_within(&mut self, start: usize, len: u64) -> bool;
}

impl Sink for Vec<u8> {
    fn put(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }

    fn put_int(&mut self, value: i64) {
        // Writing to a `Vec` cannot fail.
        let _ = write!(self, "{value}");
    }

    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn copy_within(&mut self, start: usize, len: u64) -> bool {
        let Some(end) = usize::try_from(len).ok().and_then(|len| start.checked_add(len)) else {
            return false;
        };
        if end > Vec::len(self) {
            return false;
        }
        self.extend_from_within(start..end);
        true
    }
}

struct FmtSink<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    result: fmt::Result,
}

impl Sink for FmtSink<'_, '_> {
    fn put(&mut self, text: &str) {
        if self.result.is_ok() {
            self.result = self.f.write_str(text);
        }
    }

    fn put_int(&mut self, value: i64) {
        if self.result.is_ok() {
            self.result = write!(self.f, "{value}");
        }
    }

    fn len(&self) -> usize {
        0
    }

    fn copy_within(&mut self, _start: usize, _len: u64) -> bool {
        false
    }
}

/// A 128-bit content hash, shown as 32 lowercase hex digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentHash(pub u128);

impl ContentHash {
    /// The xxh3-128 hash of [`CANON_VERSION`] followed by `canonical_text`.
    pub fn of_canonical_text(canonical_text: &str) -> ContentHash {
        let mut buf = Vec::with_capacity(CANON_VERSION.len() + canonical_text.len());
        buf.extend_from_slice(CANON_VERSION.as_bytes());
        buf.extend_from_slice(canonical_text.as_bytes());
        ContentHash(xxh3_128(&buf))
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// The variables in scope: a short list searched from the end, or a map once there are many.
///
/// List entries carry a fingerprint of the name (its length and first seven bytes), so a lookup
/// compares one `u64` per entry and compares text only for names longer than seven bytes.
#[derive(Default)]
struct Env<'f> {
    vars: Vec<(u64, &'f str, TermId)>,
    map: Option<HashMap<&'f str, TermId>>,
}

impl<'f> Env<'f> {
    /// Above this many bindings, lookups go through a hash map.
    const LINEAR_LIMIT: usize = 48;

    fn with_capacity(n: usize) -> Env<'f> {
        Env { vars: Vec::with_capacity(n.min(Self::LINEAR_LIMIT + 1)), map: None }
    }

    /// The length in the top byte, the first seven bytes below: equal fingerprints of names of at most
    /// seven bytes mean equal names.
    fn fingerprint(name: &str) -> u64 {
        let bytes = name.as_bytes();
        let mut fingerprint = (bytes.len().min(255) as u64) << 56;
        for (k, &byte) in bytes.iter().take(7).enumerate() {
            fingerprint |= u64::from(byte) << (8 * k);
        }
        fingerprint
    }

    fn get(&self, name: &str) -> Option<TermId> {
        match &self.map {
            Some(map) => map.get(name).copied(),
            None => {
                let fingerprint = Self::fingerprint(name);
                let short = name.len() <= 7;
                self.vars
                    .iter()
                    .rev()
                    .find(|&&(f, n, _)| f == fingerprint && (short || n == name))
                    .map(|&(_, _, id)| id)
            }
        }
    }

    fn set(&mut self, name: &'f str, id: TermId) {
        match &mut self.map {
            Some(map) => {
                map.insert(name, id);
            }
            None => {
                self.vars.push((Self::fingerprint(name), name, id));
                if self.vars.len() > Self::LINEAR_LIMIT {
                    self.map = Some(self.vars.iter().map(|&(_, name, id)| (name, id)).collect());
                }
            }
        }
    }
}

/// Builds the arena.
struct Builder {
    nodes: Vec<Node>,
    lists: Vec<TermId>,
    names: String,
    /// Children of the calls being built, before they move to `lists` as one run.
    scratch: Vec<TermId>,
    /// How many calls and tuples are used more than once.
    n_shared: u32,
}

impl Builder {
    fn with_capacity(n_statements: usize) -> Builder {
        Builder {
            nodes: Vec::with_capacity(n_statements * 3 + 4),
            lists: Vec::with_capacity(n_statements * 2 + 4),
            names: String::with_capacity(n_statements * 8 + 8),
            scratch: Vec::with_capacity(8),
            n_shared: 0,
        }
    }

    fn push(&mut self, term: Term, printed_len: u64) -> TermId {
        let id = TermId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX));
        self.nodes.push(Node { term, printed_len, uses: 0 });
        id
    }

    fn printed_len(&self, id: TermId) -> u64 {
        self.nodes.get(id.index()).map_or(0, |node| node.printed_len)
    }

    fn expr(&mut self, expr: &Expr, env: &Env<'_>) -> TermId {
        match expr {
            Expr::Name(name) => match env.get(&name.text) {
                Some(id) => {
                    let compound = self
                        .nodes
                        .get_mut(id.index())
                        .filter(|node| matches!(node.term, Term::Call { .. } | Term::Tuple(_)));
                    if let Some(node) = compound {
                        node.uses = node.uses.saturating_add(1);
                        self.n_shared += u32::from(node.uses == 2);
                    }
                    id
                }
                None => {
                    let start = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
                    self.names.push_str(&name.text);
                    let len = u32::try_from(name.text.len()).unwrap_or(u32::MAX);
                    self.push(Term::Name(Sym { start, len }), u64::from(len))
                }
            },
            Expr::Int { value, .. } => self.push(Term::Int(*value), int_len(*value)),
            Expr::Bool { value, .. } => self.push(Term::Bool(*value), if *value { 4 } else { 5 }),
            Expr::None { .. } => self.push(Term::None, 4),
            Expr::Error { .. } => self.push(Term::Error, 7),
            Expr::Tuple { items, .. } => {
                let (list, items_len) = self.list(items, env);
                let comma = u64::from(list.len == 1);
                self.push(Term::Tuple(list), items_len.saturating_add(2 + comma))
            }
            Expr::Call { callee, args, .. } => {
                let callee = self.expr(callee, env);
                let (args, args_len) = self.list(args, env);
                let printed_len = self.printed_len(callee).saturating_add(args_len).saturating_add(2);
                self.push(Term::Call { callee, args }, printed_len)
            }
        }
    }

    /// Builds `items` into one run of `lists`; returns it and the printed length of `a, b, …`.
    fn list(&mut self, items: &[Expr], env: &Env<'_>) -> (List, u64) {
        let mark = self.scratch.len();
        let mut printed_len: u64 = 2u64.saturating_mul(items.len().saturating_sub(1) as u64);
        for item in items {
            let id = self.expr(item, env);
            printed_len = printed_len.saturating_add(self.printed_len(id));
            self.scratch.push(id);
        }
        let start = u32::try_from(self.lists.len()).unwrap_or(u32::MAX);
        self.lists.extend_from_slice(&self.scratch[mark..]);
        self.scratch.truncate(mark);
        let len = u32::try_from(items.len()).unwrap_or(u32::MAX);
        (List { start, len }, printed_len)
    }

    fn finish(self, root: TermId, name_range: TextRange) -> Inlined {
        let mut inlined = Inlined {
            nodes: self.nodes,
            lists: self.lists,
            names: self.names,
            root,
            hash: ContentHash::default(),
            diagnostics: Vec::new(),
            n_shared: self.n_shared,
        };
        let printed_len = inlined.printed_len(root);
        if printed_len <= MAX_CANONICAL_LEN {
            let mut buf = Vec::with_capacity(CANON_VERSION.len() + printed_len as usize);
            buf.extend_from_slice(CANON_VERSION.as_bytes());
            inlined.write_term(root, &mut buf);
            inlined.hash = ContentHash(xxh3_128(&buf));
        } else {
            inlined.hash = structural_hash(&inlined);
            let message = format!(
                "the inlined expression would print as {printed_len} bytes (more than {MAX_CANONICAL_LEN}); it is hashed structurally"
            );
            inlined.diagnostics.push(Diagnostic::warning("I001", message, name_range));
        }
        inlined
    }
}

/// The number of characters Python prints for `value`.
fn int_len(value: i64) -> u64 {
    let sign = u64::from(value < 0);
    let mut magnitude = value.unsigned_abs();
    let mut digits = 1;
    while magnitude >= 10 {
        magnitude /= 10;
        digits += 1;
    }
    sign + digits
}

/// A hash of the term's structure, node by node (each node hashes its kind, its text and its children's
/// hashes), for terms too large to print. Its domain differs from the printed hash's.
fn structural_hash(inlined: &Inlined) -> ContentHash {
    let mut hashes: Vec<u128> = Vec::with_capacity(inlined.nodes.len());
    for node in &inlined.nodes {
        let mut hasher = Xxh3::new();
        hasher.update(b"batt-canon-1-structural\n");
        let child = |hasher: &mut Xxh3, id: &TermId| {
            hasher.update(&hashes.get(id.index()).copied().unwrap_or_default().to_le_bytes());
        };
        match node.term {
            Term::Input(input) => hasher.update(&[b'i', input as u8]),
            Term::Name(sym) => {
                hasher.update(b"n");
                hasher.update(&u64::from(sym.len).to_le_bytes());
                hasher.update(inlined.name(sym).as_bytes());
            }
            Term::Int(value) => {
                hasher.update(b"z");
                hasher.update(&value.to_le_bytes());
            }
            Term::Bool(value) => hasher.update(&[b'b', u8::from(value)]),
            Term::None => hasher.update(b"0"),
            Term::Error => hasher.update(b"e"),
            Term::Tuple(items) => {
                hasher.update(b"t");
                hasher.update(&u64::from(items.len).to_le_bytes());
                inlined.list(items).iter().for_each(|id| child(&mut hasher, id));
            }
            Term::Call { callee, args } => {
                hasher.update(b"c");
                hasher.update(&u64::from(args.len).to_le_bytes());
                child(&mut hasher, &callee);
                inlined.list(args).iter().for_each(|id| child(&mut hasher, id));
            }
        }
        hashes.push(hasher.digest128());
    }
    ContentHash(hashes.get(inlined.root.index()).copied().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::inline_text;

    fn canonical(text: &str) -> String {
        inline_text(text).canonical_text()
    }

    #[test]
    fn substitutes_variables() {
        let text = "def solve(I):\n    x1 = objects(I, T, F, T)\n    x2 = colorfilter(x1, FIVE)\n    O = fill(I, FIVE, x2)\n    return O\n";
        assert_eq!(canonical(text), "fill(I, FIVE, colorfilter(objects(I, T, F, T), FIVE))");
    }

    #[test]
    fn calls_through_variables_and_chained_calls() {
        let text = "def solve_a87f7484(I):\n    x3 = portrait(I)\n    x4 = branch(x3, dmirror, identity)\n    x5 = x4(I)\n    x8 = rbind(ofcolor, ZERO)(x5)\n    O = x4(x8)\n    return O\n";
        assert_eq!(
            canonical(text),
            "branch(portrait(I), dmirror, identity)(rbind(ofcolor, ZERO)(branch(portrait(I), dmirror, identity)(I)))"
        );
    }

    #[test]
    fn literals_print_as_python_does() {
        let text = "def f(I):\n    return g(-5, 0, (1,), (), (1, (2, 3)), True, False, None)\n";
        assert_eq!(canonical(text), "g(-5, 0, (1,), (), (1, (2, 3)), True, False, None)");
        let inlined = inline_text(text);
        assert_eq!(inlined.printed_len(inlined.root()), inlined.canonical_text().len() as u64);
    }

    #[test]
    fn returning_an_input_or_a_constant() {
        assert_eq!(canonical("def f(I):\n    return I\n"), "I");
        assert_eq!(canonical("def f(I):\n    x1 = g(I)\n    return FIVE\n"), "FIVE");
        assert_eq!(canonical("def f(S, I, C):\n    O = C\n    return O\n"), "C");
        // No return: Python returns None.
        assert_eq!(canonical("def f(I):\n    x1 = g(I)\n"), "None");
    }

    #[test]
    fn first_return_wins_and_reassignment_shadows() {
        assert_eq!(canonical("def f(I):\n    x = g(I)\n    x = h(x)\n    return x\n    return I\n"), "h(g(I))");
        assert_eq!(canonical("def f(I):\n    I = g(I)\n    return I\n"), "g(I)");
    }

    #[test]
    fn undefined_and_not_yet_defined_names_stay_names() {
        assert_eq!(canonical("def f(I):\n    x1 = g(x2)\n    x2 = h(I)\n    return x1\n"), "g(x2)");
        // A parameter that is not `S`, `I` or `C` is a free name too.
        assert_eq!(canonical("def f(x):\n    return g(x)\n"), "g(x)");
    }

    #[test]
    fn hash_format() {
        let inlined = inline_text("def f(I):\n    return vmirror(I)\n");
        let hex = inlined.hash().to_string();
        assert_eq!(hex.len(), 32);
        assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(inlined.hash(), ContentHash::of_canonical_text("vmirror(I)"));
        assert_eq!(inlined.hash(), ContentHash(xxh3_128(b"batt-canon-1\nvmirror(I)")));
    }

    #[test]
    fn invariant_under_renaming_reordering_and_dead_lines() {
        let a = "def solve_x(I):\n    x1 = objects(I, T, F, T)\n    x2 = vmirror(I)\n    x3 = colorfilter(x1, FIVE)\n    O = paint(x2, x3)\n    return O\n";
        let b = "def other(I):\n    b = vmirror(I)\n    unused = hmirror(I)\n    a = objects(I, T, F, T)\n    c = colorfilter(a, FIVE)\n    result = paint(b, c)\n    return result\n";
        assert_eq!(inline_text(a).hash(), inline_text(b).hash());
        let c = a.replace("FIVE", "FOUR");
        assert_ne!(inline_text(a).hash(), inline_text(&c).hash());
        let d = a.replace("paint(x2, x3)", "paint(x3, x2)");
        assert_ne!(inline_text(a).hash(), inline_text(&d).hash());
    }

    #[test]
    fn inputs_used() {
        let used = inline_text("def f(S, I, C):\n    x = g(I)\n    return x\n").inputs_used();
        assert_eq!(used, InputsUsed { s: false, i: true, c: false });
        let used = inline_text("def f(S, I, C):\n    x = g(S, C)\n    return x\n").inputs_used();
        assert_eq!(used, InputsUsed { s: true, i: false, c: true });
    }

    #[test]
    fn exponential_terms_are_hashed_structurally() {
        let mut text = String::from("def f(I):\n    x0 = g(I)\n");
        for k in 1..=40 {
            text.push_str(&format!("    x{k} = h(x{}, x{})\n", k - 1, k - 1));
        }
        text.push_str("    return x40\n");
        let inlined = inline_text(&text);
        // The arena stays linear in the source (one call and one name per line).
        assert!(inlined.node_count() < 100, "{}", inlined.node_count());
        assert_eq!(inlined.diagnostics().len(), 1);
        assert_eq!(inlined.diagnostics()[0].code, "I001");
        // Still invariant under renaming, and still sensitive to changes.
        let renamed = text.replace('x', "v");
        assert_eq!(inline_text(&renamed).hash(), inlined.hash());
        let changed = text.replace("g(I)", "k(I)");
        assert_ne!(inline_text(&changed).hash(), inlined.hash());
    }

    #[test]
    fn deep_chains_do_not_overflow_the_stack() {
        let mut text = String::from("def f(I):\n    x0 = g(I)\n");
        for k in 1..=20_000 {
            text.push_str(&format!("    x{k} = h(x{})\n", k - 1));
        }
        text.push_str("    return x20000\n");
        let inlined = inline_text(&text);
        assert!(inlined.diagnostics().is_empty());
        assert_eq!(inlined.canonical_text().len() as u64, inlined.printed_len(inlined.root()));
    }
}

// ---- the salsa queries --------------------------------------------------------------------------------

/// The inlined form of function `index` of `file` (`None` if the file has no such function). Re-runs
/// only when the function's own text changed (it reads [`crate::parse::function`]).
#[salsa::tracked(returns(ref))]
pub fn inlined(db: &dyn crate::db::Db, file: crate::inputs::SourceFile, index: u32) -> Option<Inlined> {
    crate::parse::function(db, file, index).as_ref().map(inline)
}

/// The content hash of function `index` of `file`, as hex. Equal across renames, reorderings and
/// comment edits, so the queries that read it are not re-run by those.
#[salsa::tracked(returns(clone))]
pub fn hash(db: &dyn crate::db::Db, file: crate::inputs::SourceFile, index: u32) -> Option<String> {
    inlined(db, file, index).as_ref().map(|i| i.hash().to_string())
}

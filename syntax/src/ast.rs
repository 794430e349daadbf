//! The syntax tree of a solver file: functions of `NAME = EXPR` and `return EXPR` statements.
//!
//! The tree is always complete: where the parser found no expression it puts an [`Expr::Error`], and the
//! syntax errors themselves sit next to the tree ([`Module::errors`] for what lies outside every function,
//! [`Function::errors`] for the rest). Every node has a [`TextRange`]; nothing here knows lines or files.
//! Names are stored as written; what they mean (input, variable, primitive, constant) is decided later.

use crate::diagnostic::Diagnostic;
use crate::text::{Ranged, TextRange};

/// A parsed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// The functions that have a name, in file order (a `def` whose name is missing is dropped, and its
    /// errors move to [`Module::errors`]).
    pub functions: Vec<Function>,
    /// Syntax errors outside every function.
    pub errors: Vec<Diagnostic>,
}

impl Module {
    /// The first function called `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name.text == name)
    }

    /// Every syntax error of the file, top-level ones first, then each function's.
    pub fn all_errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors.iter().chain(self.functions.iter().flat_map(|f| f.errors.iter()))
    }

    /// Returns true if and only if the file has no syntax error at all.
    pub fn has_valid_syntax(&self) -> bool {
        self.all_errors().next().is_none()
    }
}

/// `def NAME(PARAMS):` and its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// The function's name.
    pub name: Name,
    /// The parameters, as written.
    pub params: Vec<Name>,
    /// The parameter list including its parentheses.
    pub params_range: TextRange,
    /// The statements of the body, in order.
    pub body: Vec<Stmt>,
    /// From `def` to the end of the last statement.
    pub range: TextRange,
    /// Syntax errors from `def` up to the next top-level line.
    pub errors: Vec<Diagnostic>,
}

impl Function {
    /// Returns true if and only if the function parsed without errors.
    pub fn has_valid_syntax(&self) -> bool {
        self.errors.is_empty()
    }
}

impl Ranged for Function {
    fn range(&self) -> TextRange {
        self.range
    }
}

/// An identifier as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    /// The identifier.
    pub text: String,
    /// Where it is.
    pub range: TextRange,
}

impl Name {
    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Ranged for Name {
    fn range(&self) -> TextRange {
        self.range
    }
}

/// One line of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    /// `target = value`
    Assign {
        /// The variable assigned.
        target: Name,
        /// The expression.
        value: Expr,
        /// The whole statement.
        range: TextRange,
    },
    /// `return value`
    Return {
        /// The expression returned.
        value: Expr,
        /// The whole statement.
        range: TextRange,
    },
}

impl Stmt {
    /// The expression on the right.
    pub fn value(&self) -> &Expr {
        match self {
            Stmt::Assign { value, .. } | Stmt::Return { value, .. } => value,
        }
    }
}

impl Ranged for Stmt {
    fn range(&self) -> TextRange {
        match self {
            Stmt::Assign { range, .. } | Stmt::Return { range, .. } => *range,
        }
    }
}

/// An expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A name: a parameter, a variable, a primitive or a constant.
    Name(Name),
    /// An integer literal, with its unary minus if it had one.
    Int {
        /// The value.
        value: i64,
        /// The literal (and its minus sign).
        range: TextRange,
    },
    /// `True` or `False`.
    Bool {
        /// The value.
        value: bool,
        /// The keyword.
        range: TextRange,
    },
    /// `None`.
    None {
        /// The keyword.
        range: TextRange,
    },
    /// `(a, b)`, `(a,)` or `()`.
    Tuple {
        /// The elements.
        items: Vec<Expr>,
        /// From `(` to `)`.
        range: TextRange,
    },
    /// `callee(args…)`.
    Call {
        /// What is called: a name, or itself a call.
        callee: Box<Expr>,
        /// The arguments, left to right.
        args: Vec<Expr>,
        /// From the start of the callee to `)`.
        range: TextRange,
    },
    /// Where an expression was expected but none could be parsed (a syntax error says why).
    Error {
        /// Where the expression should be.
        range: TextRange,
    },
}

impl Expr {
    /// Returns true if and only if the two expressions are the same apart from their ranges.
    pub fn same_as(&self, other: &Expr) -> bool {
        match (self, other) {
            (Expr::Name(a), Expr::Name(b)) => a.text == b.text,
            (Expr::Int { value: a, .. }, Expr::Int { value: b, .. }) => a == b,
            (Expr::Bool { value: a, .. }, Expr::Bool { value: b, .. }) => a == b,
            (Expr::None { .. }, Expr::None { .. }) | (Expr::Error { .. }, Expr::Error { .. }) => true,
            (Expr::Tuple { items: a, .. }, Expr::Tuple { items: b, .. }) => same_list(a, b),
            (Expr::Call { callee: f, args: a, .. }, Expr::Call { callee: g, args: b, .. }) => {
                f.same_as(g) && same_list(a, b)
            }
            _ => false,
        }
    }

    /// Calls `visit` on this expression and every expression inside it, outer before inner, callee before
    /// arguments, left to right.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Expr)) {
        visit(self);
        match self {
            Expr::Tuple { items, .. } => items.iter().for_each(|e| e.walk(visit)),
            Expr::Call { callee, args, .. } => {
                callee.walk(visit);
                args.iter().for_each(|e| e.walk(visit));
            }
            _ => {}
        }
    }
}

fn same_list(a: &[Expr], b: &[Expr]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
}

impl Ranged for Expr {
    fn range(&self) -> TextRange {
        match self {
            Expr::Name(name) => name.range,
            Expr::Int { range, .. }
            | Expr::Bool { range, .. }
            | Expr::None { range }
            | Expr::Tuple { range, .. }
            | Expr::Call { range, .. }
            | Expr::Error { range } => *range,
        }
    }
}

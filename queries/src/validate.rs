//! Validation: static checks of one solver function, like a linter, each finding with a stable code and
//! a range.
//!
//! Errors (`V…`) make a solver invalid; warnings (`W…`) do not. The checks follow Python's scoping: a
//! name assigned anywhere in the function is a local variable everywhere in it, so using it on an earlier
//! line is `V005` rather than a reference to a primitive of the same name. Names that are not variables
//! are judged through [`Names`]. Syntax errors are the parser's business and are not repeated here;
//! [`Expr::Error`] nodes are skipped.
//!
//! | code | name | what |
//! | --- | --- | --- |
//! | V001 | undefined-name | a name that is no parameter, variable, primitive or constant |
//! | V002 | unknown-primitive | a call to a name that is no primitive, constant or variable |
//! | V003 | wrong-arity | a primitive called directly with the wrong number of arguments |
//! | V004 | reassigned-variable | a variable (or parameter) assigned a second time |
//! | V005 | used-before-assignment | a variable used before the line that assigns it |
//! | V006 | missing-return | no `return` |
//! | V007 | extra-return | a second `return`, or statements after the `return` |
//! | V008 | bad-signature | parameters other than `(I)` or `(S, I, C)` |
//! | W001 | unused-variable | a variable assigned and never used |
//! | W002 | duplicate-call | the same call text assigned to two variables |

use std::collections::HashMap;

use batt_syntax::ast::{Expr, Function, Name, Stmt};
use batt_syntax::printer::print_expr;
use batt_syntax::{Diagnostic, Ranged, TextRange};

use crate::names::Names;

/// Checks `function`; the names it does not assign are judged by `names`.
///
/// ```
/// use batt_queries::names::Names;
///
/// struct Two;
/// impl Names for Two {
///     fn primitive_arity(&self, name: &str) -> Option<usize> {
///         match name { "vmirror" => Some(1), "fill" => Some(3), _ => None }
///     }
///     fn is_constant(&self, name: &str) -> bool { name == "FIVE" }
/// }
///
/// let module = batt_syntax::parse("def solve(I):\n    x1 = vmirror(I)\n    O = fill(x1, FIVE)\n    return O\n");
/// let validated = batt_queries::validate::validate(&module.functions[0], &Two);
/// assert!(!validated.is_valid());
/// assert_eq!(validated.diagnostics[0].code, "V003");
/// assert_eq!(validated.diagnostics[0].message, "`fill` takes 3 arguments but 2 were given");
/// ```
pub fn validate(function: &Function, names: &(impl Names + ?Sized)) -> Validated {
    let mut checker = Checker {
        names,
        diagnostics: Vec::new(),
        bindings: Vec::new(),
        scope: HashMap::with_capacity(function.body.len() + 3),
        first_assignment: HashMap::with_capacity(function.body.len()),
        in_computed_tuple: false,
        line_is_live: false,
    };
    checker.check(function);
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by_key(|d| (d.range.start(), d.code));
    Validated { diagnostics }
}

/// The findings of [`validate`], in source order ([`validated`] puts the function's syntax errors first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validated {
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl Validated {
    /// Returns true if and only if there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }
}

/// The parameter lists a solver or differ may have.
const SIGNATURES: &[&[&str]] = &[&["I"], &["S", "I", "C"]];

/// One binding of a name: a parameter or an assignment.
struct Binding<'f> {
    name: &'f Name,
    is_param: bool,
    used: bool,
    /// The value is a constant expression (literals, constants, tuples of them): a tuple may hold it.
    constant: bool,
}

struct Checker<'f, 'n, N: Names + ?Sized> {
    names: &'n N,
    diagnostics: Vec<Diagnostic>,
    /// Every binding made so far, in order.
    bindings: Vec<Binding<'f>>,
    /// The current binding of each bound name (an index into `bindings`).
    scope: HashMap<&'f str, usize>,
    /// Where each variable is first assigned.
    first_assignment: HashMap<&'f str, TextRange>,
    /// Inside a tuple already reported as `V009` (its inner tuples are not reported again).
    in_computed_tuple: bool,
    /// The statement being checked is one the result depends on (a line that is never run cannot fail
    /// to build its tuple, so `V009` is reported on these only).
    line_is_live: bool,
}

impl<'f, N: Names + ?Sized> Checker<'f, '_, N> {
    fn check(&mut self, function: &'f Function) {
        self.check_signature(function);
        for param in &function.params {
            self.bind(param, true, false);
        }
        for stmt in &function.body {
            if let Stmt::Assign { target, .. } = stmt {
                self.first_assignment.entry(&target.text).or_insert(target.range);
            }
        }
        let live = live_variables(function);
        let mut calls: HashMap<String, &'f Name> = HashMap::new();
        let mut returned = false;
        for stmt in &function.body {
            if returned {
                let message = match stmt {
                    Stmt::Return { .. } => "a second `return` never runs; a solver has exactly one `return`",
                    Stmt::Assign { .. } => "this line comes after `return` and never runs",
                };
                self.diagnostics.push(Diagnostic::error("V007", message, stmt.range()));
                break;
            }
            self.line_is_live = match stmt {
                Stmt::Assign { target, .. } => live.contains(target.text.as_str()),
                Stmt::Return { .. } => true,
            };
            self.check_expr(stmt.value(), false);
            match stmt {
                Stmt::Assign { target, value, .. } => {
                    if matches!(value, Expr::Call { .. }) {
                        let text = print_expr(value);
                        match calls.get(&text) {
                            Some(first) => {
                                let message =
                                    format!("`{}` repeats the call already assigned to `{}`", target.text, first.text);
                                let diagnostic = Diagnostic::warning("W002", message, value.range())
                                    .with_label(first.range, "first computed here");
                                self.diagnostics.push(diagnostic);
                            }
                            None => {
                                calls.insert(text, target);
                            }
                        }
                    }
                    let constant = self.is_constant(value);
                    self.bind(target, false, constant);
                }
                Stmt::Return { .. } => returned = true,
            }
        }
        if !returned {
            let message = format!("`{}` has no `return`", function.name.text);
            self.diagnostics.push(Diagnostic::error("V006", message, function.name.range));
        }
        for binding in &self.bindings {
            if !binding.used && !binding.is_param {
                let message = format!("`{}` is assigned but never used", binding.name.text);
                self.diagnostics.push(Diagnostic::warning("W001", message, binding.name.range));
            }
        }
    }

    fn check_signature(&mut self, function: &Function) {
        let params: Vec<&str> = function.params.iter().map(Name::as_str).collect();
        if SIGNATURES.contains(&params.as_slice()) {
            return;
        }
        let message = format!("the parameters must be `(I)` or `(S, I, C)`, not `({})`", params.join(", "));
        let range = if function.params_range.is_empty() { function.name.range } else { function.params_range };
        self.diagnostics.push(Diagnostic::error("V008", message, range));
    }

    fn bind(&mut self, name: &'f Name, is_param: bool, constant: bool) {
        if let Some(&previous) = self.scope.get(name.text.as_str()) {
            let first = &self.bindings[previous];
            let (message, label) = if first.is_param {
                (format!("parameter `{}` is assigned", name.text), "the parameter")
            } else {
                (format!("`{}` is assigned a second time", name.text), "first assigned here")
            };
            let diagnostic = Diagnostic::error("V004", message, name.range).with_label(first.name.range, label);
            self.diagnostics.push(diagnostic);
            // The shadowed binding does not also get an unused-variable warning.
            self.bindings[previous].used = true;
        }
        self.scope.insert(&name.text, self.bindings.len());
        self.bindings.push(Binding { name, is_param, used: false, constant });
    }

    fn check_expr(&mut self, expr: &Expr, is_callee: bool) {
        match expr {
            Expr::Name(name) => self.check_name(name, is_callee),
            Expr::Call { callee, args, .. } => {
                self.check_expr(callee, true);
                if let Expr::Name(name) = callee.as_ref() {
                    self.check_arity(name, args.len());
                }
                for arg in args {
                    self.check_expr(arg, false);
                }
            }
            Expr::Tuple { items, .. } => {
                // The outermost tuple that holds a computed value is the one reported.
                if self.line_is_live && !self.in_computed_tuple && !self.is_constant(expr) {
                    let message = "this tuple holds computed values, which the runtime cannot build: \
                                   build it with a primitive such as `astuple`";
                    self.diagnostics.push(Diagnostic::error("V009", message, expr.range()));
                    self.in_computed_tuple = true;
                    for item in items {
                        self.check_expr(item, false);
                    }
                    self.in_computed_tuple = false;
                    return;
                }
                for item in items {
                    self.check_expr(item, false);
                }
            }
            Expr::Int { .. } | Expr::Bool { .. } | Expr::None { .. } | Expr::Error { .. } => {}
        }
    }

    /// Whether `expr` is built from literals, constants, primitives and variables that hold such values
    /// only (an unresolved name counts as constant: it has its own error).
    fn is_constant(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Int { .. } | Expr::Bool { .. } | Expr::None { .. } | Expr::Error { .. } => true,
            Expr::Name(name) => match self.scope.get(name.text.as_str()) {
                Some(&binding) => self.bindings[binding].constant,
                None => true,
            },
            Expr::Tuple { items, .. } => items.iter().all(|item| self.is_constant(item)),
            Expr::Call { .. } => false,
        }
    }

    fn check_name(&mut self, name: &Name, is_callee: bool) {
        if let Some(&binding) = self.scope.get(name.text.as_str()) {
            self.bindings[binding].used = true;
            return;
        }
        if let Some(&assigned) = self.first_assignment.get(name.text.as_str()) {
            let message = format!("`{}` is used before it is assigned", name.text);
            let diagnostic = Diagnostic::error("V005", message, name.range).with_label(assigned, "assigned here");
            self.diagnostics.push(diagnostic);
            return;
        }
        if self.names.is_constant(&name.text) || self.names.primitive_arity(&name.text).is_some() {
            return;
        }
        let diagnostic = if is_callee {
            Diagnostic::error("V002", format!("unknown primitive `{}`", name.text), name.range)
        } else {
            Diagnostic::error("V001", format!("undefined name `{}`", name.text), name.range)
        };
        self.diagnostics.push(diagnostic);
    }

    /// `V003` for a call of a primitive (not a variable of the same name) with the wrong argument count.
    fn check_arity(&mut self, callee: &Name, n_args: usize) {
        let name = callee.text.as_str();
        if self.scope.contains_key(name) || self.first_assignment.contains_key(name) {
            return;
        }
        let Some(arity) = self.names.primitive_arity(name) else {
            return;
        };
        if arity == n_args {
            return;
        }
        let plural = |n: usize, what: &str| {
            if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
        };
        let given = if n_args == 1 { "1 was given".to_string() } else { format!("{n_args} were given") };
        let message = format!("`{name}` takes {} but {given}", plural(arity, "argument"));
        self.diagnostics.push(Diagnostic::error("V003", message, callee.range));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::mock::ArcDsl;

    /// The diagnostics of the first function of `text` as `line:col CODE message`.
    fn check(text: &str) -> Vec<String> {
        let module = batt_syntax::parse(text);
        assert!(module.has_valid_syntax(), "{:?}", module.all_errors().collect::<Vec<_>>());
        let index = batt_syntax::LineIndex::new(text);
        validate(&module.functions[0], &ArcDsl)
            .diagnostics
            .iter()
            .map(|d| format!("{} {} {}", index.line_col(text, d.range.start()), d.code, d.message))
            .collect()
    }

    #[test]
    fn a_valid_solver() {
        let text = "def solve(I):\n    x1 = objects(I, T, F, T)\n    x2 = rbind(shift, UP)\n    x3 = apply(x2, x1)\n    O = paint(I, merge(x3))\n    return O\n";
        assert_eq!(check(text), Vec::<String>::new());
        assert!(check("def differ(S, I, C):\n    return equality(I, C)\n").is_empty());
    }

    #[test]
    fn undefined_name_and_unknown_primitive() {
        assert_eq!(
            check("def solve(I):\n    x1 = frobnicate(I, y)\n    return x1\n"),
            ["2:10 V002 unknown primitive `frobnicate`", "2:24 V001 undefined name `y`"]
        );
        // `S` is not a parameter of `solve(I)`.
        assert_eq!(check("def solve(I):\n    return pair(S, I)\n"), ["2:17 V001 undefined name `S`"]);
        // Calling through a variable is fine.
        assert!(check("def solve(I):\n    x1 = rbind(shift, UP)\n    O = x1(I)\n    return O\n").is_empty());
    }

    #[test]
    fn wrong_arity() {
        assert_eq!(
            check("def solve(I):\n    x1 = fill(I, FIVE)\n    O = vmirror(x1, I)\n    return O\n"),
            [
                "2:10 V003 `fill` takes 3 arguments but 2 were given",
                "3:9 V003 `vmirror` takes 1 argument but 2 were given"
            ]
        );
        assert_eq!(check("def solve(I):\n    return add(I)\n"), ["2:12 V003 `add` takes 2 arguments but 1 was given"]);
        // A variable shadowing a primitive's name is not checked against the primitive.
        assert!(check("def solve(I):\n    fill = rbind(shift, UP)\n    O = fill(I)\n    return O\n").is_empty());
    }

    #[test]
    fn tuples_of_computed_values() {
        assert_eq!(
            check("def solve(I):\n    x1 = vmirror(I)\n    return ((x1, 1), I)\n"),
            ["3:12 V009 this tuple holds computed values, which the runtime cannot build: build it with a \
              primitive such as `astuple`"]
        );
        // A line the result does not depend on is never run: its tuple is not an error (W001 says it is unused).
        assert_eq!(
            check("def solve(I):\n    x1 = (I, 1)\n    x2 = first(x1)\n    O = vmirror(I)\n    return O\n"),
            ["3:5 W001 `x2` is assigned but never used"]
        );
        // Literals, constants, primitives and variables holding them make a constant tuple.
        assert!(
            check("def solve(I):\n    x1 = (ONE, 2)\n    x2 = (x1, identity, None)\n    return fill(I, 1, x2)\n")
                .is_empty()
        );
    }

    #[test]
    fn reassignment() {
        assert_eq!(
            check("def solve(I):\n    x1 = vmirror(I)\n    x1 = hmirror(x1)\n    return x1\n"),
            ["3:5 V004 `x1` is assigned a second time"]
        );
        assert_eq!(check("def solve(I):\n    I = vmirror(I)\n    return I\n"), ["2:5 V004 parameter `I` is assigned"]);
        let module = batt_syntax::parse("def solve(I):\n    x1 = vmirror(I)\n    x1 = hmirror(x1)\n    return x1\n");
        let validated = validate(&module.functions[0], &ArcDsl);
        assert_eq!(validated.diagnostics[0].labels[0].message, "first assigned here");
    }

    #[test]
    fn used_before_assignment() {
        assert_eq!(
            check("def solve(I):\n    x1 = vmirror(x2)\n    x2 = hmirror(I)\n    return x1\n"),
            ["2:18 V005 `x2` is used before it is assigned", "3:5 W001 `x2` is assigned but never used"]
        );
        // A later assignment makes a primitive's name a variable everywhere in the function.
        assert_eq!(
            check("def solve(I):\n    x1 = vmirror(I)\n    vmirror = x1\n    return vmirror\n"),
            ["2:10 V005 `vmirror` is used before it is assigned"]
        );
        assert_eq!(
            check("def solve(I):\n    x1 = vmirror(x1)\n    return x1\n"),
            ["2:18 V005 `x1` is used before it is assigned"]
        );
    }

    #[test]
    fn returns() {
        assert_eq!(
            check("def solve(I):\n    x1 = vmirror(I)\n"),
            ["1:5 V006 `solve` has no `return`", "2:5 W001 `x1` is assigned but never used"]
        );
        assert_eq!(
            check("def solve(I):\n    return I\n    return vmirror(I)\n"),
            ["3:5 V007 a second `return` never runs; a solver has exactly one `return`"]
        );
        assert_eq!(
            check("def solve(I):\n    O = vmirror(I)\n    return O\n    x1 = hmirror(O)\n"),
            ["4:5 V007 this line comes after `return` and never runs"]
        );
    }

    #[test]
    fn bad_signature() {
        assert_eq!(
            check("def solve(x):\n    return x\n"),
            ["1:10 V008 the parameters must be `(I)` or `(S, I, C)`, not `(x)`"]
        );
        assert_eq!(
            check("def solve(I, S, C):\n    return I\n"),
            ["1:10 V008 the parameters must be `(I)` or `(S, I, C)`, not `(I, S, C)`"]
        );
        assert_eq!(
            check("def solve():\n    return ZERO\n"),
            ["1:10 V008 the parameters must be `(I)` or `(S, I, C)`, not `()`"]
        );
    }

    #[test]
    fn warnings_do_not_invalidate() {
        let text = "def solve(I):\n    x1 = vmirror(I)\n    x2 = hmirror(I)\n    x3 = vmirror(I)\n    O = hconcat(x1, x3)\n    return O\n";
        assert_eq!(
            check(text),
            ["3:5 W001 `x2` is assigned but never used", "4:10 W002 `x3` repeats the call already assigned to `x1`"]
        );
        let module = batt_syntax::parse(text);
        let validated = validate(&module.functions[0], &ArcDsl);
        assert!(validated.is_valid());
        assert_eq!(validated.warnings().count(), 2);
        assert_eq!(validated.errors().count(), 0);
    }

    #[test]
    fn works_through_dyn_names() {
        let module = batt_syntax::parse("def solve(I):\n    return vmirror(I)\n");
        let names: &dyn Names = &ArcDsl;
        assert!(validate(&module.functions[0], names).is_valid());
    }
}

/// The variables the returned value depends on, through the lines that read them, up to the first
/// `return` (what a run evaluates).
fn live_variables(function: &Function) -> std::collections::HashSet<&str> {
    let mut reads: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut stack = Vec::new();
    for stmt in &function.body {
        match stmt {
            Stmt::Assign { target, value, .. } => {
                reads.insert(&target.text, names_in(value));
            }
            Stmt::Return { .. } => {
                stack = names_in(stmt.value());
                break;
            }
        }
    }
    let mut live = std::collections::HashSet::new();
    while let Some(name) = stack.pop() {
        if live.insert(name)
            && let Some(read) = reads.get(name)
        {
            stack.extend(read);
        }
    }
    live
}

/// Every name `expr` reads, callees included.
fn names_in(expr: &Expr) -> Vec<&str> {
    let mut names = Vec::new();
    expr.walk(&mut |e| {
        if let Expr::Name(name) = e {
            names.push(name.text.as_str());
        }
    });
    names
}

// ---- the salsa query ----------------------------------------------------------------------------------

/// The static checks of function `index` of `file`, syntax errors included (as errors of the function).
/// Ranges are relative to the function (see [`crate::parse::function`]); re-runs only when the function's
/// own text changed.
#[salsa::tracked(returns(ref))]
pub fn validated(db: &dyn crate::db::Db, file: crate::inputs::SourceFile, index: u32) -> Validated {
    match crate::parse::function(db, file, index) {
        Some(function) => {
            let mut validated = validate(function, &crate::names::Runtime);
            validated.diagnostics.splice(0..0, function.errors.iter().cloned());
            validated
        }
        None => Validated::default(),
    }
}

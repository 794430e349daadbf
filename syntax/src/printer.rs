//! The tree back to source text, normalized: one statement per line, four spaces of indentation,
//! `f(a, b)` with one space after each comma, tuples as Python prints them (`()`, `(a,)`, `(a, b)`), and
//! integers in decimal.
//!
//! Printing a parsed function and parsing the result gives the same tree (ranges aside). Comments,
//! blank lines and imports are not kept by the tree and so are not printed. An [`Expr::Error`] prints as
//! `<error>`, which does not parse: only error-free trees round-trip.

use std::fmt::Write;

use crate::ast::{Expr, Function, Stmt};

/// The function as normalized source text, ending with a newline.
pub fn print_function(function: &Function) -> String {
    let mut out = String::new();
    out.push_str("def ");
    out.push_str(&function.name.text);
    out.push('(');
    for (k, param) in function.params.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(&param.text);
    }
    out.push_str("):\n");
    for stmt in &function.body {
        out.push_str("    ");
        match stmt {
            Stmt::Assign { target, value, .. } => {
                out.push_str(&target.text);
                out.push_str(" = ");
                write_expr(&mut out, value);
            }
            Stmt::Return { value, .. } => {
                out.push_str("return ");
                write_expr(&mut out, value);
            }
        }
        out.push('\n');
    }
    out
}

/// The expression as normalized source text.
pub fn print_expr(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr);
    out
}

/// Appends the expression as normalized source text to `out`.
pub fn write_expr(out: &mut String, expr: &Expr) {
    match expr {
        Expr::Name(name) => out.push_str(&name.text),
        Expr::Int { value, .. } => {
            // Writing to a `String` cannot fail.
            let _ = write!(out, "{value}");
        }
        Expr::Bool { value: true, .. } => out.push_str("True"),
        Expr::Bool { value: false, .. } => out.push_str("False"),
        Expr::None { .. } => out.push_str("None"),
        Expr::Tuple { items, .. } => {
            out.push('(');
            write_list(out, items);
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Expr::Call { callee, args, .. } => {
            write_expr(out, callee);
            out.push('(');
            write_list(out, args);
            out.push(')');
        }
        Expr::Error { .. } => out.push_str("<error>"),
    }
}

fn write_list(out: &mut String, items: &[Expr]) {
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        write_expr(out, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn prints_normalized_source() {
        let text =
            "def  f( I ,):\n  x1=g( I,( 1 , ),(),(-2,3) ,True,None)\n  x2 = rbind(shift,UP)(x1)\n  return x2 # done\n";
        let module = parse(text);
        assert!(module.has_valid_syntax(), "{:?}", module.all_errors().collect::<Vec<_>>());
        let printed = print_function(&module.functions[0]);
        assert_eq!(
            printed,
            "def f(I):\n    x1 = g(I, (1,), (), (-2, 3), True, None)\n    x2 = rbind(shift, UP)(x1)\n    return x2\n"
        );
        // Printing is a fixed point.
        let again = parse(&printed);
        assert_eq!(print_function(&again.functions[0]), printed);
    }
}

//! Stage 1, `parse`: a solver file's text to its syntax tree.
//!
//! Key: the [`SourceFile`] input; re-runs when its text changes. The tree has `PartialEq`, so an edit that
//! leaves the tree equal (none can: ranges move) stops here; the next stage, `inline`, is the real
//! invalidation barrier, since renaming and reordering leave its result equal.
//!
//! The per-function stages read [`function`], not the whole tree: one function with its ranges made
//! relative to its `def`, equal from one revision to the next unless that function's own text changed.
//! An edit to one solver of a 400-solver file then re-runs `inline`, `validate` and `expand` for that
//! solver only. Their diagnostics are relative too; [`absolute`] moves them back for rendering.

use batt_syntax::ast::{Expr, Function, Name, Stmt};
use batt_syntax::{Diagnostic, LineIndex, Module, TextRange, TextSize};

use crate::db::Db;
use crate::inputs::SourceFile;

/// The syntax tree of `file`, with its syntax errors.
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn Db, file: SourceFile) -> Module {
    batt_syntax::parse(file.text(db))
}

/// The line index of `file`, to turn byte offsets into line:col when rendering.
#[salsa::tracked(returns(ref))]
pub fn line_index(db: &dyn Db, file: SourceFile) -> LineIndex {
    LineIndex::new(file.text(db))
}

/// The 1-based line of `offset` in `file`.
pub fn line_of(db: &dyn Db, file: SourceFile, offset: TextSize) -> u32 {
    line_index(db, file).line_col(file.text(db), offset).line
}

/// Function `index` of `file` on its own: the tree [`parse`] gives, with every range relative to the
/// function's start. Key: (file, index); re-runs on every edit of the file, and is equal (so nothing
/// after it re-runs) when the function's text is, wherever the edit moved it in the file. (Adding or
/// removing a function above it shifts its index, and the later functions' stages re-run.)
#[salsa::tracked(returns(ref))]
pub fn function(db: &dyn Db, file: SourceFile, index: u32) -> Option<Function> {
    let function = parse(db, file).functions.get(index as usize)?;
    let start = function.range.start().to_u32();
    let at = |range: TextRange| {
        TextRange::new(
            TextSize::new(range.start().to_u32().saturating_sub(start)),
            TextSize::new(range.end().to_u32().saturating_sub(start)),
        )
    };
    Some(move_function(function, &at))
}

/// Where function `index` of `file` starts: what [`function`]'s ranges are relative to.
pub fn function_start(db: &dyn Db, file: SourceFile, index: u32) -> u32 {
    parse(db, file).functions.get(index as usize).map_or(0, |f| f.range.start().to_u32())
}

/// A diagnostic of [`function`] `index` (or of a stage after it) with its ranges made absolute again.
pub fn absolute(db: &dyn Db, file: SourceFile, index: u32, diagnostic: &Diagnostic) -> Diagnostic {
    let start = function_start(db, file, index);
    let at = |range: TextRange| TextRange::new(range.start() + start, range.end() + start);
    move_diagnostic(diagnostic, &at)
}

fn move_diagnostic(diagnostic: &Diagnostic, at: &impl Fn(TextRange) -> TextRange) -> Diagnostic {
    let mut moved = diagnostic.clone();
    moved.range = at(moved.range);
    for label in &mut moved.labels {
        label.range = at(label.range);
    }
    moved
}

fn move_function(function: &Function, at: &impl Fn(TextRange) -> TextRange) -> Function {
    let name = |n: &Name| Name { text: n.text.clone(), range: at(n.range) };
    Function {
        name: name(&function.name),
        params: function.params.iter().map(name).collect(),
        params_range: at(function.params_range),
        body: function
            .body
            .iter()
            .map(|stmt| match stmt {
                Stmt::Assign { target, value, range } => {
                    Stmt::Assign { target: name(target), value: move_expr(value, at), range: at(*range) }
                }
                Stmt::Return { value, range } => Stmt::Return { value: move_expr(value, at), range: at(*range) },
            })
            .collect(),
        range: at(function.range),
        errors: function.errors.iter().map(|d| move_diagnostic(d, at)).collect(),
    }
}

fn move_expr(expr: &Expr, at: &impl Fn(TextRange) -> TextRange) -> Expr {
    match expr {
        Expr::Name(n) => Expr::Name(Name { text: n.text.clone(), range: at(n.range) }),
        Expr::Int { value, range } => Expr::Int { value: *value, range: at(*range) },
        Expr::Bool { value, range } => Expr::Bool { value: *value, range: at(*range) },
        Expr::None { range } => Expr::None { range: at(*range) },
        Expr::Tuple { items, range } => {
            Expr::Tuple { items: items.iter().map(|e| move_expr(e, at)).collect(), range: at(*range) }
        }
        Expr::Call { callee, args, range } => Expr::Call {
            callee: Box::new(move_expr(callee, at)),
            args: args.iter().map(|e| move_expr(e, at)).collect(),
            range: at(*range),
        },
        Expr::Error { range } => Expr::Error { range: at(*range) },
    }
}

#[cfg(test)]
mod tests {
    use salsa::Setter;

    use super::*;
    use crate::db::BattDb;

    #[test]
    fn a_function_moved_by_an_edit_above_it_is_the_same_and_its_diagnostics_follow_it() {
        let mut db = BattDb::default();
        let one = "def solve_a(I):\n    O = vmirror(I)\n    return O\n\n";
        let two = "def solve_b(I):\n    x1 = hmirror(I)\n    O = vmirror(I)\n    return O\n";
        let file = SourceFile::new(&db, "s.py".into(), format!("{one}{two}"));
        let before = function(&db, file, 1).clone();
        let warning = |db: &BattDb| crate::project::diagnostics_of(db, file, 1).first().map(|d| d.rendered.clone());
        assert_eq!(warning(&db).as_deref(), Some("s.py:6:5: W001 `x1` is assigned but never used"));

        let edited = one.replace("    O = vmirror(I)\n", "    x1 = rot90(I)\n    O = vmirror(x1)\n");
        file.set_text(&mut db).to(format!("{edited}{two}"));
        assert_eq!(function(&db, file, 1), &before);
        assert_ne!(parse(&db, file).functions.get(1), before.as_ref(), "absolute ranges moved");
        assert_eq!(warning(&db).as_deref(), Some("s.py:7:5: W001 `x1` is assigned but never used"));
    }
}

//! Stage 1, `parse`: a solver file's text to its syntax tree.
//!
//! Key: the [`SourceFile`] input; re-runs when its text changes. The tree has `PartialEq`, so an edit that
//! leaves the tree equal (none can: ranges move) stops here; the next stage, `inline`, is the real
//! invalidation barrier, since renaming and reordering leave its result equal.

use batt_syntax::{LineIndex, Module, TextSize};

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

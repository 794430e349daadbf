//! Byte offsets into a source text, ranges of them, and the line index that turns an offset into a
//! 1-based `line:col` position.
//!
//! Every token, AST node and diagnostic carries a [`TextRange`] of 32-bit byte offsets; nothing before
//! rendering knows about lines or columns. A [`LineIndex`] is built from the text once, and only at the edge
//! (when a diagnostic is printed) are offsets converted to [`LineCol`]s. Columns count characters, not
//! bytes, so a position points at the same place an editor shows.

use std::fmt;
use std::ops::{Add, Range};

/// A byte offset into a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextSize(u32);

impl TextSize {
    /// The offset `raw`.
    #[inline]
    pub const fn new(raw: u32) -> TextSize {
        TextSize(raw)
    }

    /// The offset as a `u32`.
    #[inline]
    pub const fn to_u32(self) -> u32 {
        self.0
    }

    /// The offset as a `usize`, for indexing into the text.
    #[inline]
    pub const fn to_usize(self) -> usize {
        self.0 as usize
    }

    /// The offset of a position in a text, saturating at `u32::MAX` (texts are far shorter).
    #[inline]
    pub fn from_usize(raw: usize) -> TextSize {
        TextSize(u32::try_from(raw).unwrap_or(u32::MAX))
    }
}

impl Add<u32> for TextSize {
    type Output = TextSize;

    #[inline]
    fn add(self, rhs: u32) -> TextSize {
        TextSize(self.0.saturating_add(rhs))
    }
}

impl fmt::Display for TextSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A half-open range `start..end` of byte offsets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    start: TextSize,
    end: TextSize,
}

impl TextRange {
    /// The range `start..end`; `start <= end` is the caller's promise (an inverted range is made empty).
    #[inline]
    pub fn new(start: TextSize, end: TextSize) -> TextRange {
        TextRange { start, end: end.max(start) }
    }

    /// The empty range at `offset`.
    #[inline]
    pub fn empty(offset: TextSize) -> TextRange {
        TextRange { start: offset, end: offset }
    }

    /// The range of `len` bytes starting at `start`.
    #[inline]
    pub fn at(start: TextSize, len: u32) -> TextRange {
        TextRange { start, end: start + len }
    }

    /// The first offset in the range.
    #[inline]
    pub const fn start(self) -> TextSize {
        self.start
    }

    /// The offset just past the range.
    #[inline]
    pub const fn end(self) -> TextSize {
        self.end
    }

    /// The length in bytes.
    #[inline]
    pub const fn len(self) -> u32 {
        self.end.0 - self.start.0
    }

    /// Returns true if and only if the range covers no bytes.
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.start.0 == self.end.0
    }

    /// The smallest range covering both `self` and `other`.
    #[inline]
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Returns true if and only if `offset` lies in `start..end`.
    #[inline]
    pub fn contains(self, offset: TextSize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The range as `usize` bounds, for slicing the text.
    #[inline]
    pub fn to_std(self) -> Range<usize> {
        self.start.to_usize()..self.end.to_usize()
    }
}

impl fmt::Display for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Something with a range in the source text.
pub trait Ranged {
    /// Where it is.
    fn range(&self) -> TextRange;
}

impl Ranged for TextRange {
    fn range(&self) -> TextRange {
        *self
    }
}

/// A 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// The line, counting from 1.
    pub line: u32,
    /// The column, counting characters from 1.
    pub col: u32,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// The start offset of every line of a text, to turn offsets into [`LineCol`]s.
///
/// A line ends after `\n`; a `\r\n` pair counts as one line ending and `\r` before it is part of no column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// `line_starts[k]` is the offset of the first byte of line `k + 1`; the first entry is 0.
    line_starts: Vec<TextSize>,
    /// Returns true if and only if the whole text is ASCII, so columns can be computed from byte offsets.
    ascii: bool,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(TextSize::new(0));
        for (k, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(TextSize::from_usize(k + 1));
            }
        }
        LineIndex { line_starts, ascii: text.is_ascii() }
    }

    /// The number of lines (a text without a final newline still ends with a line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line and column of `offset` in `text` (the text this index was built from). An
    /// offset past the end maps to the end; one inside a multi-byte character maps to that character.
    pub fn line_col(&self, text: &str, offset: TextSize) -> LineCol {
        let offset = offset.min(TextSize::from_usize(text.len()));
        let line = match self.line_starts.binary_search(&offset) {
            Ok(k) => k,
            Err(k) => k.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or_default();
        let col = if self.ascii {
            offset.to_u32() - start.to_u32()
        } else {
            let prefix = text.get(start.to_usize()..offset.to_usize()).map_or_else(
                || text.as_bytes()[start.to_usize()..offset.to_usize()].iter().filter(|b| (**b & 0xC0) != 0x80).count(),
                |s| s.chars().count(),
            );
            u32::try_from(prefix).unwrap_or(u32::MAX)
        };
        LineCol { line: u32::try_from(line + 1).unwrap_or(u32::MAX), col: col.saturating_add(1) }
    }

    /// The offset of the start of 1-based line `line`, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<TextSize> {
        let k = usize::try_from(line).ok()?.checked_sub(1)?;
        self.line_starts.get(k).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_of_ascii_text() {
        let text = "ab\ncd\n\nef";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let at = |k: u32| index.line_col(text, TextSize::new(k)).to_string();
        assert_eq!(at(0), "1:1");
        assert_eq!(at(1), "1:2");
        assert_eq!(at(2), "1:3");
        assert_eq!(at(3), "2:1");
        assert_eq!(at(6), "3:1");
        assert_eq!(at(7), "4:1");
        assert_eq!(at(9), "4:3");
        assert_eq!(at(100), "4:3");
    }

    #[test]
    fn columns_count_characters() {
        let text = "é = $\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, TextSize::new(5)).to_string(), "1:5");
        // An offset inside `é` still maps somewhere sensible.
        assert_eq!(index.line_col(text, TextSize::new(1)).to_string(), "1:2");
    }

    #[test]
    fn ranges() {
        let r = TextRange::at(TextSize::new(3), 4);
        assert_eq!((r.start().to_u32(), r.end().to_u32(), r.len()), (3, 7, 4));
        assert!(r.contains(TextSize::new(6)) && !r.contains(TextSize::new(7)));
        let s = TextRange::empty(TextSize::new(10));
        assert!(s.is_empty());
        assert_eq!(r.cover(s), TextRange::new(TextSize::new(3), TextSize::new(10)));
        assert_eq!(r.to_std(), 3..7);
    }
}

//! The lexer: source text to a flat list of [`Token`]s, never failing.
//!
//! Blank lines, comment-only lines and comments are trivia and produce no tokens. Every line that has a
//! token ends with one [`TokenKind::Newline`] (empty at the end of a text without a final newline), and
//! the first token of a line carries the width of the line's indentation, so the parser can check blocks
//! without `INDENT`/`DEDENT` tokens. A backslash before the end of a line joins it with the next one.
//! Anything the language does not know becomes a [`TokenKind::Unknown`] token (one character) or a
//! [`TokenKind::String`] token; the lexer reports nothing itself, and the parser turns those tokens into
//! diagnostics when it consumes them, so errors land in the function they belong to.

use crate::text::{TextRange, TextSize};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An identifier that is not one of the keywords below (Python keywords the language lacks, such as
    /// `if`, are names here; the parser rejects them).
    Name,
    /// A run of digits, letters and underscores starting with a digit; the parser checks it is a decimal
    /// integer.
    Int,
    /// A string literal, possibly unterminated (the language has none, except docstrings).
    String,
    /// `def`
    Def,
    /// `return`
    Return,
    /// `from`
    From,
    /// `import`
    Import,
    /// `as`
    As,
    /// `True`
    True,
    /// `False`
    False,
    /// `None`
    None,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `:`
    Colon,
    /// `=`
    Equals,
    /// `-`
    Minus,
    /// `.`
    Dot,
    /// `*`
    Star,
    /// The end of a line that had tokens.
    Newline,
    /// A character the language does not use.
    Unknown,
    /// The end of the text (always the last token).
    Eof,
}

impl TokenKind {
    /// How the token is shown in a message: ``"`(`"``, `"a name"`, `"the end of the line"`.
    pub fn describe(self) -> &'static str {
        match self {
            TokenKind::Name => "a name",
            TokenKind::Int => "an integer",
            TokenKind::String => "a string",
            TokenKind::Def => "`def`",
            TokenKind::Return => "`return`",
            TokenKind::From => "`from`",
            TokenKind::Import => "`import`",
            TokenKind::As => "`as`",
            TokenKind::True => "`True`",
            TokenKind::False => "`False`",
            TokenKind::None => "`None`",
            TokenKind::LParen => "`(`",
            TokenKind::RParen => "`)`",
            TokenKind::Comma => "`,`",
            TokenKind::Colon => "`:`",
            TokenKind::Equals => "`=`",
            TokenKind::Minus => "`-`",
            TokenKind::Dot => "`.`",
            TokenKind::Star => "`*`",
            TokenKind::Newline => "the end of the line",
            TokenKind::Unknown => "an unknown character",
            TokenKind::Eof => "the end of the file",
        }
    }

    /// Returns true if and only if a token of this kind can start an expression.
    pub fn starts_expression(self) -> bool {
        matches!(
            self,
            TokenKind::Name
                | TokenKind::Int
                | TokenKind::True
                | TokenKind::False
                | TokenKind::None
                | TokenKind::LParen
                | TokenKind::Minus
        )
    }
}

/// One token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is.
    pub range: TextRange,
    /// For the first token of a line, the width of the line's indentation (a tab advances to the next
    /// multiple of 8, as in Python); `None` for every other token.
    pub indent: Option<u32>,
}

impl Token {
    /// Returns true if and only if this is the first token of a line and starts at column 0.
    pub fn at_column_zero(&self) -> bool {
        self.indent == Some(0)
    }
}

/// Splits `text` into tokens; the last one is always [`TokenKind::Eof`].
pub fn lex(text: &str) -> Vec<Token> {
    let mut lexer =
        Lexer { text, bytes: text.as_bytes(), pos: 0, line_has_tokens: false, indent: 0, tokens: Vec::new() };
    lexer.tokens.reserve(text.len() / 3 + 2);
    lexer.run();
    lexer.tokens
}

/// The lexer's state while it walks the text once, left to right.
struct Lexer<'src> {
    /// The whole text.
    text: &'src str,
    /// The same text as bytes, for cheap ASCII checks.
    bytes: &'src [u8],
    /// The byte offset of the next character to read.
    pos: usize,
    /// Whether the current line has produced a token yet (decides `Newline` and `indent`).
    line_has_tokens: bool,
    /// The indentation width of the current line, measured at its first non-blank character.
    indent: u32,
    /// The tokens so far.
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self) {
        // A byte-order mark at the start is not part of the text, as in Python.
        if self.text.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
        }
        self.indent = self.measure_indent();
        while let Some(&byte) = self.bytes.get(self.pos) {
            match byte {
                b' ' | b'\t' | b'\x0c' | b'\r' => self.pos += 1,
                b'\n' => {
                    if self.line_has_tokens {
                        self.push_at(TokenKind::Newline, self.pos, 1);
                    }
                    self.pos += 1;
                    self.line_has_tokens = false;
                    self.indent = self.measure_indent();
                }
                b'#' => self.skip_comment(),
                b'\\' if self.at_line_continuation() => self.skip_line_continuation(),
                b'(' => self.single(TokenKind::LParen),
                b')' => self.single(TokenKind::RParen),
                b',' => self.single(TokenKind::Comma),
                b':' => self.single(TokenKind::Colon),
                b'=' => self.single(TokenKind::Equals),
                b'-' => self.single(TokenKind::Minus),
                b'.' => self.single(TokenKind::Dot),
                b'*' => self.single(TokenKind::Star),
                b'"' | b'\'' => self.string(byte),
                b'0'..=b'9' => self.number(),
                _ => self.name_or_unknown(),
            }
        }
        if self.line_has_tokens {
            self.push_at(TokenKind::Newline, self.pos, 0);
        }
        self.push_at(TokenKind::Eof, self.pos, 0);
    }

    /// The indentation width of the line starting at `self.pos` (without consuming anything).
    fn measure_indent(&self) -> u32 {
        let mut width: u32 = 0;
        for &byte in &self.bytes[self.pos.min(self.bytes.len())..] {
            match byte {
                b' ' | b'\x0c' => width = width.saturating_add(1),
                b'\t' => width = (width / 8 + 1).saturating_mul(8),
                _ => break,
            }
        }
        width
    }

    fn push_at(&mut self, kind: TokenKind, start: usize, len: usize) {
        let indent = if self.line_has_tokens || matches!(kind, TokenKind::Newline | TokenKind::Eof) {
            None
        } else {
            Some(self.indent)
        };
        if !matches!(kind, TokenKind::Newline | TokenKind::Eof) {
            self.line_has_tokens = true;
        }
        let range = TextRange::at(TextSize::from_usize(start), u32::try_from(len).unwrap_or(u32::MAX));
        self.tokens.push(Token { kind, range, indent });
    }

    fn single(&mut self, kind: TokenKind) {
        self.push_at(kind, self.pos, 1);
        self.pos += 1;
    }

    fn skip_comment(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            if byte == b'\n' {
                break;
            }
            self.pos += 1;
        }
    }

    /// Returns true if and only if the backslash at `self.pos` is followed by the end of the line.
    fn at_line_continuation(&self) -> bool {
        match self.bytes.get(self.pos + 1) {
            Some(b'\n') => true,
            Some(b'\r') => self.bytes.get(self.pos + 2) == Some(&b'\n'),
            _ => false,
        }
    }

    fn skip_line_continuation(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            self.pos += 1;
            if byte == b'\n' {
                break;
            }
        }
    }

    /// A string literal: `'…'`, `"…"`, or the triple-quoted forms (which may span lines).
    fn string(&mut self, quote: u8) {
        let start = self.pos;
        let triple = self.bytes.get(self.pos + 1) == Some(&quote) && self.bytes.get(self.pos + 2) == Some(&quote);
        self.pos += if triple { 3 } else { 1 };
        while let Some(&byte) = self.bytes.get(self.pos) {
            if byte == b'\\' {
                self.pos += 2;
                continue;
            }
            if byte == b'\n' && !triple {
                break;
            }
            if byte == quote {
                if !triple {
                    self.pos += 1;
                    break;
                }
                if self.bytes.get(self.pos + 1) == Some(&quote) && self.bytes.get(self.pos + 2) == Some(&quote) {
                    self.pos += 3;
                    break;
                }
            }
            self.pos += 1;
        }
        self.pos = self.pos.min(self.bytes.len());
        self.push_at(TokenKind::String, start, self.pos - start);
    }

    fn number(&mut self) {
        let start = self.pos;
        while let Some(&byte) = self.bytes.get(self.pos) {
            if byte.is_ascii_alphanumeric() || byte == b'_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.push_at(TokenKind::Int, start, self.pos - start);
    }

    fn name_or_unknown(&mut self) {
        let start = self.pos;
        let Some((rest, first)) = self.text.get(start..).and_then(|rest| Some((rest, rest.chars().next()?))) else {
            // Not at a character boundary (cannot happen for valid UTF-8 walked as above): skip one byte.
            self.push_at(TokenKind::Unknown, start, 1);
            self.pos += 1;
            return;
        };
        let mut chars = rest.char_indices();
        chars.next();
        if !(first == '_' || first.is_alphabetic()) {
            self.push_at(TokenKind::Unknown, start, first.len_utf8());
            self.pos += first.len_utf8();
            return;
        }
        let mut end = rest.len();
        for (k, c) in chars {
            if !(c == '_' || c.is_alphanumeric()) {
                end = k;
                break;
            }
        }
        let kind = match &rest[..end] {
            "def" => TokenKind::Def,
            "return" => TokenKind::Return,
            "from" => TokenKind::From,
            "import" => TokenKind::Import,
            "as" => TokenKind::As,
            "True" => TokenKind::True,
            "False" => TokenKind::False,
            "None" => TokenKind::None,
            _ => TokenKind::Name,
        };
        self.push_at(kind, start, end);
        self.pos += end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders tokens as `Kind@start..end` plus `^indent` on the first token of a line.
    fn dump(text: &str) -> String {
        lex(text)
            .iter()
            .map(|t| {
                let indent = t.indent.map_or(String::new(), |w| format!("^{w}"));
                format!("{:?}{indent}@{}", t.kind, t.range)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_small_function() {
        assert_eq!(
            dump("def f(I):\n    O = g(I, -1)\n"),
            "Def^0@0..3 Name@4..5 LParen@5..6 Name@6..7 RParen@7..8 Colon@8..9 Newline@9..10 \
             Name^4@14..15 Equals@16..17 Name@18..19 LParen@19..20 Name@20..21 Comma@21..22 Minus@23..24 \
             Int@24..25 RParen@25..26 Newline@26..27 Eof@27..27"
        );
    }

    #[test]
    fn comments_and_blank_lines_are_trivia() {
        assert_eq!(dump("# c\n\n  \nx # t\n"), "Name^0@8..9 Newline@13..14 Eof@14..14");
    }

    #[test]
    fn final_newline_is_synthesized() {
        assert_eq!(dump("x"), "Name^0@0..1 Newline@1..1 Eof@1..1");
    }

    #[test]
    fn unknown_characters_and_strings() {
        assert_eq!(dump("$ 'a' \"\"\"b\nc\"\"\""), "Unknown^0@0..1 String@2..5 String@6..15 Newline@15..15 Eof@15..15");
        assert_eq!(dump("é€"), "Name^0@0..2 Unknown@2..5 Newline@5..5 Eof@5..5");
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        assert_eq!(dump("\u{feff}x"), "Name^0@3..4 Newline@4..4 Eof@4..4");
    }

    #[test]
    fn backslash_joins_lines() {
        assert_eq!(dump("a \\\n  b\n"), "Name^0@0..1 Name@6..7 Newline@7..8 Eof@8..8");
    }

    #[test]
    fn tabs_indent_to_multiples_of_eight() {
        assert_eq!(dump("\tx\n  \ty\n"), "Name^8@1..2 Newline@2..3 Name^8@6..7 Newline@7..8 Eof@8..8");
    }

    #[test]
    fn keywords() {
        assert_eq!(
            dump("from dsl import *"),
            "From^0@0..4 Name@5..8 Import@9..15 Star@16..17 Newline@17..17 Eof@17..17"
        );
    }
}

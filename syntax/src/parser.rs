//! The parser: tokens to a [`Module`], by hand-written recursive descent that never gives up.
//!
//! The grammar, with `NL` the end of a line:
//!
//! ```text
//! module    := (function | import | docstring NL)*
//! import    := 'from' dotted 'import' ('*' | names) NL | 'import' dotted ('as' NAME)? (',' …)* NL
//! function  := 'def' NAME '(' (NAME (',' NAME)* ','?)? ')' ':' (stmt | NL block)
//! block     := one indentation level deeper than `def`, of: stmt NL
//! stmt      := NAME '=' expr | 'return' expr
//! expr      := atom ('(' (expr (',' expr)* ','?)? ')')*
//! atom      := NAME | '-'? INT | 'True' | 'False' | 'None' | '(' expr ')' | '(' ')' | '(' expr ',' … ')'
//! ```
//!
//! Inside parentheses a call may continue on the next line, unless that line looks like the start of a
//! statement (`NAME =`, `return`, `def` …), which is where an unclosed `(` is reported instead.
//!
//! Recovery: an error inside a statement skips to the end of its line; an error in a `def` line still
//! parses the body below it; a function ends at the first line indented no deeper than its `def` (in
//! particular at the next `def` at column 0), so one broken function never hides the others. The parser
//! works through a few verbs (`at`, `eat`, `expect`, `bump`, `add_error`); `add_error` drops a second
//! error at the offset where one was already reported, and every loop consumes a token per turn.

use std::mem;

use crate::ast::{Expr, Function, Module, Name, Stmt};
use crate::diagnostic::Diagnostic;
use crate::lexer::{Token, TokenKind, lex};
use crate::text::{LineCol, LineIndex, Ranged, TextRange, TextSize};

/// How deeply expressions may nest (calls, tuples, parentheses and chained calls together).
pub const MAX_DEPTH: u32 = 200;

/// Parses a solver file. Never fails: errors are collected in the returned tree.
///
/// ```
/// let module = batt_syntax::parse("def solve(I):\n    O = vmirror(I)\n    return O\n");
/// assert!(module.has_valid_syntax());
/// assert_eq!(module.functions[0].name.text, "solve");
/// assert_eq!(module.functions[0].body.len(), 2);
/// ```
pub fn parse(text: &str) -> Module {
    let mut parser = Parser {
        text,
        tokens: lex(text),
        pos: 0,
        errors: Vec::new(),
        line_index: None,
        depth: 0,
        paren_depth: 0,
        last_end: TextSize::new(0),
        line_abandoned: false,
    };
    parser.module()
}

/// Python keywords that are names to the lexer but cannot be names in a solver.
const PYTHON_KEYWORDS: &[&str] = &[
    "and", "assert", "async", "await", "break", "class", "continue", "del", "elif", "else", "except", "finally", "for",
    "global", "if", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "try", "while", "with", "yield",
];

/// Python keywords that start a statement with an indented block under it.
const BLOCK_KEYWORDS: &[&str] =
    &["async", "class", "elif", "else", "except", "finally", "for", "if", "try", "while", "with"];

/// What a parenthesized list is, for the message when it is not closed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKind {
    /// The arguments of a call.
    Args,
    /// The elements of a tuple.
    Tuple,
}

impl ListKind {
    fn noun(self) -> &'static str {
        match self {
            ListKind::Args => "call",
            ListKind::Tuple => "tuple",
        }
    }
}

/// The parser's state.
struct Parser<'src> {
    /// The text being parsed.
    text: &'src str,
    /// All tokens of the text; the last one is `Eof`.
    tokens: Vec<Token>,
    /// The index of the current token (never past the `Eof`).
    pos: usize,
    /// Where errors go now: the current function's, or the module's between functions.
    errors: Vec<Diagnostic>,
    /// Built on the first message that needs a `line:col`.
    line_index: Option<LineIndex>,
    /// The current expression nesting depth.
    depth: u32,
    /// How many parentheses are open (newlines are skipped inside them).
    paren_depth: u32,
    /// The end of the last token consumed that was not a newline.
    last_end: TextSize,
    /// Set when an expression was too deep and the rest of its line was skipped: the enclosing lists
    /// then end without reporting their missing `)`.
    line_abandoned: bool,
}

impl Parser<'_> {
    // ---- the verbs -----------------------------------------------------------------------------

    fn current(&self) -> Token {
        self.nth(0)
    }

    fn nth(&self, n: usize) -> Token {
        let last = self.tokens.len().saturating_sub(1);
        self.tokens.get((self.pos + n).min(last)).copied().unwrap_or(Token {
            kind: TokenKind::Eof,
            range: TextRange::empty(TextSize::from_usize(self.text.len())),
            indent: None,
        })
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.current().kind == kind
    }

    /// Consumes the current token (never the `Eof`) and reports it if it is lexically wrong.
    fn bump(&mut self) -> Token {
        let token = self.advance();
        match token.kind {
            TokenKind::Unknown => {
                let message = format!("unknown character `{}`", self.slice(token.range));
                self.add_error("P001", message, token.range);
            }
            TokenKind::String => {
                self.add_error("P011", "string literals are not supported in solvers", token.range);
            }
            _ => {}
        }
        token
    }

    /// Consumes the current token (never the `Eof`) without reporting anything.
    fn advance(&mut self) -> Token {
        let token = self.current();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        if !matches!(token.kind, TokenKind::Newline | TokenKind::Eof) {
            self.last_end = token.range.end();
        }
        token
    }

    fn eat(&mut self, kind: TokenKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consumes a token of `kind`, or reports `expected {what}, found …` and consumes nothing.
    fn expect(&mut self, kind: TokenKind, what: &str) -> bool {
        if self.eat(kind) {
            return true;
        }
        let found = self.current();
        let message = format!("expected {what}, found {}", self.describe(found));
        self.add_error("P005", message, found.range);
        false
    }

    /// Records an error unless one was already reported at the same offset.
    fn add_error(&mut self, code: &'static str, message: impl Into<String>, range: TextRange) {
        if self.errors.iter().rev().take(4).any(|e| e.range.start() == range.start()) {
            return;
        }
        self.errors.push(Diagnostic::error(code, message, range));
    }

    // ---- helpers -------------------------------------------------------------------------------

    fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.to_std()).unwrap_or("")
    }

    fn line_col(&mut self, offset: TextSize) -> LineCol {
        let text = self.text;
        self.line_index.get_or_insert_with(|| LineIndex::new(text)).line_col(text, offset)
    }

    /// How a token is shown in a message: names and numbers are quoted, other tokens described.
    fn describe(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Name | TokenKind::Int => format!("`{}`", self.slice(token.range)),
            TokenKind::Unknown => format!("unknown character `{}`", self.slice(token.range)),
            kind => kind.describe().to_string(),
        }
    }

    fn is_keyword(&self, token: Token) -> bool {
        token.kind == TokenKind::Name && PYTHON_KEYWORDS.contains(&self.slice(token.range))
    }

    fn name(&self, token: Token) -> Name {
        Name { text: self.slice(token.range).to_string(), range: token.range }
    }

    /// Skips the rest of the current line, its newline included, reporting nothing.
    fn skip_line(&mut self) {
        while !self.at(TokenKind::Eof) {
            if self.advance().kind == TokenKind::Newline {
                break;
            }
        }
    }

    /// Expects the end of a statement's line and consumes it; on anything else reports it and skips
    /// the rest of the line.
    fn end_of_line(&mut self) {
        let token = self.current();
        match token.kind {
            TokenKind::Newline => {
                self.advance();
            }
            TokenKind::Eof => {}
            TokenKind::Unknown | TokenKind::String => {
                self.bump();
                self.skip_line();
            }
            _ => {
                let message = format!("expected the end of the line, found {}", self.describe(token));
                self.add_error("P005", message, token.range);
                self.skip_line();
            }
        }
    }

    /// Inside parentheses, skips line ends unless the next line looks like a new statement.
    fn skip_newlines(&mut self) {
        while self.paren_depth > 0 && self.at(TokenKind::Newline) && !self.starts_statement(1) {
            self.advance();
        }
    }

    /// Returns true if and only if the token `n` ahead looks like the start of a statement or a
    /// top-level line, where an unclosed parenthesis should stop.
    fn starts_statement(&self, n: usize) -> bool {
        let token = self.nth(n);
        match token.kind {
            TokenKind::Eof | TokenKind::Def | TokenKind::Return | TokenKind::From | TokenKind::Import => true,
            // A `)` at column 0 closes a list that spans lines; anything else there is a new line.
            TokenKind::RParen => false,
            _ if token.at_column_zero() => true,
            TokenKind::Name => self.nth(n + 1).kind == TokenKind::Equals || self.is_keyword(token),
            _ => false,
        }
    }

    // ---- the grammar ---------------------------------------------------------------------------

    fn module(&mut self) -> Module {
        let mut functions = Vec::new();
        // Only the first line of a run of unexpected lines is reported.
        let mut in_junk = false;
        let mut in_indent = false;
        loop {
            let token = self.current();
            let indent = token.indent.unwrap_or(0);
            match token.kind {
                TokenKind::Eof => break,
                TokenKind::Newline => {
                    self.advance();
                }
                TokenKind::Def => {
                    in_junk = false;
                    in_indent = false;
                    if let Some(function) = self.function() {
                        functions.push(function);
                    }
                }
                _ if indent > 0 => {
                    if !in_indent {
                        self.add_error("P004", "unexpected indent", token.range);
                    }
                    in_indent = true;
                    self.skip_line();
                }
                TokenKind::From | TokenKind::Import => {
                    in_junk = false;
                    in_indent = false;
                    self.import_line();
                }
                TokenKind::String if self.nth(1).kind == TokenKind::Newline => {
                    // A docstring.
                    self.skip_line();
                }
                _ => {
                    in_indent = false;
                    if !in_junk {
                        let message = if self.is_keyword(token) {
                            format!("`{}` is not supported in solver files", self.slice(token.range))
                        } else {
                            format!(
                                "expected `def`, `import` or `from` at the top level, found {}",
                                self.describe(token)
                            )
                        };
                        let code = if self.is_keyword(token) { "P009" } else { "P008" };
                        self.add_error(code, message, token.range);
                    }
                    in_junk = true;
                    self.skip_line();
                }
            }
        }
        Module { functions, errors: mem::take(&mut self.errors) }
    }

    /// `from X import *` or `import X`: checked, then ignored.
    fn import_line(&mut self) {
        let keyword = self.advance();
        if keyword.kind == TokenKind::From {
            let mut relative = false;
            while self.eat(TokenKind::Dot) {
                relative = true;
            }
            if self.at(TokenKind::Name) {
                self.dotted_name();
            } else if !relative {
                self.expect(TokenKind::Name, "a module name after `from`");
                return self.skip_line();
            }
            if !self.expect(TokenKind::Import, "`import`") {
                return self.skip_line();
            }
            if !self.eat(TokenKind::Star) {
                let parenthesized = self.eat(TokenKind::LParen);
                loop {
                    if !self.expect(TokenKind::Name, "a name to import") {
                        return self.skip_line();
                    }
                    if self.eat(TokenKind::As) && !self.expect(TokenKind::Name, "a name after `as`") {
                        return self.skip_line();
                    }
                    if !self.eat(TokenKind::Comma) || (parenthesized && self.at(TokenKind::RParen)) {
                        break;
                    }
                }
                if parenthesized && !self.expect(TokenKind::RParen, "`)`") {
                    return self.skip_line();
                }
            }
        } else {
            loop {
                if !self.at(TokenKind::Name) {
                    self.expect(TokenKind::Name, "a module name after `import`");
                    return self.skip_line();
                }
                self.dotted_name();
                if self.eat(TokenKind::As) && !self.expect(TokenKind::Name, "a name after `as`") {
                    return self.skip_line();
                }
                if !self.eat(TokenKind::Comma) {
                    break;
                }
            }
        }
        self.end_of_line();
    }

    fn dotted_name(&mut self) {
        self.bump();
        while self.at(TokenKind::Dot) && self.nth(1).kind == TokenKind::Name {
            self.bump();
            self.bump();
        }
    }

    /// `def NAME(PARAMS):` and its body, with errors of their own. `None` when the name is missing.
    fn function(&mut self) -> Option<Function> {
        let outer_errors = mem::take(&mut self.errors);
        let def = self.advance();
        let def_indent = def.indent.unwrap_or(0);
        if def_indent > 0 {
            self.add_error("P004", "unexpected indent", def.range);
        }
        let name = if self.at(TokenKind::Name) && !self.is_keyword(self.current()) {
            let token = self.advance();
            Some(self.name(token))
        } else {
            self.expect(TokenKind::Name, "a function name after `def`");
            if self.is_keyword(self.current()) {
                self.advance();
            }
            None
        };
        let (params, params_range) = self.params();
        let header_ok = self.expect(TokenKind::Colon, "`:` after the parameters");
        let mut body = Vec::new();
        if !matches!(self.current().kind, TokenKind::Newline | TokenKind::Eof) {
            if header_ok {
                // `def f(I): return I`
                body.extend(self.statement());
            } else {
                self.skip_line();
            }
        } else {
            self.advance();
        }
        if body.is_empty() {
            let next = self.current();
            if next.kind == TokenKind::Eof || next.indent.unwrap_or(0) <= def_indent {
                let line = self.line_col(def.range.start()).line;
                let message = match &name {
                    Some(name) => format!("expected an indented block after `def {}` on line {line}", name.text),
                    None => format!("expected an indented block after the `def` on line {line}"),
                };
                self.add_error("P006", message, next.range);
            } else {
                self.block(def_indent, &mut body);
            }
        }
        let range = TextRange::new(def.range.start(), self.last_end);
        let errors = mem::replace(&mut self.errors, outer_errors);
        match name {
            Some(name) => Some(Function { name, params, params_range, body, range, errors }),
            None => {
                self.errors.extend(errors);
                None
            }
        }
    }

    /// `(NAME, …)`: the names and the range of the whole list.
    fn params(&mut self) -> (Vec<Name>, TextRange) {
        let mut params = Vec::new();
        let open = self.current();
        if !self.expect(TokenKind::LParen, "`(` after the function name") {
            return (params, TextRange::empty(open.range.start()));
        }
        self.paren_depth += 1;
        loop {
            self.skip_newlines();
            let token = self.current();
            match token.kind {
                TokenKind::RParen => {
                    self.advance();
                    break;
                }
                TokenKind::Name if !self.is_keyword(token) => {
                    self.advance();
                    params.push(self.name(token));
                    self.skip_newlines();
                    if self.eat(TokenKind::Comma) || self.at(TokenKind::RParen) {
                        continue;
                    }
                    let found = self.current();
                    if matches!(found.kind, TokenKind::Newline | TokenKind::Eof | TokenKind::Colon) {
                        continue;
                    }
                    let message = format!("expected `,` or `)` after a parameter, found {}", self.describe(found));
                    self.add_error("P005", message, found.range);
                    self.recover_params();
                    break;
                }
                TokenKind::Newline | TokenKind::Eof | TokenKind::Colon => {
                    let at = self.line_col(open.range.start());
                    let message = format!("expected `)` to close the parameter list opened at {at}");
                    self.add_error("P003", message, token.range);
                    break;
                }
                _ => {
                    let message = format!("expected a parameter name, found {}", self.describe(token));
                    self.add_error("P005", message, token.range);
                    self.recover_params();
                    break;
                }
            }
        }
        self.paren_depth -= 1;
        (params, TextRange::new(open.range.start(), self.last_end))
    }

    /// Skips to just after the `)` of a parameter list, or to its `:` or line end.
    fn recover_params(&mut self) {
        loop {
            match self.current().kind {
                TokenKind::RParen => {
                    self.advance();
                    return;
                }
                TokenKind::Colon | TokenKind::Newline | TokenKind::Eof => return,
                _ => {
                    self.advance();
                }
            }
        }
    }

    /// The statements of a body whose lines are indented deeper than `def_indent`.
    fn block(&mut self, def_indent: u32, body: &mut Vec<Stmt>) {
        let block_indent = self.current().indent.unwrap_or(def_indent + 1);
        let mut in_indent = false;
        let mut first = true;
        loop {
            let token = self.current();
            match token.kind {
                TokenKind::Eof => break,
                TokenKind::Newline => {
                    self.advance();
                    continue;
                }
                _ => {}
            }
            let indent = token.indent.unwrap_or(block_indent);
            if indent <= def_indent {
                break;
            }
            if indent > block_indent {
                if !in_indent {
                    self.add_error("P004", "unexpected indent", token.range);
                }
                in_indent = true;
                self.skip_line();
                continue;
            }
            in_indent = false;
            if indent < block_indent {
                self.add_error("P007", "unindent does not match any outer indentation level", token.range);
            }
            let is_docstring = first && token.kind == TokenKind::String && self.nth(1).kind == TokenKind::Newline;
            first = false;
            if is_docstring {
                self.skip_line();
                continue;
            }
            let keyword = self.slice(token.range);
            if token.kind == TokenKind::Def || (token.kind == TokenKind::Name && BLOCK_KEYWORDS.contains(&keyword)) {
                let message = if token.kind == TokenKind::Def {
                    "nested functions are not supported; a solver body has only `NAME = EXPR` and `return EXPR` lines"
                        .to_string()
                } else {
                    format!(
                        "`{keyword}` statements are not supported; a solver body has only `NAME = EXPR` and `return EXPR` lines"
                    )
                };
                self.add_error("P009", message, token.range);
                self.skip_line();
                // The lines of the unsupported block are skipped silently.
                in_indent = true;
                continue;
            }
            body.extend(self.statement());
        }
    }

    /// One statement and the end of its line.
    fn statement(&mut self) -> Option<Stmt> {
        let token = self.current();
        let errors_before = self.errors.len();
        self.line_abandoned = false;
        let stmt = match token.kind {
            TokenKind::Return => {
                self.advance();
                let value = self.expr_after("`return`");
                let range = token.range.cover(value.range());
                Some(Stmt::Return { value, range })
            }
            TokenKind::Name if self.is_keyword(token) => {
                let message = format!(
                    "`{}` is not supported; a solver body has only `NAME = EXPR` and `return EXPR` lines",
                    self.slice(token.range)
                );
                self.add_error("P009", message, token.range);
                None
            }
            TokenKind::Name if self.nth(1).kind == TokenKind::Equals => {
                self.advance();
                self.advance();
                let target = self.name(token);
                let value = self.expr_after("`=`");
                let range = token.range.cover(value.range());
                Some(Stmt::Assign { target, value, range })
            }
            TokenKind::Name => {
                let found = self.nth(1);
                let message = format!(
                    "expected `=` after `{}`, found {}; a solver body has only `NAME = EXPR` and `return EXPR` lines",
                    self.slice(token.range),
                    self.describe(found)
                );
                self.add_error("P005", message, found.range);
                None
            }
            TokenKind::From | TokenKind::Import => {
                self.add_error("P009", "imports are only supported at the top level", token.range);
                None
            }
            TokenKind::Unknown | TokenKind::String => {
                self.bump();
                None
            }
            _ => {
                let message =
                    format!("expected a statement (`NAME = EXPR` or `return EXPR`), found {}", self.describe(token));
                self.add_error("P005", message, token.range);
                None
            }
        };
        if stmt.is_some() && self.errors.len() == errors_before {
            self.end_of_line();
        } else {
            self.skip_line();
        }
        stmt
    }

    /// An expression after `what`, or an error if the line ends first.
    fn expr_after(&mut self, what: &str) -> Expr {
        let token = self.current();
        if token.kind.starts_expression() || matches!(token.kind, TokenKind::Unknown | TokenKind::String) {
            return self.expr();
        }
        let message = format!("expected an expression after {what}, found {}", self.describe(token));
        self.add_error("P002", message, token.range);
        Expr::Error { range: TextRange::empty(token.range.start()) }
    }

    fn expr(&mut self) -> Expr {
        if self.depth >= MAX_DEPTH {
            return self.too_deep();
        }
        let saved_depth = self.depth;
        self.depth += 1;
        let mut expr = self.atom();
        let mut chained = false;
        while self.at(TokenKind::LParen) {
            // `f(a)(b)` nests one level deeper than `f(a)` (its callee is a call).
            if chained {
                if self.depth >= MAX_DEPTH {
                    self.depth = saved_depth;
                    return self.too_deep();
                }
                self.depth += 1;
            }
            chained = true;
            let open = self.advance();
            let mut args = Vec::new();
            let end = self.list(open, ListKind::Args, &mut args);
            let range = TextRange::new(expr.range().start(), end);
            expr = Expr::Call { callee: Box::new(expr), args, range };
        }
        self.depth = saved_depth;
        expr
    }

    /// Reports an expression nested too deeply and skips the rest of its line.
    fn too_deep(&mut self) -> Expr {
        let token = self.current();
        let message = format!("expression nested too deeply (more than {MAX_DEPTH} levels)");
        self.add_error("P012", message, token.range);
        self.line_abandoned = true;
        while !matches!(self.current().kind, TokenKind::Newline | TokenKind::Eof) {
            self.advance();
        }
        Expr::Error { range: token.range }
    }

    fn atom(&mut self) -> Expr {
        let token = self.current();
        match token.kind {
            TokenKind::Name if self.is_keyword(token) => {
                self.advance();
                let message = format!("`{}` is not supported in solver expressions", self.slice(token.range));
                self.add_error("P009", message, token.range);
                Expr::Error { range: token.range }
            }
            TokenKind::Name => {
                self.advance();
                Expr::Name(self.name(token))
            }
            TokenKind::Int => {
                self.advance();
                self.int(token.range, token.range, false)
            }
            TokenKind::Minus => {
                self.advance();
                if self.at(TokenKind::Int) {
                    let literal = self.advance();
                    return self.int(literal.range, token.range.cover(literal.range), true);
                }
                self.add_error(
                    "P013",
                    "unary minus is only supported before an integer literal (use a constant such as `NEG_ONE`)",
                    token.range,
                );
                if self.current().kind.starts_expression() {
                    let operand = self.expr();
                    return Expr::Error { range: token.range.cover(operand.range()) };
                }
                Expr::Error { range: token.range }
            }
            TokenKind::True | TokenKind::False => {
                self.advance();
                Expr::Bool { value: token.kind == TokenKind::True, range: token.range }
            }
            TokenKind::None => {
                self.advance();
                Expr::None { range: token.range }
            }
            TokenKind::LParen => self.parenthesized(),
            TokenKind::Unknown | TokenKind::String => {
                self.bump();
                Expr::Error { range: token.range }
            }
            _ => {
                let message = format!("expected an expression, found {}", self.describe(token));
                self.add_error("P002", message, token.range);
                Expr::Error { range: TextRange::empty(token.range.start()) }
            }
        }
    }

    /// The value of the integer literal at `literal`, negated if `negative`; `range` is the expression's.
    fn int(&mut self, literal: TextRange, range: TextRange, negative: bool) -> Expr {
        let text = self.slice(literal);
        let digits_ok =
            text.bytes().all(|b| b.is_ascii_digit() || b == b'_') && !text.ends_with('_') && !text.contains("__");
        if !digits_ok {
            let message = format!("invalid integer literal `{text}`");
            self.add_error("P010", message, literal);
            return Expr::Error { range };
        }
        let has_leading_zero = text.len() > 1 && text.starts_with('0') && text.bytes().any(|b| b != b'0' && b != b'_');
        if has_leading_zero {
            let message = format!("leading zeros are not allowed in integer literals (`{text}`)");
            self.add_error("P010", message, literal);
            return Expr::Error { range };
        }
        let mut magnitude: u64 = 0;
        let mut overflow = false;
        for digit in text.bytes().filter(u8::is_ascii_digit) {
            match magnitude.checked_mul(10).and_then(|m| m.checked_add(u64::from(digit - b'0'))) {
                Some(m) => magnitude = m,
                None => overflow = true,
            }
        }
        let value = if negative { 0i64.checked_sub_unsigned(magnitude) } else { i64::try_from(magnitude).ok() };
        match value {
            Some(value) if !overflow => Expr::Int { value, range },
            _ => {
                let message = format!("integer literal `{}` is too large", self.slice(range));
                self.add_error("P010", message, range);
                Expr::Error { range }
            }
        }
    }

    /// `()`, `(expr)` or a tuple.
    fn parenthesized(&mut self) -> Expr {
        let open = self.advance();
        self.paren_depth += 1;
        self.skip_newlines();
        if self.at(TokenKind::RParen) {
            let close = self.advance();
            self.paren_depth -= 1;
            return Expr::Tuple { items: Vec::new(), range: open.range.cover(close.range) };
        }
        let first = self.expr();
        self.skip_newlines();
        if self.at(TokenKind::RParen) {
            self.advance();
            self.paren_depth -= 1;
            return first;
        }
        if !self.at(TokenKind::Comma) {
            let at = self.line_col(open.range.start());
            let found = self.current();
            let message = format!("expected `)` to close the parenthesis opened at {at}");
            self.add_error("P003", message, found.range);
            self.paren_depth -= 1;
            return first;
        }
        self.advance();
        self.paren_depth -= 1;
        let mut items = vec![first];
        let end = self.list(open, ListKind::Tuple, &mut items);
        Expr::Tuple { items, range: TextRange::new(open.range.start(), end) }
    }

    /// The rest of a comma-separated list after `open` (and any items already in `items`), up to and
    /// including `)`. Returns the end of the list.
    fn list(&mut self, open: Token, kind: ListKind, items: &mut Vec<Expr>) -> TextSize {
        self.paren_depth += 1;
        let end = loop {
            self.skip_newlines();
            let token = self.current();
            match token.kind {
                TokenKind::RParen => {
                    self.advance();
                    break token.range.end();
                }
                TokenKind::Comma => {
                    self.add_error("P002", "expected an expression before `,`", token.range);
                    self.advance();
                    continue;
                }
                kind_now
                    if kind_now.starts_expression() || matches!(kind_now, TokenKind::Unknown | TokenKind::String) => {}
                _ if self.line_abandoned => break self.last_end,
                _ => {
                    let at = self.line_col(open.range.start());
                    let message = format!("expected `)` to close the {} opened at {at}", kind.noun());
                    self.add_error("P003", message, token.range);
                    break self.last_end;
                }
            }
            let before = self.pos;
            items.push(self.expr());
            debug_assert!(self.pos > before, "the list parser made no progress");
            self.skip_newlines();
            if self.eat(TokenKind::Comma) || self.at(TokenKind::RParen) {
                continue;
            }
            let found = self.current();
            if found.kind.starts_expression() {
                let message = format!("expected `,` or `)` after an argument, found {}", self.describe(found));
                self.add_error("P005", message, found.range);
                continue;
            }
            if !self.line_abandoned {
                let at = self.line_col(open.range.start());
                let message = format!("expected `)` to close the {} opened at {at}", kind.noun());
                self.add_error("P003", message, found.range);
            }
            break self.last_end;
        };
        self.paren_depth -= 1;
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::print_function;

    /// The module's functions, printed back.
    fn printed(text: &str) -> String {
        parse(text).functions.iter().map(print_function).collect::<Vec<_>>().join("")
    }

    /// Every error of the module as `line:col CODE message`, in file order.
    fn errors(text: &str) -> Vec<String> {
        let module = parse(text);
        let index = LineIndex::new(text);
        let mut all: Vec<&Diagnostic> = module.all_errors().collect();
        all.sort_by_key(|d| d.range.start());
        all.iter().map(|d| format!("{} {} {}", index.line_col(text, d.range.start()), d.code, d.message)).collect()
    }

    fn assert_ok(text: &str) -> Module {
        let module = parse(text);
        assert_eq!(errors(text), Vec::<String>::new());
        module
    }

    // ---- accepted input --------------------------------------------------------------------------

    #[test]
    fn a_solver_from_arc_dsl() {
        let text = "from dsl import *\nfrom constants import *\n\n\ndef solve_a87f7484(I):\n    x1 = numcolors(I)\n    x4 = branch(x3, dmirror, identity)\n    x5 = x4(I)\n    O = x4(x12)\n    return O\n";
        let module = assert_ok(text);
        assert_eq!(module.functions.len(), 1);
        let function = &module.functions[0];
        assert_eq!(function.name.text, "solve_a87f7484");
        assert_eq!(function.params.iter().map(Name::as_str).collect::<Vec<_>>(), ["I"]);
        assert_eq!(function.body.len(), 5);
        assert_eq!(&text[function.range.to_std()], &text[text.find("def").unwrap_or(0)..text.len() - 1]);
        assert_eq!(&text[function.params_range.to_std()], "(I)");
        match &function.body[2] {
            Stmt::Assign { target, value, range } => {
                assert_eq!(target.text, "x5");
                assert_eq!(&text[range.to_std()], "x5 = x4(I)");
                assert_eq!(&text[value.range().to_std()], "x4(I)");
            }
            other => panic!("not an assignment: {other:?}"),
        }
    }

    #[test]
    fn expressions() {
        let text = "def f(S, I, C):\n    x1 = rbind(shift, UP)(I)\n    x2 = g(-3, 0, 12, (1, 2), (1,), (), (x1), True, False, None,)\n    x3 = f()()\n    return x3\n";
        assert_ok(text);
        assert_eq!(
            printed(text),
            "def f(S, I, C):\n    x1 = rbind(shift, UP)(I)\n    x2 = g(-3, 0, 12, (1, 2), (1,), (), x1, True, False, None)\n    x3 = f()()\n    return x3\n"
        );
    }

    #[test]
    fn integer_edge_cases() {
        assert_ok("def f(I):\n    return g(9223372036854775807, -9223372036854775808, 1_000, 00)\n");
        assert_eq!(printed("def f(I):\n    return g(1_000, 00, -0)\n"), "def f(I):\n    return g(1000, 0, 0)\n");
    }

    #[test]
    fn trivia_imports_and_docstrings() {
        let text = "\"\"\"Module doc.\"\"\"\n# comment\nimport dsl\nimport a.b as c, d\nfrom . import x\nfrom .m import (a, b as c,)\nfrom dsl import *\n\n\ndef f(I):  # trailing\n    \"\"\"Doc.\"\"\"\n\n    # inner comment\n    O = g(I)  # why\n\n    return O\n\n# end\n";
        let module = assert_ok(text);
        assert_eq!(module.functions[0].body.len(), 2);
    }

    #[test]
    fn calls_may_span_lines() {
        let text = "def f(I):\n    O = g(\n        I,\n        h(I),\n    )\n    return O\n";
        assert_ok(text);
        assert_eq!(printed(text), "def f(I):\n    O = g(I, h(I))\n    return O\n");
    }

    #[test]
    fn one_line_functions_and_crlf() {
        assert_eq!(
            printed("def f(I): return I\ndef g(I):\r\n    return I\r\n"),
            "def f(I):\n    return I\ndef g(I):\n    return I\n"
        );
        assert_ok("def f(I): return I\r\n");
    }

    #[test]
    fn empty_files() {
        assert!(assert_ok("").functions.is_empty());
        assert!(assert_ok("# nothing\n\n").functions.is_empty());
    }

    // ---- errors ----------------------------------------------------------------------------------

    #[test]
    fn unclosed_call() {
        let text = "def f(I):\n    x1 = g(I, h(I)\n    x2 = k(x1)\n    return x2\n";
        assert_eq!(errors(text), ["2:19 P003 expected `)` to close the call opened at 2:11"]);
        // The other statements still parse.
        assert_eq!(parse(text).functions[0].body.len(), 3);
        assert_eq!(errors("def f(I):\n    return g(I"), ["2:15 P003 expected `)` to close the call opened at 2:13"]);
    }

    #[test]
    fn unclosed_tuple_and_parenthesis() {
        assert_eq!(
            errors("def f(I):\n    return g((1, 2)\n"),
            ["2:20 P003 expected `)` to close the call opened at 2:13"]
        );
        assert_eq!(
            errors("def f(I):\n    x = (1, 2\n    return x\n"),
            ["2:14 P003 expected `)` to close the tuple opened at 2:9"]
        );
        assert_eq!(
            errors("def f(I):\n    x = (1\n    return x\n"),
            ["2:11 P003 expected `)` to close the parenthesis opened at 2:9"]
        );
    }

    #[test]
    fn unexpected_indent() {
        let text = "def f(I):\n    x1 = g(I)\n        x2 = h(x1)\n          x3 = h(x1)\n    return x1\n";
        assert_eq!(errors(text), ["3:9 P004 unexpected indent"]);
        assert_eq!(errors("  import dsl\ndef f(I):\n    return I\n"), ["1:3 P004 unexpected indent"]);
    }

    #[test]
    fn inconsistent_dedent() {
        let text = "def f(I):\n    x1 = g(I)\n  return x1\n";
        assert_eq!(errors(text), ["3:3 P007 unindent does not match any outer indentation level"]);
        assert_eq!(parse(text).functions[0].body.len(), 2);
    }

    #[test]
    fn expected_an_expression() {
        assert_eq!(
            errors("def f(I):\n    x1 =\n    return\n"),
            [
                "2:9 P002 expected an expression after `=`, found the end of the line",
                "3:11 P002 expected an expression after `return`, found the end of the line"
            ]
        );
        assert_eq!(errors("def f(I):\n    return g(, I)\n"), ["2:14 P002 expected an expression before `,`"]);
        assert_eq!(
            errors("def f(I):\n    return g(I, :)\n"),
            ["2:17 P003 expected `)` to close the call opened at 2:13"]
        );
    }

    #[test]
    fn unknown_characters() {
        assert_eq!(errors("def f(I):\n    return g($)\n"), ["2:14 P001 unknown character `$`"]);
        assert_eq!(errors("def f(I):\n    return g(I) ;\n"), ["2:17 P001 unknown character `;`"]);
        assert_eq!(errors("def f(I):\n    x = €\n    return x\n"), ["2:9 P001 unknown character `€`"]);
    }

    #[test]
    fn missing_commas() {
        assert_eq!(
            errors("def f(I):\n    return g(I I)\n"),
            ["2:16 P005 expected `,` or `)` after an argument, found `I`"]
        );
        assert_eq!(printed("def f(I):\n    return g(I I)\n"), "def f(I):\n    return g(I, I)\n");
    }

    #[test]
    fn a_broken_function_does_not_hide_the_others() {
        let text = "def a(I):\n    return I\n\ndef b(I):\n    x1 = g(I, \n    x2 = $\n    return x2\n\ndef c(I):\n    return h(I)\n";
        let module = parse(text);
        let names: Vec<&str> = module.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(module.errors.is_empty());
        assert!(module.functions[0].errors.is_empty() && module.functions[2].errors.is_empty());
        assert_eq!(module.functions[1].errors.len(), 2);
        assert_eq!(
            errors(text),
            ["5:15 P003 expected `)` to close the call opened at 5:11", "6:10 P001 unknown character `$`"]
        );
    }

    #[test]
    fn an_unclosed_call_stops_at_the_next_def() {
        let text = "def a(I):\n    return g(I,\ndef b(I):\n    return I\n";
        let module = parse(text);
        assert_eq!(module.functions.len(), 2);
        assert!(module.functions[1].errors.is_empty());
        assert_eq!(errors(text), ["2:16 P003 expected `)` to close the call opened at 2:13"]);
    }

    #[test]
    fn def_header_errors() {
        assert_eq!(
            errors("def (I):\n    return I\ndef g(I):\n    return I\n"),
            ["1:5 P005 expected a function name after `def`, found `(`"]
        );
        // A nameless function is dropped, its errors move to the module.
        let module = parse("def (I):\n    return $\ndef g(I):\n    return I\n");
        assert_eq!(module.functions.len(), 1);
        assert_eq!(module.errors.len(), 2);
        assert_eq!(
            errors("def f(I)\n    return I\n"),
            ["1:9 P005 expected `:` after the parameters, found the end of the line"]
        );
        assert_eq!(errors("def f:\n    return I\n"), ["1:6 P005 expected `(` after the function name, found `:`"]);
        assert_eq!(errors("def f(I, 1):\n    return I\n"), ["1:10 P005 expected a parameter name, found `1`"]);
        assert_eq!(
            errors("def f(I J):\n    return I\n"),
            ["1:9 P005 expected `,` or `)` after a parameter, found `J`"]
        );
        assert_eq!(
            errors("def f(I:\n    return I\n"),
            ["1:8 P003 expected `)` to close the parameter list opened at 1:6"]
        );
        // The body of a function with a broken header is still parsed.
        assert_eq!(parse("def f(I)\n    x = g(I)\n    return x\n").functions[0].body.len(), 2);
    }

    #[test]
    fn missing_body() {
        assert_eq!(
            errors("def f(I):\ndef g(I):\n    return I\n"),
            ["2:1 P006 expected an indented block after `def f` on line 1"]
        );
        assert_eq!(errors("def f(I):\n"), ["2:1 P006 expected an indented block after `def f` on line 1"]);
    }

    #[test]
    fn top_level_junk() {
        assert_eq!(
            errors("x = 1\ny = 2\ndef f(I):\n    return I\nprint(3)\n"),
            [
                "1:1 P008 expected `def`, `import` or `from` at the top level, found `x`",
                "5:1 P008 expected `def`, `import` or `from` at the top level, found `print`"
            ]
        );
        assert_eq!(errors("from import x\n"), ["1:6 P005 expected a module name after `from`, found `import`"]);
        assert_eq!(errors("from dsl imp *\n"), ["1:10 P005 expected `import`, found `imp`"]);
    }

    #[test]
    fn unsupported_statements() {
        let text = "def f(I):\n    if I:\n        x = g(I)\n    else:\n        x = h(I)\n    for a in I:\n        pass\n    return x\n";
        assert_eq!(
            errors(text),
            [
                "2:5 P009 `if` statements are not supported; a solver body has only `NAME = EXPR` and `return EXPR` lines",
                "4:5 P009 `else` statements are not supported; a solver body has only `NAME = EXPR` and `return EXPR` lines",
                "6:5 P009 `for` statements are not supported; a solver body has only `NAME = EXPR` and `return EXPR` lines"
            ]
        );
        assert_eq!(
            errors("def f(I):\n    g(I)\n    return I\n"),
            [
                "2:6 P005 expected `=` after `g`, found `(`; a solver body has only `NAME = EXPR` and `return EXPR` lines"
            ]
        );
        assert_eq!(
            errors("def f(I):\n    pass\n    return I\n"),
            ["2:5 P009 `pass` is not supported; a solver body has only `NAME = EXPR` and `return EXPR` lines"]
        );
        assert_eq!(
            errors("def f(I):\n    x = lambda y: y\n    return x\n"),
            ["2:9 P009 `lambda` is not supported in solver expressions"]
        );
        assert_eq!(
            errors("def f(I):\n    x = 'a'\n    return x\n"),
            ["2:9 P011 string literals are not supported in solvers"]
        );
        assert_eq!(
            errors("def f(I):\n    def g(x):\n        return x\n    return I\n"),
            [
                "2:5 P009 nested functions are not supported; a solver body has only `NAME = EXPR` and `return EXPR` lines"
            ]
        );
    }

    #[test]
    fn bad_integers_and_minus() {
        assert_eq!(
            errors("def f(I):\n    return g(9223372036854775808, 007, 1__0, 0x1F)\n"),
            [
                "2:14 P010 integer literal `9223372036854775808` is too large",
                "2:35 P010 leading zeros are not allowed in integer literals (`007`)",
                "2:40 P010 invalid integer literal `1__0`",
                "2:46 P010 invalid integer literal `0x1F`"
            ]
        );
        assert_eq!(
            errors("def f(I):\n    return g(-I)\n"),
            ["2:14 P013 unary minus is only supported before an integer literal (use a constant such as `NEG_ONE`)"]
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("def f(I):\n    return {}I{}\n", "g(".repeat(100_000), ")".repeat(100_000));
        let errs = errors(&deep);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("2:412 P012 expression nested too deeply"), "{errs:?}");
        let chained = format!("def f(I):\n    return g{}\n", "(I)".repeat(100_000));
        assert!(errors(&chained)[0].contains("P012"));
        let parens = format!("def f(I):\n    return {}I{}\n", "(".repeat(100_000), ")".repeat(100_000));
        assert!(errors(&parens)[0].contains("P012"));
        // Nesting within the limit is fine.
        assert_ok(&format!("def f(I):\n    return {}I{}\n", "g(".repeat(150), ")".repeat(150)));
    }

    #[test]
    fn garbage_never_panics() {
        let samples = [
            "(((",
            ")))",
            "def",
            "def f",
            "def f(",
            "def f(I",
            "def f(I)",
            "def f(I):",
            "def f(I): x",
            "def f(I): x =",
            "\tdef f(I):\n\treturn I",
            "def f(I):\n\tx = (\n",
            "\"\"\"",
            "'",
            "\\",
            "def f(I):\n    x = g(I)\\\n",
            "from",
            "import",
            "from .",
            "from x import (",
            "def f(I):\n    return -",
            "def f(I):\n    return ((,",
            "def f(I):\n    return g(I)(",
            "\u{feff}def f(I):\n    return I",
        ];
        for sample in samples {
            let module = parse(sample);
            let _ = module.all_errors().count();
        }
    }
}

//! Reading Python literals (`((1, 2), (3, 4))`, `frozenset({(0, 1)})`, `True`, `None`) into values.
//!
//! This is the inverse of `Value`'s `Display` (Python's `repr`), used by tests and by tools that compare
//! batt's results with CPython's printed ones.

use crate::value::Value;

/// Parses a Python literal; `None` if the text is not one.
pub fn parse(text: &str) -> Option<Value> {
    let mut p = Parser { s: text.as_bytes(), k: 0 };
    let v = p.value()?;
    p.ws();
    (p.k == p.s.len()).then_some(v)
}

struct Parser<'a> {
    s: &'a [u8],
    k: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.k < self.s.len() && self.s[self.k].is_ascii_whitespace() {
            self.k += 1;
        }
    }
    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if self.s[self.k..].starts_with(t.as_bytes()) {
            self.k += t.len();
            true
        } else {
            false
        }
    }
    fn value(&mut self) -> Option<Value> {
        self.ws();
        if self.eat("None") {
            return Some(Value::None);
        }
        if self.eat("True") {
            return Some(Value::Bool(true));
        }
        if self.eat("False") {
            return Some(Value::Bool(false));
        }
        if self.eat("frozenset()") {
            return Some(Value::empty_set());
        }
        if self.eat("frozenset({") {
            let items = self.items("})")?;
            return Some(Value::set(items));
        }
        if self.eat("{") {
            let items = self.items("}")?;
            return Some(Value::set(items));
        }
        if self.eat("(") {
            let items = self.items(")")?;
            return Some(Value::tuple(items));
        }
        let start = self.k;
        if self.k < self.s.len() && self.s[self.k] == b'-' {
            self.k += 1;
        }
        while self.k < self.s.len() && self.s[self.k].is_ascii_digit() {
            self.k += 1;
        }
        std::str::from_utf8(&self.s[start..self.k]).ok()?.parse().ok().map(Value::Int)
    }
    fn items(&mut self, close: &str) -> Option<Vec<Value>> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Some(items);
            }
            items.push(self.value()?);
            if !self.eat(",") {
                return self.eat(close).then_some(items);
            }
        }
    }
}

/// `parse`, panicking on bad text: for tests only.
#[cfg(test)]
pub fn py(text: &str) -> Value {
    match parse(text) {
        Some(v) => v,
        None => panic!("not a Python literal: {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_repr() {
        for text in [
            "((1, 2), (3, 4))",
            "frozenset({(0, 1), (2, 3)})",
            "frozenset()",
            "(1,)",
            "()",
            "((), ())",
            "(5, (1, 2))",
            "True",
            "None",
            "-3",
            "frozenset({frozenset({(1, (0, 0))})})",
        ] {
            assert_eq!(py(text).to_string(), text);
        }
    }
}

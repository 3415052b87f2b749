//! A parser for the Python literals `.npy` headers are written in (`repr` of a dict of strings,
//! booleans, ints, tuples and lists). It evaluates nothing: anything else is an error.

use crate::limits::NPY_MAX_LITERAL_DEPTH;

/// A Python literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    Tuple(Vec<Lit>),
    List(Vec<Lit>),
    Dict(Vec<(Lit, Lit)>),
}

/// A parse error: byte position inside the literal and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LitError {
    pub pos: usize,
    pub why: String,
}

struct P<'a> {
    s: &'a [u8],
    pos: usize,
}

/// Parse one literal that makes up the whole of `text` (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Lit, LitError> {
    let mut p = P {
        s: text.as_bytes(),
        pos: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(p.err("unexpected text after the literal"));
    }
    Ok(v)
}

impl P<'_> {
    fn err(&self, why: &str) -> LitError {
        LitError {
            pos: self.pos,
            why: why.to_string(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Lit, LitError> {
        if depth > NPY_MAX_LITERAL_DEPTH {
            return Err(self.err("literal nested too deeply"));
        }
        self.ws();
        match self.peek() {
            Some(b'\'' | b'"') => self.string().map(Lit::Str),
            Some(b'(') => self.seq(b')', depth).map(|(v, _)| Lit::Tuple(v)),
            Some(b'[') => self.seq(b']', depth).map(|(v, _)| Lit::List(v)),
            Some(b'{') => self.dict(depth),
            Some(b'-' | b'+' | b'0'..=b'9') => self.int(),
            Some(b) if b.is_ascii_alphabetic() => self.word(),
            Some(_) => Err(self.err("unexpected character")),
            None => Err(self.err("literal ends early")),
        }
    }

    fn word(&mut self) -> Result<Lit, LitError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
        match self.s.get(start..self.pos) {
            Some(b"True") => Ok(Lit::Bool(true)),
            Some(b"False") => Ok(Lit::Bool(false)),
            Some(b"None") => Ok(Lit::None),
            _ => {
                self.pos = start;
                Err(self.err("names other than True, False and None are not literals"))
            }
        }
    }

    fn int(&mut self) -> Result<Lit, LitError> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(self.s.get(start..self.pos).unwrap_or_default())
            .unwrap_or_default();
        // Python 2 headers write long integers with an `L` suffix.
        if matches!(self.peek(), Some(b'L' | b'l')) {
            self.pos += 1;
        }
        text.parse::<i64>().map(Lit::Int).map_err(|_| LitError {
            pos: start,
            why: format!("invalid or too large integer {text:?}"),
        })
    }

    fn string(&mut self) -> Result<String, LitError> {
        let quote = self.peek().unwrap_or(b'\'');
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None | Some(b'\n') => {
                    self.pos = start;
                    return Err(self.err("unterminated string"));
                }
                Some(b) if b == quote => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let e = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'0' => out.push(0),
                        b'\\' | b'\'' | b'"' => out.push(e),
                        _ => return Err(self.err("unsupported escape in string")),
                    }
                }
                Some(b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
        String::from_utf8(out).map_err(|_| self.err("string is not valid UTF-8"))
    }

    /// Items up to `close`, comma separated, trailing comma allowed. Returns whether a comma
    /// was seen (a one-tuple needs one).
    fn seq(&mut self, close: u8, depth: usize) -> Result<(Vec<Lit>, bool), LitError> {
        self.pos += 1;
        let mut items = Vec::new();
        let mut comma = false;
        loop {
            self.ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok((items, comma));
            }
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    comma = true;
                }
                Some(b) if b == close => {}
                _ => return Err(self.err("expected ',' or a closing bracket")),
            }
        }
    }

    fn dict(&mut self, depth: usize) -> Result<Lit, LitError> {
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.ws();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(Lit::Dict(entries));
            }
            let k = self.value(depth + 1)?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':' after a dict key"));
            }
            self.pos += 1;
            let v = self.value(depth + 1)?;
            entries.push((k, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_header() {
        let v = parse("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }   \n").unwrap();
        let Lit::Dict(e) = v else { panic!() };
        assert_eq!(e[0], (Lit::Str("descr".into()), Lit::Str("<f8".into())));
        assert_eq!(e[1].1, Lit::Bool(false));
        assert_eq!(e[2].1, Lit::Tuple(vec![Lit::Int(2)]));
    }

    #[test]
    fn structured_and_py2() {
        let v = parse("[('x', '<f4'), ('y', '<i4', (2, 3L))]").unwrap();
        assert!(matches!(v, Lit::List(ref l) if l.len() == 2));
        assert_eq!(parse("()").unwrap(), Lit::Tuple(vec![]));
    }

    #[test]
    fn rejects_code() {
        assert!(parse("__import__('os')").is_err());
        assert!(parse("{'a': 1").is_err());
        assert!(parse("'abc").is_err());
        assert!(parse("99999999999999999999999").is_err());
        assert!(parse(&"(".repeat(100)).is_err());
        assert!(parse("{'a': 1} x").is_err());
    }
}

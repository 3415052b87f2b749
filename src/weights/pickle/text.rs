//! Decoders for the text arguments of protocol-0 opcodes (`INT`, `LONG`, `FLOAT`, `STRING`,
//! `UNICODE`, memo indices). Pure functions over a line without its newline; they never panic.

/// A decimal integer as `INT`/`LONG` write it: `Ok(Some(i))` when it fits i64, `Ok(None)` when it
/// is a valid integer that does not.
pub fn parse_int(line: &[u8]) -> Result<Option<i64>, String> {
    let text = std::str::from_utf8(line).map_err(|_| "integer is not ASCII".to_string())?;
    let t = text.trim();
    let t = t.strip_suffix('L').unwrap_or(t);
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid integer literal {:?}", short(text)));
    }
    Ok(t.parse::<i64>().ok())
}

/// A float as `FLOAT` writes it (`repr`): Rust's parser accepts the same forms plus `inf`/`nan`.
pub fn parse_float(line: &[u8]) -> Result<f64, String> {
    let text = std::str::from_utf8(line).map_err(|_| "float is not ASCII".to_string())?;
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("invalid float literal {:?}", short(text)))
}

/// A memo index for `GET`/`PUT`.
pub fn parse_index(line: &[u8]) -> Result<u64, String> {
    let text = std::str::from_utf8(line).map_err(|_| "memo index is not ASCII".to_string())?;
    text.trim()
        .parse::<u64>()
        .map_err(|_| format!("invalid memo index {:?}", short(text)))
}

/// A `STRING` argument: a quoted Python 2 `repr` of a byte string, with its escapes decoded
/// (as `codecs.escape_decode` does).
pub fn parse_quoted(line: &[u8]) -> Result<Vec<u8>, String> {
    let inner = match line {
        [q, inner @ .., q2] if (*q == b'\'' || *q == b'"') && q == q2 => inner,
        _ => return Err("STRING argument is not quoted".to_string()),
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while let Some(&b) = inner.get(i) {
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(&e) = inner.get(i) else {
            return Err("STRING ends with a lone backslash".to_string());
        };
        i += 1;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'x' => {
                let hex = inner.get(i..i + 2).ok_or("truncated \\x escape")?;
                out.push(hex_value(hex).ok_or("invalid \\x escape")? as u8);
                i += 2;
            }
            b'0'..=b'7' => {
                // Up to three octal digits, the first already read.
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match inner.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            // Python keeps unknown escapes as they are.
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// A `UNICODE` argument: `raw-unicode-escape` (latin-1 bytes plus `\uXXXX` and `\UXXXXXXXX`).
pub fn parse_raw_unicode(line: &[u8]) -> Result<String, String> {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while let Some(&b) = line.get(i) {
        i += 1;
        let width = match (b, line.get(i)) {
            (b'\\', Some(b'u')) => 4,
            (b'\\', Some(b'U')) => 8,
            _ => {
                out.push(char::from(b));
                continue;
            }
        };
        let hex = line
            .get(i + 1..i + 1 + width)
            .ok_or("truncated \\u escape in UNICODE")?;
        let code = hex_value(hex).ok_or("invalid \\u escape in UNICODE")?;
        // Lone surrogates cannot be represented in Rust strings; keep a replacement character.
        out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
        i += 1 + width;
    }
    Ok(out)
}

fn hex_value(hex: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(hex).ok()?;
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(parse_int(b"42"), Ok(Some(42)));
        assert_eq!(parse_int(b"-7L"), Ok(Some(-7)));
        assert_eq!(parse_int(b"123456789012345678901234567890"), Ok(None));
        assert!(parse_int(b"4x").is_err());
        assert!(parse_int(b"").is_err());
    }

    #[test]
    fn quoted_strings() {
        assert_eq!(parse_quoted(b"'a\\nb'").unwrap(), b"a\nb");
        assert_eq!(parse_quoted(b"\"\\x41\\101\\'\"").unwrap(), b"AA'");
        assert!(parse_quoted(b"'abc").is_err());
        assert!(parse_quoted(b"'\\x4'").is_err());
        assert!(parse_quoted(b"'\\'").is_err());
    }

    #[test]
    fn raw_unicode() {
        assert_eq!(parse_raw_unicode(b"a\\u00e9\\U0001F600").unwrap(), "aé😀");
        assert_eq!(parse_raw_unicode(b"\xe9").unwrap(), "é");
        assert!(parse_raw_unicode(b"\\u12").is_err());
        assert_eq!(parse_raw_unicode(b"\\ud800").unwrap(), "\u{fffd}");
    }
}

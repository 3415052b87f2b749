//! Byte offsets to 1-based line numbers, so that errors in TOML, YAML and JSON files can name
//! the line.

/// The 1-based line of byte `offset` in `text`. Counts bytes, so any offset is safe (past the
/// end: the last line).
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_count_from_one() {
        assert_eq!(super::line_of("a\nb\nc", 0), 1);
        assert_eq!(super::line_of("a\nb\nc", 2), 2);
        assert_eq!(super::line_of("a\nb\nc", 99), 3);
        assert_eq!(super::line_of("é\n", 1), 1);
    }
}

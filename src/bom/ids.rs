//! What makes a BOM the same bytes for the same release: a UUID derived from the release's
//! content instead of a random one, identifiers built from it, and RFC 3339 times.

use crate::digest::Sha256Digest;

/// The latest time RFC 3339's four-digit year can write: 9999-12-31T23:59:59Z.
pub(crate) const MAX_SECONDS: i64 = 253_402_300_799;

/// A UUID of the release: the first 16 bytes of a SHA-256 over its name, version and every
/// file's path and digest (in path order), marked as RFC 9562 version 8 ("custom"). Version 5
/// would need SHA-1, which openseal has no other use for. Each part is length-prefixed, so
/// shifting bytes between name and version gives another UUID.
pub(crate) fn content_uuid(name: &str, version: &str, files: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = files.iter().collect();
    sorted.sort();
    let mut buf = Vec::new();
    for part in ["openseal-bom/v1", name, version] {
        push(&mut buf, part);
    }
    for (path, sha256) in sorted {
        push(&mut buf, path);
        push(&mut buf, sha256);
    }
    let digest = Sha256Digest::of(&buf).0;
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn push(buf: &mut Vec<u8>, part: &str) {
    buf.extend_from_slice(&(part.len() as u64).to_be_bytes());
    buf.extend_from_slice(part.as_bytes());
}

/// `text` percent-encoded for the fragment of an IRI: unreserved ASCII and `/` stay, every
/// other byte of its UTF-8 is written `%XX`.
pub(crate) fn pct(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Seconds since 1970-01-01T00:00:00Z as `YYYY-MM-DDTHH:MM:SSZ`; `None` outside 0 ..=
/// [`MAX_SECONDS`].
pub(crate) fn rfc3339(seconds: i64) -> Option<String> {
    if !(0..=MAX_SECONDS).contains(&seconds) {
        return None;
    }
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

/// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_is_version_8_and_depends_on_content_only() {
        let a = content_uuid("m", "1", &[("a", "00"), ("b", "11")]);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        // File order does not matter; every part does.
        assert_eq!(a, content_uuid("m", "1", &[("b", "11"), ("a", "00")]));
        assert_ne!(a, content_uuid("m", "2", &[("a", "00"), ("b", "11")]));
        assert_ne!(a, content_uuid("m", "1", &[("a", "00"), ("b", "12")]));
        assert_ne!(
            content_uuid("ab", "c", &[]),
            content_uuid("a", "bc", &[]),
            "parts are length-prefixed"
        );
    }

    #[test]
    fn uuid_matches_an_independent_computation() {
        // Pinned (computed with Python's hashlib): a change here changes every BOM's serial
        // number and SPDX ids.
        assert_eq!(
            content_uuid("tiny", "1.0", &[("model.safetensors", "ab")]),
            "2ad119b5-904f-8875-869e-a7b859b8c4e1"
        );
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_and_slash() {
        assert_eq!(pct("data/eval.jsonl"), "data/eval.jsonl");
        assert_eq!(pct("a b#c%"), "a%20b%23c%25");
        assert_eq!(pct("é"), "%C3%A9");
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339(951_782_400).as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        assert_eq!(
            rfc3339(1_704_067_199).as_deref(),
            Some("2023-12-31T23:59:59Z")
        );
        assert_eq!(
            rfc3339(1_709_210_096).as_deref(),
            Some("2024-02-29T12:34:56Z")
        );
        assert_eq!(
            rfc3339(MAX_SECONDS).as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
        assert_eq!(rfc3339(MAX_SECONDS + 1), None);
        assert_eq!(rfc3339(-1), None);
    }
}

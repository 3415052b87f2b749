//! A key that verification trusts, with the limits on that trust.

use std::fmt;

use super::algorithm::PublicKey;

/// A public key verification accepts, as loaded from a `.pub` file or a trust file.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustedKey {
    /// The key id (see [`super::keys::key_id`]); always derived from `key`.
    pub(crate) id: String,
    pub(crate) key: PublicKey,
    /// Who the key belongs to, for messages.
    pub(crate) name: Option<String>,
    /// Last day (UTC, inclusive) on which the key's signatures are accepted.
    pub(crate) not_after: Option<Date>,
    /// `Some(reason)` when the key is revoked (the reason may be empty).
    pub(crate) revoked: Option<String>,
    /// Where the key came from (`file` or `file:line`), for messages.
    pub(crate) origin: String,
}

impl TrustedKey {
    /// A key trusted without limits.
    pub fn new(key: PublicKey, origin: impl Into<String>) -> TrustedKey {
        TrustedKey {
            id: super::keys::key_id(&key),
            key,
            name: None,
            not_after: None,
            revoked: None,
            origin: origin.into(),
        }
    }

    /// `name` if known, else the key id.
    pub(crate) fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} ({})", self.id),
            None => self.id.clone(),
        }
    }

    /// Whether the key has expired at `now_unix` (seconds since the epoch).
    pub(crate) fn expired_at(&self, now_unix: i64) -> bool {
        self.not_after
            .is_some_and(|d| now_unix >= d.next_day_start_unix())
    }
}

/// A calendar date (proleptic Gregorian, UTC), as written in trust files: `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub(crate) year: i32,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` and checks that the day exists.
    pub(crate) fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = digits(0..4)? as i32;
        let month = digits(5..7)? as u8;
        let day = digits(8..10)? as u8;
        Date::new(year, month, day)
    }

    /// A date, if it exists.
    pub(crate) fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Seconds since the Unix epoch at 00:00 UTC of the day after this one: the first instant
    /// a key with this `not_after` is no longer valid.
    pub(crate) fn next_day_start_unix(&self) -> i64 {
        (days_from_civil(self.year, self.month, self.day) + 1) * 86_400
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the given date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_check_days() {
        assert_eq!(
            Date::parse("2027-01-01"),
            Some(Date {
                year: 2027,
                month: 1,
                day: 1
            })
        );
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("2027-1-01").is_none());
        assert!(Date::parse("2027-01-01T00:00").is_none());
        assert!(Date::parse("+027-01-01").is_none());
        assert_eq!(Date::parse("2027-01-01").unwrap().to_string(), "2027-01-01");
    }

    #[test]
    fn epoch_arithmetic() {
        // 1970-01-01 ends at 86400; 2000-03-01 starts at 951868800.
        assert_eq!(Date::new(1970, 1, 1).unwrap().next_day_start_unix(), 86_400);
        assert_eq!(
            Date::new(2000, 2, 29).unwrap().next_day_start_unix(),
            951_868_800
        );
    }

    #[test]
    fn expiry_is_inclusive_of_the_day() {
        let mut k = TrustedKey::new(crate::signature::demo_signing_key().verifying_key(), "test");
        k.not_after = Date::new(1970, 1, 1);
        assert!(!k.expired_at(0));
        assert!(!k.expired_at(86_399));
        assert!(k.expired_at(86_400));
    }
}

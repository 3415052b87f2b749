//! Number and size formatting for people.

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 7241732096 → "7.24B".
pub fn short_count(n: u64) -> String {
    const UNITS: &[(f64, &str)] = &[(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")];
    for (scale, unit) in UNITS {
        if n as f64 >= *scale {
            return format!("{:.2}{unit}", n as f64 / scale);
        }
    }
    n.to_string()
}

/// Bytes in binary units: 1536 → "1.5 KiB".
pub fn bytes(n: u64) -> String {
    const UNITS: &[&str] = &["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// A release's name and version for a heading: `name 1.0`, or `name` alone when the version
/// is empty (no trailing space).
pub fn name_version(name: &str, version: &str) -> String {
    if version.is_empty() {
        name.to_string()
    } else {
        format!("{name} {version}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_empty_version_leaves_no_trailing_space() {
        assert_eq!(super::name_version("m", ""), "m");
        assert_eq!(super::name_version("m", "1.0"), "m 1.0");
    }
}

//! Free-text licence names mapped to SPDX expressions (`formats/licenses/aliases.toml`), for the
//! default mode; every mapping is reported as a warning by the caller.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use super::error::LicenseDataError;
use super::spdx_parse;
use crate::lines::line_of;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    alias: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct Aliases {
    map: HashMap<String, String>,
}

/// Lower case, trimmed, runs of white space made one space: the form the table's keys take.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Aliases {
    pub(crate) fn parse(file: &str, text: &str) -> Result<Aliases, LicenseDataError> {
        let line = |offset: usize| line_of(text, offset);
        let f: File = toml::from_str(text).map_err(|e| LicenseDataError::Syntax {
            file: file.into(),
            line: e.span().map(|s| line(s.start)).unwrap_or(0),
            message: e.message().to_string(),
        })?;
        let mut map = HashMap::new();
        for (k, v) in f.alias {
            let bad = |message: String| LicenseDataError::BadAlias {
                file: file.into(),
                line: line(k.span().start),
                alias: k.get_ref().clone(),
                message,
            };
            if normalise(k.get_ref()) != *k.get_ref() {
                return Err(bad("keys must be lower case with single spaces".into()));
            }
            if let Err(e) = spdx_parse(v.get_ref()) {
                return Err(bad(format!("target is not an SPDX expression: {e}")));
            }
            map.insert(k.into_inner(), v.into_inner());
        }
        Ok(Aliases { map })
    }

    pub(crate) fn get(&self, text: &str) -> Option<&str> {
        self.map.get(&normalise(text)).map(String::as_str)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The SPDX id equal to `text` but for letter case, if any (e.g. "apache-2.0").
pub fn spdx_id_ignoring_case(text: &str) -> Option<&'static str> {
    let t = text.trim();
    spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(t))
        .map(|l| l.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_must_be_normalised_and_targets_spdx() {
        let e = Aliases::parse(
            "a.toml",
            "[alias]\n\"ok\" = \"MIT\"\n\"Apache 2\" = \"Apache-2.0\"\n",
        )
        .unwrap_err();
        assert!(
            matches!(e, LicenseDataError::BadAlias { line: 3, .. }),
            "{e}"
        );
        let e = Aliases::parse("a.toml", "[alias]\n\"x\" = \"not a licence\"\n").unwrap_err();
        assert!(
            matches!(e, LicenseDataError::BadAlias { line: 2, .. }),
            "{e}"
        );
        let a = Aliases::parse("a.toml", "[alias]\n\"mit licence\" = \"MIT\"\n").unwrap();
        assert_eq!(a.get("  MIT   Licence"), Some("MIT"));
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn case_insensitive_spdx_ids() {
        assert_eq!(spdx_id_ignoring_case("apache-2.0"), Some("Apache-2.0"));
        assert_eq!(spdx_id_ignoring_case("no such"), None);
    }
}

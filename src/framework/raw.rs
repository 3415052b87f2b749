//! The framework file as written, with spans kept on every id so validation errors can name the
//! line. `deny_unknown_fields` everywhere: a misspelt key is an error, not a silent default.

use serde::Deserialize;
use toml::Spanned;

use super::schema::{Checks, Kind, Labels, LicenseNeed};
use crate::release::Status;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub framework: RawHeader,
    #[serde(default)]
    pub level: Vec<Spanned<RawLevel>>,
    #[serde(default)]
    pub criterion: Vec<Spanned<RawCriterion>>,
    #[serde(default)]
    pub item: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub indicator: Vec<Spanned<RawIndicator>>,
}

/// One indicator of a transparency index: the components whose presence discloses it, or
/// `observable = false` with the reason a release cannot show it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: Spanned<String>,
    pub name: String,
    pub domain: String,
    #[serde(default)]
    pub subdomain: String,
    #[serde(default)]
    pub evidence: Vec<Spanned<String>>,
    #[serde(default)]
    pub observable: Option<bool>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    pub id: Spanned<String>,
    pub version: String,
    pub name: String,
    pub kind: Spanned<Kind>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub source: Option<String>,
    /// The default licence rule of levels and clauses that do not set one.
    #[serde(default)]
    pub license: Option<RawLicenseRule>,
    #[serde(default)]
    pub open_license_refs: Vec<String>,
}

/// `license = "open"` or `license = { code = "osi", data = "open", document = "open" }`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub enum RawLicenseRule {
    Uniform(LicenseNeed),
    ByContent(RawByContent),
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawByContent {
    pub code: LicenseNeed,
    pub data: LicenseNeed,
    pub document: LicenseNeed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevel {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub floor: bool,
    #[serde(default)]
    pub extends: Vec<Spanned<String>>,
    #[serde(default)]
    pub requires: Vec<Spanned<String>>,
    #[serde(default)]
    pub any_of: Vec<Vec<Spanned<String>>>,
    #[serde(default)]
    pub optional: Vec<Spanned<String>>,
    #[serde(default)]
    pub license: Option<RawLicenseRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub open: Vec<Spanned<RawClause>>,
    #[serde(default)]
    pub partial: Vec<Spanned<RawClause>>,
    #[serde(default)]
    pub labels: Option<Labels>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClause {
    #[serde(default)]
    pub all: Vec<Spanned<String>>,
    #[serde(default)]
    pub any: Vec<Spanned<String>>,
    #[serde(default)]
    pub license: Option<RawLicenseRule>,
    #[serde(default)]
    pub status: Option<Vec<Status>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub components: Vec<Spanned<String>>,
    #[serde(default)]
    pub checks: Checks,
}

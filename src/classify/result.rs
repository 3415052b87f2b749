//! What an evaluation returns; serialised as the `--json` output
//! (`{"framework": "mof", "version": "1.0", "level": "class-ii", ...}`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::framework::{Checks, Kind};
use crate::license::{LicenseWarning, Mode};
use crate::release::ContentKind;
use crate::release::{LicenseSource, Status};

/// Why a component does not count for a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingReason {
    /// The release says nothing about it.
    Absent,
    Withheld,
    NotApplicable,
    /// Available, but not in a way the rule accepts (e.g. referenced where it must be included).
    WrongStatus,
    NoLicense,
    LicenseNotOpen,
    /// Open, but not the kind of licence asked for (e.g. not OSI-approved where OSAID needs it).
    LicenseWrongKind,
}

impl std::fmt::Display for MissingReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MissingReason::Absent => "absent",
            MissingReason::Withheld => "withheld",
            MissingReason::NotApplicable => "not applicable",
            MissingReason::WrongStatus => "not available in the required way",
            MissingReason::NoLicense => "no licence",
            MissingReason::LicenseNotOpen => "licence not open",
            MissingReason::LicenseWrongKind => "licence of the wrong kind",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missing {
    pub component: String,
    pub reason: MissingReason,
    /// The licence it has, when the licence is the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Other components any one of which would do instead (an any-of group).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
}

/// One component as the framework sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentRow {
    pub id: String,
    pub(crate) content: ContentKind,
    /// `null`: the release says nothing about it.
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
    /// The licence text that applies, as written.
    pub license: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) license_source: Option<LicenseSource>,
    /// What it was read as (an SPDX expression in the default mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spdx: Option<String>,
    pub open: bool,
    pub(crate) osi: bool,
    pub type_appropriate: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<LicenseWarning>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelOutcome {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) met: bool,
    /// What the level lacks (empty when met). Kept out of the JSON report, which lists what
    /// the next level lacks in `next_level`.
    #[serde(skip)]
    pub(crate) missing: Vec<Missing>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextLevel {
    pub id: String,
    pub name: String,
    pub missing: Vec<Missing>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    Open,
    Partial,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    pub id: String,
    pub name: String,
    pub(crate) group: String,
    pub rating: Rating,
    /// The framework's own word for the rating (e.g. DPGA "Aspirational openness").
    pub label: String,
    /// What keeps it from open (empty when open).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_for_open: Vec<Missing>,
    /// What keeps it from partial (only when closed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) missing_for_partial: Vec<Missing>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    Included,
    Referenced,
    Withheld,
    NotApplicable,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemComponent {
    pub(crate) id: String,
    pub(crate) status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageResult {
    pub id: String,
    pub name: String,
    pub group: String,
    pub(crate) checks: Checks,
    pub coverage: Coverage,
    /// Reasons given for withheld or not applicable components.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    pub(crate) components: Vec<ItemComponent>,
    /// Licensing items: whether every component that is present carries a licence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licensed: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unlicensed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkResult {
    pub(crate) framework: String,
    pub version: String,
    pub name: String,
    pub kind: Kind,
    pub(crate) mode: Mode,
    /// The highest level met (kebab-case id), `null` when none is (or for criteria/coverage).
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_level: Option<NextLevel>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) levels: Vec<LevelOutcome>,
    /// MOT's per-class progress in percent (MOF in MOT compatibility mode only).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub progress: BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionResult>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<CoverageResult>,
    pub components: Vec<ComponentRow>,
}

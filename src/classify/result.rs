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
    /// The release withholds it.
    Withheld,
    /// The release says it does not exist for this release.
    NotApplicable,
    /// Available, but not in a way the rule accepts (e.g. referenced where it must be included).
    WrongStatus,
    /// No licence applies to it (neither its own nor a release default).
    NoLicense,
    /// Its licence is not open (or could not be read as one).
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

/// A component a requirement lacks, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missing {
    /// The component's id (`code.training`, ...).
    pub component: String,
    /// Why it does not count.
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
    /// The component's id.
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
    /// Whether the licence counts as open.
    pub open: bool,
    pub(crate) osi: bool,
    /// Whether it is open through a licence meant for the component's kind of content (MOT's
    /// type-appropriateness; e.g. not Apache-2.0 on data).
    pub type_appropriate: bool,
    /// What reading the licence noticed (a name read as an SPDX id, unrecognised text, a
    /// licence not meant for this content, a deprecated id).
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

/// The level above the highest one met (the first level, when none is), and what it lacks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextLevel {
    /// The level's id (kebab-case).
    pub id: String,
    /// The level's display name.
    pub name: String,
    /// What the release lacks for it.
    pub missing: Vec<Missing>,
}

/// How a criterion of a criteria framework is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// Every rule for open holds.
    Open,
    /// The rules for partial hold, not those for open.
    Partial,
    /// Neither.
    Closed,
}

/// One criterion of a criteria framework, rated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    /// The criterion's id.
    pub id: String,
    /// Its display name.
    pub name: String,
    pub(crate) group: String,
    /// How it is met.
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

/// What the release says about an item of a coverage framework: the status of its best-covered
/// component, in the order included, referenced, withheld, not applicable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// A component of the item is shipped in the release.
    Included,
    /// A component is published elsewhere.
    Referenced,
    /// Its components are withheld.
    Withheld,
    /// Its components do not exist for this release.
    NotApplicable,
    /// The release says nothing about its components.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemComponent {
    pub(crate) id: String,
    pub(crate) status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
}

/// One item of a coverage framework, as the release covers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageResult {
    /// The item's id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The group it is shown under.
    pub group: String,
    pub(crate) checks: Checks,
    /// What the release says about it.
    pub coverage: Coverage,
    /// Reasons given for withheld or not applicable components.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    pub(crate) components: Vec<ItemComponent>,
    /// Licensing items: whether every component that is present carries a licence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licensed: Option<bool>,
    /// Licensing items: the components present (included or referenced) without a readable
    /// licence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unlicensed: Vec<String>,
}

/// One framework evaluated on one release: the level met (levels), the rating of each criterion
/// (criteria) or the coverage of each item (coverage), and every component as it saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkResult {
    pub(crate) framework: String,
    /// The framework definition's version.
    pub version: String,
    /// The framework's display name.
    pub name: String,
    /// Which kind of framework it is, and so which fields are filled.
    pub kind: Kind,
    pub(crate) mode: Mode,
    /// The highest level met (kebab-case id), `null` when none is (or for criteria/coverage).
    pub level: Option<String>,
    /// The display name of `level`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_name: Option<String>,
    /// The level above `level`, when there is one (levels frameworks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_level: Option<NextLevel>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) levels: Vec<LevelOutcome>,
    /// MOT's per-class progress in percent (MOF in MOT compatibility mode only).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub progress: BTreeMap<String, f64>,
    /// Each criterion, rated (criteria frameworks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionResult>,
    /// Each item, as covered (coverage frameworks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<CoverageResult>,
    /// Each indicator, disclosed or not (indicators frameworks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<IndicatorResult>,
    /// The indicators counted (indicators frameworks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<Disclosure>,
    /// Every component the framework refers to, as the evaluation saw it.
    pub components: Vec<ComponentRow>,
}

/// One indicator of a transparency index, as the release shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorResult {
    /// The indicator's id.
    pub id: String,
    /// Its name, as the index words it.
    pub name: String,
    /// The index's domain (`Upstream`, `Model`, `Downstream`).
    pub domain: String,
    /// The index's subdomain.
    pub subdomain: String,
    /// Whether a release's files can show it at all.
    pub observable: bool,
    /// Whether this release shows it (never for an indicator that is not observable).
    pub disclosed: bool,
    /// The components whose presence would show it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The components that do show it here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shown_by: Vec<String>,
    /// Why a release cannot show it, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_observable: Option<String>,
}

/// How many indicators a release discloses, of those it could.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    /// Indicators in the index.
    pub indicators: usize,
    /// Those a release's files can show.
    pub observable: usize,
    /// Those this release shows.
    pub disclosed: usize,
    /// The same counts by domain and subdomain, in the index's order.
    pub by_subdomain: Vec<DisclosureCount>,
}

/// The counts of one subdomain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureCount {
    /// The domain.
    pub domain: String,
    /// The subdomain.
    pub subdomain: String,
    /// Indicators in it.
    pub indicators: usize,
    /// Those a release can show.
    pub observable: usize,
    /// Those this release shows.
    pub disclosed: usize,
}

//! The validated form of a framework definition (`formats/frameworks/*.toml`; the file format is
//! described in `formats/README.md`). One schema covers three shapes of framework:
//! ordered levels with required components (MOF, OSAID, the release gradient), criteria rated
//! open/partial/closed (Opening up ChatGPT, DPGA), a coverage report (the descriptive stack), and
//! a transparency index's indicators, disclosed or not (FMTI 2025).

use serde::{Deserialize, Serialize};

use crate::release::ContentKind;
use crate::release::Status;

/// The shape of a framework, and so of its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Ordered levels, lowest first; the result is the highest level met.
    Levels,
    /// Independent criteria, each open, partial or closed.
    Criteria,
    /// What the release says about each item: no judgement, a coverage report.
    Coverage,
    /// A transparency index: each indicator disclosed or not, from the components whose
    /// presence shows it; indicators a release cannot show are marked not observable.
    Indicators,
}

/// What a component's licence must be for a requirement to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseNeed {
    /// The component only has to be available; its licence is not judged.
    Any,
    /// It must carry some licence (not none).
    Licensed,
    /// Open: OSI-approved or FSF-libre, an open-data licence, OpenMDW, or a `LicenseRef-` the
    /// framework accepts.
    Open,
    /// OSI-approved (the OSAID's rule for code).
    Osi,
}

/// The licence rule for each content kind, so that one level can ask OSI-approved licences of
/// code and open terms of data and documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LicenseRule {
    pub(crate) code: LicenseNeed,
    pub(crate) data: LicenseNeed,
    pub(crate) document: LicenseNeed,
}

impl LicenseRule {
    pub(crate) fn uniform(need: LicenseNeed) -> Self {
        LicenseRule {
            code: need,
            data: need,
            document: need,
        }
    }

    pub(crate) fn for_content(&self, kind: ContentKind) -> LicenseNeed {
        match kind {
            ContentKind::Code => self.code,
            ContentKind::Data => self.data,
            ContentKind::Document => self.document,
        }
    }
}

/// One component a level or clause asks for, with the licence rule that applies to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub(crate) component: String,
    pub(crate) license: LicenseRule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Level {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    /// Met by every release (e.g. "fully closed" on the release gradient).
    pub(crate) floor: bool,
    /// Lower levels whose requirements this level includes.
    pub(crate) extends: Vec<String>,
    pub(crate) requires: Vec<Requirement>,
    /// Groups of which one component suffices (MOF: technical report or research paper).
    pub(crate) any_of: Vec<Vec<Requirement>>,
    /// Listed for the report; never decide the level.
    pub(crate) optional: Vec<Requirement>,
}

/// Requirements of a level including everything it inherits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effective {
    pub(crate) requires: Vec<Requirement>,
    pub(crate) any_of: Vec<Vec<Requirement>>,
    pub(crate) optional: Vec<Requirement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quantifier {
    All,
    Any,
}

/// A condition on components: all (or any) of them available with an acceptable status and
/// licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clause {
    pub(crate) quantifier: Quantifier,
    pub(crate) components: Vec<Requirement>,
    pub(crate) statuses: Vec<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub(crate) open: String,
    pub(crate) partial: String,
    pub(crate) closed: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            open: "open".into(),
            partial: "partial".into(),
            closed: "closed".into(),
        }
    }
}

/// Open when every `open` clause holds; otherwise partial when every `partial` clause holds
/// (and there is at least one); otherwise closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) group: String,
    pub(crate) description: String,
    pub(crate) open: Vec<Clause>,
    pub(crate) partial: Vec<Clause>,
    pub(crate) labels: Labels,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checks {
    /// Whether the components are included, referenced, withheld, not applicable or unknown.
    #[default]
    Presence,
    /// Whether the components that are present carry a licence (Fig. 5's licensing row).
    License,
}

/// One item of a coverage framework: a part of the stack and the components that make it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The item's id, unique in its framework.
    pub id: String,
    pub(crate) name: String,
    pub(crate) group: String,
    pub(crate) components: Vec<String>,
    pub(crate) checks: Checks,
}

/// One indicator of a transparency index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) domain: String,
    pub(crate) subdomain: String,
    /// Components any one of which, available, discloses it (empty when not observable).
    pub(crate) evidence: Vec<String>,
    /// Why a release's files cannot show it, when they cannot.
    pub(crate) not_observable: Option<String>,
}

/// A validated framework definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Framework {
    /// The framework's id (`mof`, `osaid`, `stack`, ...), unique in a set.
    pub id: String,
    pub(crate) version: String,
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) description: String,
    pub(crate) source: Option<String>,
    /// `LicenseRef-…` ids this framework treats as open.
    pub(crate) open_license_refs: Vec<String>,
    pub(crate) levels: Vec<Level>,
    pub(crate) criteria: Vec<Criterion>,
    /// The items of a coverage framework, in display order (empty for other kinds).
    pub items: Vec<Item>,
    pub(crate) indicators: Vec<Indicator>,
}

impl Framework {
    pub(crate) fn level_index(&self, id: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id == id)
    }

    /// The requirements of level `idx` with those of the levels it extends (validated acyclic,
    /// so the walk ends); each component appears once, with the rule of the level that names it.
    pub(crate) fn effective(&self, idx: usize) -> Effective {
        let mut out = Effective::default();
        let mut seen = vec![false; self.levels.len()];
        self.collect(idx, &mut out, &mut seen);
        out
    }

    fn collect(&self, idx: usize, out: &mut Effective, seen: &mut [bool]) {
        if idx >= self.levels.len() || seen[idx] {
            return;
        }
        seen[idx] = true;
        let level = &self.levels[idx];
        for parent in &level.extends {
            if let Some(p) = self.level_index(parent) {
                self.collect(p, out, seen);
            }
        }
        for r in &level.requires {
            if !out.requires.iter().any(|x| x.component == r.component) {
                out.requires.push(r.clone());
            }
        }
        for g in &level.any_of {
            out.any_of.push(g.clone());
        }
        for r in &level.optional {
            if !out.optional.iter().any(|x| x.component == r.component) {
                out.optional.push(r.clone());
            }
        }
    }

    /// Every component the framework mentions, in first-mention order.
    pub(crate) fn components(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |id: &str| {
            if !out.iter().any(|x| x == id) {
                out.push(id.to_string());
            }
        };
        for l in &self.levels {
            l.requires.iter().for_each(|r| push(&r.component));
            l.any_of.iter().flatten().for_each(|r| push(&r.component));
            l.optional.iter().for_each(|r| push(&r.component));
        }
        for c in &self.criteria {
            c.open
                .iter()
                .chain(&c.partial)
                .flat_map(|cl| &cl.components)
                .for_each(|r| push(&r.component));
        }
        for i in &self.items {
            i.components.iter().for_each(|c| push(c));
        }
        for i in &self.indicators {
            i.evidence.iter().for_each(|c| push(c));
        }
        out
    }
}

//! Evaluating a release against a framework: the level met and what the next one lacks, the
//! rating of each criterion, or the coverage of each stack item, with a per-component table.

pub mod compare;
mod component;
mod coverage;
mod criteria;
mod indicators;
mod levels;
pub mod requirements;
mod result;

use std::collections::BTreeMap;

use thiserror::Error;

use crate::framework::{Framework, FrameworkError, Kind, Vocabulary};
use crate::license::{LicenseDataError, Licenses, Mode};
use crate::release::Release;

pub use result::{
    ComponentRow, Coverage, CoverageResult, CriterionResult, Disclosure, DisclosureCount,
    FrameworkResult, IndicatorResult, Missing, MissingReason, NextLevel, Rating,
};

/// The frameworks a report shows and a bill of materials states, in that order.
pub(crate) const SHOWN_FRAMEWORKS: [&str; 8] = [
    "stack",
    "mof",
    "osaid",
    "release-gradient",
    "opening-up-chatgpt",
    "dpga",
    "osai-index",
    "fmti-2025",
];

/// Evaluates every framework of [`SHOWN_FRAMEWORKS`] on `release` (default licence mode), in
/// that order.
pub(crate) fn evaluate_shown(release: &Release) -> Result<Vec<FrameworkResult>, ClassifyError> {
    let set = crate::framework::FrameworkSet::embedded()?;
    let ev = Evaluator::embedded()?;
    Ok(SHOWN_FRAMEWORKS
        .iter()
        .filter_map(|id| set.get(id))
        .map(|fw| ev.evaluate(fw, release, Mode::Default))
        .collect())
}

/// The embedded data could not be loaded (cannot happen with the data the tests check).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClassifyError {
    /// The embedded vocabulary or framework definitions.
    #[error(transparent)]
    Framework(#[from] FrameworkError),
    /// The embedded licence lists or aliases.
    #[error(transparent)]
    License(#[from] LicenseDataError),
}

/// The data an evaluation needs besides the framework and the release.
#[derive(Debug, Clone, Copy)]
pub struct Evaluator<'a> {
    /// The component vocabulary (ids, content kinds).
    pub vocab: &'a Vocabulary,
    /// The licence lists and aliases licences are judged with.
    pub licenses: &'a Licenses,
}

impl Evaluator<'static> {
    /// An evaluator over the data built into openseal (loaded once).
    pub fn embedded() -> Result<Self, ClassifyError> {
        Ok(Evaluator {
            vocab: Vocabulary::embedded()?,
            licenses: Licenses::embedded()?,
        })
    }
}

impl Evaluator<'_> {
    /// Evaluate `fw` on `release`, reading licences as `mode` says.
    pub fn evaluate(&self, fw: &Framework, release: &Release, mode: Mode) -> FrameworkResult {
        let rows: Vec<ComponentRow> = fw
            .components()
            .iter()
            .map(|id| {
                component::row(
                    release,
                    id,
                    self.vocab,
                    self.licenses,
                    mode,
                    &fw.open_license_refs,
                )
            })
            .collect();
        let mut out = FrameworkResult {
            framework: fw.id.clone(),
            version: fw.version.clone(),
            name: fw.name.clone(),
            kind: fw.kind,
            mode,
            level: None,
            level_name: None,
            next_level: None,
            levels: Vec::new(),
            progress: BTreeMap::new(),
            criteria: Vec::new(),
            coverage: Vec::new(),
            indicators: Vec::new(),
            disclosure: None,
            components: Vec::new(),
        };
        match fw.kind {
            Kind::Levels => {
                let lv = levels::evaluate(fw, &rows);
                if let Some(i) = lv.level {
                    out.level = Some(fw.levels[i].id.clone());
                    out.level_name = Some(fw.levels[i].name.clone());
                }
                out.levels = lv.outcomes;
                out.next_level = lv.next;
                if fw.id == "mof" && mode == Mode::MotCompat {
                    out.progress = mot_progress(fw, release, self);
                }
            }
            Kind::Criteria => {
                out.criteria = fw
                    .criteria
                    .iter()
                    .map(|c| criteria::evaluate(c, &rows))
                    .collect();
            }
            Kind::Coverage => {
                out.coverage = fw
                    .items
                    .iter()
                    .map(|i| coverage::evaluate(i, &rows))
                    .collect();
            }
            Kind::Indicators => {
                out.indicators = fw
                    .indicators
                    .iter()
                    .map(|i| indicators::evaluate(i, &rows))
                    .collect();
                out.disclosure = Some(indicators::disclosure(&out.indicators));
            }
        }
        out.components = rows;
        out
    }
}

/// MOT's progress percentages, keyed by the MOF level ids (class 3 = the first level).
fn mot_progress(fw: &Framework, release: &Release, ev: &Evaluator) -> BTreeMap<String, f64> {
    let m = crate::mot::evaluate::classify(release, ev.vocab, ev.licenses);
    let mut out = BTreeMap::new();
    for (class, p) in [
        (3usize, m.progress[2]),
        (2, m.progress[1]),
        (1, m.progress[0]),
    ] {
        if let Some(l) = fw.levels.get(3 - class) {
            out.insert(l.id.clone(), p);
        }
    }
    out
}

/// Evaluates with the embedded vocabulary and licence data.
pub fn evaluate(
    fw: &Framework,
    release: &Release,
    mode: Mode,
) -> Result<FrameworkResult, ClassifyError> {
    Ok(Evaluator::embedded()?.evaluate(fw, release, mode))
}

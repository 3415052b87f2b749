//! Required levels (`--require FRAMEWORK:LEVEL`) and the levels every manifest declares. One
//! place for pack (which declares and refuses), verify (which re-derives and compares) and the
//! classify command (which reports).

use serde::Serialize;
use thiserror::Error;

use super::{ClassifyError, Evaluator, FrameworkResult, Missing};
use crate::framework::{Framework, FrameworkSet, Kind};
use crate::license::Mode;
use crate::release::Release;

/// The frameworks with levels that every manifest declares.
pub(crate) const DECLARED_FRAMEWORKS: &[&str] = &["mof", "osaid", "release-gradient"];

/// A parsed `FRAMEWORK:LEVEL`, checked against the frameworks it was parsed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub(crate) framework: String,
    pub(crate) level: String,
}

/// Why a required level could not be parsed or checked. `text` fields hold the requirement as
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequirementError {
    /// Not `FRAMEWORK:LEVEL`; the text.
    #[error("\"{0}\": expected FRAMEWORK:LEVEL, e.g. mof:class-ii")]
    Syntax(String),
    /// A framework id that is not among those given.
    #[error("\"{text}\": unknown framework \"{framework}\" (known here: {})", known.join(", "))]
    UnknownFramework {
        /// The requirement.
        text: String,
        /// The framework id.
        framework: String,
        /// The framework ids that are known.
        known: Vec<String>,
    },
    /// A framework without levels (a criteria or coverage framework).
    #[error("\"{text}\": framework \"{framework}\" has no levels")]
    NoLevels {
        /// The requirement.
        text: String,
        /// The framework id.
        framework: String,
    },
    /// A level the framework does not define.
    #[error("\"{text}\": \"{framework}\" has no level \"{level}\" (levels: {})", known.join(", "))]
    UnknownLevel {
        /// The requirement.
        text: String,
        /// The framework id.
        framework: String,
        /// The level id.
        level: String,
        /// The framework's level ids, lowest first.
        known: Vec<String>,
    },
    /// A requirement was checked against results that lack its framework or level: a bug in
    /// the caller, reported rather than read as "not met".
    #[error("{framework}:{level} was not evaluated")]
    NotEvaluated {
        /// The framework id.
        framework: String,
        /// The level id.
        level: String,
    },
    /// The embedded frameworks could not be loaded.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
}

impl Requirement {
    /// Parse `mof:class-ii`, checking that `frameworks` has that framework, that it has levels
    /// and that the level exists.
    pub fn parse(text: &str, frameworks: &[Framework]) -> Result<Requirement, RequirementError> {
        let (fw, level) = text
            .split_once(':')
            .ok_or_else(|| RequirementError::Syntax(text.to_string()))?;
        let framework = frameworks.iter().find(|f| f.id == fw).ok_or_else(|| {
            RequirementError::UnknownFramework {
                text: text.to_string(),
                framework: fw.to_string(),
                known: frameworks.iter().map(|f| f.id.clone()).collect(),
            }
        })?;
        if framework.kind != Kind::Levels {
            return Err(RequirementError::NoLevels {
                text: text.to_string(),
                framework: fw.to_string(),
            });
        }
        if framework.level_index(level).is_none() {
            return Err(RequirementError::UnknownLevel {
                text: text.to_string(),
                framework: fw.to_string(),
                level: level.to_string(),
                known: framework.levels.iter().map(|l| l.id.clone()).collect(),
            });
        }
        Ok(Requirement {
            framework: fw.to_string(),
            level: level.to_string(),
        })
    }

    /// Parse against the frameworks built into openseal (what pack and verify evaluate).
    pub fn parse_embedded(text: &str) -> Result<Requirement, RequirementError> {
        let set = FrameworkSet::embedded().map_err(ClassifyError::from)?;
        Requirement::parse(text, set.frameworks())
    }
}

/// Whether one required level is met, and if not, what it lacks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementCheck {
    /// The framework id.
    pub framework: String,
    /// The level id.
    pub level: String,
    /// Whether the release meets it.
    pub met: bool,
    /// What the level lacks (empty when met); the JSON reports carry only `met`.
    #[serde(skip)]
    pub(crate) missing: Vec<Missing>,
}

/// Evaluate the declared frameworks (and any required ones) on a release.
pub(crate) fn evaluate_all(
    release: &Release,
    extra: &[Requirement],
) -> Result<Vec<FrameworkResult>, ClassifyError> {
    let set = FrameworkSet::embedded()?;
    let evaluator = Evaluator::embedded()?;
    let mut ids: Vec<&str> = DECLARED_FRAMEWORKS.to_vec();
    for r in extra {
        if !ids.contains(&r.framework.as_str()) {
            ids.push(&r.framework);
        }
    }
    Ok(ids
        .into_iter()
        .filter_map(|id| set.get(id))
        .map(|fw| evaluator.evaluate(fw, release, Mode::Default))
        .collect())
}

/// Whether `level` of `result` is met, and what it lacks. A level the result does not know is
/// an error, never "not met".
pub(crate) fn level_met(
    result: &FrameworkResult,
    level: &str,
) -> Result<RequirementCheck, RequirementError> {
    let outcome = result
        .levels
        .iter()
        .find(|l| l.id == level)
        .ok_or_else(|| RequirementError::NotEvaluated {
            framework: result.framework.clone(),
            level: level.to_string(),
        })?;
    Ok(RequirementCheck {
        framework: result.framework.clone(),
        level: level.to_string(),
        met: outcome.met,
        missing: outcome.missing.clone(),
    })
}

/// Check every requirement against evaluation results: one check each, in order. An error
/// means a requirement's framework or level is not among the results.
pub fn check(
    results: &[FrameworkResult],
    requires: &[Requirement],
) -> Result<Vec<RequirementCheck>, RequirementError> {
    requires
        .iter()
        .map(|r| {
            let result = results
                .iter()
                .find(|res| res.framework == r.framework)
                .ok_or_else(|| RequirementError::NotEvaluated {
                    framework: r.framework.clone(),
                    level: r.level.clone(),
                })?;
            level_met(result, &r.level)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_release() -> Release {
        Release {
            name: "t".into(),
            ..Default::default()
        }
    }

    #[test]
    fn parse_names_what_is_wrong() {
        assert!(matches!(
            Requirement::parse_embedded("mof"),
            Err(RequirementError::Syntax(_))
        ));
        assert!(matches!(
            Requirement::parse_embedded("nope:x"),
            Err(RequirementError::UnknownFramework { .. })
        ));
        assert!(matches!(
            Requirement::parse_embedded("stack:x"),
            Err(RequirementError::NoLevels { .. })
        ));
        let err = Requirement::parse_embedded("mof:class-iv").unwrap_err();
        assert!(err.to_string().contains("class-iii"), "{err}");
        assert_eq!(
            Requirement::parse_embedded("mof:class-iii").unwrap(),
            Requirement {
                framework: "mof".into(),
                level: "class-iii".into()
            }
        );
    }

    #[test]
    fn check_reports_met_and_missing() {
        let empty = empty_release();
        let req = Requirement::parse_embedded("mof:class-iii").unwrap();
        let results = evaluate_all(&empty, std::slice::from_ref(&req)).unwrap();
        let checks = check(&results, &[req]).unwrap();
        assert_eq!(checks.len(), 1);
        assert!(!checks[0].met);
        assert!(
            checks[0]
                .missing
                .iter()
                .any(|m| m.component == "weights.final"),
            "{:?}",
            checks[0].missing
        );
    }

    #[test]
    fn an_unevaluated_requirement_is_an_error_not_unmet() {
        let results = evaluate_all(&empty_release(), &[]).unwrap();
        let req = Requirement {
            framework: "opening-up-chatgpt".into(),
            level: "x".into(),
        };
        assert!(matches!(
            check(&results, &[req]),
            Err(RequirementError::NotEvaluated { .. })
        ));
        let mof = results.iter().find(|r| r.framework == "mof").unwrap();
        assert!(level_met(mof, "class-zero").is_err());
    }
}

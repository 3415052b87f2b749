//! The openness levels a bundle declares, and `--require FRAMEWORK:LEVEL` checks. Shared by
//! pack (which declares) and verify (which re-derives and compares).

use crate::classify::{ClassifyError, Evaluator, FrameworkResult, Missing};
use crate::framework::{FrameworkSet, Kind};
use crate::license::Mode;
use crate::manifest::Declaration;
use crate::release::Release;

/// The frameworks with levels that every manifest declares.
pub const DECLARED_FRAMEWORKS: &[&str] = &["mof", "osaid", "release-gradient"];

/// A parsed `FRAMEWORK:LEVEL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub framework: String,
    pub level: String,
}

/// Parse `mof:class-ii`, checking that the framework has levels and that the level exists.
pub fn parse_requirement(text: &str) -> Result<Requirement, String> {
    let (fw, level) = text
        .split_once(':')
        .ok_or_else(|| format!("\"{text}\": expected FRAMEWORK:LEVEL, e.g. mof:class-ii"))?;
    let set = FrameworkSet::embedded().map_err(|e| e.to_string())?;
    let framework = set
        .get(fw)
        .ok_or_else(|| format!("\"{text}\": unknown framework \"{fw}\""))?;
    if framework.kind != Kind::Levels {
        return Err(format!("\"{text}\": framework \"{fw}\" has no levels"));
    }
    if framework.level_index(level).is_none() {
        let known: Vec<&str> = framework.levels.iter().map(|l| l.id.as_str()).collect();
        return Err(format!(
            "\"{text}\": \"{fw}\" has no level \"{level}\" (levels: {})",
            known.join(", ")
        ));
    }
    Ok(Requirement {
        framework: fw.to_string(),
        level: level.to_string(),
    })
}

/// Evaluate the declared frameworks (and any required ones) on a release.
pub fn evaluate_all(
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

/// Whether `level` of `result` is met, and if not, what it lacks.
pub fn level_met(result: &FrameworkResult, level: &str) -> (bool, Vec<Missing>) {
    let met = result.levels.iter().any(|l| l.id == level && l.met);
    if met {
        return (true, Vec::new());
    }
    let set = match FrameworkSet::embedded() {
        Ok(s) => s,
        Err(_) => return (false, Vec::new()),
    };
    let missing = set
        .get(&result.framework)
        .and_then(|fw| {
            fw.level_index(level)
                .map(|idx| crate::classify::levels::missing(fw, idx, &result.components))
        })
        .unwrap_or_default();
    (false, missing)
}

/// Declarations for the manifest, after checking the requirements.
pub(super) fn evaluate(
    release: &Release,
    requires: &[Requirement],
) -> Result<(Vec<Declaration>, Vec<FrameworkResult>), super::PackError> {
    let results = evaluate_all(release, requires)?;
    for r in requires {
        let result = results
            .iter()
            .find(|res| res.framework == r.framework)
            .ok_or_else(|| {
                super::PackError::Requirement(format!(
                    "framework \"{}\" not evaluated",
                    r.framework
                ))
            })?;
        let (met, missing) = level_met(result, &r.level);
        if !met {
            return Err(super::PackError::LevelNotMet {
                framework: r.framework.clone(),
                level: r.level.clone(),
                missing,
            });
        }
    }
    let declarations = results
        .iter()
        .filter(|res| DECLARED_FRAMEWORKS.contains(&res.framework.as_str()))
        .map(|res| Declaration {
            framework: res.framework.clone(),
            version: res.version.clone(),
            level: res.level.clone(),
        })
        .collect();
    Ok((declarations, results))
}

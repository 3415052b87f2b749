//! One component of a release, read once per evaluation: its status, the licence that applies
//! (own or inherited) and what that licence is; then whether it meets a requirement.

use super::result::{ComponentRow, Missing, MissingReason};
use crate::framework::{LicenseNeed, Vocabulary};
use crate::license::{Licenses, Mode};
use crate::release::ContentKind;
use crate::release::{Release, Status};

pub fn row(
    release: &Release,
    id: &str,
    vocab: &Vocabulary,
    licenses: &Licenses,
    mode: Mode,
    open_refs: &[String],
) -> ComponentRow {
    let def = vocab.get(id);
    // Framework ids are validated against the vocabulary; a custom vocabulary that lacks one
    // falls back to "document", the kind with the least specific licence expectations.
    let content = def.map(|d| d.content).unwrap_or(ContentKind::Document);
    let weights = def.is_some_and(|d| d.is_weights());
    let record = release.component(id);
    let status = record.map(|c| c.status);
    let reason = record.and_then(|c| c.reason.clone());
    // Only what is available has a licence that matters.
    let available = matches!(status, Some(Status::Included | Status::Referenced));
    let resolved = if available {
        release.resolve_license(id, content, weights)
    } else {
        None
    };
    let assessment = resolved
        .map(|(text, _)| licenses.assess(text, content, mode, open_refs))
        .unwrap_or_default();
    ComponentRow {
        id: id.to_string(),
        content,
        status,
        reason,
        license: resolved.map(|(t, _)| t.to_string()),
        license_source: resolved.map(|(_, s)| s),
        spdx: assessment.license,
        open: assessment.open,
        osi: assessment.osi,
        type_appropriate: assessment.type_appropriate,
        warnings: assessment.warnings,
    }
}

/// Whether `row` meets `need` with one of `statuses`; the reason when it does not.
pub fn check(row: &ComponentRow, need: LicenseNeed, statuses: &[Status]) -> Result<(), Missing> {
    let fail = |reason| Missing {
        component: row.id.clone(),
        reason,
        license: match reason {
            MissingReason::LicenseNotOpen | MissingReason::LicenseWrongKind => row.license.clone(),
            _ => None,
        },
        alternatives: Vec::new(),
    };
    let Some(status) = row.status else {
        return Err(fail(MissingReason::Absent));
    };
    if !statuses.contains(&status) {
        return Err(fail(match status {
            Status::Withheld => MissingReason::Withheld,
            Status::NotApplicable => MissingReason::NotApplicable,
            _ => MissingReason::WrongStatus,
        }));
    }
    if !matches!(status, Status::Included | Status::Referenced) {
        // A rule that accepts withheld or not-applicable components cannot ask for a licence.
        return Ok(());
    }
    let has_license = row.spdx.is_some();
    match need {
        LicenseNeed::Any => Ok(()),
        _ if !has_license => Err(fail(MissingReason::NoLicense)),
        LicenseNeed::Licensed => Ok(()),
        LicenseNeed::Open if row.open => Ok(()),
        LicenseNeed::Open => Err(fail(MissingReason::LicenseNotOpen)),
        LicenseNeed::Osi if row.osi => Ok(()),
        LicenseNeed::Osi if row.open => Err(fail(MissingReason::LicenseWrongKind)),
        LicenseNeed::Osi => Err(fail(MissingReason::LicenseNotOpen)),
    }
}

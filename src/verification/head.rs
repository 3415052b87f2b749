//! The check of a bundle's head that verify and unpack share.

use super::{DeclarationCheck, FingerprintCheck, Signer, Verification, VerifyError, VerifyOptions};
use crate::bundle::{self, FileEntries, VerifySummary};
use crate::classify::requirements::{self, RequirementCheck};
use crate::classify::{FrameworkResult, Missing};
use crate::manifest::Manifest;
use crate::release::ExpectedFile;
use crate::signature::{self, Verified};
use std::path::Path;

/// What the checked head establishes: signature by a trusted key, manifest parsed,
/// declarations re-derived, requirements met. The entries are still to be streamed.
pub struct CheckedHead {
    signer: Verified,
    /// The manifest, parsed after its signature checked.
    pub(crate) manifest: Manifest,
    declarations: Vec<DeclarationCheck>,
    requirements: Vec<RequirementCheck>,
    results: Vec<FrameworkResult>,
}

/// Reads the bundle's head and checks it: signed by a trusted key, manifest well-formed,
/// declarations re-derived, requirements met. Returns the entries still to be streamed.
pub fn check_head(
    bundle: &Path,
    opts: &VerifyOptions,
) -> Result<(FileEntries, CheckedHead), VerifyError> {
    let at = || bundle.to_path_buf();
    let (head, entries) = bundle::read_head(bundle).map_err(|source| VerifyError::Read {
        bundle: at(),
        source,
    })?;
    // The signature is checked before the manifest is parsed: nothing unsigned is interpreted.
    let signer =
        signature::verify_manifest(&head.manifest, &head.signature, opts.trust.keys(), opts.now)
            .map_err(|source| VerifyError::Signature {
                bundle: at(),
                source,
            })?;
    let manifest =
        Manifest::from_bytes(&head.manifest).map_err(|source| VerifyError::Manifest {
            bundle: at(),
            source,
        })?;
    let results = requirements::evaluate_all(&manifest.release(), opts.requires)?;
    let declarations = check_declarations(bundle, &manifest, &results)?;
    let requirements = requirements::check(&results, opts.requires)?;
    if let Some(unmet) = requirements.iter().find(|r| !r.met) {
        return Err(VerifyError::LevelNotMet {
            bundle: at(),
            framework: unmet.framework.clone(),
            level: unmet.level.clone(),
            missing: unmet.missing.clone(),
        });
    }
    Ok((
        entries,
        CheckedHead {
            signer,
            manifest,
            declarations,
            requirements,
            results,
        },
    ))
}

/// Every declared level must be met by the release the manifest describes, whose files the
/// stream then proves present (a declaration is never taken on trust).
fn check_declarations(
    bundle: &Path,
    manifest: &Manifest,
    results: &[FrameworkResult],
) -> Result<Vec<DeclarationCheck>, VerifyError> {
    let mut out = Vec::new();
    for d in &manifest.declarations {
        let fail =
            |derived: String, missing: Vec<Missing>, declared: String| VerifyError::Declaration {
                bundle: bundle.to_path_buf(),
                framework: d.framework.clone(),
                declared,
                derived,
                missing,
            };
        let Some(result) = results
            .iter()
            .find(|r| r.framework == d.framework && r.version == d.version)
        else {
            return Err(fail(
                "cannot be evaluated: this openseal does not know that framework version".into(),
                Vec::new(),
                format!("version {}", d.version),
            ));
        };
        if let Some(level) = &d.level {
            // A level this openseal's definition does not have cannot be supported.
            let check = requirements::level_met(result, level).ok();
            if !check.as_ref().is_some_and(|c| c.met) {
                let derived = result.level.clone().unwrap_or_else(|| "no level".into());
                let missing = check.map(|c| c.missing).unwrap_or_default();
                return Err(fail(format!("support {derived}"), missing, level.clone()));
            }
        }
        out.push(DeclarationCheck {
            framework: d.framework.clone(),
            version: d.version.clone(),
            declared: d.level.clone(),
            derived: result.level.clone(),
        });
    }
    Ok(out)
}

/// The verification of a bundle whose head checked and whose entries streamed as `summary`.
pub fn verification(bundle: &Path, head: CheckedHead, summary: VerifySummary) -> Verification {
    Verification {
        bundle: bundle.to_path_buf(),
        signer: Signer {
            key_id: head.signer.key_id,
            name: head.signer.name,
            origin: head.signer.origin,
        },
        release: head.manifest.release.clone(),
        files: summary.files,
        bytes: summary.bytes,
        declarations: head.declarations,
        requirements: head.requirements,
        fingerprint: if head.manifest.fingerprint.is_some() {
            FingerprintCheck::CheckedOnUnpack
        } else {
            FingerprintCheck::NotRecorded
        },
        manifest: head.manifest,
        results: head.results,
    }
}

/// The files the manifest declares, as the bundle reader checks them.
pub fn expected(bundle: &Path, manifest: &Manifest) -> Result<Vec<ExpectedFile>, VerifyError> {
    manifest.expected().map_err(|source| VerifyError::Manifest {
        bundle: bundle.to_path_buf(),
        source,
    })
}

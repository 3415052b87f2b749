//! `verify` and `unpack`: a bundle checked in one streaming pass — signed by a trusted key,
//! manifest well-formed, every entry's path, type, size and digest as the manifest says, nothing
//! missing or extra, and each declared openness level re-derived from the contents. `unpack`
//! does the same while extracting, all or nothing.

use crate::bundle::{self, BundleEntries, BundleReader, EntrySink, ReadError, UnpackError};
use crate::classify::{FrameworkResult, Missing};
use crate::manifest::{Manifest, ManifestError};
use crate::pack::{self, Requirement};
use crate::signature::{self, Verified};
use crate::trust::{TrustError, TrustStore};
use serde::Serialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

mod stream_fingerprint;
use stream_fingerprint::FingerprintSink;

/// Why a bundle did not verify. [`VerifyError::is_check_failure`] tells a failed check (exit 1)
/// from input that could not be read at all (exit 2).
#[derive(Debug, Error)]
pub enum VerifyError {
    #[error(transparent)]
    Trust(#[from] TrustError),
    #[error("{}", read_message(bundle, source))]
    Read { bundle: PathBuf, source: ReadError },
    #[error("{}: signature: {source}", bundle.display())]
    Signature {
        bundle: PathBuf,
        source: signature::VerifyError,
    },
    #[error("{}: {source}", bundle.display())]
    Manifest {
        bundle: PathBuf,
        source: ManifestError,
    },
    #[error("{}: declares {framework} {declared} but its contents {derived}{}", bundle.display(), missing_list(missing))]
    Declaration {
        bundle: PathBuf,
        framework: String,
        declared: String,
        derived: String,
        missing: Vec<Missing>,
    },
    #[error("{}: does not meet {framework}:{level}{}", bundle.display(), missing_list(missing))]
    LevelNotMet {
        bundle: PathBuf,
        framework: String,
        level: String,
        missing: Vec<Missing>,
    },
    #[error("{}: {source}", bundle.display())]
    Unpack {
        bundle: PathBuf,
        source: UnpackError,
    },
    #[error("{}: the final weights' fingerprint is {found}, but the manifest records {recorded}", bundle.display())]
    Fingerprint {
        bundle: PathBuf,
        recorded: String,
        found: String,
    },
    #[error(transparent)]
    Classify(#[from] crate::classify::ClassifyError),
}

/// What verification established about the weights fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "value", rename_all = "kebab-case")]
pub enum FingerprintCheck {
    /// Re-derived from the streamed weights and equal to the recorded one.
    Verified(String),
    /// The manifest records none (no final weights openseal can read).
    NotRecorded,
    /// The weights need random access (not safetensors): `unpack` re-derives it.
    CheckedOnUnpack,
    /// `unpack --only` did not extract the final weights.
    NotExtracted,
}

/// Reader errors that already name the bundle (opening it) are not prefixed twice.
fn read_message(bundle: &Path, source: &ReadError) -> String {
    match source {
        ReadError::Open { .. } => source.to_string(),
        _ => format!("{}: {source}", bundle.display()),
    }
}

fn missing_list(missing: &[Missing]) -> String {
    if missing.is_empty() {
        return String::new();
    }
    let items: Vec<String> = missing
        .iter()
        .map(|m| format!("{} ({})", m.component, m.reason))
        .collect();
    format!("; missing: {}", items.join(", "))
}

impl VerifyError {
    /// True when the bundle was read and a check failed; false when input could not be read
    /// (a missing bundle or trust store, a folder in the way).
    pub fn is_check_failure(&self) -> bool {
        match self {
            VerifyError::Trust(_) | VerifyError::Classify(_) => false,
            VerifyError::Read { source, .. } => !matches!(source, ReadError::Open { .. }),
            VerifyError::Unpack { source, .. } => match source {
                UnpackError::Read(ReadError::Open { .. }) => false,
                UnpackError::Read(_) => true,
                UnpackError::Check(_) => true,
                UnpackError::TargetExists { .. }
                | UnpackError::NoParent { .. }
                | UnpackError::Io { .. } => false,
            },
            _ => true,
        }
    }

    /// A stable kebab-case name of the failure for `--json`.
    pub fn kind(&self) -> &'static str {
        match self {
            VerifyError::Trust(_) => "trust-store",
            VerifyError::Read { source, .. } => source.kind(),
            VerifyError::Signature { .. } => "signature",
            VerifyError::Manifest { .. } => "manifest",
            VerifyError::Declaration { .. } => "declaration",
            VerifyError::LevelNotMet { .. } => "level-not-met",
            VerifyError::Unpack { source, .. } => match source {
                UnpackError::Read(r) => r.kind(),
                UnpackError::TargetExists { .. } => "target-exists",
                UnpackError::NoParent { .. } => "target-parent-missing",
                UnpackError::Check(_) => "fingerprint",
                UnpackError::Io { .. } => "io",
            },
            VerifyError::Fingerprint { .. } => "fingerprint",
            VerifyError::Classify(_) => "classify",
        }
    }
}

/// One declared level, checked against the contents.
#[derive(Debug, Clone, Serialize)]
pub struct DeclarationCheck {
    pub framework: String,
    pub version: String,
    pub declared: Option<String>,
    /// The level the contents support.
    pub derived: Option<String>,
}

/// What a successful verification established.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub bundle: PathBuf,
    pub signer: Signer,
    pub release: crate::manifest::Identity,
    pub files: u64,
    pub bytes: u64,
    pub declarations: Vec<DeclarationCheck>,
    pub requirements: Vec<RequirementCheck>,
    pub fingerprint: FingerprintCheck,
    #[serde(skip)]
    pub manifest: Manifest,
    #[serde(skip)]
    pub results: Vec<FrameworkResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signer {
    pub key_id: String,
    pub name: Option<String>,
    pub origin: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementCheck {
    pub framework: String,
    pub level: String,
    pub met: bool,
}

pub struct VerifyOptions<'a> {
    pub trust: &'a TrustStore,
    pub requires: &'a [Requirement],
    /// Unix time at which key expiry is judged.
    pub now: i64,
}

/// What the checked head establishes: signature by a trusted key, manifest parsed,
/// declarations re-derived, requirements met. The entries are still to be streamed.
struct Head {
    signer: Verified,
    manifest: Manifest,
    declarations: Vec<DeclarationCheck>,
    requirements: Vec<RequirementCheck>,
    results: Vec<FrameworkResult>,
}

type Entries = BundleEntries<std::io::BufReader<std::fs::File>>;

fn check_head(bundle: &Path, opts: &VerifyOptions) -> Result<(Entries, Head), VerifyError> {
    let at = bundle.to_path_buf();
    let (head, entries) = BundleReader::open(bundle)
        .and_then(|r| r.read_head())
        .map_err(|source| VerifyError::Read {
            bundle: at.clone(),
            source,
        })?;
    let signer =
        signature::verify_manifest(&head.manifest, &head.signature, opts.trust.keys(), opts.now)
            .map_err(|source| VerifyError::Signature {
                bundle: at.clone(),
                source,
            })?;
    let manifest =
        Manifest::from_bytes(&head.manifest).map_err(|source| VerifyError::Manifest {
            bundle: at.clone(),
            source,
        })?;
    let results = pack::declare::evaluate_all(&manifest.release(), opts.requires)?;
    let declarations = check_declarations(bundle, &manifest, &results)?;
    let mut requirements = Vec::new();
    for r in opts.requires {
        let result = results.iter().find(|res| res.framework == r.framework);
        let (met, missing) = result.map_or((false, Vec::new()), |res| {
            pack::declare::level_met(res, &r.level)
        });
        if !met {
            return Err(VerifyError::LevelNotMet {
                bundle: at,
                framework: r.framework.clone(),
                level: r.level.clone(),
                missing,
            });
        }
        requirements.push(RequirementCheck {
            framework: r.framework.clone(),
            level: r.level.clone(),
            met,
        });
    }
    Ok((
        entries,
        Head {
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
            let (met, missing) = pack::declare::level_met(result, level);
            if !met {
                let derived = result.level.clone().unwrap_or_else(|| "no level".into());
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

fn verification(bundle: &Path, head: Head, summary: bundle::VerifySummary) -> Verification {
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

fn expected(bundle: &Path, manifest: &Manifest) -> Result<Vec<bundle::ExpectedFile>, VerifyError> {
    manifest.expected().map_err(|source| VerifyError::Manifest {
        bundle: bundle.to_path_buf(),
        source,
    })
}

/// Verify a bundle without extracting anything. `sink` sees every entry's bytes (a progress
/// bar counts them; [`bundle::Discard`] drops them).
pub fn verify(
    bundle: &Path,
    opts: &VerifyOptions,
    sink: &mut dyn EntrySink,
) -> Result<Verification, VerifyError> {
    let (entries, head) = check_head(bundle, opts)?;
    let expected = expected(bundle, &head.manifest)?;
    let finals = head.manifest.final_weights_files();
    let mut fingerprint = FingerprintSink::new(sink, &finals);
    let summary = entries
        .verify(&expected, &mut fingerprint)
        .map_err(|source| VerifyError::Read {
            bundle: bundle.to_path_buf(),
            source,
        })?;
    let streamed = fingerprint.root();
    let mut v = verification(bundle, head, summary);
    v.fingerprint = match (&v.manifest.fingerprint, streamed) {
        (None, _) => FingerprintCheck::NotRecorded,
        (Some(recorded), Some(found)) if *recorded == found => FingerprintCheck::Verified(found),
        (Some(recorded), Some(found)) => {
            return Err(VerifyError::Fingerprint {
                bundle: bundle.to_path_buf(),
                recorded: recorded.clone(),
                found,
            });
        }
        // Weights in formats that need random access: `unpack` re-derives it.
        (Some(_), None) => FingerprintCheck::CheckedOnUnpack,
    };
    Ok(v)
}

/// Which parts of a release `unpack --only` extracts. Licence texts always come along.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Weights,
    Code,
    Data,
    Docs,
}

impl Part {
    fn prefix(self) -> &'static str {
        match self {
            Part::Weights => "weights.",
            Part::Code => "code.",
            Part::Data => "datasets.",
            Part::Docs => "docs.",
        }
    }
}

/// Verify while extracting into `target` (which must not exist): everything is written to a
/// temporary folder beside it, renamed into place only when every check passed.
pub fn unpack(
    bundle: &Path,
    target: &Path,
    opts: &VerifyOptions,
    only: &[Part],
) -> Result<Verification, VerifyError> {
    let (entries, head) = check_head(bundle, opts)?;
    let expected = expected(bundle, &head.manifest)?;
    let selected: std::collections::HashSet<String> = head
        .manifest
        .files
        .iter()
        .filter(|f| {
            only.is_empty()
                || f.role.as_deref() == Some("license-text")
                || f.components
                    .iter()
                    .any(|c| only.iter().any(|p| c.starts_with(p.prefix())))
        })
        .map(|f| f.path.clone())
        .collect();
    let filter = |path: &str| selected.contains(path);
    // The recorded fingerprint is re-derived from the extracted final weights, when they are
    // all extracted.
    let final_files: Vec<&str> = head.manifest.final_weights_files();
    let recorded = head.manifest.fingerprint.clone();
    let check = |tree: &Path| -> Result<(), String> {
        let (Some(recorded), false) = (&recorded, final_files.is_empty()) else {
            return Ok(());
        };
        if !final_files.iter().all(|f| selected.contains(*f)) {
            return Ok(());
        }
        let paths: Vec<PathBuf> = final_files.iter().map(|f| tree.join(f)).collect();
        match pack::fingerprint_of(&paths)? {
            Some(found) if &found == recorded => Ok(()),
            found => Err(format!(
                "the final weights' fingerprint is {}, but the manifest records {recorded}",
                found.unwrap_or_else(|| "missing".into())
            )),
        }
    };
    let summary =
        bundle::unpack_into(entries, target, &expected, &filter, &check).map_err(|source| {
            VerifyError::Unpack {
                bundle: bundle.to_path_buf(),
                source,
            }
        })?;
    let all_weights = !final_files.is_empty() && final_files.iter().all(|f| selected.contains(*f));
    let mut v = verification(bundle, head, summary);
    v.fingerprint = match (&v.manifest.fingerprint, all_weights) {
        (None, _) => FingerprintCheck::NotRecorded,
        (Some(f), true) => FingerprintCheck::Verified(f.clone()),
        (Some(_), false) => FingerprintCheck::NotExtracted,
    };
    Ok(v)
}

//! What verifying a bundle establishes, and the check of its head that verify and unpack share:
//! signed by a trusted key, manifest well-formed, each declared openness level re-derived from
//! the contents, required levels met. The orchestrators (`verify`, `unpack`) then stream the
//! entries; `report` shows a [`Verification`] the binary made.

mod head;

pub(crate) use head::{check_head, expected, verification};

use crate::bundle::{ReadError, UnpackError};
use crate::classify::requirements::{RequirementCheck, RequirementError};
use crate::classify::{FrameworkResult, Missing};
use crate::manifest::{Manifest, ManifestError};
use crate::signature;
use crate::trust::{TrustError, TrustStore};
use serde::Serialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub(crate) use crate::classify::requirements::Requirement;

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
    #[error(transparent)]
    Requirement(#[from] RequirementError),
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
            VerifyError::Trust(_) | VerifyError::Classify(_) | VerifyError::Requirement(_) => false,
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
            VerifyError::Requirement(_) => "requirement",
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
    pub(crate) bundle: PathBuf,
    pub signer: Signer,
    pub release: crate::manifest::Identity,
    pub files: u64,
    pub bytes: u64,
    pub declarations: Vec<DeclarationCheck>,
    pub requirements: Vec<RequirementCheck>,
    pub fingerprint: FingerprintCheck,
    #[serde(skip)]
    pub(crate) manifest: Manifest,
    #[serde(skip)]
    pub results: Vec<FrameworkResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signer {
    pub key_id: String,
    pub name: Option<String>,
    pub origin: String,
}

/// What to trust and what to require.
pub struct VerifyOptions<'a> {
    pub trust: &'a TrustStore,
    pub requires: &'a [Requirement],
    /// Unix time at which key expiry is judged.
    pub now: i64,
}

//! What verifying a bundle establishes, and the check of its head that verify and unpack share:
//! signed by a trusted key, manifest well-formed, each declared openness level re-derived from
//! the contents, required levels met. The orchestrators (`verify`, `unpack`) then stream the
//! entries; `report` shows a [`Verification`] the binary made.

mod head;
mod output;

pub(crate) use head::{CheckedHead, check_head, expected, verification};
pub use output::{SCHEMA as OUTPUT_SCHEMA, VerifyOutput};

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
    /// The trust store could not be loaded.
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// The bundle could not be opened, or its head or entries were rejected.
    #[error("{}", read_message(bundle, source))]
    Read {
        /// The bundle.
        bundle: PathBuf,
        /// Why.
        source: ReadError,
    },
    /// The manifest's signature was not accepted.
    #[error("{}: signature: {source}", bundle.display())]
    Signature {
        /// The bundle.
        bundle: PathBuf,
        /// Why.
        source: signature::VerifyError,
    },
    /// The (signed) manifest is not a valid manifest.
    #[error("{}: {source}", bundle.display())]
    Manifest {
        /// The bundle.
        bundle: PathBuf,
        /// Why.
        source: ManifestError,
    },
    /// A declared level that the contents do not support, or a declaration whose framework
    /// version this openseal does not know.
    #[error("{}: declares {framework} {declared} but its contents {derived}{}", bundle.display(), missing_list(missing))]
    Declaration {
        /// The bundle.
        bundle: PathBuf,
        /// The framework's id.
        framework: String,
        /// The level declared (or `version V` when the framework version is unknown).
        declared: String,
        /// What the contents support, as a phrase (`support class-iii`, `support no level`), or
        /// why the declaration cannot be evaluated.
        derived: String,
        /// What the contents lack for the declared level.
        missing: Vec<Missing>,
    },
    /// A level required by the verifier that the contents do not meet.
    #[error("{}: does not meet {framework}:{level}{}", bundle.display(), missing_list(missing))]
    LevelNotMet {
        /// The bundle.
        bundle: PathBuf,
        /// The framework's id.
        framework: String,
        /// The level required.
        level: String,
        /// What the contents lack for it.
        missing: Vec<Missing>,
    },
    /// Unpacking failed (the bundle's entries, the target folder, or the fingerprint check).
    #[error("{}: {source}", bundle.display())]
    Unpack {
        /// The bundle.
        bundle: PathBuf,
        /// Why.
        source: UnpackError,
    },
    /// The final weights do not have the fingerprint the manifest records.
    #[error("{}: the final weights' fingerprint is {found}, but the manifest records {recorded}", bundle.display())]
    Fingerprint {
        /// The bundle.
        bundle: PathBuf,
        /// The fingerprint in the manifest (`sha256:<hex>`).
        recorded: String,
        /// The fingerprint of the weights in the bundle.
        found: String,
    },
    /// The embedded frameworks or licence data could not be loaded.
    #[error(transparent)]
    Classify(#[from] crate::classify::ClassifyError),
    /// A required level was not among the evaluation's results.
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
    /// The framework's id.
    pub framework: String,
    /// The framework definition's version.
    pub version: String,
    /// The level declared; `None` when the manifest declares that no level is met.
    pub declared: Option<String>,
    /// The level the contents support.
    pub derived: Option<String>,
}

/// What a successful verification established.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub(crate) bundle: PathBuf,
    /// Who signed the manifest.
    pub signer: Signer,
    /// Which release the bundle holds.
    pub release: crate::manifest::Identity,
    /// Files checked against the manifest (manifest and signature not counted).
    pub files: u64,
    /// Bytes of those files.
    pub bytes: u64,
    /// Each declared level, re-derived from the contents.
    pub declarations: Vec<DeclarationCheck>,
    /// Each level the verifier required, in the order given.
    pub requirements: Vec<RequirementCheck>,
    /// What became of the weights fingerprint.
    pub fingerprint: FingerprintCheck,
    #[serde(skip)]
    pub(crate) manifest: Manifest,
    /// The evaluation of each framework behind the declarations and requirements.
    #[serde(skip)]
    pub results: Vec<FrameworkResult>,
}

/// The trusted key that signed a manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Signer {
    /// Its key id (lowercase hex SHA-256 of the raw public key).
    pub key_id: String,
    /// The name the trust store gives it, if any.
    pub name: Option<String>,
    /// Where the trust store got it (`file` or `file:line`).
    pub origin: String,
}

/// What to trust and what to require.
pub struct VerifyOptions<'a> {
    /// The keys whose signatures are accepted.
    pub trust: &'a TrustStore,
    /// Levels the bundle must meet (`mof:class-ii`); verification fails otherwise.
    pub requires: &'a [Requirement],
    /// Unix time at which key expiry is judged.
    pub now: i64,
}

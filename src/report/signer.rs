//! Who signed a bundle, and whether that was checked.

use super::SignerCheck;
use crate::signature::MANIFEST_PAYLOAD_TYPE;
use crate::signature::dsse::open_envelope;

/// What the report can say about who signed the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerStatus {
    /// A release folder: nothing is signed until it is packed.
    Unsigned,
    /// A bare manifest: its signature lives in the bundle.
    ManifestOnly,
    /// A bundle read without `--trust`: the key ids named in its envelope.
    NotChecked {
        /// The key ids the envelope's signatures name, unchecked.
        key_ids: Vec<String>,
    },
    /// The whole bundle verified against the trust store.
    Verified {
        /// The signing key's id.
        key_id: String,
        /// Its name in the trust store, if any.
        name: Option<String>,
    },
    /// Verification against the trust store failed.
    Failed {
        /// The key ids the envelope's signatures name.
        key_ids: Vec<String>,
        /// Why verification failed.
        error: String,
    },
}

impl SignerStatus {
    /// A short label: `signature verified`, `signature not checked`, ...
    pub fn label(&self) -> &'static str {
        match self {
            SignerStatus::Unsigned => "not signed (release folder)",
            SignerStatus::ManifestOnly => "not signed (bare manifest)",
            SignerStatus::NotChecked { .. } => "signature not checked",
            SignerStatus::Verified { .. } => "signature verified",
            SignerStatus::Failed { .. } => "verification failed",
        }
    }

    /// A CSS class for the status (the label says the same in words).
    pub(crate) fn class(&self) -> &'static str {
        match self {
            SignerStatus::Verified { .. } => "sig-ok",
            SignerStatus::Failed { .. } => "sig-bad",
            _ => "sig-none",
        }
    }

    /// The key ids to show.
    pub fn key_ids(&self) -> Vec<&str> {
        match self {
            SignerStatus::Verified { key_id, .. } => vec![key_id.as_str()],
            SignerStatus::NotChecked { key_ids } | SignerStatus::Failed { key_ids, .. } => {
                key_ids.iter().map(String::as_str).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Key ids named in the envelope (DSSE lets them be empty; those are left out).
fn envelope_key_ids(signature: &[u8]) -> Vec<String> {
    match open_envelope(signature, MANIFEST_PAYLOAD_TYPE) {
        Ok((env, _)) => env
            .signatures
            .into_iter()
            .map(|s| s.keyid)
            .filter(|k| !k.is_empty())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The signer status of a bundle, given what verification found; `signature` (the envelope as
/// stored) names the key ids when the signer was not verified.
pub fn judge(signature: Option<&[u8]>, check: &SignerCheck) -> SignerStatus {
    let key_ids = || signature.map(envelope_key_ids).unwrap_or_default();
    match check {
        SignerCheck::NotChecked => SignerStatus::NotChecked { key_ids: key_ids() },
        SignerCheck::Verified(v) => SignerStatus::Verified {
            key_id: v.signer.key_id.clone(),
            name: v.signer.name.clone(),
        },
        SignerCheck::Failed(error) => SignerStatus::Failed {
            key_ids: key_ids(),
            error: error.to_string(),
        },
    }
}

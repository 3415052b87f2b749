//! DSSE envelopes (Dead Simple Signing Envelope, v1): the signature format of in-toto and
//! Sigstore, so other tools can read `.openseal/manifest.sig`.
//!
//! ```json
//! {"payloadType": "application/vnd.openseal.manifest+json",
//!  "payload": "<base64 of the manifest bytes>",
//!  "signatures": [{"keyid": "<key id>", "sig": "<base64 signature over PAE(type, payload)>"}]}
//! ```
//!
//! The signature is Ed25519 (64 bytes) or DER ECDSA, by the kind of key.
//!
//! The signature covers the pre-authentication encoding (PAE) of the payload type and the raw
//! payload bytes, never the JSON around them, so the envelope's layout does not matter.

use base64::Engine;
use base64::engine::general_purpose::{
    STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT,
};
use serde::{Deserialize, Serialize};

use super::algorithm::SigningKey;
use super::keys::key_id;
use super::trusted::{Date, TrustedKey};

/// The DSSE payload type of an openseal manifest.
pub const MANIFEST_PAYLOAD_TYPE: &str = "application/vnd.openseal.manifest+json";

/// A DSSE envelope as stored (base64 fields still encoded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    pub payload: String,
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    /// A hint naming the key; DSSE allows it to be empty or absent.
    #[serde(default)]
    pub keyid: String,
    pub sig: String,
}

/// Who signed a verified manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub(crate) key_id: String,
    pub(crate) name: Option<String>,
    /// Where the trusted key came from (`file` or `file:line`).
    pub(crate) origin: String,
}

impl Verified {
    /// The signing key's id.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The trusted key's name, when the trust store gives one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Where the trusted key came from (`file` or `file:line`).
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// Why a manifest's signature was not accepted. `key` fields name a trusted key as
/// `name (key id)`, or by its key id when it has no name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The signature entry is not a well-formed DSSE envelope (JSON, base64 fields); why.
    #[error("manifest.sig is not a DSSE envelope: {0}")]
    Envelope(String),
    /// The envelope's payload type is not `application/vnd.openseal.manifest+json`.
    #[error("manifest.sig has payload type {found:?}, expected {MANIFEST_PAYLOAD_TYPE:?}")]
    PayloadType {
        /// The payload type found.
        found: String,
    },
    /// The envelope's payload is not the manifest entry's bytes.
    #[error("manifest.sig signs different bytes than .openseal/manifest.json")]
    PayloadMismatch,
    /// The envelope's signature list is empty.
    #[error("manifest.sig holds no signature")]
    NoSignatures,
    /// No signature is by a trusted key.
    #[error("no signature by a trusted key (signed by key id(s): {})", keyids.join(", "))]
    Untrusted {
        /// The key ids the signatures name (lowercase hex SHA-256 of the raw public key).
        keyids: Vec<String>,
    },
    /// A signature names a trusted key but does not verify with it.
    #[error(
        "the signature by trusted key {key} does not verify: the manifest or signature was altered"
    )]
    BadSignature {
        /// The trusted key.
        key: String,
    },
    /// The signature verifies, but the trust store marks its key revoked.
    #[error("signed by key {key}, which is revoked{}", reason_suffix(reason))]
    Revoked {
        /// The trusted key.
        key: String,
        /// The trust file's `revoked_reason`; empty when none is given.
        reason: String,
    },
    /// The signature verifies, but its key's `not_after` date has passed.
    #[error("signed by key {key}, which expired after {not_after}")]
    Expired {
        /// The trusted key.
        key: String,
        /// The last day (UTC) the key was valid.
        not_after: Date,
    },
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}

/// The DSSE v1 pre-authentication encoding:
/// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII decimal byte counts.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + payload_type.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// Signs `payload` with every key in `keys` and returns the envelope.
pub fn sign_envelope(payload_type: &str, payload: &[u8], keys: &[&SigningKey]) -> Envelope {
    let message = pae(payload_type, payload);
    Envelope {
        payload_type: payload_type.to_string(),
        payload: STANDARD.encode(payload),
        signatures: keys
            .iter()
            .map(|k| EnvelopeSignature {
                keyid: key_id(&k.verifying_key()),
                sig: STANDARD.encode(k.sign(&message)),
            })
            .collect(),
    }
}

/// Signs manifest bytes: the contents of `.openseal/manifest.sig` (compact JSON, one line).
pub fn sign_manifest(manifest: &[u8], key: &SigningKey) -> Vec<u8> {
    let envelope = sign_envelope(MANIFEST_PAYLOAD_TYPE, manifest, &[key]);
    let mut out = serde_json::to_vec(&envelope).unwrap_or_default();
    out.push(b'\n');
    out
}

/// DSSE says verifiers accept standard and URL-safe base64, padded or not.
fn decode_b64(s: &str) -> Option<Vec<u8>> {
    STANDARD_PAD_INDIFFERENT
        .decode(s)
        .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(s))
        .ok()
}

/// Parses an envelope and checks its payload type; returns it with the decoded payload.
pub fn open_envelope(bytes: &[u8], payload_type: &str) -> Result<(Envelope, Vec<u8>), VerifyError> {
    let envelope: Envelope =
        serde_json::from_slice(bytes).map_err(|e| VerifyError::Envelope(e.to_string()))?;
    if envelope.payload_type != payload_type {
        return Err(VerifyError::PayloadType {
            found: envelope.payload_type.chars().take(200).collect(),
        });
    }
    let payload = decode_b64(&envelope.payload)
        .ok_or_else(|| VerifyError::Envelope("payload is not base64".into()))?;
    Ok((envelope, payload))
}

/// Verifies the envelope's signatures over `payload` against `trusted` at `now_unix`.
///
/// Succeeds on the first signature by a trusted, unrevoked, unexpired key. Otherwise the most
/// telling failure wins: a revoked key, then an expired one, then a signature that does not
/// verify, then "no trusted key signed".
pub fn verify_signatures(
    envelope: &Envelope,
    payload: &[u8],
    trusted: &[TrustedKey],
    now_unix: i64,
) -> Result<Verified, VerifyError> {
    if envelope.signatures.is_empty() {
        return Err(VerifyError::NoSignatures);
    }
    let message = pae(&envelope.payload_type, payload);
    let mut revoked = None;
    let mut expired = None;
    let mut bad = None;
    for s in &envelope.signatures {
        let Some(sig) = decode_b64(&s.sig) else {
            return Err(VerifyError::Envelope(format!(
                "signature for key id {:?} is not base64",
                s.keyid.chars().take(80).collect::<String>()
            )));
        };
        // The key id is a hint: try the keys it names, or every key when it names none.
        let named: Vec<&TrustedKey> = trusted.iter().filter(|k| k.id == s.keyid).collect();
        let candidates: Vec<&TrustedKey> = if named.is_empty() {
            trusted.iter().collect()
        } else {
            named.clone()
        };
        let mut verified_by = None;
        for k in candidates {
            if k.key.verifies(&message, &sig) {
                verified_by = Some(k);
                break;
            }
        }
        match verified_by {
            Some(k) if k.revoked.is_some() => {
                revoked.get_or_insert(VerifyError::Revoked {
                    key: k.label(),
                    reason: k.revoked.clone().unwrap_or_default(),
                });
            }
            Some(k) if k.expired_at(now_unix) => {
                expired.get_or_insert(VerifyError::Expired {
                    key: k.label(),
                    not_after: k.not_after.unwrap_or(Date {
                        year: 1970,
                        month: 1,
                        day: 1,
                    }),
                });
            }
            Some(k) => {
                return Ok(Verified {
                    key_id: k.id.clone(),
                    name: k.name.clone(),
                    origin: k.origin.clone(),
                });
            }
            None => {
                if let Some(k) = named.first() {
                    bad.get_or_insert(VerifyError::BadSignature { key: k.label() });
                }
            }
        }
    }
    Err(revoked
        .or(expired)
        .or(bad)
        .unwrap_or_else(|| VerifyError::Untrusted {
            keyids: envelope
                .signatures
                .iter()
                .map(|s| {
                    if s.keyid.is_empty() {
                        "(none)".to_string()
                    } else {
                        s.keyid.chars().take(80).collect()
                    }
                })
                .collect(),
        }))
}

/// Verifies `.openseal/manifest.sig` (`envelope`) against `.openseal/manifest.json` (`manifest`):
/// the envelope must carry exactly the manifest's bytes, signed by a key in `trusted` that is
/// neither revoked nor expired at `now_unix`.
pub fn verify_manifest(
    manifest: &[u8],
    envelope: &[u8],
    trusted: &[TrustedKey],
    now_unix: i64,
) -> Result<Verified, VerifyError> {
    let (env, payload) = open_envelope(envelope, MANIFEST_PAYLOAD_TYPE)?;
    if payload != manifest {
        return Err(VerifyError::PayloadMismatch);
    }
    verify_signatures(&env, &payload, trusted, now_unix)
}

#[cfg(test)]
#[path = "dsse_tests.rs"]
mod tests;

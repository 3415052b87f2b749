//! DSSE envelopes (Dead Simple Signing Envelope, v1): the signature format of in-toto and
//! Sigstore, so other tools can read `.openseal/manifest.sig`.
//!
//! ```json
//! {"payloadType": "application/vnd.openseal.manifest+json",
//!  "payload": "<base64 of the manifest bytes>",
//!  "signatures": [{"keyid": "<key id>", "sig": "<base64 Ed25519 over PAE(type, payload)>"}]}
//! ```
//!
//! The signature covers the pre-authentication encoding (PAE) of the payload type and the raw
//! payload bytes, never the JSON around them, so the envelope's layout does not matter.

use base64::Engine;
use base64::engine::general_purpose::{
    STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT,
};
use ed25519_dalek::{Signature, Signer, SigningKey};
use serde::{Deserialize, Serialize};

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
                sig: STANDARD.encode(k.sign(&message).to_bytes()),
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
        let Some(sig) = decode_b64(&s.sig)
            .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
            .map(|b| Signature::from_bytes(&b))
        else {
            return Err(VerifyError::Envelope(format!(
                "signature for key id {:?} is not 64 base64-encoded bytes",
                s.keyid
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
            // verify_strict rejects weak keys and non-canonical signatures (malleability).
            if k.key.verify_strict(&message, &sig).is_ok() {
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
mod tests {
    use super::*;
    use crate::signature::{demo_signing_key, generate_signing_key};

    const NOW: i64 = 1_800_000_000; // 2027-01-15

    fn trust(keys: &[&SigningKey]) -> Vec<TrustedKey> {
        keys.iter()
            .map(|k| TrustedKey::new(k.verifying_key(), "test"))
            .collect()
    }

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // The test vector from the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
        // Lengths count bytes, not characters.
        assert_eq!(pae("é", b"\xff"), b"DSSEv1 2 \xc3\xa9 1 \xff".to_vec());
    }

    #[test]
    fn sign_then_verify() {
        let key = generate_signing_key().unwrap();
        let manifest = br#"{"schema":"openseal.manifest/v1"}"#;
        let sig = sign_manifest(manifest, &key);
        let v = verify_manifest(manifest, &sig, &trust(&[&key]), NOW).unwrap();
        assert_eq!(v.key_id, key_id(&key.verifying_key()));

        // The envelope is plain DSSE JSON.
        let env: serde_json::Value = serde_json::from_slice(&sig).unwrap();
        assert_eq!(env["payloadType"], MANIFEST_PAYLOAD_TYPE);
        assert_eq!(
            STANDARD.decode(env["payload"].as_str().unwrap()).unwrap(),
            manifest
        );
        let raw_sig = STANDARD
            .decode(env["signatures"][0]["sig"].as_str().unwrap())
            .unwrap();
        let raw_sig = Signature::from_bytes(&raw_sig.try_into().unwrap());
        key.verifying_key()
            .verify_strict(&pae(MANIFEST_PAYLOAD_TYPE, manifest), &raw_sig)
            .unwrap();
    }

    #[test]
    fn signing_is_deterministic() {
        let key = demo_signing_key();
        assert_eq!(sign_manifest(b"m", &key), sign_manifest(b"m", &key));
    }

    #[test]
    fn wrong_key_is_untrusted() {
        let key = generate_signing_key().unwrap();
        let other = generate_signing_key().unwrap();
        let sig = sign_manifest(b"m", &key);
        let err = verify_manifest(b"m", &sig, &trust(&[&other]), NOW).unwrap_err();
        assert_eq!(
            err,
            VerifyError::Untrusted {
                keyids: vec![key_id(&key.verifying_key())]
            }
        );
        assert!(matches!(
            verify_manifest(b"m", &sig, &[], NOW),
            Err(VerifyError::Untrusted { .. })
        ));
    }

    #[test]
    fn altered_manifest_or_signature_fails() {
        let key = generate_signing_key().unwrap();
        let t = trust(&[&key]);
        let sig = sign_manifest(b"manifest", &key);
        // The manifest file differs from the signed payload.
        assert_eq!(
            verify_manifest(b"manifesT", &sig, &t, NOW),
            Err(VerifyError::PayloadMismatch)
        );
        // Payload and manifest altered together: the signature no longer verifies.
        let mut env: Envelope = serde_json::from_slice(&sig).unwrap();
        env.payload = STANDARD.encode(b"manifesT");
        let forged = serde_json::to_vec(&env).unwrap();
        assert!(matches!(
            verify_manifest(b"manifesT", &forged, &t, NOW),
            Err(VerifyError::BadSignature { .. })
        ));
        // One bit of the signature flipped.
        let mut env: Envelope = serde_json::from_slice(&sig).unwrap();
        let mut raw = STANDARD.decode(&env.signatures[0].sig).unwrap();
        raw[10] ^= 1;
        env.signatures[0].sig = STANDARD.encode(&raw);
        let flipped = serde_json::to_vec(&env).unwrap();
        assert!(matches!(
            verify_manifest(b"manifest", &flipped, &t, NOW),
            Err(VerifyError::BadSignature { .. })
        ));
    }

    #[test]
    fn bad_envelopes_are_typed() {
        let key = generate_signing_key().unwrap();
        let t = trust(&[&key]);
        assert!(matches!(
            verify_manifest(b"m", b"not json", &t, NOW),
            Err(VerifyError::Envelope(_))
        ));
        assert!(matches!(
            verify_manifest(b"m", br#"{"payloadType":"x"}"#, &t, NOW),
            Err(VerifyError::Envelope(_))
        ));
        let other_type = serde_json::to_vec(&sign_envelope("text/plain", b"m", &[&key])).unwrap();
        assert_eq!(
            verify_manifest(b"m", &other_type, &t, NOW),
            Err(VerifyError::PayloadType {
                found: "text/plain".into()
            })
        );
        let none = serde_json::to_vec(&sign_envelope(MANIFEST_PAYLOAD_TYPE, b"m", &[])).unwrap();
        assert_eq!(
            verify_manifest(b"m", &none, &t, NOW),
            Err(VerifyError::NoSignatures)
        );
        let mut env = sign_envelope(MANIFEST_PAYLOAD_TYPE, b"m", &[&key]);
        env.signatures[0].sig = "AAAA".into();
        assert!(matches!(
            verify_manifest(b"m", &serde_json::to_vec(&env).unwrap(), &t, NOW),
            Err(VerifyError::Envelope(_))
        ));
        env.payload = "!!".into();
        assert!(matches!(
            verify_manifest(b"m", &serde_json::to_vec(&env).unwrap(), &t, NOW),
            Err(VerifyError::Envelope(_))
        ));
    }

    #[test]
    fn empty_keyid_and_url_safe_base64_are_accepted() {
        let key = generate_signing_key().unwrap();
        let payload = b"\xfb\xff manifest with bytes that differ in url-safe base64";
        let mut env = sign_envelope(MANIFEST_PAYLOAD_TYPE, payload, &[&key]);
        env.signatures[0].keyid.clear();
        env.payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
        let bytes = serde_json::to_vec(&env).unwrap();
        verify_manifest(payload, &bytes, &trust(&[&key]), NOW).unwrap();
    }

    #[test]
    fn second_signature_by_trusted_key_suffices() {
        let untrusted = generate_signing_key().unwrap();
        let key = generate_signing_key().unwrap();
        let env = sign_envelope(MANIFEST_PAYLOAD_TYPE, b"m", &[&untrusted, &key]);
        let bytes = serde_json::to_vec(&env).unwrap();
        let v = verify_manifest(b"m", &bytes, &trust(&[&key]), NOW).unwrap();
        assert_eq!(v.key_id, key_id(&key.verifying_key()));
    }

    #[test]
    fn revoked_and_expired_keys_fail_distinctly() {
        let key = generate_signing_key().unwrap();
        let sig = sign_manifest(b"m", &key);
        let mut t = trust(&[&key]);
        t[0].name = Some("Alice".into());
        t[0].not_after = Date::new(2026, 12, 31);
        assert!(matches!(
            verify_manifest(b"m", &sig, &t, NOW),
            Err(VerifyError::Expired { not_after, .. }) if not_after.to_string() == "2026-12-31"
        ));
        t[0].not_after = Date::new(2027, 1, 15);
        verify_manifest(b"m", &sig, &t, NOW).unwrap();
        t[0].revoked = Some("key leaked".into());
        let err = verify_manifest(b"m", &sig, &t, NOW).unwrap_err();
        assert!(matches!(&err, VerifyError::Revoked { reason, .. } if reason == "key leaked"));
        assert!(err.to_string().contains("Alice"));
        assert!(err.to_string().contains("key leaked"));
    }
}

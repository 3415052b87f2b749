//! Checking an OMS signature: the bundle and its envelope, the signer (a trusted ECDSA key, its
//! hint), the statement (types, one subject, the root digest over the listed resources), then
//! the folder against the resources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};

use super::format::{self, SigstoreBundle, Statement};
use super::{OmsError, ignore_list, key_hint, root_digest, walk};
use crate::digest::{Sha256Digest, hash_files};
use crate::signature::dsse::verify_signatures;
use crate::signature::{TrustedKey, Verified};

/// How to verify.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Accept files the signature does not list (`model_signing --ignore_unsigned_files`).
    pub ignore_unsigned: bool,
    /// Further paths relative to the folder to leave out (besides the defaults, the paths the
    /// signature records and the signature file itself).
    pub ignore_paths: Vec<String>,
    /// The time keys' expiry is judged at (seconds since the epoch).
    pub now: i64,
}

/// A signature whose envelope verified, with the statement it signs.
#[derive(Debug, Clone)]
pub struct SignedModel {
    /// Who signed it.
    pub signer: Verified,
    /// The subject's name (the signed folder's name; informational).
    pub model_name: String,
    /// The root digest, checked against the resources.
    pub root_digest: String,
    /// Every signed file: relative path and SHA-256, in the signature's order.
    pub resources: Vec<(String, Sha256Digest)>,
    /// The paths the signer left out.
    pub ignore_paths: Vec<String>,
}

/// A folder that matches its signature.
#[derive(Debug, Clone)]
pub struct OmsVerified {
    /// The signature and its signer.
    pub signed: SignedModel,
    /// Files present but not signed, accepted because unsigned files were allowed.
    pub unsigned: Vec<String>,
}

/// Parses `bytes` (from `path`, named in errors) and verifies the envelope against `trusted`;
/// checks the statement and its root digest. The folder is not looked at.
pub fn open_signature(
    bytes: &[u8],
    path: &Path,
    trusted: &[TrustedKey],
    now: i64,
) -> Result<SignedModel, OmsError> {
    let malformed = |reason: String| OmsError::Malformed {
        path: path.to_path_buf(),
        reason,
    };
    let unsupported = |what: &str| OmsError::Unsupported {
        path: path.to_path_buf(),
        what: what.to_string(),
    };
    let bundle: SigstoreBundle = serde_json::from_slice(bytes)
        .map_err(|e| malformed(format!("not a Sigstore bundle: {e}")))?;
    if !bundle
        .media_type
        .starts_with("application/vnd.dev.sigstore.bundle")
    {
        return Err(malformed(format!(
            "media type {:?} is not a Sigstore bundle's",
            clip(&bundle.media_type)
        )));
    }
    let material = &bundle.verification_material;
    if material.certificate.is_some() || material.certificate_chain.is_some() {
        return Err(unsupported(
            "a certificate signature (Sigstore keyless or an X.509 chain)",
        ));
    }
    let envelope = &bundle.dsse_envelope;
    if envelope.payload_type != format::IN_TOTO_PAYLOAD_TYPE {
        return Err(malformed(format!(
            "payload type {:?}, expected {:?}",
            clip(&envelope.payload_type),
            format::IN_TOTO_PAYLOAD_TYPE
        )));
    }
    // The Sigstore bundle specification allows exactly one signature per DSSE envelope.
    if envelope.signatures.len() != 1 {
        return Err(malformed(format!(
            "{} signatures in the envelope; a Sigstore bundle holds exactly one",
            envelope.signatures.len()
        )));
    }
    let payload = STANDARD_PAD_INDIFFERENT
        .decode(&envelope.payload)
        .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(&envelope.payload))
        .map_err(|_| malformed("the envelope's payload is not base64".into()))?;
    // Only ECDSA keys can have made an OMS signature; trying the others would only blur the
    // message.
    let ecdsa: Vec<TrustedKey> = trusted
        .iter()
        .filter(|k| k.key.algorithm().is_ecdsa())
        .cloned()
        .collect();
    let hint = material.public_key.as_ref().map(|k| k.hint.as_str());
    let hinted = ecdsa.iter().find(|k| {
        hint.is_some_and(|h| !h.is_empty() && key_hint(&k.key).ok().as_deref() == Some(h))
    });
    let signer =
        verify_signatures(envelope, &payload, &ecdsa, now).map_err(|source| match source {
            // model_signing leaves the key id empty: the hint tells a trusted key whose signature
            // fails (the statement or signature was altered) from a key not trusted at all.
            crate::signature::VerifyError::Untrusted { .. } if hinted.is_some() => {
                OmsError::Signature {
                    path: path.to_path_buf(),
                    source: crate::signature::VerifyError::BadSignature {
                        key: hinted.map(TrustedKey::label).unwrap_or_default(),
                    },
                }
            }
            crate::signature::VerifyError::Untrusted { .. } => OmsError::Untrusted {
                path: path.to_path_buf(),
                hint: material
                    .public_key
                    .as_ref()
                    .map(|k| clip(&k.hint))
                    .filter(|h| !h.is_empty())
                    .unwrap_or_else(|| "none".into()),
                trusted_ecdsa: ecdsa.len(),
            },
            source => OmsError::Signature {
                path: path.to_path_buf(),
                source,
            },
        })?;
    if let Some(hint) = material.public_key.as_ref().map(|k| k.hint.as_str())
        && !hint.is_empty()
    {
        let key = ecdsa.iter().find(|k| k.id == signer.key_id);
        let expected = key.and_then(|k| key_hint(&k.key).ok());
        if expected.as_deref() != Some(hint) {
            return Err(OmsError::HintMismatch {
                path: path.to_path_buf(),
                hint: clip(hint),
                key_id: signer.key_id.clone(),
            });
        }
    }
    let statement: Statement = serde_json::from_slice(&payload)
        .map_err(|e| malformed(format!("the payload is not an in-toto statement: {e}")))?;
    if statement.statement_type != format::STATEMENT_TYPE {
        return Err(malformed(format!(
            "statement type {:?}, expected {:?}",
            clip(&statement.statement_type),
            format::STATEMENT_TYPE
        )));
    }
    if statement.predicate_type != format::PREDICATE_TYPE {
        return Err(unsupported(&format!(
            "predicate type {:?} (openseal reads {})",
            clip(&statement.predicate_type),
            format::PREDICATE_TYPE
        )));
    }
    let [subject] = statement.subject.as_slice() else {
        return Err(malformed(format!(
            "{} subjects; OMS signs exactly one",
            statement.subject.len()
        )));
    };
    let serialization = &statement.predicate.serialization;
    if serialization.method != "files" {
        return Err(unsupported(&format!(
            "serialization method {:?}",
            clip(&serialization.method)
        )));
    }
    if serialization.hash_type != "sha256" {
        return Err(unsupported(&format!(
            "hash type {:?}",
            clip(&serialization.hash_type)
        )));
    }
    if serialization.allow_symlinks {
        return Err(unsupported("a signature that follows symbolic links"));
    }
    let mut resources = Vec::with_capacity(statement.predicate.resources.len());
    let mut seen = BTreeSet::new();
    for (i, r) in statement.predicate.resources.iter().enumerate() {
        let at = format!("resource {i} ({:?})", clip(&r.name));
        if r.algorithm != "sha256" {
            return Err(unsupported(&format!(
                "{at}: algorithm {:?}",
                clip(&r.algorithm)
            )));
        }
        if let Some(problem) = name_problem(&r.name) {
            return Err(malformed(format!("{at}: {problem}")));
        }
        let digest = r
            .digest
            .parse::<Sha256Digest>()
            .map_err(|_| malformed(format!("{at}: digest is not 64 hex digits")))?;
        if !seen.insert(r.name.as_str()) {
            return Err(malformed(format!("{at}: listed twice")));
        }
        resources.push((r.name.clone(), digest));
    }
    let computed = root_digest(resources.iter().map(|(_, d)| d.0));
    if !subject.digest.sha256.eq_ignore_ascii_case(&computed) {
        return Err(OmsError::RootMismatch {
            path: path.to_path_buf(),
            declared: clip(&subject.digest.sha256),
            computed,
        });
    }
    Ok(SignedModel {
        signer,
        model_name: subject.name.clone(),
        root_digest: computed,
        resources,
        ignore_paths: serialization.ignore_paths.clone(),
    })
}

/// Verifies the folder `dir` against the signature file `signature`.
pub fn verify_folder(
    dir: &Path,
    signature: &Path,
    trusted: &[TrustedKey],
    opts: &VerifyOptions,
) -> Result<OmsVerified, OmsError> {
    let bytes = crate::regular_file::read_capped(signature, crate::limits::MAX_OMS_SIGNATURE)
        .map_err(|e| match e {
            crate::regular_file::CappedReadError::Io(source) => OmsError::Io {
                path: signature.to_path_buf(),
                source,
            },
            crate::regular_file::CappedReadError::TooLarge { .. } => OmsError::TooLarge {
                path: signature.to_path_buf(),
            },
        })?;
    let signed = open_signature(&bytes, signature, trusted, opts.now)?;
    // Recorded paths that could leave the folder are not honoured: they cannot hide a file.
    let recorded: Vec<String> = signed
        .ignore_paths
        .iter()
        .filter(|p| name_problem(p.trim_end_matches('/')).is_none())
        .cloned()
        .collect();
    let mut extra_ignores = opts.ignore_paths.clone();
    extra_ignores.extend(recorded);
    let ignores = ignore_list(dir, Some(signature), &extra_ignores);
    let present = walk::list_files(dir, &ignores)?;
    let signed_set: BTreeMap<&str, &Sha256Digest> = signed
        .resources
        .iter()
        .map(|(n, d)| (n.as_str(), d))
        .collect();
    let (to_hash, unsigned): (Vec<_>, Vec<_>) = present
        .iter()
        .partition(|(rel, _)| signed_set.contains_key(rel.as_str()));
    let paths: Vec<PathBuf> = to_hash.iter().map(|(_, p)| p.clone()).collect();
    let digests = hash_files(&paths, 0)?;
    let mut changed = Vec::new();
    for ((rel, _), d) in to_hash.iter().zip(&digests) {
        if signed_set.get(rel.as_str()) != Some(&&d.sha256) {
            changed.push(rel.clone());
        }
    }
    let present_set: BTreeSet<&str> = present.iter().map(|(r, _)| r.as_str()).collect();
    let missing: Vec<String> = signed
        .resources
        .iter()
        .filter(|(n, _)| !present_set.contains(n.as_str()))
        .map(|(n, _)| n.clone())
        .collect();
    let unsigned: Vec<String> = unsigned.into_iter().map(|(r, _)| r.clone()).collect();
    let extra = if opts.ignore_unsigned {
        Vec::new()
    } else {
        unsigned.clone()
    };
    if !(missing.is_empty() && extra.is_empty() && changed.is_empty()) {
        return Err(OmsError::Mismatch {
            path: dir.to_path_buf(),
            missing,
            extra,
            changed,
        });
    }
    Ok(OmsVerified {
        signed,
        unsigned: if opts.ignore_unsigned {
            unsigned
        } else {
            Vec::new()
        },
    })
}

/// Why a resource name cannot name a file inside the folder, if it cannot.
fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("empty path")
    } else if name.starts_with('/') {
        Some("absolute path")
    } else if name.contains('\0') {
        Some("NUL in path")
    } else if name
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        Some("path with an empty, `.` or `..` component")
    } else {
        None
    }
}

/// A string from the signature, shortened for a message.
fn clip(s: &str) -> String {
    s.chars().take(120).collect()
}

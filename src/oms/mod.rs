//! OpenSSF Model Signing (OMS v1.0) signatures: the `model.sig` that `model_signing` (PyPI)
//! writes and verifies, made and checked here with the `key` method (ECDSA P-256 or P-384; OMS
//! accepts no Ed25519).
//!
//! A signature covers a folder file by file (`method: files`, SHA-256, no symbolic links):
//! - `sign`: [`sign_folder`] hashes the folder in parallel; [`sign_resources`] signs digests
//!   already known (pack has them, so a bundle's `model.sig` costs no second hash).
//! - `verify`: [`verify_folder`] checks the signature, the statement (types, root digest) and
//!   then every file: none missing, none changed, none extra unless unsigned files are allowed.
//!   [`open_signature`] does the first half for digests known otherwise.
//!
//! Certificate and keyless (Sigstore/Fulcio) signatures are recognised and refused as not
//! supported; shard serialisation and hashes other than SHA-256 likewise.

mod format;
mod output;
mod verify;
mod walk;

use std::io;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::digest::{HashError, Sha256Digest, hash_files};
use crate::signature::dsse::{EnvelopeSignature, pae};
use crate::signature::{KeyAlgorithm, SigningKey, VerifyError, public_key_pem};

pub use output::{OmsSignOutput, OmsVerifyOutput, SIGN_SCHEMA, VERIFY_SCHEMA};
pub use verify::{OmsVerified, SignedModel, VerifyOptions, open_signature, verify_folder};
pub use walk::DEFAULT_IGNORES;
pub(crate) use walk::is_ignored;

/// The signature file's usual name, as `model_signing` writes it.
pub const SIGNATURE_FILE: &str = "model.sig";

/// Why an OMS signature could not be made or did not verify.
#[derive(Debug, thiserror::Error)]
pub enum OmsError {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The model folder holds something a signature cannot cover.
    #[error("{}: {reason}", path.display())]
    Folder {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A file could not be hashed.
    #[error(transparent)]
    Hash(#[from] HashError),
    /// A key OMS does not accept.
    #[error(
        "OMS signatures need an ECDSA P-256 or P-384 key (model_signing verifies no other), \
         not {algorithm}; make one with `openseal keygen --algorithm p256`"
    )]
    KeyKind {
        /// The key's kind.
        algorithm: KeyAlgorithm,
    },
    /// Nothing to sign: the folder holds no file outside the ignored paths.
    #[error("{}: no files to sign", path.display())]
    NoFiles {
        /// The folder.
        path: PathBuf,
    },
    /// The signature file is larger than [`crate::limits::MAX_OMS_SIGNATURE`].
    #[error("{}: larger than {} bytes, not an OMS signature", path.display(), crate::limits::MAX_OMS_SIGNATURE)]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The signature file is not a well-formed OMS signature.
    #[error("{}: not an OMS signature: {reason}", path.display())]
    Malformed {
        /// The signature file.
        path: PathBuf,
        /// What is wrong, and where.
        reason: String,
    },
    /// A well-formed signature that uses something openseal does not verify.
    #[error("{}: {what} is not supported (see README, \"Signatures other tools verify\")", path.display())]
    Unsupported {
        /// The signature file.
        path: PathBuf,
        /// What it uses.
        what: String,
    },
    /// The envelope's signature is not by a trusted key, or does not verify.
    #[error("{}: {source}", path.display())]
    Signature {
        /// The signature file.
        path: PathBuf,
        /// Why.
        #[source]
        source: VerifyError,
    },
    /// No trusted ECDSA key verifies the signature.
    #[error(
        "{}: not signed by a trusted key ({trusted_ecdsa} trusted ECDSA keys tried; the signature's key hint is {hint})",
        path.display()
    )]
    Untrusted {
        /// The signature file.
        path: PathBuf,
        /// The bundle's `publicKey.hint` (hex SHA-256 of the signer's PEM), or `none`.
        hint: String,
        /// How many trusted keys could have verified it.
        trusted_ecdsa: usize,
    },
    /// The bundle's key hint names another key than the one whose signature verifies.
    #[error("{}: the public-key hint {hint} does not name the signing key {key_id}", path.display())]
    HintMismatch {
        /// The signature file.
        path: PathBuf,
        /// The hint found.
        hint: String,
        /// The key that verified.
        key_id: String,
    },
    /// The subject's root digest is not the digest of the resources listed.
    #[error("{}: the root digest {declared} is not that of the files listed ({computed})", path.display())]
    RootMismatch {
        /// The signature file.
        path: PathBuf,
        /// The subject's digest.
        declared: String,
        /// The digest of the resources.
        computed: String,
    },
    /// The folder differs from what was signed.
    #[error("{}: the folder differs from its signature: {}", path.display(), describe_mismatch(missing, extra, changed))]
    Mismatch {
        /// The folder.
        path: PathBuf,
        /// Signed files that are not there.
        missing: Vec<String>,
        /// Files that are there but were not signed.
        extra: Vec<String>,
        /// Files whose SHA-256 differs from the signed one.
        changed: Vec<String>,
    },
}

impl OmsError {
    /// Whether the check ran and failed (exit 1), rather than could not run (exit 2).
    pub fn is_check_failure(&self) -> bool {
        matches!(
            self,
            OmsError::Malformed { .. }
                | OmsError::Signature { .. }
                | OmsError::Untrusted { .. }
                | OmsError::HintMismatch { .. }
                | OmsError::RootMismatch { .. }
                | OmsError::Mismatch { .. }
        )
    }
}

fn describe_mismatch(missing: &[String], extra: &[String], changed: &[String]) -> String {
    let list = |what: &str, v: &[String]| -> Option<String> {
        if v.is_empty() {
            return None;
        }
        let shown: Vec<&str> = v.iter().take(10).map(String::as_str).collect();
        let more = if v.len() > 10 {
            format!(" and {} more", v.len() - 10)
        } else {
            String::new()
        };
        Some(format!("{what} {}{more}", shown.join(", ")))
    };
    [
        list("changed:", changed),
        list("missing:", missing),
        list("not signed:", extra),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("; ")
}

/// How to sign a folder.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// Paths relative to the folder left out of the signature (besides [`DEFAULT_IGNORES`] and
    /// the signature file itself); recorded in the signature so verifiers leave them out too.
    pub ignore_paths: Vec<String>,
}

/// A signature made.
#[derive(Debug, Clone)]
pub struct OmsSigned {
    /// The bytes of `model.sig`.
    pub bytes: Vec<u8>,
    /// How many files it covers.
    pub files: usize,
    /// The subject's root digest (hex SHA-256 over every file's digest, in the listed order).
    pub root_digest: String,
    /// The ignored paths it records.
    pub ignore_paths: Vec<String>,
}

/// The ignore list for a folder: the defaults, the signature file when it lies inside the
/// folder, and `extra`.
pub(crate) fn ignore_list(dir: &Path, signature: Option<&Path>, extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = DEFAULT_IGNORES.iter().map(|s| s.to_string()).collect();
    if let Some(rel) = signature.and_then(|s| relative_inside(dir, s)) {
        out.push(rel);
    }
    for e in extra {
        let e = e.trim_matches('/').to_string();
        if !e.is_empty() && !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

/// `path` relative to `dir`, `/`-separated, when it lies inside it (compared after making both
/// absolute, without resolving links: the signature file may not exist yet).
fn relative_inside(dir: &Path, path: &Path) -> Option<String> {
    let abs = |p: &Path| std::path::absolute(p).ok();
    let (dir, path) = (abs(dir)?, abs(path)?);
    let rel = path.strip_prefix(&dir).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Signs the folder `dir`: lists it (see [`DEFAULT_IGNORES`]), hashes every file in parallel and
/// signs the statement with `key`. `signature` is where `model.sig` will go, left out of the
/// signature when it lies inside `dir`.
pub fn sign_folder(
    dir: &Path,
    signature: &Path,
    key: &SigningKey,
    opts: &SignOptions,
) -> Result<OmsSigned, OmsError> {
    check_key(key)?;
    let ignores = ignore_list(dir, Some(signature), &opts.ignore_paths);
    let files = walk::list_files(dir, &ignores)?;
    if files.is_empty() {
        return Err(OmsError::NoFiles {
            path: dir.to_path_buf(),
        });
    }
    let paths: Vec<PathBuf> = files.iter().map(|(_, p)| p.clone()).collect();
    let digests = hash_files(&paths, 0)?;
    let resources: Vec<(String, Sha256Digest)> = files
        .into_iter()
        .zip(digests)
        .map(|((rel, _), d)| (rel, d.sha256))
        .collect();
    sign_resources(&model_name(dir), &resources, &ignores, key)
}

/// The subject name `model_signing` gives a folder: its last component.
pub(crate) fn model_name(dir: &Path) -> String {
    std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .unwrap_or_else(|| "model".to_string())
}

fn check_key(key: &SigningKey) -> Result<(), OmsError> {
    if key.algorithm().is_ecdsa() {
        Ok(())
    } else {
        Err(OmsError::KeyKind {
            algorithm: key.algorithm(),
        })
    }
}

/// Signs files whose digests are known: `resources` as (relative path, SHA-256), in any order
/// (they are listed sorted by code point), `ignore_paths` recorded as given.
pub fn sign_resources(
    model_name: &str,
    resources: &[(String, Sha256Digest)],
    ignore_paths: &[String],
    key: &SigningKey,
) -> Result<OmsSigned, OmsError> {
    check_key(key)?;
    let mut sorted: Vec<&(String, Sha256Digest)> = resources.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let root = root_digest(sorted.iter().map(|(_, d)| d.0));
    let statement = format::Statement {
        statement_type: format::STATEMENT_TYPE.into(),
        subject: vec![format::Subject {
            name: model_name.into(),
            digest: format::SubjectDigest {
                sha256: root.clone(),
            },
        }],
        predicate_type: format::PREDICATE_TYPE.into(),
        predicate: format::Predicate {
            serialization: format::Serialization {
                method: "files".into(),
                hash_type: "sha256".into(),
                allow_symlinks: false,
                shard_size: None,
                ignore_paths: ignore_paths.to_vec(),
            },
            resources: sorted
                .iter()
                .map(|(name, d)| format::Resource {
                    name: name.clone(),
                    algorithm: "sha256".into(),
                    digest: d.to_hex(),
                })
                .collect(),
        },
    };
    // Serialising typed structs of strings and bools cannot fail.
    let payload = serde_json::to_vec(&statement).unwrap_or_default();
    let signature = key.sign(&pae(format::IN_TOTO_PAYLOAD_TYPE, &payload));
    let bundle = format::SigstoreBundle {
        media_type: format::BUNDLE_MEDIA_TYPE.into(),
        verification_material: format::VerificationMaterial {
            public_key: Some(format::PublicKeyHint {
                hint: key_hint(&key.public_key()).map_err(|e| OmsError::Malformed {
                    path: PathBuf::from(SIGNATURE_FILE),
                    reason: e.to_string(),
                })?,
            }),
            ..Default::default()
        },
        dsse_envelope: crate::signature::dsse::Envelope {
            payload_type: format::IN_TOTO_PAYLOAD_TYPE.into(),
            payload: STANDARD.encode(&payload),
            // model_signing writes an empty key id; verifiers go by the hint and the key given.
            signatures: vec![EnvelopeSignature {
                keyid: String::new(),
                sig: STANDARD.encode(signature),
            }],
        },
    };
    let mut bytes = serde_json::to_vec(&bundle).unwrap_or_default();
    bytes.push(b'\n');
    Ok(OmsSigned {
        bytes,
        files: sorted.len(),
        root_digest: root,
        ignore_paths: ignore_paths.to_vec(),
    })
}

/// The root digest: SHA-256 over the raw digests, in order, as hex.
pub(crate) fn root_digest(digests: impl Iterator<Item = [u8; 32]>) -> String {
    let mut h = Sha256::new();
    for d in digests {
        h.update(d);
    }
    crate::digest::hex(&h.finalize())
}

/// The `publicKey.hint` of a key: hex SHA-256 of its SPKI PEM text with LF line ends.
pub(crate) fn key_hint(
    key: &crate::signature::PublicKey,
) -> Result<String, crate::signature::KeyError> {
    Ok(crate::digest::hex(&Sha256::digest(
        public_key_pem(key)?.as_bytes(),
    )))
}

#[cfg(test)]
mod tests;

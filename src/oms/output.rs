//! `openseal sign --json` and `openseal verify --oms --json`: typed objects with JSON Schemas in
//! `formats/oms-sign.schema.json` and `formats/oms-verify.schema.json`.

use std::path::Path;

use serde::Serialize;

use super::{OmsError, OmsSigned, OmsVerified};
use crate::signature::SigningKey;

/// The schema name of [`OmsSignOutput`].
pub const SIGN_SCHEMA: &str = "openseal.oms-sign/v1";
/// The schema name of [`OmsVerifyOutput`].
pub const VERIFY_SCHEMA: &str = "openseal.oms-verify/v1";

/// What `openseal sign` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct OmsSignOutput<'a> {
    /// Always [`SIGN_SCHEMA`].
    pub schema: &'static str,
    /// The folder signed.
    pub folder: &'a Path,
    /// The signature file written.
    pub signature: &'a Path,
    /// The signing key's id.
    pub key_id: String,
    /// Its kind (`p256`, `p384`).
    pub algorithm: &'static str,
    /// Files covered.
    pub files: usize,
    /// The subject's root digest.
    pub root_digest: &'a str,
    /// Paths left out, as recorded in the signature.
    pub ignore_paths: &'a [String],
}

impl<'a> OmsSignOutput<'a> {
    /// The summary of `signed`, written to `signature` for `folder` with `key`.
    pub fn new(
        folder: &'a Path,
        signature: &'a Path,
        key: &SigningKey,
        signed: &'a OmsSigned,
    ) -> Self {
        OmsSignOutput {
            schema: SIGN_SCHEMA,
            folder,
            signature,
            key_id: key.public_key().id(),
            algorithm: key.algorithm().as_str(),
            files: signed.files,
            root_digest: &signed.root_digest,
            ignore_paths: &signed.ignore_paths,
        }
    }
}

/// The outcome of `openseal verify DIR --oms`.
#[derive(Debug, Clone, Serialize)]
pub struct OmsVerifyOutput<'a> {
    /// Always [`VERIFY_SCHEMA`].
    pub schema: &'static str,
    /// The folder checked.
    pub folder: &'a Path,
    /// The signature file.
    pub signature: &'a Path,
    /// Whether the folder is exactly what a trusted key signed.
    pub verified: bool,
    /// The signing key's id, when the signature verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<&'a str>,
    /// The trusted key's name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_name: Option<&'a str>,
    /// Files the signature covers (0 when it could not be read).
    pub files: usize,
    /// The subject's root digest, when the signature verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_digest: Option<&'a str>,
    /// Files present but not signed, accepted with `--ignore-unsigned`.
    pub unsigned: &'a [String],
    /// Why verification failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Signed files that are missing.
    pub missing: &'a [String],
    /// Files present that were not signed.
    pub extra: &'a [String],
    /// Files whose SHA-256 differs from the signed one.
    pub changed: &'a [String],
}

impl<'a> OmsVerifyOutput<'a> {
    /// A verified folder.
    pub fn verified(folder: &'a Path, signature: &'a Path, v: &'a OmsVerified) -> Self {
        OmsVerifyOutput {
            schema: VERIFY_SCHEMA,
            folder,
            signature,
            verified: true,
            key_id: Some(v.signed.signer.key_id()),
            key_name: v.signed.signer.name(),
            files: v.signed.resources.len(),
            root_digest: Some(&v.signed.root_digest),
            unsigned: &v.unsigned,
            error: None,
            missing: &[],
            extra: &[],
            changed: &[],
        }
    }

    /// A folder that failed the check.
    pub fn failed(folder: &'a Path, signature: &'a Path, e: &'a OmsError) -> Self {
        let (missing, extra, changed): (&[String], &[String], &[String]) = match e {
            OmsError::Mismatch {
                missing,
                extra,
                changed,
                ..
            } => (missing, extra, changed),
            _ => (&[], &[], &[]),
        };
        OmsVerifyOutput {
            schema: VERIFY_SCHEMA,
            folder,
            signature,
            verified: false,
            key_id: None,
            key_name: None,
            files: 0,
            root_digest: None,
            unsigned: &[],
            error: Some(e.to_string()),
            missing,
            extra,
            changed,
        }
    }
}

//! `openseal verify --json` and `openseal unpack --json`: the outcome as one typed object
//! (`formats/verify.schema.json`), a success or a failed check alike.

use std::path::Path;

use serde::Serialize;

use super::{Verification, VerifyError};

/// The schema name of [`VerifyOutput`].
pub const SCHEMA: &str = "openseal.verify/v1";

/// The JSON report of a verification (or of an unpack, which verifies while extracting).
#[derive(Debug, Clone, Serialize)]
pub struct VerifyOutput<'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// True when every check passed.
    pub verified: bool,
    /// What verification established (when it passed).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub verification: Option<&'a Verification>,
    /// The folder an unpack created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpacked_into: Option<&'a Path>,
    /// A stable kebab-case name of the failed check ([`VerifyError::kind`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<&'static str>,
    /// The failure, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl<'a> VerifyOutput<'a> {
    /// A bundle that verified (and, for an unpack, the folder it went into).
    pub fn verified(v: &'a Verification, unpacked_into: Option<&'a Path>) -> Self {
        VerifyOutput {
            schema: SCHEMA,
            verified: true,
            verification: Some(v),
            unpacked_into,
            failure: None,
            error: None,
        }
    }

    /// A bundle whose check failed.
    pub fn failed(e: &VerifyError) -> Self {
        VerifyOutput {
            schema: SCHEMA,
            verified: false,
            verification: None,
            unpacked_into: None,
            failure: Some(e.kind()),
            error: Some(e.to_string()),
        }
    }
}

//! `openseal init --json`: what init detected and wrote, as one typed object
//! (`formats/init.schema.json`).

use std::path::Path;

use serde::Serialize;

use super::Detected;
use crate::release::Release;

/// The schema name of [`InitOutput`].
pub const SCHEMA: &str = "openseal.init/v1";

/// The JSON summary of an `init` that wrote a descriptor.
#[derive(Debug, Clone, Serialize)]
pub struct InitOutput<'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The `openseal.toml` written.
    pub written: &'a Path,
    /// The release record the descriptor holds.
    pub release: &'a Release,
    /// Licence texts found (relative paths).
    pub license_files: &'a [String],
    /// Files no rule placed (relative paths), for a person to place.
    pub unclassified: &'a [String],
    /// What detection could not decide.
    pub notes: &'a [String],
}

impl<'a> InitOutput<'a> {
    /// The summary of `detected`, written to `written`.
    pub fn new(written: &'a Path, detected: &'a Detected) -> Self {
        InitOutput {
            schema: SCHEMA,
            written,
            release: &detected.release,
            license_files: &detected.license_files,
            unclassified: &detected.unclassified,
            notes: &detected.notes,
        }
    }
}

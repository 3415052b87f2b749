//! `openseal report --json`: what the report found and wrote, as one typed object
//! (`formats/report.schema.json`).

use std::path::Path;

use serde::Serialize;

use super::ReportData;

/// The schema name of [`ReportOutput`].
pub const SCHEMA: &str = "openseal.report/v1";

/// The JSON summary of a report run.
#[derive(Debug, Clone, Serialize)]
pub struct ReportOutput<'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The release folder, manifest or bundle reported on, as given.
    pub path: &'a Path,
    /// The release's name and version.
    pub release: ReportRelease<'a>,
    /// The MOF class met (kebab-case id, e.g. `class-ii`), `null` when none is.
    pub mof: Option<&'a str>,
    /// Who signed it and whether that was checked.
    pub signer: ReportSigner<'a>,
    /// The files written.
    pub written: Vec<Written<'a>>,
}

/// A release's identity as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRelease<'a> {
    /// The release name.
    pub name: &'a str,
    /// The release version (may be empty).
    pub version: &'a str,
}

/// The signer as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportSigner<'a> {
    /// The status in words ([`super::SignerStatus::label`]).
    pub status: &'static str,
    /// The key ids shown (verified, or named by the envelope).
    pub key_ids: Vec<&'a str>,
}

/// One file the report command wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Written<'a> {
    /// `html` (the page) or `svg` (the badge).
    pub kind: &'static str,
    /// Where it was written.
    pub path: &'a Path,
    /// Its size in bytes.
    pub bytes: usize,
}

impl<'a> ReportOutput<'a> {
    /// The summary of `data`, reported on from `path`, with the files written.
    pub fn new(path: &'a Path, data: &'a ReportData, written: Vec<Written<'a>>) -> Self {
        ReportOutput {
            schema: SCHEMA,
            path,
            release: ReportRelease {
                name: &data.name,
                version: &data.version,
            },
            mof: data.result("mof").and_then(|r| r.level.as_deref()),
            signer: ReportSigner {
                status: data.signer.label(),
                key_ids: data.signer.key_ids(),
            },
            written,
        }
    }
}

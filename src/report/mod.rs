//! `openseal report`: one self-contained HTML page (inline CSS and SVG, no script, no fetch)
//! describing a release folder, manifest or bundle, and a small SVG badge for a README.
//!
//! [`build`] gathers everything the page shows into a [`ReportData`]; [`html::page`] and
//! [`svg::badge`] render it as strings. Nothing here prints or writes files, and every string
//! that comes from a release is escaped.

pub mod html;
mod output;
mod signer;
mod stack;
mod style;
pub mod svg;

use std::collections::BTreeMap;
use std::path::Path;

use thiserror::Error;

use crate::classify::{ClassifyError, FrameworkResult};
use crate::framework::FrameworkError;
use crate::manifest::{self, FileEntry, FolderContentsError, WeightsSummary};
use crate::release::ComponentRecord;
use crate::release_loader::{self, InputError, SourceKind};
use crate::verification::Verification;

pub use output::{ReportOutput, ReportRelease, ReportSigner, SCHEMA as OUTPUT_SCHEMA, Written};
pub use signer::SignerStatus;
pub(crate) use stack::StackCell;

/// Why no report could be built.
#[derive(Debug, Error)]
pub enum ReportError {
    /// The release record could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A release folder's files could not be listed or hashed.
    #[error(transparent)]
    Contents(#[from] FolderContentsError),
    /// The embedded vocabulary or licence data could not be loaded.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// The embedded frameworks could not be loaded.
    #[error(transparent)]
    Framework(#[from] FrameworkError),
    /// The input is a Model Openness Tool file, which has nothing the page shows.
    #[error(
        "a Model Openness Tool file has no files or signature to report on; give a release folder, manifest or bundle"
    )]
    MotYaml,
    /// The input is a bill of materials: what `openseal bom` writes of a release, without the
    /// files' contents, weights summaries or signature the page shows.
    #[error(
        "{}: a bill of materials lists a release's files but holds neither their contents nor a signature to report on; give the release folder, manifest or bundle (openseal classify reads the BOM itself)",
        .0.display()
    )]
    Bom(std::path::PathBuf),
}

/// What is known of a bundle's signer: the report never verifies by itself, it shows what the
/// caller's verification found.
#[derive(Debug, Clone, Copy, Default)]
pub enum SignerCheck<'a> {
    /// Not verified: the page shows the key ids the envelope names, unchecked.
    #[default]
    NotChecked,
    /// The whole bundle verified.
    Verified(&'a Verification),
    /// Verification failed, with this message.
    Failed(&'a str),
}

/// How to report.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions<'a> {
    /// For a bundle: what verifying it found. Ignored for other inputs, which carry no signature.
    pub signer: SignerCheck<'a>,
    /// For a folder: the SHA-256 of files (by release path) that are known rather than to be
    /// read, as for a remote release read header-only, whose weights' digests the Hub lists.
    pub known_digests: Option<&'a std::collections::BTreeMap<String, crate::digest::Sha256Digest>>,
}

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// The path as given.
    pub(crate) path: String,
    pub(crate) source: SourceKind,
    /// The release's name.
    pub name: String,
    /// The release's version.
    pub version: String,
    pub(crate) producer: Option<String>,
    /// Who signed it, as far as is known.
    pub signer: SignerStatus,
    /// One result per framework the page shows (`classify::SHOWN_FRAMEWORKS`), in that order.
    pub(crate) results: Vec<FrameworkResult>,
    /// The stack's items with the status the page colours them by.
    pub(crate) cells: Vec<StackCell>,
    pub(crate) files: Vec<FileEntry>,
    /// The licence that applies to each component (from the evaluations).
    pub(crate) licenses: BTreeMap<String, String>,
    pub(crate) weights: Vec<WeightsSummary>,
    /// What the release says about each component (for a BOM: where referenced ones are).
    pub(crate) components: Vec<ComponentRecord>,
    pub(crate) notes: Vec<String>,
}

impl ReportData {
    /// Shows the release as `shown` (a remote source's `hf://` reference) and notes each of its
    /// files that was not read, which the page's file list therefore lacks.
    pub fn shown_as_remote(&mut self, shown: &str, not_read: &[crate::remote::NotRead]) {
        self.path = shown.to_string();
        self.notes.push(format!(
            "read from {shown} header-only: the SHA-256 of large files is the Hub's LFS digest"
        ));
        for n in not_read {
            self.notes.push(format!(
                "{} ({} bytes) was not read and is not listed: {}",
                n.path, n.size, n.reason
            ));
        }
    }

    /// The evaluation of the framework with id `framework`, if the page shows it.
    pub fn result(&self, framework: &str) -> Option<&FrameworkResult> {
        self.results.iter().find(|r| r.framework == framework)
    }

    /// The release as a bill of materials describes it ([`crate::bom::render`]).
    pub fn bom_input(&self) -> crate::bom::BomInput<'_> {
        crate::bom::BomInput {
            name: &self.name,
            version: &self.version,
            producer: self.producer.as_deref(),
            results: &self.results,
            files: &self.files,
            weights: &self.weights,
            components: &self.components,
        }
    }

    /// The MOF class met, by name (`Class II - Open Tooling Model`), or `None`.
    pub(crate) fn mof_class(&self) -> Option<&str> {
        self.result("mof").and_then(|r| r.level_name.as_deref())
    }
}

/// Reads `path` (release folder, manifest `.json` or bundle `.tar.zst`) and evaluates it.
pub fn build(path: &Path, opts: &ReportOptions) -> Result<ReportData, ReportError> {
    let mut input = match opts.signer {
        // The verification read and checked this bundle's manifest: it is not read again.
        SignerCheck::Verified(v) if release_loader::names_a_bundle(path) => {
            release_loader::from_bundle_manifest(path, v.manifest.clone())
        }
        _ => release_loader::load(path)?,
    };
    let (files, weights, signer) = match input.source {
        SourceKind::Descriptor | SourceKind::Detected => {
            let c = manifest::folder_contents_known(
                path,
                &input.release,
                &input.license_files,
                opts.known_digests.unwrap_or(&Default::default()),
            )?;
            (c.files, c.weights, SignerStatus::Unsigned)
        }
        SourceKind::Manifest | SourceKind::Bundle => {
            // The loader keeps the manifest of both kinds.
            let (files, weights) = input
                .manifest
                .take()
                .map(|m| (m.files, m.weights))
                .unwrap_or_default();
            let signer = match input.source {
                SourceKind::Bundle => signer::judge(input.signature.as_deref(), &opts.signer),
                _ => SignerStatus::ManifestOnly,
            };
            (files, weights, signer)
        }
        SourceKind::MotYaml => return Err(ReportError::MotYaml),
        SourceKind::CycloneDx | SourceKind::Spdx => {
            return Err(ReportError::Bom(path.to_path_buf()));
        }
    };
    let results: Vec<FrameworkResult> = crate::classify::evaluate_shown(&input.release)?;
    let mut licenses = BTreeMap::new();
    for row in results.iter().flat_map(|r| &r.components) {
        if let Some(l) = &row.license {
            licenses.entry(row.id.clone()).or_insert_with(|| l.clone());
        }
    }
    let cells = results
        .iter()
        .find(|r| r.framework == "stack")
        .map(stack::cells)
        .unwrap_or_default();
    let producer = input.release.producer.clone().filter(|p| !p.is_empty());
    Ok(ReportData {
        path: path.display().to_string(),
        source: input.source,
        name: input.release.name.clone(),
        version: input.release.version.clone(),
        producer,
        signer,
        results,
        cells,
        files,
        licenses,
        weights,
        components: input.release.components.clone(),
        notes: input.notes,
    })
}

/// Escapes text for HTML and SVG (element content and quoted attribute values).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in XML.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\u{fffd}"
        );
    }
}

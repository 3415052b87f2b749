//! `openseal report`: one self-contained HTML page (inline CSS and SVG, no script, no fetch)
//! describing a release folder, manifest or bundle, and a small SVG badge for a README.
//!
//! [`build`] gathers everything the page shows into a [`ReportData`]; [`html::page`] and
//! [`svg::badge`] render it as strings. Nothing here prints or writes files, and every string
//! that comes from a release is escaped.

pub mod html;
pub mod signer;
pub mod stack;
pub mod style;
pub mod svg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::bundle::{self, BundleReader, FolderError, ReadError};
use crate::classify::input::{self, InputError, SourceKind};
use crate::classify::{ClassifyError, Evaluator, FrameworkResult};
use crate::framework::{FrameworkError, FrameworkSet};
use crate::license::Mode;
use crate::manifest::{FileEntry, Manifest, ManifestError, WeightsSummary};
use crate::pack::PackError;
use crate::trust::TrustStore;

pub use signer::SignerStatus;
pub use stack::{CellStatus, StackCell};

/// The frameworks the page shows, in the order it shows them.
pub const FRAMEWORKS: [&str; 6] = [
    "stack",
    "mof",
    "osaid",
    "release-gradient",
    "opening-up-chatgpt",
    "dpga",
];

#[derive(Debug, Error)]
pub enum ReportError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{}: {source}", path.display())]
    Bundle { path: PathBuf, source: ReadError },
    #[error("{}: {source}", path.display())]
    Manifest {
        path: PathBuf,
        source: ManifestError,
    },
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error(transparent)]
    Weights(Box<PackError>),
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    #[error(transparent)]
    Framework(#[from] FrameworkError),
    #[error(
        "a Model Openness Tool file has no files or signature to report on; give a release folder, manifest or bundle"
    )]
    MotYaml,
}

/// How to judge the signer.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions<'a> {
    /// Verify a bundle against these keys; `None`: show the key id without checking.
    pub trust: Option<&'a TrustStore>,
    /// Unix time at which key expiry is judged.
    pub now: i64,
}

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// The path as given.
    pub path: String,
    pub source: SourceKind,
    pub name: String,
    pub version: String,
    pub producer: Option<String>,
    pub signer: SignerStatus,
    /// One result per id of [`FRAMEWORKS`], in that order.
    pub results: Vec<FrameworkResult>,
    /// The stack's items with the status the page colours them by.
    pub cells: Vec<StackCell>,
    pub files: Vec<FileEntry>,
    /// The licence that applies to each component (from the evaluations).
    pub licenses: BTreeMap<String, String>,
    pub weights: Vec<WeightsSummary>,
    pub notes: Vec<String>,
}

impl ReportData {
    pub fn result(&self, framework: &str) -> Option<&FrameworkResult> {
        self.results.iter().find(|r| r.framework == framework)
    }

    /// The MOF class met, by name (`Class II - Open Tooling Model`), or `None`.
    pub fn mof_class(&self) -> Option<&str> {
        self.result("mof").and_then(|r| r.level_name.as_deref())
    }
}

/// Reads `path` (release folder, manifest `.json` or bundle `.tar.zst`) and evaluates it.
pub fn build(path: &Path, opts: &ReportOptions) -> Result<ReportData, ReportError> {
    let input = input::load(path)?;
    let (files, weights, signer) = match input.source {
        SourceKind::Descriptor | SourceKind::Detected => {
            let hashed = bundle::hash_sources(bundle::collect_files(path)?, 0)?;
            let mut notes = Vec::new();
            let weights = crate::pack::summarise_weights(&input.release, &hashed, &mut notes)
                .map_err(|e| ReportError::Weights(Box::new(e)))?;
            let files = crate::pack::file_entries(&input, &hashed);
            (files, weights, SignerStatus::Unsigned)
        }
        SourceKind::Manifest => {
            let bytes = crate::json::read_side_file(path).map_err(|source| ReportError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let m = manifest(path, &bytes)?;
            (m.files, m.weights, SignerStatus::ManifestOnly)
        }
        SourceKind::Bundle => {
            let (head, _) = BundleReader::open(path)
                .and_then(|r| r.read_head())
                .map_err(|source| ReportError::Bundle {
                    path: path.to_path_buf(),
                    source,
                })?;
            let m = manifest(path, &head.manifest)?;
            let signer = signer::judge(path, &head.signature, opts);
            (m.files, m.weights, signer)
        }
        SourceKind::MotYaml => return Err(ReportError::MotYaml),
    };
    let set = FrameworkSet::embedded()?;
    let ev = Evaluator::embedded()?;
    let results: Vec<FrameworkResult> = FRAMEWORKS
        .iter()
        .filter_map(|id| set.get(id))
        .map(|fw| ev.evaluate(fw, &input.release, Mode::Default))
        .collect();
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
        notes: input.notes,
    })
}

fn manifest(path: &Path, bytes: &[u8]) -> Result<Manifest, ReportError> {
    Manifest::from_bytes(bytes).map_err(|source| ReportError::Manifest {
        path: path.to_path_buf(),
        source,
    })
}

/// Escapes text for HTML and SVG (element content and quoted attribute values).
pub fn esc(s: &str) -> String {
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

//! Building a manifest's file list and weights summaries from a hashed release folder.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use thiserror::Error;

use super::{FileEntry, WeightsSummary};
use crate::inspect::report::Parameters;
use crate::release::Release;
use crate::source::HashedFile;
use crate::weights;

/// A file listed as weights that is in a weights format but cannot be read.
#[derive(Debug, Error)]
#[error("{}: weights file cannot be summarised: {source}", path.display())]
pub struct SummaryError {
    pub(crate) path: PathBuf,
    pub(crate) source: Box<weights::Error>,
}

/// Every file with the components it carries, or its role when it carries none.
/// `license_files` are the release's licence texts (relative paths).
pub fn file_entries(
    release: &Release,
    license_files: &[String],
    hashed: &[HashedFile],
) -> Vec<FileEntry> {
    let mut by_file: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in &release.components {
        for f in &c.files {
            by_file.entry(f.as_str()).or_default().push(c.id.clone());
        }
    }
    let license_texts: HashSet<&str> = license_files.iter().map(String::as_str).collect();
    hashed
        .iter()
        .map(|h| {
            let path = h.file.path.as_str();
            let components = by_file.get(path).cloned().unwrap_or_default();
            let role = if !components.is_empty() {
                None
            } else if license_texts.contains(path) {
                Some("license-text")
            } else if path == crate::detect::DESCRIPTOR {
                Some("descriptor")
            } else {
                Some("unclassified")
            };
            FileEntry {
                path: h.file.path.clone(),
                size: h.file.size,
                sha256: h.sha256.to_hex(),
                components,
                role: role.map(String::from),
                executable: h.file.executable,
            }
        })
        .collect()
}

/// Header inspection of every file of a weights component. What the producer should know (a
/// file named like weights that holds none, a parameter count too large to record) is pushed
/// to `warnings`.
pub fn summarise_weights(
    release: &Release,
    hashed: &[HashedFile],
    warnings: &mut Vec<String>,
) -> Result<Vec<WeightsSummary>, SummaryError> {
    let weight_files: HashSet<&str> = release
        .components
        .iter()
        .filter(|c| c.id.starts_with("weights."))
        .flat_map(|c| c.files.iter().map(String::as_str))
        .collect();
    let mut out = Vec::new();
    for h in hashed
        .iter()
        .filter(|h| weight_files.contains(h.file.path.as_str()))
    {
        if weights::format_from_extension(&h.file.source).is_none() {
            continue;
        }
        let w = match weights::open(&h.file.source, Default::default()) {
            Ok(w) => w,
            // A `.bin` that holds no weights format (detection guessed from the name) is packed
            // as it is; anything that is a weights format but broken stops the pack.
            Err(e) if matches!(*e.kind, weights::ErrorKind::UnknownFormat { .. }) => {
                warnings.push(format!(
                    "{}: listed as weights but not in a weights format openseal reads; packed without a summary",
                    h.file.path
                ));
                continue;
            }
            Err(e) => {
                return Err(SummaryError {
                    path: h.file.source.clone(),
                    source: Box::new(e),
                });
            }
        };
        let mut parameters = Parameters::default();
        parameters.add(&w.parsed.tensors);
        if parameters.saturated() {
            warnings.push(format!(
                "{}: more parameters than a 64-bit count holds; recorded as {}",
                h.file.path,
                u64::MAX
            ));
        }
        let refs: Vec<&weights::TensorInfo> = w.parsed.tensors.iter().collect();
        let arch = crate::inspect::names::architecture(&refs);
        out.push(WeightsSummary {
            path: h.file.path.clone(),
            format: w.parsed.format.name().to_string(),
            tensors: w.parsed.tensors.len() as u64,
            parameters: parameters.total,
            parameters_by_dtype: parameters.by_dtype,
            architecture: arch.family.map(|f| f.value),
            quantization: weights::quantization(&w.parsed.tensors),
            safety: w.parsed.safety.verdict.as_str().to_string(),
        });
    }
    Ok(out)
}

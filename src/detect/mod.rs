//! Component detection: from a release folder's files, names, contents and metadata, a first
//! [`Release`] record that `openseal init` writes out for a person to review. What detection
//! cannot place is listed, never dropped.

mod hub;
mod output;
mod rules;

pub use hub::referenced_on_hub;
pub use output::{InitOutput, SCHEMA as INIT_OUTPUT_SCHEMA};

use crate::inspect::{card, license};
use crate::release::{ComponentRecord, DefaultLicenses, Release, Status};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The descriptor file name; never part of the detected release itself.
pub const DESCRIPTOR: &str = "openseal.toml";

/// The release folder could not be listed.
#[derive(Debug, Error)]
#[error("{}: cannot list the release folder: {source}", root.display())]
pub struct DetectError {
    pub(crate) root: PathBuf,
    pub(crate) source: std::io::Error,
}

/// What detection found in a release folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detected {
    /// The release record: a component for each kind of file found, licences from the model
    /// card and licence texts.
    pub release: Release,
    /// Licence texts (`LICENSE*`, `COPYING`, `NOTICE`), relative paths.
    pub license_files: Vec<String>,
    /// Files no rule placed, relative paths.
    pub unclassified: Vec<String>,
    /// What detection could not decide, for a person to settle.
    pub notes: Vec<String>,
}

/// Detect the components of the release folder `root` from its files.
pub fn detect(root: &Path) -> Result<Detected, DetectError> {
    let (files, skipped) = crate::inspect::folder::files(root).map_err(|source| DetectError {
        root: root.to_path_buf(),
        source,
    })?;
    let mut out = Detected {
        notes: skipped,
        ..Detected::default()
    };
    let mut by_component: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut card_path = None;
    for rel in files {
        let rel_str = slash_path(&rel);
        if rel_str == DESCRIPTOR {
            continue;
        }
        let name = rel_str.rsplit('/').next().unwrap_or(&rel_str).to_string();
        if license::is_license_file(&name) {
            out.license_files.push(rel_str);
        } else if !rel_str.contains('/') && name.eq_ignore_ascii_case("README.md") {
            card_path = Some(rel_str.clone());
            by_component
                .entry("docs.model-card")
                .or_default()
                .push(rel_str);
        } else if let Some(id) = rules::by_path(&rel_str) {
            by_component.entry(id).or_default().push(rel_str);
        } else {
            out.unclassified.push(rel_str);
        }
    }
    separate_compressed_weights(root, &mut by_component, &mut out.notes);

    let mut licenses = DefaultLicenses::default();
    licenses_from_texts(root, &out.license_files, &mut licenses, &mut out.notes);
    let mut referenced = Vec::new();
    if let Some(card) = &card_path {
        read_card(
            root,
            card,
            &mut licenses,
            &mut by_component,
            &mut referenced,
            &mut out.notes,
        );
    }
    let mut components: Vec<ComponentRecord> = by_component
        .into_iter()
        .map(|(id, files)| ComponentRecord {
            id: id.to_string(),
            status: Status::Included,
            license: None,
            files,
            url: None,
            urls: Vec::new(),
            reason: None,
        })
        .collect();
    components.extend(referenced);
    out.release = Release {
        name: release_name(root),
        version: String::new(),
        producer: None,
        licenses,
        components,
    };
    out.notes
        .push("release version and producer are not recorded in the files: set them".into());
    Ok(out)
}

/// The component a release file belongs to by its path alone, as detection places it before
/// reading contents (a `README.md` at the root is the model card); `None` for licence texts and
/// for files no rule places. For paths a bill of materials lists, whose files are not at hand.
pub(crate) fn component_of_path(rel: &str) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if license::is_license_file(name) {
        return None;
    }
    if !rel.contains('/') && name.eq_ignore_ascii_case("README.md") {
        return Some("docs.model-card");
    }
    rules::by_path(rel)
}

/// The dataset component a dataset's name suggests, by the words detection reads in data
/// files' names (`eval`, `test` → evaluation; `dpo`, `pref` → preference; `sft`, `instruct` →
/// fine-tuning; else pre-training).
pub(crate) fn dataset_of_name(name: &str) -> &'static str {
    rules::data_role(&name.to_ascii_lowercase(), &[])
}

/// The folder's name, or `ORG/NAME` for a Hugging Face cache snapshot (whose own folder is named
/// by a commit).
fn release_name(root: &Path) -> String {
    if let Some(repo) = crate::source::link::cache_blobs(root)
        .as_deref()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        && let Some((_, org_name)) = repo.split_once("--")
    {
        return org_name.replacen("--", "/", 1);
    }
    root.canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "release".to_string())
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A GGUF file of quantized tensors beside full-precision weights is a compressed version.
fn separate_compressed_weights(
    root: &Path,
    by_component: &mut BTreeMap<&'static str, Vec<String>>,
    notes: &mut Vec<String>,
) {
    let Some(finals) = by_component.get("weights.final").cloned() else {
        return;
    };
    let (quantized, full): (Vec<String>, Vec<String>) = finals.into_iter().partition(|f| {
        f.ends_with(".gguf")
            && crate::weights::open(&root.join(f), Default::default())
                .is_ok_and(|w| w.parsed.tensors.iter().any(|t| t.dtype.is_quantized()))
    });
    if quantized.is_empty() {
        return;
    }
    if full.is_empty() {
        notes.push(
            "the only final weights are quantized GGUF files: recorded as the final parameters"
                .into(),
        );
        return;
    }
    by_component.insert("weights.final", full);
    by_component.insert("weights.compressed", quantized);
}

/// Licence texts set the default licences: `LICENSE-CODE`-style names set one kind, a single
/// plain `LICENSE` sets the distribution licence.
fn licenses_from_texts(
    root: &Path,
    files: &[String],
    licenses: &mut DefaultLicenses,
    notes: &mut Vec<String>,
) {
    for rel in files {
        let text = crate::json::read_side_file(&root.join(rel))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let Some(id) = license::identify(&text) else {
            notes.push(format!(
                "{rel}: licence text not recognised: set the licence by hand"
            ));
            continue;
        };
        let upper = rel.to_ascii_uppercase();
        let slot = if upper.contains("CODE") || upper.contains("SOFTWARE") {
            &mut licenses.code
        } else if upper.contains("WEIGHT") || upper.contains("MODEL") {
            &mut licenses.weights
        } else if upper.contains("DATA") {
            &mut licenses.data
        } else if upper.contains("DOC") {
            &mut licenses.document
        } else {
            &mut licenses.distribution
        };
        if slot.is_none() {
            *slot = Some(id.to_string());
        }
    }
}

fn read_card(
    root: &Path,
    rel: &str,
    licenses: &mut DefaultLicenses,
    by_component: &mut BTreeMap<&'static str, Vec<String>>,
    referenced: &mut Vec<ComponentRecord>,
    notes: &mut Vec<String>,
) {
    let text = crate::json::read_side_file(&root.join(rel))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let card = match card::parse(&text) {
        Ok(Some(c)) => c,
        Ok(None) => {
            notes.push(format!(
                "{rel}: no YAML front matter, so no licence or datasets were read from it"
            ));
            return;
        }
        Err(e) => {
            notes.push(format!("{rel}: front matter is not valid YAML ({e})"));
            return;
        }
    };
    // A Hub model card's licence is the repository's: it is the weights' licence, and every
    // other component without a licence of its own inherits it as the distribution licence
    // (unless a root LICENSE file already set one).
    if let Some(l) = &card.license {
        let value = match (l.as_str(), &card.license_name) {
            ("other", Some(name)) => format!("LicenseRef-{}", sanitize_ref(name)),
            _ => l.clone(),
        };
        licenses.weights.get_or_insert(value.clone());
        licenses.distribution.get_or_insert(value);
    }
    if card.has_model_index {
        // MOF: evaluation results may live in the model card.
        by_component
            .entry("docs.evaluation-results")
            .or_default()
            .push(rel.to_string());
    }
    if !card.datasets.is_empty() && !by_component.contains_key("datasets.pre-training") {
        for d in &card.datasets {
            notes.push(format!(
                "datasets.pre-training: the model card names dataset {d:?}; recorded as referenced"
            ));
        }
        // Each dataset is its own entry: the first in `url`, the others in `urls`.
        let mut urls = card
            .datasets
            .iter()
            .map(|d| format!("https://huggingface.co/datasets/{d}"));
        referenced.push(ComponentRecord {
            id: "datasets.pre-training".into(),
            status: Status::Referenced,
            license: None,
            files: Vec::new(),
            url: urls.next(),
            urls: urls.collect(),
            reason: None,
        });
    }
}

/// `LicenseRef-` ids allow letters, digits, `.` and `-` only.
fn sanitize_ref(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

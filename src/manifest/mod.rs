//! The signed manifest of a bundle (`openseal.manifest/v1`): the release record, every file
//! with its size, SHA-256 and component, the inspection summary of every weights file, the
//! openness levels the release declares, and the tool that wrote it. Its JSON Schema is
//! `formats/manifest.schema.json`.

mod build;
mod folder;
mod head;
pub mod series;

pub use build::SummaryError;
pub(crate) use build::{file_entries, summarise_weights};
pub use folder::FolderContentsError;
pub(crate) use folder::{FolderContents, folder_contents, folder_contents_known};
pub use head::BundleManifestError;
pub use head::read_bundle_manifest;

use crate::release::{ComponentRecord, DefaultLicenses, ExpectedFile, Release};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

pub(crate) const SCHEMA: &str = "openseal.manifest/v1";

/// A bundle's manifest (`openseal.manifest/v1`). Read one with [`Manifest::from_bytes`], which
/// checks it; [`Manifest::to_bytes`] gives the bytes that are signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub(crate) schema: String,
    /// Which release this is.
    pub release: Identity,
    pub(crate) licenses: DefaultLicenses,
    /// Levels the producer declares (`mof:class-ii`, ...); verify re-derives each from the
    /// contents and fails when the contents do not support it.
    pub declarations: Vec<Declaration>,
    pub(crate) components: Vec<ComponentRecord>,
    /// Every file of the bundle after the manifest and its signature, sorted bytewise by path.
    pub files: Vec<FileEntry>,
    /// Header inspection of every weights file, by path.
    pub(crate) weights: Vec<WeightsSummary>,
    /// The layout-independent fingerprint of the final weights (`formats/fingerprint.md`),
    /// `sha256:<hex>`; absent when the release has no final weights openseal can read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Folders of one checkpoint per training step, each as one series (derived from `files`;
    /// a manifest whose series its files do not bear out is invalid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkpoint_series: Vec<series::SeriesEntry>,
    pub(crate) tool: Tool,
}

/// A release's name and version (and its producer, when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// The release's name (`org/model` or any name the producer chooses).
    pub name: String,
    /// The release's version, as the producer writes it.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) producer: Option<String>,
}

/// An openness level the producer declares under one framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The framework's id (`mof`, `osaid`, ...).
    pub framework: String,
    /// The version of the framework definition the level was derived with.
    pub version: String,
    /// The level met, or `None` when none is.
    pub level: Option<String>,
}

/// One file of the bundle as the manifest lists it: path, size, SHA-256, and what it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub(crate) path: String,
    pub(crate) size: u64,
    /// Lowercase hex SHA-256 of the contents.
    pub(crate) sha256: String,
    /// The components the file carries (a model card can also hold evaluation results);
    /// empty for licence texts, the descriptor and unclassified files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) components: Vec<String>,
    /// `license-text`, `descriptor`, `unclassified`, `bom` (the CycloneDX BOM pack adds) or
    /// `oms-signature` (the `model.sig` pack adds for an ECDSA key) for files outside every
    /// component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) role: Option<String>,
    /// Executable bit (mode 0755 in the bundle).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) executable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WeightsSummary {
    pub(crate) path: String,
    pub(crate) format: String,
    pub(crate) tensors: u64,
    pub(crate) parameters: u64,
    pub(crate) parameters_by_dtype: BTreeMap<String, u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) architecture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) quantization: Option<String>,
    /// `safe`, `suspicious` or `dangerous`.
    pub(crate) safety: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Tool {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) zstd_version: String,
    pub(crate) zstd_level: i32,
}

impl FileEntry {
    /// Whether pack generated this file (the bill of materials, the OMS signature) rather than
    /// taking it from the release folder.
    pub fn generated_by_pack(&self) -> bool {
        matches!(self.role.as_deref(), Some("bom" | "oms-signature"))
    }
}

/// Why manifest bytes were not accepted.
#[derive(Debug, Error)]
pub enum ManifestError {
    /// Not JSON, or JSON that does not have the manifest's fields (unknown fields are errors).
    #[error("manifest is not valid JSON for {SCHEMA}: {0}")]
    Json(#[from] serde_json::Error),
    /// A `schema` other than `openseal.manifest/v1` (empty when there is none); the schema found.
    #[error("manifest schema is \"{0}\"; this openseal reads {SCHEMA}")]
    UnknownSchema(String),
    /// Well-formed JSON that breaks a rule: files unsorted or repeated, a path that is not plain
    /// and relative, a bad SHA-256, an unknown component, a component naming an unlisted file.
    #[error("manifest: {0}")]
    Invalid(String),
}

impl Manifest {
    /// The release record the manifest describes.
    pub(crate) fn release(&self) -> Release {
        Release {
            name: self.release.name.clone(),
            version: self.release.version.clone(),
            producer: self.release.producer.clone(),
            licenses: self.licenses.clone(),
            components: self.components.clone(),
        }
    }

    /// Canonical bytes: the JSON that is signed and stored (sorted file list, pretty printed,
    /// trailing newline), so the same release always gives the same manifest bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Paths of the files that make up the final weights (what the fingerprint covers).
    pub(crate) fn final_weights_files(&self) -> Vec<&str> {
        let summarised: std::collections::HashSet<&str> =
            self.weights.iter().map(|w| w.path.as_str()).collect();
        self.components
            .iter()
            .filter(|c| c.id == "weights.final")
            .flat_map(|c| c.files.iter().map(String::as_str))
            .filter(|f| summarised.contains(f))
            .collect()
    }

    /// The files as the bundle reader checks them.
    pub fn expected(&self) -> Result<Vec<ExpectedFile>, ManifestError> {
        self.files
            .iter()
            .map(|f| {
                Ok(ExpectedFile {
                    path: f.path.clone(),
                    size: f.size,
                    sha256: f.sha256.parse().map_err(|_| {
                        ManifestError::Invalid(format!("file \"{}\": bad sha256", f.path))
                    })?,
                })
            })
            .collect()
    }

    /// Parse and check a manifest: known schema, files sorted and unique, every component's
    /// files listed, paths relative and plain.
    pub fn from_bytes(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        // Read the schema first so an unknown schema is named as such, not as a field error.
        let probe: serde_json::Value = serde_json::from_slice(bytes)?;
        let schema = probe.get("schema").and_then(|s| s.as_str()).unwrap_or("");
        if schema != SCHEMA {
            return Err(ManifestError::UnknownSchema(schema.to_string()));
        }
        let m: Manifest = serde_json::from_value(probe)?;
        m.check()?;
        Ok(m)
    }

    fn check(&self) -> Result<(), ManifestError> {
        let bad = |m: String| Err(ManifestError::Invalid(m));
        for pair in self.files.windows(2) {
            if pair[0].path.as_bytes() >= pair[1].path.as_bytes() {
                return bad(format!(
                    "files are not sorted and unique: \"{}\" before \"{}\"",
                    pair[0].path, pair[1].path
                ));
            }
        }
        for f in &self.files {
            if f.path.is_empty()
                || f.path.starts_with('/')
                || f.path
                    .split('/')
                    .any(|c| c.is_empty() || c == "." || c == "..")
            {
                return bad(format!(
                    "file path \"{}\" is not a plain relative path",
                    f.path
                ));
            }
            if f.sha256.len() != 64
                || !f
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            {
                return bad(format!(
                    "file \"{}\": sha256 is not 64 lowercase hex digits",
                    f.path
                ));
            }
        }
        if self.checkpoint_series != series::series_of(&self.files, &self.weights) {
            return bad(
                "checkpoint_series does not match the step folders of the file list".to_string(),
            );
        }
        let paths: std::collections::HashSet<&str> =
            self.files.iter().map(|f| f.path.as_str()).collect();
        for c in &self.components {
            if crate::framework::component(&c.id).is_none() {
                return bad(format!("unknown component id \"{}\"", c.id));
            }
            if c.status == crate::release::Status::Included && c.files.is_empty() {
                return bad(format!(
                    "component \"{}\" is included but names no file",
                    c.id
                ));
            }
            if let Some(missing) = c.files.iter().find(|f| !paths.contains(f.as_str())) {
                return bad(format!(
                    "component \"{}\" names file \"{missing}\", which the manifest does not list",
                    c.id
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::Status;

    pub fn sample() -> Manifest {
        Manifest {
            schema: SCHEMA.into(),
            release: Identity {
                name: "x".into(),
                version: "1".into(),
                producer: None,
            },
            licenses: DefaultLicenses::default(),
            declarations: vec![],
            components: vec![ComponentRecord {
                id: "weights.final".into(),
                status: Status::Included,
                license: None,
                files: vec!["a.safetensors".into()],
                url: None,
                urls: Vec::new(),
                reason: None,
            }],
            files: vec![FileEntry {
                path: "a.safetensors".into(),
                size: 3,
                sha256: "0".repeat(64),
                components: vec!["weights.final".into()],
                role: None,
                executable: false,
            }],
            weights: vec![],
            fingerprint: None,
            checkpoint_series: Vec::new(),
            tool: Tool {
                name: "openseal".into(),
                version: "0".into(),
                zstd_version: "1".into(),
                zstd_level: 3,
            },
        }
    }

    #[test]
    fn checkpoint_series_must_match_the_files() {
        let mut m = sample();
        let entry = |path: &str| FileEntry {
            path: path.into(),
            size: 1,
            sha256: "0".repeat(64),
            components: Vec::new(),
            role: None,
            executable: false,
        };
        m.files
            .extend([entry("checkpoints/step-1/a"), entry("checkpoints/step-2/a")]);
        m.files
            .sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
        // Undeclared: the files say there is a series.
        assert!(
            Manifest::from_bytes(&m.to_bytes())
                .unwrap_err()
                .to_string()
                .contains("checkpoint_series")
        );
        m.checkpoint_series = series::series_of(&m.files, &m.weights);
        assert_eq!(m.checkpoint_series[0].pattern, "checkpoints/step-{step}/");
        assert_eq!(m.checkpoint_series[0].steps, vec![1, 2]);
        assert_eq!(Manifest::from_bytes(&m.to_bytes()).unwrap(), m);
        // Declared otherwise than the files bear out.
        m.checkpoint_series[0].steps = vec![1, 2, 3];
        assert!(Manifest::from_bytes(&m.to_bytes()).is_err());
    }

    #[test]
    fn round_trips() {
        let m = sample();
        assert_eq!(Manifest::from_bytes(&m.to_bytes()).unwrap(), m);
    }

    #[test]
    fn rejects_unknown_schema_unsorted_files_and_dangling_components() {
        let mut m = sample();
        m.schema = "openseal.manifest/v9".into();
        assert!(matches!(
            Manifest::from_bytes(&m.to_bytes()),
            Err(ManifestError::UnknownSchema(_))
        ));
        let mut m = sample();
        m.files.push(m.files[0].clone());
        assert!(
            Manifest::from_bytes(&m.to_bytes())
                .unwrap_err()
                .to_string()
                .contains("sorted and unique")
        );
        let mut m = sample();
        m.components[0].files = vec!["gone.bin".into()];
        assert!(
            Manifest::from_bytes(&m.to_bytes())
                .unwrap_err()
                .to_string()
                .contains("gone.bin")
        );
        let mut m = sample();
        m.files[0].path = "../a".into();
        assert!(Manifest::from_bytes(&m.to_bytes()).is_err());
    }
}

//! One loader of release records: a release folder (its `openseal.toml`, else detection), a
//! manifest, a bundle's manifest (unchecked) or a Model Openness Tool `.yml`.

use crate::release::Release;
use crate::{descriptor, detect, manifest, mot};
use serde::Serialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A folder with an `openseal.toml`.
    Descriptor,
    /// A folder without one: components were detected.
    Detected,
    Manifest,
    /// A bundle's manifest (its signature is `verify`'s business, not checked here).
    Bundle,
    MotYaml,
}

/// A release record and what it was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub path: PathBuf,
    pub source: SourceKind,
    pub release: Release,
    /// Licence texts of a folder (relative paths).
    pub(crate) license_files: Vec<String>,
    /// Files in a folder that no component claims (listed, never dropped).
    pub unclassified: Vec<String>,
    /// What detection could not decide.
    pub notes: Vec<String>,
    /// The manifest, when read from a manifest or a bundle.
    #[serde(skip)]
    pub(crate) manifest: Option<manifest::Manifest>,
    /// A bundle's signature envelope as stored (unchecked).
    #[serde(skip)]
    pub(crate) signature: Option<Vec<u8>>,
}

#[derive(Debug, Error)]
pub enum InputError {
    #[error("{}: no such file or folder", .0.display())]
    NotFound(PathBuf),
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Descriptor(#[from] descriptor::DescriptorError),
    #[error(transparent)]
    Detect(#[from] detect::DetectError),
    #[error("{}: {source}", path.display())]
    Manifest {
        path: PathBuf,
        source: manifest::ManifestError,
    },
    #[error(transparent)]
    Mot(#[from] mot::MotError),
    #[error(transparent)]
    Bundle(#[from] manifest::BundleManifestError),
    #[error(
        "{}: not a release folder, bundle (.tar.zst), manifest (.json) or Model Openness Tool file (.yml)",
        .0.display()
    )]
    Unrecognised(PathBuf),
}

pub fn load(path: &Path) -> Result<Input, InputError> {
    let meta = std::fs::metadata(path).map_err(|_| InputError::NotFound(path.to_path_buf()))?;
    if meta.is_dir() {
        return from_folder(path);
    }
    let read = || {
        crate::json::read_side_file(path).map_err(|source| InputError::Io {
            path: path.to_path_buf(),
            source,
        })
    };
    let ext = extension(path);
    let input = |source, release| Input {
        path: path.to_path_buf(),
        source,
        release,
        license_files: Vec::new(),
        unclassified: Vec::new(),
        notes: Vec::new(),
        manifest: None,
        signature: None,
    };
    match ext.as_str() {
        "yml" | "yaml" => {
            let text = String::from_utf8_lossy(&read()?).into_owned();
            let release = mot::from_mot_yaml(&path.display().to_string(), &text)?;
            Ok(input(SourceKind::MotYaml, release))
        }
        _ if names_a_bundle(path) => {
            let (m, head) = manifest::read_bundle_manifest(path)?;
            let mut i = input(SourceKind::Bundle, m.release());
            i.notes.push(
                "read from the bundle's manifest; the signature and files are not checked here (run openseal verify)".into(),
            );
            i.manifest = Some(m);
            i.signature = Some(head.signature);
            Ok(i)
        }
        "json" => {
            let m = manifest::Manifest::from_bytes(&read()?).map_err(|source| {
                InputError::Manifest {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
            let mut i = input(SourceKind::Manifest, m.release());
            i.manifest = Some(m);
            Ok(i)
        }
        _ => Err(InputError::Unrecognised(path.to_path_buf())),
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether [`load`] reads `path` as a bundle (by its name, as `load` does).
pub fn names_a_bundle(path: &Path) -> bool {
    matches!(extension(path).as_str(), "zst" | "tzst")
}

fn from_folder(root: &Path) -> Result<Input, InputError> {
    if let Some(d) = descriptor::load(root)? {
        return Ok(Input {
            path: root.to_path_buf(),
            source: SourceKind::Descriptor,
            release: d.release,
            license_files: d.license_files,
            unclassified: d.unclassified,
            notes: Vec::new(),
            manifest: None,
            signature: None,
        });
    }
    let d = detect::detect(root)?;
    Ok(Input {
        path: root.to_path_buf(),
        source: SourceKind::Detected,
        release: d.release,
        license_files: d.license_files,
        unclassified: d.unclassified,
        notes: d.notes,
        manifest: None,
        signature: None,
    })
}

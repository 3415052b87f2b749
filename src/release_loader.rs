//! One loader of release records: a release folder (its `openseal.toml`, else detection), a
//! manifest, a bundle's manifest (unchecked) or a Model Openness Tool `.yml`.

use crate::release::Release;
use crate::{descriptor, detect, manifest, mot};
use serde::Serialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What a release record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A folder with an `openseal.toml`.
    Descriptor,
    /// A folder without one: components were detected.
    Detected,
    /// A manifest file (`.json`).
    Manifest,
    /// A bundle's manifest (its signature is `verify`'s business, not checked here).
    Bundle,
    /// A Model Openness Tool file (`.yml` / `.yaml`).
    MotYaml,
}

/// A release record and what it was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// The path as given.
    pub path: PathBuf,
    /// What it is.
    pub source: SourceKind,
    /// The release record.
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

/// Why no release record could be read.
#[derive(Debug, Error)]
pub enum InputError {
    /// The path does not exist.
    #[error("{}: no such file or folder", .0.display())]
    NotFound(PathBuf),
    /// A manifest or Model Openness Tool file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The folder's `openseal.toml` is not a valid descriptor.
    #[error(transparent)]
    Descriptor(#[from] descriptor::DescriptorError),
    /// The folder has no descriptor, and it could not be listed for detection.
    #[error(transparent)]
    Detect(#[from] detect::DetectError),
    /// A `.json` file that is not a valid manifest.
    #[error("{}: {source}", path.display())]
    Manifest {
        /// The file.
        path: PathBuf,
        /// Why.
        source: manifest::ManifestError,
    },
    /// A `.yml` file that is not a valid Model Openness Tool file.
    #[error(transparent)]
    Mot(#[from] mot::MotError),
    /// A bundle whose manifest could not be read.
    #[error(transparent)]
    Bundle(#[from] manifest::BundleManifestError),
    /// A file of no kind the loader reads.
    #[error(
        "{}: not a release folder, bundle (.tar.zst), manifest (.json) or Model Openness Tool file (.yml)",
        .0.display()
    )]
    Unrecognised(PathBuf),
}

/// Read the release record at `path`: a folder (its `openseal.toml`, else detected
/// components), a bundle's manifest (`.tar.zst`, signature not checked), a manifest (`.json`) or
/// a Model Openness Tool file (`.yml`).
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
            let mut i = from_bundle_manifest(path, m);
            i.notes.push(
                "read from the bundle's manifest; the signature and files are not checked here (run openseal verify)".into(),
            );
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

/// The release record of the bundle at `path` from its manifest, already read (by a verification,
/// say): nothing is read again.
pub fn from_bundle_manifest(path: &Path, manifest: manifest::Manifest) -> Input {
    Input {
        path: path.to_path_buf(),
        source: SourceKind::Bundle,
        release: manifest.release(),
        license_files: Vec::new(),
        unclassified: Vec::new(),
        notes: Vec::new(),
        manifest: Some(manifest),
        signature: None,
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

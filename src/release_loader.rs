//! One loader of release records: a release folder (its `openseal.toml`, else detection), a
//! manifest, a bundle's manifest (unchecked), a Model Openness Tool `.yml`, or a CycloneDX or
//! SPDX 3 AI bill of materials. A `.json` / `.jsonld` file is told apart by its content:
//! `"bomFormat": "CycloneDX"` is a CycloneDX BOM, an `@context` of spdx.org with an `@graph` an
//! SPDX 3 document, anything else a manifest.

use crate::bom_import::{self, BomKind, Sniffed};
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
    /// A CycloneDX bill of materials (`.json`); `cyclonedx` in JSON, as `bom --format` names it.
    #[serde(rename = "cyclonedx")]
    CycloneDx,
    /// An SPDX 3 bill of materials (`.json` / `.jsonld`).
    Spdx,
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
    /// A `.json` file that is a bill of materials openseal cannot read.
    #[error(transparent)]
    Bom(#[from] bom_import::BomImportError),
    /// A `.json` file that is neither a manifest nor a bill of materials.
    #[error(
        "{}: neither an openseal manifest (\"schema\": \"openseal.manifest/v1\"), a CycloneDX BOM (\"bomFormat\": \"CycloneDX\") nor an SPDX 3 document (an \"@context\" of spdx.org with an \"@graph\"){}",
        path.display(),
        if *spdx2 { "; this is an SPDX 2 document, and openseal reads SPDX 3 JSON-LD, whose AI profile describes models" } else { "" }
    )]
    UnknownJson {
        /// The file.
        path: PathBuf,
        /// It is an SPDX 2 document (`spdxVersion`).
        spdx2: bool,
    },
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
        "{}: not a release folder, bundle (.tar.zst), manifest (.json), Model Openness Tool file (.yml) or bill of materials (CycloneDX .json, SPDX 3 .json / .jsonld)",
        .0.display()
    )]
    Unrecognised(PathBuf),
}

/// Read the release record at `path`: a folder (its `openseal.toml`, else detected
/// components), a bundle's manifest (`.tar.zst`, signature not checked), a manifest (`.json`), a
/// Model Openness Tool file (`.yml`), or a CycloneDX or SPDX 3 bill of materials (`.json`,
/// `.jsonld`; told from a manifest by its content).
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
        "json" | "jsonld" => {
            let bytes = read()?;
            let sniffed = bom_import::sniff(&bytes);
            let kind = match sniffed {
                Sniffed::Bom(kind) => kind,
                Sniffed::Spdx2 | Sniffed::OtherObject => {
                    return Err(InputError::UnknownJson {
                        path: path.to_path_buf(),
                        spdx2: sniffed == Sniffed::Spdx2,
                    });
                }
                // A manifest, or JSON too broken to tell: the manifest's reader says what is wrong.
                Sniffed::Schema | Sniffed::NotAnObject => {
                    let m = manifest::Manifest::from_bytes(&bytes).map_err(|source| {
                        InputError::Manifest {
                            path: path.to_path_buf(),
                            source,
                        }
                    })?;
                    let mut i = input(SourceKind::Manifest, m.release());
                    i.manifest = Some(m);
                    return Ok(i);
                }
            };
            let b = bom_import::from_bytes(path, &bytes, kind)?;
            let source = match kind {
                BomKind::CycloneDx => SourceKind::CycloneDx,
                BomKind::Spdx => SourceKind::Spdx,
            };
            let mut i = input(source, b.release);
            i.license_files = b.license_files;
            i.unclassified = b.unclassified;
            i.notes = b.notes;
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

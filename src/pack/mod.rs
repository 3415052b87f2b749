//! `pack`: a release folder into one signed, reproducible bundle. Reads the descriptor (or
//! detects components), hashes every file in parallel, inspects the weights, classifies, refuses
//! when a required level is not met, signs the manifest and streams the bundle to a temporary
//! file beside the output that is renamed into place only when complete.

pub mod declare;

use crate::bundle::{
    self, BundleInfo, BundleWriter, FolderError, HashedFile, WriteError, WriteOptions,
};
use crate::classify::input::{self, InputError};
use crate::classify::{ClassifyError, FrameworkResult, Missing};
use crate::manifest::{FileEntry, Identity, Manifest, SCHEMA, Tool, WeightsSummary};
use crate::signature::{SigningKey, key_id, sign_manifest};
use crate::weights;
pub use declare::{DECLARED_FRAMEWORKS, Requirement, parse_requirement};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Clone)]
pub struct PackOptions {
    /// Levels the release must meet (`mof:class-ii`); pack refuses otherwise.
    pub requires: Vec<Requirement>,
    pub write: WriteOptions,
}

/// What pack did.
#[derive(Debug, Clone)]
pub struct Packed {
    pub bundle: BundleInfo,
    pub manifest: Manifest,
    pub signer_key_id: String,
    /// The evaluation behind each declaration.
    pub results: Vec<FrameworkResult>,
    /// What the producer should know (detection notes, files packed without a summary).
    pub warnings: Vec<String>,
}

#[derive(Debug, Error)]
pub enum PackError {
    #[error("{}: not a folder (pack takes a release folder)", .0.display())]
    NotAFolder(PathBuf),
    #[error("{}: the output is inside the release folder; write it elsewhere", .0.display())]
    OutputInside(PathBuf),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error("{}: weights file cannot be packed: {source}", path.display())]
    Weights {
        path: PathBuf,
        source: Box<weights::Error>,
    },
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    #[error("{0}")]
    Requirement(String),
    #[error(
        "the release does not meet {framework}:{level}; missing: {}",
        missing.iter().map(|m| format!("{} ({})", m.component, m.reason)).collect::<Vec<_>>().join(", ")
    )]
    LevelNotMet {
        framework: String,
        level: String,
        missing: Vec<Missing>,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Pack `root` into `out`, signed with `key`. `on_file` is called with each file's size as it
/// is written (for a progress bar).
pub fn pack(
    root: &Path,
    out: &Path,
    key: &SigningKey,
    opts: &PackOptions,
    on_file: &mut dyn FnMut(&str, u64),
) -> Result<Packed, PackError> {
    if !root.is_dir() {
        return Err(PackError::NotAFolder(root.to_path_buf()));
    }
    check_output_outside(root, out)?;
    let input = input::load(root)?;
    let hashed = bundle::hash_sources(bundle::collect_files(root)?, 0)?;
    let mut warnings = input.notes.clone();
    let weights = summarise_weights(&input.release, &hashed, &mut warnings)?;
    let (declarations, results) = declare::evaluate(&input.release, &opts.requires)?;
    let fingerprint = final_weights_fingerprint(root, &input.release, &weights, &mut warnings);
    let manifest = Manifest {
        schema: SCHEMA.to_string(),
        release: Identity {
            name: input.release.name.clone(),
            version: input.release.version.clone(),
            producer: input.release.producer.clone(),
        },
        licenses: input.release.licenses.clone(),
        declarations,
        components: input.release.components.clone(),
        files: file_entries(&input, &hashed),
        weights,
        fingerprint,
        tool: Tool {
            name: "openseal".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            zstd_version: bundle::zstd_version().into(),
            zstd_level: opts.write.level,
        },
    };
    let manifest_bytes = manifest.to_bytes();
    let signature = sign_manifest(&manifest_bytes, key);
    let mut writer = BundleWriter::create(out, &opts.write, &manifest_bytes, &signature)?;
    for file in &hashed {
        writer.append_file(file)?;
        on_file(&file.file.path, file.file.size);
    }
    Ok(Packed {
        bundle: writer.finish()?,
        manifest,
        signer_key_id: key_id(&key.verifying_key()),
        results,
        warnings,
    })
}

fn check_output_outside(root: &Path, out: &Path) -> Result<(), PackError> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let parent = parent
        .canonicalize()
        .unwrap_or_else(|_| parent.to_path_buf());
    if parent.starts_with(&root) {
        return Err(PackError::OutputInside(out.to_path_buf()));
    }
    Ok(())
}

/// Every file with the components it carries, or its role when it carries none.
pub(crate) fn file_entries(input: &input::Input, hashed: &[HashedFile]) -> Vec<FileEntry> {
    let mut by_file: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in &input.release.components {
        for f in &c.files {
            by_file.entry(f.as_str()).or_default().push(c.id.clone());
        }
    }
    let license_texts: HashSet<&str> = input.license_files.iter().map(String::as_str).collect();
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

/// Header inspection of every file of a weights component.
pub(crate) fn summarise_weights(
    release: &crate::release::Release,
    hashed: &[HashedFile],
    warnings: &mut Vec<String>,
) -> Result<Vec<WeightsSummary>, PackError> {
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
                return Err(PackError::Weights {
                    path: h.file.source.clone(),
                    source: Box::new(e),
                });
            }
        };
        let mut by_dtype: BTreeMap<String, u64> = BTreeMap::new();
        for t in &w.parsed.tensors {
            *by_dtype.entry(t.dtype.name()).or_default() += t.numel();
        }
        let refs: Vec<&weights::TensorInfo> = w.parsed.tensors.iter().collect();
        let arch = crate::inspect::names::architecture(&refs);
        out.push(WeightsSummary {
            path: h.file.path.clone(),
            format: w.parsed.format.name().to_string(),
            tensors: w.parsed.tensors.len() as u64,
            parameters: by_dtype.values().sum(),
            parameters_by_dtype: by_dtype,
            architecture: arch.family.map(|f| f.value),
            quantization: w
                .parsed
                .tensors
                .iter()
                .find(|t| t.dtype.is_quantized())
                .map(|t| t.dtype.name()),
            safety: w.parsed.safety.verdict.as_str().to_string(),
        });
    }
    Ok(out)
}

/// The fingerprint of the final weights, or `None` (with a note) when they cannot be read
/// tensor by tensor.
fn final_weights_fingerprint(
    root: &Path,
    release: &crate::release::Release,
    summaries: &[WeightsSummary],
    warnings: &mut Vec<String>,
) -> Option<String> {
    let summarised: HashSet<&str> = summaries.iter().map(|w| w.path.as_str()).collect();
    let paths: Vec<PathBuf> = release
        .components
        .iter()
        .filter(|c| c.id == "weights.final")
        .flat_map(|c| c.files.iter())
        .filter(|f| summarised.contains(f.as_str()))
        .map(|f| root.join(f))
        .collect();
    fingerprint_of(&paths)
        .map_err(|e| warnings.push(format!("no weights fingerprint recorded: {e}")))
        .ok()
        .flatten()
}

/// The fingerprint root of these weights files; `Ok(None)` when there are none.
pub fn fingerprint_of(paths: &[PathBuf]) -> Result<Option<String>, String> {
    if paths.is_empty() {
        return Ok(None);
    }
    let files = paths
        .iter()
        .map(|p| weights::open(p, Default::default()).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    crate::fingerprint::of_files(&files)
        .map(|f| Some(f.root_hex()))
        .map_err(|e| e.to_string())
}

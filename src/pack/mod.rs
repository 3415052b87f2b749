//! `pack`: a release folder into one signed, reproducible bundle. Reads the descriptor (or
//! detects components), hashes every file in parallel, inspects the weights, classifies, refuses
//! when a required level is not met, signs the manifest and streams the bundle to a temporary
//! file beside the output that is renamed into place only when complete.

mod bom_file;
mod generated;
mod oms_sig;
mod output;

pub use bom_file::BomFileError;
pub use output::{PackOutput, SCHEMA as OUTPUT_SCHEMA};

use crate::classify::requirements::{self, DECLARED_FRAMEWORKS, Requirement, RequirementError};
use crate::classify::{ClassifyError, FrameworkResult, Missing};
use crate::manifest::{
    self, Declaration, FolderContentsError, Identity, Manifest, SCHEMA, Tool, WeightsSummary,
};
use crate::progress::Progress;
use crate::release::Release;
use crate::release_loader::{self, InputError};
use crate::signature::{SigningKey, key_id, sign_manifest};
use crate::source;
use crate::write::{self, BundleInfo, BundleWriter, WriteError, WriteOptions};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// How to pack.
#[derive(Debug, Clone)]
pub struct PackOptions {
    /// Levels the release must meet (`mof:class-ii`); pack refuses otherwise.
    pub requires: Vec<Requirement>,
    /// How the bundle is written (compression, mtime, overwriting).
    pub write: WriteOptions,
    /// Add the CycloneDX bill of materials (`bom.cdx.json`) to the bundle.
    pub bom: bool,
}

/// What pack did.
#[derive(Debug, Clone)]
pub struct Packed {
    /// The bundle written.
    pub bundle: BundleInfo,
    /// The manifest it holds, as signed.
    pub manifest: Manifest,
    /// Key id of the signing key (lowercase hex SHA-256 of the raw public key).
    pub signer_key_id: String,
    /// The evaluation behind each declaration.
    pub results: Vec<FrameworkResult>,
    /// Whether pack added the CycloneDX bill of materials (`bom.cdx.json`).
    pub bom: bool,
    /// Whether pack added an OMS `model.sig` (the key is ECDSA and the release had none).
    pub oms_signature: bool,
    /// What the producer should know (detection notes, files packed without a summary).
    pub warnings: Vec<String>,
}

/// Why no bundle was written.
#[derive(Debug, Error)]
pub enum PackError {
    /// The release path is not a folder.
    #[error("{}: not a folder (pack takes a release folder)", .0.display())]
    NotAFolder(PathBuf),
    /// The output would be written inside the release folder (and so pack itself).
    #[error("{}: the output is inside the release folder; write it elsewhere", .0.display())]
    OutputInside(PathBuf),
    /// The descriptor could not be read, or components could not be detected.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The release folder could not be listed or hashed, or holds something a bundle cannot.
    #[error(transparent)]
    Contents(#[from] FolderContentsError),
    /// The embedded frameworks or licence data could not be loaded.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// A required level was not among the evaluation's results (a bug, reported rather than
    /// read as "not met").
    #[error(transparent)]
    Requirement(#[from] RequirementError),
    /// The release does not meet a required level.
    #[error(
        "the release does not meet {framework}:{level}; missing: {}",
        missing.iter().map(|m| format!("{} ({})", m.component, m.reason)).collect::<Vec<_>>().join(", ")
    )]
    LevelNotMet {
        /// The framework's id.
        framework: String,
        /// The level required.
        level: String,
        /// What the release lacks for it.
        missing: Vec<Missing>,
    },
    /// The bundle could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The bill of materials (`bom.cdx.json`) could not be made.
    #[error(transparent)]
    Bom(#[from] BomFileError),
    /// The OMS signature (`model.sig`) of an ECDSA-signed bundle could not be made.
    #[error(transparent)]
    Oms(#[from] crate::oms::OmsError),
}

/// Pack `root` into `out`, signed with `key`. `progress` counts the release's bytes as they are
/// written.
pub fn pack(
    root: &Path,
    out: &Path,
    key: &SigningKey,
    opts: &PackOptions,
    progress: &dyn Progress,
) -> Result<Packed, PackError> {
    if !root.is_dir() {
        return Err(PackError::NotAFolder(root.to_path_buf()));
    }
    check_output_outside(root, out)?;
    let input = release_loader::load(root)?;
    let mut contents = manifest::folder_contents(root, &input.release, &input.license_files)?;
    let mut warnings = input.notes.clone();
    warnings.extend(std::mem::take(&mut contents.warnings));
    let weights = std::mem::take(&mut contents.weights);
    let (declarations, results) = declare(&input.release, &opts.requires)?;
    let fingerprint = final_weights_fingerprint(root, &input.release, &weights, &mut warnings);
    let checkpoint_series = manifest::series::series_of(&contents.files, &weights);
    // The generated files are kept on disk until the bundle is written: the writer streams them.
    // The BOM comes first, so that model.sig covers it.
    let shown = if opts.bom {
        crate::classify::evaluate_shown(&input.release)?
    } else {
        Vec::new()
    };
    let bom_file = if opts.bom {
        bom_file::add(
            &mut contents,
            &input.release,
            &shown,
            &weights,
            opts.write.mtime,
            out,
        )?
    } else {
        None
    };
    if opts.bom && bom_file.is_none() {
        warnings.push(format!(
            "the release has its own {}: packed as it is, not regenerated",
            bom_file::PATH
        ));
    }
    let (oms_outcome, oms_file) = oms_sig::add(&mut contents, &input.release.name, key, out)?;
    if oms_outcome == oms_sig::Outcome::AlreadyThere {
        warnings.push(format!(
            "the release has its own {}: packed as it is, not re-signed",
            crate::oms::SIGNATURE_FILE
        ));
    }
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
        files: contents.files,
        weights,
        fingerprint,
        checkpoint_series,
        tool: Tool {
            name: "openseal".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            zstd_version: write::zstd_version().into(),
            zstd_level: opts.write.level,
        },
    };
    let manifest_bytes = manifest.to_bytes();
    let signature = sign_manifest(&manifest_bytes, key);
    let mut writer = BundleWriter::create(out, &opts.write, &manifest_bytes, &signature)?;
    progress.start(contents.hashed.iter().map(|f| f.file.size).sum());
    let written = append_all(&mut writer, &contents.hashed, progress);
    progress.finish();
    written?;
    let added_bom = bom_file.is_some();
    drop((bom_file, oms_file));
    Ok(Packed {
        bundle: writer.finish()?,
        manifest,
        signer_key_id: key_id(&key.verifying_key()),
        oms_signature: oms_outcome == oms_sig::Outcome::Added,
        bom: added_bom,
        results,
        warnings,
    })
}

fn append_all(
    writer: &mut BundleWriter,
    hashed: &[source::HashedFile],
    progress: &dyn Progress,
) -> Result<(), WriteError> {
    for file in hashed {
        writer.append_file(file)?;
        progress.advance(file.file.size);
    }
    Ok(())
}

/// The declarations of the manifest, after checking that every required level is met.
fn declare(
    release: &Release,
    requires: &[Requirement],
) -> Result<(Vec<Declaration>, Vec<FrameworkResult>), PackError> {
    let results = requirements::evaluate_all(release, requires)?;
    let checks = requirements::check(&results, requires)?;
    if let Some(unmet) = checks.into_iter().find(|c| !c.met) {
        return Err(PackError::LevelNotMet {
            framework: unmet.framework,
            level: unmet.level,
            missing: unmet.missing,
        });
    }
    let declarations = results
        .iter()
        .filter(|res| DECLARED_FRAMEWORKS.contains(&res.framework.as_str()))
        .map(|res| Declaration {
            framework: res.framework.clone(),
            version: res.version.clone(),
            level: res.level.clone(),
        })
        .collect();
    Ok((declarations, results))
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

/// The fingerprint of the final weights, or `None` (with a note) when they cannot be read
/// tensor by tensor.
fn final_weights_fingerprint(
    root: &Path,
    release: &Release,
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
    crate::fingerprint::root_of_paths(&paths)
        .map_err(|e| warnings.push(format!("no weights fingerprint recorded: {e}")))
        .ok()
        .flatten()
}

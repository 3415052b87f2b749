//! What a manifest says about a release folder's files: each hashed, listed with its components
//! or role, and every weights file summarised. Pack writes it into the manifest; report shows it
//! for a folder not yet packed.

use std::path::Path;

use thiserror::Error;

use super::{FileEntry, SummaryError, WeightsSummary, file_entries, summarise_weights};
use crate::release::Release;
use crate::source::{self, FolderError, HashedFile};

/// A release folder's files as a manifest records them.
#[derive(Debug, Clone)]
pub struct FolderContents {
    /// Every file with its size and SHA-256, sorted bytewise by path.
    pub hashed: Vec<HashedFile>,
    /// The manifest's file list.
    pub files: Vec<FileEntry>,
    /// The header summary of every weights file.
    pub weights: Vec<WeightsSummary>,
    /// What the producer should know (files listed as weights that hold none, and the like).
    pub warnings: Vec<String>,
}

/// Why a folder's contents could not be described.
#[derive(Debug, Error)]
pub enum FolderContentsError {
    /// The folder could not be listed or hashed.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// A weights file is broken.
    #[error(transparent)]
    Weights(#[from] SummaryError),
}

/// Lists and hashes the files under `root` and describes them for `release`, whose licence
/// texts are `license_files` (relative paths).
pub fn folder_contents(
    root: &Path,
    release: &Release,
    license_files: &[String],
) -> Result<FolderContents, FolderContentsError> {
    folder_contents_known(
        root,
        release,
        license_files,
        &std::collections::BTreeMap::new(),
    )
}

/// [`folder_contents`], with the digests of some files (by release path) known rather than
/// read: a remote release laid out header-only.
pub fn folder_contents_known(
    root: &Path,
    release: &Release,
    license_files: &[String],
    known: &std::collections::BTreeMap<String, crate::digest::Sha256Digest>,
) -> Result<FolderContents, FolderContentsError> {
    let hashed = source::folder::hash_sources_known(source::collect_files(root)?, 0, known)?;
    let mut warnings = Vec::new();
    let weights = summarise_weights(release, &hashed, &mut warnings)?;
    let files = file_entries(release, license_files, &hashed);
    Ok(FolderContents {
        hashed,
        files,
        weights,
        warnings,
    })
}

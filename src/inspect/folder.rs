//! Walking a model folder and sorting its files into the roles inspect cares about.

use crate::limits;
use std::path::{Path, PathBuf};

/// Known tokenizer files.
pub const TOKENIZER_FILES: &[&str] = &[
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    "tokenizer.model",
    "spiece.model",
    "sentencepiece.bpe.model",
];

#[derive(Debug, Default)]
pub struct FolderListing {
    pub weights: Vec<PathBuf>,
    pub indexes: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub adapter_config: Option<PathBuf>,
    pub generation_config: Option<PathBuf>,
    pub tokenizer: Vec<PathBuf>,
    pub card: Option<PathBuf>,
    pub licenses: Vec<PathBuf>,
    /// Everything else, relative to the folder: listed, never silently dropped.
    pub other: Vec<PathBuf>,
    /// Things not followed: links to folders, broken links and loops, folders past the depth
    /// limit, the file-count cap.
    pub skipped: Vec<String>,
}

pub fn list(root: &Path) -> std::io::Result<FolderListing> {
    let mut out = FolderListing::default();
    let (files, skipped) = files(root)?;
    out.skipped = skipped;
    for rel in files {
        classify(root, rel, &mut out);
    }
    Ok(out)
}

/// Every regular file below `root` (paths relative to it, sorted), symbolic links to regular
/// files included, and what was not followed: hidden folders are skipped silently; links to
/// folders, broken links and loops, deep folders and files past the cap are reported.
pub fn files(root: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<String>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    walk(root, root, 0, &mut files, &mut skipped)?;
    files.sort();
    Ok((files, skipped))
}

fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
    skipped: &mut Vec<String>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let name = entry.file_name();
        let mut ty = entry.file_type()?;
        if ty.is_symlink() {
            // A link to a regular file is read through (the Hugging Face cache links every
            // snapshot file into `blobs/`); anything else is listed with the reason.
            match crate::source::link::resolve(&path) {
                crate::source::link::LinkTarget::File { meta, .. } => ty = meta.file_type(),
                other => {
                    let reason = other.refusal().unwrap_or_default();
                    skipped.push(format!("{}: {reason}", rel.display()));
                    continue;
                }
            }
        }
        if ty.is_dir() {
            // Version-control and cache folders are not part of a release.
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            if depth + 1 >= limits::MAX_FOLDER_DEPTH {
                skipped.push(format!(
                    "{}: deeper than {} folders",
                    rel.display(),
                    limits::MAX_FOLDER_DEPTH
                ));
                continue;
            }
            walk(root, &path, depth + 1, files, skipped)?;
        } else if ty.is_file() {
            if files.len() >= limits::MAX_FOLDER_FILES {
                skipped.push(format!(
                    "more than {} files: the rest not read",
                    limits::MAX_FOLDER_FILES
                ));
                return Ok(());
            }
            files.push(rel);
        } else {
            skipped.push(format!("{}: not a regular file", rel.display()));
        }
    }
    Ok(())
}

fn classify(root: &Path, rel: PathBuf, out: &mut FolderListing) {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let top_level = rel.parent().is_none_or(|p| p.as_os_str().is_empty());
    let full = root.join(&rel);
    if name.starts_with('.') {
        out.other.push(rel);
    } else if crate::weights::sharded::is_index_name(&name) {
        out.indexes.push(full);
    } else if crate::weights::is_weights_file(&rel) {
        out.weights.push(full);
    } else if top_level && name == "config.json" {
        out.config = Some(full);
    } else if top_level && name == "adapter_config.json" {
        out.adapter_config = Some(full);
    } else if top_level && name == "generation_config.json" {
        out.generation_config = Some(full);
    } else if top_level && TOKENIZER_FILES.contains(&name.as_str()) {
        out.tokenizer.push(full);
    } else if top_level && name.eq_ignore_ascii_case("README.md") {
        out.card = Some(full);
    } else if super::license::is_license_file(&name) {
        out.licenses.push(full);
    } else {
        out.other.push(rel);
    }
}

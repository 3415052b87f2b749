//! Files pack writes into the release it packs (the OMS `model.sig`, the CycloneDX BOM): each is
//! written to a temporary file beside the bundle (outside the release folder, which pack never
//! writes into), added to the manifest's file list and to the files to stream in their sorted
//! places, and removed when its guard drops.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::digest::Sha256Digest;
use crate::manifest::{FileEntry, FolderContents};
use crate::source::{HashedFile, SourceFile};

/// A generated file on disk until the bundle is written; removed when dropped.
pub(crate) struct Generated {
    path: PathBuf,
}

impl Drop for Generated {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether the release already holds a file at `path`.
pub(crate) fn exists(contents: &FolderContents, path: &str) -> bool {
    contents.files.iter().any(|f| f.path == path)
}

/// Writes `bytes` beside `out` and adds them to `contents` as the release file `path` with
/// `role`. The caller keeps the guard until the bundle is written.
pub(crate) fn add(
    contents: &mut FolderContents,
    path: &str,
    role: &str,
    bytes: &[u8],
    out: &Path,
) -> Result<Generated, (PathBuf, io::Error)> {
    // `.OUT.openseal-PID-NANOS.PATH.tmp`: a temporary of OUT, like the bundle's own.
    let temp = crate::place::temp_path_beside(out, "bundle")
        .with_extension(format!("{}.tmp", path.replace('/', "_")));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(|e| (temp.clone(), e))?;
    let guard = Generated { path: temp.clone() };
    file.write_all(bytes).map_err(|e| (temp.clone(), e))?;
    let sha256 = Sha256Digest::of(bytes);
    let size = bytes.len() as u64;
    let at = contents
        .hashed
        .partition_point(|h| h.file.path.as_str() < path);
    contents.hashed.insert(
        at,
        HashedFile {
            file: SourceFile {
                path: path.to_string(),
                source: temp,
                size,
                executable: false,
            },
            sha256,
        },
    );
    let at = contents.files.partition_point(|f| f.path.as_str() < path);
    contents.files.insert(
        at,
        FileEntry {
            path: path.to_string(),
            size,
            sha256: sha256.to_hex(),
            components: Vec::new(),
            role: Some(role.to_string()),
            executable: false,
        },
    );
    Ok(guard)
}

//! A local stand-in for a remote repository: a private temporary folder holding every file the
//! readers need at its real size, as a sparse file with only the fetched ranges written (the
//! rest reads as zeros and takes no disk). The readers map it like any folder; what was not
//! fetched is recorded, so that nothing that needs tensor data (statistics, fingerprints,
//! digests, pack) runs on it. Removed when dropped.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A file of the remote source that was listed but not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotRead {
    /// Its path in the repository (or the URL's file name).
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Whether it is a weights file (so its safety was not judged).
    pub weights: bool,
    /// The SHA-256 the Hub lists for it (LFS files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Why it was not read.
    pub reason: String,
}

/// One file of the remote source as the mirror holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirroredFile {
    /// Its path in the repository.
    pub path: String,
    /// Its real size.
    pub size: u64,
    /// The SHA-256 the Hub lists for it (LFS files).
    pub sha256: Option<String>,
    /// Bytes actually fetched (the whole file, or its headers).
    pub fetched: u64,
}

/// The temporary folder; removed on drop.
#[derive(Debug)]
pub(crate) struct TempFolder {
    path: PathBuf,
}

impl TempFolder {
    /// A new folder only this user can read, under the system's temporary folder.
    pub(crate) fn new() -> io::Result<TempFolder> {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let path = std::env::temp_dir().join(format!("openseal-remote-{name}"));
        std::fs::DirBuilder::new().mode(0o700).create(&path)?;
        Ok(TempFolder { path })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Creates `rel` (a checked relative path) at `size` bytes, all zeros and sparse.
    pub(crate) fn create(&self, rel: &str, size: u64) -> io::Result<File> {
        let path = self.path.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)?;
        }
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        file.set_len(size)?;
        Ok(file)
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Writes fetched `pieces` (offset, bytes) into `file`.
pub(crate) fn write_pieces(file: &File, pieces: &[(u64, Vec<u8>)]) -> io::Result<u64> {
    let mut written = 0;
    for (offset, bytes) in pieces {
        file.write_all_at(bytes, *offset)?;
        written += bytes.len() as u64;
    }
    Ok(written)
}

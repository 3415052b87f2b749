//! Unpacking all or nothing: entries go into a fresh temporary folder beside the target, which is
//! renamed into place only after every entry verified. On any failure the temporary folder is
//! removed and the target never appears.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::error::ReadError;
use super::read::{BundleEntries, VerifySummary};
use super::sink::{Counting, EntrySink};
use crate::digest::READ_BUFFER;
use crate::progress::Progress;
use crate::release::ExpectedFile;

/// Why a bundle was not unpacked. Unpacking is all or nothing: on any error nothing is created
/// at the target.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    /// The target already exists (unpack never merges into or replaces a folder).
    #[error("{}: already exists; unpack into a new folder", path.display())]
    TargetExists {
        /// The target folder.
        path: PathBuf,
    },
    /// The target's parent folder does not exist.
    #[error("{}: cannot create the folder: its parent folder does not exist", path.display())]
    NoParent {
        /// The target folder.
        path: PathBuf,
    },
    /// Creating, writing or renaming a file or folder failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The bundle was rejected while its entries were read and checked.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The caller's check of the extracted tree failed (e.g. the weights fingerprint).
    #[error("{0}")]
    Check(String),
}

/// Removes the temporary folder unless it was renamed into place.
struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Writes the selected entries under `root`.
struct DirSink<'a> {
    root: &'a Path,
    filter: &'a dyn Fn(&str) -> bool,
    current: Option<BufWriter<File>>,
}

impl EntrySink for DirSink<'_> {
    fn begin(&mut self, path: &str, _size: u64, executable: bool) -> io::Result<()> {
        self.current = None;
        if !(self.filter)(path) {
            // Not selected: still verified by the reader, just not written.
            return Ok(());
        }
        // The reader checked the path (relative, no `..`, no collisions), and the root is a
        // fresh folder holding only what this sink created: joining cannot leave it.
        let dest = self.root.join(path);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(if executable { 0o755 } else { 0o644 })
            .open(&dest)?;
        self.current = Some(BufWriter::with_capacity(READ_BUFFER, file));
        Ok(())
    }

    fn write(&mut self, data: &[u8]) -> io::Result<()> {
        match &mut self.current {
            Some(w) => w.write_all(data),
            None => Ok(()),
        }
    }

    fn end(&mut self) -> io::Result<()> {
        if let Some(w) = self.current.take() {
            w.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(())
    }
}

/// Verifies the remaining entries of a bundle (after [`super::BundleReader::read_head`] and the
/// signature check) against `expected` while extracting those `filter` selects into `target`,
/// which must not exist, then runs `check` on the extracted tree. All or nothing: `target`
/// appears only if every entry verified and `check` passed.
///
/// Only release files are written; the manifest and signature are the caller's to keep.
pub fn unpack_into<R: BufRead>(
    entries: BundleEntries<R>,
    target: &Path,
    expected: &[ExpectedFile],
    filter: &dyn Fn(&str) -> bool,
    check: &dyn Fn(&Path) -> Result<(), String>,
    progress: &dyn Progress,
) -> Result<VerifySummary, UnpackError> {
    if fs::symlink_metadata(target).is_ok() {
        return Err(UnpackError::TargetExists {
            path: target.to_path_buf(),
        });
    }
    let temp = TempDir {
        path: crate::place::temp_path_beside(target, "unpack"),
        keep: false,
    };
    // create_dir, not create_dir_all: it fails if the name exists, so the folder is ours alone.
    fs::create_dir(&temp.path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => UnpackError::NoParent {
            path: target.to_path_buf(),
        },
        _ => UnpackError::Io {
            path: temp.path.clone(),
            source,
        },
    })?;
    let mut sink = DirSink {
        root: &temp.path,
        filter,
        current: None,
    };
    let summary = entries.verify(expected, &mut Counting::new(&mut sink, progress))?;
    drop(sink);
    // Checks of the whole extracted tree run before it appears under the target name.
    check(&temp.path).map_err(UnpackError::Check)?;

    crate::place::rename_no_replace(&temp.path, target).map_err(|source| {
        if source.kind() == io::ErrorKind::AlreadyExists {
            UnpackError::TargetExists {
                path: target.to_path_buf(),
            }
        } else {
            UnpackError::Io {
                path: target.to_path_buf(),
                source,
            }
        }
    })?;
    let mut temp = temp;
    temp.keep = true;
    Ok(summary)
}

//! Writing an OCI image layout: `oci-layout`, `index.json` naming one tagged manifest, and
//! `blobs/sha256/<hex>` for the config, the manifest and every layer.
//!
//! All or nothing: everything goes into a fresh temporary folder beside the target, which is
//! renamed into place (never replacing anything) only when every blob is written. Each blob is
//! written under a temporary name and renamed to its digest only after its bytes were checked,
//! so a `blobs/sha256/<hex>` file never holds other bytes than its name says, even while the
//! layout is being written. Dropping a [`LayoutWriter`] before [`LayoutWriter::finish`] removes
//! the temporary folder.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::artifact::Artifact;
use super::media;
use super::spec::{ImageIndex, LayoutMarker};
use crate::bundle::EntrySink;
use crate::digest::READ_BUFFER;

/// The longest tag the OCI distribution spec allows.
pub const MAX_TAG: usize = 128;

/// Why a layout was not written. Nothing is left at the target when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// The target exists (a layout is never merged into or replaces anything).
    #[error("{}: already exists; export into a new folder", path.display())]
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
    /// The tag is not one a registry or `skopeo` accepts.
    #[error("tag {tag:?}: {reason}")]
    BadTag {
        /// The tag.
        tag: String,
        /// What is wrong with it.
        reason: String,
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
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> LayoutError + '_ {
    move |source| LayoutError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks a tag against the OCI distribution grammar: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
pub fn check_tag(tag: &str) -> Result<(), LayoutError> {
    let bad = |reason: &str| {
        Err(LayoutError::BadTag {
            tag: tag.chars().take(MAX_TAG + 8).collect(),
            reason: reason.to_string(),
        })
    };
    let Some(first) = tag.chars().next() else {
        return bad("a tag cannot be empty");
    };
    if tag.len() > MAX_TAG {
        return bad(&format!("longer than {MAX_TAG} characters"));
    }
    if !(first.is_ascii_alphanumeric() || first == '_') {
        return bad("must start with a letter, a digit or _");
    }
    if let Some(c) = tag
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return bad(&format!(
            "{c:?} is not allowed (only letters, digits, _ . -)"
        ));
    }
    Ok(())
}

/// A layout being written in a temporary folder beside its target.
pub struct LayoutWriter {
    target: PathBuf,
    temp: PathBuf,
    blobs: PathBuf,
    /// Digests (hex) of the blobs written so far.
    written: HashSet<String>,
    done: bool,
}

impl Drop for LayoutWriter {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// A file created for writing only by this process (mode 0644), failing if the name exists.
fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o644)
        .open(path)
}

impl LayoutWriter {
    /// Starts a layout that will appear at `target`, which must not exist.
    pub fn create(target: &Path) -> Result<LayoutWriter, LayoutError> {
        if fs::symlink_metadata(target).is_ok() {
            return Err(LayoutError::TargetExists {
                path: target.to_path_buf(),
            });
        }
        let temp = crate::place::temp_path_beside(target, "oci-layout");
        // create_dir, not create_dir_all: it fails if the name exists, so the folder is ours.
        fs::create_dir(&temp).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => LayoutError::NoParent {
                path: target.to_path_buf(),
            },
            _ => LayoutError::Io {
                path: temp.clone(),
                source,
            },
        })?;
        let writer = LayoutWriter {
            target: target.to_path_buf(),
            blobs: temp.join("blobs").join("sha256"),
            temp,
            written: HashSet::new(),
            done: false,
        };
        fs::create_dir_all(&writer.blobs).map_err(io_at(&writer.blobs))?;
        Ok(writer)
    }

    /// Where the blob of digest `hex` lives, once written.
    fn blob_path(&self, hex: &str) -> PathBuf {
        self.blobs.join(hex)
    }

    /// The temporary name a blob is written under before it is checked.
    fn partial_path(&self, hex: &str) -> PathBuf {
        self.temp.join(format!(".{hex}.partial"))
    }

    /// Writes a blob held in memory (its digest is computed here), unless it is already there.
    pub fn write_blob(&mut self, bytes: &[u8]) -> Result<String, LayoutError> {
        let hex = crate::digest::Sha256Digest::of(bytes).to_hex();
        if self.written.contains(&hex) {
            return Ok(hex);
        }
        let partial = self.partial_path(&hex);
        let mut f = create_new(&partial).map_err(io_at(&partial))?;
        f.write_all(bytes).map_err(io_at(&partial))?;
        drop(f);
        let path = self.blob_path(&hex);
        fs::rename(&partial, &path).map_err(io_at(&path))?;
        self.written.insert(hex.clone());
        Ok(hex)
    }

    /// A sink for [`crate::bundle::BundleEntries::verify`] that writes each entry to the blob
    /// named by `digests` (release path → hex SHA-256, from the signed manifest). A blob is
    /// renamed into place only once the reader has checked its digest: at the next entry, or
    /// at [`BlobSink::commit`] after the last.
    pub fn blob_sink<'a>(&'a mut self, digests: &'a BTreeMap<String, String>) -> BlobSink<'a> {
        BlobSink {
            layout: self,
            digests,
            current: None,
            pending: None,
        }
    }

    /// Writes the config and manifest of `artifact`, `index.json` (the manifest tagged `tag`)
    /// and `oci-layout`, then moves the layout to its target. Every layer's blob must have
    /// been written.
    pub fn finish(mut self, artifact: &Artifact, tag: &str) -> Result<PathBuf, LayoutError> {
        check_tag(tag)?;
        self.write_blob(artifact.config_bytes())?;
        self.write_blob(artifact.manifest_bytes())?;
        if let Some(missing) = artifact.layers().iter().find(|l| {
            let hex = l.descriptor.digest.trim_start_matches("sha256:");
            !self.written.contains(hex)
        }) {
            return Err(LayoutError::Io {
                path: self.blob_path(missing.descriptor.digest.trim_start_matches("sha256:")),
                source: io::Error::new(io::ErrorKind::NotFound, "the layer's blob was not written"),
            });
        }
        let index = ImageIndex {
            schema_version: 2,
            media_type: media::OCI_INDEX.into(),
            manifests: vec![artifact.manifest_descriptor(Some(tag))],
        };
        let marker = LayoutMarker {
            image_layout_version: media::OCI_LAYOUT_VERSION.into(),
        };
        for (name, bytes) in [
            ("index.json", serde_json::to_vec(&index).unwrap_or_default()),
            (
                "oci-layout",
                serde_json::to_vec(&marker).unwrap_or_default(),
            ),
        ] {
            let path = self.temp.join(name);
            fs::write(&path, bytes).map_err(io_at(&path))?;
        }
        crate::place::rename_no_replace(&self.temp, &self.target).map_err(|source| {
            if source.kind() == io::ErrorKind::AlreadyExists {
                LayoutError::TargetExists {
                    path: self.target.clone(),
                }
            } else {
                LayoutError::Io {
                    path: self.target.clone(),
                    source,
                }
            }
        })?;
        self.done = true;
        Ok(self.target.clone())
    }
}

/// Writes verified bundle entries as blobs (see [`LayoutWriter::blob_sink`]).
pub struct BlobSink<'a> {
    layout: &'a mut LayoutWriter,
    digests: &'a BTreeMap<String, String>,
    /// The blob being written: its temporary file and digest.
    current: Option<(BufWriter<File>, String)>,
    /// The last blob written, whose digest the reader checks after `end`.
    pending: Option<String>,
}

impl BlobSink<'_> {
    /// Moves the last written blob into place: call once the reader returned success.
    pub fn commit(&mut self) -> Result<(), LayoutError> {
        if let Some(hex) = self.pending.take() {
            let (from, to) = (self.layout.partial_path(&hex), self.layout.blob_path(&hex));
            fs::rename(&from, &to).map_err(io_at(&to))?;
            self.layout.written.insert(hex);
        }
        Ok(())
    }

    fn named(&self, hex: &str, e: io::Error) -> io::Error {
        io::Error::new(
            e.kind(),
            format!("{}: {e}", self.layout.partial_path(hex).display()),
        )
    }
}

impl EntrySink for BlobSink<'_> {
    fn begin(&mut self, path: &str, _size: u64, _executable: bool) -> io::Result<()> {
        // The reader checked the previous entry's digest before starting this one.
        self.commit().map_err(io::Error::other)?;
        let hex = self.digests.get(path).cloned().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{path}: not in the manifest"),
            )
        })?;
        if self.layout.written.contains(&hex) {
            // The same content as an earlier file: one blob serves both layers. The reader
            // still checks these bytes.
            self.current = None;
            return Ok(());
        }
        let partial = self.layout.partial_path(&hex);
        let file = create_new(&partial).map_err(|e| self.named(&hex, e))?;
        self.current = Some((BufWriter::with_capacity(READ_BUFFER, file), hex));
        Ok(())
    }

    fn write(&mut self, data: &[u8]) -> io::Result<()> {
        match &mut self.current {
            Some((w, _)) => w.write_all(data),
            None => Ok(()),
        }
    }

    fn end(&mut self) -> io::Result<()> {
        if let Some((w, hex)) = self.current.take() {
            w.into_inner()
                .map_err(|e| e.into_error())
                .map_err(|e| self.named(&hex, e))?;
            self.pending = Some(hex);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_the_distribution_grammar() {
        for ok in ["1.0", "latest", "v1.2.3-rc_1", "_x", &"a".repeat(128)] {
            assert!(check_tag(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".x", "-x", "a/b", "a:b", "a b", "é", &"a".repeat(129)] {
            assert!(check_tag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_dropped_writer_leaves_nothing_and_an_existing_target_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let mut w = LayoutWriter::create(&target).unwrap();
        w.write_blob(b"x").unwrap();
        drop(w);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        fs::create_dir(&target).unwrap();
        assert!(matches!(
            LayoutWriter::create(&target),
            Err(LayoutError::TargetExists { .. })
        ));
        assert!(matches!(
            LayoutWriter::create(&dir.path().join("no/such/out")),
            Err(LayoutError::NoParent { .. })
        ));
    }

    #[test]
    fn a_blob_appears_under_its_digest_only_after_commit() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = LayoutWriter::create(&dir.path().join("out")).unwrap();
        let hex = crate::digest::Sha256Digest::of(b"abc").to_hex();
        let digests = BTreeMap::from([("a".to_string(), hex.clone())]);
        let blob = w.blob_path(&hex);
        let mut sink = w.blob_sink(&digests);
        sink.begin("a", 3, false).unwrap();
        sink.write(b"abc").unwrap();
        sink.end().unwrap();
        assert!(!blob.exists());
        sink.commit().unwrap();
        assert_eq!(fs::read(&blob).unwrap(), b"abc");
        assert!(sink.begin("unlisted", 1, false).is_err());
    }
}

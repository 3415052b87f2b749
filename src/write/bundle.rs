//! Writing a bundle: to a temporary file beside the output, renamed into place by `finish`, so
//! an interrupted or failed pack never leaves anything under the final name.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::bundle::tarfmt::{BLOCK, file_header_blocks, padding};
use crate::bundle::{MANIFEST_PATH, SIGNATURE_PATH};
use crate::digest::{READ_BUFFER, Sha256Digest};
use crate::limits::{
    BUNDLE_MAX_FILES, BUNDLE_MAX_MANIFEST, BUNDLE_MAX_SIGNATURE, BUNDLE_MAX_TOTAL_BYTES,
};
use crate::release::path::{CollisionCheck, check_path};
use crate::source::folder::HashedFile;

use super::options::{BundleInfo, LEVELS, WriteError, WriteOptions, ZSTD_JOB_SIZE, zstd_version};

/// Removes the temporary file unless it was moved into place.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

type Body = zstd::stream::write::Encoder<'static, BufWriter<File>>;

/// Streams a bundle. Create it with the manifest and signature (written at once, in their own
/// zstd frame), append the release files in bytewise path order, then `finish`. Dropping it
/// without `finish` removes the temporary file.
pub struct BundleWriter {
    out: PathBuf,
    temp: TempFile,
    body: Option<Body>,
    opts: WriteOptions,
    previous: Option<String>,
    seen: CollisionCheck,
    files: u64,
    file_bytes: u64,
    tar_bytes: u64,
    buf: Vec<u8>,
}

impl BundleWriter {
    /// Starts `out`: a temporary file beside it receives the manifest and signature entries.
    pub fn create(
        out: &Path,
        opts: &WriteOptions,
        manifest: &[u8],
        signature: &[u8],
    ) -> Result<BundleWriter, WriteError> {
        if !LEVELS.contains(&opts.level) {
            return Err(WriteError::InvalidLevel { level: opts.level });
        }
        for (what, data, limit) in [
            ("the manifest", manifest, BUNDLE_MAX_MANIFEST),
            ("the signature", signature, BUNDLE_MAX_SIGNATURE),
        ] {
            if data.len() as u64 > limit {
                return Err(WriteError::HeadTooLarge {
                    what,
                    size: data.len() as u64,
                    limit,
                });
            }
        }
        if !opts.overwrite && fs::symlink_metadata(out).is_ok() {
            return Err(WriteError::OutputExists {
                path: out.to_path_buf(),
            });
        }
        let temp_path = crate::place::temp_path_beside(out, "bundle");
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError::Io { path, source }
        };
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp_path)
            .map_err(|source| match source.kind() {
                io::ErrorKind::NotFound => WriteError::OutputNoParent {
                    path: out.to_path_buf(),
                },
                _ => WriteError::Io {
                    path: temp_path.clone(),
                    source,
                },
            })?;
        let temp = TempFile {
            path: temp_path.clone(),
            keep: false,
        };
        let sink = BufWriter::with_capacity(READ_BUFFER, file);

        // Frame 1: manifest and signature only, single-threaded (they are small).
        let mut head =
            zstd::stream::write::Encoder::new(sink, opts.level).map_err(io_err(&temp_path))?;
        head.include_checksum(true).map_err(io_err(&temp_path))?;
        let mut tar_bytes = 0;
        for (path, data) in [(MANIFEST_PATH, manifest), (SIGNATURE_PATH, signature)] {
            let header = file_header_blocks(path, data.len() as u64, false, opts.mtime);
            head.write_all(&header)
                .and_then(|()| head.write_all(data))
                .and_then(|()| head.write_all(&[0; BLOCK][..padding(data.len() as u64)]))
                .map_err(io_err(&temp_path))?;
            tar_bytes += (header.len() + data.len() + padding(data.len() as u64)) as u64;
        }
        let sink = head.finish().map_err(io_err(&temp_path))?;

        // Frame 2 onwards: the release files, multi-threaded.
        let threads = match opts.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
            n => n,
        };
        let mut body =
            zstd::stream::write::Encoder::new(sink, opts.level).map_err(io_err(&temp_path))?;
        body.include_checksum(true).map_err(io_err(&temp_path))?;
        body.multithread(threads).map_err(io_err(&temp_path))?;
        // A fixed job size pins the multi-threaded output (it would otherwise follow the level's
        // window) and bounds memory: in-flight jobs hold input and output buffers of this size.
        body.set_parameter(zstd::stream::raw::CParameter::JobSize(ZSTD_JOB_SIZE))
            .map_err(io_err(&temp_path))?;

        Ok(BundleWriter {
            out: out.to_path_buf(),
            temp,
            body: Some(body),
            opts: opts.clone(),
            previous: None,
            seen: CollisionCheck::new(),
            files: 0,
            file_bytes: 0,
            tar_bytes,
            buf: vec![0; READ_BUFFER],
        })
    }

    /// Appends one release file, hashing it as it streams: if its size or SHA-256 differ from
    /// `file` (it changed since it was hashed), the bundle is abandoned with an error.
    pub fn append_file(&mut self, file: &HashedFile) -> Result<(), WriteError> {
        let path = &file.file.path;
        check_path(path).map_err(|problem| WriteError::Path {
            path: path.clone(),
            problem,
        })?;
        if let Some(prev) = &self.previous
            && prev.as_bytes() >= path.as_bytes()
        {
            return Err(WriteError::NotSorted {
                path: path.clone(),
                previous: prev.clone(),
            });
        }
        self.seen
            .insert(path)
            .map_err(|(other, kind)| WriteError::Collision {
                path: path.clone(),
                other,
                kind,
            })?;
        if self.files as usize >= BUNDLE_MAX_FILES {
            return Err(WriteError::TooManyFiles);
        }
        let size = file.file.size;
        self.file_bytes = self.file_bytes.saturating_add(size);
        if self.file_bytes > BUNDLE_MAX_TOTAL_BYTES {
            return Err(WriteError::TooManyBytes);
        }

        let source = &file.file.source;
        let src_err = |source_err| WriteError::Io {
            path: source.clone(),
            source: source_err,
        };
        let mut input = crate::regular_file::open(source).map_err(src_err)?;
        let temp_path = self.temp.path.clone();
        let out_err = move |source| WriteError::Io {
            path: temp_path.clone(),
            source,
        };
        let Some(body) = self.body.as_mut() else {
            return Err(out_err(io::Error::other("writer already finished")));
        };

        let header = file_header_blocks(path, size, file.file.executable, self.opts.mtime);
        body.write_all(&header).map_err(&out_err)?;
        let changed = |what: String| WriteError::FileChanged {
            path: source.clone(),
            what,
        };
        let mut hasher = Sha256::new();
        let mut written = 0u64;
        loop {
            let n = match input.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(src_err(e)),
            };
            if written + n as u64 > size {
                return Err(changed(format!("now larger than {size} bytes")));
            }
            hasher.update(&self.buf[..n]);
            body.write_all(&self.buf[..n]).map_err(&out_err)?;
            written += n as u64;
        }
        if written != size {
            return Err(changed(format!("{written} bytes, was {size}")));
        }
        let digest = Sha256Digest(hasher.finalize().into());
        if digest != file.sha256 {
            return Err(changed(format!("SHA-256 {digest}, was {}", file.sha256)));
        }
        body.write_all(&[0; BLOCK][..padding(size)])
            .map_err(&out_err)?;

        self.tar_bytes += header.len() as u64 + size + padding(size) as u64;
        self.files += 1;
        self.previous = Some(path.clone());
        Ok(())
    }

    /// Ends the archive, flushes it to disk and moves it to its final name.
    pub fn finish(mut self) -> Result<BundleInfo, WriteError> {
        let temp_path = self.temp.path.clone();
        let io_err = |source| WriteError::Io {
            path: temp_path.clone(),
            source,
        };
        let Some(mut body) = self.body.take() else {
            return Err(io_err(io::Error::other("writer already finished")));
        };
        // End of archive: two zero blocks.
        body.write_all(&[0; 2 * BLOCK]).map_err(io_err)?;
        self.tar_bytes += 2 * BLOCK as u64;
        let file = body
            .finish()
            .map_err(io_err)?
            .into_inner()
            .map_err(|e| io_err(e.into_error()))?;
        file.sync_all().map_err(io_err)?;
        let compressed_bytes = file.metadata().map_err(io_err)?.len();
        drop(file);

        self.move_into_place()?;
        self.temp.keep = true;
        if let Some(dir) = self.out.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Make the rename durable; failure here loses nothing already written.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(BundleInfo {
            path: self.out.clone(),
            compressed_bytes,
            tar_bytes: self.tar_bytes,
            files: self.files,
            zstd_level: self.opts.level,
            zstd_version: zstd_version(),
        })
    }

    fn move_into_place(&self) -> Result<(), WriteError> {
        let out_err = |source| WriteError::Io {
            path: self.out.clone(),
            source,
        };
        if self.opts.overwrite {
            return fs::rename(&self.temp.path, &self.out).map_err(out_err);
        }
        match crate::place::rename_no_replace(&self.temp.path, &self.out) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(WriteError::OutputExists {
                path: self.out.clone(),
            }),
            other => other.map_err(out_err),
        }
    }
}

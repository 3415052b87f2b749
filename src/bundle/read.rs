//! Reading a bundle strictly, in one streaming pass with fixed buffers.
//!
//! The tar stream is framed here, header by header (see `tarfmt` for why not `tar::Archive`).
//! Accepted: POSIX ustar regular files, each optionally preceded by one PAX header holding only
//! `path` and/or `size`, then two zero blocks, then at most `BUNDLE_MAX_TRAILING_ZEROS` zero
//! bytes. Everything else is a typed error naming the entry: links, devices, FIFOs, directories,
//! GNU extensions, PAX globals, unsafe or colliding paths, non-UTF-8 names, entries out of order,
//! missing, extra, of the wrong size or digest, trailing data, truncation.
//!
//! Known gap: zstd *skippable* frames (which carry no tar bytes) are skipped by the decoder and
//! so accepted anywhere in the stream; they cannot change what is verified or extracted.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use super::error::{EntryKind, ReadError};
use super::hasher::PipelinedHasher;
use super::sink::EntrySink;
use super::tarfmt::{BLOCK, checksum_ok, padding, parse_pax};
use super::{MANIFEST_PATH, SIGNATURE_PATH};
use crate::digest::{READ_BUFFER, Sha256Digest};
use crate::limits::{
    BUNDLE_MAX_FILES, BUNDLE_MAX_MANIFEST, BUNDLE_MAX_PAX_HEADER, BUNDLE_MAX_SIGNATURE,
    BUNDLE_MAX_TOTAL_BYTES, BUNDLE_MAX_TRAILING_ZEROS, BUNDLE_ZSTD_WINDOW_LOG_MAX,
};
use crate::release::ExpectedFile;
use crate::release::path::{CollisionCheck, check_path};

/// The manifest and signature, exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The manifest entry's bytes (JSON).
    pub manifest: Vec<u8>,
    /// The signature entry's bytes (a DSSE envelope, JSON).
    pub signature: Vec<u8>,
}

/// A bundle file on disk, read up to its files.
pub type FileEntries = BundleEntries<BufReader<File>>;

/// Opens the bundle at `path` and reads its head: the manifest and signature exactly as stored,
/// unchecked, and the entries that follow.
pub fn read_head(path: &Path) -> Result<(Head, FileEntries), ReadError> {
    BundleReader::open(path)?.read_head()
}

/// What a successful pass checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VerifySummary {
    /// Files checked (the manifest and signature not counted).
    pub files: u64,
    /// Bytes of their data.
    pub bytes: u64,
}

/// An entry header, parsed and checked for type and encoding (not yet for path safety).
struct RawEntry {
    path: String,
    size: u64,
    executable: bool,
}

enum Next {
    Entry(RawEntry),
    End,
}

/// The decompressed tar stream, read block by block.
struct TarStream<R: BufRead> {
    dec: zstd::stream::read::Decoder<'static, R>,
    /// Bytes of tar consumed so far.
    offset: u64,
    /// Entries seen (PAX headers not counted), for messages.
    index: usize,
}

fn is_zero(b: &[u8]) -> bool {
    b.iter().all(|&x| x == 0)
}

impl<R: BufRead> TarStream<R> {
    /// Fills `buf` or fails: the end of the stream here means truncation.
    fn read_exact(&mut self, buf: &mut [u8], inside: &dyn Fn() -> String) -> Result<(), ReadError> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.dec.read(&mut buf[filled..]) {
                Ok(0) => return Err(ReadError::Truncated { inside: inside() }),
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.decode_error(e, inside)),
            }
        }
        self.offset += buf.len() as u64;
        Ok(())
    }

    fn decode_error(&self, e: io::Error, inside: &dyn Fn() -> String) -> ReadError {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            ReadError::Truncated { inside: inside() }
        } else {
            ReadError::Decompress {
                offset: self.offset,
                message: e.to_string(),
            }
        }
    }

    fn entry_label(&self) -> String {
        format!("entry #{} at tar offset {}", self.index + 1, self.offset)
    }

    /// The next regular-file entry, or the end of the archive.
    fn next_entry(&mut self) -> Result<Next, ReadError> {
        let mut pax_path: Option<String> = None;
        let mut pax_size: Option<u64> = None;
        let mut had_pax = false;
        loop {
            let header_offset = self.offset;
            let label = self.entry_label();
            let mut block = [0u8; BLOCK];
            self.read_exact(&mut block, &|| format!("the header of {label}"))?;
            let bad = |reason: &str| ReadError::BadHeader {
                offset: header_offset,
                entry: label.clone(),
                reason: reason.to_string(),
            };

            if is_zero(&block) {
                if had_pax {
                    return Err(bad("a PAX header is followed by the end of the archive"));
                }
                self.read_exact(&mut block, &|| "the end-of-archive blocks".into())?;
                if !is_zero(&block) {
                    return Err(bad("a single zero block inside the archive"));
                }
                self.check_trailing()?;
                return Ok(Next::End);
            }
            if !checksum_ok(&block) {
                return Err(bad("header checksum does not match"));
            }
            if &block[257..263] != b"ustar\0" || &block[263..265] != b"00" {
                return Err(bad(if &block[257..265] == b"ustar  \0" {
                    "GNU tar header; only POSIX ustar is accepted"
                } else {
                    "not a POSIX ustar header"
                }));
            }
            let h = tar::Header::from_byte_slice(&block);
            let header_size = h.entry_size().map_err(|_| bad("unreadable size field"))?;
            let name = || String::from_utf8_lossy(&h.path_bytes()).into_owned();
            match block[156] {
                b'0' | 0 => {}
                b'x' => {
                    if had_pax {
                        return Err(bad("two PAX headers in a row"));
                    }
                    had_pax = true;
                    let entry = format!("PAX header of {label}");
                    if header_size > BUNDLE_MAX_PAX_HEADER {
                        return Err(ReadError::PaxMalformed {
                            entry,
                            reason: format!(
                                "{header_size} bytes, more than {BUNDLE_MAX_PAX_HEADER}"
                            ),
                        });
                    }
                    let mut data = vec![0u8; header_size as usize + padding(header_size)];
                    self.read_exact(&mut data, &|| entry.clone())?;
                    data.truncate(header_size as usize);
                    let records = parse_pax(&data).map_err(|reason| ReadError::PaxMalformed {
                        entry: entry.clone(),
                        reason,
                    })?;
                    for (key, value) in records {
                        match key.as_str() {
                            "path" if pax_path.is_none() => {
                                pax_path = Some(String::from_utf8(value).map_err(|e| {
                                    ReadError::NotUtf8 {
                                        entry: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                                    }
                                })?);
                            }
                            "size" if pax_size.is_none() => {
                                let size = std::str::from_utf8(&value)
                                    .ok()
                                    .filter(|s| {
                                        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
                                    })
                                    .and_then(|s| s.parse().ok())
                                    .ok_or_else(|| ReadError::PaxMalformed {
                                        entry: entry.clone(),
                                        reason: "size is not a decimal number".into(),
                                    })?;
                                pax_size = Some(size);
                            }
                            "path" | "size" => {
                                return Err(ReadError::PaxMalformed {
                                    entry,
                                    reason: format!("{key} given twice"),
                                });
                            }
                            _ => {
                                return Err(ReadError::PaxKey {
                                    entry: pax_path.clone().unwrap_or(entry),
                                    key,
                                });
                            }
                        }
                    }
                    continue;
                }
                flag => {
                    return Err(ReadError::Unsupported {
                        entry: pax_path.unwrap_or_else(name),
                        kind: EntryKind::from_flag(flag),
                    });
                }
            }
            let path = match pax_path {
                Some(p) => p,
                None => String::from_utf8(h.path_bytes().into_owned())
                    .map_err(|_| ReadError::NotUtf8 { entry: name() })?,
            };
            let size = match pax_size {
                // Both must agree: a reader using either one sees the same entry.
                Some(s) if s != header_size => {
                    return Err(bad(&format!(
                        "PAX size {s} differs from the header's size {header_size}"
                    )));
                }
                _ => header_size,
            };
            let mode = h.mode().map_err(|_| bad("unreadable mode field"))?;
            self.index += 1;
            return Ok(Next::Entry(RawEntry {
                path,
                size,
                executable: mode & 0o100 != 0,
            }));
        }
    }

    /// After the end-of-archive blocks: only zero padding may follow, then the end of the zstd
    /// stream (garbage after the last zstd frame fails to decode and lands here too).
    fn check_trailing(&mut self) -> Result<(), ReadError> {
        let mut buf = [0u8; BLOCK];
        let mut zeros = 0u64;
        loop {
            let n = match self.dec.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    return Err(ReadError::Truncated {
                        inside: "the last zstd frame".into(),
                    });
                }
                Err(e) => {
                    return Err(ReadError::TrailingData {
                        offset: self.offset + zeros,
                        what: format!("not zstd data after the last frame ({e})"),
                    });
                }
            };
            if !is_zero(&buf[..n]) {
                return Err(ReadError::TrailingData {
                    offset: self.offset + zeros,
                    what: "non-zero bytes after the end-of-archive blocks".into(),
                });
            }
            zeros += n as u64;
            if zeros > BUNDLE_MAX_TRAILING_ZEROS {
                return Err(ReadError::TrailingData {
                    offset: self.offset + zeros,
                    what: format!("more than {BUNDLE_MAX_TRAILING_ZEROS} bytes of padding"),
                });
            }
        }
    }

    /// Reads an entry's data into `into` in chunks, hashing it; then checks its padding.
    fn stream_data(
        &mut self,
        path: &str,
        size: u64,
        buf: &mut [u8],
        hasher: &mut PipelinedHasher,
        into: &mut dyn FnMut(&[u8]) -> Result<(), ReadError>,
    ) -> Result<Sha256Digest, ReadError> {
        let mut left = size;
        let inside = || format!("the data of {path}");
        while left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            self.read_exact(&mut buf[..n], &inside)?;
            hasher.update(&buf[..n]);
            into(&buf[..n])?;
            left -= n as u64;
        }
        let pad = padding(size);
        let mut zeros = [0u8; BLOCK];
        self.read_exact(&mut zeros[..pad], &inside)?;
        let digest = hasher.finish();
        if !is_zero(&zeros[..pad]) {
            return Err(ReadError::Padding {
                path: path.to_string(),
            });
        }
        Ok(digest)
    }
}

/// A bundle opened for reading; [`BundleReader::read_head`] comes first.
pub struct BundleReader<R: BufRead> {
    tar: TarStream<R>,
}

impl BundleReader<BufReader<File>> {
    /// Opens a `.tar.zst` file.
    pub fn open(path: &Path) -> Result<Self, ReadError> {
        let file = crate::regular_file::open(path).map_err(|source| ReadError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        BundleReader::new(BufReader::with_capacity(READ_BUFFER, file))
    }
}

impl<R: BufRead> BundleReader<R> {
    /// Reads a bundle from any buffered source of compressed bytes.
    pub fn new(compressed: R) -> Result<Self, ReadError> {
        let zerr = |e: io::Error| ReadError::Decompress {
            offset: 0,
            message: e.to_string(),
        };
        let mut dec = zstd::stream::read::Decoder::with_buffer(compressed).map_err(zerr)?;
        // A hostile frame cannot make the decoder allocate a huge window.
        dec.window_log_max(BUNDLE_ZSTD_WINDOW_LOG_MAX)
            .map_err(zerr)?;
        Ok(BundleReader {
            tar: TarStream {
                dec,
                offset: 0,
                index: 0,
            },
        })
    }

    /// Reads the first two entries, which must be `.openseal/manifest.json` and
    /// `.openseal/manifest.sig`, in that order; returns them and the rest of the bundle.
    pub fn read_head(mut self) -> Result<(Head, BundleEntries<R>), ReadError> {
        let mut parts = Vec::with_capacity(2);
        for (index, (want, limit)) in [
            (MANIFEST_PATH, BUNDLE_MAX_MANIFEST),
            (SIGNATURE_PATH, BUNDLE_MAX_SIGNATURE),
        ]
        .into_iter()
        .enumerate()
        {
            let entry = match self.tar.next_entry()? {
                Next::End => {
                    return Err(ReadError::Missing {
                        path: want.to_string(),
                    });
                }
                Next::Entry(e) => e,
            };
            if entry.path != want {
                return Err(ReadError::HeadEntry {
                    index: index + 1,
                    expected: want,
                    found: entry.path,
                });
            }
            if entry.size > limit {
                return Err(ReadError::HeadTooLarge {
                    path: entry.path,
                    size: entry.size,
                    limit,
                });
            }
            let mut data = Vec::with_capacity(entry.size as usize);
            let mut buf = vec![0u8; (entry.size as usize).min(READ_BUFFER)];
            self.tar.stream_data(
                want,
                entry.size,
                &mut buf,
                &mut PipelinedHasher::inline(),
                &mut |chunk| {
                    data.extend_from_slice(chunk);
                    Ok(())
                },
            )?;
            parts.push(data);
        }
        let signature = parts.pop().unwrap_or_default();
        let manifest = parts.pop().unwrap_or_default();
        Ok((
            Head {
                manifest,
                signature,
            },
            BundleEntries { tar: self.tar },
        ))
    }
}

/// The release files of a bundle, after its head.
pub struct BundleEntries<R: BufRead> {
    tar: TarStream<R>,
}

impl<R: BufRead> BundleEntries<R> {
    /// Checks every remaining entry against `expected` (the signed manifest's files, sorted
    /// bytewise by path) in one pass, handing each entry's bytes to `sink`: path safety, order,
    /// no duplicate or colliding path, nothing missing or extra, each size and SHA-256.
    ///
    /// Sizes are compared from the header before any data is read, so an entry larger than
    /// declared (a zstd bomb) is never decompressed.
    pub fn verify(
        mut self,
        expected: &[ExpectedFile],
        sink: &mut dyn EntrySink,
    ) -> Result<VerifySummary, ReadError> {
        check_expected(expected)?;
        let mut buf = vec![0u8; READ_BUFFER];
        let mut hasher = PipelinedHasher::new(READ_BUFFER);
        let mut seen = CollisionCheck::new();
        let mut previous: Option<String> = None;
        let mut next_expected = 0usize;
        // A listed file the stream skipped; reported at the next in-order entry or at the end,
        // so that a reordering is reported as such rather than as a missing file.
        let mut skipped: Option<&ExpectedFile> = None;
        let mut summary = VerifySummary::default();

        loop {
            let entry = match self.tar.next_entry()? {
                Next::End => break,
                Next::Entry(e) => e,
            };
            let path = entry.path;
            check_path(&path).map_err(|problem| ReadError::UnsafePath {
                path: path.clone(),
                problem,
            })?;
            if let Some(prev) = &previous {
                match path.as_bytes().cmp(prev.as_bytes()) {
                    Ordering::Equal => return Err(ReadError::Duplicate { path }),
                    Ordering::Less => {
                        return Err(ReadError::OutOfOrder {
                            path,
                            previous: prev.clone(),
                        });
                    }
                    Ordering::Greater => {}
                }
            }
            seen.insert(&path)
                .map_err(|(other, kind)| ReadError::Collision {
                    path: path.clone(),
                    other,
                    kind,
                })?;
            if let Some(missing) = skipped {
                return Err(ReadError::Missing {
                    path: missing.path.clone(),
                });
            }
            while next_expected < expected.len()
                && expected[next_expected].path.as_bytes() < path.as_bytes()
            {
                skipped.get_or_insert(&expected[next_expected]);
                next_expected += 1;
            }
            let Some(want) = expected.get(next_expected).filter(|w| w.path == path) else {
                // A listed file skipped for an unlisted one (a rename): the promise broken first.
                return Err(match skipped {
                    Some(missing) => ReadError::Missing {
                        path: missing.path.clone(),
                    },
                    None => ReadError::Unexpected { path },
                });
            };
            next_expected += 1;
            if entry.size != want.size {
                return Err(ReadError::SizeMismatch {
                    path,
                    declared: want.size,
                    found: entry.size,
                });
            }

            let sink_err = |source| ReadError::Sink {
                path: path.clone(),
                source,
            };
            sink.begin(&path, entry.size, entry.executable)
                .map_err(sink_err)?;
            let digest =
                self.tar
                    .stream_data(&path, entry.size, &mut buf, &mut hasher, &mut |chunk| {
                        sink.write(chunk).map_err(sink_err)
                    })?;
            sink.end().map_err(sink_err)?;
            if digest != want.sha256 {
                return Err(ReadError::DigestMismatch {
                    path,
                    expected: want.sha256,
                    actual: digest,
                });
            }
            summary.files += 1;
            summary.bytes += entry.size;
            previous = Some(path);
        }
        if let Some(missing) = skipped.or(expected.get(next_expected)) {
            return Err(ReadError::Missing {
                path: missing.path.clone(),
            });
        }
        Ok(summary)
    }
}

/// The caller's list must itself be something a bundle can hold: safe paths, strictly sorted,
/// no collisions, within the caps. (It comes from a signed manifest, but signed is not sane.)
fn check_expected(expected: &[ExpectedFile]) -> Result<(), ReadError> {
    let bad = |path: &str, reason: String| ReadError::ExpectedList {
        path: path.to_string(),
        reason,
    };
    if expected.len() > BUNDLE_MAX_FILES {
        return Err(bad("", format!("more than {BUNDLE_MAX_FILES} files")));
    }
    let mut total = 0u64;
    let mut seen = CollisionCheck::new();
    for (i, f) in expected.iter().enumerate() {
        check_path(&f.path).map_err(|p| bad(&f.path, p.to_string()))?;
        if i > 0 && expected[i - 1].path.as_bytes() >= f.path.as_bytes() {
            return Err(bad(&f.path, "not sorted bytewise, or listed twice".into()));
        }
        seen.insert(&f.path)
            .map_err(|(other, kind)| bad(&f.path, format!("{kind} {other}")))?;
        total = total.saturating_add(f.size);
        if total > BUNDLE_MAX_TOTAL_BYTES {
            return Err(bad(
                &f.path,
                format!("files add up to more than {BUNDLE_MAX_TOTAL_BYTES} bytes"),
            ));
        }
    }
    Ok(())
}

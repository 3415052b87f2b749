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
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use super::hasher::PipelinedHasher;
use super::tarfmt::{BLOCK, checksum_ok, padding, parse_pax};
use super::{MANIFEST_PATH, SIGNATURE_PATH};
use crate::digest::{READ_BUFFER, Sha256Digest};
use crate::limits::{
    BUNDLE_MAX_FILES, BUNDLE_MAX_MANIFEST, BUNDLE_MAX_PAX_HEADER, BUNDLE_MAX_SIGNATURE,
    BUNDLE_MAX_TOTAL_BYTES, BUNDLE_MAX_TRAILING_ZEROS, BUNDLE_ZSTD_WINDOW_LOG_MAX,
};
use crate::progress::Progress;
use crate::release::ExpectedFile;
use crate::release::path::{CollisionCheck, CollisionKind, PathProblem, check_path};

/// A tar entry type a bundle may not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A hard link (`1`).
    HardLink,
    /// A symbolic link (`2`).
    Symlink,
    /// A character device (`3`).
    CharDevice,
    /// A block device (`4`).
    BlockDevice,
    /// A directory (`5`); bundles imply folders from file paths.
    Directory,
    /// A named pipe (`6`).
    Fifo,
    /// A contiguous file (`7`).
    Contiguous,
    /// GNU `././@LongLink` name extension (`L`).
    GnuLongName,
    /// GNU long link-name extension (`K`).
    GnuLongLink,
    /// A GNU sparse file (`S`).
    GnuSparse,
    /// A PAX global header (`g`).
    PaxGlobal,
    /// Any other type flag.
    Other(u8),
}

impl EntryKind {
    fn from_flag(flag: u8) -> EntryKind {
        match flag {
            b'1' => EntryKind::HardLink,
            b'2' => EntryKind::Symlink,
            b'3' => EntryKind::CharDevice,
            b'4' => EntryKind::BlockDevice,
            b'5' => EntryKind::Directory,
            b'6' => EntryKind::Fifo,
            b'7' => EntryKind::Contiguous,
            b'L' => EntryKind::GnuLongName,
            b'K' => EntryKind::GnuLongLink,
            b'S' => EntryKind::GnuSparse,
            b'g' => EntryKind::PaxGlobal,
            other => EntryKind::Other(other),
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryKind::HardLink => f.write_str("hard link"),
            EntryKind::Symlink => f.write_str("symbolic link"),
            EntryKind::CharDevice => f.write_str("character device"),
            EntryKind::BlockDevice => f.write_str("block device"),
            EntryKind::Directory => f.write_str("directory entry"),
            EntryKind::Fifo => f.write_str("FIFO"),
            EntryKind::Contiguous => f.write_str("contiguous file"),
            EntryKind::GnuLongName => f.write_str("GNU long-name extension"),
            EntryKind::GnuLongLink => f.write_str("GNU long-link extension"),
            EntryKind::GnuSparse => f.write_str("GNU sparse file"),
            EntryKind::PaxGlobal => f.write_str("PAX global header"),
            EntryKind::Other(b) => write!(f, "unknown entry type {:?}", char::from(*b)),
        }
    }
}

/// Why a bundle was rejected while reading it. Offsets are byte offsets in the decompressed tar
/// stream; `path` fields are entry paths as stored in the bundle.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The bundle file could not be opened.
    #[error("{}: {source}", path.display())]
    Open {
        /// The bundle file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The bytes are not a zstd stream openseal accepts (corrupt data, a window above
    /// [`BUNDLE_ZSTD_WINDOW_LOG_MAX`](crate::limits::BUNDLE_ZSTD_WINDOW_LOG_MAX)).
    #[error("not a valid zstd stream at tar offset {offset}: {message}")]
    Decompress {
        /// Tar bytes decompressed before the failure.
        offset: u64,
        /// zstd's message.
        message: String,
    },
    /// The stream ends early.
    #[error("bundle is truncated: it ends inside {inside}")]
    Truncated {
        /// What it ends inside (an entry's header or data, the last zstd frame).
        inside: String,
    },
    /// A tar header that is malformed (bad checksum, size or field encoding).
    #[error("bad tar header at offset {offset} ({entry}): {reason}")]
    BadHeader {
        /// Where the header block starts.
        offset: u64,
        /// Which entry (`entry #N at tar offset O`).
        entry: String,
        /// What is wrong.
        reason: String,
    },
    /// An entry that is not a regular file.
    #[error("entry {entry}: {kind} not allowed; bundles hold regular files only")]
    Unsupported {
        /// Which entry.
        entry: String,
        /// Its tar type.
        kind: EntryKind,
    },
    /// A PAX extended header with a key other than `path` and `size`.
    #[error("entry {entry}: PAX key {key:?} not allowed (only path and size)")]
    PaxKey {
        /// Which entry.
        entry: String,
        /// The key.
        key: String,
    },
    /// A PAX extended header whose records do not parse.
    #[error("entry {entry}: malformed PAX header: {reason}")]
    PaxMalformed {
        /// Which entry.
        entry: String,
        /// What is wrong.
        reason: String,
    },
    /// An entry name that is not UTF-8.
    #[error("entry {entry}: name is not UTF-8")]
    NotUtf8 {
        /// Which entry.
        entry: String,
    },
    /// A path that could escape the target folder or is otherwise not portable.
    #[error("entry {path:?}: {problem}")]
    UnsafePath {
        /// The path.
        path: String,
        /// What is wrong with it.
        problem: PathProblem,
    },
    /// The first two entries are not the manifest and the signature.
    #[error("entry {found:?} where {expected} must be (entry #{index})")]
    HeadEntry {
        /// 1-based position of the entry.
        index: usize,
        /// The path that must be there.
        expected: &'static str,
        /// The path that is there.
        found: String,
    },
    /// A manifest or signature entry above its cap in [`crate::limits`].
    #[error("{path} is {size} bytes, more than the {limit} accepted")]
    HeadTooLarge {
        /// The entry.
        path: String,
        /// Its size, in bytes.
        size: u64,
        /// The largest size accepted, in bytes.
        limit: u64,
    },
    /// The same path twice.
    #[error("entry {path}: appears twice")]
    Duplicate {
        /// The path.
        path: String,
    },
    /// A path that would name the same file as another on some file system.
    #[error("entry {path}: {kind} {other}")]
    Collision {
        /// The later path.
        path: String,
        /// The earlier path it collides with.
        other: String,
        /// How they collide.
        kind: CollisionKind,
    },
    /// Entries not in bytewise order.
    #[error("entry {path}: out of order (comes after {previous}; entries are sorted bytewise)")]
    OutOfOrder {
        /// The entry.
        path: String,
        /// The entry before it.
        previous: String,
    },
    /// An entry the manifest does not list.
    #[error("entry {path}: not listed in the manifest")]
    Unexpected {
        /// The entry.
        path: String,
    },
    /// A file the manifest lists (or the manifest or signature itself) that the bundle lacks.
    #[error("{path}: listed in the manifest but missing from the bundle")]
    Missing {
        /// The path.
        path: String,
    },
    /// An entry whose size differs from the manifest's.
    #[error("entry {path}: {found} bytes, the manifest declares {declared}")]
    SizeMismatch {
        /// The entry.
        path: String,
        /// Bytes the manifest declares.
        declared: u64,
        /// Bytes in the bundle.
        found: u64,
    },
    /// An entry whose SHA-256 differs from the manifest's.
    #[error("entry {path}: SHA-256 {actual}, the manifest declares {expected}")]
    DigestMismatch {
        /// The entry.
        path: String,
        /// The digest the manifest declares.
        expected: Sha256Digest,
        /// The digest of the bytes in the bundle.
        actual: Sha256Digest,
    },
    /// Non-zero bytes where tar pads an entry's data to 512 bytes.
    #[error("entry {path}: non-zero bytes in the padding after its data")]
    Padding {
        /// The entry.
        path: String,
    },
    /// Bytes after the end-of-archive blocks: more than
    /// [`BUNDLE_MAX_TRAILING_ZEROS`](crate::limits::BUNDLE_MAX_TRAILING_ZEROS) zeros, non-zero
    /// bytes, or data that is not zstd.
    #[error("data after the end of the archive at tar offset {offset}: {what}")]
    TrailingData {
        /// Where the unexpected bytes are.
        offset: u64,
        /// What they are.
        what: String,
    },
    /// The list of expected files (from the manifest) is itself not one a bundle can hold:
    /// unsafe paths, unsorted, colliding or over the caps.
    #[error("the manifest's file list is not usable: {path:?}: {reason}")]
    ExpectedList {
        /// The offending path (empty when the list as a whole is too long).
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The [`EntrySink`] failed (e.g. writing an unpacked file).
    #[error("entry {path}: cannot write it: {source}")]
    Sink {
        /// The entry.
        path: String,
        /// The sink's error.
        #[source]
        source: io::Error,
    },
}

impl ReadError {
    /// A stable kebab-case name of the failure (for `--json` output and fixture names).
    pub fn kind(&self) -> &'static str {
        match self {
            ReadError::Open { .. } => "open",
            ReadError::Decompress { .. } => "decompress",
            ReadError::Truncated { .. } => "truncated",
            ReadError::BadHeader { .. } => "bad-header",
            ReadError::Unsupported { .. } => "unsupported",
            ReadError::PaxKey { .. } => "pax-key",
            ReadError::PaxMalformed { .. } => "pax-malformed",
            ReadError::NotUtf8 { .. } => "not-utf8",
            ReadError::UnsafePath { .. } => "unsafe-path",
            ReadError::HeadEntry { .. } => "head-entry",
            ReadError::HeadTooLarge { .. } => "head-too-large",
            ReadError::Duplicate { .. } => "duplicate",
            ReadError::Collision { .. } => "collision",
            ReadError::OutOfOrder { .. } => "out-of-order",
            ReadError::Unexpected { .. } => "unexpected",
            ReadError::Missing { .. } => "missing",
            ReadError::SizeMismatch { .. } => "size-mismatch",
            ReadError::DigestMismatch { .. } => "digest-mismatch",
            ReadError::Padding { .. } => "padding",
            ReadError::TrailingData { .. } => "trailing-data",
            ReadError::ExpectedList { .. } => "expected-list",
            ReadError::Sink { .. } => "sink",
        }
    }
}

/// Where the bytes of each verified entry go: files in a folder for `unpack`, nowhere for
/// `verify` ([`Discard`]). It can also count bytes for a progress bar.
pub trait EntrySink {
    /// An entry starts; `path` is checked (safe, in order, listed, of the declared size).
    fn begin(&mut self, path: &str, size: u64, executable: bool) -> io::Result<()>;
    /// The next bytes of the entry.
    fn write(&mut self, data: &[u8]) -> io::Result<()>;
    /// All bytes delivered (its digest is checked right after).
    fn end(&mut self) -> io::Result<()>;
}

/// A sink that drops the bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Discard;

impl EntrySink for Discard {
    fn begin(&mut self, _: &str, _: u64, _: bool) -> io::Result<()> {
        Ok(())
    }
    fn write(&mut self, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A sink that reports the bytes it sees to a [`Progress`] and passes them on.
pub struct Counting<'a> {
    inner: &'a mut dyn EntrySink,
    progress: &'a dyn Progress,
}

impl<'a> Counting<'a> {
    pub(crate) fn new(inner: &'a mut dyn EntrySink, progress: &'a dyn Progress) -> Counting<'a> {
        Counting { inner, progress }
    }
}

impl EntrySink for Counting<'_> {
    fn begin(&mut self, path: &str, size: u64, executable: bool) -> io::Result<()> {
        self.inner.begin(path, size, executable)
    }
    fn write(&mut self, data: &[u8]) -> io::Result<()> {
        self.progress.advance(data.len() as u64);
        self.inner.write(data)
    }
    fn end(&mut self) -> io::Result<()> {
        self.inner.end()
    }
}

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

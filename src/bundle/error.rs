//! What can go wrong reading a bundle, each error naming the entry and what is wrong.

use std::fmt;
use std::io;

use crate::digest::Sha256Digest;
use crate::release::path::{CollisionKind, PathProblem};

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
    pub(super) fn from_flag(flag: u8) -> EntryKind {
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
    /// The [`EntrySink`](crate::bundle::EntrySink) failed (e.g. writing an unpacked file).
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

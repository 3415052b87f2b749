//! Why a `.npy` or `.npz` file could not be read.

use crate::weights::cursor::OutOfBounds;
use crate::weights::zip::ArchiveError;
use thiserror::Error;

/// Why a `.npy` or `.npz` file could not be read. Offsets and sizes are in bytes, within the
/// `.npy` data (the file, or one entry of an `.npz`).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NumpyError {
    /// The data does not start with `\x93NUMPY`.
    #[error("not a .npy file (no \\x93NUMPY magic)")]
    NotNpy,
    /// A format version whose major number is not 1, 2 or 3.
    #[error("unsupported .npy format version {major}.{minor}")]
    UnsupportedVersion {
        /// Major version byte.
        major: u8,
        /// Minor version byte.
        minor: u8,
    },
    /// A header length above [`NPY_MAX_HEADER`](crate::limits::NPY_MAX_HEADER).
    #[error("header of {len} bytes is longer than the limit of {limit}")]
    HeaderTooLong {
        /// The declared header length.
        len: u64,
        /// The longest header accepted.
        limit: u64,
    },
    /// The magic, version or header ran past the end of the data.
    #[error("truncated: {0}")]
    Truncated(#[from] OutOfBounds),
    /// A header that is not the Python dict literal numpy writes, or that describes an array
    /// whose size cannot be computed.
    #[error("header at byte {offset}: {why}")]
    BadHeader {
        /// Where the problem is: the header text's start, a position inside it, or 0 for a size
        /// that overflows.
        offset: u64,
        /// What is wrong.
        why: String,
    },
    /// Fewer data bytes after the header than its dtype and shape need.
    #[error("array {name:?}: data needs {needed} bytes, only {available} follow the header")]
    DataTooShort {
        /// The array's name (the entry name in an `.npz`).
        name: String,
        /// Bytes the dtype and shape need.
        needed: u64,
        /// Bytes after the header.
        available: u64,
    },
    /// The `.npz` zip archive could not be read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// One `.npy` entry of an `.npz` was rejected.
    #[error("zip entry {entry:?}: {source}")]
    Entry {
        /// The entry's name in the archive.
        entry: String,
        /// Why it was rejected.
        source: Box<NumpyError>,
    },
}

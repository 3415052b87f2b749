//! Why a `.npy` or `.npz` file could not be read.

use crate::weights::cursor::OutOfBounds;
use crate::weights::zip::ArchiveError;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum NumpyError {
    #[error("not a .npy file (no \\x93NUMPY magic)")]
    NotNpy,
    #[error("unsupported .npy format version {major}.{minor}")]
    UnsupportedVersion { major: u8, minor: u8 },
    #[error("header of {len} bytes is longer than the limit of {limit}")]
    HeaderTooLong { len: u64, limit: u64 },
    #[error("truncated: {0}")]
    Truncated(#[from] OutOfBounds),
    #[error("header at byte {offset}: {why}")]
    BadHeader { offset: u64, why: String },
    #[error("array {name:?}: data needs {needed} bytes, only {available} follow the header")]
    DataTooShort {
        name: String,
        needed: u64,
        available: u64,
    },
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("zip entry {entry:?}: {source}")]
    Entry {
        entry: String,
        source: Box<NumpyError>,
    },
}

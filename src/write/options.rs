//! What a bundle writer is told (level, mtime, overwrite), what it reports, and how it fails.

use std::io;
use std::path::PathBuf;

use crate::limits::{BUNDLE_MAX_FILES, BUNDLE_MAX_TOTAL_BYTES};
use crate::release::path::{CollisionKind, PathProblem};

/// The zstd level used unless the caller picks another (zstd's own default).
pub const DEFAULT_ZSTD_LEVEL: i32 = 3;
/// The mtime of every entry when `SOURCE_DATE_EPOCH` is not set: 2024-01-01T00:00:00Z (any fixed
/// value would do; not 0, which some tools treat as "no time").
pub const DEFAULT_MTIME: u64 = 1_704_067_200;
/// zstd job size for multi-threaded compression (see `create`).
pub(super) const ZSTD_JOB_SIZE: u32 = 2 << 20;
/// Levels accepted: 1..=19 keep the zstd window at most 8 MiB, within what readers accept
/// (`limits::BUNDLE_ZSTD_WINDOW_LOG_MAX`).
pub(super) const LEVELS: std::ops::RangeInclusive<i32> = 1..=19;

/// The zstd library version compressing (record it in the manifest: zstd output may change
/// between versions even though the tar inside does not).
pub fn zstd_version() -> &'static str {
    zstd::zstd_safe::version_string()
}

/// How a bundle is written. Every option except `overwrite` is fixed in the bytes, so the same
/// files and options give the same bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// zstd level, 1..=19.
    pub level: i32,
    /// zstd worker threads; 0: one per core. Any count gives the same bytes (the multi-threaded
    /// format does not depend on it), so output does not vary with the machine.
    pub threads: u32,
    /// The mtime of every entry (seconds since the epoch).
    pub mtime: u64,
    /// Replace an existing output file; otherwise an existing output is an error.
    pub overwrite: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            level: DEFAULT_ZSTD_LEVEL,
            threads: 0,
            mtime: DEFAULT_MTIME,
            overwrite: false,
        }
    }
}

impl WriteOptions {
    /// Defaults, with the mtime from `SOURCE_DATE_EPOCH` when it is set (reproducible-builds.org);
    /// a value that is not a non-negative integer is an error, never silently ignored.
    pub fn from_env() -> Result<WriteOptions, WriteError> {
        let mut opts = WriteOptions::default();
        if let Some(v) = std::env::var_os("SOURCE_DATE_EPOCH") {
            let s = v.to_string_lossy();
            opts.mtime = s.trim().parse().map_err(|_| WriteError::SourceDateEpoch {
                value: s.to_string(),
            })?;
        }
        Ok(opts)
    }
}

/// What `finish` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleInfo {
    /// The bundle file.
    pub path: PathBuf,
    /// Size of the `.tar.zst` file.
    pub compressed_bytes: u64,
    /// Size of the tar inside.
    pub tar_bytes: u64,
    /// Release files (manifest and signature not counted).
    pub files: u64,
    /// The zstd level it was compressed with.
    pub zstd_level: i32,
    /// The zstd library version that compressed it ([`zstd_version`]).
    pub zstd_version: &'static str,
}

/// Why a bundle could not be written. On any error nothing is written to the output path (a
/// file already there is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A source file or the output could not be read, written or moved into place.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The output exists and [`WriteOptions::overwrite`] is off.
    #[error("{}: already exists (choose another output or allow overwriting)", path.display())]
    OutputExists {
        /// The output path.
        path: PathBuf,
    },
    /// The output's folder does not exist.
    #[error("{}: cannot create the bundle: its folder does not exist", path.display())]
    OutputNoParent {
        /// The output path.
        path: PathBuf,
    },
    /// A zstd level outside 1..=19.
    #[error("zstd level {level} is outside 1..=19")]
    InvalidLevel {
        /// The level asked for.
        level: i32,
    },
    /// `SOURCE_DATE_EPOCH` is set but is not a non-negative integer.
    #[error("SOURCE_DATE_EPOCH={value:?} is not a number of seconds")]
    SourceDateEpoch {
        /// Its value.
        value: String,
    },
    /// A manifest or signature larger than a reader accepts.
    #[error("{what} is {size} bytes, more than the {limit} a reader accepts")]
    HeadTooLarge {
        /// `the manifest` or `the signature`.
        what: &'static str,
        /// Its size, in bytes.
        size: u64,
        /// The largest a reader accepts, in bytes.
        limit: u64,
    },
    /// A release path a bundle may not hold.
    #[error("{path}: {problem}")]
    Path {
        /// The path.
        path: String,
        /// What is wrong with it.
        problem: PathProblem,
    },
    /// Files appended out of bytewise path order (or the same path twice).
    #[error(
        "{path}: files must be appended sorted bytewise by path, but it comes after {previous}"
    )]
    NotSorted {
        /// The path appended.
        path: String,
        /// The path appended before it.
        previous: String,
    },
    /// A path that would name the same file as another on some file system.
    #[error("{path}: {kind} {other}")]
    Collision {
        /// The path appended.
        path: String,
        /// The earlier path it collides with.
        other: String,
        /// How they collide.
        kind: CollisionKind,
    },
    /// More than [`BUNDLE_MAX_FILES`] files.
    #[error("more than {BUNDLE_MAX_FILES} files")]
    TooManyFiles,
    /// More than [`BUNDLE_MAX_TOTAL_BYTES`] bytes of files.
    #[error("more than {BUNDLE_MAX_TOTAL_BYTES} bytes of files")]
    TooManyBytes,
    /// A source file whose size or contents changed between hashing and writing.
    #[error("{}: changed since it was hashed ({what}); pack again", path.display())]
    FileChanged {
        /// The source file.
        path: PathBuf,
        /// What changed (its size, or its SHA-256).
        what: String,
    },
}

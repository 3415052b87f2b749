//! Why a PyTorch checkpoint could not be read; each message names the entry, tensor or offset.

use crate::weights::pickle::PickleError;
use crate::weights::zip::ArchiveError;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum PytorchError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("no data.pkl in the archive (not a torch.save or torch.jit.save file)")]
    NoDataPkl,
    #[error("tensor {tensor:?}: storage {key:?} is missing (no entry {entry:?})")]
    MissingStorage {
        tensor: String,
        key: String,
        entry: String,
    },
    #[error(
        "tensor {tensor:?}: needs bytes up to {needed} of storage {entry:?}, which holds only {available}"
    )]
    TensorOutsideStorage {
        tensor: String,
        entry: String,
        needed: u64,
        available: u64,
    },
    #[error("tensor {tensor:?}: {why}")]
    BadTensor { tensor: String, why: String },
    #[error("not a legacy torch.save file: {0}")]
    NotLegacy(String),
    #[error("legacy storage {key:?} at byte {offset}: {why}")]
    LegacyStorage {
        key: String,
        offset: u64,
        why: String,
    },
    /// A bare pickle that cannot be read to its end. What was seen before the error is kept:
    /// a loader would have imported those globals before failing.
    #[error(
        "the pickle could not be read: {source}; before that point it referenced {}, so it is {} to load",
        if globals.is_empty() { "no globals".to_string() } else { globals.join(", ") },
        verdict.as_str()
    )]
    UnreadablePickle {
        source: PickleError,
        verdict: crate::weights::Verdict,
        /// `module.name (verdict)` of each global referenced before the error.
        globals: Vec<String>,
    },
    #[error("{location}: {source}")]
    Pickle {
        location: String,
        source: PickleError,
    },
}

//! Why a PyTorch checkpoint could not be read; each message names the entry, tensor or offset.

use crate::weights::pickle::PickleError;
use crate::weights::zip::ArchiveError;
use thiserror::Error;

/// Why a PyTorch checkpoint (zip, legacy or bare pickle) could not be read. `tensor` fields are
/// state-dict keys; storage sizes are in bytes.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PytorchError {
    /// The zip archive could not be read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A zip archive with no `<prefix>/data.pkl`.
    #[error("no data.pkl in the archive (not a torch.save or torch.jit.save file)")]
    NoDataPkl,
    /// A tensor whose storage has no `data/<key>` entry in the archive.
    #[error("tensor {tensor:?}: storage {key:?} is missing (no entry {entry:?})")]
    MissingStorage {
        /// The tensor.
        tensor: String,
        /// The storage key from the pickle's persistent id.
        key: String,
        /// The entry name that was looked for.
        entry: String,
    },
    /// A tensor whose offset, shape and strides reach past the end of its storage.
    #[error(
        "tensor {tensor:?}: needs bytes up to {needed} of storage {entry:?}, which holds only {available}"
    )]
    TensorOutsideStorage {
        /// The tensor.
        tensor: String,
        /// The storage: its zip entry, or `storage <key>` in a legacy file.
        entry: String,
        /// Bytes of storage the tensor reaches.
        needed: u64,
        /// Bytes the storage holds.
        available: u64,
    },
    /// A tensor whose element count or extent overflows.
    #[error("tensor {tensor:?}: {why}")]
    BadTensor {
        /// The tensor.
        tensor: String,
        /// What overflows.
        why: String,
    },
    /// A file read as legacy `torch.save` that lacks the magic-number, protocol or system-info
    /// pickles that format starts with; why.
    #[error("not a legacy torch.save file: {0}")]
    NotLegacy(String),
    /// A legacy storage whose element count or bytes cannot be read.
    #[error("legacy storage {key:?} at byte {offset}: {why}")]
    LegacyStorage {
        /// The storage key.
        key: String,
        /// File offset where the storage (its element count) starts.
        offset: u64,
        /// What is wrong.
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
        /// Where and why reading stopped.
        source: PickleError,
        /// The safety verdict on what was read before that point.
        verdict: crate::weights::Verdict,
        /// `module.name (verdict)` of each global referenced before the error.
        globals: Vec<String>,
    },
    /// One of a legacy file's pickles could not be read.
    #[error("{location}: {source}")]
    Pickle {
        /// Which pickle (`magic number pickle`, `object pickle`, `storage keys pickle`, ...).
        location: String,
        /// Why reading stopped.
        source: PickleError,
    },
}

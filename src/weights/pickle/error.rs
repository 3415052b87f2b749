//! Why a pickle could not be read to its end. Every variant names the byte offset of the opcode
//! (relative to the buffer handed to the scanner) so reports point at the exact place.

use crate::weights::cursor::OutOfBounds;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum PickleError {
    #[error("at byte {offset}: {op} needs {needed} bytes, only {remaining} remain (truncated)")]
    Truncated {
        offset: u64,
        op: &'static str,
        needed: u64,
        remaining: u64,
    },
    #[error("at byte {offset}: unknown opcode 0x{byte:02x}")]
    UnknownOpcode { offset: u64, byte: u8 },
    #[error("at byte {offset}: {op} on an empty stack")]
    StackUnderflow { offset: u64, op: &'static str },
    #[error("at byte {offset}: {op} without a MARK")]
    NoMark { offset: u64, op: &'static str },
    #[error("at byte {offset}: {op} reads memo entry {index}, which was never stored")]
    MemoMissing {
        offset: u64,
        op: &'static str,
        index: u64,
    },
    #[error("at byte {offset}: {op}: {what} exceeds the limit of {limit}")]
    Limit {
        offset: u64,
        op: &'static str,
        what: &'static str,
        limit: u64,
    },
    #[error("at byte {offset}: {op} nests values deeper than {limit} levels")]
    TooDeep {
        offset: u64,
        op: &'static str,
        limit: usize,
    },
    #[error("at byte {offset}: {op}: {why}")]
    BadArgument {
        offset: u64,
        op: &'static str,
        why: String,
    },
    #[error("at byte {offset}: unsupported pickle protocol {version}")]
    UnsupportedProtocol { offset: u64, version: u8 },
    #[error("at byte {offset}: the pickle ends without a STOP opcode")]
    NoStop { offset: u64 },
}

impl PickleError {
    /// Offset of the opcode the error is about.
    pub(crate) fn offset(&self) -> u64 {
        match self {
            PickleError::Truncated { offset, .. }
            | PickleError::UnknownOpcode { offset, .. }
            | PickleError::StackUnderflow { offset, .. }
            | PickleError::NoMark { offset, .. }
            | PickleError::MemoMissing { offset, .. }
            | PickleError::Limit { offset, .. }
            | PickleError::TooDeep { offset, .. }
            | PickleError::BadArgument { offset, .. }
            | PickleError::UnsupportedProtocol { offset, .. }
            | PickleError::NoStop { offset } => *offset,
        }
    }

    pub(crate) fn truncated(op: &'static str, e: OutOfBounds) -> PickleError {
        PickleError::Truncated {
            offset: e.offset,
            op,
            needed: e.needed,
            remaining: e.remaining,
        }
    }
}

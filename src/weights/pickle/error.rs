//! Why a pickle could not be read to its end. Every variant names the byte offset of the opcode
//! (relative to the buffer handed to the scanner) so reports point at the exact place.

use crate::weights::cursor::OutOfBounds;
use thiserror::Error;

/// Why a pickle could not be read to its end. `offset` is the opcode's byte offset in the
/// scanned buffer; `op` is the opcode's name as `pickletools` spells it (`BINUNICODE`).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PickleError {
    /// An opcode's argument runs past the end of the buffer.
    #[error("at byte {offset}: {op} needs {needed} bytes, only {remaining} remain (truncated)")]
    Truncated {
        /// Where the short read started.
        offset: u64,
        /// The opcode.
        op: &'static str,
        /// Bytes the argument needs.
        needed: u64,
        /// Bytes left in the buffer.
        remaining: u64,
    },
    /// A byte that is no opcode of protocols 0 to 5.
    #[error("at byte {offset}: unknown opcode 0x{byte:02x}")]
    UnknownOpcode {
        /// Where the byte is.
        offset: u64,
        /// The byte.
        byte: u8,
    },
    /// An opcode that pops from an empty stack.
    #[error("at byte {offset}: {op} on an empty stack")]
    StackUnderflow {
        /// Where the opcode is.
        offset: u64,
        /// The opcode.
        op: &'static str,
    },
    /// An opcode that needs a MARK on the stack (`TUPLE`, `APPENDS`, ...) where there is none.
    #[error("at byte {offset}: {op} without a MARK")]
    NoMark {
        /// Where the opcode is.
        offset: u64,
        /// The opcode.
        op: &'static str,
    },
    /// A memo read (`GET`, `BINGET`, ...) of an index nothing was stored at.
    #[error("at byte {offset}: {op} reads memo entry {index}, which was never stored")]
    MemoMissing {
        /// Where the opcode is.
        offset: u64,
        /// The opcode.
        op: &'static str,
        /// The memo index read.
        index: u64,
    },
    /// One of the VM's caps in [`crate::limits`] was reached (opcodes run, bytes kept, stack,
    /// memo or MARK count).
    #[error("at byte {offset}: {op}: {what} exceeds the limit of {limit}")]
    Limit {
        /// Where the opcode is.
        offset: u64,
        /// The opcode.
        op: &'static str,
        /// Which cap (`opcode count`, `stack size`, ...).
        what: &'static str,
        /// The cap's value.
        limit: u64,
    },
    /// Values nested deeper than [`PICKLE_MAX_DEPTH`](crate::limits::PICKLE_MAX_DEPTH).
    #[error("at byte {offset}: {op} nests values deeper than {limit} levels")]
    TooDeep {
        /// Where the opcode is.
        offset: u64,
        /// The opcode.
        op: &'static str,
        /// The deepest nesting accepted.
        limit: usize,
    },
    /// An opcode whose argument or operands are malformed (a bad text literal, a negative
    /// length, a wrong type on the stack).
    #[error("at byte {offset}: {op}: {why}")]
    BadArgument {
        /// Where the opcode is.
        offset: u64,
        /// The opcode.
        op: &'static str,
        /// What is wrong.
        why: String,
    },
    /// A `PROTO` opcode naming a protocol above 5.
    #[error("at byte {offset}: unsupported pickle protocol {version}")]
    UnsupportedProtocol {
        /// Where the opcode is.
        offset: u64,
        /// The protocol number.
        version: u8,
    },
    /// The buffer ends before a `STOP` opcode.
    #[error("at byte {offset}: the pickle ends without a STOP opcode")]
    NoStop {
        /// The end of the buffer.
        offset: u64,
    },
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

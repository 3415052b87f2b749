//! Why a GGUF header was rejected. Every message starts with the byte offset where the problem is
//! (or, for tensor data, the byte range), names the key or tensor involved, and says what is wrong.

use crate::weights::cursor::OutOfBounds;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GgufError {
    #[error("at byte 0: not a GGUF file: the magic is \"{found}\", not \"GGUF\"")]
    NotGguf { found: String },

    #[error("at byte 4: GGUF version {version} is not supported: openseal reads versions 2 and 3{}", version_hint(*.version))]
    UnsupportedVersion { version: u32 },

    /// A read ran past the end of the file (a [`OutOfBounds`] with what was being read).
    #[error(
        "truncated header: at byte {offset}: reading {what}: needed {needed} bytes, only {remaining} remain"
    )]
    Truncated {
        offset: u64,
        what: String,
        needed: u64,
        remaining: u64,
    },

    #[error("at byte {offset}: {what} {count} exceeds openseal's cap of {cap}")]
    CountOverCap {
        offset: u64,
        what: String,
        count: u64,
        cap: u64,
    },

    /// A count whose items could not fit in the bytes that remain, even at their smallest.
    #[error(
        "at byte {offset}: {what}: {count} items need at least {needed} bytes, only {remaining} remain"
    )]
    CountPastEnd {
        offset: u64,
        what: String,
        count: u64,
        needed: u128,
        remaining: u64,
    },

    #[error(
        "at byte {offset}: {what}: string length {len} exceeds the {remaining} remaining bytes"
    )]
    StringPastEnd {
        offset: u64,
        what: String,
        len: u64,
        remaining: u64,
    },

    #[error("at byte {offset}: {what}: string length {len} exceeds openseal's cap of {cap} bytes")]
    StringOverCap {
        offset: u64,
        what: String,
        len: u64,
        cap: u64,
    },

    #[error("at byte {offset}: {what} is not valid UTF-8")]
    InvalidUtf8 { offset: u64, what: String },

    #[error("at byte {offset}: key '{key}': unknown value type {type_id} (GGUF defines 0 to 12)")]
    UnknownValueType {
        offset: u64,
        key: String,
        type_id: u32,
    },

    #[error(
        "at byte {offset}: key '{key}': BOOL value is byte {value}, but only 0 and 1 are valid"
    )]
    BadBool { offset: u64, key: String, value: u8 },

    #[error("at byte {offset}: key '{key}': arrays are nested more than {max} deep")]
    ArrayTooDeep {
        offset: u64,
        key: String,
        max: usize,
    },

    #[error("at byte {offset}: duplicate key '{key}' (llama.cpp rejects repeated keys)")]
    DuplicateKey { offset: u64, key: String },

    #[error(
        "at byte {offset}: key 'general.alignment' has type {found}, but llama.cpp requires U32"
    )]
    AlignmentType { offset: u64, found: &'static str },

    #[error(
        "at byte {offset}: key 'general.alignment' is {value}, but it must be a non-zero power of two"
    )]
    BadAlignment { offset: u64, value: u64 },

    #[error(
        "at byte {offset}: tensor '{name}': the name is {len} bytes, but ggml allows at most {max}"
    )]
    NameTooLong {
        offset: u64,
        name: String,
        len: u64,
        max: usize,
    },

    #[error("at byte {offset}: duplicate tensor name '{name}'")]
    DuplicateTensor { offset: u64, name: String },

    #[error(
        "at byte {offset}: tensor '{name}': {n_dims} dimensions, but GGUF allows at most {max}"
    )]
    TooManyDims {
        offset: u64,
        name: String,
        n_dims: u32,
        max: u32,
    },

    #[error(
        "at byte {offset}: tensor '{name}': ne[{index}] is {value}, which is negative as ggml's int64"
    )]
    NegativeDim {
        offset: u64,
        name: String,
        index: usize,
        value: u64,
    },

    #[error(
        "at byte {offset}: tensor '{name}': ne {ne:?} has more elements than ggml's int64 can count"
    )]
    ElementCountOverflow {
        offset: u64,
        name: String,
        ne: Vec<u64>,
    },

    #[error(
        "at byte {offset}: tensor '{name}': ne[0] = {ne0} is not a multiple of the {block}-element block of {dtype}"
    )]
    PartialBlock {
        offset: u64,
        name: String,
        dtype: String,
        ne0: u64,
        block: u64,
    },

    #[error("at byte {offset}: tensor '{name}': its size in bytes overflows 64 bits")]
    SizeOverflow { offset: u64, name: String },

    #[error(
        "at byte {offset}: tensor '{name}': data offset {tensor_offset} is not a multiple of the alignment {alignment}"
    )]
    MisalignedTensor {
        offset: u64,
        name: String,
        tensor_offset: u64,
        alignment: u64,
    },

    #[error(
        "at byte {offset}: tensor '{name}': data offset {found}, expected {expected}: tensors must follow each other in file order, each padded to the alignment (no gaps, overlaps or reordering)"
    )]
    UnexpectedTensorOffset {
        offset: u64,
        name: String,
        found: u64,
        expected: u64,
    },

    #[error(
        "at byte {offset}: tensor '{name}': data offset {tensor_offset} plus the data section start {data_offset} overflows 64 bits"
    )]
    OffsetOverflow {
        offset: u64,
        name: String,
        tensor_offset: u64,
        data_offset: u64,
    },

    #[error(
        "truncated: tensor '{name}' needs bytes {start}..{end} but the file has {file_len} bytes"
    )]
    TruncatedData {
        name: String,
        start: u64,
        end: u64,
        file_len: u64,
    },
}

fn version_hint(version: u32) -> &'static str {
    match version {
        1 => " (v1 is the pre-2023 layout with 32-bit counts, which llama.cpp no longer reads)",
        0 => "",
        _ => " (newer than any version openseal knows)",
    }
}

impl GgufError {
    /// A short read, with what was being read when it happened.
    pub(crate) fn truncated(e: OutOfBounds, what: impl Into<String>) -> GgufError {
        GgufError::Truncated {
            offset: e.offset,
            what: what.into(),
            needed: e.needed,
            remaining: e.remaining,
        }
    }
}

//! Why a GGUF header was rejected. Every message starts with the byte offset where the problem is
//! (or, for tensor data, the byte range), names the key or tensor involved, and says what is wrong.

use crate::weights::cursor::OutOfBounds;
use thiserror::Error;

/// Why a GGUF header was rejected. `offset` fields are byte offsets in the file where the
/// problem was found; `what` fields name what was being read (e.g. `tensor #3 name`, `key #7`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GgufError {
    /// The file does not start with the `GGUF` magic.
    #[error("at byte 0: not a GGUF file: the magic is \"{found}\", not \"GGUF\"")]
    NotGguf {
        /// The first four bytes, non-printable ones escaped.
        found: String,
    },

    /// The header declares a version other than 2 or 3.
    #[error("at byte 4: GGUF version {version} is not supported: openseal reads versions 2 and 3{}", version_hint(*.version))]
    UnsupportedVersion {
        /// The version the header declares.
        version: u32,
    },

    /// A read ran past the end of the file (a [`OutOfBounds`] with what was being read).
    #[error(
        "truncated header: at byte {offset}: reading {what}: needed {needed} bytes, only {remaining} remain"
    )]
    Truncated {
        /// Where the read started.
        offset: u64,
        /// What was being read.
        what: String,
        /// Bytes the read needed.
        needed: u64,
        /// Bytes left in the file from `offset`.
        remaining: u64,
    },

    /// A tensor, key/value or array count above the cap in [`crate::limits`].
    #[error("at byte {offset}: {what} {count} exceeds openseal's cap of {cap}")]
    CountOverCap {
        /// Where the count was read.
        offset: u64,
        /// What is counted.
        what: String,
        /// The count as read.
        count: u64,
        /// The largest count accepted.
        cap: u64,
    },

    /// A count whose items could not fit in the bytes that remain, even at their smallest.
    #[error(
        "at byte {offset}: {what}: {count} items need at least {needed} bytes, only {remaining} remain"
    )]
    CountPastEnd {
        /// Where the count was read.
        offset: u64,
        /// What is counted.
        what: String,
        /// The count as read.
        count: u64,
        /// Bytes the items need at their smallest (128 bits, so the product cannot overflow).
        needed: u128,
        /// Bytes left in the file after the count.
        remaining: u64,
    },

    /// A string whose declared length runs past the end of the file.
    #[error(
        "at byte {offset}: {what}: string length {len} exceeds the {remaining} remaining bytes"
    )]
    StringPastEnd {
        /// Where the string's length was read.
        offset: u64,
        /// What the string is.
        what: String,
        /// The declared length, in bytes.
        len: u64,
        /// Bytes left in the file after the length.
        remaining: u64,
    },

    /// A string longer than [`GGUF_MAX_STRING`](crate::limits::GGUF_MAX_STRING).
    #[error("at byte {offset}: {what}: string length {len} exceeds openseal's cap of {cap} bytes")]
    StringOverCap {
        /// Where the string's length was read.
        offset: u64,
        /// What the string is.
        what: String,
        /// The declared length, in bytes.
        len: u64,
        /// The longest string accepted, in bytes.
        cap: u64,
    },

    /// A key or tensor name that is not UTF-8 (string values are read lossily instead).
    #[error("at byte {offset}: {what} is not valid UTF-8")]
    InvalidUtf8 {
        /// Where the string's bytes start.
        offset: u64,
        /// What the string is.
        what: String,
    },

    /// A metadata value type outside the 13 GGUF defines.
    #[error("at byte {offset}: key '{key}': unknown value type {type_id} (GGUF defines 0 to 12)")]
    UnknownValueType {
        /// Where the type id was read.
        offset: u64,
        /// The metadata key.
        key: String,
        /// The type id as read.
        type_id: u32,
    },

    /// A `BOOL` value byte other than 0 or 1.
    #[error(
        "at byte {offset}: key '{key}': BOOL value is byte {value}, but only 0 and 1 are valid"
    )]
    BadBool {
        /// Where the byte was read.
        offset: u64,
        /// The metadata key.
        key: String,
        /// The byte as read.
        value: u8,
    },

    /// Arrays of arrays nested deeper than
    /// [`GGUF_MAX_ARRAY_DEPTH`](crate::limits::GGUF_MAX_ARRAY_DEPTH).
    #[error("at byte {offset}: key '{key}': arrays are nested more than {max} deep")]
    ArrayTooDeep {
        /// Where the too-deep array starts.
        offset: u64,
        /// The metadata key.
        key: String,
        /// The deepest nesting accepted.
        max: usize,
    },

    /// The same metadata key twice.
    #[error("at byte {offset}: duplicate key '{key}' (llama.cpp rejects repeated keys)")]
    DuplicateKey {
        /// Where the second occurrence starts.
        offset: u64,
        /// The repeated key.
        key: String,
    },

    /// `general.alignment` stored as a type other than `U32`.
    #[error(
        "at byte {offset}: key 'general.alignment' has type {found}, but llama.cpp requires U32"
    )]
    AlignmentType {
        /// Where the value's type was read.
        offset: u64,
        /// The GGUF name of the type found (e.g. `U64`).
        found: &'static str,
    },

    /// `general.alignment` zero or not a power of two.
    #[error(
        "at byte {offset}: key 'general.alignment' is {value}, but it must be a non-zero power of two"
    )]
    BadAlignment {
        /// Where the value's type was read.
        offset: u64,
        /// The alignment as read, in bytes.
        value: u64,
    },

    /// A tensor name longer than ggml's limit ([`GGUF_MAX_NAME`](crate::limits::GGUF_MAX_NAME)).
    #[error(
        "at byte {offset}: tensor '{name}': the name is {len} bytes, but ggml allows at most {max}"
    )]
    NameTooLong {
        /// Where the name's length was read.
        offset: u64,
        /// The name's first 80 characters, lossily decoded.
        name: String,
        /// The name's length, in bytes.
        len: u64,
        /// The longest name accepted, in bytes.
        max: usize,
    },

    /// Two tensors with the same name.
    #[error("at byte {offset}: duplicate tensor name '{name}'")]
    DuplicateTensor {
        /// Where the second tensor info starts.
        offset: u64,
        /// The repeated name.
        name: String,
    },

    /// A tensor with more dimensions than GGUF allows
    /// ([`GGUF_MAX_DIMS`](crate::limits::GGUF_MAX_DIMS)).
    #[error(
        "at byte {offset}: tensor '{name}': {n_dims} dimensions, but GGUF allows at most {max}"
    )]
    TooManyDims {
        /// Where the dimension count was read.
        offset: u64,
        /// The tensor name.
        name: String,
        /// The dimension count as read.
        n_dims: u32,
        /// The most dimensions accepted.
        max: u32,
    },

    /// A dimension that ggml, which reads it as a signed 64-bit integer, would see as negative.
    #[error(
        "at byte {offset}: tensor '{name}': ne[{index}] is {value}, which is negative as ggml's int64"
    )]
    NegativeDim {
        /// Where the dimension was read.
        offset: u64,
        /// The tensor name.
        name: String,
        /// Which dimension (0 is ggml's innermost, `ne[0]`).
        index: usize,
        /// The dimension as read.
        value: u64,
    },

    /// Dimensions whose product does not fit ggml's signed 64-bit element count.
    #[error(
        "at byte {offset}: tensor '{name}': ne {ne:?} has more elements than ggml's int64 can count"
    )]
    ElementCountOverflow {
        /// Where the tensor's dimensions start.
        offset: u64,
        /// The tensor name.
        name: String,
        /// The dimensions in ggml order (innermost first).
        ne: Vec<u64>,
    },

    /// A block-quantized tensor whose rows do not fill whole blocks.
    #[error(
        "at byte {offset}: tensor '{name}': ne[0] = {ne0} is not a multiple of the {block}-element block of {dtype}"
    )]
    PartialBlock {
        /// Where the tensor's type was read.
        offset: u64,
        /// The tensor name.
        name: String,
        /// The ggml type name (e.g. `Q4_K`).
        dtype: String,
        /// The innermost dimension, in elements.
        ne0: u64,
        /// Elements per block of `dtype`.
        block: u64,
    },

    /// A tensor whose size in bytes does not fit in 64 bits.
    #[error("at byte {offset}: tensor '{name}': its size in bytes overflows 64 bits")]
    SizeOverflow {
        /// Where the tensor's type was read.
        offset: u64,
        /// The tensor name.
        name: String,
    },

    /// A tensor data offset that is not a multiple of the file's alignment.
    #[error(
        "at byte {offset}: tensor '{name}': data offset {tensor_offset} is not a multiple of the alignment {alignment}"
    )]
    MisalignedTensor {
        /// Where the data offset was read.
        offset: u64,
        /// The tensor name.
        name: String,
        /// The data offset as read, relative to the data section.
        tensor_offset: u64,
        /// The file's alignment, in bytes.
        alignment: u64,
    },

    /// A tensor that does not start right after the previous one (padded to the alignment):
    /// a gap, an overlap or tensors out of order.
    #[error(
        "at byte {offset}: tensor '{name}': data offset {found}, expected {expected}: tensors must follow each other in file order, each padded to the alignment (no gaps, overlaps or reordering)"
    )]
    UnexpectedTensorOffset {
        /// Where the data offset was read.
        offset: u64,
        /// The tensor name.
        name: String,
        /// The data offset as read, relative to the data section.
        found: u64,
        /// The offset the previous tensors imply.
        expected: u64,
    },

    /// A tensor data offset that overflows 64 bits once the data section's start is added, or a
    /// data section whose start overflows when padded to the alignment.
    #[error(
        "at byte {offset}: tensor '{name}': data offset {tensor_offset} plus the data section start {data_offset} overflows 64 bits"
    )]
    OffsetOverflow {
        /// Where the data offset was read (the end of the tensor infos for the data section).
        offset: u64,
        /// The tensor name; empty for the data section itself.
        name: String,
        /// The data offset as read, relative to the data section (0 for the data section).
        tensor_offset: u64,
        /// Where the data section starts in the file.
        data_offset: u64,
    },

    /// A tensor whose data runs past the end of the file.
    #[error(
        "truncated: tensor '{name}' needs bytes {start}..{end} but the file has {file_len} bytes"
    )]
    TruncatedData {
        /// The tensor name.
        name: String,
        /// First byte of the tensor's data, from the start of the file.
        start: u64,
        /// One past its last byte.
        end: u64,
        /// The file's size, in bytes.
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

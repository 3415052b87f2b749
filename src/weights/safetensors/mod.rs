//! safetensors: strict validation through the `safetensors` crate, plus a lenient parse of the
//! header that explains *why* a broken file is broken (the crate's own messages, such as
//! "invalid offset" for a duplicate name, mislead).

mod entry;

use super::dtype::StDtype;
use super::{Dtype, Format, MetaValue, Parsed, SafetyReport, TensorInfo};
use crate::json::OrderedObject;
use crate::limits;
pub(crate) use entry::RawTensor;
use entry::parse_entry;
use std::collections::HashSet;
use thiserror::Error;

const LEN_PREFIX: u64 = 8;

/// Why a safetensors file was rejected. Data offsets (`begin`, `end`, `from`, `to`) count from the
/// start of the data section, as the header's `data_offsets` do; sizes are in bytes.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SafetensorsError {
    /// Fewer than 8 bytes: not even the header length is there.
    #[error("file is {len} bytes, too short for the 8-byte header length")]
    TooShort {
        /// The file's size.
        len: u64,
    },
    /// A header length above [`SAFETENSORS_MAX_HEADER`](crate::limits::SAFETENSORS_MAX_HEADER).
    #[error(
        "bytes 0..8 declare a {declared}-byte header, more than the {max}-byte limit: not a safetensors file, or a corrupt one"
    )]
    HeaderTooLarge {
        /// The header length in bytes 0..8.
        declared: u64,
        /// The largest header accepted.
        max: u64,
    },
    /// A header length beyond the end of the file.
    #[error(
        "bytes 0..8 declare a {declared}-byte header but only {available} bytes follow: truncated download (the header alone is incomplete)"
    )]
    HeaderTruncated {
        /// The header length in bytes 0..8.
        declared: u64,
        /// Bytes after the length prefix.
        available: u64,
    },
    /// The JSON header is not UTF-8.
    #[error("header is not UTF-8 (byte {offset})")]
    HeaderNotUtf8 {
        /// File offset of the first byte that is not UTF-8.
        offset: u64,
    },
    /// The header is not valid JSON, or not an object.
    #[error("header is not valid JSON: {message} (header line {line}, column {column})")]
    HeaderJson {
        /// serde_json's message, without its position.
        message: String,
        /// 1-based line in the header.
        line: usize,
        /// 1-based column in that line.
        column: usize,
    },
    /// A key that appears twice in the header.
    #[error(
        "tensor name \"{name}\" appears twice in the header (parsers disagree on which one wins)"
    )]
    DuplicateName {
        /// The repeated key.
        name: String,
    },
    /// A tensor entry that is not `{dtype, shape, data_offsets}` with well-formed values, or a
    /// header with more than [`MAX_TENSORS`](crate::limits::MAX_TENSORS) entries (name
    /// `(header)`).
    #[error("tensor \"{name}\": {problem}")]
    BadEntry {
        /// The tensor name.
        name: String,
        /// What is wrong with the entry.
        problem: String,
    },
    /// A dtype name safetensors does not define.
    #[error("tensor \"{name}\": unknown dtype \"{dtype}\" (known: {known})")]
    UnknownDtype {
        /// The tensor name.
        name: String,
        /// The dtype as written.
        dtype: String,
        /// The known dtype names, comma-separated.
        known: String,
    },
    /// `__metadata__` that is not an object of strings.
    #[error("\"__metadata__\": {problem}")]
    BadMetadata {
        /// What is wrong with it.
        problem: String,
    },
    /// A tensor whose `data_offsets` do not span exactly the bytes its dtype and shape need.
    #[error(
        "tensor \"{name}\": {dtype} {shape:?} needs {expected} bytes but data_offsets [{begin}, {end}] hold {actual}"
    )]
    SizeMismatch {
        /// The tensor name.
        name: String,
        /// The dtype as written.
        dtype: String,
        /// The shape as written.
        shape: Vec<u64>,
        /// Bytes the dtype and shape need.
        expected: u64,
        /// Bytes the offsets span (`end - begin`).
        actual: u64,
        /// Start of the data, from `data_offsets`.
        begin: u64,
        /// End of the data (exclusive), from `data_offsets`.
        end: u64,
    },
    /// A sub-byte dtype (e.g. 4-bit) whose element count does not fill whole bytes.
    #[error("tensor \"{name}\": {dtype} {shape:?} is not a whole number of bytes")]
    NotWholeBytes {
        /// The tensor name.
        name: String,
        /// The dtype as written.
        dtype: String,
        /// The shape as written.
        shape: Vec<u64>,
    },
    /// A shape whose size in bits overflows 64 bits.
    #[error("tensor \"{name}\": shape {shape:?} overflows when its size is computed")]
    Overflow {
        /// The tensor name.
        name: String,
        /// The shape as written.
        shape: Vec<u64>,
    },
    /// Data bytes no tensor covers.
    #[error(
        "data gap: no tensor covers data bytes {from}..{to} (between \"{before}\" and \"{after}\")"
    )]
    Gap {
        /// The tensor before the gap, or `(start of data)`.
        before: String,
        /// The tensor after the gap.
        after: String,
        /// First uncovered byte.
        from: u64,
        /// End of the uncovered bytes (exclusive).
        to: u64,
    },
    /// Two tensors that share data bytes.
    #[error("tensors \"{first}\" and \"{second}\" overlap at data bytes {from}..{to}")]
    Overlap {
        /// The tensor before it in data order.
        first: String,
        /// The tensor that starts inside it.
        second: String,
        /// First shared byte.
        from: u64,
        /// End of the shared bytes (exclusive).
        to: u64,
    },
    /// A file shorter than its header describes.
    #[error(
        "truncated download: the header describes {expected} bytes of file but there are {actual} ({missing} tensor(s) cut off, first \"{first_cut}\")"
    )]
    Truncated {
        /// File size the header implies.
        expected: u64,
        /// The file's size.
        actual: u64,
        /// Tensors whose data runs past the end.
        missing: usize,
        /// The first of them, in data order.
        first_cut: String,
    },
    /// Bytes after the last tensor's data.
    #[error(
        "{extra} bytes follow the last tensor's data (file is {actual} bytes, header describes {expected})"
    )]
    TrailingBytes {
        /// File size the header implies.
        expected: u64,
        /// The file's size.
        actual: u64,
        /// `actual - expected`.
        extra: u64,
    },
    /// The `safetensors` crate, the reference reader, refused a file openseal's own checks
    /// accepted; its message.
    #[error("rejected by the safetensors crate: {0}")]
    Strict(String),
}

/// The tensors a safetensors JSON header declares, with offsets into the data section; `None` when the header is not valid. Used where a file
/// arrives as a stream (bundle verification) and the whole-file checks ran elsewhere.
pub(crate) fn header_tensors(header_json: &[u8]) -> Option<Vec<RawTensor>> {
    let raw: OrderedObject = serde_json::from_slice(header_json).ok()?;
    raw.0
        .iter()
        .filter(|(name, _)| name != "__metadata__")
        .map(|(name, v)| parse_entry(name, v).ok())
        .collect()
}

/// Whether the bytes plausibly start a safetensors file: a sane header length followed by `{`.
pub(crate) fn looks_like_safetensors(bytes: &[u8]) -> bool {
    let Some(prefix) = bytes.get(..8) else {
        return false;
    };
    let n = u64::from_le_bytes(prefix.try_into().unwrap_or_default());
    (2..=limits::SAFETENSORS_MAX_HEADER).contains(&n)
        && bytes
            .get(8..)
            .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
            == Some(&b'{')
}

/// Parse a whole safetensors file: the header is checked entry by entry, the tensors must tile
/// the data section exactly, and the `safetensors` crate must accept the file too. Tensors are
/// listed in header order.
pub fn parse(bytes: &[u8]) -> Result<Parsed, SafetensorsError> {
    let len = bytes.len() as u64;
    let prefix: [u8; 8] = bytes
        .get(..8)
        .and_then(|p| p.try_into().ok())
        .ok_or(SafetensorsError::TooShort { len })?;
    let declared = u64::from_le_bytes(prefix);
    if declared > limits::SAFETENSORS_MAX_HEADER {
        return Err(SafetensorsError::HeaderTooLarge {
            declared,
            max: limits::SAFETENSORS_MAX_HEADER,
        });
    }
    let available = len - LEN_PREFIX;
    if declared > available {
        return Err(SafetensorsError::HeaderTruncated {
            declared,
            available,
        });
    }
    let header_end = (LEN_PREFIX + declared) as usize;
    let header_bytes = &bytes[LEN_PREFIX as usize..header_end];
    let text = std::str::from_utf8(header_bytes).map_err(|e| SafetensorsError::HeaderNotUtf8 {
        offset: LEN_PREFIX + e.valid_up_to() as u64,
    })?;
    let mut warnings = Vec::new();
    if !text.starts_with('{') {
        warnings.push(
            "header starts with whitespace before '{' (the format says it must start with '{')"
                .into(),
        );
    }
    let raw: OrderedObject =
        serde_json::from_str(text).map_err(|e| SafetensorsError::HeaderJson {
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or("")
                .to_string(),
            line: e.line(),
            column: e.column(),
        })?;

    let (mut tensors, metadata) = check_entries(raw)?;
    let data_start = LEN_PREFIX + declared;
    check_extents(&mut tensors, data_start, len)?;

    // The crate is the reference reader: a file it refuses is refused, whatever our checks said.
    safetensors::SafeTensors::read_metadata(bytes)
        .map_err(|e| SafetensorsError::Strict(e.to_string()))?;

    if !declared.is_multiple_of(8) {
        warnings.push(format!(
            "header length {declared} is not a multiple of 8, so tensor data may be misaligned"
        ));
    }
    let misaligned = tensors
        .iter()
        .filter(|(_, t, dtype)| !(data_start + t.begin).is_multiple_of(dtype.bits().div_ceil(8)))
        .count();
    if misaligned > 0 {
        warnings.push(format!(
            "{misaligned} tensor(s) start at an offset that is not a multiple of their element size"
        ));
    }
    // Back to header order: the order the writer chose is the order people expect to see.
    tensors.sort_by_key(|(order, _, _)| *order);
    Ok(Parsed {
        format: Format::Safetensors,
        tensors: tensors
            .into_iter()
            .map(|(_, t, dtype)| TensorInfo {
                nbytes: Some(t.end - t.begin),
                offset: Some(data_start + t.begin),
                name: t.name,
                dtype: Dtype::St(dtype),
                shape: t.shape,
                strides: None,
            })
            .collect(),
        metadata,
        container: vec![("header_length".into(), MetaValue::UInt(declared))],
        safety: SafetyReport::data_only(
            "safetensors holds tensor data and a JSON header only, no code",
        ),
        warnings,
    })
}

/// (position in the header, entry, dtype).
type Checked = (usize, RawTensor, StDtype);
type Metadata = Vec<(String, MetaValue)>;

/// Each entry on its own: names unique, fields well-formed, dtype known, size consistent.
fn check_entries(raw: OrderedObject) -> Result<(Vec<Checked>, Metadata), SafetensorsError> {
    if raw.0.len() as u64 > limits::MAX_TENSORS {
        return Err(SafetensorsError::BadEntry {
            name: "(header)".into(),
            problem: format!("more than {} entries", limits::MAX_TENSORS),
        });
    }
    let mut seen = HashSet::with_capacity(raw.0.len());
    let mut tensors = Vec::with_capacity(raw.0.len());
    let mut metadata = Vec::new();
    for (order, (name, value)) in raw.0.into_iter().enumerate() {
        if !seen.insert(name.clone()) {
            return Err(SafetensorsError::DuplicateName { name });
        }
        if name == "__metadata__" {
            metadata = check_metadata(value)?;
            continue;
        }
        let t = parse_entry(&name, &value).map_err(|problem| SafetensorsError::BadEntry {
            name: name.clone(),
            problem,
        })?;
        let dtype = StDtype::from_name(&t.dtype).ok_or_else(|| SafetensorsError::UnknownDtype {
            name: name.clone(),
            dtype: t.dtype.clone(),
            known: StDtype::ALL.map(StDtype::name).join(", "),
        })?;
        let bits = super::dtype::numel(&t.shape)
            .and_then(|n| n.checked_mul(dtype.bits()))
            .ok_or_else(|| SafetensorsError::Overflow {
                name: name.clone(),
                shape: t.shape.clone(),
            })?;
        if bits % 8 != 0 {
            return Err(SafetensorsError::NotWholeBytes {
                name,
                dtype: t.dtype,
                shape: t.shape,
            });
        }
        if bits / 8 != t.end - t.begin {
            return Err(SafetensorsError::SizeMismatch {
                name,
                dtype: t.dtype,
                shape: t.shape,
                expected: bits / 8,
                actual: t.end - t.begin,
                begin: t.begin,
                end: t.end,
            });
        }
        tensors.push((order, t, dtype));
    }
    Ok((tensors, metadata))
}

fn check_metadata(value: serde_json::Value) -> Result<Vec<(String, MetaValue)>, SafetensorsError> {
    let serde_json::Value::Object(map) = value else {
        return Err(SafetensorsError::BadMetadata {
            problem: "must be an object of strings".into(),
        });
    };
    map.into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => Ok((k, MetaValue::Str(s))),
            other => Err(SafetensorsError::BadMetadata {
                problem: format!("value of \"{k}\" is {other}, not a string"),
            }),
        })
        .collect()
}

/// Tensors together: they must tile the data section exactly, from 0 to the end of the file.
fn check_extents(
    tensors: &mut [Checked],
    data_start: u64,
    file_len: u64,
) -> Result<(), SafetensorsError> {
    tensors.sort_by_key(|c| (c.1.begin, c.1.end));
    let mut cursor = 0u64;
    let mut previous = "(start of data)".to_string();
    for (_, t, _) in tensors.iter() {
        if t.begin > cursor {
            return Err(SafetensorsError::Gap {
                before: previous,
                after: t.name.clone(),
                from: cursor,
                to: t.begin,
            });
        }
        if t.begin < cursor {
            return Err(SafetensorsError::Overlap {
                first: previous,
                second: t.name.clone(),
                from: t.begin,
                to: cursor.min(t.end),
            });
        }
        cursor = t.end;
        previous = t.name.clone();
    }
    let expected = data_start.saturating_add(cursor);
    if expected > file_len {
        let data_len = file_len - data_start;
        let cut: Vec<&RawTensor> = tensors
            .iter()
            .map(|c| &c.1)
            .filter(|t| t.end > data_len)
            .collect();
        return Err(SafetensorsError::Truncated {
            expected,
            actual: file_len,
            missing: cut.len(),
            first_cut: cut.first().map(|t| t.name.clone()).unwrap_or_default(),
        });
    }
    if expected < file_len {
        return Err(SafetensorsError::TrailingBytes {
            expected,
            actual: file_len,
            extra: file_len - expected,
        });
    }
    Ok(())
}

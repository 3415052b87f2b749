//! GGUF v2/v3 header reader (llama.cpp's format): metadata key/values and tensor infos, read from
//! a byte slice (the caller's memory map). Tensor data is never read; only its extents are checked.
//!
//! Why openseal has its own parser rather than candle's `gguf_file::Content::read`: candle
//! allocates whatever sizes the file asks for before checking them against the file, rejects the
//! whole file on any tensor type outside its 15 (every IQ*, TQ*, MXFP4, I8..I64, F64), keeps keys and
//! tensors in `HashMap`s (file order lost), silently accepts duplicate keys and tensor names, and
//! ignores a non-U32 `general.alignment` (wrong data offset). This reader checks every count and
//! length against the bytes that remain and the caps in [`crate::limits`] before allocating,
//! keeps file order, and enforces the layout rules llama.cpp enforces.
//!
//! Layout (all integers in the file's byte order):
//! `"GGUF" u32 version, u64 tensor_count, u64 kv_count, kv_count × {string key, u32 type, value},
//! tensor_count × {string name, u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset}`,
//! padding to the alignment, tensor data. A string is `u64 len` + bytes.

mod error;
mod values;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod writer;

pub use error::GgufError;

use crate::limits::{GGUF_MAX_DIMS, GGUF_MAX_KV, GGUF_MAX_NAME, MAX_TENSORS};
use crate::weights::cursor::{Cursor, Endian};
use crate::weights::{
    Dtype, Format, GgmlType, MetaValue, Parsed, ReadOptions, SafetyReport, TensorInfo,
};
use serde::Serialize;
use std::collections::HashSet;
use values::KvReader;

/// The file's magic bytes; written as bytes, so they read the same in either byte order.
const MAGIC: &[u8; 4] = b"GGUF";
/// Alignment of tensor data when `general.alignment` is absent (GGUF_DEFAULT_ALIGNMENT).
pub(crate) const DEFAULT_ALIGNMENT: u64 = 32;
/// Where the header stores tensor_count (after the magic and the version).
const TENSOR_COUNT_AT: u64 = 8;
/// Smallest possible key/value pair: an empty key (8-byte length), the type (4), a 1-byte value.
const MIN_KV_BYTES: u64 = 8 + 4 + 1;
/// Smallest possible tensor info: an empty name (8), n_dims (4), no dims, type (4), offset (8).
const MIN_TENSOR_INFO_BYTES: u64 = 8 + 4 + 4 + 8;

/// Facts from the GGUF header that are not key/value pairs; [`Parsed::container`] lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GgufHeader {
    pub(crate) version: u32,
    /// The file is byte-swapped (a big-endian GGUF, which has no marker but its version).
    pub(crate) big_endian: bool,
    /// Alignment of tensor data: `general.alignment`, or 32.
    pub alignment: u64,
    /// Absolute file offset of the tensor data section.
    pub data_offset: u64,
    pub(crate) kv_count: u64,
    pub(crate) tensor_count: u64,
}

impl GgufHeader {
    /// The facts a report shows about the container (the tensor count is shown by the tensors).
    fn container(&self) -> Vec<(String, MetaValue)> {
        let byte_order = if self.big_endian {
            "big-endian"
        } else {
            "little-endian"
        };
        vec![
            ("version".into(), MetaValue::UInt(self.version.into())),
            ("byte_order".into(), MetaValue::Str(byte_order.into())),
            ("alignment".into(), MetaValue::UInt(self.alignment)),
            ("data_offset".into(), MetaValue::UInt(self.data_offset)),
            ("kv_count".into(), MetaValue::UInt(self.kv_count)),
        ]
    }
}

/// Whether `bytes` starts with the GGUF magic.
pub(crate) fn looks_like_gguf(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Whether `prefix`, the first bytes of a GGUF file of `file_len` bytes, holds all of its
/// key/values and tensor infos. Remote reads fetch growing prefixes until it does: only running
/// out of bytes means "more"; any other outcome (a parse, tensor data past the prefix, a real
/// error) is decided inside the prefix, so the whole file reads the same way.
pub(crate) fn metadata_complete(prefix: &[u8], file_len: u64) -> bool {
    if prefix.len() as u64 >= file_len {
        return true;
    }
    !matches!(
        parse_with_header(prefix, ReadOptions::default()),
        Err(GgufError::Truncated { .. }
            | GgufError::CountPastEnd { .. }
            | GgufError::StringPastEnd { .. })
    )
}

/// Read a GGUF file's header: its key/values and tensors in file order.
pub fn parse(bytes: &[u8], opts: ReadOptions) -> Result<Parsed, GgufError> {
    parse_with_header(bytes, opts).map(|(_, parsed)| parsed)
}

/// [`parse`], also returning the header facts (version, byte order, alignment, data offset).
pub fn parse_with_header(
    bytes: &[u8],
    opts: ReadOptions,
) -> Result<(GgufHeader, Parsed), GgufError> {
    let mut cur = Cursor::new(bytes);
    let mut warnings = Vec::new();
    let (version, big_endian) = read_magic_and_version(&mut cur)?;
    if big_endian {
        warnings.push(format!(
            "the file is big-endian (GGUF v{version} byte-swapped); little-endian machines cannot use its tensor data as is"
        ));
    }
    let (tensor_count, kv_count) = read_counts(&mut cur)?;

    let mut kv = KvReader::new(cur, opts.full_arrays);
    let metadata = kv.read_all(kv_count)?;
    let alignment = kv.alignment()?;
    let (mut cur, kv_warnings) = kv.finish();
    warnings.extend(kv_warnings);

    let raw = read_tensor_infos(&mut cur, tensor_count, alignment, &mut warnings)?;
    let data_offset = data_section_start(cur.offset(), tensor_count, alignment)?;
    let file_len = bytes.len() as u64;
    check_extents(&raw, alignment, data_offset, file_len, &mut warnings)?;
    let tensors = raw
        .into_iter()
        .map(|t| t.into_info(data_offset))
        .collect::<Result<Vec<_>, _>>()?;

    let header = GgufHeader {
        version,
        big_endian,
        alignment,
        data_offset,
        kv_count,
        tensor_count,
    };
    let parsed = Parsed {
        format: Format::Gguf,
        tensors,
        metadata,
        container: header.container(),
        safety: SafetyReport::data_only("GGUF holds tensors and metadata only, no code"),
        warnings,
    };
    Ok((header, parsed))
}

/// Check the magic and read the version, switching the cursor to big-endian when the version
/// only makes sense byte-swapped: GGUF v3 "supports big-endian" with no marker but this.
fn read_magic_and_version(cur: &mut Cursor) -> Result<(u32, bool), GgufError> {
    let magic = cur.peek(4);
    if magic != MAGIC {
        return Err(GgufError::NotGguf {
            found: magic.escape_ascii().to_string(),
        });
    }
    cur.skip(4).map_err(|e| GgufError::truncated(e, "magic"))?;
    let mut version = cur.u32().map_err(|e| GgufError::truncated(e, "version"))?;
    // A real version is small, so its upper half is zero; read the other way round, its lower
    // half is. (Version 0 reads as 0 both ways and is rejected below.)
    let big_endian = version & 0xFFFF == 0 && version != 0;
    if big_endian {
        cur.endian = Endian::Big;
        version = version.swap_bytes();
    }
    if !(2..=3).contains(&version) {
        return Err(GgufError::UnsupportedVersion { version });
    }
    Ok((version, big_endian))
}

/// Read tensor_count and kv_count, and check both against the caps and against the bytes that
/// remain (at the smallest possible size per item) before anything is allocated for them.
fn read_counts(cur: &mut Cursor) -> Result<(u64, u64), GgufError> {
    let tensors_at = cur.offset();
    let tensor_count = cur
        .u64()
        .map_err(|e| GgufError::truncated(e, "tensor count"))?;
    let kvs_at = cur.offset();
    let kv_count = cur
        .u64()
        .map_err(|e| GgufError::truncated(e, "key/value count"))?;
    check_count(
        cur,
        tensors_at,
        "tensor count",
        tensor_count,
        MAX_TENSORS,
        MIN_TENSOR_INFO_BYTES,
    )?;
    check_count(
        cur,
        kvs_at,
        "key/value count",
        kv_count,
        GGUF_MAX_KV,
        MIN_KV_BYTES,
    )?;
    // Both sections must fit together, too.
    let needed = u128::from(tensor_count) * u128::from(MIN_TENSOR_INFO_BYTES)
        + u128::from(kv_count) * u128::from(MIN_KV_BYTES);
    if needed > u128::from(cur.remaining()) {
        return Err(GgufError::CountPastEnd {
            offset: tensors_at,
            what: format!("{tensor_count} tensor infos and {kv_count} key/values"),
            count: tensor_count.saturating_add(kv_count),
            needed,
            remaining: cur.remaining(),
        });
    }
    Ok((tensor_count, kv_count))
}

/// Check a count read at `at` against its cap and against what the remaining bytes can hold.
pub(crate) fn check_count(
    cur: &Cursor,
    at: u64,
    what: &str,
    count: u64,
    cap: u64,
    min_item_bytes: u64,
) -> Result<(), GgufError> {
    if count > cap {
        return Err(GgufError::CountOverCap {
            offset: at,
            what: what.to_string(),
            count,
            cap,
        });
    }
    if cur.ensure_items(count, min_item_bytes).is_err() {
        return Err(GgufError::CountPastEnd {
            offset: at,
            what: what.to_string(),
            count,
            needed: u128::from(count) * u128::from(min_item_bytes),
            remaining: cur.remaining(),
        });
    }
    Ok(())
}

/// One tensor info as read, before the data offset is known.
struct RawTensor {
    name: String,
    /// Offset of the info's data-offset field, for errors.
    offset_at: u64,
    dtype: GgmlType,
    /// Row-major shape (GGUF's `ne` reversed).
    shape: Vec<u64>,
    /// Offset relative to the data section.
    offset: u64,
    nbytes: Option<u64>,
}

impl RawTensor {
    fn into_info(self, data_offset: u64) -> Result<TensorInfo, GgufError> {
        let offset =
            data_offset
                .checked_add(self.offset)
                .ok_or_else(|| GgufError::OffsetOverflow {
                    offset: self.offset_at,
                    name: self.name.clone(),
                    tensor_offset: self.offset,
                    data_offset,
                })?;
        Ok(TensorInfo {
            name: self.name,
            dtype: Dtype::Ggml(self.dtype),
            shape: self.shape,
            strides: None,
            offset: Some(offset),
            nbytes: self.nbytes,
        })
    }
}

fn read_tensor_infos(
    cur: &mut Cursor,
    count: u64,
    alignment: u64,
    warnings: &mut Vec<String>,
) -> Result<Vec<RawTensor>, GgufError> {
    // Checked again here: the key/values before may have used up most of the file.
    check_count(
        cur,
        TENSOR_COUNT_AT,
        "tensor count",
        count,
        MAX_TENSORS,
        MIN_TENSOR_INFO_BYTES,
    )?;
    let capacity = usize::try_from(count).unwrap_or(0);
    let mut tensors = Vec::with_capacity(capacity);
    let mut seen: HashSet<String> = HashSet::with_capacity(capacity);
    for index in 0..count {
        let info_at = cur.offset();
        let t = read_tensor_info(cur, index, alignment, warnings)?;
        if !seen.insert(t.name.clone()) {
            return Err(GgufError::DuplicateTensor {
                offset: info_at,
                name: t.name,
            });
        }
        tensors.push(t);
    }
    Ok(tensors)
}

fn read_tensor_info(
    cur: &mut Cursor,
    index: u64,
    alignment: u64,
    warnings: &mut Vec<String>,
) -> Result<RawTensor, GgufError> {
    let name = read_tensor_name(cur, index)?;
    let trunc = |e, field: &str| GgufError::truncated(e, format!("tensor '{name}' {field}"));
    let dims_at = cur.offset();
    let n_dims = cur.u32().map_err(|e| trunc(e, "n_dims"))?;
    // llama.cpp accepts 0 dimensions (a scalar: every ne is 1); so does openseal, as shape [].
    if n_dims > GGUF_MAX_DIMS {
        return Err(GgufError::TooManyDims {
            offset: dims_at,
            name,
            n_dims,
            max: GGUF_MAX_DIMS,
        });
    }
    let ne_at = cur.offset();
    let mut ne = Vec::with_capacity(n_dims as usize);
    for index in 0..n_dims as usize {
        let at = cur.offset();
        let d = cur.u64().map_err(|e| trunc(e, "ne"))?;
        // ggml stores ne as int64 and rejects negative values.
        if i64::try_from(d).is_err() {
            return Err(GgufError::NegativeDim {
                offset: at,
                name,
                index,
                value: d,
            });
        }
        ne.push(d);
    }
    let type_at = cur.offset();
    let dtype = GgmlType(cur.u32().map_err(|e| trunc(e, "ggml type"))?);
    let offset_at = cur.offset();
    let offset = cur.u64().map_err(|e| trunc(e, "data offset"))?;

    let numel = ne.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d));
    if numel.is_none_or(|n| i64::try_from(n).is_err()) {
        return Err(GgufError::ElementCountOverflow {
            offset: ne_at,
            name,
            ne,
        });
    }
    let shape: Vec<u64> = ne.iter().rev().copied().collect();
    let nbytes = tensor_nbytes(&name, dtype, &shape, type_at, warnings)?;
    if offset % alignment != 0 {
        return Err(GgufError::MisalignedTensor {
            offset: offset_at,
            name,
            tensor_offset: offset,
            alignment,
        });
    }
    Ok(RawTensor {
        name,
        offset_at,
        dtype,
        shape,
        offset,
        nbytes,
    })
}

/// A tensor name: at most GGML_MAX_NAME - 1 bytes of UTF-8.
fn read_tensor_name(cur: &mut Cursor, index: u64) -> Result<String, GgufError> {
    let at = cur.offset();
    let what = || format!("tensor #{index} name");
    let bytes = values::read_string_bytes(cur, &what)?;
    if bytes.len() > GGUF_MAX_NAME {
        return Err(GgufError::NameTooLong {
            offset: at,
            name: String::from_utf8_lossy(bytes).chars().take(80).collect(),
            len: bytes.len() as u64,
            max: GGUF_MAX_NAME,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Err(GgufError::InvalidUtf8 {
            offset: at,
            what: what(),
        }),
    }
}

/// Bytes of a tensor's data: `None` (with a warning) for a ggml type openseal does not know; an
/// error for a known type whose innermost dimension does not fill whole blocks, as in llama.cpp.
fn tensor_nbytes(
    name: &str,
    dtype: GgmlType,
    shape: &[u64],
    type_at: u64,
    warnings: &mut Vec<String>,
) -> Result<Option<u64>, GgufError> {
    let Some((block, _)) = dtype.block() else {
        warnings.push(format!(
            "tensor '{name}' has unknown ggml type {}; its size cannot be checked",
            dtype.0
        ));
        return Ok(None);
    };
    // With no dimensions, ggml's ne[0] is 1.
    let ne0 = shape.last().copied().unwrap_or(1);
    if ne0 % block != 0 {
        return Err(GgufError::PartialBlock {
            offset: type_at,
            name: name.to_string(),
            dtype: dtype.name(),
            ne0,
            block,
        });
    }
    match Dtype::Ggml(dtype).byte_len(shape) {
        Some(n) => Ok(Some(n)),
        None => Err(GgufError::SizeOverflow {
            offset: type_at,
            name: name.to_string(),
        }),
    }
}

/// Where tensor data starts: the end of the tensor infos, padded to the alignment. llama.cpp
/// pads only when there are tensors, and vocab-only files (0 tensors) indeed end unpadded.
fn data_section_start(infos_end: u64, tensor_count: u64, alignment: u64) -> Result<u64, GgufError> {
    if tensor_count == 0 {
        return Ok(infos_end);
    }
    align_up(infos_end, alignment).ok_or(GgufError::OffsetOverflow {
        offset: infos_end,
        name: String::new(),
        tensor_offset: 0,
        data_offset: infos_end,
    })
}

/// `n` rounded up to a multiple of `alignment` (a power of two); `None` on overflow.
fn align_up(n: u64, alignment: u64) -> Option<u64> {
    let rem = n % alignment;
    if rem == 0 {
        Some(n)
    } else {
        n.checked_add(alignment - rem)
    }
}

/// Check where tensor data lies as llama.cpp does: each tensor starts where the previous one
/// ended (padded to the alignment), in file order; and, as its model loader does, each tensor's
/// bytes (without trailing padding) lie inside the file.
fn check_extents(
    tensors: &[RawTensor],
    alignment: u64,
    data_offset: u64,
    file_len: u64,
    warnings: &mut Vec<String>,
) -> Result<(), GgufError> {
    // Where the next tensor must start; `None` once a tensor of unknown size was passed.
    let mut expected = Some(0u64);
    for t in tensors {
        if let Some(expected) = expected.filter(|&e| e != t.offset) {
            return Err(GgufError::UnexpectedTensorOffset {
                offset: t.offset_at,
                name: t.name.clone(),
                found: t.offset,
                expected,
            });
        }
        let overflow = || GgufError::OffsetOverflow {
            offset: t.offset_at,
            name: t.name.clone(),
            tensor_offset: t.offset,
            data_offset,
        };
        let start = data_offset.checked_add(t.offset).ok_or_else(overflow)?;
        let Some(nbytes) = t.nbytes else {
            // The size is unknown, so where the next tensor should start is unknown too; still,
            // this tensor starts inside the file and those after it of known size lie inside it.
            if start > file_len {
                return Err(GgufError::TruncatedData {
                    name: t.name.clone(),
                    start,
                    end: start,
                    file_len,
                });
            }
            if expected.take().is_some() {
                warnings.push(format!(
                    "tensor data offsets were not checked from tensor '{}' on, because its type is unknown",
                    t.name
                ));
            }
            continue;
        };
        let end = start.checked_add(nbytes).ok_or_else(overflow)?;
        if end > file_len {
            return Err(GgufError::TruncatedData {
                name: t.name.clone(),
                start,
                end,
                file_len,
            });
        }
        if let Some(e) = expected {
            let padded = align_up(nbytes, alignment).ok_or_else(overflow)?;
            expected = Some(e.checked_add(padded).ok_or_else(overflow)?);
        }
    }
    Ok(())
}

/// The name of a GGUF value type, as `MetaValue::Array::elem_type` reports it.
#[cfg(test)]
pub(crate) fn value_type_name(type_id: u32) -> Option<&'static str> {
    values::ValueType::from_id(type_id).map(values::ValueType::name)
}

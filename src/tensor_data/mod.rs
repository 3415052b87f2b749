//! A tensor's bytes in canonical form: row-major, contiguous, little-endian, read in bounded
//! pieces from the file's memory map. Contiguous little-endian tensors are borrowed straight from
//! the map; strided (PyTorch, Fortran-order NumPy) and big-endian ones are gathered or swapped
//! into a buffer one piece at a time, so no whole tensor is ever copied.

mod order;
mod strided;

pub use order::{ByteOrder, byte_order};

use crate::weights::{Dtype, StDtype, TensorInfo};
use std::borrow::Cow;
use thiserror::Error;

/// Why a tensor's bytes cannot be read in place.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DataError {
    /// The tensor has no known offset in the file (a deflated zip entry, storages outside a bare
    /// pickle, a NumPy object array).
    #[error("its bytes are not stored uncompressed in the file, so they cannot be read in place")]
    NotInFile,
    /// The dtype's element size is unknown; the dtype's name.
    #[error("the byte size of dtype {0} is unknown")]
    UnknownSize(String),
    /// The tensor's bytes run past the end of the file.
    #[error("its data (bytes {start}..{end}) lies outside the {size}-byte file")]
    OutsideFile {
        /// File offset of its first byte.
        start: u64,
        /// File offset one past its last byte.
        end: u64,
        /// The file's size, in bytes.
        size: u64,
    },
    /// Big-endian data of a dtype that is not a safetensors dtype (a ggml or other type), which
    /// openseal does not byte-swap; the dtype.
    #[error("big-endian {0} data is not supported")]
    BigEndian(String),
    /// A strided tensor of a dtype smaller than a byte; the dtype.
    #[error("strided {0} tensors are not supported (elements smaller than a byte)")]
    StridedSubByte(String),
    /// Its size or extent overflows 64 bits.
    #[error("its size overflows")]
    Overflow,
}

/// A located tensor: where its elements are and how to put them in canonical order.
#[derive(Debug, Clone)]
pub struct TensorBytes<'a> {
    file: &'a [u8],
    /// Absolute offset of the first element.
    start: usize,
    /// Bytes in canonical form.
    len: u64,
    /// Element layout when not contiguous row-major: (element bytes, shape, strides).
    strided: Option<(usize, Vec<u64>, Vec<u64>)>,
    /// Bytes swapped per unit to make big-endian data little-endian (0: none).
    swap: usize,
}

fn to_usize(v: u64) -> Result<usize, DataError> {
    usize::try_from(v).map_err(|_| DataError::Overflow)
}

/// Bytes per unit that a big-endian element of `dtype` must be reversed in, or an error when
/// openseal does not know how to swap the type.
fn swap_unit(dtype: &Dtype) -> Result<usize, DataError> {
    match dtype {
        // Complex numbers are two floats, each stored in the file's byte order.
        Dtype::St(StDtype::C64) => Ok(4),
        Dtype::St(d) if d.bits() >= 16 => Ok((d.bits() / 8) as usize),
        Dtype::St(_) => Ok(0),
        other => Err(DataError::BigEndian(other.name())),
    }
}

/// Locate `info`'s data inside `file` (the whole mapped file).
pub fn locate<'a>(
    file: &'a [u8],
    info: &TensorInfo,
    order: ByteOrder,
) -> Result<TensorBytes<'a>, DataError> {
    let len = info
        .dtype
        .byte_len(&info.shape)
        .ok_or_else(|| DataError::UnknownSize(info.dtype.name()))?;
    let swap = match order {
        ByteOrder::Little => 0,
        ByteOrder::Big => swap_unit(&info.dtype)?,
    };
    let size = file.len() as u64;
    if len == 0 {
        return Ok(TensorBytes {
            file,
            start: 0,
            len,
            strided: None,
            swap,
        });
    }
    let offset = info.offset.ok_or(DataError::NotInFile)?;
    let (extent, strided) = match &info.strides {
        None => (len, None),
        Some(strides) => {
            let bits = match &info.dtype {
                Dtype::St(d) => d.bits(),
                Dtype::Other { bits: Some(b), .. } => *b,
                other => return Err(DataError::UnknownSize(other.name())),
            };
            if bits % 8 != 0 || strides.len() != info.shape.len() {
                return Err(DataError::StridedSubByte(info.dtype.name()));
            }
            let elem = bits / 8;
            let extent = strided::extent(&info.shape, strides)
                .and_then(|e| e.checked_mul(elem))
                .ok_or(DataError::Overflow)?;
            (
                extent,
                Some((to_usize(elem)?, info.shape.clone(), strides.clone())),
            )
        }
    };
    let end = offset.checked_add(extent).ok_or(DataError::Overflow)?;
    if end > size {
        return Err(DataError::OutsideFile {
            start: offset,
            end,
            size,
        });
    }
    Ok(TensorBytes {
        file,
        start: to_usize(offset)?,
        len,
        strided,
        swap,
    })
}

impl<'a> TensorBytes<'a> {
    /// Bytes in canonical form.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// The smallest piece [`read`](Self::read) may start or end inside of: the element size of
    /// strided or byte-swapped tensors, else one byte.
    pub fn unit(&self) -> u64 {
        match &self.strided {
            Some((elem, _, _)) => *elem as u64,
            None => self.swap.max(1) as u64,
        }
    }

    /// Whether reading needs a copy (strides or byte swapping) rather than a borrow.
    #[cfg(test)] // only the tests ask; `read` decides for itself
    pub fn copies(&self) -> bool {
        self.strided.is_some() || self.swap > 1
    }

    /// Canonical bytes `from..from + len`. Both must be multiples of the element size for
    /// strided or swapped tensors (callers split on element or block boundaries) and lie within
    /// [`len`](Self::len); a range outside is clipped.
    pub fn read(&self, from: u64, len: u64) -> Cow<'a, [u8]> {
        let from = from.min(self.len);
        let len = len.min(self.len - from);
        let (Ok(from), Ok(len)) = (usize::try_from(from), usize::try_from(len)) else {
            return Cow::Borrowed(&[]);
        };
        let mut out = match &self.strided {
            None => {
                let a = self.start + from;
                let piece = self.file.get(a..a + len).unwrap_or_default();
                if self.swap <= 1 {
                    return Cow::Borrowed(piece);
                }
                piece.to_vec()
            }
            Some((elem, shape, strides)) => {
                strided::gather(self.file, self.start, *elem, shape, strides, from, len)
            }
        };
        if self.swap > 1 {
            for unit in out.chunks_exact_mut(self.swap) {
                unit.reverse();
            }
        }
        Cow::Owned(out)
    }

    /// Split the canonical bytes into pieces of at most `max_bytes` bytes that each hold whole
    /// `unit`s (elements or quantization blocks): `(from, len)` pairs.
    pub fn pieces(&self, unit: u64, max_bytes: u64) -> Vec<(u64, u64)> {
        let unit = unit.max(1);
        let step = (max_bytes / unit).max(1) * unit;
        let mut out = Vec::new();
        let mut from = 0;
        while from < self.len {
            let len = step.min(self.len - from);
            out.push((from, len));
            from += len;
        }
        out
    }
}

#[cfg(test)]
mod tests;

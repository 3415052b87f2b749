//! The `.npy` header: magic, version, header length and the dict literal it holds.

use super::descr::{self, Descr};
use super::error::NumpyError;
use super::literal::{self, Lit};
use crate::limits::{MAX_DIMS, NPY_MAX_HEADER};
use crate::weights::cursor::Cursor;

pub const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// What an `.npy` header says.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub(crate) version: (u8, u8),
    pub(crate) descr: Descr,
    pub(crate) fortran_order: bool,
    pub(crate) shape: Vec<u64>,
    /// Offset of the array data from the start of the `.npy` bytes.
    pub(crate) data_start: u64,
    /// Keys other than descr/fortran_order/shape (numpy refuses them).
    pub(crate) extra_keys: Vec<String>,
}

/// Bytes before the header literal, and the literal's length, from the first bytes of a file.
pub fn preamble(bytes: &[u8]) -> Result<(u64, u64, (u8, u8)), NumpyError> {
    let mut c = Cursor::new(bytes);
    let magic = c.take(6).map_err(NumpyError::from)?;
    if magic != MAGIC {
        return Err(NumpyError::NotNpy);
    }
    let major = c.u8()?;
    let minor = c.u8()?;
    let len = match major {
        1 => u64::from(c.u16()?),
        2 | 3 => u64::from(c.u32()?),
        _ => return Err(NumpyError::UnsupportedVersion { major, minor }),
    };
    if len > NPY_MAX_HEADER {
        return Err(NumpyError::HeaderTooLong {
            len,
            limit: NPY_MAX_HEADER,
        });
    }
    Ok((c.offset(), len, (major, minor)))
}

/// Parse the header at the start of `bytes` (which may hold only the header).
pub fn parse(bytes: &[u8]) -> Result<Header, NumpyError> {
    let (start, len, version) = preamble(bytes)?;
    let mut c = Cursor::new(bytes);
    c.skip(start)?;
    let raw = c.take(len)?;
    let text: String = if version.0 >= 3 {
        std::str::from_utf8(raw)
            .map_err(|_| bad(start, "header is not UTF-8".to_string()))?
            .to_string()
    } else {
        // Versions 1 and 2 are latin-1.
        raw.iter().map(|&b| char::from(b)).collect()
    };
    let lit = literal::parse(&text).map_err(|e| bad(start + e.pos as u64, e.why))?;
    let Lit::Dict(entries) = lit else {
        return Err(bad(start, "header is not a dict".to_string()));
    };
    let mut descr = None;
    let mut fortran_order = None;
    let mut shape = None;
    let mut extra_keys = Vec::new();
    for (k, v) in entries {
        match (k, v) {
            (Lit::Str(k), v) if k == "descr" => {
                descr = Some(descr::parse(&v).map_err(|why| bad(start, why))?)
            }
            (Lit::Str(k), Lit::Bool(b)) if k == "fortran_order" => fortran_order = Some(b),
            (Lit::Str(k), Lit::Tuple(dims)) if k == "shape" => {
                shape = Some(parse_shape(&dims).map_err(|why| bad(start, why))?)
            }
            (Lit::Str(k), _) if matches!(k.as_str(), "fortran_order" | "shape") => {
                return Err(bad(start, format!("{k} has the wrong type")));
            }
            (Lit::Str(k), _) => extra_keys.push(k),
            _ => return Err(bad(start, "header key is not a string".to_string())),
        }
    }
    let missing = |k: &str| bad(start, format!("header has no {k:?}"));
    Ok(Header {
        version,
        descr: descr.ok_or_else(|| missing("descr"))?,
        fortran_order: fortran_order.ok_or_else(|| missing("fortran_order"))?,
        shape: shape.ok_or_else(|| missing("shape"))?,
        data_start: start + len,
        extra_keys,
    })
}

fn bad(offset: u64, why: String) -> NumpyError {
    NumpyError::BadHeader { offset, why }
}

fn parse_shape(dims: &[Lit]) -> Result<Vec<u64>, String> {
    if dims.len() > MAX_DIMS {
        return Err(format!("{} dimensions, more than {MAX_DIMS}", dims.len()));
    }
    dims.iter()
        .map(|d| match d {
            Lit::Int(n) => u64::try_from(*n).map_err(|_| format!("negative dimension {n}")),
            _ => Err("shape holds a non-integer".to_string()),
        })
        .collect()
}

/// Element strides of a column-major (Fortran-order) array.
pub fn fortran_strides(shape: &[u64]) -> Vec<u64> {
    let mut acc = 1u64;
    shape
        .iter()
        .map(|d| {
            let s = acc;
            acc = acc.saturating_mul((*d).max(1));
            s
        })
        .collect()
}

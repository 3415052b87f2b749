//! NumPy `.npy` arrays and `.npz` archives of them. Headers are parsed as Python literals by a
//! small parser (never evaluated); object arrays carry a pickle, which is scanned for safety.

mod descr;
mod error;
pub(crate) mod header;
mod literal;

pub use error::NumpyError;
pub(crate) use header::Header;

use crate::limits::{NPY_MAX_HEADER, ZIP_MAX_INFLATED_ENTRY};
use crate::weights::dtype::numel;
use crate::weights::pickle;
use crate::weights::safety::{SafetyReport, Verdict};
use crate::weights::zip::Archive;
use crate::weights::{Format, Parsed, ReadOptions, TensorInfo};

const DATA_ONLY: &str = "NumPy arrays of numbers hold no code";

fn empty_parsed(format: Format) -> Parsed {
    Parsed {
        format,
        tensors: Vec::new(),
        metadata: Vec::new(),
        container: Vec::new(),
        safety: SafetyReport {
            verdict: Verdict::Safe,
            globals: Vec::new(),
            findings: Vec::new(),
        },
        warnings: Vec::new(),
    }
}

/// Where one array's bytes are.
struct Placement<'a> {
    /// Absolute file offset of the `.npy` bytes, when they lie uncompressed in the file.
    base: Option<u64>,
    /// Bytes of the whole `.npy` (the file, or the entry's uncompressed size).
    total: u64,
    /// The data after the header, when available (needed for object arrays).
    payload: Option<&'a [u8]>,
    /// Names the array in messages (`array`, or the zip entry).
    location: &'a str,
}

/// The warning a big-endian array gets; readers of tensor data look for it to swap bytes.
pub(crate) fn big_endian_warning(name: &str) -> String {
    format!("array {name:?}: big-endian data")
}

/// Add one array described by `h` to `parsed`.
fn add_array(parsed: &mut Parsed, name: &str, h: &Header, at: Placement) -> Result<(), NumpyError> {
    if h.descr.big_endian {
        parsed.warnings.push(big_endian_warning(name));
    }
    if !h.extra_keys.is_empty() {
        parsed.warnings.push(format!(
            "array {name:?}: header has extra keys {:?} (numpy refuses them)",
            h.extra_keys
        ));
    }
    let n = numel(&h.shape).ok_or_else(|| NumpyError::BadHeader {
        offset: 0,
        why: format!("array {name:?}: element count overflows"),
    })?;
    let available = at.total.saturating_sub(h.data_start);
    let nbytes = h.descr.itemsize.and_then(|s| s.checked_mul(n));
    if h.descr.object {
        let payload = at.payload.unwrap_or_default();
        let scan = pickle::scan(payload, at.location);
        pickle::merge_into(&mut parsed.safety, &scan);
        parsed.safety.findings.push(format!(
            "{}: object array; its data is a pickle (numpy.load needs allow_pickle=True)",
            at.location
        ));
    } else {
        let needed = nbytes.ok_or_else(|| NumpyError::BadHeader {
            offset: 0,
            why: format!("array {name:?}: byte size unknown or overflows"),
        })?;
        if needed > available {
            return Err(NumpyError::DataTooShort {
                name: name.to_string(),
                needed,
                available,
            });
        }
        if needed < available {
            parsed.warnings.push(format!(
                "array {name:?}: {} bytes after the data",
                available - needed
            ));
        }
    }
    let strides = (h.fortran_order && h.shape.len() > 1).then(|| header::fortran_strides(&h.shape));
    let offset = match (h.descr.object, at.base) {
        (false, Some(base)) => base.checked_add(h.data_start),
        _ => None,
    };
    parsed.tensors.push(TensorInfo {
        name: name.to_string(),
        dtype: h.descr.dtype.clone(),
        shape: h.shape.clone(),
        strides,
        offset,
        nbytes: if h.descr.object { None } else { nbytes },
    });
    Ok(())
}

fn finish_safety(parsed: &mut Parsed) {
    if !parsed.tensors.is_empty()
        && parsed.safety.globals.is_empty()
        && parsed.safety.findings.is_empty()
    {
        parsed.safety.findings.push(DATA_ONLY.to_string());
    }
}

/// Read a `.npy` file: one array, named `array`.
pub fn parse_npy(bytes: &[u8], _opts: ReadOptions) -> Result<Parsed, NumpyError> {
    let h = header::parse(bytes)?;
    let mut parsed = empty_parsed(Format::Npy);
    parsed.container.push((
        "npy_version".to_string(),
        crate::weights::MetaValue::Str(format!("{}.{}", h.version.0, h.version.1)),
    ));
    let at = Placement {
        base: Some(0),
        total: bytes.len() as u64,
        payload: bytes.get(h.data_start as usize..),
        location: "array",
    };
    add_array(&mut parsed, "array", &h, at)?;
    finish_safety(&mut parsed);
    Ok(parsed)
}

/// Read an `.npz` archive: one array per `.npy` entry, named without the `.npy`.
pub fn parse_npz(bytes: &[u8], _opts: ReadOptions) -> Result<Parsed, NumpyError> {
    let mut a = Archive::open(bytes)?;
    let mut parsed = empty_parsed(Format::Npz);
    let entries = a.entries.clone();
    for e in &entries {
        let Some(name) = e.name.strip_suffix(".npy") else {
            parsed.warnings.push(format!(
                "zip entry {:?} is not a .npy array; ignored",
                e.name
            ));
            continue;
        };
        let in_entry = |source: NumpyError| NumpyError::Entry {
            entry: e.name.clone(),
            source: Box::new(source),
        };
        // Only the header is needed (inflated, for compressed entries): magic and length first.
        let head = a.read_prefix(e, 12)?;
        let (start, len, _) = header::preamble(&head).map_err(in_entry)?;
        let head = a.read_prefix(e, (start + len).min(NPY_MAX_HEADER + 12))?;
        let h = header::parse(&head).map_err(in_entry)?;
        let full;
        let payload = if h.descr.object {
            full = a.read(e, ZIP_MAX_INFLATED_ENTRY)?;
            full.get(h.data_start as usize..)
        } else {
            None
        };
        if !e.stored {
            parsed.warnings.push(format!(
                "array {name:?}: entry is compressed; no file offset"
            ));
        }
        let at = Placement {
            base: e.stored.then_some(e.data_start),
            total: if e.stored {
                a.stored_slice(e)?.len() as u64
            } else {
                e.size
            },
            payload,
            location: &e.name,
        };
        add_array(&mut parsed, name, &h, at).map_err(in_entry)?;
    }
    finish_safety(&mut parsed);
    Ok(parsed)
}

#[cfg(test)]
mod tests;

//! Readers for weights files. Each format has its own module that parses untrusted bytes into a
//! [`Parsed`] file description; [`open`] maps a file, detects its format and dispatches.

mod cursor;
pub(crate) mod dtype;
mod extension;
pub mod gguf;
mod meta;
pub mod numpy;
mod parsed;
pub mod pickle;
pub mod pytorch;
pub mod safetensors;
mod safety;
pub mod sharded;
mod sniff;
pub mod zip;

use serde::Serialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub use cursor::OutOfBounds;
pub use dtype::{Dtype, GgmlType, StDtype};
pub(crate) use extension::{
    UNREAD_WEIGHTS_EXTENSIONS, WEIGHTS_EXTENSIONS, format_from_extension, is_weights_file,
};
pub use meta::MetaValue;
pub(crate) use parsed::quantization;
pub use parsed::{Format, Parsed, ReadOptions, TensorInfo};
pub use safety::{GlobalRef, SafetyReport, Verdict};

/// A weights file that was read successfully.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightsFile {
    /// The file as given to [`open`].
    pub path: PathBuf,
    pub(crate) size: u64,
    /// What its headers say.
    #[serde(flatten)]
    pub parsed: Parsed,
}

/// Why a file could not be read as weights.
#[derive(Debug, Error)]
pub enum ErrorKind {
    /// The file could not be opened or mapped.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The file is the usual result of a failed download (a Git LFS pointer, an HTML page, zero
    /// bytes); what it is and what to do.
    #[error("{0}")]
    Impostor(String),
    /// No reader recognises the first bytes, and the file name suggests none that could say why.
    #[error(
        "not a recognised weights format (first bytes: {head}); openseal reads safetensors, GGUF, PyTorch, pickle and NumPy files"
    )]
    UnknownFormat {
        /// The first 8 bytes in hex, space-separated.
        head: String,
    },
    /// The safetensors reader rejected the file.
    #[error("safetensors: {0}")]
    Safetensors(#[from] safetensors::SafetensorsError),
    /// The GGUF reader rejected the file.
    #[error("GGUF: {0}")]
    Gguf(#[from] gguf::GgufError),
    /// The PyTorch reader (zip, legacy or bare pickle) rejected the file.
    #[error("PyTorch: {0}")]
    Pytorch(#[from] pytorch::PytorchError),
    /// The NumPy reader rejected the `.npy` or `.npz` file.
    #[error("NumPy: {0}")]
    Numpy(#[from] numpy::NumpyError),
}

/// A weights file that could not be read: the file, and what is wrong where.
#[derive(Debug, Error)]
#[error("{}: {kind}", path.display())]
pub struct Error {
    pub(crate) path: PathBuf,
    /// Boxed: readers' errors carry names and shapes, and every `Result` would pay for them.
    pub(crate) kind: Box<ErrorKind>,
}

impl Error {
    pub(crate) fn new(path: &Path, kind: impl Into<ErrorKind>) -> Error {
        Error {
            path: path.to_path_buf(),
            kind: Box::new(kind.into()),
        }
    }
}

/// Open, detect and read one weights file. The format is decided by content; the file
/// extension only decides which reader explains a file whose content matches no format.
pub fn open(path: &Path, opts: ReadOptions) -> Result<WeightsFile, Error> {
    let map = crate::mmap::Mapped::open(path).map_err(|e| Error::new(path, e))?;
    let hint = format_from_extension(path);
    let parsed = read_bytes(&map, hint, opts).map_err(|kind| Error::new(path, kind))?;
    Ok(WeightsFile {
        path: path.to_path_buf(),
        size: map.len() as u64,
        parsed,
    })
}

/// Read weights from bytes already in memory (or mapped). `hint` is the format the file's name
/// suggests, used only when the content itself is not recognised.
pub fn read_bytes(
    bytes: &[u8],
    hint: Option<Format>,
    opts: ReadOptions,
) -> Result<Parsed, ErrorKind> {
    if let Some(impostor) = sniff::sniff(bytes) {
        return Err(ErrorKind::Impostor(impostor.explain()));
    }
    if gguf::looks_like_gguf(bytes) || hint == Some(Format::Gguf) {
        return Ok(gguf::parse(bytes, opts)?);
    }
    if safetensors::looks_like_safetensors(bytes) {
        return Ok(safetensors::parse(bytes)?);
    }
    if bytes.starts_with(numpy::header::MAGIC) {
        return Ok(numpy::parse_npy(bytes, opts)?);
    }
    if bytes.starts_with(b"PK") {
        return match zip::zip_kind(bytes) {
            Some(zip::ZipKind::Npz) => Ok(numpy::parse_npz(bytes, opts)?),
            Some(zip::ZipKind::Pytorch | zip::ZipKind::Torchscript) => {
                Ok(pytorch::parse_zip(bytes, opts)?)
            }
            // Let the reader the name suggests explain what is missing.
            _ if hint == Some(Format::Npz) => Ok(numpy::parse_npz(bytes, opts)?),
            _ => Ok(pytorch::parse_zip(bytes, opts)?),
        };
    }
    if pytorch::is_legacy(bytes) {
        return Ok(pytorch::parse_legacy(bytes, opts)?);
    }
    if pytorch::looks_like_pickle(bytes) {
        return Ok(pytorch::parse_pickle(bytes, opts)?);
    }
    // Content matches nothing: the reader the file name suggests explains what is wrong.
    match hint {
        Some(Format::Safetensors) => return Ok(safetensors::parse(bytes)?),
        Some(Format::Npy) => return Ok(numpy::parse_npy(bytes, opts)?),
        Some(Format::Npz) => return Ok(numpy::parse_npz(bytes, opts)?),
        Some(Format::Pickle) => return Ok(pytorch::parse_pickle(bytes, opts)?),
        _ => {}
    }
    Err(ErrorKind::UnknownFormat {
        head: hex_head(bytes),
    })
}

fn hex_head(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

//! What every format reader produces: the file's [`Format`], its tensors and metadata, as a
//! [`Parsed`]; and the [`ReadOptions`] every reader takes.

use super::dtype::{self, Dtype};
use super::meta::MetaValue;
use super::safety::SafetyReport;
use serde::Serialize;

/// The container format of a weights file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Safetensors,
    Gguf,
    /// A `torch.save` zip archive (torch >= 1.6).
    PytorchZip,
    /// A `torch.jit.save` archive: a PyTorch zip with TorchScript code.
    Torchscript,
    /// The pre-1.6 `torch.save` format: concatenated pickles followed by raw storages.
    PytorchLegacy,
    /// A bare pickle (`.pkl`, `.joblib`, or an unrecognised `.bin`).
    Pickle,
    Npy,
    Npz,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Safetensors => "safetensors",
            Format::Gguf => "gguf",
            Format::PytorchZip => "pytorch-zip",
            Format::Torchscript => "torchscript",
            Format::PytorchLegacy => "pytorch-legacy",
            Format::Pickle => "pickle",
            Format::Npy => "npy",
            Format::Npz => "npz",
        }
    }
}

/// One tensor as its file describes it. `shape` is row-major (outermost dimension first) in
/// every format; GGUF's innermost-first `ne` is reversed to match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TensorInfo {
    pub name: String,
    pub dtype: Dtype,
    pub shape: Vec<u64>,
    /// Element strides, where the format has them (PyTorch); `None` means contiguous row-major.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strides: Option<Vec<u64>>,
    /// Absolute byte offset of the tensor's first byte in the file, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Bytes of data, when the dtype's size is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbytes: Option<u64>,
}

impl TensorInfo {
    pub fn numel(&self) -> u64 {
        dtype::numel(&self.shape).unwrap_or(u64::MAX)
    }
}

/// What a reader learns from a file's headers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed {
    pub format: Format,
    /// Tensors in file order.
    pub tensors: Vec<TensorInfo>,
    /// Format-level metadata in file order (safetensors `__metadata__`, GGUF key/values,
    /// PyTorch archive facts).
    pub metadata: Vec<(String, MetaValue)>,
    /// Facts about the container itself (format version, alignment, where data starts), as
    /// opposed to the metadata its writer stored.
    pub container: Vec<(String, MetaValue)>,
    pub safety: SafetyReport,
    /// Things that are allowed but worth knowing (unknown ggml types, odd padding, ...).
    pub warnings: Vec<String>,
}

/// Options that change what readers keep.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Keep every element of metadata arrays (GGUF token lists) instead of a short preview.
    pub full_arrays: bool,
}

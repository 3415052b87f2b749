//! What every format reader produces: the file's [`Format`], its tensors and metadata, as a
//! [`Parsed`]; and the [`ReadOptions`] every reader takes.

use super::dtype::{self, Dtype};
use super::meta::MetaValue;
use super::safety::SafetyReport;
use serde::Serialize;
use std::collections::BTreeMap;

/// The container format of a weights file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Hugging Face safetensors: a JSON header, then raw tensor data.
    Safetensors,
    /// llama.cpp's GGUF (versions 2 and 3).
    Gguf,
    /// A `torch.save` zip archive (torch >= 1.6).
    PytorchZip,
    /// A `torch.jit.save` archive: a PyTorch zip with TorchScript code.
    Torchscript,
    /// The pre-1.6 `torch.save` format: concatenated pickles followed by raw storages.
    PytorchLegacy,
    /// A bare pickle (`.pkl`, `.joblib`, or an unrecognised `.bin`).
    Pickle,
    /// A NumPy `.npy` array.
    Npy,
    /// A NumPy `.npz` archive: a zip of `.npy` arrays.
    Npz,
}

impl Format {
    /// The kebab-case name reports and JSON use (`pytorch-zip`).
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
    /// The name the file gives the tensor (the state-dict key for PyTorch).
    pub name: String,
    /// Element type.
    pub dtype: Dtype,
    /// Dimensions, outermost first; empty for a scalar.
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
    pub(crate) fn numel(&self) -> u64 {
        dtype::numel(&self.shape).unwrap_or(u64::MAX)
    }
}

/// The quantization of a file (or of a model's files together): the block-quantized ggml type
/// whose tensors hold the most elements (parameters), or `None` when no tensor is quantized.
/// On a tie the type whose name sorts last wins (`Q8_0` over `Q4_K`), so tensor order never
/// changes the answer. Plain float and integer tensors (norms, embeddings) are not counted.
pub fn quantization<'a>(tensors: impl IntoIterator<Item = &'a TensorInfo>) -> Option<String> {
    let mut by_type: BTreeMap<String, u64> = BTreeMap::new();
    for t in tensors.into_iter().filter(|t| t.dtype.is_quantized()) {
        let n = by_type.entry(t.dtype.name()).or_default();
        *n = n.saturating_add(t.numel());
    }
    // `max_by_key` keeps the last of equal maxima: the greatest name, as the map is sorted.
    by_type
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(name, _)| name)
}

/// What a reader learns from a file's headers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed {
    /// The container format.
    pub format: Format,
    /// Tensors in file order.
    pub tensors: Vec<TensorInfo>,
    /// Format-level metadata in file order (safetensors `__metadata__`, GGUF key/values,
    /// PyTorch archive facts).
    pub metadata: Vec<(String, MetaValue)>,
    /// Facts about the container itself (format version, alignment, where data starts), as
    /// opposed to the metadata its writer stored.
    pub container: Vec<(String, MetaValue)>,
    /// Whether loading the file can run code, and why.
    pub safety: SafetyReport,
    /// Things that are allowed but worth knowing (unknown ggml types, odd padding, ...).
    pub(crate) warnings: Vec<String>,
}

/// Options that change what readers keep.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Keep every element of metadata arrays (GGUF token lists) instead of a short preview.
    pub full_arrays: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::{GgmlType, StDtype};

    fn tensor(dtype: Dtype, elements: u64) -> TensorInfo {
        TensorInfo {
            name: String::new(),
            dtype,
            shape: vec![elements],
            strides: None,
            offset: None,
            nbytes: None,
        }
    }

    #[test]
    fn quantization_is_the_type_with_most_elements() {
        let (q4_0, q8_0) = (Dtype::Ggml(GgmlType(2)), Dtype::Ggml(GgmlType(8)));
        let f32 = Dtype::St(StDtype::F32);
        let ts = [
            tensor(f32.clone(), 1 << 20),
            tensor(q8_0.clone(), 64),
            tensor(q4_0.clone(), 64),
            tensor(q4_0.clone(), 64),
        ];
        assert_eq!(quantization(&ts).as_deref(), Some("Q4_0"));
        // A tie goes to the name that sorts last, whatever the order.
        assert_eq!(quantization(&ts[..3]).as_deref(), Some("Q8_0"));
        assert_eq!(quantization(ts[..3].iter().rev()).as_deref(), Some("Q8_0"));
        assert_eq!(quantization(&ts[..1]), None);
    }
}

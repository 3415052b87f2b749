//! Which byte order a tensor's elements are stored in, from what the file's reader recorded.

use crate::weights::{Format, TensorInfo, WeightsFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOrder {
    Little,
    Big,
}

/// The byte order of `tensor`'s data in `file`: GGUF v3 files may be big-endian as a whole,
/// PyTorch archives record a `byteorder` entry, NumPy records it per array (`>f4`).
pub fn byte_order(file: &WeightsFile, tensor: &TensorInfo) -> ByteOrder {
    let container = |key: &str| {
        file.parsed
            .container
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_str())
    };
    let big = match file.parsed.format {
        Format::Gguf => container("byte_order") == Some("big-endian"),
        Format::PytorchZip | Format::Torchscript => {
            container("byteorder").is_some_and(|v| v != "little")
        }
        Format::Npy | Format::Npz => {
            let warning = crate::weights::numpy::big_endian_warning(&tensor.name);
            file.parsed.warnings.contains(&warning)
        }
        _ => false,
    };
    if big {
        ByteOrder::Big
    } else {
        ByteOrder::Little
    }
}

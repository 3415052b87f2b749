//! Element types of PyTorch storages and dtypes, in openseal's dtype names.

use crate::weights::dtype::{Dtype, StDtype};

fn other(name: &str, bits: u64) -> Dtype {
    Dtype::Other {
        name: name.to_string(),
        bits: Some(bits),
    }
}

/// The dtype of a typed storage class (`torch.FloatStorage` → F32); `None` when unknown.
pub fn from_storage_class(class: &str) -> Option<Dtype> {
    let st = |d| Some(Dtype::St(d));
    match class {
        "FloatStorage" => st(StDtype::F32),
        "DoubleStorage" => st(StDtype::F64),
        "HalfStorage" => st(StDtype::F16),
        "BFloat16Storage" => st(StDtype::Bf16),
        "LongStorage" => st(StDtype::I64),
        "IntStorage" => st(StDtype::I32),
        "ShortStorage" => st(StDtype::I16),
        "CharStorage" => st(StDtype::I8),
        "ByteStorage" | "UntypedStorage" => st(StDtype::U8),
        "BoolStorage" => st(StDtype::Bool),
        "ComplexFloatStorage" => st(StDtype::C64),
        "ComplexDoubleStorage" => Some(other("C128", 128)),
        "QInt8Storage" => Some(other("QINT8", 8)),
        "QUInt8Storage" => Some(other("QUINT8", 8)),
        "QInt32Storage" => Some(other("QINT32", 32)),
        "QUInt4x2Storage" => Some(other("QUINT4X2", 8)),
        "QUInt2x4Storage" => Some(other("QUINT2X4", 8)),
        _ => None,
    }
}

/// The dtype of a torch dtype constant (`torch.float32`), as `_rebuild_tensor_v3` passes it.
pub fn from_torch_dtype(name: &str) -> Option<Dtype> {
    let st = |d| Some(Dtype::St(d));
    match name {
        "float32" | "float" => st(StDtype::F32),
        "float64" | "double" => st(StDtype::F64),
        "float16" | "half" => st(StDtype::F16),
        "bfloat16" => st(StDtype::Bf16),
        "int64" | "long" => st(StDtype::I64),
        "int32" | "int" => st(StDtype::I32),
        "int16" | "short" => st(StDtype::I16),
        "int8" => st(StDtype::I8),
        "uint8" => st(StDtype::U8),
        "uint16" => st(StDtype::U16),
        "uint32" => st(StDtype::U32),
        "uint64" => st(StDtype::U64),
        "bool" => st(StDtype::Bool),
        "complex64" | "cfloat" => st(StDtype::C64),
        "complex128" | "cdouble" => Some(other("C128", 128)),
        "complex32" | "chalf" => Some(other("C32", 32)),
        "float8_e4m3fn" => st(StDtype::F8E4M3),
        "float8_e5m2" => st(StDtype::F8E5M2),
        "float8_e4m3fnuz" => st(StDtype::F8E4M3Fnuz),
        "float8_e5m2fnuz" => st(StDtype::F8E5M2Fnuz),
        "float8_e8m0fnu" => st(StDtype::F8E8M0),
        "qint8" => Some(other("QINT8", 8)),
        "quint8" => Some(other("QUINT8", 8)),
        "qint32" => Some(other("QINT32", 32)),
        _ => None,
    }
}

/// Bytes per element, when the dtype has a whole number of bytes.
pub fn element_size(d: &Dtype) -> Option<u64> {
    let bits = match d {
        Dtype::St(s) => s.bits(),
        Dtype::Other { bits, .. } => (*bits)?,
        Dtype::Ggml(_) => return None,
    };
    (bits % 8 == 0 && bits > 0).then_some(bits / 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_classes() {
        assert_eq!(
            from_storage_class("LongStorage"),
            Some(Dtype::St(StDtype::I64))
        );
        assert_eq!(
            from_storage_class("CharStorage"),
            Some(Dtype::St(StDtype::I8))
        );
        let c128 = from_storage_class("ComplexDoubleStorage").unwrap();
        assert_eq!(c128.name(), "C128");
        assert_eq!(element_size(&c128), Some(16));
        assert_eq!(from_storage_class("NopeStorage"), None);
        assert_eq!(from_torch_dtype("bfloat16"), Some(Dtype::St(StDtype::Bf16)));
    }
}

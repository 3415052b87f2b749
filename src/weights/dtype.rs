//! Element types of tensors across formats, with their sizes, so parameters and bytes can be
//! counted without touching tensor data.

use serde::Serialize;
use std::fmt;

/// The 22 dtypes of the safetensors format (crate 0.8). PyTorch and NumPy tensors are reported
/// in these names too, so one model's files compare across formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StDtype {
    /// `BOOL`: one byte per element.
    Bool,
    /// `F4`: 4-bit float (E2M1), two elements per byte.
    F4,
    /// `F6_E2M3`: 6-bit float, 2 exponent and 3 mantissa bits.
    F6E2M3,
    /// `F6_E3M2`: 6-bit float, 3 exponent and 2 mantissa bits.
    F6E3M2,
    /// `U8`: unsigned 8-bit integer.
    U8,
    /// `I8`: signed 8-bit integer.
    I8,
    /// `F8_E5M2`: 8-bit float, 5 exponent and 2 mantissa bits.
    F8E5M2,
    /// `F8_E4M3`: 8-bit float, 4 exponent and 3 mantissa bits.
    F8E4M3,
    /// `F8_E8M0`: 8-bit exponent-only scale (microscaling formats).
    F8E8M0,
    /// `F8_E4M3FNUZ`: E4M3 with no infinities and no negative zero.
    F8E4M3Fnuz,
    /// `F8_E5M2FNUZ`: E5M2 with no infinities and no negative zero.
    F8E5M2Fnuz,
    /// `I16`: signed 16-bit integer.
    I16,
    /// `U16`: unsigned 16-bit integer.
    U16,
    /// `F16`: IEEE half precision.
    F16,
    /// `BF16`: bfloat16.
    Bf16,
    /// `I32`: signed 32-bit integer.
    I32,
    /// `U32`: unsigned 32-bit integer.
    U32,
    /// `F32`: IEEE single precision.
    F32,
    /// `C64`: complex number of two `F32`s.
    C64,
    /// `F64`: IEEE double precision.
    F64,
    /// `I64`: signed 64-bit integer.
    I64,
    /// `U64`: unsigned 64-bit integer.
    U64,
}

impl StDtype {
    /// Every dtype, in the order of the safetensors crate's enum.
    pub const ALL: [StDtype; 22] = [
        StDtype::Bool,
        StDtype::F4,
        StDtype::F6E2M3,
        StDtype::F6E3M2,
        StDtype::U8,
        StDtype::I8,
        StDtype::F8E5M2,
        StDtype::F8E4M3,
        StDtype::F8E8M0,
        StDtype::F8E4M3Fnuz,
        StDtype::F8E5M2Fnuz,
        StDtype::I16,
        StDtype::U16,
        StDtype::F16,
        StDtype::Bf16,
        StDtype::I32,
        StDtype::U32,
        StDtype::F32,
        StDtype::C64,
        StDtype::F64,
        StDtype::I64,
        StDtype::U64,
    ];

    /// The name as written in safetensors headers (case-sensitive).
    pub fn name(self) -> &'static str {
        match self {
            StDtype::Bool => "BOOL",
            StDtype::F4 => "F4",
            StDtype::F6E2M3 => "F6_E2M3",
            StDtype::F6E3M2 => "F6_E3M2",
            StDtype::U8 => "U8",
            StDtype::I8 => "I8",
            StDtype::F8E5M2 => "F8_E5M2",
            StDtype::F8E4M3 => "F8_E4M3",
            StDtype::F8E8M0 => "F8_E8M0",
            StDtype::F8E4M3Fnuz => "F8_E4M3FNUZ",
            StDtype::F8E5M2Fnuz => "F8_E5M2FNUZ",
            StDtype::I16 => "I16",
            StDtype::U16 => "U16",
            StDtype::F16 => "F16",
            StDtype::Bf16 => "BF16",
            StDtype::I32 => "I32",
            StDtype::U32 => "U32",
            StDtype::F32 => "F32",
            StDtype::C64 => "C64",
            StDtype::F64 => "F64",
            StDtype::I64 => "I64",
            StDtype::U64 => "U64",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<StDtype> {
        StDtype::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Bits per element.
    pub(crate) fn bits(self) -> u64 {
        match self {
            StDtype::F4 => 4,
            StDtype::F6E2M3 | StDtype::F6E3M2 => 6,
            StDtype::Bool
            | StDtype::U8
            | StDtype::I8
            | StDtype::F8E5M2
            | StDtype::F8E4M3
            | StDtype::F8E8M0
            | StDtype::F8E4M3Fnuz
            | StDtype::F8E5M2Fnuz => 8,
            StDtype::I16 | StDtype::U16 | StDtype::F16 | StDtype::Bf16 => 16,
            StDtype::I32 | StDtype::U32 | StDtype::F32 => 32,
            StDtype::C64 | StDtype::F64 | StDtype::I64 | StDtype::U64 => 64,
        }
    }
}

/// A ggml tensor type as stored in GGUF: quantized types pack `block_elems` elements into
/// `block_bytes` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GgmlType(pub u32);

/// (id, name, elements per block, bytes per block), from ggml's `GGML_QUANT_SIZES`.
/// Q8_1 is 36 bytes (ggml and candle), not the stale 40 of gguf-py 0.19.
const GGML_TYPES: &[(u32, &str, u64, u64)] = &[
    (0, "F32", 1, 4),
    (1, "F16", 1, 2),
    (2, "Q4_0", 32, 18),
    (3, "Q4_1", 32, 20),
    (6, "Q5_0", 32, 22),
    (7, "Q5_1", 32, 24),
    (8, "Q8_0", 32, 34),
    (9, "Q8_1", 32, 36),
    (10, "Q2_K", 256, 84),
    (11, "Q3_K", 256, 110),
    (12, "Q4_K", 256, 144),
    (13, "Q5_K", 256, 176),
    (14, "Q6_K", 256, 210),
    (15, "Q8_K", 256, 292),
    (16, "IQ2_XXS", 256, 66),
    (17, "IQ2_XS", 256, 74),
    (18, "IQ3_XXS", 256, 98),
    (19, "IQ1_S", 256, 50),
    (20, "IQ4_NL", 32, 18),
    (21, "IQ3_S", 256, 110),
    (22, "IQ2_S", 256, 82),
    (23, "IQ4_XS", 256, 136),
    (24, "I8", 1, 1),
    (25, "I16", 1, 2),
    (26, "I32", 1, 4),
    (27, "I64", 1, 8),
    (28, "F64", 1, 8),
    (29, "IQ1_M", 256, 56),
    (30, "BF16", 1, 2),
    (34, "TQ1_0", 256, 54),
    (35, "TQ2_0", 256, 66),
    (39, "MXFP4", 32, 17),
    (40, "NVFP4", 64, 36),
    (41, "Q1_0", 128, 18),
    (42, "Q2_0", 64, 18),
];

impl GgmlType {
    fn entry(self) -> Option<&'static (u32, &'static str, u64, u64)> {
        GGML_TYPES.iter().find(|e| e.0 == self.0)
    }

    #[cfg(test)]
    pub(crate) fn is_known(self) -> bool {
        self.entry().is_some()
    }

    /// The ggml name (`Q4_K`), or `unknown(N)`.
    pub(crate) fn name(self) -> String {
        match self.entry() {
            Some(e) => e.1.to_string(),
            None => format!("unknown({})", self.0),
        }
    }

    /// (elements per block, bytes per block), when the type is known.
    pub(crate) fn block(self) -> Option<(u64, u64)> {
        self.entry().map(|e| (e.2, e.3))
    }

    /// Whether the type is a block-quantized one (not a plain float or integer type).
    pub(crate) fn is_quantized(self) -> bool {
        matches!(self.block(), Some((elems, _)) if elems > 1)
    }

    /// Bytes taken by `numel` elements, when the type is known and `numel` fills whole blocks.
    pub(crate) fn bytes_for(self, innermost: u64, numel: u64) -> Option<u64> {
        let (elems, bytes) = self.block()?;
        if !innermost.is_multiple_of(elems) {
            return None;
        }
        (numel / elems).checked_mul(bytes)
    }

    #[cfg(test)]
    pub(crate) fn from_name(name: &str) -> Option<GgmlType> {
        GGML_TYPES
            .iter()
            .find(|e| e.1 == name)
            .map(|e| GgmlType(e.0))
    }
}

/// The dtype of a tensor in any supported format.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dtype {
    /// A safetensors dtype (also used for PyTorch and NumPy tensors).
    St(StDtype),
    /// A ggml type (GGUF).
    Ggml(GgmlType),
    /// A type with no safetensors equivalent (e.g. PyTorch `ComplexDouble`, a quantized storage,
    /// a NumPy string dtype), with its element size in bits when known.
    Other {
        /// The type's name (e.g. `C128`, a NumPy `U10` or `object`, a PyTorch storage class).
        name: String,
        /// Bits per element, when known.
        bits: Option<u64>,
    },
}

impl Dtype {
    /// The name reports use: the safetensors name (`BF16`), the ggml name (`Q4_K`) or the
    /// format's own name for other types.
    pub fn name(&self) -> String {
        match self {
            Dtype::St(d) => d.name().to_string(),
            Dtype::Ggml(t) => t.name(),
            Dtype::Other { name, .. } => name.clone(),
        }
    }

    /// Whether the type is a block-quantized ggml type.
    pub(crate) fn is_quantized(&self) -> bool {
        matches!(self, Dtype::Ggml(t) if t.is_quantized())
    }

    /// Bytes taken by a tensor of this dtype and `shape` (row-major), when it can be known:
    /// `None` for unknown types, sub-byte totals that are not whole bytes, partial ggml blocks,
    /// or overflow.
    pub fn byte_len(&self, shape: &[u64]) -> Option<u64> {
        let numel = numel(shape)?;
        match self {
            Dtype::St(d) => {
                let bits = numel.checked_mul(d.bits())?;
                (bits % 8 == 0).then_some(bits / 8)
            }
            Dtype::Ggml(t) => t.bytes_for(shape.last().copied().unwrap_or(1), numel),
            Dtype::Other { bits, .. } => {
                let bits = numel.checked_mul((*bits)?)?;
                (bits % 8 == 0).then_some(bits / 8)
            }
        }
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl Serialize for Dtype {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

/// Number of elements of a tensor with this shape; `None` on overflow. A scalar (`[]`) has one.
pub fn numel(shape: &[u64]) -> Option<u64> {
    shape.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_safetensors_name_round_trips() {
        for d in StDtype::ALL {
            assert_eq!(StDtype::from_name(d.name()), Some(d));
        }
        assert_eq!(StDtype::from_name("bf16"), None, "names are case-sensitive");
    }

    #[test]
    fn sub_byte_sizes_must_be_whole_bytes() {
        let f4 = Dtype::St(StDtype::F4);
        assert_eq!(f4.byte_len(&[4]), Some(2));
        assert_eq!(f4.byte_len(&[3]), None);
        let f6 = Dtype::St(StDtype::F6E2M3);
        assert_eq!(f6.byte_len(&[4]), Some(3));
    }

    #[test]
    fn ggml_blocks() {
        let q4k = Dtype::Ggml(GgmlType::from_name("Q4_K").unwrap());
        assert_eq!(q4k.byte_len(&[2, 512]), Some(4 * 144));
        assert_eq!(
            q4k.byte_len(&[512, 2]),
            None,
            "innermost dim must fill blocks"
        );
        assert!(q4k.is_quantized());
        assert_eq!(GgmlType(9).block(), Some((32, 36)));
        assert_eq!(GgmlType(4).name(), "unknown(4)");
        assert_eq!(Dtype::Ggml(GgmlType(4)).byte_len(&[32]), None);
    }

    #[test]
    fn scalar_has_one_element_and_overflow_is_none() {
        assert_eq!(numel(&[]), Some(1));
        assert_eq!(numel(&[0, 4]), Some(0));
        assert_eq!(numel(&[u64::MAX, 2]), None);
    }
}

//! How a dtype's raw little-endian bytes become numbers: handed to candle as they are, or
//! decoded by openseal for the types candle cannot load (BOOL, I8, U16, U64, the FP8 variants
//! other than E4M3, the OCP MX types F4/F6/E8M0, GGUF Q8_0/Q4_0).

mod ggml;
mod minifloat;

use crate::weights::{Dtype, GgmlType, StDtype};
use candle_core::DType;

/// Turns a whole number of [`Decoding::unit_bytes`] into values.
pub type DecodeF32 = fn(&[u8], &mut Vec<f32>);
pub type DecodeF64 = fn(&[u8], &mut Vec<f64>);

#[derive(Clone, Copy)]
pub enum Plan {
    /// candle loads the bytes directly as this dtype.
    Candle(DType),
    /// openseal decodes to f32 (exact for every type decoded this way).
    F32(DecodeF32),
    /// openseal decodes to f64 (64-bit integers).
    F64(DecodeF64),
}

/// How to read a dtype: the plan, and the smallest whole group of elements (bytes, elements)
/// that a piece of data may be cut into.
#[derive(Clone, Copy)]
pub struct Decoding {
    pub plan: Plan,
    pub unit_bytes: u64,
    pub unit_elems: u64,
}

impl Decoding {
    fn candle(dtype: DType, bytes: u64) -> Decoding {
        Decoding {
            plan: Plan::Candle(dtype),
            unit_bytes: bytes,
            unit_elems: 1,
        }
    }
    fn f32(f: DecodeF32, unit_bytes: u64, unit_elems: u64) -> Decoding {
        Decoding {
            plan: Plan::F32(f),
            unit_bytes,
            unit_elems,
        }
    }
}

/// How to read `dtype`'s values, or why openseal cannot.
pub fn decoding(dtype: &Dtype) -> Result<Decoding, String> {
    match dtype {
        Dtype::St(d) => st(*d),
        Dtype::Ggml(t) => ggml_type(*t),
        Dtype::Other { name, .. } => Err(format!("dtype {name} has no numeric decoding")),
    }
}

fn st(d: StDtype) -> Result<Decoding, String> {
    use StDtype as S;
    Ok(match d {
        S::U8 => Decoding::candle(DType::U8, 1),
        S::I16 => Decoding::candle(DType::I16, 2),
        S::U32 => Decoding::candle(DType::U32, 4),
        S::I32 => Decoding::candle(DType::I32, 4),
        S::I64 => Decoding::candle(DType::I64, 8),
        S::F16 => Decoding::candle(DType::F16, 2),
        S::Bf16 => Decoding::candle(DType::BF16, 2),
        S::F32 => Decoding::candle(DType::F32, 4),
        S::F64 => Decoding::candle(DType::F64, 8),
        S::F8E4M3 => Decoding::candle(DType::F8E4M3, 1),
        S::Bool => Decoding::f32(minifloat::bool, 1, 1),
        S::I8 => Decoding::f32(minifloat::i8, 1, 1),
        S::U16 => Decoding::f32(minifloat::u16, 2, 1),
        S::U64 => Decoding {
            plan: Plan::F64(minifloat::u64),
            unit_bytes: 8,
            unit_elems: 1,
        },
        S::F8E5M2 => Decoding::f32(minifloat::f8_e5m2, 1, 1),
        S::F8E4M3Fnuz => Decoding::f32(minifloat::f8_e4m3fnuz, 1, 1),
        S::F8E5M2Fnuz => Decoding::f32(minifloat::f8_e5m2fnuz, 1, 1),
        S::F8E8M0 => Decoding::f32(minifloat::f8_e8m0, 1, 1),
        S::F4 => Decoding::f32(minifloat::f4_e2m1, 1, 2),
        S::F6E2M3 => Decoding::f32(minifloat::f6_e2m3, 3, 4),
        S::F6E3M2 => Decoding::f32(minifloat::f6_e3m2, 3, 4),
        S::C64 => return Err("complex numbers (C64) have no order, min or max".to_string()),
    })
}

fn ggml_type(t: GgmlType) -> Result<Decoding, String> {
    Ok(match t.name().as_str() {
        "F32" => Decoding::candle(DType::F32, 4),
        "F16" => Decoding::candle(DType::F16, 2),
        "BF16" => Decoding::candle(DType::BF16, 2),
        "F64" => Decoding::candle(DType::F64, 8),
        "I16" => Decoding::candle(DType::I16, 2),
        "I32" => Decoding::candle(DType::I32, 4),
        "I64" => Decoding::candle(DType::I64, 8),
        "I8" => Decoding::f32(minifloat::i8, 1, 1),
        "Q8_0" => Decoding::f32(ggml::q8_0, 34, 32),
        "Q4_0" => Decoding::f32(ggml::q4_0, 18, 32),
        other => {
            return Err(format!(
                "ggml type {other} is not decoded (openseal dequantizes Q8_0 and Q4_0)"
            ));
        }
    })
}

#[cfg(test)]
mod tests;

/// The values in `bytes` (a whole number of units of `dec`) as a 1-D candle tensor on `device`:
/// the dtype candle loads, or f32/f64 for decoded types.
pub fn to_tensor(
    bytes: &[u8],
    dec: &Decoding,
    device: &candle_core::Device,
) -> candle_core::Result<candle_core::Tensor> {
    let n = (bytes.len() as u64 / dec.unit_bytes * dec.unit_elems) as usize;
    match dec.plan {
        Plan::Candle(dtype) => candle_core::Tensor::from_raw_buffer(bytes, dtype, &[n], device),
        Plan::F32(f) => {
            let mut v = Vec::with_capacity(n);
            f(bytes, &mut v);
            candle_core::Tensor::from_vec(v, n, device)
        }
        Plan::F64(f) => {
            let mut v = Vec::with_capacity(n);
            f(bytes, &mut v);
            candle_core::Tensor::from_vec(v, n, device)
        }
    }
}

/// The first line of a candle error: with `RUST_BACKTRACE` set, candle appends a backtrace to
/// its messages, which has no place in a report.
pub fn candle_message(e: &candle_core::Error) -> String {
    e.to_string().lines().next().unwrap_or("").to_string()
}

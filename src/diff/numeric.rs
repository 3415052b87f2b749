//! The size of a change between two tensors of the same dtype and shape, chunkwise on the
//! device: max |a - b| and relative L2 (||a - b|| / ||a||) over positions where both values are
//! finite, and the number of differing elements (NaN equals NaN here).

use crate::decode::{self, Decoding};
use crate::stats::chunk::to_f64;
use crate::tensor_data::TensorBytes;
use candle_core::{DType, Result, Tensor};
use serde::Serialize;

/// How much a tensor changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeSize {
    /// Elements whose values differ (NaN equals NaN).
    pub differing_elements: u64,
    /// The largest |a - b| over positions where both are finite; null when there are none.
    pub max_abs_diff: Option<f64>,
    /// ||a - b|| / ||a|| over positions where both are finite; null when ||a|| is 0.
    pub rel_l2: Option<f64>,
}

#[derive(Default)]
struct Partial {
    differing: u64,
    max_abs: f64,
    sum_d2: f64,
    sum_a2: f64,
    both_finite: u64,
}

fn count(mask: &Tensor) -> Result<u64> {
    Ok(u64::from(
        mask.to_dtype(DType::U32)?.sum_all()?.to_scalar::<u32>()?,
    ))
}

fn chunk(a: &Tensor, b: &Tensor) -> Result<Partial> {
    let (a, b) = (to_f64(a)?, to_f64(b)?);
    let both_nan = a.ne(&a)?.mul(&b.ne(&b)?)?;
    let differing = count(&a.ne(&b)?)? - count(&both_nan)?;
    let finite = a
        .abs()?
        .lt(f64::INFINITY)?
        .mul(&b.abs()?.lt(f64::INFINITY)?)?;
    let zero = a.zeros_like()?;
    let af = finite.where_cond(&a, &zero)?;
    let d = af.sub(&finite.where_cond(&b, &zero)?)?;
    Ok(Partial {
        differing,
        max_abs: d.abs()?.max_all()?.to_scalar::<f64>()?,
        sum_d2: d.sqr()?.sum_all()?.to_scalar::<f64>()?,
        sum_a2: af.sqr()?.sum_all()?.to_scalar::<f64>()?,
        both_finite: count(&finite)?,
    })
}

/// Compare `a` and `b` (same dtype and shape, so the same canonical length) piece by piece.
pub fn change_size(
    a: &TensorBytes,
    b: &TensorBytes,
    dec: &Decoding,
    device: &candle_core::Device,
    chunk_elements: u64,
) -> Result<ChangeSize> {
    let mut total = Partial::default();
    let step = crate::stats::piece_bytes(dec, chunk_elements);
    for (from, len) in a.pieces(dec.unit_bytes, step) {
        let ta = decode::to_tensor(&a.read(from, len), dec, device)?;
        let tb = decode::to_tensor(&b.read(from, len), dec, device)?;
        let p = chunk(&ta, &tb)?;
        total.differing += p.differing;
        total.max_abs = total.max_abs.max(p.max_abs);
        total.sum_d2 += p.sum_d2;
        total.sum_a2 += p.sum_a2;
        total.both_finite += p.both_finite;
    }
    let rel_l2 = if total.sum_a2 > 0.0 {
        Some(total.sum_d2.sqrt() / total.sum_a2.sqrt())
    } else if total.sum_d2 == 0.0 {
        Some(0.0)
    } else {
        None
    };
    Ok(ChangeSize {
        differing_elements: total.differing,
        max_abs_diff: (total.both_finite > 0).then_some(total.max_abs),
        rel_l2,
    })
}

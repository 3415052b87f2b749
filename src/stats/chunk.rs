//! Statistics of one chunk on the chosen device with candle. Everything is computed in f64.
//!
//! candle's mean turns NaN on one NaN and its min/max skip NaN only by accident of comparison
//! order, so non-finite values are counted separately and replaced by the chunk's finite mean
//! (which lies between the finite min and max and adds no squared deviation) before reducing.

use super::moments::Moments;
use candle_core::{DType, Result, Tensor};

fn count(mask: &Tensor) -> Result<u64> {
    // Chunks hold far fewer than 2^32 elements, so a u32 sum cannot wrap.
    Ok(u64::from(
        mask.to_dtype(DType::U32)?.sum_all()?.to_scalar::<u32>()?,
    ))
}

fn scalar(t: &Tensor) -> Result<f64> {
    t.to_scalar::<f64>()
}

/// Convert to f64. F8E4M3 goes through f32: candle 0.11.1's direct F8E4M3 -> F64 conversion
/// recurses until the stack overflows (observed on CPU).
pub fn to_f64(t: &Tensor) -> Result<Tensor> {
    match t.dtype() {
        DType::F8E4M3 => t.to_dtype(DType::F32)?.to_dtype(DType::F64),
        _ => t.to_dtype(DType::F64),
    }
}

/// Reduce a 1-D tensor of any numeric dtype: the fused op on the CPU, element-wise ops
/// elsewhere.
pub fn reduce(values: &Tensor) -> Result<Moments> {
    if values.elem_count() == 0 {
        return Ok(Moments::default());
    }
    if let Some(m) = super::fused::reduce(values) {
        return Ok(m);
    }
    reduce_elementwise(values)
}

/// Reduce with candle's element-wise ops (any device).
pub fn reduce_elementwise(values: &Tensor) -> Result<Moments> {
    let n = values.elem_count() as u64;
    if n == 0 {
        return Ok(Moments::default());
    }
    let x = to_f64(values)?;
    let sum = scalar(&x.sum_all()?)?;
    let zeros = count(&x.eq(0f64)?)?;
    if sum.is_finite() {
        // A finite sum of f64 values means no NaN or infinity among them.
        let mut m = finite_moments(&x, n, sum)?;
        m.elements = n;
        m.zeros = zeros;
        return Ok(m);
    }
    let nan = count(&x.ne(&x)?)?;
    let pos_inf = count(&x.eq(f64::INFINITY)?)?;
    let neg_inf = count(&x.eq(f64::NEG_INFINITY)?)?;
    let finite = n - nan - pos_inf - neg_inf;
    let mut m = if finite == 0 {
        Moments::default()
    } else {
        let is_finite = x.abs()?.lt(f64::INFINITY)?;
        let zero = x.zeros_like()?;
        let finite_sum = scalar(&is_finite.where_cond(&x, &zero)?.sum_all()?)?;
        let fill = Tensor::full(finite_sum / finite as f64, x.shape(), x.device())?;
        finite_moments(&is_finite.where_cond(&x, &fill)?, finite, finite_sum)?
    };
    m.elements = n;
    m.zeros = zeros;
    m.nan = nan;
    m.pos_inf = pos_inf;
    m.neg_inf = neg_inf;
    Ok(m)
}

/// Moments of `x`, whose non-finite entries (if any) already equal the mean of its `finite`
/// finite values, which sum to `sum`.
fn finite_moments(x: &Tensor, finite: u64, sum: f64) -> Result<Moments> {
    let mean = sum / finite as f64;
    let m2 = scalar(&x.affine(1.0, -mean)?.sqr()?.sum_all()?)?;
    Ok(Moments {
        finite,
        min: scalar(&x.min_all()?)?,
        max: scalar(&x.max_all()?)?,
        mean,
        m2,
        ..Moments::default()
    })
}

//! Turning tensors found in a pickle into [`TensorInfo`]s once their storages are located:
//! absolute offsets, byte counts, non-default strides, and a check that every element a tensor
//! can address lies inside its storage.

use super::dtypes::element_size;
use super::error::PytorchError;
use super::tensors::TensorRef;
use crate::weights::TensorInfo;
use crate::weights::dtype::{Dtype, numel};

/// Where a storage's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageSpan {
    /// Absolute file offset of the first byte, when the bytes lie uncompressed in the file.
    pub offset: Option<u64>,
    pub len: u64,
}

/// Row-major contiguous strides for `size`.
pub fn contiguous_strides(size: &[u64]) -> Vec<u64> {
    let mut strides = vec![0u64; size.len()];
    let mut acc = 1u64;
    for (s, d) in strides.iter_mut().zip(size).rev() {
        *s = acc;
        acc = acc.saturating_mul((*d).max(1));
    }
    strides
}

/// One past the last element a tensor can address, counted from the storage start.
fn extent(t: &TensorRef) -> Option<u64> {
    if t.size.contains(&0) {
        return Some(0);
    }
    let mut last = t.storage_offset.checked_add(t.storage.view_offset)?;
    for (d, s) in t.size.iter().zip(&t.stride) {
        last = last.checked_add(d.checked_sub(1)?.checked_mul(*s)?)?;
    }
    last.checked_add(1)
}

/// Describe `t`, whose storage bytes are `span` (`entry` names it in errors).
pub fn describe(t: &TensorRef, span: StorageSpan, entry: &str) -> Result<TensorInfo, PytorchError> {
    let bad = |why: String| PytorchError::BadTensor {
        tensor: t.name.clone(),
        why,
    };
    let dtype = t.dtype.clone().unwrap_or_else(|| Dtype::Other {
        name: t.storage.class.clone(),
        bits: None,
    });
    let elem = element_size(&dtype);
    let n = numel(&t.size).ok_or_else(|| bad("element count overflows".to_string()))?;
    let nbytes = elem.and_then(|e| n.checked_mul(e));
    let mut offset = None;
    if let Some(elem) = elem {
        let end = extent(t)
            .and_then(|x| x.checked_mul(elem))
            .ok_or_else(|| bad("storage extent overflows".to_string()))?;
        if end > span.len {
            return Err(PytorchError::TensorOutsideStorage {
                tensor: t.name.clone(),
                entry: entry.to_string(),
                needed: end,
                available: span.len,
            });
        }
        // A tensor with no elements addresses no byte, and PyTorch accepts any storage offset
        // for it; clamp its offset to the storage so that it still names a place in the file.
        // (For every other tensor the extent check above already keeps `first` inside.)
        let first = t
            .storage_offset
            .checked_add(t.storage.view_offset)
            .and_then(|o| o.checked_mul(elem))
            .map(|first| first.min(span.len));
        offset = match (span.offset, first) {
            (Some(base), Some(first)) => base.checked_add(first),
            _ => None,
        };
    }
    let strides = (t.stride != contiguous_strides(&t.size)).then(|| t.stride.clone());
    Ok(TensorInfo {
        name: t.name.clone(),
        dtype,
        shape: t.size.clone(),
        strides,
        offset,
        nbytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides() {
        assert_eq!(contiguous_strides(&[2, 3, 4]), vec![12, 4, 1]);
        assert_eq!(contiguous_strides(&[]), Vec::<u64>::new());
    }
}

//! Gathering strided tensors into row-major order.

/// Elements one past the last one a tensor of `shape` with `strides` addresses.
pub fn extent(shape: &[u64], strides: &[u64]) -> Option<u64> {
    if shape.contains(&0) {
        return Some(0);
    }
    let mut last = 0u64;
    for (d, s) in shape.iter().zip(strides) {
        last = last.checked_add((d - 1).checked_mul(*s)?)?;
    }
    last.checked_add(1)
}

/// Canonical (row-major) bytes `from..from + len` of a strided tensor whose first element is at
/// `base` in `file`. `locate` checked that every addressed element lies inside `file`.
pub fn gather(
    file: &[u8],
    base: usize,
    elem: usize,
    shape: &[u64],
    strides: &[u64],
    from: usize,
    len: usize,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    if elem == 0 || shape.is_empty() {
        return file
            .get(base + from..base + from + len)
            .unwrap_or_default()
            .to_vec();
    }
    let first = (from / elem) as u64;
    let count = len / elem;
    // The multi-index of the first element, then an odometer over the row-major order.
    let mut index = vec![0u64; shape.len()];
    let mut rest = first;
    for (i, d) in shape.iter().enumerate().rev() {
        index[i] = rest % d;
        rest /= d;
    }
    let inner = shape.len() - 1;
    let mut done = 0usize;
    while done < count {
        let outer: u64 = index[..inner].iter().zip(strides).map(|(i, s)| i * s).sum();
        // Copy along the innermost dimension, then carry into the outer ones.
        let run = ((shape[inner] - index[inner]) as usize).min(count - done);
        for k in 0..run as u64 {
            let e = (outer + (index[inner] + k) * strides[inner]) as usize;
            let at = base + e * elem;
            match file.get(at..at + elem) {
                Some(bytes) => out.extend_from_slice(bytes),
                // `locate` checked the extent, so this is unreachable; zeros keep the length.
                None => out.resize(out.len() + elem, 0),
            }
        }
        done += run;
        index[inner] = 0;
        for i in (0..inner).rev() {
            index[i] += 1;
            if index[i] < shape[i] {
                break;
            }
            index[i] = 0;
        }
    }
    out
}

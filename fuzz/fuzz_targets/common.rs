//! Invariants shared by the weights targets.
#![allow(dead_code)]

use openseal::weights::Parsed;

/// Every tensor whose place in the file is known lies inside the file.
pub fn extents_inside(p: &Parsed, len: usize) {
    for t in &p.tensors {
        if let (Some(offset), Some(nbytes)) = (t.offset, t.nbytes) {
            let end = offset.checked_add(nbytes);
            assert!(
                end.is_some_and(|e| e <= len as u64),
                "tensor {:?} at {offset}+{nbytes} outside a file of {len} bytes",
                t.name
            );
        }
    }
}

/// Reading the same bytes twice gives the same description.
pub fn deterministic<T: PartialEq + std::fmt::Debug, E>(f: impl Fn() -> Result<T, E>, first: &T) {
    if let Ok(again) = f() {
        assert_eq!(&again, first, "same bytes, different result");
    } else {
        panic!("same bytes accepted once, rejected the second time");
    }
}

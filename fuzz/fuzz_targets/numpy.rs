#![no_main]
//! NumPy: `.npy` and `.npz`. Accepted arrays lie inside the file.

use libfuzzer_sys::fuzz_target;
use openseal::weights::{ReadOptions, numpy};

mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = numpy::parse_npy(data, ReadOptions::default()) {
        assert_eq!(p.tensors.len(), 1);
        common::extents_inside(&p, data.len());
    }
    if let Ok(p) = numpy::parse_npz(data, ReadOptions::default()) {
        common::extents_inside(&p, data.len());
    }
});

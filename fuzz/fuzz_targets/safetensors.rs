#![no_main]
//! safetensors: `parse` and the format-dispatching `read_bytes`. Accepted files: every tensor
//! lies inside the file and tensors do not overlap.

use libfuzzer_sys::fuzz_target;
use openseal::weights::{Format, ReadOptions, read_bytes, safetensors};

mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = safetensors::parse(data) {
        assert_eq!(p.format, Format::Safetensors);
        common::extents_inside(&p, data.len());
        let mut spans: Vec<(u64, u64)> = p
            .tensors
            .iter()
            .map(|t| {
                let o = t.offset.expect("safetensors tensors have offsets");
                (o, o + t.nbytes.expect("safetensors tensors have sizes"))
            })
            .collect();
        spans.sort();
        for w in spans.windows(2) {
            assert!(w[0].1 <= w[1].0, "overlapping tensors {w:?}");
        }
        common::deterministic(|| safetensors::parse(data), &p);
    }
    for hint in [None, Some(Format::Safetensors)] {
        if let Ok(p) = read_bytes(data, hint, ReadOptions::default()) {
            common::extents_inside(&p, data.len());
        }
    }
});

#![no_main]
//! PyTorch zip checkpoints (and TorchScript archives): `parse_zip`. Accepted files: stored
//! tensors lie inside the file; reading is deterministic.

use libfuzzer_sys::fuzz_target;
use openseal::weights::{ReadOptions, pytorch, zip};

mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = pytorch::parse_zip(data, ReadOptions::default()) {
        common::extents_inside(&p, data.len());
        common::deterministic(|| pytorch::parse_zip(data, ReadOptions::default()), &p);
    }
    let _ = zip::zip_kind(data);
});

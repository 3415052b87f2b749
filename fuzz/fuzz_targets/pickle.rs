#![no_main]
//! Pickles: the symbolic `scan` (never fails, never runs anything), bare pickles and the legacy
//! `torch.save` format. A scan's verdict never depends on anything but the bytes, and a parsed
//! file is at least as wary as the scan of its first pickle.

use libfuzzer_sys::fuzz_target;
use openseal::weights::{ReadOptions, pickle, pytorch};

mod common;

fuzz_target!(|data: &[u8]| {
    let scan = pickle::scan(data, "");
    let report = scan.report();
    assert_eq!(pickle::scan(data, "").report(), report);
    if let Ok(p) = pytorch::parse_pickle(data, ReadOptions::default()) {
        assert!(p.safety.verdict >= report.verdict);
        common::extents_inside(&p, data.len());
    }
    if let Ok(p) = pytorch::parse_legacy(data, ReadOptions::default()) {
        common::extents_inside(&p, data.len());
    }
});

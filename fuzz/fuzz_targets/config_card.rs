#![no_main]
//! config.json (`inspect::config::architecture` on any JSON value) and a model card's YAML front
//! matter (`inspect::card::parse`).

use libfuzzer_sys::fuzz_target;
use openseal::inspect::{card, config};

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let a = config::architecture(&value, "config.json");
        assert_eq!(a, config::architecture(&value, "config.json"));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = card::parse(text);
    }
});

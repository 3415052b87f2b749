#![no_main]
//! The TOML inputs: a framework definition (`Framework::parse` with the embedded vocabulary),
//! the release descriptor (`descriptor::parse`) and a trust file (`add_trust_file`). Each text
//! goes to all three; errors name a line inside the text.

use libfuzzer_sys::fuzz_target;
use openseal::framework::{Framework, Vocabulary};
use openseal::trust::TrustStore;
use std::path::Path;

const FILES: &[&str] = &[
    "LICENSE",
    "README.md",
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "code/train.py",
    "data/train.jsonl",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let vocab = Vocabulary::embedded().unwrap();
    let _ = Framework::parse("fuzz.toml", text, vocab);
    let files: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    let _ = openseal::descriptor::parse(text, Path::new("openseal.toml"), &files);
    // `public_key_file` is resolved beside the trust file: a folder that does not exist.
    let mut store = TrustStore::new();
    let _ = store.add_trust_file(text, Path::new("/nonexistent-openseal-fuzz/trust.toml"));
});

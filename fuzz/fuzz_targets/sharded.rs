#![no_main]
//! Sharded index: the JSON with duplicate-keeping `OrderedObject`, and `open_index` on the bytes
//! as `model.safetensors.index.json` beside two tiny real shards. Accepted indexes: every shard
//! read is one of the two beside it, and the mapped tensors exist.

use libfuzzer_sys::fuzz_target;
use openseal::json::OrderedObject;
use openseal::weights::{ReadOptions, sharded};
use std::path::PathBuf;
use std::sync::OnceLock;

const SHARDS: [(&str, &[u8]); 2] = [
    (
        "model-00001-of-00002.safetensors",
        include_bytes!("../../testdata/sharded/ok-two-shards/model-00001-of-00002.safetensors"),
    ),
    (
        "model-00002-of-00002.safetensors",
        include_bytes!("../../testdata/sharded/ok-two-shards/model-00002-of-00002.safetensors"),
    ),
];

fn dir() -> &'static (tempfile::TempDir, PathBuf) {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in SHARDS {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let index = dir.path().join("model.safetensors.index.json");
        (dir, index)
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(o) = openseal::json::parse::<OrderedObject>(data) {
        let _ = o.first_duplicate();
    }
    let (dir, index) = dir();
    std::fs::write(index, data).unwrap();
    if let Ok(s) = sharded::open_index(index, ReadOptions::default()) {
        assert!(s.shards.len() <= SHARDS.len());
        for shard in &s.shards {
            assert_eq!(shard.path.parent(), Some(dir.path()));
            let name = shard.path.file_name().unwrap().to_str().unwrap();
            assert!(SHARDS.iter().any(|(n, _)| *n == name), "{name}");
        }
        let tensors: usize = s.shards.iter().map(|f| f.parsed.tensors.len()).sum();
        assert!(s.mapped_tensors <= tensors);
    }
});

#![no_main]
//! Bundles: `BundleReader::new` → `read_head` → `verify` against the head's expected list (the
//! real manifest, or the bundle tests' toy `[{path,size,sha256}]` list) with `Discard`. An
//! accepted bundle verifies again identically and holds exactly the listed files.

use libfuzzer_sys::fuzz_target;
use openseal::bundle::{BundleReader, Discard, VerifySummary};
use openseal::release::ExpectedFile;
use openseal::manifest::Manifest;
use std::io::Cursor;

fn expected(manifest: &[u8]) -> Vec<ExpectedFile> {
    if let Ok(m) = Manifest::from_bytes(manifest) {
        return m.expected().unwrap_or_default();
    }
    let Ok(list) = serde_json::from_slice::<Vec<serde_json::Value>>(manifest) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|v| {
            Some(ExpectedFile {
                path: v["path"].as_str()?.to_string(),
                size: v["size"].as_u64()?,
                sha256: v["sha256"].as_str()?.parse().ok()?,
            })
        })
        .collect()
}

fn run(data: &[u8]) -> Option<(Vec<ExpectedFile>, Result<VerifySummary, String>)> {
    let reader = BundleReader::new(Cursor::new(data)).ok()?;
    let (head, entries) = reader.read_head().ok()?;
    let want = expected(&head.manifest);
    let result = entries
        .verify(&want, &mut Discard)
        .map_err(|e| e.to_string());
    Some((want, result))
}

fuzz_target!(|data: &[u8]| {
    let Some((want, result)) = run(data) else {
        return;
    };
    if let Ok(summary) = &result {
        assert_eq!(summary.files, want.len() as u64);
        assert_eq!(summary.bytes, want.iter().map(|f| f.size).sum::<u64>());
        let (_, again) = run(data).expect("an accepted bundle opens again");
        assert_eq!(again.as_ref(), Ok(summary), "second verification differs");
    }
});

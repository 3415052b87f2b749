//! Helpers shared by the fixture tests of the pickle, PyTorch and NumPy readers.

use crate::weights::safety::Verdict;

/// Every fixture in `testdata/<dir>` with its expected outcome, from the file-name prefix
/// (`safe`, `suspicious`, `dangerous`, `ok`, `err`).
pub fn fixtures(dir: &str) -> Vec<(String, String, Vec<u8>)> {
    let path = format!("{}/testdata/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(&path).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".py") {
            continue;
        }
        let outcome = name.split('-').next().unwrap().to_string();
        out.push((name, outcome, std::fs::read(e.path()).unwrap()));
    }
    out.sort();
    assert!(out.len() > 5, "fixtures missing in {path}");
    out
}

/// The verdict a fixture's outcome prefix promises (`ok` files are safe too).
pub fn verdict_of(outcome: &str) -> Option<Verdict> {
    match outcome {
        "safe" | "ok" => Some(Verdict::Safe),
        "suspicious" => Some(Verdict::Suspicious),
        "dangerous" => Some(Verdict::Dangerous),
        _ => None,
    }
}

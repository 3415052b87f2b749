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

/// Parse every fixture in `testdata/<dir>` and check it gives the outcome its name promises:
/// `err-*` fails, the others parse with the verdict of their prefix and every tensor whose place
/// is known lies inside the file.
pub fn check_outcomes<E: std::fmt::Debug + std::fmt::Display>(
    dir: &str,
    parse: impl Fn(&str, &[u8]) -> Result<crate::weights::Parsed, E>,
) {
    for (name, outcome, bytes) in fixtures(dir) {
        let r = parse(&name, &bytes);
        match outcome.as_str() {
            "err" => assert!(r.is_err(), "{name} parsed: {r:?}"),
            o => {
                let p = r.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    Some(p.safety.verdict),
                    verdict_of(o),
                    "{name}: {:#?}",
                    p.safety
                );
                for t in &p.tensors {
                    if let (Some(offset), Some(n)) = (t.offset, t.nbytes) {
                        assert!(
                            offset
                                .checked_add(n)
                                .is_some_and(|end| end <= bytes.len() as u64),
                            "{name}: tensor {:?} at {offset}+{n} outside the file",
                            t.name
                        );
                    }
                }
            }
        }
    }
}

//! Bare pickles (`.pkl`, `.joblib`, unrecognised `.bin`): globals and verdict, plus any
//! tensor-like structure (without storages, tensors have no file offsets).

use super::error::PytorchError;
use super::locate::{StorageSpan, describe};
use super::tensors::find_tensors;
use crate::limits::PYTORCH_MAX_BARE_PICKLES;
use crate::weights::pickle::{self, looks_like_pickle};
use crate::weights::safety::{SafetyReport, Verdict};
use crate::weights::{Format, Parsed, ReadOptions};

/// Read a bare pickle. Every pickle written back to back in the file is scanned for safety (a
/// custom loader may read them all); tensors are taken from the first. A first pickle that
/// cannot be read to its end is malformed input: the error names the globals seen before it.
pub fn parse_pickle(bytes: &[u8], _opts: ReadOptions) -> Result<Parsed, PytorchError> {
    let mut safety = SafetyReport {
        verdict: Verdict::Safe,
        globals: Vec::new(),
        findings: Vec::new(),
    };
    let mut warnings = Vec::new();
    let first = pickle::scan(bytes, "");
    if let Some(source) = first.error.clone() {
        return Err(PytorchError::UnreadablePickle {
            source,
            verdict: first.verdict,
            globals: first
                .globals
                .iter()
                .map(|g| format!("{}.{} ({})", g.module, g.name, g.verdict.as_str()))
                .collect(),
        });
    }
    pickle::merge_into(&mut safety, &first);
    let mut pos = first.end;
    let mut count = 1;
    while (pos as usize) < bytes.len() {
        let rest = bytes.get(pos as usize..).unwrap_or_default();
        if count >= PYTORCH_MAX_BARE_PICKLES || !looks_like_pickle(rest) {
            warnings.push(format!(
                "{} bytes after the pickle at byte {pos}",
                rest.len()
            ));
            break;
        }
        let scan = pickle::scan_at(bytes, pos as usize, &format!("pickle at byte {pos}"));
        pickle::merge_into(&mut safety, &scan);
        count += 1;
        if scan.error.is_some() || scan.end <= pos {
            break;
        }
        pos = scan.end;
    }
    let mut parsed = Parsed {
        format: Format::Pickle,
        tensors: Vec::new(),
        metadata: Vec::new(),
        container: Vec::new(),
        safety,
        warnings,
    };
    if let Some(root) = first.value {
        let found = find_tensors(&first.heap, root, "");
        parsed.warnings.extend(found.warnings);
        if !found.tensors.is_empty() {
            parsed.warnings.push(
                "tensors refer to storages outside this pickle; offsets are unknown".to_string(),
            );
        }
        for t in &found.tensors {
            // No storage bytes to check against: describe with an unbounded span.
            let span = StorageSpan {
                offset: None,
                len: u64::MAX,
            };
            // A bad tensor description must not hide the safety report of a bare pickle.
            match describe(t, span, "") {
                Ok(info) => parsed.tensors.push(info),
                Err(e) => parsed.warnings.push(format!("{e}; skipped")),
            }
        }
    }
    Ok(parsed)
}

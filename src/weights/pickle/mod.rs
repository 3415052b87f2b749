//! A symbolic pickle scanner. It reads protocols 0-5 without importing or calling anything,
//! reports every global a pickle references with a verdict, and keeps the top-level value as
//! data so readers (PyTorch, NumPy object arrays) can find the tensors in it.

mod error;
mod globals;
mod opcodes;
mod text;
mod value;
mod vm;

pub use error::PickleError;
pub(crate) use opcodes::Op;
pub(crate) use value::{Heap, Node, NodeId, Value};
pub(crate) use vm::HIGHEST_PROTOCOL;

use crate::weights::safety::{GlobalRef, SafetyReport, Verdict};

/// What scanning one pickle found.
#[derive(Debug, Clone)]
pub struct PickleScan {
    /// Distinct globals referenced, in order of first appearance, each judged.
    pub(crate) globals: Vec<GlobalRef>,
    /// Findings in plain words (unreadable pickle, monkey-patching, discarded calls).
    pub(crate) findings: Vec<String>,
    /// The worst of the globals' verdicts and the findings'.
    pub(crate) verdict: Verdict,
    /// The value STOP returned, when the pickle was read to its end.
    pub(crate) value: Option<Value>,
    /// The nodes and strings `value` refers to.
    pub(crate) heap: Heap,
    /// Why reading stopped early, if it did.
    pub error: Option<PickleError>,
    /// Offset just past the STOP opcode (or where reading stopped).
    pub(crate) end: u64,
}

impl PickleScan {
    /// The safety report of this pickle alone.
    pub fn report(&self) -> SafetyReport {
        let mut r = SafetyReport {
            verdict: Verdict::Safe,
            globals: Vec::new(),
            findings: Vec::new(),
        };
        merge_into(&mut r, self);
        r
    }
}

/// Scan the pickle at the start of `bytes`. `location` names it in findings and globals (a zip
/// entry name, or "" for a bare pickle). Never fails: a pickle that cannot be read to its end is
/// reported with the globals found so far and at least a Suspicious verdict.
pub fn scan(bytes: &[u8], location: &str) -> PickleScan {
    scan_at(bytes, 0, location)
}

/// Scan the pickle that starts at `start` in `bytes` (pickles written back to back, as legacy
/// `torch.save` does). Offsets in errors and findings are relative to `bytes`.
pub(crate) fn scan_at(bytes: &[u8], start: usize, location: &str) -> PickleScan {
    let mut m = vm::Machine::new(bytes, start, location);
    let result = m.run();
    let end = m.position();
    let mut findings = std::mem::take(&mut m.findings);
    let mut verdict = m.verdict;
    let (value, error) = match result {
        Ok(v) => (Some(v), None),
        Err(e) => {
            let place = if location.is_empty() {
                "pickle".to_string()
            } else {
                format!("pickle {location}")
            };
            findings.push(format!(
                "{place} could not be read to its end (byte {}): {e}",
                e.offset()
            ));
            verdict = verdict.max(Verdict::Suspicious);
            (None, Some(e))
        }
    };
    PickleScan {
        globals: std::mem::take(&mut m.globals),
        findings,
        verdict,
        value,
        heap: std::mem::take(&mut m.heap),
        error,
        end,
    }
}

/// Add one pickle's globals and findings to a file's report; a global already reported (same
/// module and name, from another pickle of the file) is not repeated.
pub(crate) fn merge_into(report: &mut SafetyReport, scan: &PickleScan) {
    report.verdict = report.verdict.max(scan.verdict);
    for g in &scan.globals {
        let known = report
            .globals
            .iter()
            .any(|r| r.module == g.module && r.name == g.name);
        if !known {
            report.globals.push(g.clone());
        }
    }
    report.findings.extend(scan.findings.iter().cloned());
}

/// Whether `bytes` plausibly starts with a pickle: a PROTO opcode with a known protocol, or a
/// protocol-0/1 opening that pickles of dicts, lists and objects begin with.
pub(crate) fn looks_like_pickle(bytes: &[u8]) -> bool {
    match bytes {
        [0x80, proto, next, ..] => *proto <= HIGHEST_PROTOCOL && Op::from_byte(*next).is_some(),
        [b'(' | b'}' | b']' | b'c', ..] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_support;

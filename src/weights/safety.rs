//! Whether a weights file is safe to load: a verdict and the evidence behind it.

use serde::Serialize;

/// Ordered from harmless to harmful, so the worst of several findings is their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The format holds no code, or every global it references is on the allow-list.
    Safe,
    /// Something outside the allow-list, or a pickle that could not be fully read.
    Suspicious,
    /// A global known to run code, reach the file system or the network.
    Dangerous,
}

impl Verdict {
    /// The lowercase name reports and JSON use.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Safe => "safe",
            Verdict::Suspicious => "suspicious",
            Verdict::Dangerous => "dangerous",
        }
    }
}

/// A Python global (`module.name`) that a pickle references, with its judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlobalRef {
    /// The module part (`torch._utils`).
    pub module: String,
    /// The attribute part (`_rebuild_tensor_v2`).
    pub name: String,
    /// How dangerous importing it is.
    pub verdict: Verdict,
    /// Why it got that verdict (e.g. "on torch's weights_only allow-list", "runs shell commands").
    pub reason: String,
    /// The pickle it appeared in (zip entry name, or "" for a bare pickle).
    pub(crate) location: String,
}

/// The safety judgement of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SafetyReport {
    /// The worst verdict of the globals and findings.
    pub verdict: Verdict,
    /// Every distinct global the file's pickles reference.
    pub globals: Vec<GlobalRef>,
    /// Other findings in plain words (code inside a TorchScript archive, an unreadable pickle).
    pub findings: Vec<String>,
}

impl SafetyReport {
    /// A format that cannot hold code (safetensors, GGUF, numeric NumPy arrays).
    pub(crate) fn data_only(why: &str) -> SafetyReport {
        SafetyReport {
            verdict: Verdict::Safe,
            globals: Vec::new(),
            findings: vec![why.to_string()],
        }
    }

    /// Raise the verdict to at least `v`, recording why.
    pub(crate) fn escalate(&mut self, v: Verdict, finding: impl Into<String>) {
        self.verdict = self.verdict.max(v);
        self.findings.push(finding.into());
    }
}

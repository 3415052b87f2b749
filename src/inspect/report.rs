//! The shape of an inspection report (`openseal.inspect/v1`).

use super::architecture::Architecture;
use super::card::ModelCard;
use super::fact::Fact;
use crate::fingerprint::FingerprintReport;
use crate::stats::FileStats;
use crate::weights::{Format, MetaValue, SafetyReport, TensorInfo, Verdict, WeightsFile};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const SCHEMA: &str = "openseal.inspect/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    File,
    Sharded,
    Folder,
}

/// Parameters counted from tensor shapes, in total and by dtype name. Counts that would overflow
/// stay at `u64::MAX` ([`Parameters::saturated`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Parameters {
    pub total: u64,
    pub by_dtype: BTreeMap<String, u64>,
}

impl Parameters {
    pub(crate) fn add(&mut self, tensors: &[TensorInfo]) {
        for t in tensors {
            let n = t.numel();
            self.total = self.total.saturating_add(n);
            let e = self.by_dtype.entry(t.dtype.name()).or_default();
            *e = e.saturating_add(n);
        }
    }

    /// Whether a count reached `u64::MAX` (a hostile shape; no real model comes near).
    pub(crate) fn saturated(&self) -> bool {
        self.total == u64::MAX || self.by_dtype.values().any(|n| *n == u64::MAX)
    }
}

/// One weights file in the report.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: PathBuf,
    pub format: Format,
    pub size: u64,
    pub tensor_count: usize,
    pub parameters: Parameters,
    #[serde(serialize_with = "ordered_map")]
    pub metadata: Vec<(String, MetaValue)>,
    /// Facts about the container (format version, alignment, data offset).
    #[serde(serialize_with = "ordered_map")]
    pub(crate) container: Vec<(String, MetaValue)>,
    pub safety: SafetyReport,
    pub warnings: Vec<String>,
    /// Every tensor, when asked for (`--tensors`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tensors: Option<Vec<TensorInfo>>,
    /// Value statistics, when asked for (`--stats`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<FileStats>,
}

impl FileReport {
    pub(crate) fn new(file: WeightsFile, keep_tensors: bool) -> FileReport {
        let mut parameters = Parameters::default();
        parameters.add(&file.parsed.tensors);
        FileReport {
            path: file.path,
            format: file.parsed.format,
            size: file.size,
            tensor_count: file.parsed.tensors.len(),
            parameters,
            metadata: file.parsed.metadata,
            container: file.parsed.container,
            safety: file.parsed.safety,
            warnings: file.parsed.warnings,
            tensors: keep_tensors.then_some(file.parsed.tensors),
            stats: None,
        }
    }
}

/// A file that could not be read, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct FileError {
    pub path: PathBuf,
    pub error: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShardSummary {
    pub index: PathBuf,
    pub shards: Vec<PathBuf>,
    pub mapped_tensors: usize,
    pub(crate) total_size: Option<u64>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Adapter {
    /// `LORA`, `DORA`, ... from adapter_config.json, or `lora` from tensor names / GGUF.
    pub kind: Option<Fact<String>>,
    pub rank: Option<Fact<u64>>,
    pub alpha: Option<Fact<f64>>,
    pub target_modules: Option<Fact<Vec<String>>>,
    pub base_model: Option<Fact<String>>,
    /// Adapted modules counted from tensor names (one `lora_A`/`lora_down` each).
    pub adapted_modules: Option<Fact<u64>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tokenizer {
    pub(crate) files: Vec<PathBuf>,
    /// WordPiece / BPE / SentencePiece, or a GGUF `tokenizer.ggml.model`.
    pub kind: Option<Fact<String>>,
    pub class: Option<Fact<String>>,
    pub model_max_length: Option<Fact<u64>>,
    pub chat_template: bool,
}

/// A licence named somewhere in the release: the value, and where it was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenseHint {
    pub value: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SafetySummary {
    pub verdict: Verdict,
    /// Files whose verdict is not safe, with it.
    pub(crate) flagged: Vec<(PathBuf, Verdict)>,
}

/// The inspection of one PATH given on the command line.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub path: PathBuf,
    pub kind: InputKind,
    pub files: Vec<FileReport>,
    pub errors: Vec<FileError>,
    pub sharded: Vec<ShardSummary>,
    /// Parameters of the model's weights (see `counted_from`).
    pub parameters: Parameters,
    /// The files whose tensors were counted: one format's files when a folder holds the same
    /// model in several formats; adapter weights are counted in `adapter_parameters`.
    pub(crate) counted_from: Vec<PathBuf>,
    pub adapter_parameters: Option<Parameters>,
    pub architecture: Architecture,
    pub adapter: Option<Adapter>,
    pub tokenizer: Option<Tokenizer>,
    pub card: Option<ModelCard>,
    pub licenses: Vec<LicenseHint>,
    pub safety: SafetySummary,
    /// The weights fingerprint of the counted files, when asked for (`--fingerprint`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<FingerprintReport>,
    /// Files in a folder that inspect does not read (listed, never silently dropped).
    pub other_files: Vec<PathBuf>,
    pub warnings: Vec<String>,
}

/// The whole output of one `inspect` run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub inputs: Vec<Inspection>,
}

fn ordered_map<S: Serializer>(entries: &[(String, MetaValue)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

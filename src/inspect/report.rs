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

/// The `schema` of every report this version writes; a change to the JSON shape changes it.
pub const SCHEMA: &str = "openseal.inspect/v1";

/// What a PATH given to inspect turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// One weights file.
    File,
    /// A sharded-checkpoint index (`*.index.json`) and its shards.
    Sharded,
    /// A model folder.
    Folder,
}

/// Parameters counted from tensor shapes, in total and by dtype name. Counts that would overflow
/// stay at `u64::MAX`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Parameters {
    /// Elements of every tensor counted.
    pub total: u64,
    /// Elements by dtype name (`BF16`, `Q4_K`, ...).
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
    /// The file.
    pub path: PathBuf,
    /// Where `path` leads when it is a symbolic link (as in the Hugging Face cache, whose
    /// snapshot files link into `blobs/`): the file actually read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_target: Option<PathBuf>,
    /// Its container format.
    pub format: Format,
    /// Its size in bytes.
    pub size: u64,
    /// Tensors it declares.
    pub tensor_count: usize,
    /// Parameters its tensors hold.
    pub parameters: Parameters,
    /// Format-level metadata in file order (safetensors `__metadata__`, GGUF key/values).
    #[serde(serialize_with = "ordered_map")]
    pub metadata: Vec<(String, MetaValue)>,
    /// Facts about the container (format version, alignment, data offset).
    #[serde(serialize_with = "ordered_map")]
    pub(crate) container: Vec<(String, MetaValue)>,
    /// Whether loading the file can run code, and why.
    pub safety: SafetyReport,
    /// Things allowed but worth knowing (odd padding, unknown ggml types, ...).
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
        let is_link = std::fs::symlink_metadata(&file.path).is_ok_and(|m| m.is_symlink());
        FileReport {
            link_target: is_link.then(|| file.path.canonicalize().ok()).flatten(),
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
    /// The file.
    pub path: PathBuf,
    /// Why it could not be read.
    pub error: String,
}

/// A sharded checkpoint: its index and the shards it maps tensors to.
#[derive(Debug, Clone, Serialize)]
pub struct ShardSummary {
    /// The index file.
    pub index: PathBuf,
    /// The shard files, in name order.
    pub shards: Vec<PathBuf>,
    /// Tensor names in the index's `weight_map`.
    pub mapped_tensors: usize,
    pub(crate) total_size: Option<u64>,
    /// Things allowed but worth knowing (unmapped tensors, a `total_size` that fits nothing).
    pub warnings: Vec<String>,
}

/// A parameter-efficient fine-tuning adapter (LoRA and kin), from `adapter_config.json`, tensor
/// names or GGUF metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Adapter {
    /// `LORA`, `DORA`, ... from adapter_config.json, or `lora` from tensor names / GGUF.
    pub kind: Option<Fact<String>>,
    /// Rank of the low-rank matrices (`r`).
    pub rank: Option<Fact<u64>>,
    /// Scaling numerator (`lora_alpha`).
    pub alpha: Option<Fact<f64>>,
    /// Names of the modules adapted (`target_modules`).
    pub target_modules: Option<Fact<Vec<String>>>,
    /// The model the adapter applies to (`base_model_name_or_path`).
    pub base_model: Option<Fact<String>>,
    /// Adapted modules counted from tensor names (one `lora_A`/`lora_down` each).
    pub adapted_modules: Option<Fact<u64>>,
}

/// The tokenizer, from its files or from GGUF metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tokenizer {
    pub(crate) files: Vec<PathBuf>,
    /// WordPiece / BPE / SentencePiece, or a GGUF `tokenizer.ggml.model`.
    pub kind: Option<Fact<String>>,
    /// `tokenizer_class` from tokenizer_config.json (e.g. `LlamaTokenizerFast`).
    pub class: Option<Fact<String>>,
    /// `model_max_length` from tokenizer_config.json, in tokens.
    pub model_max_length: Option<Fact<u64>>,
    /// Whether tokenizer_config.json or the GGUF metadata carries a chat template.
    pub chat_template: bool,
}

/// A licence named somewhere in the release: the value, and where it was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenseHint {
    /// The licence as written (an SPDX id, a name or a Hub licence tag).
    pub value: String,
    /// The file and the place in it (`README.md: front matter license`).
    pub source: String,
}

/// The safety of one input as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputVerdict {
    /// Every weights file is safe.
    Safe,
    /// Some file is suspicious, none dangerous.
    Suspicious,
    /// Some file is dangerous.
    Dangerous,
    /// No weights file was found, so nothing was judged: never "safe".
    NoWeights,
    /// Some weights file of a remote source was listed but not read (see
    /// [`Inspection::not_read`]), so its safety is unknown: never "safe".
    NotScanned,
}

impl InputVerdict {
    /// The verdict in words.
    pub fn as_str(self) -> &'static str {
        match self {
            InputVerdict::Safe => "safe",
            InputVerdict::Suspicious => "suspicious",
            InputVerdict::Dangerous => "dangerous",
            InputVerdict::NoWeights => "no weights found",
            InputVerdict::NotScanned => "not scanned (weights files not read)",
        }
    }

    /// Whether some file is suspicious or dangerous (what `--deny-unsafe` refuses).
    pub fn is_unsafe(self) -> bool {
        matches!(self, InputVerdict::Suspicious | InputVerdict::Dangerous)
    }
}

/// The safety verdict of the whole input.
#[derive(Debug, Clone, Serialize)]
pub struct SafetySummary {
    /// The worst verdict of its files, or `no-weights` when it has none.
    pub verdict: InputVerdict,
    /// Files whose verdict is not safe, with it.
    pub(crate) flagged: Vec<(PathBuf, Verdict)>,
}

/// The inspection of one PATH given on the command line.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// The PATH as given.
    pub path: PathBuf,
    /// What it is.
    pub kind: InputKind,
    /// Every weights file read.
    pub files: Vec<FileReport>,
    /// Files of a folder that could not be read, and files whose tensor data could not be read
    /// for statistics or the fingerprint.
    pub errors: Vec<FileError>,
    /// Every sharded checkpoint found.
    pub sharded: Vec<ShardSummary>,
    /// Parameters of the model's weights (see `counted_from`).
    pub parameters: Parameters,
    /// The files whose tensors were counted: one format's files when a folder holds the same
    /// model in several formats; adapter weights are counted in `adapter_parameters`.
    pub(crate) counted_from: Vec<PathBuf>,
    /// Parameters of adapter weights, when the input holds adapter weights files.
    pub adapter_parameters: Option<Parameters>,
    /// The model's family and dimensions.
    pub architecture: Architecture,
    /// The adapter, when the input is or holds one.
    pub adapter: Option<Adapter>,
    /// The tokenizer, when one is found.
    pub tokenizer: Option<Tokenizer>,
    /// The model card's front matter, when `README.md` has one.
    pub card: Option<ModelCard>,
    /// Every licence named in the input, with where.
    pub licenses: Vec<LicenseHint>,
    /// The safety verdict over all files.
    pub safety: SafetySummary,
    /// The weights fingerprint of the counted files, when asked for (`--fingerprint`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<FingerprintReport>,
    /// Files in a folder that inspect does not read (listed, never silently dropped).
    pub other_files: Vec<PathBuf>,
    /// Things worth knowing about the input as a whole (files' own warnings stay with them).
    pub warnings: Vec<String>,
    /// Files of a remote source that were listed but not read, with why (empty for local
    /// inputs, where nothing is left unread without being listed elsewhere).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_read: Vec<crate::remote::NotRead>,
    /// For a remote source: what was fetched to read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<crate::remote::RemoteRead>,
}

impl Inspection {
    /// Records what was fetched of a remote source and the files that were not read. A weights file among them
    /// makes a "safe" (or "no weights") verdict "not scanned": what was not read was not judged.
    pub fn add_remote(
        &mut self,
        read: crate::remote::RemoteRead,
        not_read: &[crate::remote::NotRead],
    ) {
        self.remote = Some(read);
        if not_read.iter().any(|n| n.weights)
            && matches!(
                self.safety.verdict,
                InputVerdict::Safe | InputVerdict::NoWeights
            )
        {
            self.safety.verdict = InputVerdict::NotScanned;
        }
        self.not_read.extend_from_slice(not_read);
    }

    /// Shows every path under `local` (a remote source's local stand-in) as under `shown` (its
    /// `hf://` reference or address), in paths and in messages.
    pub fn show_as(&mut self, local: &std::path::Path, shown: &str) {
        let local_text = local.display().to_string();
        let path = |p: &mut PathBuf| crate::remote::show_path(p, local, shown);
        let text = |t: &mut String| {
            if t.contains(&local_text) {
                *t = t.replace(&local_text, shown);
            }
        };
        path(&mut self.path);
        for f in &mut self.files {
            path(&mut f.path);
            f.link_target = None;
            f.warnings.iter_mut().for_each(text);
        }
        for e in &mut self.errors {
            path(&mut e.path);
            text(&mut e.error);
        }
        for s in &mut self.sharded {
            path(&mut s.index);
            s.shards.iter_mut().for_each(path);
            s.warnings.iter_mut().for_each(text);
        }
        self.counted_from.iter_mut().for_each(path);
        if let Some(t) = &mut self.tokenizer {
            t.files.iter_mut().for_each(path);
        }
        for l in &mut self.licenses {
            text(&mut l.source);
        }
        for (p, _) in &mut self.safety.flagged {
            path(p);
        }
        self.other_files.iter_mut().for_each(path);
        self.warnings.iter_mut().for_each(text);
    }
}

/// The whole output of one `inspect` run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// One inspection per PATH, in command-line order.
    pub inputs: Vec<Inspection>,
}

fn ordered_map<S: Serializer>(entries: &[(String, MetaValue)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

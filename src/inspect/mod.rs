//! `inspect`: what a model is, from headers only. Combines the weights readers with the files
//! around them (config.json, tokenizer, adapter config, model card, licences) into a
//! [`report::Inspection`] per input path.

mod architecture;
pub mod card;
pub mod config;
mod data;
pub mod fact;
pub(crate) mod folder;
mod gguf_keys;
pub(crate) mod license;
pub(crate) mod names;
pub mod report;
mod side_files;

use crate::weights::{self, Format, ReadOptions, TensorInfo, Verdict, WeightsFile};
use report::{
    FileError, FileReport, InputKind, InputVerdict, Inspection, Parameters, SafetySummary,
    ShardSummary,
};
use std::path::{Path, PathBuf};
use thiserror::Error;

pub use architecture::Architecture;
pub use data::DataOptions;
pub(crate) use data::{ModelFiles, model_files};

/// How to inspect.
#[derive(Debug, Clone, Copy, Default)]
pub struct InspectOptions {
    /// Options every weights reader takes.
    pub read: ReadOptions,
    /// Keep every tensor in the report (`--tensors`).
    pub tensors: bool,
}

/// Why a path could not be inspected at all. (In a folder, a file that cannot be read is an
/// entry of [`Inspection::errors`] instead.)
#[derive(Debug, Error)]
pub enum InspectError {
    /// The path does not exist (or its metadata cannot be read).
    #[error("{}: no such file or folder", .0.display())]
    NotFound(PathBuf),
    /// The folder could not be listed.
    #[error("{}: cannot list folder: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The listing error.
        source: std::io::Error,
    },
    // Boxed: the readers' errors carry names and shapes, and `Result`s stay small.
    /// The path is a weights file that could not be read.
    #[error(transparent)]
    Weights(Box<weights::Error>),
    /// The path is a sharded-checkpoint index that could not be read or does not match its shards.
    #[error(transparent)]
    Sharded(Box<weights::sharded::ShardError>),
}

impl From<weights::Error> for InspectError {
    fn from(e: weights::Error) -> Self {
        InspectError::Weights(Box::new(e))
    }
}

impl From<weights::sharded::ShardError> for InspectError {
    fn from(e: weights::sharded::ShardError) -> Self {
        InspectError::Sharded(Box::new(e))
    }
}

/// Inspect a weights file, a sharded index, or a model folder.
///
/// A single file or index that cannot be read is an error. In a folder, a file that cannot be
/// read is recorded in `errors` and the rest is still inspected.
pub fn inspect(path: &Path, opts: InspectOptions) -> Result<Inspection, InspectError> {
    inspect_with_data(path, opts, &DataOptions::default())
}

/// [`inspect`], also reading tensor data: statistics and the weights fingerprint when asked.
pub fn inspect_with_data(
    path: &Path,
    opts: InspectOptions,
    data: &DataOptions,
) -> Result<Inspection, InspectError> {
    let (acc, kind) = gather(path, opts)?;
    Ok(acc.finish(path, kind, opts, data))
}

/// Read every weights file and side file of `path`.
fn gather(path: &Path, opts: InspectOptions) -> Result<(Accumulator, InputKind), InspectError> {
    let meta = std::fs::metadata(path).map_err(|_| InspectError::NotFound(path.to_path_buf()))?;
    let mut acc = Accumulator::default();
    let kind = if meta.is_dir() {
        inspect_folder(path, opts, &mut acc)?;
        InputKind::Folder
    } else if weights::sharded::is_index_name(&file_name(path)) {
        let sharded = weights::sharded::open_index(path, opts.read)?;
        acc.add_sharded(sharded);
        InputKind::Sharded
    } else {
        acc.weights.push(weights::open(path, opts.read)?);
        InputKind::File
    };
    Ok((acc, kind))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn inspect_folder(
    root: &Path,
    opts: InspectOptions,
    acc: &mut Accumulator,
) -> Result<(), InspectError> {
    let listing = folder::list(root).map_err(|source| InspectError::Folder {
        path: root.to_path_buf(),
        source,
    })?;
    let mut in_index = std::collections::HashSet::new();
    for index in &listing.indexes {
        match weights::sharded::open_index(index, opts.read) {
            Ok(sharded) => {
                in_index.extend(sharded.shards.iter().map(|s| s.path.clone()));
                acc.add_sharded(sharded);
            }
            Err(e) => acc.errors.push(FileError {
                path: index.clone(),
                error: e.kind.to_string(),
            }),
        }
    }
    for path in &listing.weights {
        if in_index.contains(path) {
            continue;
        }
        match weights::open(path, opts.read) {
            Ok(file) => acc.weights.push(file),
            Err(e) => acc.errors.push(FileError {
                path: path.clone(),
                error: e.kind.to_string(),
            }),
        }
    }
    side_files::read(&listing, acc);
    acc.config_path = listing.config.clone();
    acc.other_files = listing.other;
    acc.warnings.extend(listing.skipped);
    Ok(())
}

/// What is gathered while reading an input, before the summary is computed.
#[derive(Default)]
struct Accumulator {
    weights: Vec<WeightsFile>,
    sharded: Vec<ShardSummary>,
    errors: Vec<FileError>,
    config_arch: Option<Architecture>,
    adapter: Option<report::Adapter>,
    tokenizer: Option<report::Tokenizer>,
    card: Option<card::ModelCard>,
    licenses: Vec<report::LicenseHint>,
    other_files: Vec<PathBuf>,
    warnings: Vec<String>,
    config_path: Option<PathBuf>,
}

impl Accumulator {
    fn add_sharded(&mut self, sharded: weights::sharded::Sharded) {
        self.sharded.push(ShardSummary {
            index: sharded.index,
            shards: sharded.shards.iter().map(|s| s.path.clone()).collect(),
            mapped_tensors: sharded.mapped_tensors,
            total_size: sharded.total_size,
            warnings: sharded.warnings,
        });
        self.weights.extend(sharded.shards);
    }

    fn finish(
        mut self,
        path: &Path,
        kind: InputKind,
        opts: InspectOptions,
        data: &DataOptions,
    ) -> Inspection {
        let weights = std::mem::take(&mut self.weights);
        let (model, adapters): (Vec<&WeightsFile>, Vec<&WeightsFile>) =
            weights.iter().partition(|w| !is_adapter_file(w));
        let counted = primary_set(&model);
        let mut parameters = Parameters::default();
        for w in &counted {
            parameters.add(&w.parsed.tensors);
        }
        let counted_from: Vec<PathBuf> = counted.iter().map(|w| w.path.clone()).collect();
        if counted.len() < model.len() {
            self.warnings.push(format!(
                "parameters counted from {} of {} weights files ({}); the others hold the model again in another format or quantization",
                counted.len(),
                model.len(),
                counted.first().map_or("", |w| w.parsed.format.name())
            ));
        }
        let adapter_parameters = (!adapters.is_empty()).then(|| {
            let mut p = Parameters::default();
            for w in &adapters {
                p.add(&w.parsed.tensors);
            }
            p
        });

        let architecture = self.architecture(&counted);
        let adapter = self.adapter_facts(&adapters, &counted);
        self.licenses_from_weights(&weights);
        let safety = safety_summary(&weights);
        let tokenizer = self.tokenizer.take().or_else(|| gguf_tokenizer(&counted));
        let (mut stats, fingerprint) =
            data::read_data(&weights, &counted, opts, data, &mut self.errors);
        let files = weights
            .into_iter()
            .enumerate()
            .map(|(i, w)| {
                let mut report = FileReport::new(w, opts.tensors);
                report.stats = stats.get_mut(i).and_then(Option::take);
                report
            })
            .collect();
        Inspection {
            path: path.to_path_buf(),
            kind,
            files,
            errors: self.errors,
            sharded: self.sharded,
            parameters,
            counted_from,
            adapter_parameters,
            architecture,
            adapter,
            tokenizer,
            card: self.card,
            licenses: self.licenses,
            safety,
            fingerprint,
            other_files: self.other_files,
            warnings: self.warnings,
            not_read: Vec::new(),
            remote: None,
        }
    }

    /// config.json first, then GGUF keys, then tensor names: each fills only what is unknown.
    fn architecture(&mut self, counted: &[&WeightsFile]) -> Architecture {
        let mut arch = self.config_arch.take().unwrap_or_default();
        for w in counted.iter().filter(|w| w.parsed.format == Format::Gguf) {
            arch.fill_from(gguf_keys::architecture(&w.parsed.metadata));
        }
        let tensors: Vec<&TensorInfo> = counted.iter().flat_map(|w| &w.parsed.tensors).collect();
        arch.fill_from(names::architecture(&tensors));
        if arch.quantization.is_none() {
            arch.quantization = weights::quantization(tensors.iter().copied())
                .map(|q| fact::Fact::new(q, "tensor types (most parameters)"));
        }
        arch
    }

    fn adapter_facts(
        &mut self,
        adapters: &[&WeightsFile],
        counted: &[&WeightsFile],
    ) -> Option<report::Adapter> {
        let mut adapter = self.adapter.take();
        let tensors: Vec<&TensorInfo> = adapters
            .iter()
            .chain(counted.iter())
            .flat_map(|w| &w.parsed.tensors)
            .collect();
        if let Some((rank, modules)) = names::lora(&tensors) {
            let a = adapter.get_or_insert_with(Default::default);
            a.kind
                .get_or_insert_with(|| fact::Fact::new("lora".into(), "tensor names"));
            if let Some(r) = rank {
                a.rank
                    .get_or_insert_with(|| fact::Fact::new(r, "tensor names: lora_A rows"));
            }
            a.adapted_modules = Some(fact::Fact::new(modules as u64, "tensor names"));
        }
        for w in counted.iter().filter(|w| w.parsed.format == Format::Gguf) {
            let kv = &w.parsed.metadata;
            let get = |k: &str| kv.iter().find(|(key, _)| key == k).map(|(_, v)| v);
            if get("general.type").and_then(|v| v.as_str()) == Some("adapter") {
                let a = adapter.get_or_insert_with(Default::default);
                let kind = get("adapter.type")
                    .and_then(|v| v.as_str())
                    .unwrap_or("adapter");
                a.kind = Some(fact::Fact::new(kind.to_string(), "gguf: adapter.type"));
                if let Some(alpha) = get("adapter.lora.alpha").and_then(|v| v.as_f64()) {
                    a.alpha = Some(fact::Fact::new(alpha, "gguf: adapter.lora.alpha"));
                }
            }
        }
        adapter
    }

    fn licenses_from_weights(&mut self, weights: &[WeightsFile]) {
        for w in weights {
            for (k, v) in &w.parsed.metadata {
                let key = k.to_ascii_lowercase();
                let is_license =
                    key == "general.license" || key == "license" || key == "general.license.name";
                if let (true, Some(s)) = (is_license, v.as_str()) {
                    self.licenses.push(report::LicenseHint {
                        value: s.to_string(),
                        source: format!("{}: {k}", w.path.display()),
                    });
                }
            }
        }
    }
}

fn is_adapter_file(w: &WeightsFile) -> bool {
    file_name(&w.path).starts_with("adapter_model")
}

/// The files whose parameters make up the model: one format's files (a folder often holds the
/// same weights as safetensors and as a PyTorch `.bin`). GGUF files that are not parts of one
/// split set are alternative quantizations of the same model: only the first is counted.
fn primary_set<'a>(model: &[&'a WeightsFile]) -> Vec<&'a WeightsFile> {
    const PREFERENCE: &[Format] = &[
        Format::Safetensors,
        Format::Gguf,
        Format::PytorchZip,
        Format::PytorchLegacy,
        Format::Torchscript,
        Format::Npz,
        Format::Npy,
        Format::Pickle,
    ];
    let Some(format) = PREFERENCE.iter().copied().find(|f| {
        model
            .iter()
            .any(|w| w.parsed.format == *f && !w.parsed.tensors.is_empty())
    }) else {
        return model.to_vec();
    };
    let set: Vec<&WeightsFile> = model
        .iter()
        .copied()
        .filter(|w| w.parsed.format == format)
        .collect();
    let is_split = |w: &WeightsFile| w.parsed.metadata.iter().any(|(k, _)| k == "split.count");
    if format == Format::Gguf && set.len() > 1 && !set.iter().all(|w| is_split(w)) {
        return set.into_iter().take(1).collect();
    }
    set
}

fn gguf_tokenizer(counted: &[&WeightsFile]) -> Option<report::Tokenizer> {
    counted.iter().find_map(|w| {
        let model = w
            .parsed
            .metadata
            .iter()
            .find(|(k, _)| k == "tokenizer.ggml.model")?
            .1
            .as_str()?
            .to_string();
        Some(report::Tokenizer {
            files: Vec::new(),
            kind: Some(fact::Fact::new(model, "gguf: tokenizer.ggml.model")),
            class: None,
            model_max_length: None,
            chat_template: w
                .parsed
                .metadata
                .iter()
                .any(|(k, _)| k == "tokenizer.chat_template"),
        })
    })
}

fn safety_summary(files: &[WeightsFile]) -> SafetySummary {
    let flagged: Vec<(PathBuf, Verdict)> = files
        .iter()
        .filter(|w| w.parsed.safety.verdict != Verdict::Safe)
        .map(|w| (w.path.clone(), w.parsed.safety.verdict))
        .collect();
    let verdict = match flagged.iter().map(|f| f.1).max() {
        _ if files.is_empty() => InputVerdict::NoWeights,
        None | Some(Verdict::Safe) => InputVerdict::Safe,
        Some(Verdict::Suspicious) => InputVerdict::Suspicious,
        Some(Verdict::Dangerous) => InputVerdict::Dangerous,
    };
    SafetySummary { verdict, flagged }
}

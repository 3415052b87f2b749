//! `diff`: what changed between two models (files, sharded indexes or folders): tensors only
//! on one side, dtype and shape changes, content changes (per-tensor digests from the
//! fingerprint code) with, on request, the size of each change computed chunkwise, and
//! differences in config.json and in the files' own metadata.

pub mod files;
mod keys;
mod numeric;

pub use keys::{KeyChange, KeyDiff};
pub use numeric::ChangeSize;

use crate::fingerprint::{self, FingerprintError, TensorDigest};
use crate::inspect::report::InputKind;
use crate::inspect::{self, InspectError, InspectOptions, ModelFiles};
use crate::progress::{NoProgress, Progress};
use crate::stats::{self, StatsError, StatsOptions};
use crate::weights::{TensorInfo, WeightsFile};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub(crate) const SCHEMA: &str = "openseal.diff/v1";

/// Why two models could not be compared.
#[derive(Debug, Error)]
pub enum DiffError {
    /// A side could not be inspected (no such path, an unreadable file or index).
    #[error(transparent)]
    Inspect(#[from] InspectError),
    /// A weights file of a folder could not be read.
    #[error("{}: {error}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        error: String,
    },
    /// Tensor data could not be read for the per-tensor digests.
    #[error(transparent)]
    Fingerprint(#[from] FingerprintError),
    /// The size of a change could not be measured (the device, or reading the data).
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// A side's config.json could not be read.
    #[error("{}: {source}", path.display())]
    Config {
        /// The config.json.
        path: PathBuf,
        /// Why.
        source: crate::json::JsonFileError,
    },
    /// A release's files could not be listed or hashed (file-level diff).
    #[error("{0}")]
    Files(String),
    /// The same tensor name in two files of one side.
    #[error("tensor {name:?} appears twice in {}", side.display())]
    Duplicate {
        /// The tensor name.
        name: String,
        /// The side's path.
        side: PathBuf,
    },
}

/// How to diff.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Measure each content change (max abs difference, relative L2) on this device.
    pub stats: Option<StatsOptions>,
    /// Side a was read header-only (a remote source): the SHA-256 (hex) of each of its files
    /// where known, by path. Its tensors' contents are then compared by whole-file digest.
    pub headers_only_a: Option<BTreeMap<PathBuf, String>>,
    /// The same for side b.
    pub headers_only_b: Option<BTreeMap<PathBuf, String>>,
}

/// Whole-file SHA-256 digests of one side, for comparing header-only sides: the known ones of
/// a remote side, computed (once per file) for a local side.
struct FileDigests<'a> {
    known: Option<&'a BTreeMap<PathBuf, String>>,
    computed: BTreeMap<PathBuf, Result<String, String>>,
}

impl FileDigests<'_> {
    fn of(&mut self, path: &Path) -> Result<String, String> {
        if let Some(known) = self.known {
            return known.get(path).cloned().ok_or_else(|| {
                format!(
                    "{} has no SHA-256 on the Hub (not an LFS file) and its tensor data is not read remotely",
                    path.display()
                )
            });
        }
        self.computed
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                crate::digest::sha256_file(path)
                    .map(|d| d.sha256.to_hex())
                    .map_err(|e| e.to_string())
            })
            .clone()
    }
}

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The path as given.
    pub path: PathBuf,
    pub(crate) kind: InputKind,
    /// Its weights files.
    pub files: Vec<PathBuf>,
    /// Tensors on this side.
    pub tensor_count: usize,
}

/// A tensor whose dtype differs (shape and contents are then not compared).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DtypeChange {
    /// The tensor name.
    pub name: String,
    /// Its dtype in `a`.
    pub a: String,
    /// Its dtype in `b`.
    pub b: String,
}

/// A tensor whose shape differs (contents are then not compared).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShapeChange {
    /// The tensor name.
    pub name: String,
    /// Its shape in `a`.
    pub a: Vec<u64>,
    /// Its shape in `b`.
    pub b: Vec<u64>,
}

/// A tensor with the same dtype and shape whose bytes differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentChange {
    /// The tensor name.
    pub name: String,
    /// Its dtype.
    pub dtype: String,
    /// Its shape.
    pub shape: Vec<u64>,
    /// With `--stats`: how big the change is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<ChangeSize>,
    /// With `--stats`: why the size could not be measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_not_supported: Option<String>,
}

/// A tensor on both sides whose bytes could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotCompared {
    /// The tensor name.
    pub name: String,
    /// Why its bytes could not be read.
    pub reason: String,
}

/// How the tensors of the two sides compare, by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TensorDiff {
    /// Names only in `a`.
    pub only_a: Vec<String>,
    /// Names only in `b`.
    pub only_b: Vec<String>,
    /// Tensors whose dtype differs.
    pub dtype_changed: Vec<DtypeChange>,
    /// Tensors whose shape differs.
    pub shape_changed: Vec<ShapeChange>,
    /// Tensors whose bytes differ.
    pub content_changed: Vec<ContentChange>,
    /// Tensors in both whose bytes could not be read (their equality is unknown).
    pub not_compared: Vec<NotCompared>,
    /// Tensors in both with the same dtype, shape and bytes.
    pub unchanged: usize,
}

/// The whole comparison of `a` with `b`.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub(crate) schema: &'static str,
    /// The first model.
    pub a: Side,
    /// The second model.
    pub b: Side,
    /// Whether nothing differs: tensors, config.json and metadata. False also when some tensor
    /// could not be compared.
    pub identical: bool,
    /// Whether something was found to differ.
    pub differs: bool,
    /// How the tensors compare.
    pub tensors: TensorDiff,
    /// Differences in config.json (flattened to dotted keys); null when neither side has one.
    pub config: Option<KeyDiff>,
    /// Differences in the weights files' own metadata (safetensors `__metadata__`, GGUF keys).
    pub metadata: KeyDiff,
}

/// One side, loaded.
struct Loaded {
    side: Side,
    model: ModelFiles,
    /// name -> (file index, tensor)
    tensors: BTreeMap<String, (usize, TensorInfo)>,
}

fn load(path: &Path) -> Result<Loaded, DiffError> {
    let model = inspect::model_files(path, InspectOptions::default())?;
    if let Some(e) = model.errors.first() {
        return Err(DiffError::Unreadable {
            path: e.path.clone(),
            error: e.error.clone(),
        });
    }
    let mut tensors = BTreeMap::new();
    for (i, f) in model.files.iter().enumerate() {
        for t in &f.parsed.tensors {
            if tensors.insert(t.name.clone(), (i, t.clone())).is_some() {
                return Err(DiffError::Duplicate {
                    name: t.name.clone(),
                    side: path.to_path_buf(),
                });
            }
        }
    }
    let side = Side {
        path: path.to_path_buf(),
        kind: model.kind,
        files: model.files.iter().map(|f| f.path.clone()).collect(),
        tensor_count: tensors.len(),
    };
    Ok(Loaded {
        side,
        model,
        tensors,
    })
}

/// Compare two models.
pub fn diff(a: &Path, b: &Path, opts: &DiffOptions) -> Result<DiffReport, DiffError> {
    diff_with(a, b, opts, &NoProgress)
}

/// [`diff`], reporting the bytes hashed to `progress`.
pub fn diff_with(
    a: &Path,
    b: &Path,
    opts: &DiffOptions,
    progress: &dyn Progress,
) -> Result<DiffReport, DiffError> {
    let device = match &opts.stats {
        Some(s) => Some(s.device.open().map_err(StatsError::from)?),
        None => None,
    };
    let (a, b) = (load(a)?, load(b)?);
    let headers_only = opts.headers_only_a.is_some() || opts.headers_only_b.is_some();
    let (digests_a, digests_b) = if headers_only {
        (BTreeMap::new(), BTreeMap::new())
    } else {
        let refs_a: Vec<&WeightsFile> = a.model.files.iter().collect();
        let refs_b: Vec<&WeightsFile> = b.model.files.iter().collect();
        progress.start(fingerprint::data_bytes(&refs_a) + fingerprint::data_bytes(&refs_b));
        let digests_a = by_name(fingerprint::digests_each(&refs_a, progress)?, &a);
        let digests_b = by_name(fingerprint::digests_each(&refs_b, progress)?, &b);
        progress.finish();
        (digests_a, digests_b)
    };
    let mut files_a = FileDigests {
        known: opts.headers_only_a.as_ref(),
        computed: BTreeMap::new(),
    };
    let mut files_b = FileDigests {
        known: opts.headers_only_b.as_ref(),
        computed: BTreeMap::new(),
    };

    let mut t = TensorDiff::default();
    for (name, (fa, ta)) in &a.tensors {
        let Some((fb, tb)) = b.tensors.get(name) else {
            t.only_a.push(name.clone());
            continue;
        };
        if ta.dtype != tb.dtype {
            t.dtype_changed.push(DtypeChange {
                name: name.clone(),
                a: ta.dtype.name(),
                b: tb.dtype.name(),
            });
            continue;
        }
        if ta.shape != tb.shape {
            t.shape_changed.push(ShapeChange {
                name: name.clone(),
                a: ta.shape.clone(),
                b: tb.shape.clone(),
            });
            continue;
        }
        if headers_only {
            let pa = &a.model.files[*fa].path;
            let pb = &b.model.files[*fb].path;
            match (files_a.of(pa), files_b.of(pb)) {
                (Ok(da), Ok(db)) if da == db => t.unchanged += 1,
                (Ok(_), Ok(_)) => t.not_compared.push(NotCompared {
                    name: name.clone(),
                    reason: "its files' SHA-256 differ and a remote side's tensor data is not read, so this tensor may or may not differ".into(),
                }),
                (Err(reason), _) | (_, Err(reason)) => t.not_compared.push(NotCompared {
                    name: name.clone(),
                    reason,
                }),
            }
            continue;
        }
        let (da, db) = (&digests_a[name], &digests_b[name]);
        let (da, db) = match (da, db) {
            (Ok(da), Ok(db)) => (da, db),
            (Err(e), _) | (_, Err(e)) => {
                t.not_compared.push(NotCompared {
                    name: name.clone(),
                    reason: e.clone(),
                });
                continue;
            }
        };
        if da.digest == db.digest {
            t.unchanged += 1;
            continue;
        }
        let mut change = ContentChange {
            name: name.clone(),
            dtype: ta.dtype.name(),
            shape: ta.shape.clone(),
            size: None,
            size_not_supported: None,
        };
        if let (Some(device), Some(s)) = (&device, &opts.stats) {
            let (wa, wb) = (&a.model.files[*fa], &b.model.files[*fb]);
            match measure(wa, ta, wb, tb, device, s.chunk_elements)? {
                Ok(size) => change.size = Some(size),
                Err(why) => change.size_not_supported = Some(why),
            }
        }
        t.content_changed.push(change);
    }
    t.only_b = b
        .tensors
        .keys()
        .filter(|n| !a.tensors.contains_key(*n))
        .cloned()
        .collect();

    let config = match (&a.model.config, &b.model.config) {
        (None, None) => None,
        (ca, cb) => Some(keys::compare(&read_config(ca)?, &read_config(cb)?)),
    };
    let metadata = keys::compare(&metadata(&a.model.files), &metadata(&b.model.files));
    let differs = !(t.only_a.is_empty()
        && t.only_b.is_empty()
        && t.dtype_changed.is_empty()
        && t.shape_changed.is_empty()
        && t.content_changed.is_empty()
        && config.as_ref().is_none_or(KeyDiff::is_empty)
        && metadata.is_empty());
    Ok(DiffReport {
        schema: SCHEMA,
        identical: !differs && t.not_compared.is_empty(),
        differs,
        a: a.side,
        b: b.side,
        tensors: t,
        config,
        metadata,
    })
}

fn by_name(
    digests: Vec<Result<TensorDigest, crate::tensor_data::DataError>>,
    side: &Loaded,
) -> BTreeMap<String, Result<TensorDigest, String>> {
    let names = side
        .model
        .files
        .iter()
        .flat_map(|f| f.parsed.tensors.iter().map(|t| t.name.clone()));
    names
        .zip(digests)
        .map(|(n, d)| (n, d.map_err(|e| e.to_string())))
        .collect()
}

type Measured = Result<Result<ChangeSize, String>, DiffError>;

/// The size of the change of one tensor; the inner error says why it cannot be measured.
fn measure(
    wa: &WeightsFile,
    ta: &TensorInfo,
    wb: &WeightsFile,
    tb: &TensorInfo,
    device: &candle_core::Device,
    chunk_elements: u64,
) -> Measured {
    let map = |w: &WeightsFile| {
        crate::mmap::Mapped::open(&w.path).map_err(|source| StatsError::Io {
            path: w.path.clone(),
            source,
        })
    };
    let (ma, mb) = (map(wa)?, map(wb)?);
    let (ra, rb) = match (stats::readable(wa, &ma, ta), stats::readable(wb, &mb, tb)) {
        (Ok(ra), Ok(rb)) => (ra, rb),
        (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
    };
    numeric::change_size(&ra.bytes, &rb.bytes, &ra.decoding, device, chunk_elements)
        .map(Ok)
        .map_err(|e| {
            DiffError::Stats(StatsError::Compute {
                path: wa.path.clone(),
                tensor: ta.name.clone(),
                message: crate::decode::candle_message(&e),
            })
        })
}

fn read_config(path: &Option<PathBuf>) -> Result<BTreeMap<String, Value>, DiffError> {
    let Some(path) = path else {
        return Ok(BTreeMap::new());
    };
    let err = |source| DiffError::Config {
        path: path.clone(),
        source,
    };
    let bytes = crate::json::read_capped(path).map_err(err)?;
    let v: Value = crate::json::parse(&bytes).map_err(err)?;
    Ok(keys::flatten(&v))
}

/// The files' own metadata as JSON values; the first file's value wins for a repeated key
/// (shards repeat the same `__metadata__`).
fn metadata(files: &[WeightsFile]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for f in files {
        for (k, v) in &f.parsed.metadata {
            out.entry(k.clone())
                .or_insert_with(|| serde_json::to_value(v).unwrap_or(Value::Null));
        }
    }
    out
}

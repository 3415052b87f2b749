//! The parts of `inspect` that read tensor data (`--stats`, `--fingerprint`), and the model's
//! weights files for other commands (`diff`).

use super::report::FileError;
use super::{InputKind, InspectError, InspectOptions, gather, is_adapter_file, primary_set};
use crate::fingerprint::{self, FingerprintReport};
use crate::progress::{NoProgress, Progress};
use crate::stats::{self, FileStats, StatsOptions};
use crate::weights::WeightsFile;
use std::path::{Path, PathBuf};

/// What tensor data to read while inspecting.
#[derive(Clone, Copy)]
pub struct DataOptions<'a> {
    /// Compute value statistics of every tensor (`--stats`), with these options.
    pub stats: Option<StatsOptions>,
    /// Compute the weights fingerprint (`--fingerprint`).
    pub fingerprint: bool,
    /// Told how many bytes of tensor data are read as they are.
    pub progress: &'a dyn Progress,
}

impl Default for DataOptions<'_> {
    fn default() -> Self {
        DataOptions {
            stats: None,
            fingerprint: false,
            progress: &NoProgress,
        }
    }
}

/// Statistics per file (same order as `weights`) and the fingerprint of `counted`. Failures are
/// recorded in `errors` so the rest of the report survives.
pub(super) fn read_data(
    weights: &[WeightsFile],
    counted: &[&WeightsFile],
    opts: InspectOptions,
    data: &DataOptions,
    errors: &mut Vec<FileError>,
) -> (Vec<Option<FileStats>>, Option<FingerprintReport>) {
    if data.stats.is_none() && !data.fingerprint {
        return (Vec::new(), None);
    }
    let mut total = 0;
    if data.stats.is_some() {
        total += weights.iter().map(stats::data_bytes).sum::<u64>();
    }
    if data.fingerprint {
        total += fingerprint::data_bytes(counted);
    }
    data.progress.start(total);
    let mut per_file = Vec::with_capacity(weights.len());
    if let Some(stats_opts) = &data.stats {
        for w in weights {
            match stats::file_stats(w, stats_opts, data.progress) {
                Ok(s) => per_file.push(Some(s)),
                Err(e) => {
                    errors.push(FileError {
                        path: w.path.clone(),
                        error: format!("statistics: {e}"),
                    });
                    per_file.push(None);
                }
            }
        }
    }
    let fp = data.fingerprint.then(|| {
        fingerprint::of_files_with(counted, data.progress)
            .map_err(|e| {
                errors.push(FileError {
                    path: counted.first().map(|w| w.path.clone()).unwrap_or_default(),
                    error: format!("fingerprint: {e}"),
                })
            })
            .ok()
            .map(|f| f.report(opts.tensors))
    });
    data.progress.finish();
    (per_file, fp.flatten())
}

/// The weights of a model as `inspect` sees them: the files whose parameters it counts (one
/// format's files, no adapters), and its config.json when the input is a folder.
pub struct ModelFiles {
    pub(crate) kind: InputKind,
    pub(crate) files: Vec<WeightsFile>,
    pub(crate) config: Option<PathBuf>,
    /// Files in a folder that could not be read.
    pub(crate) errors: Vec<FileError>,
}

/// Read the model weights of a file, sharded index or folder.
pub fn model_files(path: &Path, opts: InspectOptions) -> Result<ModelFiles, InspectError> {
    let (mut acc, kind) = gather(path, opts)?;
    let weights = std::mem::take(&mut acc.weights);
    let model: Vec<&WeightsFile> = weights.iter().filter(|w| !is_adapter_file(w)).collect();
    let files = primary_set(&model).into_iter().cloned().collect();
    Ok(ModelFiles {
        kind,
        files,
        config: acc.config_path.take(),
        errors: acc.errors,
    })
}

//! `inspect --stats`: per-tensor and per-file statistics of weight values (min, max, mean, std,
//! NaN and ±inf counts, share of zeros), computed with candle on the chosen device.
//!
//! Tensors are read in chunks of at most `limits::STATS_CHUNK_ELEMENTS` elements straight from
//! the memory map, each chunk reduced on the device to `Moments` and the chunks merged in f64,
//! so memory stays flat whatever the tensor's size. Chunks run on several worker threads on the
//! CPU. Tensors whose values openseal cannot read are reported as not supported, with the reason.

pub(crate) mod chunk;
mod fused;
mod moments;

pub(crate) use moments::Moments;
pub use moments::TensorStats;

use crate::decode::{self, Decoding};
use crate::device::{Device, DeviceError};
use crate::progress::Progress;
use crate::tensor_data::{self, TensorBytes};
use crate::weights::{Format, TensorInfo, WeightsFile};
use serde::Serialize;
use std::path::PathBuf;
use thiserror::Error;

/// How to compute statistics.
#[derive(Debug, Clone, Copy)]
pub struct StatsOptions {
    /// Where the arithmetic runs.
    pub device: Device,
    /// Most elements reduced at a time (a test knob; the default is the cap in `limits`).
    pub chunk_elements: u64,
}

impl Default for StatsOptions {
    fn default() -> Self {
        StatsOptions {
            device: Device::Cpu,
            chunk_elements: crate::limits::STATS_CHUNK_ELEMENTS,
        }
    }
}

/// Statistics of one tensor, or why there are none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TensorStatsEntry {
    /// The tensor name.
    pub name: String,
    /// Its dtype's name.
    pub dtype: String,
    /// Its statistics, when its values could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<TensorStats>,
    /// Why the tensor's values could not be read (unsupported dtype, compressed data, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_supported: Option<String>,
}

/// Statistics of a file: every tensor, and the values of all supported tensors together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileStats {
    /// The device they were computed on (`cpu`, `cuda:0`).
    pub device: String,
    /// The values of all supported tensors together.
    pub summary: TensorStats,
    /// Tensors whose values were read.
    pub supported: usize,
    /// Tensors whose values could not be read.
    pub not_supported: usize,
    /// Every tensor, in file order.
    pub tensors: Vec<TensorStatsEntry>,
}

/// Why statistics could not be computed.
#[derive(Debug, Error)]
pub enum StatsError {
    /// The device could not be opened.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// The weights file could not be memory-mapped.
    #[error("{}: cannot map: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The tensor arithmetic failed on the device.
    #[error("{}: tensor {tensor:?}: {message}", path.display())]
    Compute {
        /// The file.
        path: PathBuf,
        /// The tensor name.
        tensor: String,
        /// candle's message.
        message: String,
    },
}

/// A tensor ready to read: where its bytes are and how to decode them.
pub(crate) struct Readable<'a> {
    pub bytes: TensorBytes<'a>,
    pub decoding: Decoding,
}

/// Locate `t` in `map` and pick its decoding, or say why its values cannot be read.
pub(crate) fn readable<'a>(
    file: &WeightsFile,
    map: &'a [u8],
    t: &TensorInfo,
) -> Result<Readable<'a>, String> {
    let decoding = decode::decoding(&t.dtype)?;
    let order = tensor_data::byte_order(file, t);
    if file.parsed.format == Format::Gguf && order == tensor_data::ByteOrder::Big {
        return Err("big-endian GGUF data is not supported".to_string());
    }
    let bytes = tensor_data::locate(map, t, order).map_err(|e| e.to_string())?;
    Ok(Readable { bytes, decoding })
}

/// Bytes per piece so that a piece holds at most `elements` elements in whole units.
pub(crate) fn piece_bytes(d: &Decoding, elements: u64) -> u64 {
    (elements / d.unit_elems).max(1) * d.unit_bytes
}

/// Total bytes of tensor data `file_stats` will read (for progress bars).
pub(crate) fn data_bytes(file: &WeightsFile) -> u64 {
    file.parsed.tensors.iter().filter_map(|t| t.nbytes).sum()
}

/// Statistics of every tensor of `file`.
pub fn file_stats(
    file: &WeightsFile,
    opts: &StatsOptions,
    progress: &dyn Progress,
) -> Result<FileStats, StatsError> {
    let device = opts.device.open()?;
    let map = crate::mmap::Mapped::open(&file.path).map_err(|source| StatsError::Io {
        path: file.path.clone(),
        source,
    })?;
    let tensors = &file.parsed.tensors;
    let located: Vec<Result<Readable, String>> =
        tensors.iter().map(|t| readable(file, &map, t)).collect();
    // One job per piece of every readable tensor, so big and small tensors share the workers.
    let mut jobs: Vec<(usize, u64, u64)> = Vec::new();
    for (i, r) in located.iter().enumerate() {
        if let Ok(r) = r {
            let step = piece_bytes(&r.decoding, opts.chunk_elements.min(u32::MAX as u64));
            jobs.extend(
                r.bytes
                    .pieces(r.decoding.unit_bytes, step)
                    .into_iter()
                    .map(|(from, len)| (i, from, len)),
            );
        }
    }
    let threads = match opts.device {
        Device::Cpu => crate::parallel::workers(jobs.len()),
        // One stream of work keeps the GPU busy; candle's CUDA ops are asynchronous.
        Device::Cuda(_) => 1,
    };
    let partials = crate::parallel::map(jobs.len(), threads, |j| {
        let (i, from, len) = jobs[j];
        let Ok(r) = &located[i] else {
            return Ok::<_, StatsError>(Moments::default());
        };
        let piece = r.bytes.read(from, len);
        let m = decode::to_tensor(&piece, &r.decoding, &device)
            .and_then(|t| chunk::reduce(&t))
            .map_err(|e| StatsError::Compute {
                path: file.path.clone(),
                tensor: tensors[i].name.clone(),
                message: decode::candle_message(&e),
            })?;
        progress.advance(len);
        Ok(m)
    })?;
    let mut per_tensor = vec![Moments::default(); tensors.len()];
    for (&(i, _, _), m) in jobs.iter().zip(&partials) {
        per_tensor[i].merge(m);
    }
    let mut summary = Moments::default();
    let mut entries = Vec::with_capacity(tensors.len());
    for ((t, r), m) in tensors.iter().zip(&located).zip(&per_tensor) {
        let (stats, not_supported) = match r {
            Ok(_) => {
                summary.merge(m);
                (Some(m.stats()), None)
            }
            Err(why) => (None, Some(why.clone())),
        };
        entries.push(TensorStatsEntry {
            name: t.name.clone(),
            dtype: t.dtype.name(),
            stats,
            not_supported,
        });
    }
    let supported = located.iter().filter(|r| r.is_ok()).count();
    Ok(FileStats {
        device: opts.device.to_string(),
        summary: summary.stats(),
        supported,
        not_supported: tensors.len() - supported,
        tensors: entries,
    })
}

#[cfg(test)]
mod tests;

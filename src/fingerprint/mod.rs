//! The weights fingerprint: one SHA-256 per tensor over its canonical form (name, dtype name,
//! row-major shape, bytes in row-major contiguous little-endian order), and a root hash over the
//! tensor digests sorted by name. The same weights give the same fingerprint whatever the
//! layout: one file or shards, any tensor order, safetensors, GGUF or a PyTorch zip (for dtypes
//! they share). The byte encoding is specified in `formats/fingerprint.md`.
//!
//! Bytes are streamed from the memory map in pieces of at most `limits::DATA_CHUNK_BYTES`;
//! tensors are hashed on several threads.

mod encoding;
pub(crate) use encoding::{root, tensor_hasher};

use crate::progress::{NoProgress, Progress};
pub use crate::tensor_data::DataError;

use crate::tensor_data;
use crate::weights::WeightsFile;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use thiserror::Error;

/// The digest of one tensor's canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TensorDigest {
    pub(crate) name: String,
    pub(crate) dtype: String,
    pub(crate) shape: Vec<u64>,
    pub(crate) digest: [u8; 32],
}

/// The fingerprint of a set of weights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub(crate) root: [u8; 32],
    /// Every tensor's digest, sorted by name (byte order).
    pub(crate) tensors: Vec<TensorDigest>,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Fingerprint {
    /// `sha256:<hex>` of the root.
    pub(crate) fn root_hex(&self) -> String {
        format!("sha256:{}", hex(&self.root))
    }

    /// The JSON form used in reports: the root, and per-tensor digests when asked for.
    pub(crate) fn report(&self, with_tensors: bool) -> FingerprintReport {
        FingerprintReport {
            algorithm: "openseal.weights/v1 (sha256)",
            root: self.root_hex(),
            tensor_count: self.tensors.len(),
            tensors: with_tensors.then(|| {
                self.tensors
                    .iter()
                    .map(|t| (t.name.clone(), format!("sha256:{}", hex(&t.digest))))
                    .collect()
            }),
        }
    }
}

/// A fingerprint as reports show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FingerprintReport {
    /// The algorithm and its version (`openseal.weights/v1 (sha256)`).
    pub algorithm: &'static str,
    /// The root hash, `sha256:<hex>`.
    pub root: String,
    /// Tensors hashed.
    pub tensor_count: usize,
    /// Each tensor's digest (`sha256:<hex>`) by name, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tensors: Option<BTreeMap<String, String>>,
}

/// Why a fingerprint could not be computed.
#[derive(Debug, Error)]
pub enum FingerprintError {
    /// A weights file could not be memory-mapped.
    #[error("{}: cannot map: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The same tensor name in two files.
    #[error(
        "tensor {name:?} is in two files ({} and {}): a fingerprint needs unique names",
        first.display(),
        second.display()
    )]
    DuplicateTensor {
        /// The tensor name.
        name: String,
        /// The first file that holds it.
        first: PathBuf,
        /// The second.
        second: PathBuf,
    },
    /// A weights file could not be read.
    #[error(transparent)]
    Open(#[from] Box<crate::weights::Error>),
    /// A tensor's bytes could not be read in canonical form.
    #[error("{}: tensor {tensor:?}: {reason}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The tensor name.
        tensor: String,
        /// Why.
        reason: DataError,
    },
}

/// The fingerprint root (`sha256:<hex>`) of the weights files at `paths` (one model, possibly
/// sharded); `None` when there are none.
pub(crate) fn root_of_paths(paths: &[PathBuf]) -> Result<Option<String>, FingerprintError> {
    if paths.is_empty() {
        return Ok(None);
    }
    let files = paths
        .iter()
        .map(|p| crate::weights::open(p, Default::default()).map_err(Box::new))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(of_files(&files)?.root_hex()))
}

/// Bytes of tensor data a fingerprint of `files` reads (for progress bars).
pub(crate) fn data_bytes(files: &[&WeightsFile]) -> u64 {
    files.iter().map(|f| crate::stats::data_bytes(f)).sum()
}

/// The fingerprint of the tensors of `files` (one model, possibly sharded).
pub fn of_files(files: &[WeightsFile]) -> Result<Fingerprint, FingerprintError> {
    let refs: Vec<&WeightsFile> = files.iter().collect();
    of_files_with(&refs, &NoProgress)
}

/// [`of_files`] over borrowed files, reporting progress.
pub(crate) fn of_files_with(
    files: &[&WeightsFile],
    progress: &dyn Progress,
) -> Result<Fingerprint, FingerprintError> {
    let mut tensors = digests(files, progress)?;
    tensors.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    if let Some(w) = tensors.windows(2).find(|w| w[0].name == w[1].name) {
        let owner = |name: &str, skip: usize| {
            files
                .iter()
                .filter(|f| f.parsed.tensors.iter().any(|t| t.name == name))
                .nth(skip)
                .map(|f| f.path.clone())
                .unwrap_or_default()
        };
        return Err(FingerprintError::DuplicateTensor {
            name: w[0].name.clone(),
            first: owner(&w[0].name, 0),
            second: owner(&w[0].name, 1),
        });
    }
    Ok(Fingerprint {
        root: encoding::root(&tensors),
        tensors,
    })
}

/// The digest of every tensor of `files`, in file order.
pub(crate) fn digests(
    files: &[&WeightsFile],
    progress: &dyn Progress,
) -> Result<Vec<TensorDigest>, FingerprintError> {
    let each = digests_each(files, progress)?;
    let mut out = Vec::with_capacity(each.len());
    let owners = files
        .iter()
        .flat_map(|f| f.parsed.tensors.iter().map(move |t| (*f, t)));
    for (d, (file, info)) in each.into_iter().zip(owners) {
        out.push(d.map_err(|reason| FingerprintError::Unreadable {
            path: file.path.clone(),
            tensor: info.name.clone(),
            reason,
        })?);
    }
    Ok(out)
}

/// The digest of every tensor of `files` in file order, or why that tensor cannot be read.
pub(crate) fn digests_each(
    files: &[&WeightsFile],
    progress: &dyn Progress,
) -> Result<Vec<Result<TensorDigest, DataError>>, FingerprintError> {
    let maps = files
        .iter()
        .map(|f| {
            crate::mmap::Mapped::open(&f.path).map_err(|source| FingerprintError::Io {
                path: f.path.clone(),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let jobs: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(f, file)| (0..file.parsed.tensors.len()).map(move |t| (f, t)))
        .collect();
    let threads = crate::parallel::workers(jobs.len());
    crate::parallel::map(jobs.len(), threads, |j| {
        let (f, t) = jobs[j];
        let (file, info) = (files[f], &files[f].parsed.tensors[t]);
        let order = tensor_data::byte_order(file, info);
        Ok::<_, FingerprintError>(tensor_data::locate(&maps[f], info, order).map(|bytes| {
            TensorDigest {
                name: info.name.clone(),
                dtype: info.dtype.name(),
                shape: info.shape.clone(),
                digest: encoding::tensor(info, &bytes, progress),
            }
        }))
    })
}

#[cfg(test)]
mod tests;

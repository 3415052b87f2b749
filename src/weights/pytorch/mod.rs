//! PyTorch checkpoints: `torch.save` zip archives, TorchScript archives, the legacy (pre-1.6)
//! format and bare pickles. Tensors are found by running the symbolic pickle VM over the
//! archive's pickles; their bytes are never read.

pub mod archive;
mod bare;
mod checkpoint;
pub mod dtypes;
mod error;
mod legacy;
pub mod locate;
pub mod tensors;

pub use archive::ArchiveError;
pub use bare::parse_pickle;
pub use checkpoint::parse_zip;
pub use error::PytorchError;
pub use legacy::{is_legacy, parse_legacy};

/// Whether `bytes` plausibly start with a pickle.
pub fn looks_like_pickle(bytes: &[u8]) -> bool {
    crate::weights::pickle::looks_like_pickle(bytes)
}

/// What a zip archive holds, judged from its entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipKind {
    /// `torch.save`: `<prefix>/data.pkl` and `<prefix>/data/<key>`.
    Pytorch,
    /// `torch.jit.save`: also `code/` and `constants.pkl`.
    Torchscript,
    /// NumPy `savez`: only `.npy` entries.
    Npz,
    Other,
}

/// The kind of zip archive `bytes` is, or `None` when it is not a readable zip archive.
pub fn zip_kind(bytes: &[u8]) -> Option<ZipKind> {
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        return None;
    }
    let a = archive::Archive::open(bytes).ok()?;
    let names: Vec<&str> = a.entries.iter().map(|e| e.name.as_str()).collect();
    let top_level = |n: &str, file: &str| {
        n == file
            || n.strip_suffix(file)
                .is_some_and(|p| p.ends_with('/') && p.matches('/').count() == 1)
    };
    if names.iter().any(|n| top_level(n, "data.pkl")) {
        let ts = names.iter().any(|n| {
            top_level(n, "constants.pkl") || n.contains("/code/") || n.starts_with("code/")
        });
        return Some(if ts {
            ZipKind::Torchscript
        } else {
            ZipKind::Pytorch
        });
    }
    if !names.is_empty() && names.iter().all(|n| n.ends_with(".npy")) {
        return Some(ZipKind::Npz);
    }
    Some(ZipKind::Other)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_support;

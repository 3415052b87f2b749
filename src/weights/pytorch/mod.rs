//! PyTorch checkpoints: `torch.save` zip archives, TorchScript archives, the legacy (pre-1.6)
//! format and bare pickles. Tensors are found by running the symbolic pickle VM over the
//! archive's pickles; their bytes are never read.

mod bare;
mod checkpoint;
mod dtypes;
mod error;
mod legacy;
mod locate;
pub(crate) mod tensors;

pub use bare::parse_pickle;
pub use checkpoint::parse_zip;
pub use error::PytorchError;
pub(crate) use legacy::is_legacy;
pub use legacy::parse_legacy;

/// Whether `bytes` plausibly start with a pickle.
pub(crate) fn looks_like_pickle(bytes: &[u8]) -> bool {
    crate::weights::pickle::looks_like_pickle(bytes)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_support;

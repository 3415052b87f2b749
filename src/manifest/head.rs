//! A bundle's manifest, read from its head without checking the signature (that is verify's
//! business): for commands that describe a bundle rather than vouch for it.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{Manifest, ManifestError};
use crate::bundle::{self, Head, ReadError};

/// Why a bundle's manifest could not be read.
#[derive(Debug, Error)]
pub enum BundleManifestError {
    /// The bundle's head (manifest and signature entries) could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The bundle.
        path: PathBuf,
        /// Why.
        source: ReadError,
    },
    /// The manifest entry is not a valid manifest.
    #[error("{}: {source}", path.display())]
    Manifest {
        /// The bundle.
        path: PathBuf,
        /// Why.
        source: ManifestError,
    },
}

/// The parsed manifest of the bundle at `path`, and its head as stored (manifest bytes and the
/// signature envelope, unchecked).
pub fn read_bundle_manifest(path: &Path) -> Result<(Manifest, Head), BundleManifestError> {
    let (head, _) = bundle::read_head(path).map_err(|source| BundleManifestError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let manifest =
        Manifest::from_bytes(&head.manifest).map_err(|source| BundleManifestError::Manifest {
            path: path.to_path_buf(),
            source,
        })?;
    Ok((manifest, head))
}

//! Every bundle carries `bom.cdx.json`, the CycloneDX 1.6 bill of materials of the release (the
//! same document `openseal bom` writes for the folder, less this file and `model.sig`). It is a
//! release file with the role `bom`, so the manifest's signature covers it, and an ECDSA pack's
//! `model.sig` lists it too.

use std::path::Path;

use super::generated::{self, Generated};
use crate::bom::{self, BomFormat, BomInput, BomOptions, Timestamp};
use crate::classify::FrameworkResult;
use crate::manifest::{FolderContents, WeightsSummary};
use crate::release::Release;

/// Where the BOM goes in the release.
pub(crate) const PATH: &str = "bom.cdx.json";
/// Its manifest role.
pub(crate) const ROLE: &str = "bom";

/// Why the BOM could not be added.
#[derive(Debug, thiserror::Error)]
pub enum BomFileError {
    /// The BOM could not be built.
    #[error(transparent)]
    Bom(#[from] bom::BomError),
    /// Its temporary file could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The temporary file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Adds the CycloneDX BOM of `release` to `contents` unless the release has its own file by that
/// name (then `None`, and it is packed as it is). `results` are the shown frameworks' results;
/// `mtime` is the bundle's entry time, so the BOM is as reproducible as the bundle.
pub(crate) fn add(
    contents: &mut FolderContents,
    release: &Release,
    results: &[FrameworkResult],
    weights: &[WeightsSummary],
    mtime: u64,
    out: &Path,
) -> Result<Option<Generated>, BomFileError> {
    if generated::exists(contents, PATH) {
        return Ok(None);
    }
    let input = BomInput {
        name: &release.name,
        version: &release.version,
        producer: release.producer.as_deref().filter(|p| !p.is_empty()),
        results,
        files: &contents.files,
        weights,
        components: &release.components,
    };
    let created = Timestamp::from_unix(i64::try_from(mtime).unwrap_or(i64::MAX))?;
    let text = bom::render(
        &input,
        &BomOptions {
            format: BomFormat::CycloneDx,
            created,
            download_location: None,
        },
    )?;
    let guard = generated::add(contents, PATH, ROLE, text.as_bytes(), out)
        .map_err(|(path, source)| BomFileError::Io { path, source })?;
    Ok(Some(guard))
}

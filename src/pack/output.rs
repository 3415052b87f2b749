//! `openseal pack --json`: what was packed, as one typed object (`formats/pack.schema.json`).

use std::path::Path;

use serde::Serialize;

use super::Packed;
use crate::manifest::{Declaration, Identity};

/// The schema name of [`PackOutput`].
pub const SCHEMA: &str = "openseal.pack/v1";

/// The JSON summary of a finished pack.
#[derive(Debug, Clone, Serialize)]
pub struct PackOutput<'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Where the bundle was written.
    pub bundle: &'a Path,
    /// Size of the `.tar.zst` file, in bytes.
    pub compressed_bytes: u64,
    /// Size of the tar inside, in bytes.
    pub tar_bytes: u64,
    /// Release files in the bundle (manifest and signature not counted).
    pub files: u64,
    /// The zstd compression level used.
    pub zstd_level: i32,
    /// The zstd library version that compressed it (part of what makes a bundle reproducible).
    pub zstd_version: &'a str,
    /// Key id of the key that signed the manifest.
    pub signer_key_id: &'a str,
    /// Files pack added to the release: `bom.cdx.json` (unless `--no-bom`), `model.sig` (for
    /// an ECDSA key).
    pub generated: Vec<&'static str>,
    /// The release's name, version and producer.
    pub release: &'a Identity,
    /// The levels the manifest declares.
    pub declarations: &'a [Declaration],
    /// The final weights' fingerprint (`sha256:<hex>`), when recorded.
    pub fingerprint: Option<&'a str>,
    /// What the producer should know (detection notes, files packed without a summary).
    pub warnings: &'a [String],
}

impl<'a> From<&'a Packed> for PackOutput<'a> {
    fn from(p: &'a Packed) -> Self {
        PackOutput {
            schema: SCHEMA,
            bundle: &p.bundle.path,
            compressed_bytes: p.bundle.compressed_bytes,
            tar_bytes: p.bundle.tar_bytes,
            files: p.bundle.files,
            zstd_level: p.bundle.zstd_level,
            zstd_version: p.bundle.zstd_version,
            signer_key_id: &p.signer_key_id,
            generated: [(p.bom, "bom.cdx.json"), (p.oms_signature, "model.sig")]
                .into_iter()
                .filter_map(|(added, path)| added.then_some(path))
                .collect(),
            release: &p.manifest.release,
            declarations: &p.manifest.declarations,
            fingerprint: p.manifest.fingerprint.as_deref(),
            warnings: &p.warnings,
        }
    }
}

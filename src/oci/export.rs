//! `export --oci-layout`: a bundle verified while its files are written as the blobs of an OCI
//! image layout, all or nothing.
//!
//! The bundle's head is checked as `verify` checks it (a trusted signature, a well-formed
//! manifest, every declared level re-derived from the contents); then each entry streams into
//! its blob while the reader checks its path, size and SHA-256 against the signed manifest. A
//! failed check leaves nothing at the target. The weights fingerprint is not re-derived here
//! (`verify` and `unpack` do that); each layer is the exact file the manifest's digest names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::artifact::Artifact;
use super::layout::{LayoutError, LayoutWriter, check_tag};
use crate::bundle::{self, Counting, ReadError};
use crate::manifest::Manifest;
use crate::progress::Progress;
use crate::release::ExpectedFile;
use crate::verification::{
    CheckedHead, Verification, VerifyError, VerifyOptions, check_head, expected, verification,
};

/// Why a bundle was not exported. Nothing is left at the target when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The bundle did not verify, or could not be read.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// The bundle's head read differently the second time (the file changed meanwhile).
    #[error("{}: the bundle changed while it was being exported", bundle.display())]
    Changed {
        /// The bundle.
        bundle: PathBuf,
    },
    /// The release's version cannot serve as the tag and no tag was given.
    #[error("the release's version {version:?} is not a valid tag ({reason}); give --tag")]
    NoTag {
        /// The release's version.
        version: String,
        /// Why it is not a tag.
        reason: String,
    },
    /// The layout could not be written (the target exists, a bad tag, a write failed).
    #[error(transparent)]
    Layout(#[from] LayoutError),
    /// Writing an entry's blob failed while the bundle streamed.
    #[error("{}: entry {entry}: cannot write its blob: {source}", bundle.display())]
    Write {
        /// The bundle.
        bundle: PathBuf,
        /// The release path of the entry.
        entry: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl ExportError {
    /// True when the bundle was read and a check failed (exit 1); false when input could not
    /// be read or the layout not written (exit 2).
    pub fn is_check_failure(&self) -> bool {
        match self {
            ExportError::Verify(e) => e.is_check_failure(),
            ExportError::Changed { .. } => true,
            ExportError::NoTag { .. } | ExportError::Layout(_) | ExportError::Write { .. } => false,
        }
    }

    /// A stable kebab-case name of the failure for `--json`.
    pub fn kind(&self) -> &'static str {
        match self {
            ExportError::Verify(e) => e.kind(),
            ExportError::Changed { .. } => "changed",
            ExportError::NoTag { .. } => "tag",
            ExportError::Layout(LayoutError::TargetExists { .. }) => "target-exists",
            ExportError::Layout(LayoutError::NoParent { .. }) => "target-parent-missing",
            ExportError::Layout(LayoutError::BadTag { .. }) => "tag",
            ExportError::Layout(LayoutError::Io { .. }) | ExportError::Write { .. } => "io",
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The layout folder.
    pub layout: PathBuf,
    /// The tag of the manifest in `index.json`.
    pub tag: String,
    /// The image manifest's digest, `sha256:<hex>`.
    pub manifest_digest: String,
    /// The image manifest's size in bytes.
    pub manifest_size: u64,
    /// Layers in the manifest (release files, the openseal manifest and its signature).
    pub layers: usize,
    /// Bytes of all layers.
    pub layer_bytes: u64,
    /// What verifying the bundle established.
    pub verification: Verification,
}

/// The tag: the one given, else the release's version.
fn tag_of(given: Option<&str>, manifest: &Manifest) -> Result<String, ExportError> {
    match given {
        Some(t) => {
            check_tag(t)?;
            Ok(t.to_string())
        }
        None => {
            let version = &manifest.release.version;
            check_tag(version).map_err(|e| ExportError::NoTag {
                version: version.clone(),
                reason: match e {
                    LayoutError::BadTag { reason, .. } => reason,
                    other => other.to_string(),
                },
            })?;
            Ok(version.clone())
        }
    }
}

/// A bundle's head, checked as `verify` checks it and read a second time for its exact bytes,
/// with the artifact it maps to and the files its entries must be.
pub(super) struct VerifiedHead {
    /// The checked head.
    pub head: CheckedHead,
    /// The signed manifest and its signature, exactly as the bundle holds them.
    pub raw: bundle::Head,
    /// The entries still to stream.
    pub entries: bundle::FileEntries,
    /// The artifact of the release.
    pub artifact: Artifact,
    /// The files the entries must be.
    pub expected: Vec<ExpectedFile>,
}

/// Checks `bundle`'s head (a trusted signature, a well-formed manifest, every declared level
/// re-derived), then reads it again for its exact bytes and accepts them only if they are
/// signed by a trusted key and are the manifest just checked.
pub(super) fn verified_head(
    bundle: &Path,
    opts: &VerifyOptions,
) -> Result<VerifiedHead, ExportError> {
    let at = || bundle.to_path_buf();
    let (checked_entries, head) = check_head(bundle, opts)?;
    drop(checked_entries);
    let (raw, entries) = bundle::read_head(bundle).map_err(|source| VerifyError::Read {
        bundle: at(),
        source,
    })?;
    crate::signature::verify_manifest(&raw.manifest, &raw.signature, opts.trust.keys(), opts.now)
        .map_err(|source| VerifyError::Signature {
        bundle: at(),
        source,
    })?;
    if Manifest::from_bytes(&raw.manifest).ok().as_ref() != Some(&head.manifest) {
        return Err(ExportError::Changed { bundle: at() });
    }
    let artifact = Artifact::from_manifest(&head.manifest, &raw.manifest, &raw.signature);
    let expected = expected(bundle, &head.manifest)?;
    Ok(VerifiedHead {
        head,
        raw,
        entries,
        artifact,
        expected,
    })
}

/// Verifies `bundle` while writing it as an OCI image layout at `out` (which must not exist),
/// its manifest tagged `tag` (default: the release's version). `progress` counts the release's
/// bytes as they stream.
pub fn export_layout(
    bundle: &Path,
    out: &Path,
    tag: Option<&str>,
    opts: &VerifyOptions,
    progress: &dyn Progress,
) -> Result<Exported, ExportError> {
    if std::fs::symlink_metadata(out).is_ok() {
        return Err(LayoutError::TargetExists {
            path: out.to_path_buf(),
        }
        .into());
    }
    if let Some(t) = tag {
        check_tag(t)?;
    }
    let at = || bundle.to_path_buf();
    let VerifiedHead {
        head,
        raw,
        entries,
        artifact,
        expected,
    } = verified_head(bundle, opts)?;
    let tag = tag_of(tag, &head.manifest)?;
    let digests: BTreeMap<String, String> = head
        .manifest
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .collect();

    let mut layout = LayoutWriter::create(out)?;
    layout.write_blob(&raw.manifest)?;
    layout.write_blob(&raw.signature)?;
    progress.start(expected.iter().map(|f| f.size).sum());
    let mut sink = layout.blob_sink(&digests);
    let summary = entries.verify(&expected, &mut Counting::new(&mut sink, progress));
    progress.finish();
    let summary = summary.map_err(|source| match source {
        ReadError::Sink { path, source } => ExportError::Write {
            bundle: at(),
            entry: path,
            source,
        },
        source => VerifyError::Read {
            bundle: at(),
            source,
        }
        .into(),
    })?;
    sink.commit()?;
    let written = layout.finish(&artifact, &tag)?;
    let layer_bytes = artifact
        .layers()
        .iter()
        .map(|l| l.descriptor.size)
        .fold(0u64, u64::saturating_add);
    Ok(Exported {
        layout: written,
        tag,
        manifest_digest: format!("sha256:{}", artifact.manifest_digest()),
        manifest_size: artifact.manifest_bytes().len() as u64,
        layers: artifact.layers().len(),
        layer_bytes,
        verification: verification(bundle, head, summary),
    })
}

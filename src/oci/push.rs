//! `push`: a bundle, verified as `export` verifies it, uploaded to an OCI registry as the same
//! ModelPack artifact `export` writes (the same manifest bytes, so the same digest).
//!
//! Nothing is uploaded until every entry verified: each entry whose blob the registry lacks is
//! streamed through the bundle reader's checks into a file in a private temporary folder; only
//! then are those blobs uploaded (each digest once), then the config, then the manifest.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::artifact::LayerSource;
use super::export::{ExportError, VerifiedHead, verified_head};
use crate::bundle::{Counting, EntrySink, ReadError};
use crate::limits::REGISTRY_TRANSFERS;
use crate::progress::Progress;
use crate::source::http::HttpOptions;
use crate::source::registry::{Reference, Registry, RegistryError, Target, good_tag};
use crate::verification::{Verification, VerifyError, VerifyOptions, verification};

/// Why a bundle was not pushed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The bundle did not verify, could not be read, or changed while read.
    #[error(transparent)]
    Bundle(#[from] ExportError),
    /// The reference names no tag and the release's version is not one.
    #[error("{reference}: no tag given and the release's version {version:?} is not a valid tag")]
    NoTag {
        /// The reference.
        reference: String,
        /// The release's version.
        version: String,
    },
    /// A request to the registry failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The temporary folder for verified entries could not be made, written or read.
    #[error("{}: {source}", path.display())]
    Temp {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
}

impl PushError {
    /// True when the bundle was read and a check failed (exit 1).
    pub fn is_check_failure(&self) -> bool {
        match self {
            PushError::Bundle(e) => e.is_check_failure(),
            PushError::Registry(e) => e.is_check_failure(),
            PushError::NoTag { .. } | PushError::Temp { .. } => false,
        }
    }

    /// A stable kebab-case name of the failure for `--json`.
    pub fn kind(&self) -> &'static str {
        match self {
            PushError::Bundle(e) => e.kind(),
            PushError::NoTag { .. } => "tag",
            PushError::Registry(e) => e.kind(),
            PushError::Temp { .. } => "io",
        }
    }
}

/// What a push did.
#[derive(Debug, Clone)]
pub struct Pushed {
    /// The reference pushed to, with its tag or digest.
    pub reference: String,
    /// The image manifest's digest, `sha256:<hex>`.
    pub manifest_digest: String,
    /// The image manifest's size in bytes.
    pub manifest_size: u64,
    /// Layers in the manifest.
    pub layers: usize,
    /// Blobs uploaded (layers and config, each digest once).
    pub uploaded: usize,
    /// Bytes uploaded.
    pub uploaded_bytes: u64,
    /// Blobs the registry already had.
    pub skipped: usize,
    /// What verifying the bundle established.
    pub verification: Verification,
}

/// A private temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Writes the verified entries whose blobs are wanted into `dir/<hex>`.
struct SpoolSink<'a> {
    dir: &'a Path,
    /// Digest (hex) by release path, for the files to keep.
    wanted: &'a std::collections::BTreeMap<String, String>,
    written: BTreeSet<String>,
    current: Option<BufWriter<File>>,
}

impl EntrySink for SpoolSink<'_> {
    fn begin(&mut self, path: &str, _size: u64, _executable: bool) -> io::Result<()> {
        self.current = None;
        let Some(hex) = self.wanted.get(path) else {
            return Ok(());
        };
        if !self.written.insert(hex.clone()) {
            return Ok(());
        }
        let file = File::create_new(self.dir.join(hex))?;
        self.current = Some(BufWriter::new(file));
        Ok(())
    }

    fn write(&mut self, data: &[u8]) -> io::Result<()> {
        match &mut self.current {
            Some(w) => w.write_all(data),
            None => Ok(()),
        }
    }

    fn end(&mut self) -> io::Result<()> {
        if let Some(w) = self.current.take() {
            w.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(())
    }
}

/// Verifies `bundle` and pushes it to `reference` (`oci://HOST[:PORT]/REPO[:TAG|@sha256:…]`,
/// default tag: the release's version). Blobs the registry already has are not uploaded.
pub fn push(
    bundle: &Path,
    reference: &Reference,
    opts: &VerifyOptions,
    http: HttpOptions,
    progress: &dyn Progress,
) -> Result<Pushed, PushError> {
    let at = || bundle.to_path_buf();
    let VerifiedHead {
        head,
        raw,
        entries,
        artifact,
        expected,
    } = verified_head(bundle, opts)?;
    let target = match &reference.target {
        Some(Target::Tag(t)) => t.clone(),
        Some(Target::Digest(d)) => d.clone(),
        None => {
            let version = &head.manifest.release.version;
            if !good_tag(version) {
                return Err(PushError::NoTag {
                    reference: reference.to_string(),
                    version: version.clone(),
                });
            }
            version.clone()
        }
    };
    let mut pushed_ref = reference.clone();
    if pushed_ref.target.is_none() {
        pushed_ref.target = Some(Target::Tag(target.clone()));
    }
    let registry = Registry::new(reference.clone(), http);

    // Which blobs the registry lacks, each digest asked once.
    let mut missing: BTreeSet<String> = BTreeSet::new();
    let mut present: BTreeSet<String> = BTreeSet::new();
    let config_digest = format!("sha256:{}", artifact.config_digest().to_hex());
    let digests = artifact
        .layers()
        .iter()
        .map(|l| l.descriptor.digest.clone())
        .chain([config_digest.clone()]);
    for d in digests {
        if missing.contains(&d) || present.contains(&d) {
            continue;
        }
        if registry.blob_exists(&d)? {
            present.insert(d);
        } else {
            missing.insert(d);
        }
    }

    // Verify every entry, keeping the bytes of those to upload.
    let spool = TempDir(crate::place::temp_path_beside(
        &std::env::temp_dir().join("push"),
        "push",
    ));
    fs::create_dir(&spool.0).map_err(|source| PushError::Temp {
        path: spool.0.clone(),
        source,
    })?;
    let wanted: std::collections::BTreeMap<String, String> = head
        .manifest
        .files
        .iter()
        .filter(|f| missing.contains(&format!("sha256:{}", f.sha256)))
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .collect();
    let mut sink = SpoolSink {
        dir: &spool.0,
        wanted: &wanted,
        written: BTreeSet::new(),
        current: None,
    };
    progress.start(expected.iter().map(|f| f.size).sum());
    let summary = entries.verify(&expected, &mut Counting::new(&mut sink, progress));
    progress.finish();
    let summary = summary.map_err(|source| match source {
        ReadError::Sink { path, source } => PushError::Temp {
            path: spool.0.join(path),
            source,
        },
        source => PushError::Bundle(
            VerifyError::Read {
                bundle: at(),
                source,
            }
            .into(),
        ),
    })?;

    // Upload what is missing, each digest once, several at a time: the head layers from memory,
    // release files from the spool.
    let mut done: BTreeSet<String> = BTreeSet::new();
    let jobs: Vec<&super::artifact::Layer> = artifact
        .layers()
        .iter()
        .filter(|l| {
            missing.contains(&l.descriptor.digest) && done.insert(l.descriptor.digest.clone())
        })
        .collect();
    let threads = jobs.len().clamp(1, REGISTRY_TRANSFERS);
    crate::parallel::map(jobs.len(), threads, |i| {
        let d = &jobs[i].descriptor;
        match &jobs[i].source {
            LayerSource::Manifest => {
                registry.upload_blob(&d.digest, d.size, &mut &raw.manifest[..])
            }
            LayerSource::Signature => {
                registry.upload_blob(&d.digest, d.size, &mut &raw.signature[..])
            }
            LayerSource::File(_) => {
                let hex = d.digest.trim_start_matches("sha256:");
                let path = spool.0.join(hex);
                let mut file = File::open(&path).map_err(|source| PushError::Temp {
                    path: path.clone(),
                    source,
                })?;
                registry.upload_blob(&d.digest, d.size, &mut file)
            }
        }
        .map_err(PushError::from)
    })?;
    let mut uploaded = jobs.len();
    let mut uploaded_bytes: u64 = jobs.iter().map(|l| l.descriptor.size).sum();
    if missing.contains(&config_digest) && done.insert(config_digest.clone()) {
        let bytes = artifact.config_bytes();
        registry.upload_blob(&config_digest, bytes.len() as u64, &mut &bytes[..])?;
        uploaded += 1;
        uploaded_bytes += bytes.len() as u64;
    }
    let manifest_digest = registry.put_manifest(&target, artifact.manifest_bytes())?;
    Ok(Pushed {
        reference: pushed_ref.to_string(),
        manifest_digest,
        manifest_size: artifact.manifest_bytes().len() as u64,
        layers: artifact.layers().len(),
        uploaded,
        uploaded_bytes,
        skipped: present.len(),
        verification: verification(bundle, head, summary),
    })
}

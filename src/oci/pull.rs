//! `pull`: an artifact `push` (or `export` and a copy) put in a registry, fetched back as the
//! release folder `unpack` would give, all or nothing.
//!
//! The image manifest must be a ModelPack model with openseal's two head layers. Those are
//! fetched first: the signature must verify against the trusted keys and the manifest parse;
//! then every release-file layer must be exactly one file of the signed manifest (path, digest,
//! size; none missing, none extra) before any file is fetched. Each file streams into a
//! temporary folder beside the target while it is hashed; the folder is renamed into place only
//! when every file arrived intact.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::{self, BufWriter};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::media;
use super::spec::ImageManifest;
use crate::limits::{BUNDLE_MAX_MANIFEST, BUNDLE_MAX_SIGNATURE, REGISTRY_TRANSFERS};
use crate::manifest::{Manifest, ManifestError};
use crate::progress::Progress;
use crate::signature::{self, Verified};
use crate::source::http::HttpOptions;
use crate::source::registry::{Reference, Registry, RegistryError, Target};
use crate::trust::TrustStore;

/// Why an artifact was not pulled. Nothing is left at the target when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    /// The target already exists.
    #[error("{}: already exists; pull into a new folder", path.display())]
    TargetExists {
        /// The target folder.
        path: PathBuf,
    },
    /// A request to the registry failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The manifest is not an openseal ModelPack artifact.
    #[error("{reference}: not an openseal artifact: {problem}")]
    NotOpenseal {
        /// The reference.
        reference: String,
        /// What is missing or different.
        problem: String,
    },
    /// The signature layer does not verify against the trusted keys.
    #[error("{reference}: signature: {source}")]
    Signature {
        /// The reference.
        reference: String,
        /// Why.
        #[source]
        source: signature::VerifyError,
    },
    /// The signed manifest is not a valid openseal manifest.
    #[error("{reference}: the signed manifest: {source}")]
    Manifest {
        /// The reference.
        reference: String,
        /// Why.
        #[source]
        source: ManifestError,
    },
    /// The release-file layers are not the files of the signed manifest.
    #[error("{reference}: the layers do not match the signed manifest: {problem}")]
    Layers {
        /// The reference.
        reference: String,
        /// What differs.
        problem: String,
    },
    /// A release file's blob failed to download or is not the signed file.
    #[error("{path}: {source}")]
    File {
        /// The release path.
        path: String,
        /// Why.
        #[source]
        source: RegistryError,
    },
    /// Creating, writing or renaming a file or folder failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
}

impl PullError {
    /// True when a check failed (signature, manifest, layers, a file's digest): exit 1.
    pub fn is_check_failure(&self) -> bool {
        match self {
            PullError::Signature { .. } | PullError::Manifest { .. } | PullError::Layers { .. } => {
                true
            }
            PullError::Registry(e) | PullError::File { source: e, .. } => e.is_check_failure(),
            PullError::TargetExists { .. }
            | PullError::NotOpenseal { .. }
            | PullError::Io { .. } => false,
        }
    }

    /// A stable kebab-case name of the failure for `--json`.
    pub fn kind(&self) -> &'static str {
        match self {
            PullError::TargetExists { .. } => "target-exists",
            PullError::Registry(e) | PullError::File { source: e, .. } => e.kind(),
            PullError::NotOpenseal { .. } => "not-openseal",
            PullError::Signature { .. } => "signature",
            PullError::Manifest { .. } => "manifest",
            PullError::Layers { .. } => "layers",
            PullError::Io { .. } => "io",
        }
    }
}

/// What a pull wrote.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The folder written.
    pub target: PathBuf,
    /// The image manifest's digest.
    pub manifest_digest: String,
    /// The release's name and version.
    pub release: crate::manifest::Identity,
    /// The signer.
    pub signer: Verified,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Removes the temporary folder unless it was renamed into place.
struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Checks the release-file layers against the signed manifest's files.
fn check_layers(manifest: &Manifest, image: &ImageManifest) -> Result<(), String> {
    let mut layers: BTreeMap<&str, (&str, u64)> = BTreeMap::new();
    for l in image.layers.iter().skip(2) {
        let path = l
            .annotations
            .get(media::FILEPATH)
            .ok_or_else(|| format!("layer {} has no {} annotation", l.digest, media::FILEPATH))?;
        if layers
            .insert(path.as_str(), (l.digest.as_str(), l.size))
            .is_some()
        {
            return Err(format!("{path}: two layers"));
        }
    }
    for f in &manifest.files {
        let want = format!("sha256:{}", f.sha256);
        match layers.remove(f.path.as_str()) {
            None => return Err(format!("{}: missing (no layer)", f.path)),
            Some((digest, size)) if digest != want || size != f.size => {
                return Err(format!(
                    "{}: the layer is {digest} ({size} bytes), the signed manifest says {want} ({} bytes)",
                    f.path, f.size
                ));
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = layers.keys().next() {
        return Err(format!("{extra}: a layer not in the signed manifest"));
    }
    Ok(())
}

/// Pulls `reference` (default tag `latest`) into `target`, which must not exist, verifying the
/// signature against `trust` and every file against the signed manifest.
pub fn pull(
    reference: &Reference,
    target: &Path,
    trust: &TrustStore,
    now: i64,
    http: HttpOptions,
    progress: &dyn Progress,
) -> Result<Pulled, PullError> {
    if fs::symlink_metadata(target).is_ok() {
        return Err(PullError::TargetExists {
            path: target.to_path_buf(),
        });
    }
    let name = reference.to_string();
    let not_ours = |problem: String| PullError::NotOpenseal {
        reference: name.clone(),
        problem,
    };
    let registry = Registry::new(reference.clone(), http);
    let wanted = match &reference.target {
        Some(Target::Tag(t)) | Some(Target::Digest(t)) => t.clone(),
        None => "latest".to_string(),
    };
    let (bytes, manifest_digest) = registry.get_manifest(&wanted)?;
    let image: ImageManifest = serde_json::from_slice(&bytes)
        .map_err(|e| not_ours(format!("not an OCI image manifest: {e}")))?;
    if image.artifact_type.as_deref() != Some(media::MODEL_ARTIFACT)
        && image.config.media_type != media::MODEL_CONFIG
    {
        return Err(not_ours(format!(
            "artifactType {:?} and config media type {:?}; a ModelPack model has {} and {}",
            image.artifact_type.as_deref().unwrap_or(""),
            image.config.media_type,
            media::MODEL_ARTIFACT,
            media::MODEL_CONFIG
        )));
    }
    let (Some(m), Some(s)) = (image.layers.first(), image.layers.get(1)) else {
        return Err(not_ours("fewer than two layers".into()));
    };
    if m.media_type != media::OPENSEAL_MANIFEST || s.media_type != media::OPENSEAL_SIGNATURE {
        return Err(not_ours(format!(
            "its first two layers are not {} and {}",
            media::OPENSEAL_MANIFEST,
            media::OPENSEAL_SIGNATURE
        )));
    }
    let signed = registry.get_small_blob(&m.digest, m.size, BUNDLE_MAX_MANIFEST)?;
    let envelope = registry.get_small_blob(&s.digest, s.size, BUNDLE_MAX_SIGNATURE)?;
    let signer =
        signature::verify_manifest(&signed, &envelope, trust.keys(), now).map_err(|source| {
            PullError::Signature {
                reference: name.clone(),
                source,
            }
        })?;
    let manifest = Manifest::from_bytes(&signed).map_err(|source| PullError::Manifest {
        reference: name.clone(),
        source,
    })?;
    check_layers(&manifest, &image).map_err(|problem| PullError::Layers {
        reference: name.clone(),
        problem,
    })?;

    let temp = TempDir {
        path: crate::place::temp_path_beside(target, "pull"),
        keep: false,
    };
    fs::create_dir(&temp.path).map_err(|source| PullError::Io {
        path: temp.path.clone(),
        source,
    })?;
    let total: u64 = manifest.files.iter().map(|f| f.size).sum();
    progress.start(total);
    // Several files at a time, each into its own new file of the temporary folder.
    let threads = manifest.files.len().clamp(1, REGISTRY_TRANSFERS);
    crate::parallel::map(manifest.files.len(), threads, |i| {
        let f = &manifest.files[i];
        // Manifest::from_bytes checked every path is relative and plain.
        let dest = temp.path.join(&f.path);
        let io_at = |path: &Path| {
            let path = path.to_path_buf();
            move |source| PullError::Io { path, source }
        };
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io_at(parent))?;
        }
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(if f.executable { 0o755 } else { 0o644 })
            .open(&dest)
            .map_err(io_at(&dest))?;
        let mut w = BufWriter::new(file);
        let mut counted = CountingWriter {
            inner: &mut w,
            progress,
        };
        registry
            .get_blob(&format!("sha256:{}", f.sha256), f.size, &mut counted)
            .map_err(|source| PullError::File {
                path: f.path.clone(),
                source,
            })?;
        w.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .map_err(io_at(&dest))
    })?;
    progress.finish();
    crate::place::rename_no_replace(&temp.path, target).map_err(|source| {
        if source.kind() == io::ErrorKind::AlreadyExists {
            PullError::TargetExists {
                path: target.to_path_buf(),
            }
        } else {
            PullError::Io {
                path: target.to_path_buf(),
                source,
            }
        }
    })?;
    let mut temp = temp;
    temp.keep = true;
    Ok(Pulled {
        target: target.to_path_buf(),
        manifest_digest,
        release: manifest.release.clone(),
        signer,
        files: manifest.files.len(),
        bytes: total,
    })
}

/// Passes bytes on and counts them for a progress bar.
struct CountingWriter<'a> {
    inner: &'a mut dyn io::Write,
    progress: &'a dyn Progress,
}

impl io::Write for CountingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

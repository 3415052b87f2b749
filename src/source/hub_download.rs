//! Downloading what the local Hugging Face cache lacks of a Hub repository at one commit, laid
//! out as `huggingface_hub` writes it (`blobs/NAME`, `snapshots/COMMIT/PATH -> ../../blobs/NAME`,
//! `refs/REVISION`), so that `hf`, `transformers` and openseal share it. Files are fetched in
//! parallel; each streams into `blobs/NAME.incomplete` (resumed from its length when a previous
//! run was cut off), is checked against the Hub's SHA-256 as it streams, and only then is
//! renamed into place. A mismatch deletes the partial file and fails.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

use super::hf::HubRef;
use super::http::{Client, HttpError};
use super::hub_api::{self, HubApiError, RemoteFile};
use crate::limits::REMOTE_PARALLEL_FETCHES;
use crate::progress::Progress;

/// What a download did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// The snapshot folder (or the file or folder inside it that the reference names).
    pub path: PathBuf,
    /// The commit downloaded.
    pub commit: String,
    /// Files fetched (the others were in the cache already).
    pub fetched: Vec<String>,
    /// Bytes received.
    pub bytes: u64,
}

/// Why the cache could not be completed.
#[derive(Debug, Error)]
pub enum DownloadError {
    /// The file list could not be read.
    #[error(transparent)]
    Hub(#[from] HubApiError),
    /// A file could not be fetched.
    #[error("{path}: {source}")]
    File {
        /// The file in the repository.
        path: String,
        /// What went wrong.
        source: HubApiError,
    },
    /// A file's content is not what the Hub lists; the partial file was deleted.
    #[error(
        "{path}: downloaded {got_size} bytes with SHA-256 {got}, but the Hub lists {expected_size} bytes with SHA-256 {expected}; the partial file was deleted"
    )]
    Mismatch {
        /// The file in the repository.
        path: String,
        /// The Hub's SHA-256 (or `-` for a git file, checked by size only).
        expected: String,
        /// What arrived.
        got: String,
        /// The Hub's size.
        expected_size: u64,
        /// The size that arrived.
        got_size: u64,
    },
    /// The cache could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

fn io_at(path: &Path) -> impl Fn(std::io::Error) -> DownloadError + '_ {
    move |source| DownloadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Lists `hub` on the Hub at `endpoint` and downloads into `cache` every file of it (of its
/// path, when the reference names one) that the cache's snapshot of that commit lacks.
pub fn download_missing(
    client: &Client,
    endpoint: &str,
    hub: &HubRef,
    uri: &str,
    cache: &Path,
    progress: &dyn Progress,
) -> Result<Downloaded, DownloadError> {
    let repo = hub_api::list_files(client, endpoint, hub)?;
    let files = repo.select(uri)?;
    let repo_dir = cache.join(hub.cache_folder());
    let snapshot = repo_dir.join("snapshots").join(&repo.commit);
    let blobs = repo_dir.join("blobs");
    for dir in [&snapshot, &blobs] {
        std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    }
    let missing: Vec<&RemoteFile> = files
        .into_iter()
        .filter(|f| std::fs::metadata(snapshot.join(&f.path)).map_or(true, |m| m.len() != f.size))
        .collect();
    // One download per blob: paths with the same content (the same LFS SHA-256 or git blob)
    // share it, and two threads must never append to one partial file.
    let mut groups: std::collections::BTreeMap<String, Vec<&RemoteFile>> = Default::default();
    for f in &missing {
        let key = f
            .sha256
            .clone()
            .or_else(|| f.blob_id.clone())
            .unwrap_or_else(|| format!("path:{}", f.path));
        groups.entry(key).or_default().push(f);
    }
    let groups: Vec<Vec<&RemoteFile>> = groups.into_values().collect();
    progress.start(groups.iter().map(|g| g[0].size).sum());
    let threads = REMOTE_PARALLEL_FETCHES.min(groups.len()).max(1);
    let fetched = crate::parallel::map(groups.len(), threads, |i| {
        let f = groups[i][0];
        let url = hub_api::file_url(endpoint, hub, &repo.commit, &f.path);
        let fail = |e: HttpError| DownloadError::File {
            path: f.path.clone(),
            source: hub_api::hub_error(e, hub, endpoint, Some(&f.path), client.has_token_for(&url)),
        };
        let blob = fetch_blob(client, &url, f, &blobs, progress, &fail)?;
        for same in &groups[i] {
            link(&snapshot, &same.path, &blob)?;
        }
        Ok::<_, DownloadError>(f.size)
    });
    progress.finish();
    let bytes = fetched?.into_iter().sum();
    let revision = hub.revision.as_deref().unwrap_or("main");
    if revision != repo.commit {
        write_ref(&repo_dir, revision, &repo.commit)?;
    }
    let mut path = snapshot;
    if let Some(p) = &hub.path {
        path = path.join(p);
    }
    Ok(Downloaded {
        path,
        commit: repo.commit.clone(),
        fetched: missing.iter().map(|f| f.path.clone()).collect(),
        bytes,
    })
}

/// The blob of `f`, downloaded unless already there; returns its name in `blobs/`.
fn fetch_blob(
    client: &Client,
    url: &str,
    f: &RemoteFile,
    blobs: &Path,
    progress: &dyn Progress,
    fail: &dyn Fn(HttpError) -> DownloadError,
) -> Result<String, DownloadError> {
    // huggingface_hub names a blob by its ETag: the SHA-256 of an LFS file, the git blob id of
    // another. A file with neither is named by its SHA-256 once downloaded.
    let named = f.sha256.clone().or_else(|| f.blob_id.clone());
    if let Some(name) = &named
        && std::fs::metadata(blobs.join(name)).is_ok_and(|m| m.len() == f.size)
    {
        return Ok(name.clone());
    }
    let partial = match &named {
        Some(name) => blobs.join(format!("{name}.incomplete")),
        None => blobs.join(format!("{}.incomplete", hub_api::encode_segment(&f.path))),
    };
    let mut hasher = Sha256::new();
    let mut have = 0u64;
    if let Ok(mut existing) = File::open(&partial) {
        // Resume: hash what a previous run wrote, then ask for the rest.
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = existing.read(&mut buf).map_err(io_at(&partial))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            have += n as u64;
        }
        if have > f.size {
            hasher = Sha256::new();
            have = 0;
            File::create(&partial).map_err(io_at(&partial))?;
        }
    }
    progress.advance(have);
    let mut out = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&partial)
        .map_err(io_at(&partial))?;
    let result = if have == f.size {
        Ok(have)
    } else {
        let mut written = have;
        client.stream(url, have, &mut |chunk: &[u8]| {
            // A server that sends more than the listed size is cut off, not written to disk.
            written = written.saturating_add(chunk.len() as u64);
            if written > f.size {
                return Err(std::io::Error::other(format!(
                    "the server sends more than the {} bytes the Hub lists",
                    f.size
                )));
            }
            out.write_all(chunk)?;
            hasher.update(chunk);
            progress.advance(chunk.len() as u64);
            Ok(())
        })
    };
    let size = match result {
        Ok(size) => size,
        // A transfer that broke off keeps its partial file for the next run.
        Err(e) => return Err(fail(e)),
    };
    out.sync_all().map_err(io_at(&partial))?;
    drop(out);
    let got = crate::digest::Sha256Digest(hasher.finalize().into()).to_hex();
    let expected = f.sha256.clone();
    if size != f.size || expected.as_ref().is_some_and(|e| *e != got) {
        let _ = std::fs::remove_file(&partial);
        return Err(DownloadError::Mismatch {
            path: f.path.clone(),
            expected: expected.unwrap_or_else(|| "-".into()),
            got,
            expected_size: f.size,
            got_size: size,
        });
    }
    let name = named.unwrap_or(got);
    let blob = blobs.join(&name);
    std::fs::rename(&partial, &blob).map_err(io_at(&blob))?;
    Ok(name)
}

/// `snapshot/PATH -> ../../blobs/NAME` (one more `..` per folder in PATH).
fn link(snapshot: &Path, path: &str, blob: &str) -> Result<(), DownloadError> {
    let at = snapshot.join(path);
    if let Some(parent) = at.parent() {
        std::fs::create_dir_all(parent).map_err(io_at(parent))?;
    }
    let depth = path.split('/').count() + 1;
    let target = format!("{}blobs/{blob}", "../".repeat(depth));
    if std::fs::symlink_metadata(&at).is_ok() {
        std::fs::remove_file(&at).map_err(io_at(&at))?;
    }
    std::os::unix::fs::symlink(&target, &at).map_err(io_at(&at))
}

/// `refs/REVISION` holds the commit a branch or tag pointed to, as `huggingface_hub` writes it.
fn write_ref(repo_dir: &Path, revision: &str, commit: &str) -> Result<(), DownloadError> {
    let file = repo_dir.join("refs").join(revision);
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(io_at(parent))?;
    }
    let temp = crate::place::temp_path_beside(&file, "ref");
    std::fs::write(&temp, commit).map_err(io_at(&temp))?;
    std::fs::rename(&temp, &file).map_err(io_at(&file))
}

//! Remote sources read header-only: a Hub repository (`hf://` not in the local cache) or one
//! file at an `https://` address. The Hub's file list gives every file's size and LFS SHA-256;
//! each weights file is read by ranges (`headers`), small files whole, and the result is laid
//! out as a [`Mirror`], a sparse local stand-in the usual readers inspect. What was not read is
//! listed, never dropped.

mod headers;
mod mirror;
mod plan;
mod zip_dir;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::source::hf::{HubRef, RepoKind};
use crate::source::http::{Client, HttpError, shown};
use crate::source::hub_api::{self, HubApiError, RemoteFile};

use mirror::TempFolder;
pub use mirror::{MirroredFile, NotRead};

/// Why a remote source could not be read.
#[derive(Debug, Error)]
pub enum RemoteError {
    /// The Hub refused, or could not be reached.
    #[error(transparent)]
    Hub(#[from] HubApiError),
    /// A file could not be fetched.
    #[error("{path}: {source}")]
    File {
        /// The file in the repository, or the address.
        path: String,
        /// What went wrong.
        source: HubApiError,
    },
    /// The server does not say how large the file is, so no range can be planned.
    #[error(
        "{url}: the server sends neither Content-Range nor Content-Length, so the file's size is unknown"
    )]
    NoSize {
        /// The address, without its query.
        url: String,
    },
    /// The address does not end in a file name.
    #[error("{url}: the address does not end in a file name")]
    NoFileName {
        /// The address, without its query.
        url: String,
    },
    /// A file fetched whole is not what the Hub lists.
    #[error("{path}: its content has SHA-256 {got}, but the Hub lists {expected}")]
    Mismatch {
        /// The file.
        path: String,
        /// The Hub's SHA-256.
        expected: String,
        /// What arrived.
        got: String,
    },
    /// The local stand-in could not be written.
    #[error("{}: cannot write the local copy of the fetched headers: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// A remote source laid out locally: what the readers see, how to show it, and what was read.
#[derive(Debug)]
pub struct Mirror {
    folder: TempFolder,
    local: PathBuf,
    shown: String,
    /// The commit the revision resolved to (Hub sources).
    pub commit: Option<String>,
    /// Every file laid out, with what was fetched of it.
    pub files: Vec<MirroredFile>,
    /// Files listed but not read, with why.
    pub not_read: Vec<NotRead>,
    /// Requests made.
    pub requests: u64,
    /// Body bytes received.
    pub bytes_received: u64,
}

/// What was fetched to read a remote source, for reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemoteRead {
    /// The source: `hf://ORG/NAME@COMMIT[/PATH]` or the address.
    pub source: String,
    /// The commit read (Hub sources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// HTTP requests made (each redirect and retry counts).
    pub requests: u64,
    /// Response body bytes received.
    pub bytes_received: u64,
    /// The files' sizes added up: what a full download would have been.
    pub total_size: u64,
}

/// A file of a remote source with its SHA-256 where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteDigest {
    /// Its path relative to what the reference names (the repository, or a folder in it).
    pub path: String,
    /// Its size.
    pub size: u64,
    /// Lowercase hex SHA-256: the Hub's, or computed for a file fetched whole.
    pub sha256: Option<String>,
    /// Why the SHA-256 is not known.
    pub unknown_because: Option<String>,
    /// Whether the file is in the local stand-in (else it was not read).
    pub in_mirror: bool,
}

/// Rewrites `path`, when it lies under `local` (a remote source's stand-in), to lie under
/// `shown` (its `hf://` reference or address); other paths stay as they are.
pub fn show_path(path: &mut PathBuf, local: &Path, shown: &str) {
    if let Ok(rest) = path.strip_prefix(local) {
        *path = if rest.as_os_str().is_empty() {
            PathBuf::from(shown)
        } else {
            PathBuf::from(format!("{shown}/{}", rest.display()))
        };
    }
}

impl Mirror {
    /// [`show_path`] for this source.
    pub fn show(&self, path: &mut PathBuf) {
        show_path(path, &self.local, &self.shown);
    }

    /// Every file of the source under what the reference names, with its SHA-256 where known.
    pub fn digests(&self) -> Vec<RemoteDigest> {
        // Paths are relative to the folder the reference names, or to the folder of the file
        // it names.
        let named = if self.local.is_dir() {
            self.local.as_path()
        } else {
            self.local.parent().unwrap_or(self.folder.path())
        };
        let inside = named
            .strip_prefix(self.folder.path())
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| format!("{}/", p.display()));
        let relative = |path: &str| match &inside {
            None => Some(path.to_string()),
            Some(prefix) => path.strip_prefix(prefix.as_str()).map(str::to_string),
        };
        let mut out = Vec::new();
        for f in &self.files {
            let Some(path) = relative(&f.path) else {
                continue;
            };
            let (sha256, unknown_because) = match &f.sha256 {
                Some(s) => (Some(s.clone()), None),
                None if f.fetched == f.size => {
                    match crate::digest::sha256_file(&self.folder.path().join(&f.path)) {
                        Ok(d) => (Some(d.sha256.to_hex()), None),
                        Err(e) => (None, Some(e.to_string())),
                    }
                }
                None => (
                    None,
                    Some("only its headers were read and the Hub lists no SHA-256 for it".into()),
                ),
            };
            out.push(RemoteDigest {
                path,
                size: f.size,
                sha256,
                unknown_because,
                in_mirror: true,
            });
        }
        for n in &self.not_read {
            let Some(path) = relative(&n.path) else {
                continue;
            };
            out.push(RemoteDigest {
                path,
                size: n.size,
                sha256: n.sha256.clone(),
                unknown_because: n.sha256.is_none().then(|| {
                    format!(
                        "not read ({}) and the Hub lists no SHA-256 for it",
                        n.reason
                    )
                }),
                in_mirror: false,
            });
        }
        out
    }

    /// What was fetched, for reports.
    pub fn summary(&self) -> RemoteRead {
        RemoteRead {
            source: self.shown.clone(),
            commit: self.commit.clone(),
            requests: self.requests,
            bytes_received: self.bytes_received,
            total_size: self
                .files
                .iter()
                .map(|f| f.size)
                .chain(self.not_read.iter().map(|n| n.size))
                .fold(0u64, u64::saturating_add),
        }
    }

    /// The local path to give the readers (the folder, or the one file in it).
    pub fn local_path(&self) -> &Path {
        &self.local
    }
    /// The local folder holding the stand-in.
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }
    /// How [`Mirror::local_path`] is shown: `hf://ORG/NAME@COMMIT[/PATH]` or the address.
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

/// Reads `hub` (its revision, default `main`) from the Hub at `endpoint`, header-only.
pub fn open_hub(
    client: &Client,
    endpoint: &str,
    hub: &HubRef,
    uri: &str,
) -> Result<Mirror, RemoteError> {
    let repo = hub_api::list_files(client, endpoint, hub)?;
    let mut selected: Vec<RemoteFile> = repo.select(uri)?.into_iter().cloned().collect();
    let folder = TempFolder::new().map_err(|source| RemoteError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let url_of = |f: &RemoteFile| hub_api::file_url(endpoint, hub, &repo.commit, &f.path);
    let fail = |f: &RemoteFile, e: HttpError| RemoteError::File {
        path: f.path.clone(),
        source: hub_api::hub_error(
            e,
            hub,
            endpoint,
            Some(&f.path),
            client.has_token_for(&url_of(f)),
        ),
    };
    // A sharded index asked for by name brings its shards; its bytes are not fetched again.
    let mut heads = std::collections::HashMap::new();
    if let Some(p) = &hub.path
        && crate::weights::sharded::is_index_name(p)
        && let Some(index) = selected.first().cloned()
    {
        let body = client
            .get(&url_of(&index), crate::limits::MAX_SIDE_FILE)
            .map_err(|e| fail(&index, e))?;
        let dir = p.rsplit_once('/').map_or("", |(d, _)| d);
        for shard in plan::shard_names(&body.bytes) {
            let path = if dir.is_empty() {
                shard
            } else {
                format!("{dir}/{shard}")
            };
            if let Some(f) = repo.files.iter().find(|f| f.path == path)
                && !selected.iter().any(|s| s.path == path)
            {
                selected.push(f.clone());
            }
        }
        heads.insert(index.path.clone(), body.bytes);
    }
    let (files, not_read) =
        plan::fetch_all(client, &folder, &selected, &url_of, &heads).map_err(|failure| {
            let plan::FetchFailure { path, error } = *failure;
            match error {
                plan::FetchError::Http(e) => match selected.iter().find(|f| f.path == path) {
                    Some(f) => fail(f, e),
                    None => RemoteError::File {
                        path,
                        source: HubApiError::Http(e),
                    },
                },
                plan::FetchError::Io(path, source) => RemoteError::Io { path, source },
                plan::FetchError::Mismatch { expected, got } => RemoteError::Mismatch {
                    path,
                    expected,
                    got,
                },
            }
        })?;
    let kind = match hub.kind {
        RepoKind::Model => "",
        RepoKind::Dataset => "datasets/",
        RepoKind::Space => "spaces/",
    };
    let mut shown = format!("hf://{kind}{}@{}", hub.repo, repo.commit);
    let mut local = folder.path().to_path_buf();
    if let Some(p) = &hub.path {
        shown = format!("{shown}/{p}");
        local = local.join(p);
    }
    Ok(Mirror {
        local,
        shown,
        commit: Some(repo.commit),
        files,
        not_read,
        requests: client.traffic().requests(),
        bytes_received: client.traffic().bytes(),
        folder,
    })
}

/// Reads the one file at `url` (any server that honours `Range`), header-only.
pub fn open_url(client: &Client, url: &str) -> Result<Mirror, RemoteError> {
    let name = shown(url)
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty() && *n != "." && *n != ".." && !n.contains('\\'))
        .map(str::to_string)
        .ok_or_else(|| RemoteError::NoFileName { url: shown(url) })?;
    let fail = |e: HttpError| RemoteError::File {
        path: shown(url),
        source: HubApiError::Http(e),
    };
    let probe = client
        .get_range(url, 0, plan::PROBE_BYTES, crate::limits::REMOTE_MAX_BODY)
        .map_err(fail)?;
    let size = probe
        .total
        .ok_or_else(|| RemoteError::NoSize { url: shown(url) })?;
    let file = RemoteFile {
        path: name.clone(),
        size,
        sha256: None,
        blob_id: None,
    };
    let folder = TempFolder::new().map_err(|source| RemoteError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let heads = std::collections::HashMap::from([(name.clone(), probe.bytes)]);
    let (files, not_read) = plan::fetch_all(
        client,
        &folder,
        std::slice::from_ref(&file),
        &|_| url.to_string(),
        &heads,
    )
    .map_err(|failure| match failure.error {
        plan::FetchError::Http(e) => fail(e),
        plan::FetchError::Io(path, source) => RemoteError::Io { path, source },
        plan::FetchError::Mismatch { expected, got } => RemoteError::Mismatch {
            path: failure.path,
            expected,
            got,
        },
    })?;
    Ok(Mirror {
        local: folder.path().join(&name),
        shown: shown(url),
        commit: None,
        files,
        not_read,
        requests: client.traffic().requests(),
        bytes_received: client.traffic().bytes(),
        folder,
    })
}

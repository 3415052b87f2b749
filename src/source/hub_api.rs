//! The Hugging Face Hub over HTTP: a repository's file list with sizes and LFS SHA-256 at one
//! commit (`/api/{models,datasets,spaces}/ORG/NAME/revision/REV?blobs=true`, as
//! `huggingface_hub`'s `model_info(files_metadata=True)` asks it), the address of each file
//! (`/ORG/NAME/resolve/COMMIT/PATH`), and the token (`HF_TOKEN`, else the file
//! `huggingface_hub` writes on `hf auth login`).

use std::path::PathBuf;

use serde::Deserialize;
use thiserror::Error;

use super::hf::{HubRef, RepoKind};
use super::http::{Client, HttpError, Token};
use crate::limits::{MAX_FOLDER_FILES, REMOTE_MAX_LISTING};

/// One file of a repository, as the Hub lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    /// Its path in the repository (`/`-separated, checked: no `..`, no empty parts).
    pub path: String,
    /// Its size in bytes (of the real file, not of an LFS pointer).
    pub size: u64,
    /// The SHA-256 of its content, for files stored with Git LFS (lowercase hex).
    pub sha256: Option<String>,
    /// Its git blob id (40 hex), which names a file stored in git (not LFS) in the cache's
    /// `blobs/`.
    pub blob_id: Option<String>,
}

/// A repository's files at one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteRepo {
    /// The reference asked for.
    pub hub: HubRef,
    /// The commit the revision resolved to (40 hex digits).
    pub commit: String,
    /// Its files, in the Hub's order.
    pub files: Vec<RemoteFile>,
}

impl RemoteRepo {
    /// The files the reference's path names: all of them (no path), that file, or the files of
    /// that folder. `uri` is the reference as given, for the error.
    pub fn select(&self, uri: &str) -> Result<Vec<&RemoteFile>, HubApiError> {
        let Some(p) = &self.hub.path else {
            return Ok(self.files.iter().collect());
        };
        let prefix = format!("{p}/");
        let chosen: Vec<&RemoteFile> = self
            .files
            .iter()
            .filter(|f| f.path == *p || f.path.starts_with(&prefix))
            .collect();
        if chosen.is_empty() {
            return Err(HubApiError::NoSuchPath {
                uri: uri.to_string(),
                path: p.clone(),
                commit: self.commit.clone(),
            });
        }
        Ok(chosen)
    }
}

/// Why the Hub could not be read.
#[derive(Debug, Error)]
pub enum HubApiError {
    /// 401 or 403: the repository is gated or private (or does not exist, which the Hub does
    /// not tell apart without a token).
    #[error(
        "{repo}: the Hub refuses access ({status}): {}",
        if *with_token {
            "the token in use has no access; accept the licence on the repository's page with the account the token belongs to"
        } else {
            "gated or private: accept the licence on the Hub and set HF_TOKEN (or log in with `hf auth login`)"
        }
    )]
    Denied {
        /// `ORG/NAME`.
        repo: String,
        /// 401 or 403.
        status: u16,
        /// Whether a token was sent.
        with_token: bool,
    },
    /// 404: what is missing.
    #[error("{what} not found on {endpoint}")]
    NotFound {
        /// The repository, revision or file.
        what: String,
        /// The Hub asked.
        endpoint: String,
    },
    /// Any other failure of the request.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The file list is not what the Hub sends.
    #[error("{url}: the Hub's file list is malformed: {problem}")]
    Malformed {
        /// The address asked.
        url: String,
        /// What is wrong.
        problem: String,
    },
    /// The path asked for is not in the repository at that commit.
    #[error("{uri}: {path} is not in the repository at commit {commit}")]
    NoSuchPath {
        /// The reference as given.
        uri: String,
        /// The path inside the repository.
        path: String,
        /// The commit listed.
        commit: String,
    },
    /// The token file exists but cannot be read.
    #[error("{}: cannot read the Hugging Face token: {source}", path.display())]
    TokenFile {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// The token `huggingface_hub` would use: `HF_TOKEN`, else the file at `HF_TOKEN_PATH`, else
/// `HF_HOME/token` (`~/.cache/huggingface/token`). `None` when there is none.
pub fn token_from_env() -> Result<Option<String>, HubApiError> {
    if let Ok(t) = std::env::var("HF_TOKEN")
        && !t.trim().is_empty()
    {
        return Ok(Some(t.trim().to_string()));
    }
    let path =
        super::hf::env_path("HF_TOKEN_PATH").unwrap_or_else(|| super::hf::home_dir().join("token"));
    match crate::regular_file::read_capped_text(&path, crate::limits::MAX_KEY_FILE) {
        Ok(t) if !t.trim().is_empty() => Ok(Some(t.trim().to_string())),
        Ok(_) => Ok(None),
        Err(crate::regular_file::CappedReadError::Io(e))
            if e.kind() == std::io::ErrorKind::NotFound =>
        {
            Ok(None)
        }
        Err(e) => Err(HubApiError::TokenFile {
            path,
            source: std::io::Error::other(e.to_string()),
        }),
    }
}

/// A client for the Hub at `endpoint`, carrying the environment's token for that host only.
pub fn client(endpoint: &str, opts: super::http::HttpOptions) -> Result<Client, HubApiError> {
    let token = token_from_env()?.map(|t| Token::new(t, endpoint));
    Ok(Client::new(opts, token))
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters stay).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn api_prefix(kind: RepoKind) -> &'static str {
    match kind {
        RepoKind::Model => "models",
        RepoKind::Dataset => "datasets",
        RepoKind::Space => "spaces",
    }
}

/// The address of `path` in `hub`'s repository at `commit`.
pub fn file_url(endpoint: &str, hub: &HubRef, commit: &str, path: &str) -> String {
    let path: Vec<String> = path.split('/').map(encode_segment).collect();
    format!(
        "{}/resolve/{commit}/{}",
        hub.web_base(endpoint),
        path.join("/")
    )
}

#[derive(Deserialize)]
struct RawInfo {
    sha: Option<String>,
    siblings: Option<Vec<RawSibling>>,
}

#[derive(Deserialize)]
struct RawSibling {
    rfilename: String,
    size: Option<u64>,
    #[serde(rename = "blobId")]
    blob_id: Option<String>,
    lfs: Option<RawLfs>,
}

#[derive(Deserialize)]
struct RawLfs {
    sha256: String,
    size: Option<u64>,
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Asks the Hub at `endpoint` for `hub`'s files at its revision (default `main`).
pub fn list_files(
    client: &Client,
    endpoint: &str,
    hub: &HubRef,
) -> Result<RemoteRepo, HubApiError> {
    let revision = hub.revision.as_deref().unwrap_or("main");
    let url = format!(
        "{endpoint}/api/{}/{}/revision/{}?blobs=true",
        api_prefix(hub.kind),
        hub.repo,
        encode_segment(revision)
    );
    let fetched = client
        .get(&url, REMOTE_MAX_LISTING)
        .map_err(|e| hub_error(e, hub, endpoint, None, client.has_token_for(&url)))?;
    let malformed = |problem: String| HubApiError::Malformed {
        url: super::http::shown(&url),
        problem,
    };
    let raw: RawInfo =
        serde_json::from_slice(&fetched.bytes).map_err(|e| malformed(e.to_string()))?;
    let commit = raw
        .sha
        .filter(|s| is_hex(s, 40))
        .ok_or_else(|| malformed("no 40-hex commit in 'sha'".into()))?
        .to_ascii_lowercase();
    let siblings = raw
        .siblings
        .ok_or_else(|| malformed("no 'siblings' list".into()))?;
    if siblings.len() > MAX_FOLDER_FILES {
        return Err(malformed(format!(
            "{} files, more than openseal's cap of {MAX_FOLDER_FILES}",
            siblings.len()
        )));
    }
    let mut files = Vec::with_capacity(siblings.len());
    for s in siblings {
        if !plain_path(&s.rfilename) {
            return Err(malformed(format!(
                "file name {:?} is not a plain relative path",
                s.rfilename
            )));
        }
        let (size, sha256) = match s.lfs {
            Some(lfs) => {
                if !is_hex(&lfs.sha256, 64) {
                    return Err(malformed(format!(
                        "{}: LFS sha256 is not 64 hex digits",
                        s.rfilename
                    )));
                }
                (lfs.size.or(s.size), Some(lfs.sha256.to_ascii_lowercase()))
            }
            None => (s.size, None),
        };
        let size = size.ok_or_else(|| malformed(format!("{}: no size", s.rfilename)))?;
        let blob_id = s
            .blob_id
            .filter(|b| is_hex(b, 40))
            .map(|b| b.to_ascii_lowercase());
        files.push(RemoteFile {
            path: s.rfilename,
            size,
            sha256,
            blob_id,
        });
    }
    Ok(RemoteRepo {
        hub: hub.clone(),
        commit,
        files,
    })
}

/// A file name from the Hub is used as a path below a local folder and shown on terminals: it
/// must be relative, with no empty, `.` or `..` parts, no backslashes and no control characters.
fn plain_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.chars().any(|c| c == '\\' || c.is_control())
        && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Turns an HTTP failure on `hub` into what the user should do about it. `file` is the path
/// inside the repository when a file was asked for.
pub fn hub_error(
    e: HttpError,
    hub: &HubRef,
    endpoint: &str,
    file: Option<&str>,
    with_token: bool,
) -> HubApiError {
    match e {
        HttpError::Status {
            status: status @ (401 | 403),
            ..
        } => HubApiError::Denied {
            repo: hub.repo.clone(),
            status,
            with_token,
        },
        HttpError::Status {
            status: 404,
            error_code,
            ..
        } => {
            let revision = hub.revision.as_deref().unwrap_or("main");
            let what = match (error_code.as_deref(), file) {
                (Some("RevisionNotFound"), _) => {
                    format!("revision {revision} of {}", hub.repo)
                }
                (Some("EntryNotFound"), Some(f)) | (None, Some(f)) => {
                    format!("file {f} in {}@{revision}", hub.repo)
                }
                (Some("RepoNotFound"), _) => format!("repository {}", hub.repo),
                _ => format!("repository {} (or its revision {revision})", hub.repo),
            };
            HubApiError::NotFound {
                what,
                endpoint: endpoint.to_string(),
            }
        }
        other => HubApiError::Http(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_hub_must_be_plain() {
        for ok in ["config.json", "a/b.safetensors", "1_Pooling/config.json"] {
            assert!(plain_path(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "a/../b",
            "./a",
            "a//b",
            "a\\b",
            "..",
            "a/",
            "a\u{1b}[31m.json",
        ] {
            assert!(!plain_path(bad), "{bad}");
        }
    }

    #[test]
    fn file_addresses_encode_each_segment() {
        let hub = super::super::hf::parse("hf://datasets/org/data").unwrap();
        assert_eq!(
            file_url("https://hub.example", &hub, "abc", "sub dir/a+b.json"),
            "https://hub.example/datasets/org/data/resolve/abc/sub%20dir/a%2Bb.json"
        );
        assert_eq!(encode_segment("refs/pr/1"), "refs%2Fpr%2F1");
    }
}

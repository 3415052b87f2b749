//! `hf://ORG/NAME[@REVISION][/PATH]` (and `hf://datasets/...`, `hf://spaces/...`) read from the
//! local Hugging Face cache, laid out as `huggingface_hub` writes it:
//! `HUB/models--ORG--NAME/{refs/REVISION, snapshots/COMMIT/PATH -> ../../blobs/SHA}`.
//!
//! The cache folder is `HF_HUB_CACHE`, else `HF_HOME/hub`, else `XDG_CACHE_HOME/huggingface/hub`,
//! else `~/.cache/huggingface/hub`. Nothing here opens a socket.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::limits::HF_MAX_REF_FILE;
use crate::regular_file::{CappedReadError, read_capped_text};

/// The scheme of a Hub reference.
pub const SCHEME: &str = "hf://";

/// What kind of Hub repository a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepoKind {
    /// A model (`hf://ORG/NAME`).
    Model,
    /// A dataset (`hf://datasets/ORG/NAME`).
    Dataset,
    /// A Space (`hf://spaces/ORG/NAME`).
    Space,
}

impl RepoKind {
    fn cache_prefix(self) -> &'static str {
        match self {
            RepoKind::Model => "models",
            RepoKind::Dataset => "datasets",
            RepoKind::Space => "spaces",
        }
    }
}

/// A parsed `hf://` reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubRef {
    /// Model, dataset or Space.
    pub kind: RepoKind,
    /// `ORG/NAME`.
    pub repo: String,
    /// A branch, tag or commit; `None` means `main`.
    pub revision: Option<String>,
    /// A file or folder inside the repository.
    pub path: Option<String>,
}

/// Why a `hf://` reference cannot be read.
#[derive(Debug, Error)]
pub enum HubError {
    /// The reference is not of the form `hf://[datasets/|spaces/]ORG/NAME[@REV][/PATH]`.
    #[error("{uri}: {reason} (expected hf://ORG/NAME[@REVISION][/PATH])")]
    Syntax {
        /// The reference as given.
        uri: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The repository (or that revision of it) is not in the local cache.
    #[error(
        "{uri}: {what} is not in the local Hugging Face cache ({}); {hint}",
        cache.display()
    )]
    NotCached {
        /// The reference as given.
        uri: String,
        /// What is missing: the repository, a revision or a commit.
        what: String,
        /// The cache folder looked in.
        cache: PathBuf,
        /// What to do about it.
        hint: &'static str,
    },
    /// The revision is in the cache but the file or folder is not.
    #[error("{uri}: {} is not in the cached snapshot", path)]
    NoSuchPath {
        /// The reference as given.
        uri: String,
        /// The path inside the repository.
        path: String,
    },
    /// A branch or tag file of the cache (`refs/REVISION`) could not be read, or holds no
    /// commit hash.
    #[error("{}: {problem}", path.display())]
    BadRef {
        /// The `refs/` file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
}

/// Whether `arg` is a `hf://` reference rather than a local path.
pub fn is_hub_ref(arg: &Path) -> bool {
    arg.to_str().is_some_and(|s| s.starts_with(SCHEME))
}

/// Parses `hf://[datasets/|spaces/]ORG/NAME[@REVISION][/PATH]`. A revision holding `/` (such as
/// `refs/pr/1`) is written with `%2F`, as `huggingface_hub`'s file system does.
pub fn parse(uri: &str) -> Result<HubRef, HubError> {
    let bad = |reason| HubError::Syntax {
        uri: uri.to_string(),
        reason,
    };
    let rest = uri
        .strip_prefix(SCHEME)
        .ok_or(bad("not a hf:// reference"))?;
    let (kind, rest) = if let Some(r) = rest.strip_prefix("datasets/") {
        (RepoKind::Dataset, r)
    } else if let Some(r) = rest.strip_prefix("spaces/") {
        (RepoKind::Space, r)
    } else {
        (RepoKind::Model, rest)
    };
    let mut parts = rest.splitn(3, '/');
    let org = parts
        .next()
        .filter(|s| !s.is_empty())
        .ok_or(bad("no ORG"))?;
    let name_rev = parts
        .next()
        .filter(|s| !s.is_empty())
        .ok_or(bad("no NAME"))?;
    let path = parts.next().filter(|p| !p.is_empty()).map(str::to_string);
    let (name, revision) = match name_rev.split_once('@') {
        Some((n, r)) if !r.is_empty() => (n, Some(r.replace("%2F", "/").replace("%2f", "/"))),
        Some(_) => return Err(bad("empty revision after @")),
        None => (name_rev, None),
    };
    let plain = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !plain(org) || !plain(name) {
        return Err(bad("ORG and NAME are letters, digits, '-', '_' and '.'"));
    }
    if let Some(p) = &path
        && p.split('/').any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Err(bad("the path has an empty, '.' or '..' part"));
    }
    if let Some(r) = &revision
        && (r.contains("..") || r.starts_with('/'))
    {
        return Err(bad("the revision is not a branch, tag or commit"));
    }
    Ok(HubRef {
        kind,
        repo: format!("{org}/{name}"),
        revision,
        path,
    })
}

/// A non-empty environment variable as a path.
pub(crate) fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `huggingface_hub`'s home: `HF_HOME`, else `XDG_CACHE_HOME/huggingface`, else
/// `~/.cache/huggingface`. The cache (`hub/`) and the token file live in it.
pub fn home_dir() -> PathBuf {
    env_path("HF_HOME").unwrap_or_else(|| {
        env_path("XDG_CACHE_HOME")
            .or_else(|| env_path("HOME").map(|h| h.join(".cache")))
            .unwrap_or_else(|| PathBuf::from(".cache"))
            .join("huggingface")
    })
}

/// The Hugging Face cache folder, from the environment as `huggingface_hub` reads it:
/// `HF_HUB_CACHE`, else [`home_dir`]`/hub`.
pub fn cache_dir() -> PathBuf {
    env_path("HF_HUB_CACHE").unwrap_or_else(|| home_dir().join("hub"))
}

/// The Hub's address: `HF_ENDPOINT`, else `https://huggingface.co` (no trailing `/`).
pub fn endpoint() -> String {
    std::env::var("HF_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| "https://huggingface.co".into())
        .trim_end_matches('/')
        .to_string()
}

impl HubRef {
    /// The repository's folder in the cache: `models--ORG--NAME` (or `datasets--`, `spaces--`).
    pub fn cache_folder(&self) -> String {
        format!(
            "{}--{}",
            self.kind.cache_prefix(),
            self.repo.replace('/', "--")
        )
    }

    /// The repository's web address on the Hub at `endpoint`
    /// (`https://huggingface.co/datasets/ORG/NAME` for a dataset).
    pub fn web_base(&self, endpoint: &str) -> String {
        match self.kind {
            RepoKind::Model => format!("{endpoint}/{}", self.repo),
            RepoKind::Dataset => format!("{endpoint}/datasets/{}", self.repo),
            RepoKind::Space => format!("{endpoint}/spaces/{}", self.repo),
        }
    }
}

/// Whether `HF_HUB_OFFLINE` asks for the cache only.
pub fn offline() -> bool {
    std::env::var("HF_HUB_OFFLINE")
        .is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
}

fn is_commit(rev: &str) -> bool {
    rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The local path of `r` in the cache at `cache`: the snapshot folder of its revision, or the
/// file or folder inside it.
pub fn resolve_in(r: &HubRef, uri: &str, cache: &Path) -> Result<PathBuf, HubError> {
    let hint = if offline() {
        "HF_HUB_OFFLINE is set, so the Hub is not asked"
    } else {
        "download it first (e.g. `hf download ORG/NAME`)"
    };
    let not_cached = |what: String| HubError::NotCached {
        uri: uri.to_string(),
        what,
        cache: cache.to_path_buf(),
        hint,
    };
    let repo_dir = cache.join(r.cache_folder());
    if !repo_dir.is_dir() {
        return Err(not_cached(format!("repository {}", r.repo)));
    }
    let revision = r.revision.as_deref().unwrap_or("main");
    let commit = if is_commit(revision) {
        revision.to_string()
    } else {
        let ref_file = repo_dir.join("refs").join(revision);
        let text = match read_capped_text(&ref_file, HF_MAX_REF_FILE) {
            Ok(t) => t,
            Err(CappedReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(not_cached(format!("revision {revision} of {}", r.repo)));
            }
            Err(e) => {
                return Err(HubError::BadRef {
                    path: ref_file,
                    problem: format!("cannot read: {e}"),
                });
            }
        };
        let commit = text.trim().to_string();
        if !is_commit(&commit) {
            return Err(HubError::BadRef {
                path: ref_file,
                problem: "not a commit hash".into(),
            });
        }
        commit
    };
    let snapshot = repo_dir.join("snapshots").join(&commit);
    if !snapshot.is_dir() {
        return Err(not_cached(format!("commit {commit} of {}", r.repo)));
    }
    match &r.path {
        None => Ok(snapshot),
        Some(p) => {
            let full = snapshot.join(p);
            if std::fs::metadata(&full).is_ok() {
                Ok(full)
            } else {
                Err(HubError::NoSuchPath {
                    uri: uri.to_string(),
                    path: p.clone(),
                })
            }
        }
    }
}

/// `arg` itself when it is a local path; the cached file or folder when it is `hf://...`.
pub fn resolve(arg: &Path) -> Result<PathBuf, HubError> {
    match arg.to_str() {
        Some(uri) if uri.starts_with(SCHEME) => resolve_in(&parse(uri)?, uri, &cache_dir()),
        _ => Ok(arg.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn parses_models_datasets_revisions_and_paths() {
        assert_eq!(
            parse("hf://org/name").unwrap(),
            HubRef {
                kind: RepoKind::Model,
                repo: "org/name".into(),
                revision: None,
                path: None
            }
        );
        let r = parse("hf://datasets/org/data@refs%2Fpr%2F1/sub/card.md").unwrap();
        assert_eq!(r.kind, RepoKind::Dataset);
        assert_eq!(r.revision.as_deref(), Some("refs/pr/1"));
        assert_eq!(r.path.as_deref(), Some("sub/card.md"));
        for bad in [
            "hf://",
            "hf://org",
            "hf://org/",
            "hf://org/name@",
            "hf://../name",
            "hf://org/name/../x",
            "hf://org/na me",
            "hf://org/name@../../x",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resolves_refs_commits_and_files_in_a_cache() {
        let cache = tempfile::tempdir().unwrap();
        let commit = "0123456789abcdef0123456789abcdef01234567";
        let repo = cache.path().join("models--org--name");
        let snap = repo.join("snapshots").join(commit);
        std::fs::create_dir_all(&snap).unwrap();
        std::fs::create_dir_all(repo.join("refs")).unwrap();
        std::fs::create_dir_all(repo.join("blobs")).unwrap();
        std::fs::write(repo.join("refs").join("main"), commit).unwrap();
        std::fs::write(repo.join("blobs").join("aa"), "{}").unwrap();
        symlink("../../blobs/aa", snap.join("config.json")).unwrap();
        let at = |uri: &str| resolve_in(&parse(uri).unwrap(), uri, cache.path());
        assert_eq!(at("hf://org/name").unwrap(), snap);
        assert_eq!(at(&format!("hf://org/name@{commit}")).unwrap(), snap);
        assert_eq!(
            at("hf://org/name/config.json").unwrap(),
            snap.join("config.json")
        );
        assert!(matches!(
            at("hf://org/name/missing.json"),
            Err(HubError::NoSuchPath { .. })
        ));
        assert!(matches!(
            at("hf://org/name@v2"),
            Err(HubError::NotCached { .. })
        ));
        assert!(matches!(
            at("hf://org/other"),
            Err(HubError::NotCached { .. })
        ));
        assert!(matches!(
            at("hf://datasets/org/name"),
            Err(HubError::NotCached { .. })
        ));
    }
}

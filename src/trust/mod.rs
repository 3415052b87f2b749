//! Trust stores: the public keys `verify` and `unpack` accept, loaded from a `.pub` file, a folder
//! of `.pub` files, or a trust file (TOML; grammar in `keys/README.md`).
//!
//! A trust file can limit a key (`not_after`) or revoke it, and verification then fails with a
//! distinct error ([`crate::signature::VerifyError::Expired`] / `Revoked`), so a user learns that
//! the signer is known but no longer trusted rather than "unknown signer".

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::limits::MAX_TRUST_FILE;
use crate::lines::line_of;
use crate::regular_file::CappedReadError;
use crate::signature::keys::{KeyError, parse_public_key, read_public_key};
use crate::signature::{Date, TrustedKey};

/// Why the trusted keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// A trust path, folder or file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A `.pub` file (or a trust file's `public_key_file`) could not be read as a public key.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A trust file that is not valid TOML or does not match the trust-file grammar.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        /// The trust file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// The TOML parser's message.
        message: String,
    },
    /// A `[[key]]` table whose values are wrong (a bad key, date or id, a missing field).
    #[error("{}:{line}: {message}", path.display())]
    Entry {
        /// The trust file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The same key trusted twice.
    #[error("key {id} is listed twice: at {first} and at {second}")]
    Duplicate {
        /// Its key id.
        id: String,
        /// Where it was first listed (`file` or `file:line`).
        first: String,
        /// Where it was listed again.
        second: String,
    },
    /// A folder or trust file with no keys in it.
    #[error("{}: no public keys found (expected *.pub files or [[key]] tables)", path.display())]
    NoKeys {
        /// The folder or file.
        path: PathBuf,
    },
    /// A trust file above [`MAX_TRUST_FILE`] bytes (a stray weights file is not read whole).
    #[error("{}: larger than {MAX_TRUST_FILE} bytes, not a trust file", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
}

/// The keys one verification trusts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustStore {
    keys: Vec<TrustedKey>,
}

impl TrustStore {
    /// An empty store: it trusts no key.
    pub fn new() -> TrustStore {
        TrustStore::default()
    }

    /// Loads a `.pub` file, a folder of `.pub` files, or a trust file (any other file).
    pub fn load(path: &Path) -> Result<TrustStore, TrustError> {
        let mut store = TrustStore::new();
        store.add_path(path)?;
        Ok(store)
    }

    /// Loads and merges several sources (e.g. a repeated `--trust`).
    pub fn load_all(paths: &[PathBuf]) -> Result<TrustStore, TrustError> {
        let mut store = TrustStore::new();
        for p in paths {
            store.add_path(p)?;
        }
        Ok(store)
    }

    /// Adds the keys found at `path`; see [`TrustStore::load`].
    pub(crate) fn add_path(&mut self, path: &Path) -> Result<(), TrustError> {
        let before = self.keys.len();
        let meta = fs::metadata(path).map_err(|source| TrustError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if meta.is_dir() {
            self.add_folder(path)?;
        } else if path.extension().is_some_and(|e| e == "pub") {
            let key = read_public_key(path)?;
            self.add(TrustedKey::new(key, path.display().to_string()))?;
        } else {
            let text = read_limited(path)?;
            self.add_trust_file(&text, path)?;
        }
        if self.keys.len() == before {
            return Err(TrustError::NoKeys {
                path: path.to_path_buf(),
            });
        }
        Ok(())
    }

    /// Adds one key; a key already present is an error (two entries could disagree on revocation).
    pub fn add(&mut self, key: TrustedKey) -> Result<(), TrustError> {
        if let Some(first) = self.keys.iter().find(|k| k.id == key.id) {
            return Err(TrustError::Duplicate {
                id: key.id.clone(),
                first: first.origin.clone(),
                second: key.origin,
            });
        }
        self.keys.push(key);
        Ok(())
    }

    /// The keys trusted, in the order they were added.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The `*.pub` files directly in `dir`, in name order (other files are ignored, so a README
    /// may sit beside the keys).
    fn add_folder(&mut self, dir: &Path) -> Result<(), TrustError> {
        let io_err = |source| TrustError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).map_err(io_err)? {
            let path = entry.map_err(io_err)?.path();
            if path.extension().is_some_and(|e| e == "pub") && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            let key = read_public_key(&path)?;
            self.add(TrustedKey::new(key, path.display().to_string()))?;
        }
        Ok(())
    }

    /// Parses a trust file's text; `path` names it in errors and anchors `public_key_file`.
    pub fn add_trust_file(&mut self, text: &str, path: &Path) -> Result<(), TrustError> {
        let file: TrustFile = toml::from_str(text).map_err(|e| TrustError::Syntax {
            path: path.to_path_buf(),
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        for entry in file.key {
            let key = entry_to_key(entry, text, path)?;
            self.add(key)?;
        }
        Ok(())
    }
}

/// The trust-file grammar (see `keys/README.md`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustFile {
    #[serde(default)]
    key: Vec<Spanned<KeyEntry>>,
}

/// Unknown fields are errors: a misspelt `revoked` must not silently keep a key trusted.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    id: Option<Spanned<String>>,
    name: Option<String>,
    public_key: Option<Spanned<String>>,
    public_key_file: Option<Spanned<String>>,
    not_after: Option<Spanned<toml::Value>>,
    #[serde(default)]
    revoked: bool,
    revoked_reason: Option<Spanned<String>>,
}

fn entry_to_key(
    entry: Spanned<KeyEntry>,
    text: &str,
    path: &Path,
) -> Result<TrustedKey, TrustError> {
    let table_line = line_of(text, entry.span().start);
    let entry = entry.into_inner();
    let err = |line: usize, message: String| TrustError::Entry {
        path: path.to_path_buf(),
        line,
        message,
    };
    let key = match (&entry.public_key, &entry.public_key_file) {
        (Some(pem), None) => parse_public_key(pem.get_ref(), path).map_err(|e| {
            err(
                line_of(text, pem.span().start),
                format!("public_key: {}", key_reason(&e)),
            )
        })?,
        (None, Some(file)) => {
            let base = path.parent().unwrap_or(Path::new("."));
            let line = line_of(text, file.span().start);
            read_public_key(&base.join(file.get_ref()))
                .map_err(|e| err(line, format!("public_key_file: {e}")))?
        }
        (Some(_), Some(_)) => {
            return Err(err(
                table_line,
                "give public_key or public_key_file, not both".into(),
            ));
        }
        (None, None) => {
            return Err(err(
                table_line,
                "a [[key]] needs public_key (SPKI PEM) or public_key_file".into(),
            ));
        }
    };
    let mut trusted = TrustedKey::new(key, format!("{}:{table_line}", path.display()));
    if let Some(id) = &entry.id
        && id.get_ref() != &trusted.id
    {
        return Err(err(
            line_of(text, id.span().start),
            format!(
                "id {:?} does not match the key (its id is {})",
                id.get_ref(),
                trusted.id
            ),
        ));
    }
    if let Some(v) = &entry.not_after {
        let line = line_of(text, v.span().start);
        let s = match v.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            other => other.to_string(),
        };
        trusted.not_after = Some(Date::parse(&s).ok_or_else(|| {
            err(
                line,
                format!("not_after must be a date YYYY-MM-DD, found {s:?}"),
            )
        })?);
    }
    if let Some(reason) = &entry.revoked_reason
        && !entry.revoked
    {
        return Err(err(
            line_of(text, reason.span().start),
            "revoked_reason given but revoked is not true".into(),
        ));
    }
    if entry.revoked {
        trusted.revoked = Some(
            entry
                .revoked_reason
                .map(|r| r.into_inner())
                .unwrap_or_default(),
        );
    }
    trusted.name = entry.name;
    Ok(trusted)
}

/// The reason inside a key error, without the placeholder path parse_public_key was given.
fn key_reason(e: &KeyError) -> String {
    match e {
        KeyError::NotPublicKey { reason, .. } => {
            format!("not an Ed25519, ECDSA P-256 or P-384 public key in SPKI PEM ({reason})")
        }
        other => other.to_string(),
    }
}

fn read_limited(path: &Path) -> Result<String, TrustError> {
    crate::regular_file::read_capped_text(path, MAX_TRUST_FILE).map_err(|e| match e {
        CappedReadError::Io(source) => TrustError::Io {
            path: path.to_path_buf(),
            source,
        },
        CappedReadError::TooLarge { .. } => TrustError::TooLarge {
            path: path.to_path_buf(),
        },
    })
}

#[cfg(test)]
mod tests;

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

    pub(crate) fn keys(&self) -> &[TrustedKey] {
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
            format!("not an Ed25519 public key in SPKI PEM ({reason})")
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
mod tests {
    #[test]
    fn a_device_is_refused_unread() {
        // /dev/zero reports size 0 and never ends: it must be refused, not read at all.
        let err = super::TrustStore::load(std::path::Path::new("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    use super::*;
    use crate::signature::keys::{generate_signing_key, public_key_pem, write_public_key};
    use crate::signature::{VerifyError, demo_signing_key, sign_manifest, verify_manifest};

    const NOW: i64 = 1_800_000_000; // 2027-01-15

    fn pem_of(seed: u8) -> (ed25519_dalek::SigningKey, String) {
        let k = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        let pem = public_key_pem(&k.verifying_key()).unwrap();
        (k, pem)
    }

    fn parse(text: &str) -> Result<TrustStore, TrustError> {
        let mut s = TrustStore::new();
        s.add_trust_file(text, Path::new("trust.toml"))?;
        Ok(s)
    }

    fn entry_line(e: TrustError) -> (usize, String) {
        match e {
            TrustError::Entry { line, message, .. } | TrustError::Syntax { line, message, .. } => {
                (line, message)
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn good_trust_file() {
        let (a, pem_a) = pem_of(1);
        let (b, pem_b) = pem_of(2);
        let (c, pem_c) = pem_of(3);
        let text = format!(
            r#"# keys we trust
[[key]]
name = "Alice"
id = "{}"
public_key = """{pem_a}"""

[[key]]
name = "Bob"
public_key = """{pem_b}"""
not_after = 2027-01-01

[[key]]
public_key = '''{pem_c}'''
not_after = "2030-06-30"
revoked = true
revoked_reason = "laptop stolen"
"#,
            crate::signature::key_id(&a.verifying_key())
        );
        let store = parse(&text).unwrap();
        let keys = store.keys();
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[0].name.as_deref(), Some("Alice"));
        assert_eq!(keys[0].origin, "trust.toml:2");
        assert_eq!(keys[1].not_after, Date::new(2027, 1, 1));
        assert_eq!(keys[2].revoked.as_deref(), Some("laptop stolen"));
        assert_eq!(keys[2].not_after, Date::new(2030, 6, 30));

        let t = store.keys();
        verify_manifest(b"m", &sign_manifest(b"m", &a), t, NOW).unwrap();
        assert!(matches!(
            verify_manifest(b"m", &sign_manifest(b"m", &b), t, NOW),
            Err(VerifyError::Expired { .. })
        ));
        assert!(matches!(
            verify_manifest(b"m", &sign_manifest(b"m", &c), t, NOW),
            Err(VerifyError::Revoked { .. })
        ));
    }

    #[test]
    fn trust_file_errors_name_the_line() {
        let (_, pem) = pem_of(1);
        let cases: Vec<(String, usize, &str)> = vec![
            ("[[key]]\nname = \n".into(), 2, ""),
            (
                format!("[[key]]\npublic_key = \"\"\"{pem}\"\"\"\nrevokd = true\n"),
                6,
                "revokd",
            ),
            (
                "\n[[key]]\npublic_key = \"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\"\n"
                    .into(),
                3,
                "public_key",
            ),
            ("[[key]]\nname = \"x\"\n".into(), 1, "needs public_key"),
            (
                format!("[[key]]\nid = \"abc\"\npublic_key = \"\"\"{pem}\"\"\"\n"),
                2,
                "does not match",
            ),
            (
                format!("[[key]]\npublic_key = \"\"\"{pem}\"\"\"\nnot_after = \"2027-02-30\"\n"),
                6,
                "not_after",
            ),
            (
                format!("[[key]]\npublic_key = \"\"\"{pem}\"\"\"\nnot_after = 2027-01-01T10:00:00Z\n"),
                6,
                "not_after",
            ),
            (
                format!("[[key]]\npublic_key = \"\"\"{pem}\"\"\"\nrevoked_reason = \"x\"\n"),
                6,
                "revoked_reason",
            ),
            (
                format!(
                    "[[key]]\npublic_key = \"\"\"{pem}\"\"\"\npublic_key_file = \"a.pub\"\n"
                ),
                1,
                "not both",
            ),
            ("[[keys]]\n".into(), 1, "keys"),
        ];
        for (text, line, needle) in cases {
            let (got_line, message) = entry_line(parse(&text).unwrap_err());
            assert_eq!(got_line, line, "{text}\n{message}");
            assert!(message.contains(needle), "{message} lacks {needle}");
        }
        // The rendered error names the file and line.
        let e = parse("[[key]]\nname = \"x\"\n").unwrap_err();
        assert!(e.to_string().starts_with("trust.toml:1: "), "{e}");
    }

    #[test]
    fn duplicates_are_rejected() {
        let (_, pem) = pem_of(1);
        let text =
            format!("[[key]]\npublic_key = '''{pem}'''\n[[key]]\npublic_key = '''{pem}'''\n");
        assert!(matches!(parse(&text), Err(TrustError::Duplicate { .. })));
    }

    #[test]
    fn pub_file_folder_and_trust_file_paths() {
        let dir = tempfile::tempdir().unwrap();
        let a = generate_signing_key().unwrap();
        let b = generate_signing_key().unwrap();
        let keys_dir = dir.path().join("keys");
        fs::create_dir(&keys_dir).unwrap();
        write_public_key(&keys_dir.join("a.pub"), &a.verifying_key()).unwrap();
        write_public_key(&keys_dir.join("b.pub"), &b.verifying_key()).unwrap();
        fs::write(keys_dir.join("README.md"), "not a key").unwrap();

        let one = TrustStore::load(&keys_dir.join("a.pub")).unwrap();
        assert_eq!(one.keys().len(), 1);
        let folder = TrustStore::load(&keys_dir).unwrap();
        assert_eq!(folder.keys().len(), 2);

        // public_key_file is relative to the trust file.
        let trust = dir.path().join("trust.toml");
        fs::write(
            &trust,
            "[[key]]\npublic_key_file = \"keys/a.pub\"\nrevoked = true\n",
        )
        .unwrap();
        let store = TrustStore::load(&trust).unwrap();
        assert_eq!(store.keys()[0].key, a.verifying_key());
        assert_eq!(store.keys()[0].revoked.as_deref(), Some(""));

        // Merging the folder and the trust file lists key a twice.
        assert!(matches!(
            TrustStore::load_all(&[keys_dir.clone(), trust]),
            Err(TrustError::Duplicate { .. })
        ));

        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(matches!(
            TrustStore::load(&empty),
            Err(TrustError::NoKeys { .. })
        ));
        assert!(matches!(
            TrustStore::load(&dir.path().join("missing")),
            Err(TrustError::Io { .. })
        ));
        fs::write(keys_dir.join("bad.pub"), "junk").unwrap();
        assert!(matches!(
            TrustStore::load(&keys_dir),
            Err(TrustError::Key(KeyError::NotPublicKey { .. }))
        ));
    }

    #[test]
    fn shipped_demo_key_and_example_trust_file_load() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
        let demo = TrustStore::load(&root.join("demo.pub")).unwrap();
        assert_eq!(demo.keys()[0].key, demo_signing_key().verifying_key());
        let example = TrustStore::load(&root.join("example-trust.toml")).unwrap();
        assert!(
            example
                .keys()
                .iter()
                .any(|k| k.key == demo_signing_key().verifying_key())
        );
    }
}

//! Ed25519 key pairs and their files.
//!
//! - Private key: PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), written with mode 0600 and never
//!   over an existing file.
//! - Public key: SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
//!
//! Both are the standard encodings, so `openssl pkey -in NAME.key` and
//! `openssl pkey -pubin -in NAME.pub` open them.
//!
//! Key id: the SHA-256 of the raw 32-byte Ed25519 public key, as 64 lowercase hex digits. It is
//! computable with standard tools (`openssl pkey -pubin -in NAME.pub -outform DER | tail -c 32 |
//! sha256sum`), and being a full digest it cannot collide by accident.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, KeypairBytes,
};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::digest::hex;
use crate::limits::MAX_KEY_FILE;
use crate::regular_file::CappedReadError;

/// The phrase the demo key is derived from. Anyone can derive the demo private key from it: it
/// exists so that `openseal demo` and the tests can sign without a key file.
const DEMO_SEED_PHRASE: &[u8] = b"openseal demo key v1 -- PUBLIC, NEVER use for real releases";

/// Why a key could not be generated, read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The key file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Writing a key where a file already exists (keys are never overwritten).
    #[error("{}: already exists; refusing to overwrite a key file", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// The file is not an Ed25519 private key in PKCS#8 PEM.
    #[error("{}: not an Ed25519 private key in PKCS#8 PEM ({reason})", path.display())]
    NotPrivateKey {
        /// The key file.
        path: PathBuf,
        /// The decoder's message.
        reason: String,
    },
    /// The file is not an Ed25519 public key in SPKI PEM.
    #[error("{}: not an Ed25519 public key in SPKI PEM ({reason})", path.display())]
    NotPublicKey {
        /// The file the PEM came from (a key file or a trust file).
        path: PathBuf,
        /// The decoder's message.
        reason: String,
    },
    /// A key file above [`MAX_KEY_FILE`] bytes.
    #[error("{}: larger than {MAX_KEY_FILE} bytes, not a key file", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The operating system gave no randomness for a new key; its message.
    #[error("no randomness from the operating system: {0}")]
    Random(String),
    /// The key could not be encoded as PEM; the encoder's message.
    #[error("cannot encode the key as PEM: {0}")]
    Encode(String),
}

/// A new signing key from the operating system's randomness.
pub fn generate_signing_key() -> Result<SigningKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The demo signing key: derived from a fixed, published phrase.
///
/// **Never use it for a real release**: its private half is public by construction. It lets
/// `openseal demo` and the tests sign without a key file; `keys/demo.pub` is its public half.
pub fn demo_signing_key() -> SigningKey {
    let seed: [u8; 32] = Sha256::digest(DEMO_SEED_PHRASE).into();
    SigningKey::from_bytes(&seed)
}

/// The key id of a public key: SHA-256 of its raw 32 bytes, lowercase hex (see the module doc).
pub fn key_id(key: &VerifyingKey) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// The private key as PKCS#8 v1 PEM, the seed alone: what `openssl genpkey -algorithm ed25519`
/// writes. (The v2 form with the public key embedded is not read by OpenSSL 3.0.)
pub fn private_key_pem(key: &SigningKey) -> Result<String, KeyError> {
    let bytes = KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    };
    bytes
        .to_pkcs8_pem(Default::default())
        .map(|pem| pem.to_string())
        .map_err(|e| KeyError::Encode(e.to_string()))
}

/// The public key as SPKI PEM.
pub fn public_key_pem(key: &VerifyingKey) -> Result<String, KeyError> {
    key.to_public_key_pem(Default::default())
        .map_err(|e| KeyError::Encode(e.to_string()))
}

/// Parses a PKCS#8 PEM private key; `origin` names it in errors.
pub fn parse_private_key(pem: &str, origin: &Path) -> Result<SigningKey, KeyError> {
    SigningKey::from_pkcs8_pem(pem.trim()).map_err(|e| KeyError::NotPrivateKey {
        path: origin.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Parses an SPKI PEM public key; `origin` names it in errors.
pub fn parse_public_key(pem: &str, origin: &Path) -> Result<VerifyingKey, KeyError> {
    VerifyingKey::from_public_key_pem(pem.trim()).map_err(|e| KeyError::NotPublicKey {
        path: origin.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Writes the private key to a new file with mode 0600; refuses to overwrite anything.
pub fn write_private_key(path: &Path, key: &SigningKey) -> Result<(), KeyError> {
    write_new(path, private_key_pem(key)?.as_bytes(), 0o600)
}

/// Writes the public key to a new file (mode 0644 less the umask); refuses to overwrite.
pub fn write_public_key(path: &Path, key: &VerifyingKey) -> Result<(), KeyError> {
    write_new(path, public_key_pem(key)?.as_bytes(), 0o644)
}

/// Reads a private key file.
pub fn read_private_key(path: &Path) -> Result<SigningKey, KeyError> {
    parse_private_key(&read_small(path)?, path)
}

/// Reads a public key file.
pub fn read_public_key(path: &Path) -> Result<VerifyingKey, KeyError> {
    parse_public_key(&read_small(path)?, path)
}

/// Creates `path` exclusively (`O_EXCL`, so an existing file or a symlink planted there is never
/// written through) with `mode` from the start: a private key is never readable by others, not
/// even for an instant.
fn write_new(path: &Path, data: &[u8], mode: u32) -> Result<(), KeyError> {
    let io_err = |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(KeyError::Exists {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(io_err(e)),
    };
    if let Err(e) = file.write_all(data).and_then(|()| file.sync_all()) {
        // Leave no half-written key behind.
        let _ = fs::remove_file(path);
        return Err(io_err(e));
    }
    Ok(())
}

fn read_small(path: &Path) -> Result<String, KeyError> {
    crate::regular_file::read_capped_text(path, MAX_KEY_FILE).map_err(|e| match e {
        CappedReadError::Io(source) => KeyError::Io {
            path: path.to_path_buf(),
            source,
        },
        CappedReadError::TooLarge { .. } => KeyError::TooLarge {
            path: path.to_path_buf(),
        },
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_device_is_refused_unread() {
        // /dev/zero reports size 0 and never ends: it must be refused, not read at all.
        let err = super::read_public_key(std::path::Path::new("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn pem_round_trip() {
        let key = generate_signing_key().unwrap();
        let pem = private_key_pem(&key).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let back = parse_private_key(&pem, Path::new("k")).unwrap();
        assert_eq!(back.to_bytes(), key.to_bytes());

        let pub_pem = public_key_pem(&key.verifying_key()).unwrap();
        assert!(pub_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        let back = parse_public_key(&pub_pem, Path::new("k.pub")).unwrap();
        assert_eq!(back, key.verifying_key());
    }

    #[test]
    fn generated_keys_differ() {
        let a = generate_signing_key().unwrap();
        let b = generate_signing_key().unwrap();
        assert_ne!(a.to_bytes(), b.to_bytes());
    }

    #[test]
    fn key_id_is_sha256_of_raw_public_key() {
        let key = demo_signing_key().verifying_key();
        let id = key_id(&key);
        assert_eq!(id.len(), 64);
        assert_eq!(id, crate::digest::Sha256Digest::of(key.as_bytes()).to_hex());
        assert_ne!(id, key_id(&generate_signing_key().unwrap().verifying_key()));
    }

    #[test]
    fn demo_key_is_fixed_and_matches_keys_demo_pub() {
        assert_eq!(demo_signing_key().to_bytes(), demo_signing_key().to_bytes());
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys/demo.pub");
        let shipped = read_public_key(&path).unwrap();
        assert_eq!(shipped, demo_signing_key().verifying_key());
    }

    #[test]
    fn files_have_modes_and_refuse_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let key = generate_signing_key().unwrap();
        let priv_path = dir.path().join("a.key");
        let pub_path = dir.path().join("a.pub");
        write_private_key(&priv_path, &key).unwrap();
        write_public_key(&pub_path, &key.verifying_key()).unwrap();
        let mode = fs::metadata(&priv_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            read_private_key(&priv_path).unwrap().to_bytes(),
            key.to_bytes()
        );
        assert_eq!(read_public_key(&pub_path).unwrap(), key.verifying_key());

        let other = generate_signing_key().unwrap();
        assert!(matches!(
            write_private_key(&priv_path, &other),
            Err(KeyError::Exists { .. })
        ));
        assert!(matches!(
            write_public_key(&pub_path, &other.verifying_key()),
            Err(KeyError::Exists { .. })
        ));
        // The original survives the refused overwrite.
        assert_eq!(
            read_private_key(&priv_path).unwrap().to_bytes(),
            key.to_bytes()
        );
    }

    #[test]
    fn wrong_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let key = generate_signing_key().unwrap();
        let pub_path = dir.path().join("a.pub");
        write_public_key(&pub_path, &key.verifying_key()).unwrap();
        // A public key is not a private key, and garbage is neither.
        let err = read_private_key(&pub_path).unwrap_err();
        assert!(matches!(err, KeyError::NotPrivateKey { .. }));
        assert!(err.to_string().contains("a.pub"));
        let junk = dir.path().join("junk.pub");
        fs::write(&junk, "hello").unwrap();
        assert!(matches!(
            read_public_key(&junk),
            Err(KeyError::NotPublicKey { .. })
        ));
        assert!(matches!(
            read_public_key(&dir.path().join("missing.pub")),
            Err(KeyError::Io { .. })
        ));
        let big = dir.path().join("big.pub");
        fs::write(&big, vec![b'a'; MAX_KEY_FILE as usize + 1]).unwrap();
        assert!(matches!(
            read_public_key(&big),
            Err(KeyError::TooLarge { .. })
        ));
    }

    /// `openssl pkey` opens both files (skipped where openssl is not installed).
    #[test]
    fn openssl_reads_both_files() {
        let Ok(out) = std::process::Command::new("openssl")
            .arg("version")
            .output()
        else {
            return;
        };
        if !out.status.success() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let key = generate_signing_key().unwrap();
        let priv_path = dir.path().join("a.key");
        let pub_path = dir.path().join("a.pub");
        write_private_key(&priv_path, &key).unwrap();
        write_public_key(&pub_path, &key.verifying_key()).unwrap();

        let priv_out = std::process::Command::new("openssl")
            .args(["pkey", "-in"])
            .arg(&priv_path)
            .args(["-pubout"])
            .output()
            .unwrap();
        assert!(
            priv_out.status.success(),
            "{}",
            String::from_utf8_lossy(&priv_out.stderr)
        );
        // The public key openssl derives from our private key file is our public key file.
        assert_eq!(
            String::from_utf8(priv_out.stdout).unwrap().trim(),
            public_key_pem(&key.verifying_key()).unwrap().trim()
        );

        let pub_out = std::process::Command::new("openssl")
            .args(["pkey", "-pubin", "-in"])
            .arg(&pub_path)
            .args(["-outform", "DER"])
            .output()
            .unwrap();
        assert!(pub_out.status.success());
        // The last 32 bytes of the SPKI DER are the raw key: the documented key-id recipe.
        let der = pub_out.stdout;
        assert_eq!(&der[der.len() - 32..], key.verifying_key().as_bytes());

        // And the other way: a key made by openssl reads here.
        let made = dir.path().join("made.key");
        let gen_out = std::process::Command::new("openssl")
            .args(["genpkey", "-algorithm", "ed25519", "-out"])
            .arg(&made)
            .output()
            .unwrap();
        assert!(gen_out.status.success());
        read_private_key(&made).unwrap();
    }
}

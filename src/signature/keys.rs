//! Key pairs and their files, for every [`KeyAlgorithm`].
//!
//! - Private key: PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), written with mode 0600 and never
//!   over an existing file. ECDSA keys in SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`, what
//!   `openssl ecparam -genkey` writes) are read too.
//! - Public key: SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
//!
//! Both are the standard encodings, so `openssl pkey -in NAME.key` and
//! `openssl pkey -pubin -in NAME.pub` open them, and `model_signing` reads the ECDSA ones.
//!
//! Key id: the SHA-256 of the key's raw public bytes (the 32-byte Ed25519 key, or the
//! uncompressed SEC1 point of an ECDSA key), as 64 lowercase hex digits. It is computable with
//! standard tools (`openssl pkey -pubin -in NAME.pub -outform DER | tail -c 32 | sha256sum`, with
//! 65 for P-256 and 97 for P-384), and being a full digest it cannot collide by accident.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, KeypairBytes,
};
use sha2::{Digest, Sha256};

use super::algorithm::{KeyAlgorithm, PublicKey, SigningKey};
use crate::limits::MAX_KEY_FILE;
use crate::regular_file::CappedReadError;

/// The phrase the demo key is derived from. Anyone can derive the demo private key from it: it
/// exists so that `openseal demo` and the tests can sign without a key file.
const DEMO_SEED_PHRASE: &[u8] = b"openseal demo key v1 -- PUBLIC, NEVER use for real releases";

/// The kinds of key a key file may hold, for messages.
const KINDS: &str = "Ed25519, ECDSA P-256 or P-384";

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
    /// The file is not a private key of a supported kind in PEM.
    #[error("{}: not an {KINDS} private key in PKCS#8 or SEC1 PEM ({reason})", path.display())]
    NotPrivateKey {
        /// The key file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// The file is not a public key of a supported kind in SPKI PEM.
    #[error("{}: not an {KINDS} public key in SPKI PEM ({reason})", path.display())]
    NotPublicKey {
        /// The file the PEM came from (a key file or a trust file).
        path: PathBuf,
        /// What was found instead.
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

/// A new Ed25519 signing key from the operating system's randomness.
pub fn generate_signing_key() -> Result<SigningKey, KeyError> {
    generate_key(KeyAlgorithm::Ed25519)
}

/// A new signing key of kind `algorithm` from the operating system's randomness.
pub fn generate_key(algorithm: KeyAlgorithm) -> Result<SigningKey, KeyError> {
    // A random scalar is out of range (zero or above the group order) with odds below 2^-32;
    // drawing again is the standard answer.
    for _ in 0..16 {
        let mut seed = [0u8; 48];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        let key = match algorithm {
            KeyAlgorithm::Ed25519 => {
                let mut bytes = [0u8; 32];
                bytes.copy_from_slice(&seed[..32]);
                Some(SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
                    &bytes,
                )))
            }
            KeyAlgorithm::P256 => p256::ecdsa::SigningKey::from_slice(&seed[..32])
                .ok()
                .map(SigningKey::P256),
            KeyAlgorithm::P384 => p384::ecdsa::SigningKey::from_slice(&seed)
                .ok()
                .map(SigningKey::P384),
        };
        if let Some(key) = key {
            return Ok(key);
        }
    }
    Err(KeyError::Random(
        "sixteen draws in a row gave no valid key".into(),
    ))
}

/// The demo signing key (Ed25519): derived from a fixed, published phrase.
///
/// **Never use it for a real release**: its private half is public by construction. It lets
/// `openseal demo` and the tests sign without a key file; `keys/demo.pub` is its public half.
pub fn demo_signing_key() -> SigningKey {
    let seed: [u8; 32] = Sha256::digest(DEMO_SEED_PHRASE).into();
    SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed))
}

/// The key id of a public key (see the module doc).
pub fn key_id(key: &PublicKey) -> String {
    key.id()
}

/// The private key as PKCS#8 v1 PEM. For Ed25519, the seed alone: what
/// `openssl genpkey -algorithm ed25519` writes (the v2 form with the public key embedded is not
/// read by OpenSSL 3.0).
pub fn private_key_pem(key: &SigningKey) -> Result<String, KeyError> {
    let encode = |e: ed25519_dalek::pkcs8::Error| KeyError::Encode(e.to_string());
    let lf = Default::default();
    let pem = match key {
        SigningKey::Ed25519(k) => KeypairBytes {
            secret_key: k.to_bytes(),
            public_key: None,
        }
        .to_pkcs8_pem(lf),
        SigningKey::P256(k) => k.to_pkcs8_pem(lf),
        SigningKey::P384(k) => k.to_pkcs8_pem(lf),
    };
    pem.map(|p| p.to_string()).map_err(encode)
}

/// The public key as SPKI PEM with LF line ends (the text OMS key hints hash).
pub fn public_key_pem(key: &PublicKey) -> Result<String, KeyError> {
    let lf = Default::default();
    match key {
        PublicKey::Ed25519(k) => k.to_public_key_pem(lf),
        PublicKey::P256(k) => k.to_public_key_pem(lf),
        PublicKey::P384(k) => k.to_public_key_pem(lf),
    }
    .map_err(|e| KeyError::Encode(e.to_string()))
}

/// Parses a private key in PKCS#8 PEM (any kind) or SEC1 PEM (ECDSA); `origin` names it in
/// errors.
pub fn parse_private_key(pem: &str, origin: &Path) -> Result<SigningKey, KeyError> {
    let pem = pem.trim();
    let refuse = |reason: &str| KeyError::NotPrivateKey {
        path: origin.to_path_buf(),
        reason: reason.to_string(),
    };
    if pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        return Err(refuse(
            "the key is encrypted; decrypt it first, e.g. with openssl pkey",
        ));
    }
    if pem.starts_with("-----BEGIN EC PRIVATE KEY-----") {
        if let Ok(k) = p256::SecretKey::from_sec1_pem(pem) {
            return Ok(SigningKey::P256(k.into()));
        }
        if let Ok(k) = p384::SecretKey::from_sec1_pem(pem) {
            return Ok(SigningKey::P384(k.into()));
        }
        return Err(refuse("an EC key on a curve other than P-256 or P-384"));
    }
    if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
        return Ok(SigningKey::Ed25519(k));
    }
    if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
        return Ok(SigningKey::P256(k));
    }
    if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_pem(pem) {
        return Ok(SigningKey::P384(k));
    }
    Err(refuse(pem_kind(pem)))
}

/// Parses an SPKI PEM public key of any kind; `origin` names it in errors.
pub fn parse_public_key(pem: &str, origin: &Path) -> Result<PublicKey, KeyError> {
    let pem = pem.trim();
    if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
        return Ok(PublicKey::Ed25519(k));
    }
    if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_pem(pem) {
        return Ok(PublicKey::P256(k));
    }
    if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_pem(pem) {
        return Ok(PublicKey::P384(k));
    }
    Err(KeyError::NotPublicKey {
        path: origin.to_path_buf(),
        reason: pem_kind(pem).to_string(),
    })
}

/// What a PEM text that was not accepted looks like, for the error message.
fn pem_kind(pem: &str) -> &'static str {
    if !pem.starts_with("-----BEGIN ") {
        "no PEM header"
    } else if pem.starts_with("-----BEGIN PUBLIC KEY-----") {
        "a public key, or a key of another kind"
    } else if pem.starts_with("-----BEGIN PRIVATE KEY-----") {
        "a private key of another kind, or malformed"
    } else {
        "another kind of PEM document"
    }
}

/// Writes the private key to a new file with mode 0600; refuses to overwrite anything.
pub fn write_private_key(path: &Path, key: &SigningKey) -> Result<(), KeyError> {
    write_new(path, private_key_pem(key)?.as_bytes(), 0o600)
}

/// Writes the public key to a new file (mode 0644 less the umask); refuses to overwrite.
pub fn write_public_key(path: &Path, key: &PublicKey) -> Result<(), KeyError> {
    write_new(path, public_key_pem(key)?.as_bytes(), 0o644)
}

/// Reads a private key file.
pub fn read_private_key(path: &Path) -> Result<SigningKey, KeyError> {
    parse_private_key(&read_small(path)?, path)
}

/// Reads a public key file.
pub fn read_public_key(path: &Path) -> Result<PublicKey, KeyError> {
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
        assert_eq!(back.public_key(), key.public_key());

        let pub_pem = public_key_pem(&key.verifying_key()).unwrap();
        assert!(pub_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        let back = parse_public_key(&pub_pem, Path::new("k.pub")).unwrap();
        assert_eq!(back, key.verifying_key());
    }

    #[test]
    fn ecdsa_pem_round_trip_and_kind() {
        for alg in [KeyAlgorithm::P256, KeyAlgorithm::P384] {
            let key = generate_key(alg).unwrap();
            let pem = private_key_pem(&key).unwrap();
            assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
            let back = parse_private_key(&pem, Path::new("k")).unwrap();
            assert_eq!(back.algorithm(), alg);
            assert_eq!(back.public_key(), key.public_key());
            let pub_pem = public_key_pem(&key.public_key()).unwrap();
            let back = parse_public_key(&pub_pem, Path::new("k.pub")).unwrap();
            assert_eq!(back, key.public_key());
        }
    }

    #[test]
    fn an_encrypted_key_is_named_as_such() {
        let pem =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        let err = parse_private_key(pem, Path::new("enc.key")).unwrap_err();
        assert!(err.to_string().contains("encrypted"), "{err}");
    }

    #[test]
    fn generated_keys_differ() {
        let a = generate_signing_key().unwrap();
        let b = generate_signing_key().unwrap();
        assert_ne!(a.public_key(), b.public_key());
    }

    #[test]
    fn key_id_is_sha256_of_raw_public_key() {
        let key = demo_signing_key().verifying_key();
        let id = key_id(&key);
        assert_eq!(id.len(), 64);
        assert_eq!(
            id,
            crate::digest::Sha256Digest::of(&key.raw_bytes()).to_hex()
        );
        assert_ne!(id, key_id(&generate_signing_key().unwrap().verifying_key()));
    }

    #[test]
    fn demo_key_is_fixed_and_matches_keys_demo_pub() {
        assert_eq!(
            demo_signing_key().public_key(),
            demo_signing_key().public_key()
        );
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
            read_private_key(&priv_path).unwrap().public_key(),
            key.public_key()
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
            read_private_key(&priv_path).unwrap().public_key(),
            key.public_key()
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
        assert_eq!(&der[der.len() - 32..], &key.verifying_key().raw_bytes()[..]);

        // And the other way: a key made by openssl reads here.
        let made = dir.path().join("made.key");
        let gen_out = std::process::Command::new("openssl")
            .args(["genpkey", "-algorithm", "ed25519", "-out"])
            .arg(&made)
            .output()
            .unwrap();
        assert!(gen_out.status.success());
        read_private_key(&made).unwrap();

        // ECDSA: a SEC1 key from `openssl ecparam` reads, and our public key is openssl's.
        for (curve, alg, raw) in [
            ("prime256v1", KeyAlgorithm::P256, 65),
            ("secp384r1", KeyAlgorithm::P384, 97),
        ] {
            let sec1 = dir.path().join(format!("{curve}.key"));
            let out = std::process::Command::new("openssl")
                .args(["ecparam", "-genkey", "-noout", "-name", curve, "-out"])
                .arg(&sec1)
                .output()
                .unwrap();
            assert!(out.status.success());
            let key = read_private_key(&sec1).unwrap();
            assert_eq!(key.algorithm(), alg);
            let derived = std::process::Command::new("openssl")
                .args(["ec", "-pubout", "-in"])
                .arg(&sec1)
                .output()
                .unwrap();
            assert!(derived.status.success());
            assert_eq!(
                String::from_utf8(derived.stdout).unwrap(),
                public_key_pem(&key.public_key()).unwrap()
            );
            assert_eq!(key.public_key().raw_bytes().len(), raw);
            // And our PKCS#8 file of an ECDSA key opens in openssl.
            let ours = dir.path().join(format!("ours-{curve}.key"));
            write_private_key(&ours, &generate_key(alg).unwrap()).unwrap();
            let check = std::process::Command::new("openssl")
                .args(["pkey", "-noout", "-in"])
                .arg(&ours)
                .output()
                .unwrap();
            assert!(check.status.success());
        }
    }
}

//! The kinds of key openseal signs with: Ed25519 (the default) and ECDSA P-256 / P-384, the
//! curves OpenSSF Model Signing (`model.sig`) accepts. One enum per half, so every signing and
//! verifying path takes either kind.
//!
//! ECDSA signs with the hash its curve pairs with (SHA-256 for P-256, SHA-384 for P-384), as
//! Sigstore and `model_signing` do, deterministically (RFC 6979), and signatures are DER.

// One `signature` crate serves both Ed25519 and ECDSA.
use p256::ecdsa::signature::{Signer, Verifier};
use sha2::{Digest, Sha256};
use std::fmt;

use crate::digest::hex;

/// A signature algorithm and its curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyAlgorithm {
    /// Ed25519 (RFC 8032): openseal's default.
    Ed25519,
    /// ECDSA on NIST P-256 with SHA-256.
    P256,
    /// ECDSA on NIST P-384 with SHA-384.
    P384,
}

impl KeyAlgorithm {
    /// The name used on the command line and in JSON: `ed25519`, `p256`, `p384`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlgorithm::Ed25519 => "ed25519",
            KeyAlgorithm::P256 => "p256",
            KeyAlgorithm::P384 => "p384",
        }
    }

    /// Whether OpenSSF Model Signing can verify this kind of key (it accepts ECDSA only).
    pub fn is_ecdsa(self) -> bool {
        !matches!(self, KeyAlgorithm::Ed25519)
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A private key of any supported kind.
#[derive(Clone)]
pub enum SigningKey {
    /// Ed25519.
    Ed25519(ed25519_dalek::SigningKey),
    /// ECDSA P-256.
    P256(p256::ecdsa::SigningKey),
    /// ECDSA P-384.
    P384(p384::ecdsa::SigningKey),
}

// Never print private key material, not even in a debug dump.
impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SigningKey({}, {})",
            self.algorithm(),
            self.public_key().id()
        )
    }
}

impl SigningKey {
    /// Which kind of key this is.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self {
            SigningKey::Ed25519(_) => KeyAlgorithm::Ed25519,
            SigningKey::P256(_) => KeyAlgorithm::P256,
            SigningKey::P384(_) => KeyAlgorithm::P384,
        }
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        match self {
            SigningKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
            SigningKey::P256(k) => PublicKey::P256(*k.verifying_key()),
            SigningKey::P384(k) => PublicKey::P384(*k.verifying_key()),
        }
    }

    /// The public half (the name `ed25519-dalek` uses).
    pub fn verifying_key(&self) -> PublicKey {
        self.public_key()
    }

    /// Signs `message`: 64 raw bytes for Ed25519, a DER `ECDSA-Sig-Value` for ECDSA.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            SigningKey::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
            SigningKey::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            SigningKey::P384(k) => {
                let sig: p384::ecdsa::Signature = k.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
        }
    }
}

/// A public key of any supported kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicKey {
    /// Ed25519.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// ECDSA P-256.
    P256(p256::ecdsa::VerifyingKey),
    /// ECDSA P-384.
    P384(p384::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// Which kind of key this is.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self {
            PublicKey::Ed25519(_) => KeyAlgorithm::Ed25519,
            PublicKey::P256(_) => KeyAlgorithm::P256,
            PublicKey::P384(_) => KeyAlgorithm::P384,
        }
    }

    /// The key's raw bytes as the SPKI `subjectPublicKey` holds them: 32 bytes for Ed25519, the
    /// uncompressed SEC1 point (`04 || x || y`) for ECDSA. The key id hashes these.
    pub fn raw_bytes(&self) -> Vec<u8> {
        match self {
            PublicKey::Ed25519(k) => k.as_bytes().to_vec(),
            PublicKey::P256(k) => k.to_sec1_bytes().to_vec(),
            PublicKey::P384(k) => k.to_sec1_bytes().to_vec(),
        }
    }

    /// The key id: SHA-256 of [`PublicKey::raw_bytes`], 64 lowercase hex digits. For every kind
    /// it is the tail of the SPKI DER (`openssl pkey -pubin -outform DER | tail -c 32|65|97`).
    pub fn id(&self) -> String {
        hex(&Sha256::digest(self.raw_bytes()))
    }

    /// Whether `signature` (as [`SigningKey::sign`] makes it) signs `message`. Ed25519 is
    /// checked strictly (no weak keys, no malleable signatures); ECDSA accepts DER and, for
    /// signatures other tools wrote, the fixed-width `r || s` form.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Ed25519(k) => <[u8; 64]>::try_from(signature)
                .map(|b| ed25519_dalek::Signature::from_bytes(&b))
                .is_ok_and(|sig| k.verify_strict(message, &sig).is_ok()),
            PublicKey::P256(k) => p256::ecdsa::Signature::from_der(signature)
                .or_else(|_| p256::ecdsa::Signature::from_slice(signature))
                .is_ok_and(|sig| k.verify(message, &sig).is_ok()),
            PublicKey::P384(k) => p384::ecdsa::Signature::from_der(signature)
                .or_else(|_| p384::ecdsa::Signature::from_slice(signature))
                .is_ok_and(|sig| k.verify(message, &sig).is_ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_kinds() -> Vec<SigningKey> {
        [
            KeyAlgorithm::Ed25519,
            KeyAlgorithm::P256,
            KeyAlgorithm::P384,
        ]
        .into_iter()
        .map(|a| crate::signature::generate_key(a).unwrap())
        .collect()
    }

    #[test]
    fn every_kind_signs_and_verifies_and_rejects_changes() {
        for key in all_kinds() {
            let public = key.public_key();
            assert_eq!(public.algorithm(), key.algorithm());
            let sig = key.sign(b"payload");
            assert!(public.verifies(b"payload", &sig), "{key:?}");
            assert!(!public.verifies(b"payloae", &sig), "{key:?}");
            let mut bad = sig.clone();
            let last = bad.len() - 1;
            bad[last] ^= 1;
            assert!(!public.verifies(b"payload", &bad), "{key:?}");
            assert!(!public.verifies(b"payload", b""), "{key:?}");
        }
    }

    #[test]
    fn a_key_of_another_kind_never_verifies() {
        let keys = all_kinds();
        for a in &keys {
            let sig = a.sign(b"m");
            for b in &keys {
                if a.algorithm() != b.algorithm() {
                    assert!(!b.public_key().verifies(b"m", &sig));
                }
            }
        }
    }

    #[test]
    fn raw_bytes_and_ids_have_the_documented_sizes() {
        let sizes: Vec<usize> = all_kinds()
            .iter()
            .map(|k| k.public_key().raw_bytes().len())
            .collect();
        assert_eq!(sizes, [32, 65, 97]);
        for k in all_kinds() {
            assert_eq!(k.public_key().id().len(), 64);
        }
    }

    #[test]
    fn ecdsa_signatures_are_deterministic_der() {
        let key = crate::signature::generate_key(KeyAlgorithm::P256).unwrap();
        let a = key.sign(b"m");
        assert_eq!(a, key.sign(b"m"));
        assert_eq!(a[0], 0x30, "DER SEQUENCE");
    }

    #[test]
    fn debug_never_shows_the_private_key() {
        let key = crate::signature::generate_key(KeyAlgorithm::P256).unwrap();
        let shown = format!("{key:?}");
        assert!(shown.starts_with("SigningKey(p256, "), "{shown}");
    }
}

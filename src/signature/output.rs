//! `openseal keygen --json`: the key pair written, as one typed object
//! (`formats/keygen.schema.json`).

use std::path::Path;

use serde::Serialize;

/// The schema name of [`KeygenOutput`].
pub const SCHEMA: &str = "openseal.keygen/v1";

/// The JSON summary of a new key pair.
#[derive(Debug, Clone, Serialize)]
pub struct KeygenOutput<'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The key id ([`super::key_id`]) that manifests signed with it will name.
    pub key_id: &'a str,
    /// The kind of key (`ed25519`, `p256`, `p384`).
    pub algorithm: &'static str,
    /// The private key file (PKCS#8 PEM, mode 0600).
    pub private_key: &'a Path,
    /// The public key file (SPKI PEM), for those who verify.
    pub public_key: &'a Path,
}

impl<'a> KeygenOutput<'a> {
    /// The summary of a key pair written to `private_key` and `public_key`.
    pub fn new(
        key_id: &'a str,
        algorithm: super::KeyAlgorithm,
        private_key: &'a Path,
        public_key: &'a Path,
    ) -> Self {
        KeygenOutput {
            schema: SCHEMA,
            key_id,
            algorithm: algorithm.as_str(),
            private_key,
            public_key,
        }
    }
}

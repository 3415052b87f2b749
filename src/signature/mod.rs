//! Signatures (Ed25519, or ECDSA P-256/P-384) over the manifest, in a DSSE envelope (the format of in-toto and Sigstore),
//! and the key files behind them.
//!
//! - `keys`: generating keys, PKCS#8/SPKI PEM files (readable by `openssl pkey`), key ids, and
//!   the demo key (never for real use).
//! - `dsse`: the envelope, its pre-authentication encoding (PAE), signing and verifying against
//!   a set of [`TrustedKey`]s.
//! - `trusted`: what verification knows about a key it trusts (expiry, revocation); the `trust`
//!   module builds these from `.pub` files and trust files.

mod algorithm;
pub(crate) mod dsse;
pub(crate) mod keys;
mod output;
mod trusted;

pub use algorithm::{KeyAlgorithm, PublicKey, SigningKey};
pub(crate) use dsse::MANIFEST_PAYLOAD_TYPE;
pub use dsse::{Verified, VerifyError, sign_manifest, verify_manifest};
pub use keys::{
    KeyError, demo_signing_key, generate_key, generate_signing_key, key_id, parse_public_key,
    public_key_pem, read_private_key, read_public_key, write_private_key, write_public_key,
};
pub use output::{KeygenOutput, SCHEMA as KEYGEN_OUTPUT_SCHEMA};
pub use trusted::{Date, TrustedKey};

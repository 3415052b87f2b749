//! The bytes of an OMS v1.0 signature (`model.sig`): a Sigstore bundle (v0.3 JSON) holding a
//! DSSE envelope whose payload is an in-toto Statement v1 with the model-signing predicate.
//!
//! Written here as typed serde structs rather than through a Sigstore crate: the `key` method
//! needs none of Sigstore's online parts (Fulcio, Rekor), and `sigstore-rs` would bring a TLS and
//! OIDC stack for a few JSON fields. Unknown fields are ignored when reading, as the OMS schema's
//! readers do for resource descriptors.

use serde::{Deserialize, Serialize};

use crate::signature::dsse::Envelope;

/// The Sigstore bundle media type `model_signing` 1.x writes and reads.
pub const BUNDLE_MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// The DSSE payload type of an in-toto statement.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// The in-toto Statement v1 type.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// The OMS v1.0 predicate type.
pub const PREDICATE_TYPE: &str = "https://model_signing/signature/v1.0";

/// The top of `model.sig`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SigstoreBundle {
    #[serde(rename = "mediaType")]
    pub media_type: String,
    #[serde(rename = "verificationMaterial")]
    pub verification_material: VerificationMaterial,
    #[serde(rename = "dsseEnvelope")]
    pub dsse_envelope: Envelope,
}

/// How the verifier finds the key: a public-key hint for the `key` method; a certificate or a
/// chain for the methods openseal does not verify.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct VerificationMaterial {
    #[serde(rename = "publicKey", default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<PublicKeyHint>,
    #[serde(
        rename = "x509CertificateChain",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub certificate_chain: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<serde_json::Value>,
    #[serde(rename = "tlogEntries", default)]
    pub tlog_entries: Vec<serde_json::Value>,
}

/// `publicKey.hint`: hex SHA-256 of the signer's SPKI PEM text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PublicKeyHint {
    #[serde(default)]
    pub hint: String,
}

/// The in-toto statement the envelope signs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub statement_type: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    pub predicate: Predicate,
}

/// The model as a whole: its folder's name and the root digest over every resource digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subject {
    pub name: String,
    pub digest: SubjectDigest,
}

/// The root digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubjectDigest {
    pub sha256: String,
}

/// The model-signing predicate: how the folder was serialised and one digest per file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Predicate {
    pub serialization: Serialization,
    pub resources: Vec<Resource>,
}

/// How the folder was turned into resources.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Serialization {
    pub method: String,
    pub hash_type: String,
    pub allow_symlinks: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_size: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_paths: Vec<String>,
}

/// One file: its relative path, the hash algorithm and the hex digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resource {
    pub name: String,
    pub algorithm: String,
    pub digest: String,
}

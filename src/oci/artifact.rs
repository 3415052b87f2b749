//! The artifact of a release: an OCI image manifest typed as a CNCF ModelPack model, built from
//! the signed openseal manifest alone.
//!
//! Every release file is one uncompressed (`.raw`) layer whose digest is the SHA-256 the
//! manifest already records, so nothing is hashed again and the layers can be checked against
//! the signed manifest file by file. Two more layers come first: the openseal manifest and its
//! signature, byte for byte as the bundle holds them, so whoever fetches the artifact can check
//! the signer before fetching gigabytes. The same manifest bytes always give the same artifact
//! bytes: layers in a fixed order, sorted maps, compact JSON, no timestamps.

use std::collections::BTreeMap;

use super::facts;
use super::kind::layer_kind;
use super::media::{self, LayerKind};
use super::spec::{Descriptor, FileMetadata, ImageManifest, ModelConfig, ModelFs};
use crate::bundle::{MANIFEST_PATH, SIGNATURE_PATH};
use crate::digest::Sha256Digest;
use crate::manifest::Manifest;

/// The mtime every layer's file metadata states: the bundle's tar mtime is not part of the
/// signed manifest, so the artifact states the epoch, as other reproducible writers do.
pub const FILE_MTIME: &str = "1970-01-01T00:00:00Z";

/// Where a layer's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerSource {
    /// The openseal manifest, as signed.
    Manifest,
    /// The manifest's signature (DSSE envelope).
    Signature,
    /// A release file, by its path in the release.
    File(String),
}

/// One layer: its descriptor in the image manifest, its type and where its bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    /// The descriptor as the image manifest lists it.
    pub descriptor: Descriptor,
    /// What it holds.
    pub kind: LayerKind,
    /// Where its bytes come from.
    pub source: LayerSource,
}

/// A release as a ModelPack OCI artifact: config, layers and image manifest, with the exact
/// bytes and digests of the two JSON documents.
#[derive(Debug, Clone)]
pub struct Artifact {
    layers: Vec<Layer>,
    config: ModelConfig,
    config_bytes: Vec<u8>,
    config_digest: Sha256Digest,
    manifest: ImageManifest,
    manifest_bytes: Vec<u8>,
    manifest_digest: Sha256Digest,
}

/// `sha256:<hex>`.
fn prefixed(hex: &str) -> String {
    format!("sha256:{hex}")
}

/// A layer's annotations: the path (ModelPack's and ORAS's key), the file's metadata, and
/// whether the layer type was guessed.
fn layer_annotations(
    path: &str,
    size: u64,
    executable: bool,
    untested: bool,
) -> BTreeMap<String, String> {
    let metadata = FileMetadata {
        name: path.rsplit('/').next().unwrap_or(path).to_string(),
        mode: if executable { 0o755 } else { 0o644 },
        uid: 0,
        gid: 0,
        size,
        mtime: FILE_MTIME.to_string(),
        typeflag: b'0',
    };
    BTreeMap::from([
        (media::FILEPATH.to_string(), path.to_string()),
        (
            media::FILE_METADATA.to_string(),
            serde_json::to_string(&metadata).unwrap_or_default(),
        ),
        (media::MEDIATYPE_UNTESTED.to_string(), untested.to_string()),
        (media::TITLE.to_string(), path.to_string()),
    ])
}

fn head_layer(kind: LayerKind, source: LayerSource, path: &str, bytes: &[u8]) -> Layer {
    Layer {
        descriptor: Descriptor {
            media_type: kind.media_type().to_string(),
            digest: prefixed(&Sha256Digest::of(bytes).to_hex()),
            size: bytes.len() as u64,
            artifact_type: None,
            annotations: layer_annotations(path, bytes.len() as u64, false, false),
        },
        kind,
        source,
    }
}

impl Artifact {
    /// The artifact of the release `manifest` describes; `manifest_bytes` and `signature_bytes`
    /// are the signed manifest and its DSSE envelope exactly as the bundle holds them (the
    /// caller has checked the signature and parsed `manifest` from those bytes).
    pub fn from_manifest(
        manifest: &Manifest,
        manifest_bytes: &[u8],
        signature_bytes: &[u8],
    ) -> Artifact {
        let summarised: std::collections::HashSet<&str> =
            manifest.weights.iter().map(|w| w.path.as_str()).collect();
        let mut layers = vec![
            head_layer(
                LayerKind::OpensealManifest,
                LayerSource::Manifest,
                MANIFEST_PATH,
                manifest_bytes,
            ),
            head_layer(
                LayerKind::OpensealSignature,
                LayerSource::Signature,
                SIGNATURE_PATH,
                signature_bytes,
            ),
        ];
        // The manifest lists its files sorted bytewise by path, and so do the layers.
        for f in &manifest.files {
            let (kind, untested) = layer_kind(f, summarised.contains(f.path.as_str()));
            layers.push(Layer {
                descriptor: Descriptor {
                    media_type: kind.media_type().to_string(),
                    digest: prefixed(&f.sha256),
                    size: f.size,
                    artifact_type: None,
                    annotations: layer_annotations(&f.path, f.size, f.executable, untested),
                },
                kind,
                source: LayerSource::File(f.path.clone()),
            });
        }
        let config = ModelConfig {
            descriptor: facts::descriptor(manifest),
            config: facts::params(manifest),
            modelfs: ModelFs {
                kind: "layers".into(),
                diff_ids: layers.iter().map(|l| l.descriptor.digest.clone()).collect(),
            },
        };
        let config_bytes = serde_json::to_vec(&config).unwrap_or_default();
        let config_digest = Sha256Digest::of(&config_bytes);
        let image = ImageManifest {
            schema_version: 2,
            media_type: media::OCI_MANIFEST.into(),
            artifact_type: Some(media::MODEL_ARTIFACT.into()),
            config: Descriptor {
                media_type: media::MODEL_CONFIG.into(),
                digest: prefixed(&config_digest.to_hex()),
                size: config_bytes.len() as u64,
                artifact_type: None,
                annotations: BTreeMap::new(),
            },
            layers: layers.iter().map(|l| l.descriptor.clone()).collect(),
            annotations: facts::annotations(manifest),
        };
        let manifest_json = serde_json::to_vec(&image).unwrap_or_default();
        let manifest_digest = Sha256Digest::of(&manifest_json);
        Artifact {
            layers,
            config,
            config_bytes,
            config_digest,
            manifest: image,
            manifest_bytes: manifest_json,
            manifest_digest,
        }
    }

    /// The layers, in the image manifest's order.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The ModelPack config.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The config blob's bytes (compact JSON).
    pub fn config_bytes(&self) -> &[u8] {
        &self.config_bytes
    }

    /// The config blob's SHA-256.
    pub fn config_digest(&self) -> Sha256Digest {
        self.config_digest
    }

    /// The image manifest.
    pub fn manifest(&self) -> &ImageManifest {
        &self.manifest
    }

    /// The image manifest's bytes (compact JSON): what a registry stores and what its digest
    /// is the digest of.
    pub fn manifest_bytes(&self) -> &[u8] {
        &self.manifest_bytes
    }

    /// The image manifest's SHA-256.
    pub fn manifest_digest(&self) -> Sha256Digest {
        self.manifest_digest
    }

    /// A descriptor of the image manifest, as an index lists it; `tag` becomes its
    /// `org.opencontainers.image.ref.name`.
    pub fn manifest_descriptor(&self, tag: Option<&str>) -> Descriptor {
        Descriptor {
            media_type: media::OCI_MANIFEST.into(),
            digest: prefixed(&self.manifest_digest.to_hex()),
            size: self.manifest_bytes.len() as u64,
            artifact_type: Some(media::MODEL_ARTIFACT.into()),
            annotations: tag
                .map(|t| BTreeMap::from([(media::REF_NAME.to_string(), t.to_string())]))
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> (Manifest, Vec<u8>) {
        // A small manifest written by hand: two files, a weights summary, a MOF declaration.
        let text = r#"{
  "schema": "openseal.manifest/v1",
  "release": {"name": "m", "version": "1.0", "producer": "P"},
  "licenses": {"weights": "MIT"},
  "declarations": [{"framework": "mof", "version": "1.0", "level": "class-iii"}],
  "components": [
    {"id": "code.model-architecture", "status": "included", "files": ["config.json"]},
    {"id": "weights.final", "status": "included", "files": ["model.safetensors"]},
    {"id": "docs.research-paper", "status": "referenced", "url": "https://example.org/p"},
    {"id": "code.training", "status": "withheld", "reason": "r"}
  ],
  "files": [
    {"path": "config.json", "size": 2, "sha256": "1111111111111111111111111111111111111111111111111111111111111111", "components": ["code.model-architecture"]},
    {"path": "model.safetensors", "size": 9, "sha256": "2222222222222222222222222222222222222222222222222222222222222222", "components": ["weights.final"]},
    {"path": "run.sh", "size": 3, "sha256": "3333333333333333333333333333333333333333333333333333333333333333", "role": "unclassified", "executable": true}
  ],
  "weights": [{"path": "model.safetensors", "format": "safetensors", "tensors": 1,
    "parameters": 2000, "parameters_by_dtype": {"BF16": 1500, "F32": 500},
    "architecture": "llama", "safety": "safe"}],
  "tool": {"name": "openseal", "version": "0", "zstd_version": "1", "zstd_level": 3}
}"#;
        (
            Manifest::from_bytes(text.as_bytes()).unwrap(),
            text.as_bytes().to_vec(),
        )
    }

    #[test]
    fn maps_files_to_typed_layers_with_the_manifests_digests() {
        let (m, bytes) = example();
        let a = Artifact::from_manifest(&m, &bytes, b"sig");
        let kinds: Vec<LayerKind> = a.layers().iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LayerKind::OpensealManifest,
                LayerKind::OpensealSignature,
                LayerKind::WeightConfig,
                LayerKind::Weight,
                LayerKind::Doc
            ]
        );
        let l = &a.layers()[3].descriptor;
        assert_eq!(l.digest, format!("sha256:{}", "2".repeat(64)));
        assert_eq!(l.size, 9);
        assert_eq!(l.media_type, media::WEIGHT_RAW);
        assert_eq!(l.annotations[media::FILEPATH], "model.safetensors");
        let exec = &a.layers()[4].descriptor.annotations;
        assert_eq!(exec[media::MEDIATYPE_UNTESTED], "true");
        assert!(exec[media::FILE_METADATA].contains(r#""mode":493"#));
        let head = &a.layers()[0].descriptor;
        assert_eq!(head.digest, format!("sha256:{}", Sha256Digest::of(&bytes)));
        assert_eq!(head.annotations[media::FILEPATH], ".openseal/manifest.json");
        assert_eq!(a.config().modelfs.diff_ids.len(), 5);
    }

    #[test]
    fn fills_the_config_and_annotations_from_the_manifest() {
        let (m, bytes) = example();
        let a = Artifact::from_manifest(&m, &bytes, b"sig");
        let c = a.config();
        assert_eq!(c.descriptor.name.as_deref(), Some("m"));
        assert_eq!(c.descriptor.licenses, ["MIT"]);
        assert_eq!(c.descriptor.authors, ["P"]);
        assert_eq!(c.config.param_size.as_deref(), Some("2K"));
        assert_eq!(c.config.precision.as_deref(), Some("bf16,fp32"));
        assert_eq!(c.config.architecture.as_deref(), Some("llama"));
        let ann = &a.manifest().annotations;
        assert_eq!(ann[media::MOF_CLASS], "III");
        assert_eq!(ann[media::MOF_VERSION], "1.0");
        assert_eq!(
            ann[media::MOF_COMPONENTS],
            "model-architecture,final-model-parameters,research-paper"
        );
        assert_eq!(ann[media::LICENSES], "MIT");
    }

    #[test]
    fn the_same_manifest_gives_the_same_bytes() {
        let (m, bytes) = example();
        let a = Artifact::from_manifest(&m, &bytes, b"sig");
        let b = Artifact::from_manifest(&m, &bytes, b"sig");
        assert_eq!(a.manifest_bytes(), b.manifest_bytes());
        assert_eq!(a.manifest_digest(), Sha256Digest::of(a.manifest_bytes()));
        assert_eq!(a.config_digest(), Sha256Digest::of(a.config_bytes()));
        let parsed: ImageManifest = serde_json::from_slice(a.manifest_bytes()).unwrap();
        assert_eq!(&parsed, a.manifest());
        let text = String::from_utf8(a.manifest_bytes().to_vec()).unwrap();
        assert!(text.starts_with(r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cncf.model.manifest.v1+json""#));
    }
}

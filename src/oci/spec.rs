//! The JSON documents of an OCI artifact as typed serde structs: the image manifest, its
//! descriptors, the image index of a layout, and the ModelPack config. Fields serialize in the
//! order declared here and maps are sorted, so the same values always give the same bytes.
//!
//! Reading accepts what the specs allow beside (unknown fields are ignored), so a registry
//! client can read other tools' manifests with the same types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An OCI content descriptor: what a blob is, its digest and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// The blob's media type.
    pub media_type: String,
    /// The blob's digest, `sha256:<64 lowercase hex>`.
    pub digest: String,
    /// The blob's size in bytes.
    pub size: u64,
    /// The artifact type of the manifest it points to (index entries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// Annotations, sorted by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An OCI image manifest (`application/vnd.oci.image.manifest.v1+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageManifest {
    /// Always 2.
    pub schema_version: u32,
    /// `application/vnd.oci.image.manifest.v1+json`.
    pub media_type: String,
    /// What the artifact is (`application/vnd.cncf.model.manifest.v1+json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// The config blob.
    pub config: Descriptor,
    /// The layers, in order.
    pub layers: Vec<Descriptor>,
    /// Annotations, sorted by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An OCI image index (`index.json` of a layout).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageIndex {
    /// Always 2.
    pub schema_version: u32,
    /// `application/vnd.oci.image.index.v1+json`.
    pub media_type: String,
    /// The manifests, each with its tag in `org.opencontainers.image.ref.name`.
    pub manifests: Vec<Descriptor>,
}

/// The `oci-layout` file of a layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayoutMarker {
    /// `1.0.0`.
    pub image_layout_version: String,
}

/// The ModelPack config blob (`application/vnd.cncf.model.config.v1+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// General facts about the model.
    pub descriptor: ModelDescriptor,
    /// Technical facts about the model.
    pub config: ModelParams,
    /// The layers' content digests.
    pub modelfs: ModelFs,
}

/// ModelPack `descriptor`: who and what the model is. Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelDescriptor {
    /// The people or organisations responsible for the model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The distributing entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// The model's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The model's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The licences under which the model is distributed, as SPDX expressions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
}

/// ModelPack `config`: the model's technical facts. Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelParams {
    /// The model's architecture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// The weights' format (`safetensors`, `gguf`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The parameter count as `<count><scale>` (`6.7B`, `107K`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param_size: Option<String>,
    /// The weights' precision (`bf16`, or a comma-separated list when several).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
    /// The quantization scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantization: Option<String>,
}

/// ModelPack `modelfs`: the digests of the layers' uncompressed contents, in layer order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelFs {
    /// Always `layers`.
    #[serde(rename = "type")]
    pub kind: String,
    /// One `sha256:<hex>` per layer; for raw layers, the layer's digest.
    pub diff_ids: Vec<String>,
}

/// The value of ModelPack's `org.cncf.model.file.metadata+json` layer annotation: the file's
/// attributes as a tar header would carry them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMetadata {
    /// The file's name (its last path component).
    pub name: String,
    /// Permission bits (420 = 0644, 493 = 0755).
    pub mode: u32,
    /// Owner id.
    pub uid: u32,
    /// Group id.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, RFC 3339.
    pub mtime: String,
    /// The tar type flag (48, `'0'`, a regular file).
    pub typeflag: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_the_specs_field_names_and_leaves_out_empty_fields() {
        let d = Descriptor {
            media_type: "m".into(),
            digest: "sha256:00".into(),
            size: 3,
            artifact_type: None,
            annotations: BTreeMap::new(),
        };
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"mediaType":"m","digest":"sha256:00","size":3}"#
        );
        let fs = ModelFs {
            kind: "layers".into(),
            diff_ids: vec!["sha256:00".into()],
        };
        assert_eq!(
            serde_json::to_string(&fs).unwrap(),
            r#"{"type":"layers","diffIds":["sha256:00"]}"#
        );
        let p = ModelParams {
            param_size: Some("1K".into()),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"paramSize":"1K"}"#);
    }

    #[test]
    fn reads_manifests_with_fields_it_does_not_know() {
        let text = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{"mediaType":"c","digest":"sha256:01","size":1,"urls":["x"]},
            "layers":[],"subject":{"mediaType":"s","digest":"sha256:02","size":2}}"#;
        let m: ImageManifest = serde_json::from_str(text).unwrap();
        assert_eq!(m.config.size, 1);
        assert!(m.artifact_type.is_none());
    }
}

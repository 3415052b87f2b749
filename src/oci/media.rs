//! The media types and annotation keys of the artifact, each named once. `formats/oci.md` has
//! the table of all of them, what each layer holds and where each value comes from.
//!
//! Three vocabularies meet here: the OCI image spec (manifest, index, layout, the
//! `org.opencontainers.image.*` annotations), the CNCF ModelPack model spec
//! (`modelpack/model-spec`, `specs-go/v1/{mediatype,annotations}.go`: artifact type, config,
//! layer types, `org.cncf.model.*` layer annotations) and openseal's own two layer types for the
//! signed manifest and its signature. The `org.cncf.ai.*` keys are a proposal (cncf/toc#2299,
//! open), not a published standard: their names may still change.

/// The OCI image manifest (the artifact's manifest is one).
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// The OCI image index (`index.json` of a layout is one).
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// The `imageLayoutVersion` written to `oci-layout`.
pub const OCI_LAYOUT_VERSION: &str = "1.0.0";

/// ModelPack: the `artifactType` of a model manifest.
pub const MODEL_ARTIFACT: &str = "application/vnd.cncf.model.manifest.v1+json";
/// ModelPack: the config blob (`descriptor`, `config`, `modelfs`).
pub const MODEL_CONFIG: &str = "application/vnd.cncf.model.config.v1+json";
/// ModelPack: one weights file, unarchived and uncompressed.
pub const WEIGHT_RAW: &str = "application/vnd.cncf.model.weight.v1.raw";
/// ModelPack: one configuration file of the weights (`config.json`, tokenizer files), raw.
pub const WEIGHT_CONFIG_RAW: &str = "application/vnd.cncf.model.weight.config.v1.raw";
/// ModelPack: one code file, raw.
pub const CODE_RAW: &str = "application/vnd.cncf.model.code.v1.raw";
/// ModelPack: one dataset file, raw.
pub const DATASET_RAW: &str = "application/vnd.cncf.model.dataset.v1.raw";
/// ModelPack: one documentation file (model card, licence, report), raw.
pub const DOC_RAW: &str = "application/vnd.cncf.model.doc.v1.raw";

/// openseal: the signed manifest (`openseal.manifest/v1`), exactly the bytes of the bundle's
/// `.openseal/manifest.json`.
pub const OPENSEAL_MANIFEST: &str = "application/vnd.openseal.manifest.v1+json";
/// openseal: the manifest's signature, a DSSE envelope, exactly the bytes of the bundle's
/// `.openseal/manifest.sig`.
pub const OPENSEAL_SIGNATURE: &str = "application/vnd.openseal.manifest.sig.v1+json";

/// OCI: the tag of a manifest in a layout's `index.json`.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// OCI: a human-readable title (the release's name on the manifest, the path on a layer,
/// which is the file name ORAS restores).
pub const TITLE: &str = "org.opencontainers.image.title";
/// OCI: the version of the packaged software (the release's version).
pub const VERSION: &str = "org.opencontainers.image.version";
/// OCI: the distributing entity (the release's producer).
pub const VENDOR: &str = "org.opencontainers.image.vendor";
/// OCI: the licence, as an SPDX expression (the model's licence, when it is one).
pub const LICENSES: &str = "org.opencontainers.image.licenses";

/// ModelPack: the path of the file a layer holds, relative to the model's root.
pub const FILEPATH: &str = "org.cncf.model.filepath";
/// ModelPack: the file's metadata as JSON (`name`, `mode`, `uid`, `gid`, `size`, `mtime`,
/// `typeflag`).
pub const FILE_METADATA: &str = "org.cncf.model.file.metadata+json";
/// ModelPack: `"true"` when the layer's media type was guessed rather than established.
pub const MEDIATYPE_UNTESTED: &str = "org.cncf.model.file.mediatype.untested";

/// Proposal (cncf/toc#2299): the packaging format of the artifact (`modelpack`).
pub const PACKAGING_FORMAT: &str = "org.cncf.ai.packaging.format";
/// Proposal (cncf/toc#2299): the Model Openness Framework class claimed (`I`, `II`, `III`).
pub const MOF_CLASS: &str = "org.cncf.ai.model.mof.class";
/// Proposal (cncf/toc#2299): the MOF version the class was derived with (`1.0`).
pub const MOF_VERSION: &str = "org.cncf.ai.model.mof.version";
/// Proposal (cncf/toc#2299): the MOF components present, comma-separated.
pub const MOF_COMPONENTS: &str = "org.cncf.ai.model.mof.components";

/// What a layer holds, as ModelPack types it (plus openseal's two types for its head).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerKind {
    /// A weights file.
    Weight,
    /// A configuration file of the weights (`config.json`, tokenizer files, shard index).
    WeightConfig,
    /// A code file.
    Code,
    /// A dataset file.
    Dataset,
    /// Documentation, licence texts and every other file.
    Doc,
    /// openseal's signed manifest.
    OpensealManifest,
    /// openseal's signature of the manifest.
    OpensealSignature,
}

impl LayerKind {
    /// The layer's media type: uncompressed single files (`.raw`) for every release file.
    pub fn media_type(self) -> &'static str {
        match self {
            LayerKind::Weight => WEIGHT_RAW,
            LayerKind::WeightConfig => WEIGHT_CONFIG_RAW,
            LayerKind::Code => CODE_RAW,
            LayerKind::Dataset => DATASET_RAW,
            LayerKind::Doc => DOC_RAW,
            LayerKind::OpensealManifest => OPENSEAL_MANIFEST,
            LayerKind::OpensealSignature => OPENSEAL_SIGNATURE,
        }
    }
}

/// The Model Openness Framework's components as the proposal (cncf/toc#2299) names them, by
/// the openseal component id that carries each (`formats/frameworks/mof-1.0.toml` has the same
/// correspondence).
pub const MOF_COMPONENT_NAMES: &[(&str, &str)] = &[
    ("datasets.pre-training", "datasets"),
    ("code.data-preprocessing", "data-preprocessing-code"),
    ("code.model-architecture", "model-architecture"),
    ("weights.final", "final-model-parameters"),
    ("weights.intermediate", "intermediate-model-parameters"),
    ("docs.model-metadata", "model-metadata"),
    ("code.training", "training-code"),
    ("code.inference", "inference-code"),
    ("code.evaluation", "evaluation-code"),
    ("datasets.evaluation", "evaluation-data"),
    ("docs.evaluation-results", "evaluation-results"),
    (
        "code.supporting-libraries",
        "supporting-libraries-and-tools",
    ),
    ("docs.model-card", "model-card"),
    ("docs.data-card", "data-card"),
    ("docs.technical-report", "technical-report"),
    ("docs.research-paper", "research-paper"),
    ("docs.sample-outputs", "sample-model-outputs"),
];

/// The proposal's value of `mof.class` for an openseal MOF level id (`class-ii` → `II`).
pub fn mof_class(level: &str) -> Option<&'static str> {
    match level {
        "class-i" => Some("I"),
        "class-ii" => Some("II"),
        "class-iii" => Some("III"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mof_component_is_an_openseal_component() {
        for (id, _) in MOF_COMPONENT_NAMES {
            assert!(crate::framework::component(id).is_some(), "{id}");
        }
        assert_eq!(MOF_COMPONENT_NAMES.len(), 17);
    }

    #[test]
    fn mof_levels_map_to_roman_classes() {
        assert_eq!(mof_class("class-iii"), Some("III"));
        assert_eq!(mof_class("class-i"), Some("I"));
        assert_eq!(mof_class("open"), None);
    }
}

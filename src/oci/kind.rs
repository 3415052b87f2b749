//! Which ModelPack layer type a release file becomes, from what the signed manifest says about
//! it: its components, its role, whether openseal read it as weights, and (only to tell
//! configuration from code or weights inside one component) its file name.
//!
//! In order, the first rule that applies:
//! 1. a file with a role (licence text, descriptor, bill of materials, OMS signature,
//!    unclassified) is documentation;
//! 2. a weights file (one the manifest has an inspection summary of) is weights;
//! 3. a file of a `weights.*` component is weights, or weights configuration when its name is
//!    that of a configuration file (a shard index, `adapter_config.json`);
//! 4. a configuration file of the model (`code.model-architecture` or
//!    `product.output-settings` with a configuration file name, or a tokenizer file of
//!    `code.supporting-libraries`) is weights configuration;
//! 5. a file of a `code.*` component is code;
//! 6. a file of a `datasets.*` component is a dataset;
//! 7. everything else (documents, product and infrastructure components) is documentation.

use super::media::LayerKind;
use crate::manifest::FileEntry;

/// Extensions of configuration files (lowercase, without the dot).
const CONFIG_EXTENSIONS: &[&str] = &[
    "json", "yaml", "yml", "toml", "txt", "model", "tiktoken", "jinja",
];

/// How tokenizer files are named (the start of the lowercase file name).
const TOKENIZER_NAMES: &[&str] = &[
    "tokenizer",
    "special_tokens_map",
    "added_tokens",
    "vocab",
    "merges",
    "spiece",
    "sentencepiece",
    "chat_template",
];

/// Components whose configuration files configure the model.
const MODEL_CONFIG_COMPONENTS: &[&str] = &["code.model-architecture", "product.output-settings"];

/// The layer type of `file`, and whether that type is a guess (`true` for files the release
/// left unclassified, which become documentation by default).
pub(crate) fn layer_kind(file: &FileEntry, is_weights_file: bool) -> (LayerKind, bool) {
    if let Some(role) = &file.role {
        return (LayerKind::Doc, role == "unclassified");
    }
    if file.components.is_empty() {
        return (LayerKind::Doc, true);
    }
    if is_weights_file {
        return (LayerKind::Weight, false);
    }
    let name = file
        .path
        .rsplit('/')
        .next()
        .unwrap_or(&file.path)
        .to_ascii_lowercase();
    let config_file = name
        .rsplit_once('.')
        .is_some_and(|(_, ext)| CONFIG_EXTENSIONS.contains(&ext));
    let has = |pred: &dyn Fn(&str) -> bool| file.components.iter().any(|c| pred(c));
    if has(&|c| c.starts_with("weights.")) {
        let kind = if config_file {
            LayerKind::WeightConfig
        } else {
            LayerKind::Weight
        };
        return (kind, false);
    }
    let tokenizer = TOKENIZER_NAMES.iter().any(|t| name.starts_with(t));
    if (config_file && has(&|c| MODEL_CONFIG_COMPONENTS.contains(&c)))
        || (tokenizer && has(&|c| c == "code.supporting-libraries"))
    {
        return (LayerKind::WeightConfig, false);
    }
    if has(&|c| c.starts_with("code.")) {
        return (LayerKind::Code, false);
    }
    if has(&|c| c.starts_with("datasets.")) {
        return (LayerKind::Dataset, false);
    }
    (LayerKind::Doc, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, components: &[&str], role: Option<&str>) -> FileEntry {
        FileEntry {
            path: path.into(),
            size: 1,
            sha256: "0".repeat(64),
            components: components.iter().map(|c| c.to_string()).collect(),
            role: role.map(str::to_string),
            executable: false,
        }
    }

    fn kind(path: &str, components: &[&str]) -> LayerKind {
        layer_kind(&file(path, components, None), false).0
    }

    #[test]
    fn maps_each_component_family_to_its_layer_type() {
        use LayerKind::*;
        let w = file("model.safetensors", &["weights.final"], None);
        assert_eq!(layer_kind(&w, true), (Weight, false));
        assert_eq!(kind("model.onnx", &["weights.final"]), Weight);
        assert_eq!(
            kind("model.safetensors.index.json", &["weights.final"]),
            WeightConfig
        );
        assert_eq!(
            kind("lora/adapter_config.json", &["weights.adaptation"]),
            WeightConfig
        );
        assert_eq!(
            kind("config.json", &["code.model-architecture"]),
            WeightConfig
        );
        assert_eq!(kind("modeling_x.py", &["code.model-architecture"]), Code);
        assert_eq!(
            kind("generation_config.json", &["product.output-settings"]),
            WeightConfig
        );
        assert_eq!(
            kind("tokenizer_config.json", &["code.supporting-libraries"]),
            WeightConfig
        );
        assert_eq!(
            kind("vocab.txt", &["code.supporting-libraries"]),
            WeightConfig
        );
        assert_eq!(
            kind("requirements.txt", &["code.supporting-libraries"]),
            Code
        );
        assert_eq!(kind("train.py", &["code.training"]), Code);
        assert_eq!(
            kind("data/train.jsonl", &["datasets.pre-training"]),
            Dataset
        );
        assert_eq!(kind("README.md", &["docs.model-card"]), Doc);
        assert_eq!(
            kind("README.md", &["docs.model-card", "docs.evaluation-results"]),
            Doc
        );
        assert_eq!(kind("ui/app.js", &["product.ui-api"]), Doc);
    }

    #[test]
    fn files_with_a_role_are_documentation_and_only_unclassified_ones_a_guess() {
        for role in ["license-text", "descriptor", "bom", "oms-signature"] {
            assert_eq!(
                layer_kind(&file("x", &[], Some(role)), false),
                (LayerKind::Doc, false)
            );
        }
        assert_eq!(
            layer_kind(&file("x.bin", &[], Some("unclassified")), false),
            (LayerKind::Doc, true)
        );
    }
}

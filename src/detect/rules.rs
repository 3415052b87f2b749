//! Which component a file belongs to, judged from its path. Rules are tried in order; the first
//! that matches wins. Content-based refinements (GGUF quantization, adapters, model-card front
//! matter, licence texts) happen in `detect::mod` after this first pass.

use crate::weights::{UNREAD_WEIGHTS_EXTENSIONS, WEIGHTS_EXTENSIONS};

/// Extensions of data files.
const DATA: &[&str] = &[
    "jsonl", "parquet", "arrow", "csv", "tsv", "txt.gz", "jsonl.gz", "json.gz",
];
/// Extensions of source code.
const CODE: &[&str] = &[
    "py", "sh", "ipynb", "rs", "c", "cc", "cpp", "cu", "h", "js", "ts", "jl", "r",
];

/// The component a path belongs to by name alone, or `None` when no rule applies.
pub fn by_path(rel: &str) -> Option<&'static str> {
    let lower = rel.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let dirs: Vec<&str> = lower.split('/').rev().skip(1).collect();
    let in_dir = |words: &[&str]| dirs.iter().any(|d| words.iter().any(|w| d.contains(w)));
    let stem_has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    let ext_in = |exts: &[&str]| exts.iter().any(|e| name.ends_with(&format!(".{e}")));

    // Weights openseal cannot read are the release's weights all the same.
    let weights = ext_in(WEIGHTS_EXTENSIONS) || ext_in(UNREAD_WEIGHTS_EXTENSIONS);
    if weights && !name.starts_with("training_args") {
        if name.starts_with("adapter_model") || in_dir(&["adapter", "lora"]) {
            return Some("weights.adaptation");
        }
        if in_dir(&["checkpoint", "intermediate", "ckpt"]) {
            return Some("weights.intermediate");
        }
        if stem_has(&["reward"]) || in_dir(&["reward"]) {
            return Some("weights.reward-model");
        }
        return Some("weights.final");
    }
    if name.ends_with(".index.json") {
        return Some("weights.final");
    }
    match name {
        // sentence-transformers keeps its pipeline (modules, pooling, dense layers) in
        // `modules.json`, `sentence_bert_config.json`, `config_sentence_transformers.json` and
        // one `config.json` per module folder (`1_Pooling/config.json`).
        "config.json"
        | "configuration.json"
        | "params.json"
        | "modules.json"
        | "sentence_bert_config.json"
        | "config_sentence_transformers.json" => {
            return Some("code.model-architecture");
        }
        "generation_config.json" => return Some("product.output-settings"),
        "tokenizer.json"
        | "tokenizer_config.json"
        | "special_tokens_map.json"
        | "added_tokens.json"
        | "vocab.txt"
        | "vocab.json"
        | "merges.txt"
        | "tokenizer.model"
        | "spiece.model"
        | "requirements.txt"
        | "environment.yml"
        | "pyproject.toml"
        | "setup.py"
        | "setup.cfg" => {
            return Some("code.supporting-libraries");
        }
        _ => {}
    }
    if name.starts_with("changelog") || name.starts_with("history.md") {
        return Some("docs.versioning");
    }
    if name.starts_with("use_policy")
        || name.starts_with("acceptable_use")
        || name.starts_with("terms")
    {
        return Some("licensing.terms-of-service");
    }
    if stem_has(&["data_card", "datacard", "datasheet", "data-card"]) {
        return Some("docs.data-card");
    }
    if stem_has(&["model_card", "modelcard", "model-card"]) {
        return Some("docs.model-card");
    }
    if stem_has(&[
        "technical_report",
        "tech_report",
        "technical-report",
        "tech-report",
    ]) {
        return Some("docs.technical-report");
    }
    if name.ends_with(".pdf") && (stem_has(&["paper", "arxiv", "preprint"]) || in_dir(&["paper"])) {
        return Some("docs.research-paper");
    }
    if stem_has(&["eval_result", "evaluation_result", "results"]) && !ext_in(CODE) {
        return Some("docs.evaluation-results");
    }
    if stem_has(&["sample_output", "samples", "examples_output"])
        || in_dir(&["sample_outputs", "samples"])
    {
        return Some("docs.sample-outputs");
    }
    if ext_in(CODE) {
        return Some(code_role(name, &dirs));
    }
    if ext_in(DATA) {
        return Some(data_role(name, &dirs));
    }
    None
}

/// The role of a source file, from the words in its name and folders.
fn code_role(name: &str, dirs: &[&str]) -> &'static str {
    let has = |words: &[&str]| {
        words
            .iter()
            .any(|w| name.contains(w) || dirs.iter().any(|d| d.contains(w)))
    };
    if has(&[
        "preprocess",
        "prepare_data",
        "data_prep",
        "tokenize",
        "clean",
        "dedup",
        "filter",
    ]) {
        "code.data-preprocessing"
    } else if has(&["finetune", "fine_tune", "sft", "dpo", "rlhf", "ppo"]) {
        "code.fine-tuning"
    } else if has(&["train", "pretrain"]) {
        "code.training"
    } else if has(&["eval", "benchmark"]) {
        "code.evaluation"
    } else if has(&[
        "infer",
        "generate",
        "predict",
        "serve",
        "chat",
        "run_model",
        "demo",
    ]) {
        "code.inference"
    } else if has(&["model", "modeling", "modelling", "architecture", "layers"]) {
        "code.model-architecture"
    } else {
        "code.supporting-libraries"
    }
}

/// The role of a data file or dataset, from the words in its (lowercase) name and folders.
pub(super) fn data_role(name: &str, dirs: &[&str]) -> &'static str {
    let has = |words: &[&str]| {
        words
            .iter()
            .any(|w| name.contains(w) || dirs.iter().any(|d| d.contains(w)))
    };
    if has(&["eval", "test", "benchmark", "valid"]) {
        "datasets.evaluation"
    } else if has(&["pref", "dpo", "rlhf", "comparison"]) {
        "datasets.preference"
    } else if has(&["sft", "instruct", "finetune", "fine_tune"]) {
        "datasets.fine-tuning"
    } else {
        "datasets.pre-training"
    }
}

#[cfg(test)]
mod tests {
    use super::by_path;

    #[test]
    fn weights_by_role() {
        assert_eq!(
            by_path("model-00001-of-00002.safetensors"),
            Some("weights.final")
        );
        assert_eq!(
            by_path("adapter_model.safetensors"),
            Some("weights.adaptation")
        );
        assert_eq!(
            by_path("checkpoints/step-1000/model.safetensors"),
            Some("weights.intermediate")
        );
        assert_eq!(by_path("training_args.bin"), None);
        // Every extension openseal reads as weights, and others' weights it cannot read.
        assert_eq!(by_path("vad.JIT"), Some("weights.final"));
        assert_eq!(by_path("model.joblib"), Some("weights.final"));
        assert_eq!(by_path("flax_model.msgpack"), Some("weights.final"));
    }

    #[test]
    fn code_by_role() {
        assert_eq!(by_path("scripts/train.py"), Some("code.training"));
        assert_eq!(
            by_path("src/modeling_tiny.py"),
            Some("code.model-architecture")
        );
        assert_eq!(by_path("eval/run_eval.py"), Some("code.evaluation"));
        assert_eq!(
            by_path("data/prepare_data.py"),
            Some("code.data-preprocessing")
        );
        assert_eq!(by_path("inference.py"), Some("code.inference"));
        assert_eq!(by_path("utils.py"), Some("code.supporting-libraries"));
    }

    #[test]
    fn documents_and_data() {
        assert_eq!(by_path("DATA_CARD.md"), Some("docs.data-card"));
        assert_eq!(by_path("paper/tiny-llama.pdf"), Some("docs.research-paper"));
        assert_eq!(
            by_path("eval_results.json"),
            Some("docs.evaluation-results")
        );
        assert_eq!(by_path("data/train.jsonl"), Some("datasets.pre-training"));
        assert_eq!(by_path("data/eval.jsonl"), Some("datasets.evaluation"));
        assert_eq!(by_path("notes.txt"), None);
    }

    #[test]
    fn sentence_transformers_and_tokenizer_files_are_configuration() {
        for path in [
            "modules.json",
            "sentence_bert_config.json",
            "config_sentence_transformers.json",
            "1_Pooling/config.json",
            "2_Dense/config.json",
        ] {
            assert_eq!(by_path(path), Some("code.model-architecture"), "{path}");
        }
        for path in ["tokenizer.json", "special_tokens_map.json", "vocab.txt"] {
            assert_eq!(by_path(path), Some("code.supporting-libraries"), "{path}");
        }
    }
}

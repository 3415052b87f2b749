//! Architecture from tensor names alone, for files that come without a config.json. Only what
//! names and shapes really tell is reported: the family, layer count, hidden size, vocabulary and
//! experts. Head counts cannot be derived from shapes and stay unknown.

use super::architecture::Architecture;
use super::fact::Fact;
use crate::weights::TensorInfo;

const SOURCE: &str = "tensor names";

/// (family, a name fragment that identifies it, the fragment that precedes the layer index,
/// the embedding tensor's name suffix). Checked in order: more specific patterns first.
const FAMILIES: &[(&str, &str, &str, &str)] = &[
    (
        "mixtral",
        "block_sparse_moe.experts.",
        "layers.",
        "embed_tokens.weight",
    ),
    (
        "qwen3",
        "self_attn.q_norm",
        "layers.",
        "embed_tokens.weight",
    ),
    (
        "qwen2",
        "self_attn.q_proj.bias",
        "layers.",
        "embed_tokens.weight",
    ),
    (
        "llama",
        "self_attn.q_proj",
        "layers.",
        "embed_tokens.weight",
    ),
    (
        "phi3",
        "self_attn.qkv_proj",
        "layers.",
        "embed_tokens.weight",
    ),
    (
        "gpt_neox",
        "attention.query_key_value",
        "layers.",
        "embed_in.weight",
    ),
    (
        "falcon",
        "self_attention.query_key_value",
        "h.",
        "word_embeddings.weight",
    ),
    ("gpt2", "attn.c_attn", "h.", "wte.weight"),
    ("t5", "SelfAttention.q.weight", "block.", "shared.weight"),
    (
        "distilbert",
        "attention.q_lin",
        "layer.",
        "word_embeddings.weight",
    ),
    (
        "bert",
        "attention.self.query",
        "layer.",
        "word_embeddings.weight",
    ),
    ("gguf", "blk.", "blk.", "token_embd.weight"),
];

pub fn architecture(tensors: &[&TensorInfo]) -> Architecture {
    let mut arch = Architecture::default();
    let Some(&(family, _, layer_prefix, embedding)) = FAMILIES
        .iter()
        .find(|(_, marker, _, _)| tensors.iter().any(|t| t.name.contains(marker)))
    else {
        return arch;
    };
    // Families named from names alone carry "-like": Llama, Mistral and Gemma share one layout.
    let label = match family {
        "llama" => "llama-like (Llama, Mistral, Gemma)".to_string(),
        "gguf" => "unknown (GGUF layout; see general.architecture)".to_string(),
        f => f.to_string(),
    };
    if family != "gguf" {
        arch.family = Some(Fact::new(label, SOURCE));
    }
    let layers = tensors
        .iter()
        .filter_map(|t| layer_index(&t.name, layer_prefix))
        .max();
    arch.layers = layers.map(|n| Fact::new(n + 1, SOURCE));
    if let Some(emb) = tensors
        .iter()
        .find(|t| t.name.ends_with(embedding) && t.shape.len() == 2)
    {
        // Embeddings are [vocab, hidden] in row-major order in every format openseal reads.
        arch.vocab_size = Some(Fact::new(
            emb.shape[0],
            format!("{SOURCE}: {} rows", emb.name),
        ));
        arch.hidden_size = Some(Fact::new(
            emb.shape[1],
            format!("{SOURCE}: {} columns", emb.name),
        ));
    }
    arch.experts = experts(tensors).map(|n| Fact::new(n, SOURCE));
    arch
}

/// `model.layers.17.mlp` with prefix `layers.` gives 17.
fn layer_index(name: &str, prefix: &str) -> Option<u64> {
    let mut rest = name;
    while let Some(pos) = rest.find(prefix) {
        let after = &rest[pos + prefix.len()..];
        let digits: &str = &after[..after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len())];
        let boundary = pos == 0 || rest.as_bytes()[pos - 1] == b'.';
        if boundary && !digits.is_empty() && after[digits.len()..].starts_with('.') {
            return digits.parse().ok();
        }
        rest = after;
    }
    None
}

/// Number of experts: from per-expert tensor names, or the leading dimension of fused 3-D
/// expert tensors (GGUF `ffn_*_exps`, newer HF exports).
fn experts(tensors: &[&TensorInfo]) -> Option<u64> {
    let by_index = tensors
        .iter()
        .filter_map(|t| layer_index(&t.name, "experts."))
        .max()
        .map(|n| n + 1);
    by_index.or_else(|| {
        tensors
            .iter()
            .find(|t| t.name.contains("_exps.") && t.shape.len() == 3)
            .map(|t| t.shape[0])
    })
}

/// LoRA adapter facts visible in tensor names: PEFT `lora_A`/`lora_B` or kohya `lora_down`/`lora_up`.
/// Returns (rank, number of adapted modules).
pub fn lora(tensors: &[&TensorInfo]) -> Option<(Option<u64>, usize)> {
    let down: Vec<&&TensorInfo> = tensors
        .iter()
        .filter(|t| t.name.contains("lora_A") || t.name.contains("lora_down"))
        .collect();
    if down.is_empty() {
        return None;
    }
    // lora_A is [r, in]: its first dimension is the rank.
    let ranks: std::collections::BTreeSet<u64> = down
        .iter()
        .filter(|t| t.shape.len() >= 2)
        .map(|t| t.shape[0])
        .collect();
    let rank = (ranks.len() == 1)
        .then(|| ranks.into_iter().next())
        .flatten();
    Some((rank, down.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::{Dtype, StDtype};

    fn t(name: &str, shape: &[u64]) -> TensorInfo {
        TensorInfo {
            name: name.into(),
            dtype: Dtype::St(StDtype::Bf16),
            shape: shape.to_vec(),
            strides: None,
            offset: None,
            nbytes: None,
        }
    }

    #[test]
    fn llama_layout() {
        let ts = [
            t("model.embed_tokens.weight", &[32000, 4096]),
            t("model.layers.0.self_attn.q_proj.weight", &[4096, 4096]),
            t("model.layers.31.self_attn.q_proj.weight", &[4096, 4096]),
            t("lm_head.weight", &[32000, 4096]),
        ];
        let a = architecture(&ts.iter().collect::<Vec<_>>());
        assert!(a.family.unwrap().value.starts_with("llama-like"));
        assert_eq!(a.layers.unwrap().value, 32);
        assert_eq!(a.vocab_size.unwrap().value, 32000);
        assert_eq!(a.hidden_size.unwrap().value, 4096);
        assert!(a.attention_heads.is_none());
    }

    #[test]
    fn mixtral_experts_and_gpt2() {
        let ts = [
            t(
                "model.layers.0.block_sparse_moe.experts.7.w1.weight",
                &[8, 8],
            ),
            t("model.layers.0.self_attn.q_proj.weight", &[8, 8]),
        ];
        let a = architecture(&ts.iter().collect::<Vec<_>>());
        assert_eq!(a.family.unwrap().value, "mixtral");
        assert_eq!(a.experts.unwrap().value, 8);
        let g = architecture(&[
            &t("h.11.attn.c_attn.weight", &[768, 2304]),
            &t("wte.weight", &[50257, 768]),
        ]);
        assert_eq!(g.family.unwrap().value, "gpt2");
        assert_eq!(g.layers.unwrap().value, 12);
    }

    #[test]
    fn bert_and_t5() {
        let b = architecture(&[&t(
            "encoder.layer.5.attention.self.query.weight",
            &[384, 384],
        )]);
        assert_eq!(b.family.unwrap().value, "bert");
        assert_eq!(b.layers.unwrap().value, 6);
        let t5 = architecture(&[&t(
            "encoder.block.0.layer.0.SelfAttention.q.weight",
            &[512, 512],
        )]);
        assert_eq!(t5.family.unwrap().value, "t5");
    }

    #[test]
    fn lora_rank_from_shapes() {
        let ts = [
            t(
                "base_model.model.layers.0.q_proj.lora_A.weight",
                &[16, 4096],
            ),
            t(
                "base_model.model.layers.0.q_proj.lora_B.weight",
                &[4096, 16],
            ),
        ];
        let refs: Vec<&TensorInfo> = ts.iter().collect();
        assert_eq!(lora(&refs), Some((Some(16), 1)));
        assert_eq!(lora(&refs[..0]), None);
    }

    #[test]
    fn layer_index_needs_a_boundary() {
        assert_eq!(layer_index("model.layers.12.mlp", "layers."), Some(12));
        assert_eq!(layer_index("sublayers.3.x", "layers."), None);
        assert_eq!(layer_index("layers.x", "layers."), None);
    }
}

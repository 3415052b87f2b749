//! Hugging Face `config.json`, with the aliases that different model families use for the same
//! dimension (GPT-2's `n_layer`, T5's `d_model`, ...) and nested `text_config` of multimodal models.

use super::architecture::Architecture;
use super::fact::Fact;
use serde_json::Value;

/// Each dimension with the keys that name it, most common first.
const LAYERS: &[&str] = &["num_hidden_layers", "n_layer", "num_layers", "n_layers"];
const HIDDEN: &[&str] = &["hidden_size", "n_embd", "d_model", "dim"];
const INTERMEDIATE: &[&str] = &["intermediate_size", "n_inner", "d_ff", "ffn_dim"];
const HEADS: &[&str] = &["num_attention_heads", "n_head", "num_heads", "n_heads"];
const KV_HEADS: &[&str] = &[
    "num_key_value_heads",
    "n_head_kv",
    "num_kv_heads",
    "n_kv_heads",
];
const VOCAB: &[&str] = &["vocab_size", "n_vocab", "padded_vocab_size"];
const CONTEXT: &[&str] = &[
    "max_position_embeddings",
    "n_positions",
    "n_ctx",
    "max_sequence_length",
    "seq_length",
    "max_seq_len",
];
const EXPERTS: &[&str] = &[
    "num_local_experts",
    "num_experts",
    "n_routed_experts",
    "moe_num_experts",
];
const EXPERTS_PER_TOKEN: &[&str] = &["num_experts_per_tok", "moe_top_k", "num_selected_experts"];
const DTYPE: &[&str] = &["torch_dtype", "dtype"];

/// Sub-objects searched when the top level lacks a key (multimodal wrappers).
const NESTED: &[&str] = &["text_config", "llm_config", "language_config"];

/// Read the architecture facts a config.json states. `file` is the name used in sources.
pub fn architecture(config: &Value, file: &str) -> Architecture {
    let num = |keys: &[&str]| find(config, keys, file, Value::as_u64);
    let text = |keys: &[&str]| find(config, keys, file, |v| v.as_str().map(str::to_string));
    let mut arch = Architecture {
        family: text(&["model_type"]),
        classes: config
            .get("architectures")
            .and_then(Value::as_array)
            .map(|a| {
                Fact::new(
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                    format!("{file}: architectures"),
                )
            }),
        layers: num(LAYERS),
        hidden_size: num(HIDDEN),
        intermediate_size: num(INTERMEDIATE),
        attention_heads: num(HEADS),
        kv_heads: num(KV_HEADS),
        vocab_size: num(VOCAB),
        context_length: num(CONTEXT),
        experts: num(EXPERTS),
        experts_per_token: num(EXPERTS_PER_TOKEN),
        declared_dtype: text(DTYPE),
        quantization: quantization(config, file),
    };
    // Falcon and others mark multi-query attention with a flag rather than a head count.
    if arch.kv_heads.is_none() && config.get("multi_query").and_then(Value::as_bool) == Some(true) {
        arch.kv_heads = Some(Fact::new(1, format!("{file}: multi_query")));
    }
    // Without a key/value head count, transformers gives every query head its own key/value
    // head (multi-head attention): GPT-2, BERT, T5, and Llama configs that omit the key.
    if arch.kv_heads.is_none()
        && let Some(heads) = &arch.attention_heads
    {
        arch.kv_heads = Some(Fact::new(
            heads.value,
            format!(
                "{} (no key/value head count: one per query head)",
                heads.source
            ),
        ));
    }
    // T5-style encoder-decoders count encoder and decoder layers separately.
    if let (Some(enc), Some(dec)) = (
        config.get("num_layers").and_then(Value::as_u64),
        config.get("num_decoder_layers").and_then(Value::as_u64),
    ) && arch
        .layers
        .as_ref()
        .is_some_and(|l| l.source.ends_with("num_layers"))
    {
        arch.layers = Some(Fact::new(
            enc + dec,
            format!("{file}: num_layers + num_decoder_layers"),
        ));
    }
    arch
}

fn find<T>(
    config: &Value,
    keys: &[&str],
    file: &str,
    get: impl Fn(&Value) -> Option<T>,
) -> Option<Fact<T>> {
    for key in keys {
        if let Some(v) = config.get(key).and_then(&get) {
            return Some(Fact::new(v, format!("{file}: {key}")));
        }
    }
    for nest in NESTED {
        if let Some(sub) = config.get(nest) {
            for key in keys {
                if let Some(v) = sub.get(key).and_then(&get) {
                    return Some(Fact::new(v, format!("{file}: {nest}.{key}")));
                }
            }
        }
    }
    None
}

fn quantization(config: &Value, file: &str) -> Option<Fact<String>> {
    let q = config.get("quantization_config")?;
    let method = q.get("quant_method").and_then(Value::as_str)?;
    let bits = q
        .get("bits")
        .and_then(Value::as_u64)
        .map(|b| format!(" {b}-bit"))
        .unwrap_or_default();
    Some(Fact::new(
        format!("{method}{bits}"),
        format!("{file}: quantization_config.quant_method"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gpt2_aliases() {
        let c = json!({"model_type": "gpt2", "n_layer": 12, "n_embd": 768, "n_head": 12,
                       "n_positions": 1024, "vocab_size": 50257});
        let a = architecture(&c, "config.json");
        assert_eq!(a.layers.unwrap().value, 12);
        assert_eq!(
            a.hidden_size.as_ref().unwrap().source,
            "config.json: n_embd"
        );
        assert_eq!(a.context_length.unwrap().value, 1024);
        let kv = a.kv_heads.unwrap();
        assert_eq!(
            kv.value, 12,
            "no key/value head count: multi-head attention"
        );
        assert!(
            kv.source.starts_with("config.json: n_head"),
            "{}",
            kv.source
        );
        let bare = architecture(&json!({"model_type": "x"}), "config.json");
        assert!(
            bare.kv_heads.is_none(),
            "no head count at all stays unknown"
        );
    }

    #[test]
    fn t5_counts_both_stacks_and_nested_text_config_is_read() {
        let t5 =
            json!({"model_type": "t5", "num_layers": 6, "num_decoder_layers": 6, "d_model": 512});
        assert_eq!(architecture(&t5, "config.json").layers.unwrap().value, 12);
        let mm = json!({"model_type": "llava", "text_config": {"hidden_size": 4096}});
        let h = architecture(&mm, "config.json").hidden_size.unwrap();
        assert_eq!(
            (h.value, h.source.as_str()),
            (4096, "config.json: text_config.hidden_size")
        );
    }

    #[test]
    fn dtype_alias_and_quantization() {
        let c = json!({"dtype": "bfloat16", "quantization_config": {"quant_method": "gptq", "bits": 4}});
        let a = architecture(&c, "config.json");
        assert_eq!(a.declared_dtype.unwrap().value, "bfloat16");
        assert_eq!(a.quantization.unwrap().value, "gptq 4-bit");
    }
}

//! Architecture from GGUF metadata keys (`general.architecture`, `{arch}.block_count`, ...).

use super::architecture::Architecture;
use super::fact::Fact;
use crate::weights::MetaValue;

/// llama.cpp's `llama_ftype` (`general.file_type`): the quantization mix a file was made with.
const FILE_TYPES: &[(u64, &str)] = &[
    (0, "F32"),
    (1, "F16"),
    (2, "Q4_0"),
    (3, "Q4_1"),
    (7, "Q8_0"),
    (8, "Q5_0"),
    (9, "Q5_1"),
    (10, "Q2_K"),
    (11, "Q3_K_S"),
    (12, "Q3_K_M"),
    (13, "Q3_K_L"),
    (14, "Q4_K_S"),
    (15, "Q4_K_M"),
    (16, "Q5_K_S"),
    (17, "Q5_K_M"),
    (18, "Q6_K"),
    (19, "IQ2_XXS"),
    (20, "IQ2_XS"),
    (21, "Q2_K_S"),
    (22, "IQ3_XS"),
    (23, "IQ3_XXS"),
    (24, "IQ1_S"),
    (25, "IQ4_NL"),
    (26, "IQ3_S"),
    (27, "IQ3_M"),
    (28, "IQ2_S"),
    (29, "IQ2_M"),
    (30, "IQ4_XS"),
    (31, "IQ1_M"),
    (32, "BF16"),
    (36, "TQ1_0"),
    (37, "TQ2_0"),
    (38, "MXFP4_MOE"),
];

pub fn architecture(kv: &[(String, MetaValue)]) -> Architecture {
    let get = |key: &str| kv.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let Some(arch) = get("general.architecture").and_then(MetaValue::as_str) else {
        return Architecture::default();
    };
    let num = |suffix: &str| {
        let key = format!("{arch}.{suffix}");
        get(&key)
            .and_then(MetaValue::as_u64)
            .map(|v| Fact::new(v, format!("gguf: {key}")))
    };
    let vocab = num("vocab_size").or_else(|| {
        get("tokenizer.ggml.tokens").and_then(|v| match v {
            MetaValue::Array { len, .. } => {
                Some(Fact::new(*len, "gguf: length of tokenizer.ggml.tokens"))
            }
            _ => None,
        })
    });
    let quantization = get("general.file_type")
        .and_then(MetaValue::as_u64)
        .map(|ft| {
            let name = FILE_TYPES
                .iter()
                .find(|(id, _)| *id == ft)
                .map_or_else(|| format!("file type {ft}"), |(_, n)| n.to_string());
            Fact::new(name, "gguf: general.file_type")
        });
    Architecture {
        family: Some(Fact::new(arch.to_string(), "gguf: general.architecture")),
        classes: None,
        layers: num("block_count"),
        hidden_size: num("embedding_length"),
        intermediate_size: num("feed_forward_length"),
        attention_heads: num("attention.head_count"),
        kv_heads: num("attention.head_count_kv"),
        vocab_size: vocab,
        context_length: num("context_length"),
        experts: num("expert_count"),
        experts_per_token: num("expert_used_count"),
        declared_dtype: None,
        quantization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama_keys() {
        let kv = vec![
            (
                "general.architecture".to_string(),
                MetaValue::Str("llama".into()),
            ),
            ("llama.block_count".to_string(), MetaValue::UInt(2)),
            (
                "llama.attention.head_count_kv".to_string(),
                MetaValue::UInt(2),
            ),
            ("general.file_type".to_string(), MetaValue::UInt(15)),
            (
                "tokenizer.ggml.tokens".to_string(),
                MetaValue::Array {
                    elem_type: "STRING".into(),
                    len: 32000,
                    items: vec![],
                },
            ),
        ];
        let a = architecture(&kv);
        assert_eq!(a.family.unwrap().value, "llama");
        assert_eq!(a.layers.unwrap().source, "gguf: llama.block_count");
        assert_eq!(a.vocab_size.unwrap().value, 32000);
        assert_eq!(a.quantization.unwrap().value, "Q4_K_M");
        assert!(a.attention_heads.is_none());
    }
}

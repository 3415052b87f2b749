//! What a model is: its family and dimensions. Each value is a [`Fact`] naming its source; a
//! value no source gives stays `None` ("unknown"), never a guess.

use super::fact::Fact;
use serde::Serialize;

/// A model's family and dimensions, each from a named source (config.json, GGUF metadata or
/// tensor names); `None` when no source gives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Architecture {
    /// Model family (`llama`, `gpt2`, `bert`, `t5`, `gpt_neox`, `mixtral`, ...).
    pub family: Option<Fact<String>>,
    /// Class names from `config.json` `architectures` (e.g. `LlamaForCausalLM`).
    pub classes: Option<Fact<Vec<String>>>,
    /// Transformer blocks (layers).
    pub layers: Option<Fact<u64>>,
    /// Width of the hidden state (model dimension).
    pub hidden_size: Option<Fact<u64>>,
    /// Width of the feed-forward layer.
    pub intermediate_size: Option<Fact<u64>>,
    /// Attention heads per layer.
    pub attention_heads: Option<Fact<u64>>,
    /// Key/value heads per layer (fewer than `attention_heads` with grouped-query attention).
    pub kv_heads: Option<Fact<u64>>,
    /// Tokens in the vocabulary.
    pub vocab_size: Option<Fact<u64>>,
    /// Longest context the model was configured for, in tokens.
    pub context_length: Option<Fact<u64>>,
    /// Experts per mixture-of-experts layer.
    pub experts: Option<Fact<u64>>,
    /// Experts each token is routed to.
    pub experts_per_token: Option<Fact<u64>>,
    /// Declared storage dtype (`torch_dtype` / `dtype` in config.json).
    pub declared_dtype: Option<Fact<String>>,
    /// Quantization method or type (`gptq`, `Q4_K_M`, ...).
    pub quantization: Option<Fact<String>>,
}

impl Architecture {
    /// Fill every field still unknown from `other` (a less preferred source).
    pub(crate) fn fill_from(&mut self, other: Architecture) {
        macro_rules! fill {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = other.$f; } )* };
        }
        fill!(
            family,
            classes,
            layers,
            hidden_size,
            intermediate_size,
            attention_heads,
            kv_heads,
            vocab_size,
            context_length,
            experts,
            experts_per_token,
            declared_dtype,
            quantization
        );
    }
}

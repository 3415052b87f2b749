//! A fact about a model together with where it came from, so a reader can check it.

use serde::Serialize;

/// A value and where it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact<T> {
    /// The value.
    pub value: T,
    /// Where the value was read: `config.json: num_hidden_layers`, `gguf: llama.block_count`,
    /// `tensor names`, ...
    pub source: String,
}

impl<T> Fact<T> {
    pub(crate) fn new(value: T, source: impl Into<String>) -> Fact<T> {
        Fact {
            value,
            source: source.into(),
        }
    }
}

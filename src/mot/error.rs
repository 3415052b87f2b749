use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MotError {
    /// Not YAML, or not the MOT model schema (the message says which field); line 0 when the
    /// YAML library gives no position.
    #[error("{file}:{line}: {message}")]
    Yaml {
        file: String,
        line: usize,
        message: String,
    },
    #[error("cannot write MOT YAML: {message}")]
    Write { message: String },
}

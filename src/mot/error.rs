use thiserror::Error;

/// Why a Model Openness Tool file could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MotError {
    /// Not YAML, or not the MOT model schema (the message says which field); line 0 when the
    /// YAML library gives no position.
    #[error("{file}:{line}: {message}")]
    Yaml {
        /// The file, as the caller named it.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// The YAML library's message.
        message: String,
    },
    /// The release could not be serialised as YAML.
    #[error("cannot write MOT YAML: {message}")]
    Write {
        /// The YAML library's message.
        message: String,
    },
}

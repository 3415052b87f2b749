//! What can be wrong with a framework definition file. Every variant names the file and the
//! 1-based line, so that a broken definition can be fixed without guessing.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameworkError {
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}:{line}: unknown component id `{id}` (not in formats/components.toml)")]
    UnknownComponent {
        file: String,
        line: usize,
        id: String,
    },
    #[error("{file}:{line}: unknown level `{level}`")]
    UnknownLevel {
        file: String,
        line: usize,
        level: String,
    },
    #[error("{file}:{line}: levels extend each other in a cycle: {}", chain.join(" -> "))]
    Cycle {
        file: String,
        line: usize,
        chain: Vec<String>,
    },
    #[error(
        "{file}:{line}: level `{level}` extends `{extends}`, which is listed above it (levels go from lowest to highest)"
    )]
    ExtendsHigher {
        file: String,
        line: usize,
        level: String,
        extends: String,
    },
    #[error(
        "{file}:{line}: level `{level}` requires nothing (only a `floor = true` level may be empty)"
    )]
    EmptyLevel {
        file: String,
        line: usize,
        level: String,
    },
    #[error(
        "{file}:{line}: floor level `{level}` must not have requirements (every release meets it)"
    )]
    FloorWithRequirements {
        file: String,
        line: usize,
        level: String,
    },
    #[error("{file}:{line}: duplicate id `{id}`")]
    DuplicateId {
        file: String,
        line: usize,
        id: String,
    },
    #[error("{file}:{line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
}

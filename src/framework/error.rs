//! What can be wrong with a framework definition file. Every variant names the file and the
//! 1-based line, so that a broken definition can be fixed without guessing.

use thiserror::Error;

/// Why a framework definition (or the component vocabulary) was rejected. `file` names the
/// definition file (or folder); `line` is 1-based, 0 when the problem is the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameworkError {
    /// The file or folder could not be read.
    #[error("{file}: cannot read: {message}")]
    Io {
        /// The file or folder.
        file: String,
        /// The I/O error's message.
        message: String,
    },
    /// Not valid TOML, or TOML that does not match the definition format.
    #[error("{file}:{line}: {message}")]
    Syntax {
        /// The definition file.
        file: String,
        /// Line of the problem.
        line: usize,
        /// The TOML parser's message.
        message: String,
    },
    /// A component id that is not in the vocabulary (`formats/components.toml`).
    #[error("{file}:{line}: unknown component id `{id}` (not in formats/components.toml)")]
    UnknownComponent {
        /// The definition file.
        file: String,
        /// Line of the id.
        line: usize,
        /// The id.
        id: String,
    },
    /// `extends` names a level the framework does not define.
    #[error("{file}:{line}: unknown level `{level}`")]
    UnknownLevel {
        /// The definition file.
        file: String,
        /// Line of the `extends` entry.
        line: usize,
        /// The level named.
        level: String,
    },
    /// Levels that extend each other in a circle.
    #[error("{file}:{line}: levels extend each other in a cycle: {}", chain.join(" -> "))]
    Cycle {
        /// The definition file.
        file: String,
        /// Line of the `extends` entry that closes the circle.
        line: usize,
        /// The level ids around the circle.
        chain: Vec<String>,
    },
    /// A level that extends a level listed after it (levels are listed lowest first).
    #[error(
        "{file}:{line}: level `{level}` extends `{extends}`, which is listed above it (levels go from lowest to highest)"
    )]
    ExtendsHigher {
        /// The definition file.
        file: String,
        /// Line of the `extends` entry.
        line: usize,
        /// The extending level.
        level: String,
        /// The higher level it extends.
        extends: String,
    },
    /// A level that requires nothing and is not the floor level.
    #[error(
        "{file}:{line}: level `{level}` requires nothing (only a `floor = true` level may be empty)"
    )]
    EmptyLevel {
        /// The definition file.
        file: String,
        /// Line of the level's id.
        line: usize,
        /// The level.
        level: String,
    },
    /// A `floor = true` level that has requirements of its own.
    #[error(
        "{file}:{line}: floor level `{level}` must not have requirements (every release meets it)"
    )]
    FloorWithRequirements {
        /// The definition file.
        file: String,
        /// Line of the level's id.
        line: usize,
        /// The level.
        level: String,
    },
    /// The same id twice: a level, criterion, item or component within a file, or a framework
    /// id within a set (line 0).
    #[error("{file}:{line}: duplicate id `{id}`")]
    DuplicateId {
        /// The definition file.
        file: String,
        /// Line of the second occurrence.
        line: usize,
        /// The id.
        id: String,
    },
    /// Any other rule of the definition format broken (an empty any-of group, a wrong kind of
    /// section for the framework's kind, ...).
    #[error("{file}:{line}: {message}")]
    Invalid {
        /// The definition file.
        file: String,
        /// Line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

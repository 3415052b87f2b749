use thiserror::Error;

/// A licence data file (`formats/licenses/`) that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LicenseDataError {
    /// The file does not parse (JSON or TOML) or does not have the expected shape.
    #[error("{file}:{line}: {message}")]
    Syntax {
        /// The data file.
        file: String,
        /// 1-based line of the problem; 0 when the parser gives no position.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// An alias whose key is not normalised (lower case, single spaces) or whose target is not
    /// an SPDX expression.
    #[error("{file}:{line}: alias `{alias}`: {message}")]
    BadAlias {
        /// The alias file.
        file: String,
        /// 1-based line of the alias.
        line: usize,
        /// The alias (the free text it maps).
        alias: String,
        /// What is wrong.
        message: String,
    },
}

use thiserror::Error;

/// A licence data file (`formats/licenses/`) that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LicenseDataError {
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}:{line}: alias `{alias}`: {message}")]
    BadAlias {
        file: String,
        line: usize,
        alias: String,
        message: String,
    },
}

//! Openness frameworks as data: definitions in `formats/frameworks/*.toml` (format in
//! `formats/README.md`), validated on load against the component vocabulary.

pub mod error;
pub mod load;
mod raw;
pub mod schema;
pub mod set;
pub mod vocabulary;

pub use error::FrameworkError;
pub use schema::{
    Checks, Clause, Criterion, Effective, Framework, Item, Kind, Labels, Level, LicenseNeed,
    LicenseRule, Quantifier, Requirement,
};
pub use set::FrameworkSet;
pub use vocabulary::{ComponentDef, Vocabulary, component};

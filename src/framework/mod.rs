//! Openness frameworks as data: definitions in `formats/frameworks/*.toml` (format in
//! `formats/README.md`), validated on load against the component vocabulary.

mod error;
mod load;
mod raw;
mod schema;
mod set;
mod vocabulary;

pub use error::FrameworkError;
pub(crate) use schema::{
    Checks, Clause, Criterion, Indicator, LicenseNeed, Quantifier, Requirement,
};
pub use schema::{Framework, Item, Kind};
pub use set::FrameworkSet;
pub use vocabulary::Vocabulary;
pub(crate) use vocabulary::component;

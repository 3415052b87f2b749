//! The Model Openness Tool's model files (YAML): import into a `Release`, export from one, and
//! MOT's own classifier for exact compatibility.

mod error;
pub(crate) mod evaluate;
mod export;
mod import;
mod table;

pub use error::MotError;
pub use evaluate::{MotClassification, classify};
pub use export::{MotExport, to_mot_yaml};
pub use import::from_mot_yaml;

#[cfg(test)]
mod tests;

//! The checkpoint series a manifest declares: derived by `pack` from the file list, and derived
//! again whenever a manifest is read, so a series that its files do not bear out is an error.

use serde::{Deserialize, Serialize};

use super::{FileEntry, WeightsSummary};
use crate::release::series::checkpoint_series;

/// One series of checkpoints as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesEntry {
    /// The step folder with its number as `{step}` (`checkpoints/step-{step}/`).
    pub pattern: String,
    /// The steps, ascending.
    pub steps: Vec<u64>,
    /// Files in the series.
    pub files: u64,
    /// Whether every weights file of the series has the same tensor and parameter counts.
    pub shared_architecture: bool,
}

/// The series of `files`, with whether their weights (from `weights`) share one architecture.
pub(crate) fn series_of(files: &[FileEntry], weights: &[WeightsSummary]) -> Vec<SeriesEntry> {
    checkpoint_series(files.iter().map(|f| f.path.as_str()))
        .into_iter()
        .map(|s| {
            let shapes: std::collections::BTreeSet<(u64, u64)> = weights
                .iter()
                .filter(|w| s.paths.contains(&w.path))
                .map(|w| (w.tensors, w.parameters))
                .collect();
            SeriesEntry {
                pattern: s.pattern,
                steps: s.steps,
                files: s.paths.len() as u64,
                shared_architecture: shapes.len() == 1,
            }
        })
        .collect()
}

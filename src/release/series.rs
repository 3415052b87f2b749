//! Checkpoint series: releases with many intermediate checkpoints (Pythia, OLMo, LLM360) keep
//! one folder per training step (`checkpoints/step-1000/`, `checkpoint-500/`,
//! `global_step200/`). Grouping their files by that folder shows them as one series with its
//! steps rather than thousands of rows.

use std::collections::{BTreeMap, BTreeSet};

/// Words in a step folder's name (or in the folder above it) that mark a training checkpoint.
const CHECKPOINT_WORDS: &[&str] = &["step", "checkpoint", "ckpt", "iter", "epoch"];

/// Files under numbered step folders of one parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointSeries {
    /// The step folder with its number as `{step}`: `checkpoints/step-{step}/`.
    pub pattern: String,
    /// The steps, ascending and distinct.
    pub steps: Vec<u64>,
    /// Every member file's path (a set: membership is asked once per file of a release that
    /// may hold thousands).
    pub paths: BTreeSet<String>,
}

/// Splits a folder name into a prefix and a trailing step number (`step-1000` -> `step-`,
/// 1000), when it ends in digits and is a checkpoint folder by its name or its parent's.
fn step_folder(name: &str, parent: &str) -> Option<(String, u64)> {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 12 {
        return None;
    }
    let (prefix, number) = name.split_at(name.len() - digits);
    if !prefix
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
    {
        return None;
    }
    let hinted = |s: &str| {
        let lower = s.to_ascii_lowercase();
        CHECKPOINT_WORDS.iter().any(|w| lower.contains(w))
    };
    if !hinted(prefix) && !hinted(parent) {
        return None;
    }
    Some((prefix.to_string(), number.parse().ok()?))
}

/// The checkpoint series among `paths` (release paths, `/`-separated): groups of at least two
/// distinct steps under the same parent and folder prefix. A path belongs to the series of its
/// outermost step folder.
pub fn checkpoint_series<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<CheckpointSeries> {
    let mut groups: BTreeMap<(String, String), (Vec<u64>, BTreeSet<String>)> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for path in paths {
        let parts: Vec<&str> = path.split('/').collect();
        let Some(last_dir) = parts.len().checked_sub(1) else {
            continue;
        };
        for i in 0..last_dir {
            let parent = parts[..i].join("/");
            if let Some((prefix, step)) = step_folder(parts[i], &parent) {
                let key = (parent, prefix);
                if !groups.contains_key(&key) {
                    order.push(key.clone());
                }
                let g = groups.entry(key).or_default();
                g.0.push(step);
                g.1.insert(path.to_string());
                break;
            }
        }
    }
    order
        .into_iter()
        .filter_map(|key| {
            let (mut steps, paths) = groups.remove(&key)?;
            steps.sort_unstable();
            steps.dedup();
            if steps.len() < 2 {
                return None;
            }
            let (parent, prefix) = key;
            let folder = format!("{prefix}{{step}}/");
            let pattern = if parent.is_empty() {
                folder
            } else {
                format!("{parent}/{folder}")
            };
            Some(CheckpointSeries {
                pattern,
                steps,
                paths,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_folders_group_into_series() {
        let paths = [
            "config.json",
            "checkpoints/step-1000/model.safetensors",
            "checkpoints/step-1000/config.json",
            "checkpoints/step-500/model.safetensors",
            "checkpoints/step-500/config.json",
            "global_step200/model.bin",
            "global_step400/model.bin",
            "runs/ckpt/100/weights.npz",
            "runs/ckpt/300/weights.npz",
            "1_Pooling/config.json",
            "2_Dense/config.json",
            "layer_1/a.bin",
            "layer_2/a.bin",
            "checkpoint-7/model.bin",
        ];
        let series = checkpoint_series(paths);
        let summary: Vec<(&str, Vec<u64>, usize)> = series
            .iter()
            .map(|s| (s.pattern.as_str(), s.steps.clone(), s.paths.len()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("checkpoints/step-{step}/", vec![500, 1000], 4),
                ("global_step{step}/", vec![200, 400], 2),
                ("runs/ckpt/{step}/", vec![100, 300], 2),
            ]
        );
    }

    #[test]
    fn odd_names_are_not_steps() {
        assert_eq!(step_folder("step-", ""), None);
        assert_eq!(step_folder("v1.2", "checkpoints"), None);
        assert_eq!(step_folder("step9999999999999", ""), None);
        assert_eq!(step_folder("layer_3", "model"), None);
        assert_eq!(
            step_folder("iter_0001000", ""),
            Some(("iter_".into(), 1000))
        );
    }
}

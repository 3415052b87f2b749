//! The Model Openness Tool's classifier, step for step (its `ModelEvaluator.php` at commit
//! 8b5d30e), so that MOT compatibility mode gives MOT's class *and* its progress percentages,
//! quirks included.

use serde::Serialize;

use super::table::{MOT_COMPONENTS, by_mot_id};
use crate::framework::Vocabulary;
use crate::license::{Licenses, Mode};
use crate::release::ContentKind;
use crate::release::{Release, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Included,
    Missing,
    Unlicensed,
    Invalid,
}

const TECHNICAL_REPORT: u8 = 11;
const RESEARCH_PAPER: u8 = 21;

/// MOT's result: class 1..3 (1 = Class I, the highest) or 0 = unclassified, and the progress
/// towards each class in percent, indexed `progress[class - 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MotClassification {
    /// 1, 2 or 3 (Class I, II, III), or 0 when no class is met.
    pub class: u8,
    /// Progress towards Class I, II and III in percent, as MOT computes it.
    pub progress: [f64; 3],
}

fn bucket(release: &Release, vocab: &Vocabulary, licenses: &Licenses, mot_id: u8) -> Bucket {
    let Some(c) = by_mot_id(mot_id) else {
        return Bucket::Missing;
    };
    // MOT: a component is included iff it is listed; openseal's "referenced" is listed too.
    let listed = release
        .component(c.id)
        .is_some_and(|r| matches!(r.status, Status::Included | Status::Referenced));
    if !listed {
        return Bucket::Missing;
    }
    let def = vocab.get(c.id);
    let content = def.map(|d| d.content).unwrap_or(ContentKind::Document);
    let weights = def.is_some_and(|d| d.is_weights());
    match release.resolve_license(c.id, content, weights) {
        None => Bucket::Unlicensed,
        Some((text, _)) => {
            let a = licenses.assess(text, content, Mode::MotCompat, &[]);
            if a.open {
                Bucket::Included
            } else if a.license.is_none() {
                Bucket::Unlicensed
            } else {
                Bucket::Invalid
            }
        }
    }
}

fn required_count(class: u8) -> usize {
    MOT_COMPONENTS
        .iter()
        .filter(|c| c.required && c.class == class)
        .count()
}

/// Classify `release` the way the Model Openness Tool does (its component list, its exact-id
/// licence rule).
pub fn classify(release: &Release, vocab: &Vocabulary, licenses: &Licenses) -> MotClassification {
    // per_class[c - 1]: the required components of classes 3..=c with their buckets.
    let mut per_class: [Vec<(u8, Bucket)>; 3] = Default::default();
    let mut required: Vec<u8> = Vec::new();
    for class in [3u8, 2, 1] {
        required.extend(
            MOT_COMPONENTS
                .iter()
                .filter(|c| c.required && c.class == class)
                .map(|c| c.mot_id),
        );
        per_class[usize::from(class - 1)] = required
            .iter()
            .map(|&id| (id, bucket(release, vocab, licenses, id)))
            .collect();
    }
    let status =
        |list: &Vec<(u8, Bucket)>, id: u8| list.iter().find(|(i, _)| *i == id).map(|(_, b)| *b);
    let tr3 = status(&per_class[2], TECHNICAL_REPORT);
    let rp1 = status(&per_class[0], RESEARCH_PAPER);
    // The research paper stands in for a technical report that is not open-included.
    if tr3 != Some(Bucket::Included)
        && let Some(rp) = rp1.filter(|b| *b != Bucket::Missing)
    {
        for list in per_class.iter_mut() {
            list.retain(|&(id, b)| !(id == TECHNICAL_REPORT && b == Bucket::Missing));
        }
        per_class[1].push((RESEARCH_PAPER, rp));
        per_class[2].push((RESEARCH_PAPER, rp));
    }
    let included = |class: u8| {
        per_class[usize::from(class - 1)]
            .iter()
            .filter(|(_, b)| *b == Bucket::Included)
            .count()
    };
    let progress = |c: u8| -> f64 {
        let mut total = 0usize;
        let mut inc = 0usize;
        for i in (c..=3).rev() {
            total += required_count(i);
            inc = included(i);
            if inc < total {
                if i > c {
                    return 0.0;
                }
                break;
            }
        }
        if c == 1
            && status(&per_class[0], TECHNICAL_REPORT) != Some(Bucket::Included)
            && rp1 == Some(Bucket::Included)
        {
            total -= 1;
        }
        if total == 0 {
            return 0.0;
        }
        (inc as f64 / total as f64 * 100.0).min(100.0)
    };
    let progress = [progress(1), progress(2), progress(3)];
    let class = (1u8..=3)
        .find(|&c| progress[usize::from(c - 1)] == 100.0)
        .unwrap_or(0);
    MotClassification { class, progress }
}

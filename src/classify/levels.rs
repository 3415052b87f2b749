//! Levels frameworks (MOF, OSAID, the release gradient): the highest level whose requirements
//! (with those it inherits) hold, and what the next level up lacks.

use super::component::check;
use super::result::{ComponentRow, LevelOutcome, Missing, NextLevel};
use crate::framework::{Framework, Requirement};
use crate::release::Status;

const AVAILABLE: [Status; 2] = [Status::Included, Status::Referenced];

fn row_of<'a>(rows: &'a [ComponentRow], id: &str) -> Option<&'a ComponentRow> {
    rows.iter().find(|r| r.id == id)
}

fn check_req(rows: &[ComponentRow], r: &Requirement) -> Result<(), Missing> {
    match row_of(rows, &r.component) {
        Some(row) => check(row, r.license.for_content(row.content), &AVAILABLE),
        None => Err(Missing {
            component: r.component.clone(),
            reason: super::result::MissingReason::Absent,
            license: None,
            alternatives: Vec::new(),
        }),
    }
}

/// Everything level `idx` lacks; empty when it is met.
pub fn missing(fw: &Framework, idx: usize, rows: &[ComponentRow]) -> Vec<Missing> {
    if fw.levels[idx].floor {
        return Vec::new();
    }
    let eff = fw.effective(idx);
    let mut out: Vec<Missing> = eff
        .requires
        .iter()
        .filter_map(|r| check_req(rows, r).err())
        .collect();
    for group in &eff.any_of {
        // A group member that is also required on its own is judged there; the group only
        // needs one satisfied member.
        let results: Vec<Result<(), Missing>> = group.iter().map(|r| check_req(rows, r)).collect();
        if results.iter().all(Result::is_err) {
            let fails = results.into_iter().filter_map(Result::err);
            for mut m in fails {
                if out.iter().any(|o| o.component == m.component) {
                    continue;
                }
                m.alternatives = group
                    .iter()
                    .filter(|r| r.component != m.component)
                    .map(|r| r.component.clone())
                    .collect();
                out.push(m);
            }
        }
    }
    out
}

pub struct LevelsOutcome {
    pub level: Option<usize>,
    pub outcomes: Vec<LevelOutcome>,
    pub next: Option<NextLevel>,
}

pub fn evaluate(fw: &Framework, rows: &[ComponentRow]) -> LevelsOutcome {
    let lacking: Vec<Vec<Missing>> = (0..fw.levels.len()).map(|i| missing(fw, i, rows)).collect();
    let level = lacking.iter().rposition(Vec::is_empty);
    let next_idx = level.map_or(0, |i| i + 1);
    let next = fw.levels.get(next_idx).map(|l| NextLevel {
        id: l.id.clone(),
        name: l.name.clone(),
        missing: lacking[next_idx].clone(),
    });
    LevelsOutcome {
        level,
        outcomes: fw
            .levels
            .iter()
            .zip(&lacking)
            .map(|(l, m)| LevelOutcome {
                id: l.id.clone(),
                name: l.name.clone(),
                met: m.is_empty(),
                missing: m.clone(),
            })
            .collect(),
        next,
    }
}

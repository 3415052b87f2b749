//! The descriptive stack: for each item, what the release says about its components.

use super::result::{ComponentRow, Coverage, CoverageResult, ItemComponent};
use crate::framework::{Checks, Item};
use crate::release::Status;

/// Most available first: an item is as covered as its best-covered component.
fn rank(s: Option<Status>) -> u8 {
    match s {
        Some(Status::Included) => 0,
        Some(Status::Referenced) => 1,
        Some(Status::Withheld) => 2,
        Some(Status::NotApplicable) => 3,
        None => 4,
    }
}

fn coverage(s: Option<Status>) -> Coverage {
    match s {
        Some(Status::Included) => Coverage::Included,
        Some(Status::Referenced) => Coverage::Referenced,
        Some(Status::Withheld) => Coverage::Withheld,
        Some(Status::NotApplicable) => Coverage::NotApplicable,
        None => Coverage::Unknown,
    }
}

pub fn evaluate(item: &Item, rows: &[ComponentRow]) -> CoverageResult {
    let mine: Vec<&ComponentRow> = item
        .components
        .iter()
        .filter_map(|id| rows.iter().find(|r| &r.id == id))
        .collect();
    let best = mine
        .iter()
        .map(|r| r.status)
        .min_by_key(|s| rank(*s))
        .flatten();
    let reasons = mine.iter().filter_map(|r| r.reason.clone()).collect();
    let (licensed, unlicensed) = match item.checks {
        Checks::Presence => (None, Vec::new()),
        Checks::License => {
            let present: Vec<&&ComponentRow> = mine
                .iter()
                .filter(|r| matches!(r.status, Some(Status::Included | Status::Referenced)))
                .collect();
            let without: Vec<String> = present
                .iter()
                .filter(|r| r.spdx.is_none())
                .map(|r| r.id.clone())
                .collect();
            let licensed = (!present.is_empty()).then_some(without.is_empty());
            (licensed, without)
        }
    };
    CoverageResult {
        id: item.id.clone(),
        name: item.name.clone(),
        group: item.group.clone(),
        checks: item.checks,
        coverage: coverage(best),
        reasons,
        components: mine
            .iter()
            .map(|r| ItemComponent {
                id: r.id.clone(),
                status: r.status,
                reason: r.reason.clone(),
            })
            .collect(),
        licensed,
        unlicensed,
    }
}

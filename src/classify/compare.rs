//! Openness over time: two evaluations of the same frameworks (an older and a newer release)
//! compared: which components and licences changed, and how each framework's level, criteria
//! and coverage moved, with what the newer release lacks where it moved down.

use std::collections::BTreeMap;

use serde::Serialize;

use super::result::{ComponentRow, Coverage, FrameworkResult, Missing, Rating};
use crate::framework::Kind;
use crate::release::Status;

/// The schema of `classify --diff --json`.
pub const DIFF_SCHEMA: &str = "openseal.classify-diff/v1";

/// A component as one release has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentState {
    /// Included, referenced, withheld or not applicable; `null`: the release says nothing.
    pub status: Option<Status>,
    /// The licence that applies, as written.
    pub license: Option<String>,
    /// Whether that licence counts as open.
    pub open: bool,
}

/// A component whose status or licence differs between the releases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentChange {
    /// The component id.
    pub id: String,
    /// In the older release.
    pub old: ComponentState,
    /// In the newer release.
    pub new: ComponentState,
}

/// Which way something moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// More open in the newer release.
    Up,
    /// Less open in the newer release.
    Down,
    /// Unchanged.
    Same,
}

/// A criterion (or coverage item) whose rating changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    /// The criterion or item id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The older rating.
    pub old: String,
    /// The newer rating.
    pub new: String,
    /// Which way it moved.
    pub direction: Direction,
    /// What the newer release lacks for the older rating, when it moved down.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Missing>,
}

/// How one framework's result moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkChange {
    /// The framework id.
    pub framework: String,
    /// Its display name.
    pub name: String,
    /// The level met by the older release (levels frameworks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_level: Option<String>,
    /// The level met by the newer release (levels frameworks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_level: Option<String>,
    /// Which way the level (or, for other kinds, the balance of items) moved.
    pub direction: Direction,
    /// What the newer release lacks for the older release's level, when the level moved down.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Missing>,
    /// Criteria or coverage items whose rating changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemChange>,
}

/// Everything that moved between two releases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassifyDiff {
    /// Components whose status or licence changed.
    pub components: Vec<ComponentChange>,
    /// Every framework evaluated on both, in order.
    pub frameworks: Vec<FrameworkChange>,
    /// Whether some framework moved down.
    pub regressed: bool,
}

/// Compares the evaluations of an older and a newer release (the same frameworks, in the same
/// order, as `classify` produces them).
pub fn compare(old: &[FrameworkResult], new: &[FrameworkResult]) -> ClassifyDiff {
    let frameworks: Vec<FrameworkChange> = old
        .iter()
        .filter_map(|o| {
            let n = new.iter().find(|n| n.framework == o.framework)?;
            Some(framework_change(o, n))
        })
        .collect();
    ClassifyDiff {
        components: component_changes(old, new),
        regressed: frameworks.iter().any(|f| f.direction == Direction::Down),
        frameworks,
    }
}

fn rows(results: &[FrameworkResult]) -> BTreeMap<&str, &ComponentRow> {
    let mut out = BTreeMap::new();
    for r in results {
        for c in &r.components {
            out.entry(c.id.as_str()).or_insert(c);
        }
    }
    out
}

fn state(row: Option<&&ComponentRow>) -> ComponentState {
    match row {
        Some(c) => ComponentState {
            status: c.status,
            license: c.license.clone(),
            open: c.open,
        },
        None => ComponentState {
            status: None,
            license: None,
            open: false,
        },
    }
}

fn component_changes(old: &[FrameworkResult], new: &[FrameworkResult]) -> Vec<ComponentChange> {
    let (ro, rn) = (rows(old), rows(new));
    let mut ids: Vec<&str> = ro.keys().chain(rn.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let (o, n) = (state(ro.get(id)), state(rn.get(id)));
            (o != n).then(|| ComponentChange {
                id: id.to_string(),
                old: o,
                new: n,
            })
        })
        .collect()
}

fn direction(old: i64, new: i64) -> Direction {
    match new.cmp(&old) {
        std::cmp::Ordering::Greater => Direction::Up,
        std::cmp::Ordering::Less => Direction::Down,
        std::cmp::Ordering::Equal => Direction::Same,
    }
}

/// A level's rank: its place among the framework's levels (lowest first), -1 for none.
fn rank(result: &FrameworkResult, level: Option<&str>) -> i64 {
    level
        .and_then(|l| result.levels.iter().position(|x| x.id == l))
        .map_or(-1, |i| i as i64)
}

fn rating_rank(r: Rating) -> i64 {
    match r {
        Rating::Open => 2,
        Rating::Partial => 1,
        Rating::Closed => 0,
    }
}

fn coverage_name(c: Coverage) -> &'static str {
    match c {
        Coverage::Included => "included",
        Coverage::Referenced => "referenced",
        Coverage::Withheld => "withheld",
        Coverage::NotApplicable => "not-applicable",
        Coverage::Unknown => "unknown",
    }
}

/// Shipped beats published elsewhere; a stated absence beats a withholding, which beats silence.
fn coverage_rank(c: Coverage) -> i64 {
    match c {
        Coverage::Included => 4,
        Coverage::Referenced => 3,
        Coverage::NotApplicable => 2,
        Coverage::Withheld => 1,
        Coverage::Unknown => 0,
    }
}

fn framework_change(o: &FrameworkResult, n: &FrameworkResult) -> FrameworkChange {
    let mut change = FrameworkChange {
        framework: o.framework.clone(),
        name: o.name.clone(),
        old_level: None,
        new_level: None,
        direction: Direction::Same,
        missing: Vec::new(),
        items: Vec::new(),
    };
    match o.kind {
        Kind::Levels => {
            change.old_level = o.level.clone();
            change.new_level = n.level.clone();
            change.direction = direction(rank(o, o.level.as_deref()), rank(n, n.level.as_deref()));
            if change.direction == Direction::Down
                && let Some(lost) = o.level.as_deref()
                && let Some(outcome) = n.levels.iter().find(|l| l.id == lost)
            {
                change.missing = outcome.missing.clone();
            }
        }
        Kind::Criteria => {
            for c in &o.criteria {
                let Some(m) = n.criteria.iter().find(|x| x.id == c.id) else {
                    continue;
                };
                if c.rating == m.rating {
                    continue;
                }
                let dir = direction(rating_rank(c.rating), rating_rank(m.rating));
                let missing = match (dir, c.rating) {
                    (Direction::Down, Rating::Open) => m.missing_for_open.clone(),
                    (Direction::Down, _) => m.missing_for_partial.clone(),
                    _ => Vec::new(),
                };
                change.items.push(ItemChange {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    old: c.label.clone(),
                    new: m.label.clone(),
                    direction: dir,
                    missing,
                });
            }
        }
        Kind::Indicators => {}
        Kind::Coverage => {
            for c in &o.coverage {
                let Some(m) = n.coverage.iter().find(|x| x.id == c.id) else {
                    continue;
                };
                if c.coverage == m.coverage {
                    continue;
                }
                change.items.push(ItemChange {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    old: coverage_name(c.coverage).to_string(),
                    new: coverage_name(m.coverage).to_string(),
                    direction: direction(coverage_rank(c.coverage), coverage_rank(m.coverage)),
                    missing: Vec::new(),
                });
            }
        }
    }
    if o.kind == Kind::Indicators {
        let word = |d: bool| if d { "disclosed" } else { "not disclosed" };
        for i in o.indicators.iter().filter(|i| i.observable) {
            let Some(m) = n.indicators.iter().find(|x| x.id == i.id) else {
                continue;
            };
            if i.disclosed != m.disclosed {
                change.items.push(ItemChange {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    old: word(i.disclosed).into(),
                    new: word(m.disclosed).into(),
                    direction: if m.disclosed {
                        Direction::Up
                    } else {
                        Direction::Down
                    },
                    missing: Vec::new(),
                });
            }
        }
    }
    if o.kind != Kind::Levels {
        // Any item that moved down is a regression, whatever moved up beside it.
        let moved = |d| change.items.iter().any(|i| i.direction == d);
        change.direction = if moved(Direction::Down) {
            Direction::Down
        } else if moved(Direction::Up) {
            Direction::Up
        } else {
            Direction::Same
        };
    }
    change
}

//! The stack of the framework paper (Fig. 5) as the page draws it: Product/UX over the model
//! components (datasets, code, weights) over infrastructure, with documentation, licensing and
//! safeguards beside. Each item is one cell with a colour, a pattern, a glyph and a word for its
//! status, and the reason as a tooltip (and in text) when withheld or not applicable. This is the
//! model; `html::stack` draws it.

use crate::classify::{ComponentRow, Coverage, CoverageResult, FrameworkResult};
use crate::framework::Checks;
use crate::release::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellStatus {
    IncludedOpen,
    IncludedRestrictive,
    Referenced,
    Withheld,
    Absent,
    NotApplicable,
}

impl CellStatus {
    pub(crate) const ALL: [CellStatus; 6] = [
        CellStatus::IncludedOpen,
        CellStatus::IncludedRestrictive,
        CellStatus::Referenced,
        CellStatus::Withheld,
        CellStatus::Absent,
        CellStatus::NotApplicable,
    ];

    pub(crate) fn class(self) -> &'static str {
        match self {
            CellStatus::IncludedOpen => "open",
            CellStatus::IncludedRestrictive => "restrictive",
            CellStatus::Referenced => "referenced",
            CellStatus::Withheld => "withheld",
            CellStatus::Absent => "absent",
            CellStatus::NotApplicable => "na",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            CellStatus::IncludedOpen => "included, open licence",
            CellStatus::IncludedRestrictive => "included, restrictive or no licence",
            CellStatus::Referenced => "referenced",
            CellStatus::Withheld => "withheld",
            CellStatus::Absent => "absent",
            CellStatus::NotApplicable => "not applicable",
        }
    }

    /// The item's share in its dimension's openness score; `None`: left out (not applicable).
    pub(crate) fn score(self) -> Option<f64> {
        match self {
            CellStatus::IncludedOpen => Some(1.0),
            CellStatus::Referenced => Some(0.75),
            CellStatus::IncludedRestrictive => Some(0.5),
            CellStatus::Withheld | CellStatus::Absent => Some(0.0),
            CellStatus::NotApplicable => None,
        }
    }
}

/// One stack item as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct StackCell {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) group: String,
    pub(crate) status: CellStatus,
    /// Why withheld or not applicable.
    pub(crate) reasons: Vec<String>,
    /// The licences of the components present (deduplicated, in order).
    pub(crate) licenses: Vec<String>,
}

/// The cells of a stack evaluation, in the framework's item order.
pub fn cells(result: &FrameworkResult) -> Vec<StackCell> {
    result
        .coverage
        .iter()
        .map(|item| cell(item, &result.components))
        .collect()
}

fn cell(item: &CoverageResult, rows: &[ComponentRow]) -> StackCell {
    let present: Vec<&ComponentRow> = item
        .components
        .iter()
        .filter(|c| matches!(c.status, Some(Status::Included | Status::Referenced)))
        .filter_map(|c| rows.iter().find(|r| r.id == c.id))
        .collect();
    let all_open = present.iter().all(|r| r.open);
    let status = match item.coverage {
        Coverage::Included | Coverage::Referenced if item.checks == Checks::License => {
            if all_open {
                CellStatus::IncludedOpen
            } else {
                CellStatus::IncludedRestrictive
            }
        }
        Coverage::Included => {
            let included_open = present
                .iter()
                .filter(|r| r.status == Some(Status::Included))
                .all(|r| r.open);
            if included_open {
                CellStatus::IncludedOpen
            } else {
                CellStatus::IncludedRestrictive
            }
        }
        Coverage::Referenced => CellStatus::Referenced,
        Coverage::Withheld => CellStatus::Withheld,
        Coverage::NotApplicable => CellStatus::NotApplicable,
        Coverage::Unknown => CellStatus::Absent,
    };
    let mut licenses: Vec<String> = Vec::new();
    for r in &present {
        let l = r.license.clone().unwrap_or_else(|| "no licence".into());
        if !licenses.contains(&l) {
            licenses.push(l);
        }
    }
    StackCell {
        id: item.id.clone(),
        name: item.name.clone(),
        group: item.group.clone(),
        status,
        reasons: item.reasons.clone(),
        licenses,
    }
}

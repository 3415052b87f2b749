//! Criteria frameworks (Opening up ChatGPT, DPGA): each criterion open, partial or closed.

use super::component::check;
use super::result::{ComponentRow, CriterionResult, Missing, MissingReason, Rating};
use crate::framework::{Clause, Criterion, Quantifier};

fn clause_missing(clause: &Clause, rows: &[ComponentRow]) -> Vec<Missing> {
    let results: Vec<Result<(), Missing>> = clause
        .components
        .iter()
        .map(|r| match rows.iter().find(|row| row.id == r.component) {
            Some(row) => check(row, r.license.for_content(row.content), &clause.statuses),
            None => Err(Missing {
                component: r.component.clone(),
                reason: MissingReason::Absent,
                license: None,
                alternatives: Vec::new(),
            }),
        })
        .collect();
    match clause.quantifier {
        Quantifier::All => results.into_iter().filter_map(Result::err).collect(),
        Quantifier::Any if results.iter().any(Result::is_ok) => Vec::new(),
        Quantifier::Any => {
            let ids: Vec<String> = clause
                .components
                .iter()
                .map(|r| r.component.clone())
                .collect();
            results
                .into_iter()
                .filter_map(Result::err)
                .map(|mut m| {
                    m.alternatives = ids.iter().filter(|i| **i != m.component).cloned().collect();
                    m
                })
                .collect()
        }
    }
}

fn rule_missing(clauses: &[Clause], rows: &[ComponentRow]) -> Vec<Missing> {
    clauses
        .iter()
        .flat_map(|c| clause_missing(c, rows))
        .collect()
}

pub fn evaluate(c: &Criterion, rows: &[ComponentRow]) -> CriterionResult {
    let for_open = rule_missing(&c.open, rows);
    let (rating, for_partial) = if for_open.is_empty() {
        (Rating::Open, Vec::new())
    } else if c.partial.is_empty() {
        (Rating::Closed, Vec::new())
    } else {
        let m = rule_missing(&c.partial, rows);
        if m.is_empty() {
            (Rating::Partial, m)
        } else {
            (Rating::Closed, m)
        }
    };
    let label = match rating {
        Rating::Open => &c.labels.open,
        Rating::Partial => &c.labels.partial,
        Rating::Closed => &c.labels.closed,
    };
    CriterionResult {
        id: c.id.clone(),
        name: c.name.clone(),
        group: c.group.clone(),
        rating,
        label: label.clone(),
        missing_for_open: for_open,
        missing_for_partial: for_partial,
    }
}

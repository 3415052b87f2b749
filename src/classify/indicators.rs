//! A transparency index: each indicator disclosed when one of its evidence components is
//! available (included or referenced); indicators a release cannot show are counted apart, so
//! the result is "N of M observable indicators disclosed", never a score of the whole index.

use std::collections::BTreeMap;

use super::result::{ComponentRow, Disclosure, DisclosureCount, IndicatorResult};
use crate::framework::Indicator;
use crate::release::Status;

pub fn evaluate(indicator: &Indicator, rows: &[ComponentRow]) -> IndicatorResult {
    let shown_by: Vec<String> = indicator
        .evidence
        .iter()
        .filter(|id| {
            rows.iter().any(|r| {
                &r.id == *id && matches!(r.status, Some(Status::Included | Status::Referenced))
            })
        })
        .cloned()
        .collect();
    IndicatorResult {
        id: indicator.id.clone(),
        name: indicator.name.clone(),
        domain: indicator.domain.clone(),
        subdomain: indicator.subdomain.clone(),
        observable: indicator.not_observable.is_none(),
        disclosed: indicator.not_observable.is_none() && !shown_by.is_empty(),
        evidence: indicator.evidence.clone(),
        shown_by,
        not_observable: indicator.not_observable.clone(),
    }
}

/// Counts in total and by domain and subdomain, in the order they first appear.
pub fn disclosure(results: &[IndicatorResult]) -> Disclosure {
    let count = |rs: &[&IndicatorResult]| DisclosureCount {
        domain: String::new(),
        subdomain: String::new(),
        indicators: rs.len(),
        observable: rs.iter().filter(|r| r.observable).count(),
        disclosed: rs.iter().filter(|r| r.disclosed).count(),
    };
    let all: Vec<&IndicatorResult> = results.iter().collect();
    let mut order: Vec<(String, String)> = Vec::new();
    let mut groups: BTreeMap<(String, String), Vec<&IndicatorResult>> = BTreeMap::new();
    for r in results {
        let key = (r.domain.clone(), r.subdomain.clone());
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(r);
    }
    let by_subdomain = order
        .into_iter()
        .map(|key| {
            let mut c = count(&groups[&key]);
            (c.domain, c.subdomain) = key;
            c
        })
        .collect();
    let total = count(&all);
    Disclosure {
        indicators: total.indicators,
        observable: total.observable,
        disclosed: total.disclosed,
        by_subdomain,
    }
}

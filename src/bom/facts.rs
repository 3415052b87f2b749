//! What both formats say about a release, worked out once: the model's licence, parameters and
//! architecture, the openness levels, each file and each dataset.

use std::collections::BTreeMap;

use super::ids;
use super::{BomInput, BomOptions};
use crate::classify::{Coverage, FrameworkResult, Rating};
use crate::framework::Kind;
use crate::manifest::WeightsSummary;
use crate::release::Status;

/// The component whose licence is the model's, and whose files are its weights.
const FINAL_WEIGHTS: &str = "weights.final";

/// A licence as a BOM can state it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum License {
    /// A valid SPDX expression (`LicenseRef-` ids included).
    Spdx(String),
    /// Text that is no SPDX expression, as the release writes it.
    Text(String),
}

/// One release file.
pub(crate) struct FileFacts<'a> {
    pub path: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub components: &'a [String],
    pub role: Option<&'a str>,
    pub license: Option<License>,
    pub weights: Option<&'a WeightsSummary>,
}

/// How the model used a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DatasetUse {
    /// Pre-training, fine-tuning or preference data.
    Training,
    /// Evaluation data.
    Testing,
}

/// One dataset component that the release includes or references.
pub(crate) struct DatasetFacts<'a> {
    pub id: &'a str,
    pub name: String,
    pub status: Status,
    pub used_for: DatasetUse,
    /// The places it is published that are URIs (free text is left out).
    pub urls: Vec<&'a str>,
    pub license: Option<License>,
    /// The release files that carry it.
    pub files: Vec<&'a str>,
}

/// A component whose record the files and datasets do not state in full: one that is not
/// included (referenced but not a dataset, withheld, not applicable), or one whose files carry
/// another licence than its own (a file shared with a component of another licence). Both
/// formats state it beside the model (`openseal:component:ID:KEY`), so that reading the BOM back
/// (`crate::bom_import`) gives the same record.
pub(crate) struct RecordFacts<'a> {
    pub id: &'a str,
    pub status: Status,
    pub license: Option<License>,
    /// Every place it is published, as the release writes them (free text included).
    pub urls: Vec<&'a str>,
    pub reason: Option<&'a str>,
}

impl RecordFacts<'_> {
    /// `(KEY, VALUE)` pairs, written `openseal:component:ID:KEY`: the status first, then the
    /// licence, each place (`url`, repeated) and the reason.
    pub(crate) fn entries(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("status", status_name(self.status).to_string())];
        if let Some(l) = &self.license {
            out.push(("license", l.text().to_string()));
        }
        out.extend(self.urls.iter().map(|u| ("url", (*u).to_string())));
        if let Some(r) = self.reason {
            out.push(("reason", r.to_string()));
        }
        out
    }
}

/// The prefix of the names that state a component's record.
pub(crate) const RECORD_PREFIX: &str = "openseal:component:";

/// A status as the release descriptor writes it.
pub(crate) fn status_name(s: Status) -> &'static str {
    match s {
        Status::Included => "included",
        Status::Referenced => "referenced",
        Status::Withheld => "withheld",
        Status::NotApplicable => "not-applicable",
    }
}

/// Everything a BOM states.
pub(crate) struct Facts<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub producer: Option<&'a str>,
    pub uuid: String,
    pub created: String,
    pub download: Option<&'a str>,
    pub model_license: Option<License>,
    pub family: Option<&'a str>,
    pub quantization: Option<&'a str>,
    /// Parameters of the final weights (every weights file when none is marked final).
    pub parameters: u64,
    pub parameters_by_dtype: BTreeMap<&'a str, u64>,
    /// `(name, value)`: the level or summary each framework gives the release.
    pub openness: Vec<(String, String)>,
    pub files: Vec<FileFacts<'a>>,
    pub datasets: Vec<DatasetFacts<'a>>,
    /// The components the files and datasets do not state in full.
    pub records: Vec<RecordFacts<'a>>,
}

impl<'a> Facts<'a> {
    pub(crate) fn new(input: &BomInput<'a>, opts: &BomOptions<'a>) -> Facts<'a> {
        let licenses = licenses(input.results);
        // Maps by path keep this linear in the number of files, however many weights files.
        let weights_by_path: BTreeMap<&str, &WeightsSummary> =
            input.weights.iter().map(|w| (w.path.as_str(), w)).collect();
        let files: Vec<FileFacts> = input
            .files
            .iter()
            .map(|f| FileFacts {
                path: &f.path,
                size: f.size,
                sha256: &f.sha256,
                components: &f.components,
                role: f.role.as_deref(),
                license: f
                    .components
                    .iter()
                    .find_map(|c| licenses.get(c.as_str()).cloned()),
                weights: weights_by_path.get(f.path.as_str()).copied(),
            })
            .collect();
        let digests: Vec<(&str, &str)> = files.iter().map(|f| (f.path, f.sha256)).collect();
        let model_license = licenses.get(FINAL_WEIGHTS).cloned().or_else(|| {
            licenses
                .iter()
                .find(|(id, _)| id.starts_with("weights."))
                .map(|(_, l)| l.clone())
        });
        let marked: Vec<&WeightsSummary> = files
            .iter()
            .filter(|f| f.components.iter().any(|c| c == FINAL_WEIGHTS))
            .filter_map(|f| f.weights)
            .collect();
        let final_weights = if marked.is_empty() {
            input.weights.iter().collect()
        } else {
            marked
        };
        let mut parameters_by_dtype = BTreeMap::new();
        for w in &final_weights {
            for (dtype, n) in &w.parameters_by_dtype {
                let sum: &mut u64 = parameters_by_dtype.entry(dtype.as_str()).or_default();
                *sum = sum.saturating_add(*n);
            }
        }
        Facts {
            name: input.name,
            version: input.version,
            producer: input.producer.filter(|p| !p.trim().is_empty()),
            uuid: ids::content_uuid(input.name, input.version, &digests),
            created: opts.created.rfc3339(),
            download: opts.download_location.filter(|l| is_uri(l)),
            model_license,
            family: final_weights.iter().find_map(|w| w.architecture.as_deref()),
            quantization: final_weights.iter().find_map(|w| w.quantization.as_deref()),
            parameters: final_weights
                .iter()
                .fold(0u64, |n, w| n.saturating_add(w.parameters)),
            parameters_by_dtype,
            openness: input.results.iter().map(openness).collect(),
            datasets: datasets(input, &files, &licenses),
            records: records(input, &files, &licenses),
            files,
        }
    }
}

/// The licence of each component as the evaluations resolved it (its own, else the release's
/// default for its kind), the first evaluation that names one winning.
fn licenses(results: &[FrameworkResult]) -> BTreeMap<&str, License> {
    let mut out = BTreeMap::new();
    for row in results.iter().flat_map(|r| &r.components) {
        if out.contains_key(row.id.as_str()) {
            continue;
        }
        // `spdx` is the licence as read (aliases mapped to SPDX ids); `license` as written.
        if let Some(l) = row
            .spdx
            .as_deref()
            .or(row.license.as_deref())
            .and_then(license)
        {
            out.insert(row.id.as_str(), l);
        }
    }
    out
}

impl License {
    /// The licence as written: the expression, or the text.
    pub(crate) fn text(&self) -> &str {
        match self {
            License::Spdx(t) | License::Text(t) => t,
        }
    }
}

/// `text` as a BOM licence; `None` when it says there is none.
fn license(text: &str) -> Option<License> {
    let t = text.trim();
    if t.is_empty() || t == "NONE" || t == "NOASSERTION" || t.eq_ignore_ascii_case("unlicensed") {
        return None;
    }
    Some(match crate::license::spdx_parse(t) {
        Ok(_) => License::Spdx(t.to_string()),
        Err(_) => License::Text(t.to_string()),
    })
}

/// Whether `s` is an absolute URI (`scheme:rest`, nothing a URI cannot hold); a descriptor's
/// `url` may be free text, which neither format accepts where a URI belongs.
pub(crate) fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

/// The property stating what framework `r` finds: `openseal:mof:class`, `openseal:FW:level`
/// (levels frameworks; `none` when no level is met), or counts for the other kinds.
fn openness(r: &FrameworkResult) -> (String, String) {
    let fw = &r.framework;
    match r.kind {
        Kind::Levels => {
            let name = if fw == "mof" {
                "openseal:mof:class".to_string()
            } else {
                format!("openseal:{fw}:level")
            };
            (name, r.level.clone().unwrap_or_else(|| "none".into()))
        }
        Kind::Criteria => {
            let n = |x: Rating| r.criteria.iter().filter(|c| c.rating == x).count();
            (
                format!("openseal:{fw}:criteria"),
                format!(
                    "open {}, partial {}, closed {}",
                    n(Rating::Open),
                    n(Rating::Partial),
                    n(Rating::Closed)
                ),
            )
        }
        Kind::Coverage => {
            let n = |x: Coverage| r.coverage.iter().filter(|c| c.coverage == x).count();
            (
                format!("openseal:{fw}:coverage"),
                format!(
                    "included {}, referenced {}, withheld {}, not applicable {}, unknown {}",
                    n(Coverage::Included),
                    n(Coverage::Referenced),
                    n(Coverage::Withheld),
                    n(Coverage::NotApplicable),
                    n(Coverage::Unknown)
                ),
            )
        }
        Kind::Indicators => {
            let (shown, of) = r
                .disclosure
                .as_ref()
                .map_or((0, 0), |d| (d.disclosed, d.observable));
            (
                format!("openseal:{fw}:disclosed"),
                format!("{shown} of {of} observable indicators"),
            )
        }
    }
}

/// The dataset components the release includes or references, in the release's order.
fn datasets<'a>(
    input: &BomInput<'a>,
    files: &[FileFacts<'a>],
    licenses: &BTreeMap<&str, License>,
) -> Vec<DatasetFacts<'a>> {
    input
        .components
        .iter()
        .filter(|c| c.id.starts_with("datasets."))
        .filter(|c| matches!(c.status, Status::Included | Status::Referenced))
        .map(|c| DatasetFacts {
            id: &c.id,
            name: crate::framework::component(&c.id)
                .map_or_else(|| c.id.clone(), |d| d.name.clone()),
            status: c.status,
            used_for: if c.id == "datasets.evaluation" {
                DatasetUse::Testing
            } else {
                DatasetUse::Training
            },
            urls: c
                .url
                .iter()
                .chain(&c.urls)
                .map(String::as_str)
                .filter(|u| is_uri(u))
                .collect(),
            license: licenses.get(c.id.as_str()).cloned(),
            files: files
                .iter()
                .filter(|f| f.components.contains(&c.id))
                .map(|f| f.path)
                .collect(),
        })
        .collect()
}

/// The component records that the files and dataset components do not state in full (see
/// [`RecordFacts`]), in the release's order.
fn records<'a>(
    input: &BomInput<'a>,
    files: &[FileFacts<'a>],
    licenses: &BTreeMap<&str, License>,
) -> Vec<RecordFacts<'a>> {
    // For each component some file carries: whether every such file shows its licence.
    let mut shown: BTreeMap<&str, bool> = BTreeMap::new();
    for f in files {
        for c in f.components {
            let same = f.license.as_ref() == licenses.get(c.as_str());
            *shown.entry(c.as_str()).or_insert(true) &= same;
        }
    }
    input
        .components
        .iter()
        .filter(|c| {
            let dataset = c.id.starts_with("datasets.")
                && matches!(c.status, Status::Included | Status::Referenced);
            let by_files = c.status == Status::Included && shown.get(c.id.as_str()) == Some(&true);
            !dataset && !by_files
        })
        .map(|c| RecordFacts {
            id: &c.id,
            status: c.status,
            license: licenses.get(c.id.as_str()).cloned(),
            urls: c.url.iter().chain(&c.urls).map(String::as_str).collect(),
            reason: c.reason.as_deref(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_are_spdx_expressions_or_text() {
        assert_eq!(
            license("MIT AND CC-BY-4.0"),
            Some(License::Spdx("MIT AND CC-BY-4.0".into()))
        );
        assert_eq!(
            license("LicenseRef-llama3"),
            Some(License::Spdx("LicenseRef-llama3".into()))
        );
        assert_eq!(
            license("the llama licence"),
            Some(License::Text("the llama licence".into()))
        );
        assert_eq!(license(" NONE "), None);
        assert_eq!(license(""), None);
    }

    #[test]
    fn only_absolute_uris_are_locations() {
        assert!(is_uri("https://huggingface.co/datasets/x"));
        assert!(is_uri("hf://org/name"));
        assert!(!is_uri("see the paper"));
        assert!(!is_uri("https://x.org/a b"));
        assert!(!is_uri("1http://x"));
        assert!(!is_uri("mailto:"));
    }
}

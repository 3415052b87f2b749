//! `openseal bom`: an AI bill of materials of a release, as CycloneDX 1.6 JSON or SPDX 3.0.1
//! JSON-LD.
//!
//! Both are written from the same facts ([`BomInput`], taken from a report's data): the model
//! with its licence, architecture family, parameter counts and the openness level each
//! framework gives it; every release file with its SHA-256 and components; every included or
//! referenced dataset with its licence and location; and every other component the files do
//! not show in full (referenced, withheld, not applicable), so that [`crate::bom_import`] reads
//! a BOM back as the release it was written from.
//!
//! The documents are built from hand-written serde structs. The `cyclonedx-bom` crate (0.8)
//! writes CycloneDX 1.3 to 1.5 only, so not 1.6's model card as used here, and no Rust crate
//! writes SPDX 3 JSON-LD; both formats are checked by their reference validators in
//! `tests/bom.rs` instead.
//!
//! The same release and creation time always give the same bytes: the CycloneDX serial number
//! and the SPDX ids derive from a UUID of the release's name, version and file digests, never a
//! random one; the creation time is `SOURCE_DATE_EPOCH` when set.

mod cyclonedx;
mod facts;
mod ids;
mod spdx;

use std::ffi::OsStr;

use thiserror::Error;

use crate::classify::FrameworkResult;
use crate::manifest::{FileEntry, WeightsSummary};
use crate::release::ComponentRecord;

/// The two formats of bill of materials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BomFormat {
    /// CycloneDX 1.6 JSON (a `machine-learning-model` component with a model card).
    CycloneDx,
    /// SPDX 3.0.1 JSON-LD (an `ai_AIPackage` with its files and datasets).
    Spdx,
}

/// Why no bill of materials was written.
#[derive(Debug, Error)]
pub enum BomError {
    /// `SOURCE_DATE_EPOCH` is set but is not a number of seconds RFC 3339 can write.
    #[error(
        "SOURCE_DATE_EPOCH={value:?} is not a number of seconds between 0 and {max} (9999-12-31T23:59:59Z)",
        max = ids::MAX_SECONDS
    )]
    SourceDateEpoch {
        /// The value as set.
        value: String,
    },
    /// A time that RFC 3339 cannot write (before 1970 or after 9999).
    #[error("{seconds} seconds since 1970 is outside the years 1970 to 9999")]
    TimeOutOfRange {
        /// The seconds since 1970-01-01T00:00:00Z.
        seconds: i64,
    },
    /// The document could not be serialised as JSON.
    #[error("the bill of materials of {release} could not be written as JSON: {source}")]
    Json {
        /// The release's name.
        release: String,
        /// The serialiser's error.
        source: serde_json::Error,
    },
}

/// When a BOM was created, in seconds since 1970-01-01T00:00:00Z (UTC), within the years RFC
/// 3339 can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The time `seconds` after 1970-01-01T00:00:00Z.
    pub fn from_unix(seconds: i64) -> Result<Timestamp, BomError> {
        match ids::rfc3339(seconds) {
            Some(_) => Ok(Timestamp(seconds)),
            None => Err(BomError::TimeOutOfRange { seconds }),
        }
    }

    /// `SOURCE_DATE_EPOCH` when it is set (reproducible-builds.org), else the current time. A
    /// value that is not a number of seconds is an error, never silently ignored.
    pub fn from_env() -> Result<Timestamp, BomError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Timestamp::from_env_value(std::env::var_os("SOURCE_DATE_EPOCH").as_deref(), now)
    }

    fn from_env_value(value: Option<&OsStr>, now: i64) -> Result<Timestamp, BomError> {
        let Some(value) = value else {
            return Timestamp::from_unix(now);
        };
        let text = value.to_string_lossy();
        let bad = || BomError::SourceDateEpoch {
            value: text.to_string(),
        };
        let seconds: i64 = text.trim().parse().map_err(|_| bad())?;
        Timestamp::from_unix(seconds).map_err(|_| bad())
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn rfc3339(self) -> String {
        // The constructors admit only times that format.
        ids::rfc3339(self.0).unwrap_or_default()
    }
}

/// What a bill of materials describes: a release as a report read it (see
/// [`crate::report::ReportData::bom_input`]).
#[derive(Debug, Clone, Copy)]
pub struct BomInput<'a> {
    pub(crate) name: &'a str,
    pub(crate) version: &'a str,
    pub(crate) producer: Option<&'a str>,
    /// The frameworks' evaluations: levels, and the licence of each component.
    pub(crate) results: &'a [FrameworkResult],
    pub(crate) files: &'a [FileEntry],
    pub(crate) weights: &'a [WeightsSummary],
    /// What the release says about each component (the places referenced ones are published).
    pub(crate) components: &'a [ComponentRecord],
}

/// How to write a bill of materials.
#[derive(Debug, Clone, Copy)]
pub struct BomOptions<'a> {
    /// CycloneDX or SPDX.
    pub format: BomFormat,
    /// The creation time the document states (and, in SPDX, the model's release time, which a
    /// release does not record).
    pub created: Timestamp,
    /// Where the release can be downloaded, when known (the `hf://` reference it was read
    /// from).
    pub download_location: Option<&'a str>,
}

/// The bill of materials of `input` as pretty-printed JSON ending in a newline.
pub fn render(input: &BomInput, opts: &BomOptions) -> Result<String, BomError> {
    let facts = facts::Facts::new(input, opts);
    let text = match opts.format {
        BomFormat::CycloneDx => serde_json::to_string_pretty(&cyclonedx::document(&facts)),
        BomFormat::Spdx => serde_json::to_string_pretty(&spdx::document(&facts)),
    };
    let mut text = text.map_err(|source| BomError::Json {
        release: input.name.to_string(),
        source,
    })?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::{Release, Status};

    fn record(id: &str, status: Status, files: &[&str]) -> ComponentRecord {
        ComponentRecord {
            id: id.into(),
            status,
            license: None,
            files: files.iter().map(|f| f.to_string()).collect(),
            url: None,
            urls: Vec::new(),
            reason: None,
        }
    }

    fn file(path: &str, components: &[&str]) -> FileEntry {
        FileEntry {
            path: path.into(),
            size: 1,
            sha256: "00".repeat(32),
            components: components.iter().map(|c| c.to_string()).collect(),
            role: None,
            executable: false,
        }
    }

    /// A release whose files do not show everything: a file two components of different
    /// licences share, a referenced code component, withheld and not applicable ones, and a
    /// referenced dataset (which its data component states).
    fn release() -> (Release, Vec<FileEntry>) {
        let mut eval = record(
            "docs.evaluation-results",
            Status::Included,
            &["README.md", "eval.json"],
        );
        eval.license = Some("CC0-1.0".into());
        let mut inference = record("code.inference", Status::Referenced, &[]);
        inference.url = Some("https://example.org/code".into());
        inference.urls = vec!["in the paper's appendix".into()];
        inference.license = Some("Apache-2.0".into());
        let mut withheld = record("datasets.evaluation", Status::Withheld, &[]);
        withheld.reason = Some("private".into());
        let mut na = record("code.training", Status::NotApplicable, &[]);
        na.reason = Some("not trained".into());
        let mut corpus = record("datasets.pre-training", Status::Referenced, &[]);
        corpus.url = Some("https://example.org/corpus".into());
        corpus.license = Some("CC-BY-4.0".into());
        let release = Release {
            name: "r".into(),
            version: "1".into(),
            producer: None,
            licenses: crate::release::DefaultLicenses {
                distribution: Some("MIT".into()),
                ..Default::default()
            },
            components: vec![
                eval,
                record("docs.model-card", Status::Included, &["README.md"]),
                record("weights.final", Status::Included, &["model.safetensors"]),
                inference,
                withheld,
                na,
                corpus,
            ],
        };
        let files = vec![
            file("README.md", &["docs.evaluation-results", "docs.model-card"]),
            file("eval.json", &["docs.evaluation-results"]),
            file("model.safetensors", &["weights.final"]),
        ];
        (release, files)
    }

    #[test]
    fn components_files_do_not_show_are_stated_beside_the_model() {
        let (release, files) = release();
        let results = crate::classify::evaluate_shown(&release).unwrap();
        let input = BomInput {
            name: &release.name,
            version: &release.version,
            producer: None,
            results: &results,
            files: &files,
            weights: &[],
            components: &release.components,
        };
        let opts = BomOptions {
            format: BomFormat::CycloneDx,
            created: Timestamp::from_unix(0).unwrap(),
            download_location: None,
        };
        let f = facts::Facts::new(&input, &opts);
        let ids: Vec<&str> = f.records.iter().map(|r| r.id).collect();
        // README.md shows the evaluation results' licence, so the model card is stated; the
        // weights and the evaluation results are shown by their files, the referenced corpus by
        // its data component.
        assert_eq!(
            ids,
            [
                "docs.model-card",
                "code.inference",
                "datasets.evaluation",
                "code.training"
            ]
        );
        let inference = &f.records[1];
        assert_eq!(
            inference.entries(),
            [
                ("status", "referenced".to_string()),
                ("license", "Apache-2.0".to_string()),
                ("url", "https://example.org/code".to_string()),
                ("url", "in the paper's appendix".to_string()),
            ]
        );

        // Read back, both formats give the release's record of every component.
        for format in [BomFormat::CycloneDx, BomFormat::Spdx] {
            let text = render(&input, &BomOptions { format, ..opts }).unwrap();
            let kind = match crate::bom_import::sniff(text.as_bytes()) {
                crate::bom_import::Sniffed::Bom(k) => k,
                other => panic!("{other:?}"),
            };
            let back = crate::bom_import::from_bytes(
                std::path::Path::new("b.json"),
                text.as_bytes(),
                kind,
            )
            .unwrap();
            assert!(back.by_openseal);
            for c in &release.components {
                let got = back
                    .release
                    .components
                    .iter()
                    .find(|b| b.id == c.id)
                    .unwrap_or_else(|| panic!("{format:?}: no {}", c.id));
                assert_eq!(got.status, c.status, "{format:?} {}", c.id);
                assert_eq!(got.files, c.files, "{format:?} {}", c.id);
                assert_eq!(got.reason, c.reason, "{format:?} {}", c.id);
                // Each licence as resolved: the component's own, else the release default.
                let want = match c.id.as_str() {
                    "docs.evaluation-results" => Some("CC0-1.0"),
                    "docs.model-card" | "weights.final" => Some("MIT"),
                    "code.inference" => Some("Apache-2.0"),
                    "datasets.pre-training" => Some("CC-BY-4.0"),
                    _ => None,
                };
                assert_eq!(got.license.as_deref(), want, "{format:?} {}", c.id);
                if c.status == Status::Referenced {
                    assert_eq!((&got.url, &got.urls), (&c.url, &c.urls), "{format:?}");
                }
            }
        }
    }

    #[test]
    fn creation_time_comes_from_source_date_epoch_or_now() {
        let t = |v: Option<&str>| Timestamp::from_env_value(v.map(OsStr::new), 86_400);
        assert_eq!(t(None).unwrap().rfc3339(), "1970-01-02T00:00:00Z");
        assert_eq!(
            t(Some(" 1700000000\n")).unwrap().rfc3339(),
            "2023-11-14T22:13:20Z"
        );
        for bad in ["", "soon", "-1", "1.5", "253402300800"] {
            assert!(
                matches!(t(Some(bad)), Err(BomError::SourceDateEpoch { .. })),
                "{bad:?}"
            );
        }
        assert!(matches!(
            Timestamp::from_unix(-5),
            Err(BomError::TimeOutOfRange { seconds: -5 })
        ));
    }
}

//! Reading an AI bill of materials as a release record: a CycloneDX (1.5, 1.6) JSON BOM with a
//! `machine-learning-model` component, or an SPDX 3 JSON-LD document with an `ai_AIPackage`,
//! whoever wrote it.
//!
//! The untrusted JSON is parsed into raw serde types that hold only the fields read here
//! (unknown fields are ignored), gathered into one format-neutral statement (the model, its
//! files, its datasets), and mapped to component ids of `formats/components.toml`:
//!
//! - a BOM that `openseal bom` wrote names every id itself (each file's `openseal:component`
//!   properties or comment, each dataset's component and status, and
//!   `openseal:component:ID:KEY` entries on the model for what files and datasets do not
//!   show: referenced, withheld and not applicable components, and licences a shared file hides),
//!   so it reads back as the release it describes;
//! - in other tools' BOMs, files are placed by their paths as `openseal init` places them, the
//!   model is the final weights, and datasets are placed by how the model used them (SPDX
//!   `trainedOn` / `testedOn`) and by the words of their names. Each guess is a note.
//!
//! A BOM lists what a release has, not the files' contents: nothing is hashed or inspected
//! here, so the levels rest on what the BOM states.

mod cyclonedx;
mod spdx;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;
use thiserror::Error;

use crate::limits::MAX_SIDE_FILE;
use crate::regular_file::{self, CappedReadError};
use crate::release::{ComponentRecord, DefaultLicenses, Release, Status};

/// The prefix of the names (CycloneDX properties, SPDX annotations) that state a component's
/// record: `openseal:component:ID:KEY`, KEY one of `status`, `license`, `url`, `reason`.
const RECORD_PREFIX: &str = "openseal:component:";

/// At most this many examples are named in one note (a BOM may list a million files).
const NOTE_EXAMPLES: usize = 8;

/// The two formats of bill of materials read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BomKind {
    /// CycloneDX JSON (`"bomFormat": "CycloneDX"`).
    CycloneDx,
    /// SPDX 3 JSON-LD (an `@context` of spdx.org and an `@graph`).
    Spdx,
}

impl BomKind {
    fn name(self) -> &'static str {
        match self {
            BomKind::CycloneDx => "CycloneDX BOM",
            BomKind::Spdx => "SPDX 3 document",
        }
    }

    fn with_article(self) -> &'static str {
        match self {
            BomKind::CycloneDx => "a CycloneDX BOM",
            BomKind::Spdx => "an SPDX 3 document",
        }
    }
}

/// What a JSON file is, judged from its top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A bill of materials of this kind.
    Bom(BomKind),
    /// An SPDX 2 document (`spdxVersion`), which is not read.
    Spdx2,
    /// An object with a `schema` key: an openseal manifest, or meant to be one.
    Schema,
    /// A JSON object of no kind openseal reads.
    OtherObject,
    /// Not a JSON object (or not JSON at all).
    NotAnObject,
}

/// The top-level keys that tell the kinds apart; every other key is skipped unread.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "bomFormat")]
    bom_format: Option<serde_json::Value>,
    #[serde(rename = "@context")]
    context: Option<serde_json::Value>,
    #[serde(rename = "@graph")]
    graph: Option<IgnoredAny>,
    schema: Option<IgnoredAny>,
    #[serde(rename = "spdxVersion")]
    spdx_version: Option<IgnoredAny>,
}

/// What the JSON `bytes` are: a CycloneDX BOM (`"bomFormat": "CycloneDX"`), an SPDX 3 document
/// (an `@context` naming spdx.org and an `@graph`), or something else.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let Ok(p) = serde_json::from_slice::<Probe>(bytes) else {
        return Sniffed::NotAnObject;
    };
    if p.bom_format.as_ref().and_then(|v| v.as_str()) == Some("CycloneDX") {
        return Sniffed::Bom(BomKind::CycloneDx);
    }
    let names_spdx = |v: &serde_json::Value| v.as_str().is_some_and(|s| s.contains("spdx.org"));
    let spdx_context = p
        .context
        .as_ref()
        .is_some_and(|c| names_spdx(c) || c.as_array().is_some_and(|a| a.iter().any(names_spdx)));
    if spdx_context && p.graph.is_some() {
        return Sniffed::Bom(BomKind::Spdx);
    }
    if p.spdx_version.is_some() {
        return Sniffed::Spdx2;
    }
    if p.schema.is_some() {
        return Sniffed::Schema;
    }
    Sniffed::OtherObject
}

/// A release record read from a bill of materials.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The format it was read from.
    pub kind: BomKind,
    /// Whether `openseal bom` wrote it (component ids, statuses and licences read as written).
    pub by_openseal: bool,
    /// The release record.
    pub release: Release,
    /// The files listed as licence texts.
    pub license_files: Vec<String>,
    /// Files listed that no component claims.
    pub unclassified: Vec<String>,
    /// What could not be mapped, and where a mapping is a guess.
    pub notes: Vec<String>,
}

/// Why a bill of materials could not be read.
#[derive(Debug, Error)]
pub enum BomImportError {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is larger than a bill of materials may be.
    #[error("{}: {size} bytes is more than the {max}-byte limit for a bill of materials", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The cap.
        max: u64,
    },
    /// Not JSON, or JSON whose fields have types the format does not allow.
    #[error("{}:{line}:{column}: this {format} cannot be read: {message}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The format it claims to be (`CycloneDX BOM`, `SPDX 3 document`).
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// JSON of neither format.
    #[error("{}: not a bill of materials: {why}", path.display())]
    NotABom {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        why: &'static str,
    },
    /// A CycloneDX BOM without a `machine-learning-model` component: not an AI BOM.
    #[error(
        "{}: this CycloneDX BOM has no component of type \"machine-learning-model\" (neither metadata.component nor one in components), so there is no model to classify",
        path.display()
    )]
    NoModelComponent {
        /// The file.
        path: PathBuf,
    },
    /// An SPDX document without an `ai_AIPackage`: not an AI BOM.
    #[error(
        "{}: this SPDX document has no ai_AIPackage element (the AI profile's model), so there is no model to classify",
        path.display()
    )]
    NoAiPackage {
        /// The file.
        path: PathBuf,
    },
}

/// Read the bill of materials at `path` (at most [`MAX_SIDE_FILE`] bytes) as a release record.
pub fn read(path: &Path) -> Result<Imported, BomImportError> {
    let bytes = regular_file::read_capped(path, MAX_SIDE_FILE).map_err(|e| match e {
        CappedReadError::Io(source) => BomImportError::Io {
            path: path.to_path_buf(),
            source,
        },
        CappedReadError::TooLarge { size, max } => BomImportError::TooLarge {
            path: path.to_path_buf(),
            size,
            max,
        },
    })?;
    match sniff(&bytes) {
        Sniffed::Bom(kind) => from_bytes(path, &bytes, kind),
        Sniffed::Spdx2 => Err(BomImportError::NotABom {
            path: path.to_path_buf(),
            why: "an SPDX 2 document (spdxVersion); openseal reads SPDX 3 JSON-LD, whose AI profile describes models",
        }),
        Sniffed::Schema | Sniffed::OtherObject => Err(BomImportError::NotABom {
            path: path.to_path_buf(),
            why: "neither \"bomFormat\": \"CycloneDX\" nor an \"@context\" of spdx.org with an \"@graph\"",
        }),
        Sniffed::NotAnObject => Err(BomImportError::NotABom {
            path: path.to_path_buf(),
            why: "not a JSON object",
        }),
    }
}

/// The release record of the bill of materials `bytes` of kind `kind` (see [`sniff`]); `path`
/// names the file in errors and is the release's name when the BOM gives none.
pub fn from_bytes(path: &Path, bytes: &[u8], kind: BomKind) -> Result<Imported, BomImportError> {
    let statement = match kind {
        BomKind::CycloneDx => cyclonedx::statement(path, bytes)?,
        BomKind::Spdx => spdx::statement(path, bytes)?,
    };
    Ok(statement.into_release(kind, path))
}

/// A serde error of a document that claims to be `kind`, as [`BomImportError::Json`].
fn json_error(path: &Path, kind: BomKind, e: &serde_json::Error) -> BomImportError {
    let message = e.to_string();
    // serde_json ends its messages with the position, which the error states itself.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    BomImportError::Json {
        path: path.to_path_buf(),
        format: kind.name(),
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// How the model used a dataset, where the BOM says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DatasetUse {
    /// Trained on it (SPDX `trainedOn`).
    Training,
    /// Evaluated on it (SPDX `testedOn`).
    Testing,
}

/// A file a BOM lists.
#[derive(Debug, Clone, Default)]
struct FileStatement {
    path: String,
    /// The component ids openseal wrote for it; empty in other tools' BOMs.
    components: Vec<String>,
    /// The role openseal wrote for a file outside every component (`license-text`, ...).
    role: Option<String>,
    license: Option<String>,
}

/// A dataset a BOM lists.
#[derive(Debug, Clone, Default)]
struct DatasetStatement {
    /// The component id openseal wrote for it.
    id: Option<String>,
    name: String,
    /// The status openseal wrote for it.
    status: Option<Status>,
    used_for: Option<DatasetUse>,
    license: Option<String>,
    urls: Vec<String>,
    /// Paths of the listed files that hold it.
    files: Vec<String>,
}

/// What a BOM states, read from either format, before it is mapped to component ids.
#[derive(Debug, Clone, Default)]
struct Statement {
    /// Written by `openseal bom`: ids, statuses and records are read as written.
    by_openseal: bool,
    name: String,
    version: String,
    producer: Option<String>,
    model_license: Option<String>,
    /// Where the model is published (other tools' BOMs).
    model_locations: Vec<String>,
    /// Where the model card is published (other tools' BOMs).
    model_card_locations: Vec<String>,
    files: Vec<FileStatement>,
    datasets: Vec<DatasetStatement>,
    /// `(id, key, value)` of each `openseal:component:ID:KEY` entry, in document order.
    records: Vec<(String, String, String)>,
    notes: Vec<String>,
}

/// `ID:KEY` (what follows [`RECORD_PREFIX`]) split into the component id and the key.
fn record_parts(rest: &str) -> Option<(String, String)> {
    let (id, key) = rest.rsplit_once(':')?;
    (!id.is_empty() && !key.is_empty()).then(|| (id.to_string(), key.to_string()))
}

/// A status as the release descriptor writes it.
fn parse_status(s: &str) -> Option<Status> {
    match s.trim() {
        "included" => Some(Status::Included),
        "referenced" => Some(Status::Referenced),
        "withheld" => Some(Status::Withheld),
        "not-applicable" => Some(Status::NotApplicable),
        _ => None,
    }
}

/// Several licences that all apply, as one SPDX expression (each part parenthesised when it is
/// itself a compound expression; repeats dropped); `None` when there are none.
fn all_of(licenses: Vec<String>) -> Option<String> {
    let mut seen = HashSet::new();
    let parts: Vec<String> = licenses
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty() && seen.insert(l.clone()))
        .collect();
    match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => Some(
            parts
                .iter()
                .map(|p| {
                    if p.contains(' ') {
                        format!("({p})")
                    } else {
                        p.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

/// Whether `s` is an absolute URI, as a location must be (`NOASSERTION` and free text are not).
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `items` named in a note: the first [`NOTE_EXAMPLES`], then how many more.
fn examples<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = items
        .iter()
        .take(NOTE_EXAMPLES)
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > NOTE_EXAMPLES {
        out.push_str(&format!(" and {} more", items.len() - NOTE_EXAMPLES));
    }
    out
}

/// Whether `id` is a component id of `formats/components.toml`.
fn known(id: &str) -> bool {
    crate::framework::component(id).is_some()
}

/// Strings in first-seen order without repeats.
fn distinct(items: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.clone()))
        .collect()
}

/// What the statements say of one component, gathered before it becomes a record (lists are
/// deduplicated once at the end, so a BOM of a million files costs no more than linear time).
struct Gathered {
    status: Status,
    files: Vec<String>,
    /// The licences of its files, in order.
    file_licenses: Vec<String>,
    /// The licences datasets state for it: they win over the files'. `Some(empty)`: openseal
    /// wrote that none applies.
    own_licenses: Option<Vec<String>>,
    urls: Vec<String>,
}

impl Gathered {
    fn new(status: Status) -> Gathered {
        Gathered {
            status,
            files: Vec::new(),
            file_licenses: Vec::new(),
            own_licenses: None,
            urls: Vec::new(),
        }
    }
}

impl Statement {
    /// The release record this statement describes, with notes for what could not be mapped
    /// and where a mapping is a guess.
    fn into_release(self, kind: BomKind, path: &Path) -> Imported {
        let mut notes = vec![format!(
            "read from {}{}: it lists the release's files and licences, not their contents; nothing was hashed or inspected, so the levels rest on what it states",
            kind.with_article(),
            if self.by_openseal {
                " written by openseal"
            } else {
                ""
            }
        )];
        notes.extend(self.notes.iter().cloned());
        let mut gathered: BTreeMap<String, Gathered> = BTreeMap::new();
        let mut license_files = Vec::new();
        let mut unclassified = Vec::new();
        let mut placed_by_name: Vec<String> = Vec::new();
        let mut unknown_ids: BTreeSet<String> = BTreeSet::new();

        for f in &self.files {
            let name = f.path.rsplit('/').next().unwrap_or(&f.path);
            let mut ids: Vec<&str> = Vec::new();
            if !f.components.is_empty() {
                for id in &f.components {
                    if known(id) {
                        ids.push(id);
                    } else {
                        unknown_ids.insert(id.clone());
                    }
                }
            } else if !self.by_openseal
                && f.role.is_none()
                && let Some(id) = crate::detect::component_of_path(&f.path)
            {
                placed_by_name.push(format!("{} → {id}", f.path));
                ids.push(id);
            }
            if ids.is_empty() {
                match f.role.as_deref() {
                    Some("license-text") => license_files.push(f.path.clone()),
                    // Files openseal adds or keeps beside the release's own.
                    Some("descriptor" | "bom" | "oms-signature") => {}
                    None if crate::inspect::license::is_license_file(name) => {
                        license_files.push(f.path.clone())
                    }
                    _ => unclassified.push(f.path.clone()),
                }
                continue;
            }
            for id in ids {
                let g = gathered
                    .entry(id.to_string())
                    .or_insert_with(|| Gathered::new(Status::Included));
                g.files.push(f.path.clone());
                if let Some(l) = &f.license
                    && g.file_licenses.last() != Some(l)
                {
                    g.file_licenses.push(l.clone());
                }
            }
        }
        if !placed_by_name.is_empty() {
            notes.push(format!(
                "files placed in components by their paths, as openseal init places them (a guess; the BOM does not say): {}",
                examples(&placed_by_name)
            ));
        }

        // Datasets: several of other tools' datasets may land on one component id.
        let mut dataset_guesses = Vec::new();
        let mut merged: BTreeMap<String, usize> = BTreeMap::new();
        for d in &self.datasets {
            let id = match d.id.as_deref() {
                Some(id) if known(id) && id.starts_with("datasets.") => id,
                _ => {
                    let id = match d.used_for {
                        Some(DatasetUse::Testing) => "datasets.evaluation",
                        Some(DatasetUse::Training) => {
                            match crate::detect::dataset_of_name(&d.name) {
                                "datasets.evaluation" => "datasets.pre-training",
                                other => other,
                            }
                        }
                        None => crate::detect::dataset_of_name(&d.name),
                    };
                    if let Some(written) = &d.id {
                        unknown_ids.insert(written.clone());
                    }
                    let name = if d.name.is_empty() {
                        "(unnamed)"
                    } else {
                        &d.name
                    };
                    dataset_guesses.push(format!("\"{name}\" → {id}"));
                    id
                }
            };
            *merged.entry(id.to_string()).or_default() += 1;
            let g = gathered
                .entry(id.to_string())
                .or_insert_with(|| Gathered::new(Status::Referenced));
            match d.status {
                // openseal wrote the status, and the licence that applies (or that none does).
                Some(status) => {
                    g.status = status;
                    g.own_licenses = Some(d.license.iter().cloned().collect());
                }
                None => {
                    // A dataset whose files are listed is included, else referenced.
                    if !d.files.is_empty() {
                        g.status = Status::Included;
                    }
                    // Its own licence wins over its files'; merged datasets' all apply.
                    if let Some(l) = &d.license {
                        g.own_licenses.get_or_insert_with(Vec::new).push(l.clone());
                    }
                }
            }
            g.urls.extend(d.urls.iter().cloned());
            g.files.extend(d.files.iter().cloned());
        }
        if !dataset_guesses.is_empty() {
            notes.push(format!(
                "datasets placed by how the model used them and the words of their names (a guess): {}",
                examples(&dataset_guesses)
            ));
        }
        let several: Vec<String> = merged
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(id, n)| format!("{id} ({n})"))
            .collect();
        if !several.is_empty() {
            notes.push(format!(
                "several datasets stand for one component, their places and licences together: {}",
                several.join(", ")
            ));
        }

        let mut conflicting = Vec::new();
        let mut records: BTreeMap<String, ComponentRecord> = BTreeMap::new();
        for (id, g) in gathered {
            let file_licenses = distinct(g.file_licenses);
            let license = match g.own_licenses {
                Some(own) => all_of(own),
                None => {
                    if file_licenses.len() > 1 {
                        conflicting.push(id.clone());
                    }
                    all_of(file_licenses)
                }
            };
            let mut files = g.files;
            files.sort();
            files.dedup();
            let mut urls = distinct(g.urls).into_iter();
            records.insert(
                id.clone(),
                ComponentRecord {
                    id,
                    status: g.status,
                    license,
                    files,
                    url: urls.next(),
                    urls: urls.collect(),
                    reason: None,
                },
            );
        }
        if !conflicting.is_empty() {
            notes.push(format!(
                "files of one component carry different licences; all of them apply: {}",
                conflicting.join(", ")
            ));
        }

        let mut licenses = DefaultLicenses::default();
        if !self.by_openseal {
            self.model_as_components(&mut records, &mut licenses, &mut notes);
        }
        apply_records(&self.records, &mut records, &mut unknown_ids, &mut notes);
        for c in records.values() {
            if c.status == Status::Referenced && c.url.is_none() {
                notes.push(format!(
                    "{}: referenced, but the BOM gives no place it is published",
                    c.id
                ));
            }
        }
        if !unknown_ids.is_empty() {
            let ids: Vec<&String> = unknown_ids.iter().collect();
            notes.push(format!(
                "component ids not in formats/components.toml were left out: {}",
                examples(&ids)
            ));
        }
        if !unclassified.is_empty() && !self.by_openseal {
            notes.push(format!(
                "{} listed file(s) fit no component by their paths: {}",
                unclassified.len(),
                examples(&unclassified)
            ));
        }
        let name = if self.name.trim().is_empty() {
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let stem = file
                .split('.')
                .next()
                .filter(|s| !s.is_empty())
                .unwrap_or("release")
                .to_string();
            notes.push(format!(
                "the model has no name in the BOM; the release is named after the file: {stem}"
            ));
            stem
        } else {
            self.name.clone()
        };
        Imported {
            kind,
            by_openseal: self.by_openseal,
            release: Release {
                name,
                version: self.version.clone(),
                producer: self.producer.clone().filter(|p| !p.trim().is_empty()),
                licenses,
                components: records.into_values().collect(),
            },
            license_files,
            unclassified,
            notes,
        }
    }

    /// In another tool's BOM, the model component stands for the final weights (when no file
    /// was placed there) and its licence for the release's: the default of weights, code and
    /// documents (not data: a dataset without a licence of its own has none).
    fn model_as_components(
        &self,
        records: &mut BTreeMap<String, ComponentRecord>,
        licenses: &mut DefaultLicenses,
        notes: &mut Vec<String>,
    ) {
        let record = |id: &str, status: Status, places: &[String]| {
            let mut urls = distinct(places.to_vec()).into_iter();
            ComponentRecord {
                id: id.to_string(),
                status,
                license: None,
                files: Vec::new(),
                url: urls.next(),
                urls: urls.collect(),
                reason: None,
            }
        };
        if !records.contains_key("weights.final") {
            let (status, how) = if self.model_locations.is_empty() {
                (
                    Status::Included,
                    "included (no place it is published is given)",
                )
            } else {
                (
                    Status::Referenced,
                    "referenced where the BOM says it is published",
                )
            };
            records.insert(
                "weights.final".into(),
                record("weights.final", status, &self.model_locations),
            );
            notes.push(format!(
                "weights.final: no weights file is listed; the model component is taken as the final weights, {how} (a guess)"
            ));
        }
        if let Some(l) = &self.model_license {
            if let Some(weights) = records.get_mut("weights.final")
                && weights.license.is_none()
            {
                weights.license = Some(l.clone());
            }
            licenses.weights = Some(l.clone());
            licenses.code = Some(l.clone());
            licenses.document = Some(l.clone());
            notes.push(format!(
                "the model's licence ({l}) is taken as the default of weights, code and documents that state none (a guess: a Hugging Face model card's licence covers its repository); datasets keep only their own"
            ));
        }
        if !records.contains_key("docs.model-card") && !self.model_card_locations.is_empty() {
            records.insert(
                "docs.model-card".into(),
                record(
                    "docs.model-card",
                    Status::Referenced,
                    &self.model_card_locations,
                ),
            );
            notes.push(
                "docs.model-card: referenced where the model's model-card reference points".into(),
            );
        }
    }
}

/// Applies the `openseal:component:ID:KEY` entries: each id's entries replace what files and
/// datasets said of its status, licence, places and reason (its files stay).
fn apply_records(
    entries: &[(String, String, String)],
    records: &mut BTreeMap<String, ComponentRecord>,
    unknown_ids: &mut BTreeSet<String>,
    notes: &mut Vec<String>,
) {
    let mut by_id: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (id, key, value) in entries {
        by_id.entry(id).or_default().push((key, value));
    }
    let mut unknown_keys = BTreeSet::new();
    for (id, entries) in by_id {
        if !known(id) {
            unknown_ids.insert(id.to_string());
            continue;
        }
        let status = entries
            .iter()
            .find(|(k, _)| *k == "status")
            .and_then(|(_, v)| parse_status(v));
        let Some(status) = status else {
            notes.push(format!(
                "{id}: its openseal:component entries give no valid status (included, referenced, withheld, not-applicable); left out"
            ));
            continue;
        };
        let c = records
            .entry(id.to_string())
            .or_insert_with(|| ComponentRecord {
                id: id.to_string(),
                status,
                license: None,
                files: Vec::new(),
                url: None,
                urls: Vec::new(),
                reason: None,
            });
        c.status = status;
        c.license = None;
        let mut urls = Vec::new();
        c.reason = None;
        for (key, value) in entries {
            match key {
                "status" => {}
                "license" => c.license = Some(value.to_string()),
                "url" => urls.push(value.to_string()),
                "reason" => c.reason = Some(value.to_string()),
                other => {
                    unknown_keys.insert(format!("{RECORD_PREFIX}{id}:{other}"));
                }
            }
        }
        let mut urls = distinct(urls).into_iter();
        c.url = urls.next();
        c.urls = urls.collect();
    }
    if !unknown_keys.is_empty() {
        let keys: Vec<&String> = unknown_keys.iter().collect();
        notes.push(format!("unknown entries left out: {}", examples(&keys)));
    }
}

#[cfg(test)]
mod tests;

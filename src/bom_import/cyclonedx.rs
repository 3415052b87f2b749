//! CycloneDX JSON: the `machine-learning-model` component (`metadata.component`, else the first
//! in `components`) with its licences, publisher and model card's datasets; `file` components;
//! `data` components as datasets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{
    BomImportError, BomKind, DatasetStatement, FileStatement, RECORD_PREFIX, Statement, all_of,
    examples, is_uri, json_error, parse_status, record_parts,
};

const MODEL: &str = "machine-learning-model";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawBom {
    #[serde(default)]
    metadata: Option<RawMetadata>,
    #[serde(default)]
    components: Vec<RawComponent>,
}

#[derive(Deserialize)]
struct RawMetadata {
    /// An object (`components`, `services`) since 1.5, an array of tools before.
    #[serde(default)]
    tools: Option<Value>,
    #[serde(default)]
    component: Option<RawComponent>,
    #[serde(default)]
    supplier: Option<RawEntity>,
    #[serde(default)]
    manufacturer: Option<RawEntity>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawComponent {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(rename = "bom-ref", default)]
    bom_ref: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    supplier: Option<RawEntity>,
    #[serde(default)]
    manufacturer: Option<RawEntity>,
    #[serde(default)]
    authors: Vec<RawEntity>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    licenses: Vec<RawLicenseChoice>,
    #[serde(default)]
    external_references: Vec<RawExternalReference>,
    #[serde(default)]
    model_card: Option<RawModelCard>,
    #[serde(default)]
    data: Vec<RawData>,
    #[serde(default)]
    properties: Vec<RawProperty>,
    /// Sub-components (a component may nest others).
    #[serde(default)]
    components: Vec<RawComponent>,
}

#[derive(Deserialize)]
struct RawEntity {
    #[serde(default)]
    name: Option<String>,
}

/// `{"license": {"id" | "name"}}` or `{"expression"}`.
#[derive(Deserialize)]
struct RawLicenseChoice {
    #[serde(default)]
    license: Option<RawLicense>,
    #[serde(default)]
    expression: Option<String>,
}

#[derive(Deserialize)]
struct RawLicense {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawExternalReference {
    #[serde(default)]
    url: String,
    #[serde(rename = "type", default)]
    kind: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawModelCard {
    #[serde(default)]
    model_parameters: Option<RawModelParameters>,
}

#[derive(Deserialize)]
struct RawModelParameters {
    #[serde(default)]
    datasets: Vec<RawDatasetChoice>,
}

/// `{"ref": BOM-REF}` or an inline dataset (`componentData`).
#[derive(Deserialize)]
struct RawDatasetChoice {
    #[serde(rename = "ref", default)]
    target: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    contents: Option<RawContents>,
}

#[derive(Deserialize)]
struct RawData {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    contents: Option<RawContents>,
}

#[derive(Deserialize)]
struct RawContents {
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawProperty {
    #[serde(default)]
    name: String,
    #[serde(default)]
    value: Option<String>,
}

impl RawComponent {
    fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.as_deref())
    }

    fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.properties
            .iter()
            .filter(move |p| p.name == name)
            .filter_map(|p| p.value.as_deref())
    }

    /// Every licence it lists, as one expression (all apply).
    fn license(&self) -> Option<String> {
        all_of(
            self.licenses
                .iter()
                .filter_map(|c| {
                    c.expression.clone().or_else(|| {
                        c.license
                            .as_ref()
                            .and_then(|l| l.id.clone().or_else(|| l.name.clone()))
                    })
                })
                .collect(),
        )
    }

    /// The URIs of its external references of the given kinds.
    fn locations(&self, kinds: &[&str]) -> Vec<String> {
        self.external_references
            .iter()
            .filter(|r| kinds.contains(&r.kind.as_str()) && is_uri(&r.url))
            .map(|r| r.url.clone())
            .collect()
    }

    fn producer(&self) -> Option<String> {
        let name = |e: &Option<RawEntity>| e.as_ref().and_then(|e| e.name.clone());
        name(&self.supplier)
            .or_else(|| name(&self.manufacturer))
            .or_else(|| self.authors.iter().find_map(|a| a.name.clone()))
            .or_else(|| self.author.clone())
            .or_else(|| self.publisher.clone())
            .filter(|p| !p.trim().is_empty())
    }
}

/// Whether the tools list (either shape) names openseal.
fn tools_name_openseal(tools: &Value) -> bool {
    let named = |v: &Value| v.get("name").and_then(Value::as_str) == Some("openseal");
    match tools {
        Value::Array(a) => a.iter().any(named),
        Value::Object(o) => o
            .get("components")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(named)),
        _ => false,
    }
}

/// The statement of the CycloneDX BOM `bytes`.
pub(super) fn statement(path: &Path, bytes: &[u8]) -> Result<Statement, BomImportError> {
    let bom: RawBom =
        serde_json::from_slice(bytes).map_err(|e| json_error(path, BomKind::CycloneDx, &e))?;
    let RawBom {
        metadata,
        components,
    } = bom;
    let (tools, meta_component, meta_supplier) = match metadata {
        Some(m) => (
            m.tools,
            m.component,
            m.supplier.or(m.manufacturer).and_then(|e| e.name),
        ),
        None => (None, None, None),
    };
    // Every component, nested ones too, in document order (without recursion: the nesting is
    // the document's to choose).
    let mut all: Vec<RawComponent> = Vec::new();
    let mut stack: Vec<RawComponent> = components.into_iter().rev().collect();
    while let Some(mut c) = stack.pop() {
        let nested = std::mem::take(&mut c.components);
        stack.extend(nested.into_iter().rev());
        all.push(c);
    }
    let mut notes = Vec::new();
    let model = match meta_component {
        Some(c) if c.kind == MODEL => c,
        other => {
            let Some(i) = all.iter().position(|c| c.kind == MODEL) else {
                return Err(BomImportError::NoModelComponent {
                    path: path.to_path_buf(),
                });
            };
            if let Some(o) = other {
                notes.push(format!(
                    "metadata.component is of type {} ({}); the release is the machine-learning-model component \"{}\"",
                    o.kind, o.name, all[i].name
                ));
            }
            all.remove(i)
        }
    };
    let others: Vec<String> = all
        .iter()
        .filter(|c| c.kind == MODEL)
        .map(|c| c.name.clone())
        .collect();
    if !others.is_empty() {
        notes.push(format!(
            "one model per release: other machine-learning-model components were not read: {}",
            examples(&others)
        ));
    }
    let by_openseal = tools.as_ref().is_some_and(tools_name_openseal)
        || model
            .properties
            .iter()
            .any(|p| p.name.starts_with(RECORD_PREFIX))
        || all
            .iter()
            .any(|c| c.property("openseal:component").is_some());

    let mut files = Vec::new();
    let mut datasets = Vec::new();
    let mut data_by_ref: BTreeMap<String, usize> = BTreeMap::new();
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    for c in &all {
        match c.kind.as_str() {
            "file" => files.push(FileStatement {
                path: c.name.clone(),
                components: c
                    .properties_named("openseal:component")
                    .map(String::from)
                    .collect(),
                role: c.property("openseal:role").map(String::from),
                license: c.license(),
            }),
            "data" => {
                if !c.data.is_empty() && c.data.iter().all(|d| d.kind != "dataset") {
                    *unmapped
                        .entry(format!("data ({})", c.data[0].kind))
                        .or_default() += 1;
                    continue;
                }
                let mut urls = c.locations(&["distribution", "distribution-intake"]);
                for d in &c.data {
                    // Repeats are dropped when the record is made.
                    if let Some(u) = d.contents.as_ref().and_then(|x| x.url.as_ref())
                        && is_uri(u)
                    {
                        urls.push(u.clone());
                    }
                }
                let name = if c.name.is_empty() {
                    c.data
                        .iter()
                        .find_map(|d| d.name.clone())
                        .unwrap_or_default()
                } else {
                    c.name.clone()
                };
                if let Some(r) = &c.bom_ref {
                    data_by_ref.insert(r.clone(), datasets.len());
                }
                datasets.push(DatasetStatement {
                    id: c.property("openseal:component").map(String::from),
                    name,
                    status: c.property("openseal:status").and_then(parse_status),
                    used_for: None,
                    license: c.license(),
                    urls,
                    files: Vec::new(),
                });
            }
            other => *unmapped.entry(other.to_string()).or_default() += 1,
        }
    }
    // The model card's datasets: references to data components, or datasets given inline.
    let mut referenced: BTreeSet<usize> = BTreeSet::new();
    let card_datasets = model
        .model_card
        .as_ref()
        .and_then(|m| m.model_parameters.as_ref())
        .map(|p| p.datasets.as_slice())
        .unwrap_or_default();
    let mut dangling = Vec::new();
    for d in card_datasets {
        if let Some(r) = &d.target {
            match data_by_ref.get(r) {
                Some(i) => {
                    referenced.insert(*i);
                }
                None => dangling.push(r.clone()),
            }
            continue;
        }
        let url = d.contents.as_ref().and_then(|c| c.url.clone());
        datasets.push(DatasetStatement {
            name: d.name.clone().unwrap_or_default(),
            urls: url.into_iter().filter(|u| is_uri(u)).collect(),
            ..DatasetStatement::default()
        });
    }
    if !dangling.is_empty() {
        notes.push(format!(
            "the model card names datasets that are no data component of the BOM: {}",
            examples(&dangling)
        ));
    }
    if !by_openseal {
        let loose: Vec<String> = data_by_ref
            .iter()
            .filter(|(_, i)| !referenced.contains(i))
            .map(|(r, _)| r.clone())
            .collect();
        if !loose.is_empty() {
            notes.push(format!(
                "data components the model card does not name are read as the model's datasets too: {}",
                examples(&loose)
            ));
        }
        if !unmapped.is_empty() {
            let kinds: Vec<String> = unmapped.iter().map(|(k, n)| format!("{n} {k}")).collect();
            notes.push(format!(
                "components of kinds openseal does not map to release components were not read: {}",
                kinds.join(", ")
            ));
        }
    }
    let mut records = Vec::new();
    for p in &model.properties {
        if let Some(rest) = p.name.strip_prefix(RECORD_PREFIX)
            && let Some((id, key)) = record_parts(rest)
        {
            records.push((id, key, p.value.clone().unwrap_or_default()));
        }
    }
    Ok(Statement {
        by_openseal,
        name: model.name.clone(),
        version: model.version.clone().unwrap_or_default(),
        producer: model.producer().or(meta_supplier),
        model_license: model.license(),
        model_locations: model.locations(&[
            "distribution",
            "distribution-intake",
            "website",
            "vcs",
        ]),
        model_card_locations: model.locations(&["model-card"]),
        files,
        datasets,
        records,
        notes,
    })
}

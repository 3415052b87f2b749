//! SPDX 3 JSON-LD: the `ai_AIPackage` (the document's root element when there are several) with
//! its `hasDeclaredLicense` / `hasConcludedLicense` licences, `software_File`s, and
//! `dataset_DatasetPackage`s tied by `trainedOn` / `testedOn` and `hasDataFile`.
//!
//! Element types are read in their compact form (`ai_AIPackage`) or as full IRIs
//! (`https://spdx.org/rdf/3.0.1/terms/AI/AIPackage`); references between elements as ids or as
//! inline objects with an `spdxId`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{
    BomImportError, BomKind, DatasetStatement, DatasetUse, FileStatement, RECORD_PREFIX, Statement,
    all_of, examples, is_uri, json_error, parse_status, record_parts,
};

/// How openseal's own BOMs write a licence text that is no SPDX expression (the element's
/// comment holds the text).
const TEXT_LICENSE_COMMENT: &str = "the licence as the release writes it: ";

#[derive(Deserialize)]
struct RawDocument {
    #[serde(rename = "@graph")]
    graph: Vec<RawElement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawElement {
    #[serde(rename = "type", alias = "@type", default)]
    kind: Value,
    #[serde(alias = "@id", default)]
    spdx_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(rename = "software_packageVersion", default)]
    package_version: Option<String>,
    #[serde(rename = "software_downloadLocation", default)]
    download_location: Option<String>,
    #[serde(default)]
    supplied_by: Option<Value>,
    #[serde(default)]
    originated_by: Vec<Value>,
    #[serde(default)]
    created_by: Vec<Value>,
    #[serde(default)]
    root_element: Vec<Value>,
    #[serde(default)]
    from: Option<Value>,
    #[serde(default)]
    relationship_type: Option<String>,
    #[serde(default)]
    to: Vec<Value>,
    #[serde(rename = "simplelicensing_licenseExpression", default)]
    license_expression: Option<String>,
    #[serde(default)]
    subject: Option<Value>,
    #[serde(default)]
    statement: Option<String>,
}

impl RawElement {
    /// The type without its profile prefix or IRI: `ai_AIPackage` and
    /// `https://spdx.org/rdf/3.0.1/terms/AI/AIPackage` are both `AIPackage`.
    fn short_type(&self) -> &str {
        let t = self.kind.as_str().unwrap_or_default();
        let t = t.rsplit('/').next().unwrap_or(t);
        t.rsplit('_').next().unwrap_or(t)
    }
}

/// The id an element reference names: an id string, or an inline object's `spdxId` / `@id`.
fn id_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(o) => o
            .get("spdxId")
            .or_else(|| o.get("@id"))
            .and_then(Value::as_str),
        _ => None,
    }
}

/// The last segment of an IRI (`…/RelationshipType/trainedOn` → `trainedOn`).
fn last_segment(s: &str) -> &str {
    s.rsplit(['/', '#']).next().unwrap_or(s)
}

/// The statement of the SPDX 3 document `bytes`.
pub(super) fn statement(path: &Path, bytes: &[u8]) -> Result<Statement, BomImportError> {
    let doc: RawDocument =
        serde_json::from_slice(bytes).map_err(|e| json_error(path, BomKind::Spdx, &e))?;
    let graph = doc.graph;
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(graph.len());
    for (i, e) in graph.iter().enumerate() {
        if let Some(id) = e.spdx_id.as_deref() {
            index.entry(id).or_insert(i);
        }
    }
    let element = |id: &str| index.get(id).map(|i| &graph[*i]);
    let name_of = |v: &Value| {
        let inline = v.get("name").and_then(Value::as_str);
        inline
            .or_else(|| id_of(v).and_then(element).and_then(|e| e.name.as_deref()))
            .map(String::from)
    };

    // The model: the document's root element when it is an AI package, else the first.
    let packages: Vec<usize> = graph
        .iter()
        .enumerate()
        .filter(|(_, e)| e.short_type() == "AIPackage")
        .map(|(i, _)| i)
        .collect();
    let roots: HashSet<&str> = graph
        .iter()
        .filter(|e| e.short_type() == "SpdxDocument")
        .flat_map(|e| e.root_element.iter().filter_map(id_of))
        .collect();
    let Some(&model_at) = packages
        .iter()
        .find(|i| {
            graph[**i]
                .spdx_id
                .as_deref()
                .is_some_and(|id| roots.contains(&id))
        })
        .or(packages.first())
    else {
        return Err(BomImportError::NoAiPackage {
            path: path.to_path_buf(),
        });
    };
    let model = &graph[model_at];
    let model_id = model.spdx_id.as_deref().unwrap_or_default();
    let mut notes = Vec::new();
    if packages.len() > 1 {
        let others: Vec<String> = packages
            .iter()
            .filter(|i| **i != model_at)
            .map(|i| graph[*i].name.clone().unwrap_or_default())
            .collect();
        notes.push(format!(
            "one model per release: other ai_AIPackage elements were not read: {}",
            examples(&others)
        ));
    }

    // Relationships, by kind and source.
    let mut related: HashMap<&str, HashMap<&str, Vec<&str>>> = HashMap::new();
    for e in &graph {
        if !matches!(
            e.short_type(),
            "Relationship" | "LifecycleScopedRelationship"
        ) {
            continue;
        }
        let (Some(from), Some(kind)) = (e.from.as_ref().and_then(id_of), &e.relationship_type)
        else {
            continue;
        };
        let targets = related
            .entry(last_segment(kind))
            .or_default()
            .entry(from)
            .or_default();
        targets.extend(e.to.iter().filter_map(id_of));
    }
    let targets = |kind: &str, from: &str| -> &[&str] {
        related
            .get(kind)
            .and_then(|m| m.get(from))
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    // The licence declared for an element (else the one concluded), every one applying.
    let license_of = |id: &str| -> Option<String> {
        let mut ids = targets("hasDeclaredLicense", id);
        if ids.is_empty() {
            ids = targets("hasConcludedLicense", id);
        }
        all_of(
            ids.iter()
                .filter_map(|l| match element(l) {
                    Some(e) => license_text(e),
                    // A listed licence by its IRI (`https://spdx.org/licenses/MIT`).
                    None => Some(last_segment(l).to_string()),
                })
                .collect(),
        )
    };

    let by_openseal = graph.iter().any(|e| {
        e.short_type() == "CreationInfo"
            && e.created_by
                .iter()
                .any(|a| name_of(a).is_some_and(|n| n == "openseal" || n.starts_with("openseal ")))
    }) || graph.iter().any(|e| {
        e.statement
            .as_deref()
            .is_some_and(|s| s.starts_with(RECORD_PREFIX))
    });

    // Files.
    let mut files = Vec::new();
    let mut file_paths: HashMap<&str, &str> = HashMap::new();
    for e in &graph {
        if e.short_type() != "File" {
            continue;
        }
        let path = e.name.clone().unwrap_or_default();
        if let Some(id) = e.spdx_id.as_deref() {
            file_paths.insert(id, e.name.as_deref().unwrap_or_default());
        }
        let comment = e.comment.as_deref().unwrap_or_default();
        let components = comment
            .strip_prefix("openseal components: ")
            .map(|l| {
                l.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let role = comment
            .strip_prefix("openseal role: ")
            .map(|r| r.trim().to_string());
        files.push(FileStatement {
            path,
            components,
            role,
            license: e.spdx_id.as_deref().and_then(license_of),
        });
    }

    // Datasets, and how the model used each.
    let trained: HashSet<&str> = targets("trainedOn", model_id).iter().copied().collect();
    let tested: HashSet<&str> = targets("testedOn", model_id).iter().copied().collect();
    let mut datasets = Vec::new();
    for e in &graph {
        if e.short_type() != "DatasetPackage" {
            continue;
        }
        let id = e.spdx_id.as_deref().unwrap_or_default();
        let used_for = if tested.contains(&id) {
            Some(DatasetUse::Testing)
        } else if trained.contains(&id) {
            Some(DatasetUse::Training)
        } else {
            None
        };
        // openseal writes "openseal component ID, included in the release" (or "referenced by").
        let (component, status) = match e
            .comment
            .as_deref()
            .and_then(|c| c.strip_prefix("openseal component "))
            .and_then(|c| c.split_once(", "))
        {
            Some((component, how)) => (
                Some(component.to_string()),
                parse_status(how.split(' ').next().unwrap_or_default()),
            ),
            None => (None, None),
        };
        datasets.push(DatasetStatement {
            id: component,
            name: e.name.clone().unwrap_or_default(),
            status,
            used_for,
            license: license_of(id),
            urls: e
                .download_location
                .iter()
                .filter(|u| is_uri(u))
                .cloned()
                .collect(),
            files: targets("hasDataFile", id)
                .iter()
                .filter_map(|f| file_paths.get(f).map(|p| p.to_string()))
                .collect(),
        });
    }

    // What openseal states of components beside the files and datasets.
    let mut records = Vec::new();
    for e in &graph {
        if e.short_type() != "Annotation" || e.subject.as_ref().and_then(id_of) != Some(model_id) {
            continue;
        }
        if let Some(rest) = e
            .statement
            .as_deref()
            .and_then(|s| s.strip_prefix(RECORD_PREFIX))
            && let Some((id_key, value)) = rest.split_once('=')
            && let Some((id, key)) = record_parts(id_key)
        {
            records.push((id, key, value.to_string()));
        }
    }

    if !by_openseal {
        let mut unmapped: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, e) in graph.iter().enumerate() {
            let t = e.short_type();
            if i != model_at && matches!(t, "Package" | "AIPackage" | "Snippet" | "Sbom") {
                *unmapped
                    .entry(e.kind.as_str().unwrap_or_default())
                    .or_default() += 1;
            }
        }
        if !unmapped.is_empty() {
            let kinds: Vec<String> = unmapped.iter().map(|(k, n)| format!("{n} {k}")).collect();
            notes.push(format!(
                "elements of kinds openseal does not map to release components were not read: {}",
                kinds.join(", ")
            ));
        }
    }
    let location = model
        .download_location
        .clone()
        .filter(|u| is_uri(u))
        .into_iter()
        .collect();
    Ok(Statement {
        by_openseal,
        name: model.name.clone().unwrap_or_default(),
        version: model.package_version.clone().unwrap_or_default(),
        producer: model
            .supplied_by
            .as_ref()
            .and_then(name_of)
            .or_else(|| model.originated_by.iter().find_map(name_of)),
        model_license: license_of(model_id),
        model_locations: location,
        model_card_locations: Vec::new(),
        files,
        datasets,
        records,
        notes,
    })
}

/// The licence a licence element states: a simple licence expression (openseal's own text
/// licences by their text), a listed licence by its id, any other by its name.
fn license_text(e: &RawElement) -> Option<String> {
    if let Some(x) = &e.license_expression {
        if let Some(text) = e
            .comment
            .as_deref()
            .and_then(|c| c.strip_prefix(TEXT_LICENSE_COMMENT))
            && x.starts_with("LicenseRef-openseal-")
        {
            return Some(text.to_string());
        }
        return Some(x.clone());
    }
    match e.short_type() {
        "ListedLicense" => e
            .spdx_id
            .as_deref()
            .map(|id| last_segment(id).to_string())
            .or_else(|| e.name.clone()),
        _ => e
            .name
            .clone()
            .or_else(|| e.spdx_id.as_deref().map(|id| last_segment(id).to_string())),
    }
}

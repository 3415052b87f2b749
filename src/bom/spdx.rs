//! SPDX 3.0.1 JSON-LD: an `ai_AIPackage` for the model, a `software_File` per release file
//! (SHA-256 in `verifiedUsing`), a `dataset_DatasetPackage` per dataset, licences as
//! `simplelicensing_LicenseExpression`s, and the relationships between them. The openness levels
//! are `Annotation`s on the model: SPDX has no property for them, and custom properties would
//! not validate. For the same reason the components of each file and the component and status
//! of each dataset are in their comments, and what the files and datasets do not show of a
//! component is an annotation per entry (`openseal:component:ID:KEY=VALUE`), so that
//! `crate::bom_import` reads the release back as it was.
//!
//! Every element's id is `urn:uuid:UUID#LOCAL`, UUID being the release's content UUID (the
//! document itself is `urn:uuid:UUID`), so ids are stable and differ between releases.

use std::collections::BTreeMap;

use serde::Serialize;

use super::facts::{DatasetUse, Facts, License, RECORD_PREFIX};
use super::ids::pct;
use crate::release::Status;

const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
const CREATION_INFO: &str = "_:creationinfo";
/// What `software_downloadLocation` says when the location is not known: the SPDX 2 word for
/// "no assertion made", since the AI profile requires the property.
const NO_ASSERTION: &str = "NOASSERTION";

#[derive(Serialize)]
pub(crate) struct Document {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<Node>,
}

/// One object of the graph, tagged with its SPDX type.
#[derive(Serialize)]
#[serde(tag = "type")]
enum Node {
    CreationInfo(CreationInfo),
    SoftwareAgent(Agent),
    Agent(Agent),
    SpdxDocument(SpdxDocument),
    #[serde(rename = "ai_AIPackage")]
    AiPackage(AiPackage),
    #[serde(rename = "dataset_DatasetPackage")]
    Dataset(Dataset),
    #[serde(rename = "software_File")]
    File(File),
    #[serde(rename = "simplelicensing_LicenseExpression")]
    License(LicenseExpression),
    Relationship(Relationship),
    Annotation(Annotation),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreationInfo {
    #[serde(rename = "@id")]
    id: &'static str,
    spec_version: &'static str,
    created: String,
    created_by: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Agent {
    spdx_id: String,
    creation_info: &'static str,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SpdxDocument {
    spdx_id: String,
    creation_info: &'static str,
    name: String,
    profile_conformance: Vec<&'static str>,
    root_element: Vec<String>,
    element: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AiPackage {
    spdx_id: String,
    creation_info: &'static str,
    name: String,
    #[serde(rename = "software_packageVersion")]
    software_package_version: String,
    #[serde(rename = "software_downloadLocation")]
    software_download_location: String,
    #[serde(rename = "software_primaryPurpose")]
    software_primary_purpose: &'static str,
    release_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplied_by: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(rename = "ai_typeOfModel")]
    ai_type_of_model: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(rename = "ai_hyperparameter")]
    ai_hyperparameter: Vec<DictionaryEntry>,
}

#[derive(Serialize)]
struct DictionaryEntry {
    #[serde(rename = "type")]
    kind: &'static str,
    key: String,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dataset {
    spdx_id: String,
    creation_info: &'static str,
    name: String,
    comment: String,
    #[serde(rename = "software_downloadLocation")]
    software_download_location: String,
    #[serde(rename = "software_primaryPurpose")]
    software_primary_purpose: &'static str,
    #[serde(rename = "dataset_datasetType")]
    dataset_dataset_type: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct File {
    spdx_id: String,
    creation_info: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    verified_using: Vec<Hash>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "software_primaryPurpose")]
    software_primary_purpose: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Hash {
    #[serde(rename = "type")]
    kind: &'static str,
    algorithm: &'static str,
    hash_value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LicenseExpression {
    spdx_id: String,
    creation_info: &'static str,
    #[serde(rename = "simplelicensing_licenseExpression")]
    simplelicensing_license_expression: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Relationship {
    spdx_id: String,
    creation_info: &'static str,
    from: String,
    relationship_type: &'static str,
    to: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Annotation {
    spdx_id: String,
    creation_info: &'static str,
    annotation_type: &'static str,
    subject: String,
    content_type: &'static str,
    statement: String,
}

/// The SPDX document of `f`.
pub(crate) fn document(f: &Facts) -> Document {
    Graph::new(f).finish(f)
}

/// The graph being built: element nodes, and the licence elements already made (one per
/// distinct expression).
struct Graph {
    base: String,
    nodes: Vec<Node>,
    licenses: BTreeMap<String, String>,
    relationships: usize,
}

impl Graph {
    fn new(f: &Facts) -> Graph {
        Graph {
            base: format!("urn:uuid:{}", f.uuid),
            nodes: Vec::new(),
            licenses: BTreeMap::new(),
            relationships: 0,
        }
    }

    fn id(&self, local: &str) -> String {
        format!("{}#{local}", self.base)
    }

    fn relate(&mut self, from: &str, kind: &'static str, to: Vec<String>) {
        if to.is_empty() {
            return;
        }
        self.relationships += 1;
        let spdx_id = self.id(&format!("relationship-{}", self.relationships));
        self.nodes.push(Node::Relationship(Relationship {
            spdx_id,
            creation_info: CREATION_INFO,
            from: from.into(),
            relationship_type: kind,
            to,
        }));
    }

    /// `hasDeclaredLicense` from `from` to the licence element of `l`, made on first use.
    fn declare_license(&mut self, from: &str, l: &Option<License>) {
        let Some(l) = l else { return };
        let (expression, comment) = match l {
            License::Spdx(e) => (e.clone(), None),
            License::Text(t) => (
                format!("LicenseRef-openseal-{}", license_ref(t)),
                Some(format!("the licence as the release writes it: {t}")),
            ),
        };
        let id = match self.licenses.get(&expression) {
            Some(id) => id.clone(),
            None => {
                let id = self.id(&format!("license-{}", pct(&expression)));
                self.licenses.insert(expression.clone(), id.clone());
                self.nodes.push(Node::License(LicenseExpression {
                    spdx_id: id.clone(),
                    creation_info: CREATION_INFO,
                    simplelicensing_license_expression: expression,
                    comment,
                }));
                id
            }
        };
        self.relate(from, "hasDeclaredLicense", vec![id]);
    }

    fn finish(mut self, f: &Facts) -> Document {
        let tool = self.id("openseal");
        self.nodes.push(Node::SoftwareAgent(Agent {
            spdx_id: tool.clone(),
            creation_info: CREATION_INFO,
            name: format!("openseal {}", env!("CARGO_PKG_VERSION")),
        }));
        let supplier = f.producer.map(|p| {
            let id = self.id("supplier");
            self.nodes.push(Node::Agent(Agent {
                spdx_id: id.clone(),
                creation_info: CREATION_INFO,
                name: p.into(),
            }));
            id
        });
        let model = self.id("model");
        self.nodes
            .push(Node::AiPackage(ai_package(f, &model, supplier)));
        self.declare_license(&model, &f.model_license);

        let mut files: Vec<String> = Vec::new();
        let mut file_ids: BTreeMap<&str, String> = BTreeMap::new();
        for x in &f.files {
            let id = self.id(&format!("file-{}", pct(x.path)));
            self.nodes.push(Node::File(File {
                spdx_id: id.clone(),
                creation_info: CREATION_INFO,
                name: x.path.into(),
                comment: file_comment(x.components, x.role),
                verified_using: vec![Hash {
                    kind: "Hash",
                    algorithm: "sha256",
                    hash_value: x.sha256.into(),
                }],
                software_primary_purpose: purpose(x.components, x.role),
            }));
            self.declare_license(&id, &x.license);
            file_ids.insert(x.path, id.clone());
            files.push(id);
        }
        self.relate(&model, "contains", files);

        let (mut trained, mut tested) = (Vec::new(), Vec::new());
        for d in &f.datasets {
            let id = self.id(&format!("dataset-{}", pct(d.id)));
            let status = match d.status {
                Status::Included => "included in the release",
                _ => "referenced by the release",
            };
            self.nodes.push(Node::Dataset(Dataset {
                spdx_id: id.clone(),
                creation_info: CREATION_INFO,
                name: d.name.clone(),
                comment: format!("openseal component {}, {status}", d.id),
                software_download_location: d.urls.first().unwrap_or(&NO_ASSERTION).to_string(),
                software_primary_purpose: "data",
                dataset_dataset_type: vec!["noAssertion"],
            }));
            self.declare_license(&id, &d.license);
            let data_files = d
                .files
                .iter()
                .filter_map(|p| file_ids.get(p).cloned())
                .collect();
            self.relate(&id, "hasDataFile", data_files);
            match d.used_for {
                DatasetUse::Training => trained.push(id),
                DatasetUse::Testing => tested.push(id),
            }
        }
        self.relate(&model, "trainedOn", trained);
        self.relate(&model, "testedOn", tested);

        for (i, (name, value)) in f.openness.iter().enumerate() {
            let spdx_id = self.id(&format!("openness-{}", i + 1));
            self.nodes.push(Node::Annotation(Annotation {
                spdx_id,
                creation_info: CREATION_INFO,
                annotation_type: "other",
                subject: model.clone(),
                content_type: "text/plain",
                statement: format!("{name}={value}"),
            }));
        }

        // What the files and datasets do not state of a component: one annotation per entry.
        let mut n = 0;
        for r in &f.records {
            for (key, value) in r.entries() {
                n += 1;
                let spdx_id = self.id(&format!("component-{n}"));
                self.nodes.push(Node::Annotation(Annotation {
                    spdx_id,
                    creation_info: CREATION_INFO,
                    annotation_type: "other",
                    subject: model.clone(),
                    content_type: "text/plain",
                    statement: format!("{RECORD_PREFIX}{}:{key}={value}", r.id),
                }));
            }
        }

        let element: Vec<String> = self.nodes.iter().filter_map(spdx_id).collect();
        let mut graph = vec![
            Node::CreationInfo(CreationInfo {
                id: CREATION_INFO,
                spec_version: "3.0.1",
                created: f.created.clone(),
                created_by: vec![tool],
            }),
            Node::SpdxDocument(SpdxDocument {
                spdx_id: self.base.clone(),
                creation_info: CREATION_INFO,
                name: format!("AI bill of materials of {}", release_name(f)),
                profile_conformance: vec!["core", "software", "ai", "dataset", "simpleLicensing"],
                root_element: vec![model],
                element,
            }),
        ];
        graph.append(&mut self.nodes);
        Document {
            context: CONTEXT,
            graph,
        }
    }
}

fn ai_package(f: &Facts, id: &str, supplier: Option<String>) -> AiPackage {
    let entry = |key: String, value: String| DictionaryEntry {
        kind: "DictionaryEntry",
        key,
        value,
    };
    let mut hyper = vec![entry("parameters".into(), f.parameters.to_string())];
    for (dtype, n) in &f.parameters_by_dtype {
        hyper.push(entry(format!("parameters.{dtype}"), n.to_string()));
    }
    if let Some(q) = f.quantization {
        hyper.push(entry("quantization".into(), q.into()));
    }
    AiPackage {
        spdx_id: id.into(),
        creation_info: CREATION_INFO,
        name: f.name.into(),
        software_package_version: f.version.into(),
        software_download_location: f.download.unwrap_or(NO_ASSERTION).into(),
        software_primary_purpose: "model",
        // A release records no release time; the BOM's creation time stands in.
        release_time: f.created.clone(),
        supplied_by: supplier,
        ai_type_of_model: f.family.map(String::from).into_iter().collect(),
        ai_hyperparameter: hyper,
    }
}

fn spdx_id(n: &Node) -> Option<String> {
    match n {
        Node::SoftwareAgent(a) | Node::Agent(a) => Some(a.spdx_id.clone()),
        Node::AiPackage(p) => Some(p.spdx_id.clone()),
        Node::Dataset(d) => Some(d.spdx_id.clone()),
        Node::File(x) => Some(x.spdx_id.clone()),
        Node::License(l) => Some(l.spdx_id.clone()),
        Node::Relationship(r) => Some(r.spdx_id.clone()),
        Node::Annotation(a) => Some(a.spdx_id.clone()),
        Node::CreationInfo(_) | Node::SpdxDocument(_) => None,
    }
}

fn release_name(f: &Facts) -> String {
    if f.version.is_empty() {
        f.name.to_string()
    } else {
        format!("{} {}", f.name, f.version)
    }
}

/// What a file's comment says of its place in the release: `openseal components: A, B` or
/// `openseal role: ROLE` (a licence text, say), which reading the BOM back relies on.
fn file_comment(components: &[String], role: Option<&str>) -> Option<String> {
    if !components.is_empty() {
        return Some(format!("openseal components: {}", components.join(", ")));
    }
    role.map(|r| format!("openseal role: {r}"))
}

/// A file's purpose from the first component it carries.
fn purpose(components: &[String], role: Option<&str>) -> Option<&'static str> {
    if role == Some("license-text") {
        return Some("documentation");
    }
    let first = components.first()?;
    Some(match first.split('.').next().unwrap_or_default() {
        "weights" => "model",
        "datasets" => "data",
        "code" => "source",
        "docs" => "documentation",
        "product" => "configuration",
        _ => "other",
    })
}

/// Licence text as the idstring of a `LicenseRef-` (letters, digits, `.` and `-`).
fn license_ref(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '.' {
            c
        } else {
            '-'
        };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "unnamed".into()
    } else {
        out.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_text_becomes_a_licence_ref_idstring() {
        assert_eq!(license_ref("The Llama 3 licence!"), "The-Llama-3-licence");
        assert_eq!(license_ref("--"), "unnamed");
        assert_eq!(license_ref("café v1.0"), "caf-v1.0");
    }

    #[test]
    fn file_purposes_follow_components() {
        assert_eq!(purpose(&["weights.final".into()], None), Some("model"));
        assert_eq!(purpose(&[], Some("license-text")), Some("documentation"));
        assert_eq!(purpose(&[], None), None);
    }
}

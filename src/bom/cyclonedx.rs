//! CycloneDX 1.6 JSON: the model as `metadata.component` (type `machine-learning-model`, with a
//! model card), each release file as a `file` component with its SHA-256, each dataset as a
//! `data` component, and dependencies from the model to them. What the files and datasets do
//! not show of a component (see `RecordFacts`) is stated by `openseal:component:ID:KEY`
//! properties of the model, so that `crate::bom_import` reads the release back as it was.

use serde::Serialize;

use super::facts::{DatasetFacts, Facts, FileFacts, License, RECORD_PREFIX, RecordFacts};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Bom {
    bom_format: &'static str,
    spec_version: &'static str,
    serial_number: String,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    dependencies: Vec<Dependency>,
}

#[derive(Serialize)]
struct Metadata {
    timestamp: String,
    tools: Tools,
    component: Component,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<Component>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<Entity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Entity>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<Hash>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model_card: Option<ModelCard>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data: Vec<Data>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

/// An organisational entity (`supplier`) or contact (`authors`): only the name is known.
#[derive(Serialize)]
struct Entity {
    name: String,
}

#[derive(Serialize)]
struct Hash {
    alg: &'static str,
    content: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum LicenseChoice {
    Expression { expression: String },
    Named { license: NamedLicense },
}

#[derive(Serialize)]
struct NamedLicense {
    name: String,
}

#[derive(Serialize)]
struct ExternalReference {
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModelCard {
    #[serde(skip_serializing_if = "Option::is_none")]
    model_parameters: Option<ModelParameters>,
    properties: Vec<Property>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModelParameters {
    #[serde(skip_serializing_if = "Option::is_none")]
    architecture_family: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    datasets: Vec<Ref>,
}

#[derive(Serialize)]
struct Ref {
    #[serde(rename = "ref")]
    target: String,
}

#[derive(Serialize)]
struct Data {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    contents: Option<Contents>,
}

#[derive(Serialize)]
struct Contents {
    url: String,
}

#[derive(Serialize)]
struct Property {
    name: String,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    target: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
}

const MODEL_REF: &str = "model";

fn file_ref(path: &str) -> String {
    format!("file:{path}")
}

fn dataset_ref(id: &str) -> String {
    format!("dataset:{id}")
}

fn prop(name: impl Into<String>, value: impl Into<String>) -> Property {
    Property {
        name: name.into(),
        value: value.into(),
    }
}

fn licenses(l: &Option<License>) -> Vec<LicenseChoice> {
    match l {
        None => Vec::new(),
        Some(License::Spdx(e)) => vec![LicenseChoice::Expression {
            expression: e.clone(),
        }],
        Some(License::Text(t)) => vec![LicenseChoice::Named {
            license: NamedLicense { name: t.clone() },
        }],
    }
}

/// The CycloneDX document of `f`.
pub(crate) fn document(f: &Facts) -> Bom {
    let mut components: Vec<Component> = f.files.iter().map(file).collect();
    components.extend(f.datasets.iter().map(dataset));
    let mut dependencies = vec![Dependency {
        target: MODEL_REF.into(),
        depends_on: f
            .files
            .iter()
            .map(|x| file_ref(x.path))
            .chain(f.datasets.iter().map(|d| dataset_ref(d.id)))
            .collect(),
    }];
    dependencies.extend(f.datasets.iter().map(|d| Dependency {
        target: dataset_ref(d.id),
        depends_on: d.files.iter().map(|p| file_ref(p)).collect(),
    }));
    // Declared without dependencies, as the specification asks of components that have none.
    dependencies.extend(f.files.iter().map(|x| Dependency {
        target: file_ref(x.path),
        depends_on: Vec::new(),
    }));
    Bom {
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: format!("urn:uuid:{}", f.uuid),
        version: 1,
        metadata: Metadata {
            timestamp: f.created.clone(),
            tools: Tools {
                components: vec![Component {
                    kind: "application",
                    name: "openseal".into(),
                    version: Some(env!("CARGO_PKG_VERSION").into()),
                    ..Component::default()
                }],
            },
            component: model(f),
        },
        components,
        dependencies,
    }
}

fn model(f: &Facts) -> Component {
    let mut properties: Vec<Property> = f
        .openness
        .iter()
        .map(|(n, v)| prop(n.clone(), v.clone()))
        .collect();
    properties.push(prop("openseal:parameters", f.parameters.to_string()));
    for (dtype, n) in &f.parameters_by_dtype {
        properties.push(prop(format!("openseal:parameters:{dtype}"), n.to_string()));
    }
    if let Some(q) = f.quantization {
        properties.push(prop("openseal:quantization", q));
    }
    let datasets: Vec<Ref> = f
        .datasets
        .iter()
        .map(|d| Ref {
            target: dataset_ref(d.id),
        })
        .collect();
    let model_parameters = (f.family.is_some() || !datasets.is_empty()).then(|| ModelParameters {
        architecture_family: f.family.map(String::from),
        datasets,
    });
    Component {
        kind: "machine-learning-model",
        bom_ref: Some(MODEL_REF.into()),
        supplier: f.producer.map(|p| Entity { name: p.into() }),
        authors: f
            .producer
            .map(|p| Entity { name: p.into() })
            .into_iter()
            .collect(),
        name: f.name.into(),
        version: Some(f.version.to_string()).filter(|v| !v.is_empty()),
        licenses: licenses(&f.model_license),
        external_references: f
            .download
            .map(|u| ExternalReference {
                kind: "distribution",
                url: u.into(),
                comment: None,
            })
            .into_iter()
            .chain(f.records.iter().flat_map(record_references))
            .collect(),
        model_card: Some(ModelCard {
            model_parameters,
            properties,
        }),
        properties: f
            .records
            .iter()
            .flat_map(|r| {
                r.entries()
                    .into_iter()
                    .map(|(key, value)| prop(format!("{RECORD_PREFIX}{}:{key}", r.id), value))
            })
            .collect(),
        ..Component::default()
    }
}

/// The places a referenced component is published that are URIs, as external references of
/// the kind its component id suggests (the `openseal:component:ID:url` properties state them
/// all, free text included).
fn record_references(r: &RecordFacts) -> Vec<ExternalReference> {
    if r.status != crate::release::Status::Referenced {
        return Vec::new();
    }
    let kind = match r.id {
        "docs.model-card" => "model-card",
        "licensing.terms-of-service" => "license",
        id if id.starts_with("docs.") => "documentation",
        id if id.starts_with("code.") => "source-distribution",
        id if id.starts_with("weights.") => "distribution",
        _ => "other",
    };
    r.urls
        .iter()
        .filter(|u| super::facts::is_uri(u))
        .map(|u| ExternalReference {
            kind,
            url: (*u).into(),
            comment: Some(format!("openseal component {}", r.id)),
        })
        .collect()
}

fn file(x: &FileFacts) -> Component {
    let mut properties: Vec<Property> = x
        .components
        .iter()
        .map(|c| prop("openseal:component", c.clone()))
        .collect();
    if let Some(role) = x.role {
        properties.push(prop("openseal:role", role));
    }
    properties.push(prop("openseal:size", x.size.to_string()));
    if let Some(w) = x.weights {
        properties.push(prop("openseal:weights:format", w.format.clone()));
        properties.push(prop(
            "openseal:weights:parameters",
            w.parameters.to_string(),
        ));
        properties.push(prop("openseal:weights:safety", w.safety.clone()));
    }
    Component {
        kind: "file",
        bom_ref: Some(file_ref(x.path)),
        name: x.path.into(),
        hashes: vec![Hash {
            alg: "SHA-256",
            content: x.sha256.into(),
        }],
        licenses: licenses(&x.license),
        properties,
        ..Component::default()
    }
}

fn dataset(d: &DatasetFacts) -> Component {
    let status = match d.status {
        crate::release::Status::Included => "included",
        _ => "referenced",
    };
    Component {
        kind: "data",
        bom_ref: Some(dataset_ref(d.id)),
        name: d.name.clone(),
        licenses: licenses(&d.license),
        external_references: d
            .urls
            .iter()
            .map(|u| ExternalReference {
                kind: "distribution",
                url: (*u).into(),
                comment: None,
            })
            .collect(),
        data: vec![Data {
            kind: "dataset",
            name: d.name.clone(),
            contents: d.urls.first().map(|u| Contents { url: (*u).into() }),
        }],
        properties: vec![
            prop("openseal:component", d.id),
            prop("openseal:status", status),
        ],
        ..Component::default()
    }
}

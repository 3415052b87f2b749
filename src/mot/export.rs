//! Writing a `Release` as a MOT model file, so that a release can be submitted to the Model
//! Openness Tool. What MOT cannot express is reported back, not silently lost.

use serde::Serialize;

use super::error::MotError;
use super::import::NO_LICENSE;
use super::table::{MOT_COMPONENTS, by_id};
use crate::release::{Release, Status};

#[derive(Serialize)]
struct File<'a> {
    framework: Framework,
    release: MotRelease<'a>,
}

#[derive(Serialize)]
struct Framework {
    name: &'static str,
    version: &'static str,
    date: &'static str,
}

#[derive(Serialize)]
struct MotRelease<'a> {
    name: &'a str,
    version: &'a str,
    producer: &'a str,
    license: Licenses<'a>,
    components: Vec<Component<'a>>,
}

#[derive(Serialize, Default)]
struct Licenses<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    distribution: Option<Global<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<Global<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Global<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<Global<'a>>,
}

#[derive(Serialize)]
struct Global<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Component<'a> {
    name: &'static str,
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    component_path: Option<&'a str>,
}

/// The YAML, and the component ids that could not be written (not MOF components, or withheld
/// or not applicable, which MOT cannot record: it lists only what is included), or whose further
/// `urls` were left out (MOT has one path per component).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotExport {
    /// The MOT model file.
    pub yaml: String,
    /// Component ids left out.
    pub dropped: Vec<String>,
}

fn g(s: &Option<String>) -> Option<Global<'_>> {
    s.as_deref().map(|name| Global { name })
}

/// Write `release` as a Model Openness Tool model file.
pub fn to_mot_yaml(release: &Release) -> Result<MotExport, MotError> {
    let d = &release.licenses;
    let mut dropped = Vec::new();
    for c in &release.components {
        let listed = matches!(c.status, Status::Included | Status::Referenced);
        if by_id(&c.id).is_none() || !listed {
            dropped.push(c.id.clone());
        } else if !c.urls.is_empty() {
            // MOT has one path per component: the first place is kept.
            dropped.push(format!("{} (its further urls)", c.id));
        }
    }
    let components = MOT_COMPONENTS
        .iter()
        .filter_map(|m| {
            let c = release.component(m.id)?;
            if !matches!(c.status, Status::Included | Status::Referenced) {
                return None;
            }
            let license = match c.license.as_deref() {
                Some(NO_LICENSE) => Some("unlicensed"),
                Some(l) => Some(l),
                // MOT has no weights default: write it on the weights components themselves.
                None if m.id.starts_with("weights.") => d.weights.as_deref(),
                None => None,
            };
            Some(Component {
                name: m.name,
                description: m.description,
                license,
                component_path: c.url.as_deref(),
            })
        })
        .collect();
    let file = File {
        framework: Framework {
            name: "Model Openness Framework",
            version: "1.0",
            date: "2024-12-15",
        },
        release: MotRelease {
            name: &release.name,
            version: &release.version,
            producer: release.producer.as_deref().unwrap_or(""),
            license: Licenses {
                distribution: g(&d.distribution),
                code: g(&d.code),
                data: g(&d.data),
                document: g(&d.document),
            },
            components,
        },
    };
    let yaml = serde_yaml_ng::to_string(&file).map_err(|e| MotError::Write {
        message: e.to_string(),
    })?;
    Ok(MotExport { yaml, dropped })
}

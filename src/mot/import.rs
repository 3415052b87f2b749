//! Reading a Model Openness Tool model file (`models/*.yml`, schema `mof_schema.json`) into a
//! `Release`. The fields openseal uses are schema-checked while deserialising, so errors carry
//! the YAML line; fields it does not use are allowed, as the schema allows them.

use std::collections::HashSet;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use super::error::MotError;
use super::table::{MotComponent, by_name};
use crate::release::{ComponentRecord, DefaultLicenses, Release, Status};

/// How openseal stores MOT's `unlicensed` (and `''`): the SPDX "no licence" value.
pub const NO_LICENSE: &str = "NONE";

#[derive(Deserialize)]
struct File {
    framework: Framework,
    release: MotRelease,
}

#[derive(Deserialize)]
struct Framework {
    #[allow(dead_code)] // checked by deserialising, not read
    name: FrameworkName,
    #[allow(dead_code)]
    version: String,
    #[allow(dead_code)]
    date: String,
}

#[derive(Deserialize)]
enum FrameworkName {
    #[serde(rename = "Model Openness Framework")]
    Mof,
}

#[derive(Deserialize)]
struct MotRelease {
    name: NonEmpty,
    #[serde(default)]
    version: Option<String>,
    license: Licenses,
    producer: String,
    components: Components,
}

struct NonEmpty(String);

impl<'de> Deserialize<'de> for NonEmpty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() {
            return Err(de::Error::custom("release name must not be empty"));
        }
        Ok(NonEmpty(s))
    }
}

#[derive(Deserialize, Default)]
struct Licenses {
    #[serde(default)]
    distribution: Option<Global>,
    #[serde(default)]
    code: Option<Global>,
    #[serde(default)]
    data: Option<Global>,
    #[serde(default)]
    document: Option<Global>,
}

#[derive(Deserialize)]
struct Global {
    #[serde(default)]
    name: Option<String>,
}

fn global(g: Option<Global>) -> Option<String> {
    // MOT inherits a global licence only when its name is non-empty.
    g.and_then(|g| g.name).filter(|n| !n.is_empty())
}

#[derive(Deserialize)]
struct Component {
    name: Name,
    /// Absent or null: inherit; `unlicensed` or `''`: no licence.
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    component_path: Option<String>,
}

struct Name(&'static MotComponent);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        // MOT itself maps an unknown name silently to its first component; openseal refuses.
        by_name(&s)
            .map(Name)
            .ok_or_else(|| de::Error::custom(format!("unknown MOF component name `{s}`")))
    }
}

struct Components(Vec<Component>);

impl<'de> Deserialize<'de> for Components {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<Component>::deserialize(d)?;
        if v.len() > 17 {
            return Err(de::Error::custom(format!(
                "{} components listed; the schema allows at most 17",
                v.len()
            )));
        }
        let mut seen = HashSet::new();
        for c in &v {
            if !seen.insert(c.name.0.name) {
                return Err(de::Error::custom(format!(
                    "component `{}` is listed twice",
                    c.name.0.name
                )));
            }
        }
        Ok(Components(v))
    }
}

/// Parses MOT model YAML; `file` is used in error messages only.
pub fn from_mot_yaml(file: &str, text: &str) -> Result<Release, MotError> {
    let f: File = serde_yaml_ng::from_str(text).map_err(|e| MotError::Yaml {
        file: file.into(),
        line: e.location().map_or(0, |l| l.line()),
        message: e.to_string(),
    })?;
    let _ = f.framework;
    let r = f.release;
    let l = r.license;
    Ok(Release {
        name: r.name.0,
        version: r.version.unwrap_or_default(),
        producer: Some(r.producer).filter(|p| !p.is_empty()),
        licenses: DefaultLicenses {
            code: global(l.code),
            data: global(l.data),
            document: global(l.document),
            weights: None,
            distribution: global(l.distribution),
        },
        components: r
            .components
            .0
            .into_iter()
            .map(|c| ComponentRecord {
                id: c.name.0.id.to_string(),
                status: Status::Included,
                license: c.license.map(|l| {
                    if l.is_empty() || l == "unlicensed" {
                        NO_LICENSE.to_string()
                    } else {
                        l
                    }
                }),
                files: Vec::new(),
                url: c.component_path.filter(|p| !p.is_empty()),
                urls: Vec::new(),
                reason: None,
            })
            .collect(),
    })
}

//! The licence database of the Model Openness Tool: the SPDX list it bundles (`licenses.json`),
//! its overrides with content types (`mof-licenses.json`), its open-data list and OpenMDW
//! (`open-data.toml`). Both modes use it, so an id is open in openseal iff it is open in MOT;
//! the default mode only adds the flags of the `spdx` crate for ids newer than MOT's list.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::error::LicenseDataError;
use crate::lines::line_of;
use crate::release::ContentKind;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub osi: bool,
    pub fsf: bool,
    /// The content kinds this licence is appropriate for (MOT "ContentType"); empty for all
    /// but the 31 ids of `mof-licenses.json`.
    pub content: Vec<ContentKind>,
}

#[derive(Deserialize)]
struct JsonList {
    licenses: Vec<JsonLicense>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct JsonLicense {
    #[serde(rename = "licenseId")]
    id: String,
    #[serde(rename = "isOsiApproved", default)]
    osi: Option<bool>,
    #[serde(rename = "isFsfLibre", default)]
    fsf: Option<bool>,
    #[serde(rename = "ContentType", default)]
    content: Option<OneOrMany>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenData {
    open_data: Vec<String>,
    also_open: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdditionList {
    license: Vec<Addition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Addition {
    id: String,
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    source: String,
    open: bool,
    osi: bool,
    content: Vec<String>,
}

/// A licence openseal knows beyond MOT's lists (`additions.toml`), for the default mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub open: bool,
    pub osi: bool,
    pub content: Vec<ContentKind>,
}

#[derive(Debug, Clone)]
pub struct LicenseDb {
    entries: HashMap<String, Entry>,
    open_data: HashSet<String>,
    also_open: HashSet<String>,
    additions: HashMap<String, Added>,
}

fn kind(s: &str) -> Option<ContentKind> {
    match s {
        "code" => Some(ContentKind::Code),
        "data" => Some(ContentKind::Data),
        "document" => Some(ContentKind::Document),
        _ => None,
    }
}

fn json_error(file: &str, e: serde_json::Error) -> LicenseDataError {
    LicenseDataError::Syntax {
        file: file.into(),
        line: e.line(),
        message: e.to_string(),
    }
}

impl LicenseDb {
    /// Loads the lists in MOT's order: later entries replace earlier ones whole, as MOT's
    /// importer upserts (so CC0-1.0's second, "document" entry wins over its "data" one).
    pub(crate) fn parse(
        spdx_list: (&str, &str),
        mof_list: (&str, &str),
        open_data: (&str, &str),
        additions: (&str, &str),
    ) -> Result<LicenseDb, LicenseDataError> {
        let mut entries = HashMap::new();
        for (file, text) in [spdx_list, mof_list] {
            let list: JsonList = serde_json::from_str(text).map_err(|e| json_error(file, e))?;
            for l in list.licenses {
                let content = match l.content {
                    None => Vec::new(),
                    Some(OneOrMany::One(s)) => kind(&s).into_iter().collect(),
                    Some(OneOrMany::Many(v)) => v.iter().filter_map(|s| kind(s)).collect(),
                };
                entries.insert(
                    l.id,
                    Entry {
                        osi: l.osi.unwrap_or(false),
                        fsf: l.fsf.unwrap_or(false),
                        content,
                    },
                );
            }
        }
        let (file, text) = open_data;
        let od: OpenData = toml::from_str(text).map_err(|e| LicenseDataError::Syntax {
            file: file.into(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
            message: e.message().to_string(),
        })?;
        let (file, text) = additions;
        let added: AdditionList = toml::from_str(text).map_err(|e| LicenseDataError::Syntax {
            file: file.into(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
            message: e.message().to_string(),
        })?;
        let additions = added
            .license
            .into_iter()
            .map(|a| {
                let added = Added {
                    open: a.open,
                    osi: a.osi,
                    content: a.content.iter().filter_map(|c| kind(c)).collect(),
                };
                (a.id, added)
            })
            .collect();
        Ok(LicenseDb {
            entries,
            open_data: od.open_data.into_iter().collect(),
            also_open: od.also_open.into_iter().collect(),
            additions,
        })
    }

    /// Every id MOT's lists name (`licenses.json`, `mof-licenses.json`, `open-data.toml`).
    #[cfg(test)]
    pub(crate) fn mot_ids(&self) -> impl Iterator<Item = &str> {
        let mut ids: Vec<&str> = self
            .entries
            .keys()
            .chain(self.open_data.iter())
            .chain(self.also_open.iter())
            .map(String::as_str)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
    }

    /// A licence of `additions.toml` (default mode only).
    pub(crate) fn addition(&self, id: &str) -> Option<&Added> {
        self.additions.get(id)
    }

    /// The ids of `additions.toml`.
    pub(crate) fn addition_ids(&self) -> impl Iterator<Item = &str> {
        self.additions.keys().map(String::as_str)
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.entries.contains_key(id) || self.open_data.contains(id) || self.also_open.contains(id)
    }

    /// MOT's `is_open`: FSF-libre, an open-data licence, OSI-approved or OpenMDW. Exact match.
    pub(crate) fn is_open(&self, id: &str) -> bool {
        let e = self.entries.get(id);
        e.is_some_and(|e| e.fsf || e.osi)
            || self.open_data.contains(id)
            || self.also_open.contains(id)
    }

    pub(crate) fn is_osi(&self, id: &str) -> bool {
        self.entries.get(id).is_some_and(|e| e.osi)
    }

    /// MOT's type-appropriateness: the licence's content types include `kind`.
    pub(crate) fn type_appropriate(&self, id: &str, kind: ContentKind) -> bool {
        self.entries
            .get(id)
            .is_some_and(|e| e.content.contains(&kind))
    }

    /// How many ids of the licence lists are open (MOT's 660 known ids give 225; the
    /// open-data list's `ODC-PDDL-1.0` is open too but is not in the lists).
    #[cfg(test)]
    pub(crate) fn open_count(&self) -> usize {
        self.entries.keys().filter(|id| self.is_open(id)).count()
    }
}

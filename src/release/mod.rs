//! The descriptive record of a release: for each component of the stack (ids from
//! `formats/components.toml`), whether it is included, referenced, withheld or not applicable,
//! under which licence, and which files carry it. Frameworks are evaluated on this record; the
//! manifest and the release descriptor (`openseal.toml`) are stored forms of it.

use serde::{Deserialize, Serialize};

use crate::digest::Sha256Digest;

pub(crate) mod path;
pub mod series;

pub use path::{CollisionKind, PathProblem};

/// The kind of content a component is, as the Model Openness Framework assigns licence types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContentKind {
    /// Source code (training, inference, evaluation code; libraries).
    Code,
    /// Data, including model parameters (weights).
    Data,
    /// Documents (model card, papers, reports).
    Document,
}

impl ContentKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ContentKind::Code => "code",
            ContentKind::Data => "data",
            ContentKind::Document => "document",
        }
    }
}

/// What a release says about one component. A component that is not listed at all is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Shipped in the release (files, with digests and licence).
    Included,
    /// Published elsewhere (a URL, with licence).
    Referenced,
    /// Deliberately not shared; the reason is part of the record.
    Withheld,
    /// Does not exist for this release (e.g. no fine-tuning took place).
    NotApplicable,
}

/// What the release says about one component of the stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentRecord {
    /// A component id from `formats/components.toml` (e.g. `code.training`).
    pub id: String,
    /// Whether it is included, referenced, withheld or not applicable.
    pub status: Status,
    /// An SPDX expression, `LicenseRef-…`, or the free text the producer wrote. `None`: the
    /// release's default licence for the component's content type applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Paths (relative to the release root) of the files that carry it, when included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Where it is published, when referenced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Further places it is published, beside `url`, when there are several (one entry per
    /// dataset a model card names, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    /// Why it is withheld or not applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The release's default licence for each kind of content; a component without its own licence
/// takes the default of its kind (weights fall back to the data default, as MOF treats
/// parameters as data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultLicenses {
    /// Default for code components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Default for data components (and weights, when `weights` is unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Default for document components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Default for weights components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<String>,
    /// A licence for everything that has no more specific one (MOT's "distribution" licence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<String>,
}

/// A release: its identity, default licences and what it says about each component.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// The release's name.
    pub name: String,
    /// The release's version; may be empty.
    #[serde(default)]
    pub version: String,
    /// Who publishes it, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
    /// Licences for components that name none.
    #[serde(default)]
    pub licenses: DefaultLicenses,
    /// One record per component the release speaks about; an unlisted component is unknown.
    #[serde(default)]
    pub components: Vec<ComponentRecord>,
}

impl Release {
    pub(crate) fn component(&self, id: &str) -> Option<&ComponentRecord> {
        self.components.iter().find(|c| c.id == id)
    }
}

/// Where the licence that applies to a component comes from (see [`Release::resolve_license`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum LicenseSource {
    /// The component's own licence.
    Component,
    DefaultCode,
    DefaultData,
    DefaultDocument,
    DefaultWeights,
    /// The release's distribution licence, for everything without a more specific one.
    Distribution,
}

impl Release {
    /// The licence text that applies to component `id` (content kind `content`; `weights`: it
    /// is a weights component): its own licence if it has one, else the release default of its
    /// kind (weights: the weights default, then the data default), else the distribution
    /// licence. Empty defaults count as absent. This is the Model Openness Tool's inheritance
    /// rule, with the weights default added.
    pub(crate) fn resolve_license(
        &self,
        id: &str,
        content: ContentKind,
        weights: bool,
    ) -> Option<(&str, LicenseSource)> {
        fn nonempty(s: &Option<String>) -> Option<&str> {
            s.as_deref().filter(|s| !s.is_empty())
        }
        if let Some(own) = self.component(id).and_then(|c| c.license.as_deref()) {
            return Some((own, LicenseSource::Component));
        }
        let d = &self.licenses;
        let by_kind = match content {
            ContentKind::Code => nonempty(&d.code).map(|s| (s, LicenseSource::DefaultCode)),
            ContentKind::Document => {
                nonempty(&d.document).map(|s| (s, LicenseSource::DefaultDocument))
            }
            ContentKind::Data => nonempty(&d.data).map(|s| (s, LicenseSource::DefaultData)),
        };
        let weights_default = if weights {
            nonempty(&d.weights).map(|s| (s, LicenseSource::DefaultWeights))
        } else {
            None
        };
        weights_default
            .or(by_kind)
            .or_else(|| nonempty(&d.distribution).map(|s| (s, LicenseSource::Distribution)))
    }
}

/// A release file as the signed manifest declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedFile {
    /// Path relative to the release root, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the contents.
    pub sha256: Sha256Digest,
}

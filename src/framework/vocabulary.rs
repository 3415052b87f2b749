//! The component vocabulary (`formats/components.toml`): the ids frameworks may name, and the
//! kind of content (code, data, document) each one is, which decides which default licence it
//! inherits and which licences fit it.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::error::FrameworkError;
use crate::lines::line_of;
use crate::release::ContentKind;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentDef {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) dimension: String,
    pub(crate) content: ContentKind,
    #[serde(default)]
    pub(crate) description: String,
}

impl ComponentDef {
    /// Weights have their own default licence in a release (falling back to the data default).
    pub(crate) fn is_weights(&self) -> bool {
        self.dimension == "weights"
    }
}

#[derive(Debug, Deserialize)]
struct File {
    component: Vec<ComponentDef>,
}

/// The known components, in file order, with lookup by id.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    components: Vec<ComponentDef>,
    index: HashMap<String, usize>,
}

const EMBEDDED: &str = include_str!("../../formats/components.toml");

impl Vocabulary {
    /// The vocabulary compiled into the binary; it is tested, so parsing it cannot fail at run
    /// time, but an error is still returned rather than panicking.
    pub fn embedded() -> Result<&'static Vocabulary, FrameworkError> {
        static V: OnceLock<Result<Vocabulary, FrameworkError>> = OnceLock::new();
        V.get_or_init(|| Vocabulary::parse("formats/components.toml", EMBEDDED))
            .as_ref()
            .map_err(Clone::clone)
    }

    pub(crate) fn parse(file: &str, text: &str) -> Result<Vocabulary, FrameworkError> {
        let parsed: File = toml::from_str(text).map_err(|e| FrameworkError::Syntax {
            file: file.to_string(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
            message: e.message().to_string(),
        })?;
        let mut index = HashMap::new();
        for (i, c) in parsed.component.iter().enumerate() {
            if index.insert(c.id.clone(), i).is_some() {
                return Err(FrameworkError::DuplicateId {
                    file: file.to_string(),
                    line: 0,
                    id: c.id.clone(),
                });
            }
        }
        Ok(Vocabulary {
            components: parsed.component,
            index,
        })
    }

    pub(crate) fn get(&self, id: &str) -> Option<&ComponentDef> {
        self.index.get(id).map(|&i| &self.components[i])
    }

    #[cfg(test)]
    pub(crate) fn components(&self) -> &[ComponentDef] {
        &self.components
    }
}

/// A component of the embedded vocabulary, by id.
pub fn component(id: &str) -> Option<&'static ComponentDef> {
    Vocabulary::embedded().ok()?.get(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_vocabulary_has_47_components() {
        let v = Vocabulary::embedded().unwrap();
        assert_eq!(v.components().len(), 47);
        assert_eq!(v.get("weights.final").unwrap().content, ContentKind::Data);
        assert!(v.get("weights.final").unwrap().is_weights());
        assert_eq!(v.get("code.training").unwrap().content, ContentKind::Code);
        assert!(v.get("no.such").is_none());
    }
}

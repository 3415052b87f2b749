//! The component vocabulary (`formats/components.toml`), embedded in the binary.

use serde::Deserialize;
use std::sync::OnceLock;

/// The kind of licence that fits a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Content {
    Code,
    Data,
    Document,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub dimension: String,
    pub content: Content,
    pub description: String,
}

#[derive(Deserialize)]
struct File {
    component: Vec<Component>,
}

const EMBEDDED: &str = include_str!("../formats/components.toml");

/// Every component, in the vocabulary's order.
pub fn all() -> &'static [Component] {
    static ALL: OnceLock<Vec<Component>> = OnceLock::new();
    ALL.get_or_init(|| {
        // The embedded file is part of the build and checked by a test; failing here is a bug.
        toml::from_str::<File>(EMBEDDED)
            .map(|f| f.component)
            .unwrap_or_default()
    })
}

pub fn get(id: &str) -> Option<&'static Component> {
    all().iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_loads_with_unique_ids() {
        let all = all();
        assert_eq!(all.len(), 47);
        let ids: std::collections::HashSet<&str> = all.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), all.len());
        assert!(all.iter().all(|c| {
            c.id.starts_with(&format!("{}.", c.id.split('.').next().unwrap()))
        }));
        assert_eq!(get("weights.final").unwrap().content, Content::Data);
    }
}

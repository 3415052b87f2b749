//! The model card's YAML front matter (`README.md` between `---` lines): licence, base model,
//! datasets, as the Hugging Face Hub reads them.

use serde::Serialize;
use serde_yaml_ng::Value;

/// What a model card's front matter says; a field the card leaves out is empty or `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelCard {
    pub(crate) license: Option<String>,
    pub(crate) license_name: Option<String>,
    pub(crate) license_link: Option<String>,
    /// `base_model`: the model(s) this one was derived from (Hub ids).
    pub base_model: Vec<String>,
    /// `datasets`: the datasets it was trained on (Hub ids or names).
    pub datasets: Vec<String>,
    /// `pipeline_tag`: the task (`text-generation`, ...).
    pub pipeline_tag: Option<String>,
    /// `library_name`: the library that loads it (`transformers`, `peft`, ...).
    pub library_name: Option<String>,
    pub(crate) language: Vec<String>,
    pub(crate) tags: Vec<String>,
    /// The card carries evaluation results (`model-index`).
    pub(crate) has_model_index: bool,
}

/// The front matter text, if the file starts with one.
pub(crate) fn front_matter(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("---")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let end = rest.match_indices("\n---").map(|(i, _)| i).find(|&i| {
        let after = &rest[i + 4..];
        after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n")
    })?;
    Some(&rest[..end])
}

/// Parse a card. `Ok(None)`: no front matter; `Err`: front matter that is not valid YAML.
pub fn parse(text: &str) -> Result<Option<ModelCard>, String> {
    let Some(yaml) = front_matter(text) else {
        return Ok(None);
    };
    let value: Value = serde_yaml_ng::from_str(yaml).map_err(|e| e.to_string())?;
    if !value.is_mapping() {
        return Ok(Some(ModelCard::default()));
    }
    let s = |k: &str| value.get(k).and_then(scalar_string);
    Ok(Some(ModelCard {
        license: s("license"),
        license_name: s("license_name"),
        license_link: s("license_link"),
        base_model: list(value.get("base_model")),
        datasets: list(value.get("datasets")),
        pipeline_tag: s("pipeline_tag"),
        library_name: s("library_name"),
        language: list(value.get("language")),
        tags: list(value.get("tags")),
        has_model_index: value.get("model-index").is_some(),
    }))
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A field that may be one string or a list of them.
fn list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar_string).collect(),
        Some(other) => scalar_string(other).into_iter().collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hub_fields() {
        let card = "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\ndatasets:\n- a/b\n- c/d\ntags: [x]\n---\n# Model\n";
        let c = parse(card).unwrap().unwrap();
        assert_eq!(c.license.as_deref(), Some("apache-2.0"));
        assert_eq!(c.base_model, vec!["meta-llama/Llama-3.1-8B"]);
        assert_eq!(c.datasets, vec!["a/b", "c/d"]);
        assert_eq!(c.tags, vec!["x"]);
    }

    #[test]
    fn no_front_matter_and_bad_yaml() {
        assert_eq!(parse("# just a readme\n---\n").unwrap(), None);
        assert!(parse("---\nlicense: [unclosed\n---\n").is_err());
        assert_eq!(front_matter("---\r\na: 1\r\n---\r\nbody"), Some("a: 1\r"));
    }
}

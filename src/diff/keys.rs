//! Differences between two sets of keyed values (config.json, file metadata).

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// How two sets of keyed values differ.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KeyDiff {
    /// Keys only in `b`, with their values.
    pub added: BTreeMap<String, Value>,
    /// Keys only in `a`, with their values.
    pub removed: BTreeMap<String, Value>,
    /// Keys in both whose values differ, in key order.
    pub changed: Vec<KeyChange>,
}

/// A key whose value differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyChange {
    /// The key (dotted, for nested config.json values).
    pub key: String,
    /// Its value in `a`.
    pub a: Value,
    /// Its value in `b`.
    pub b: Value,
}

impl KeyDiff {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Keys only in `b` are added, only in `a` removed.
pub fn compare(a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) -> KeyDiff {
    let mut d = KeyDiff::default();
    for (k, va) in a {
        match b.get(k) {
            None => {
                d.removed.insert(k.clone(), va.clone());
            }
            Some(vb) if vb != va => d.changed.push(KeyChange {
                key: k.clone(),
                a: va.clone(),
                b: vb.clone(),
            }),
            Some(_) => {}
        }
    }
    for (k, vb) in b {
        if !a.contains_key(k) {
            d.added.insert(k.clone(), vb.clone());
        }
    }
    d
}

/// Nested objects flattened to dotted keys (`text_config.hidden_size`); arrays stay values.
pub fn flatten(v: &Value) -> BTreeMap<String, Value> {
    fn walk(prefix: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, v) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            _ => {
                out.insert(prefix.to_string(), v.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", v, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn added_removed_changed() {
        let a = flatten(&json!({"x": 1, "n": {"h": 2, "k": [1]}, "gone": true}));
        let b = flatten(&json!({"x": 1, "n": {"h": 3, "k": [1]}, "new": "v"}));
        let d = compare(&a, &b);
        assert_eq!(d.added.keys().collect::<Vec<_>>(), ["new"]);
        assert_eq!(d.removed.keys().collect::<Vec<_>>(), ["gone"]);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].key, "n.h");
    }
}

//! A JSON Schema checker for the keywords openseal's schemas use (type, const, enum, required,
//! properties, additionalProperties, items, $ref), shared by the tests that check real
//! outputs against `formats/*.schema.json`.

use serde_json::Value;

pub fn check(schema: &Value, root: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = r
            .trim_start_matches("#/")
            .split('/')
            .fold(root, |s, k| &s[k]);
        return check(target, root, v, at);
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        return Err(format!("{at}: expected {c}, got {v}"));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{at}: {v} not in {e:?}"));
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = types
            .iter()
            .any(|t| *t == actual || (*t == "number" && actual == "integer"));
        if !ok {
            return Err(format!("{at}: expected {types:?}, got {actual}"));
        }
    }
    if let Value::Object(obj) = v {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = key.as_str().unwrap();
            if !obj.contains_key(key) {
                return Err(format!("{at}: missing required \"{key}\""));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            if let Some(s) = props.and_then(|p| p.get(k)) {
                check(s, root, val, &format!("{at}.{k}"))?;
            } else if let Some(s) = schema.get("additionalProperties") {
                if s == &Value::Bool(false) {
                    return Err(format!("{at}: unexpected property \"{k}\""));
                }
                check(s, root, val, &format!("{at}.{k}"))?;
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (v, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(s, root, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

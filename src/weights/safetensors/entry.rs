//! One tensor entry of a safetensors header, checked on its own.

use serde_json::Value;

/// A tensor entry after its fields are checked, before offsets are compared with each other.
#[derive(Debug, Clone)]
pub struct RawTensor {
    pub(crate) name: String,
    pub(crate) dtype: String,
    pub(crate) shape: Vec<u64>,
    pub(crate) begin: u64,
    pub(crate) end: u64,
}

/// Why an entry of the header is malformed (the caller adds the tensor name).
pub fn parse_entry(name: &str, v: &Value) -> Result<RawTensor, String> {
    let obj = v
        .as_object()
        .ok_or_else(|| format!("entry is {}, not an object", kind(v)))?;
    let dtype = match obj.get("dtype") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => return Err(format!("\"dtype\" is {}, not a string", kind(other))),
        None => return Err("no \"dtype\" field".into()),
    };
    let shape = match obj.get("shape") {
        Some(Value::Array(dims)) => dims
            .iter()
            .map(|d| {
                d.as_u64()
                    .ok_or_else(|| format!("shape dimension {d} is not a non-negative integer"))
            })
            .collect::<Result<Vec<u64>, String>>()?,
        Some(other) => return Err(format!("\"shape\" is {}, not an array", kind(other))),
        None => return Err("no \"shape\" field".into()),
    };
    if shape.len() > crate::limits::MAX_DIMS {
        return Err(format!(
            "{} dimensions (at most {} accepted)",
            shape.len(),
            crate::limits::MAX_DIMS
        ));
    }
    let (begin, end) = match obj.get("data_offsets") {
        Some(Value::Array(o)) if o.len() == 2 => match (o[0].as_u64(), o[1].as_u64()) {
            (Some(b), Some(e)) => (b, e),
            _ => return Err("\"data_offsets\" must be two non-negative integers".into()),
        },
        Some(_) => return Err("\"data_offsets\" must be [BEGIN, END]".into()),
        None => return Err("no \"data_offsets\" field".into()),
    };
    if end < begin {
        return Err(format!(
            "data_offsets [{begin}, {end}] end before they begin"
        ));
    }
    Ok(RawTensor {
        name: name.to_string(),
        dtype,
        shape,
        begin,
        end,
    })
}

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

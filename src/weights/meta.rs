//! Metadata values read from weights files: safetensors `__metadata__` (strings) and GGUF
//! key/value pairs (typed, possibly nested arrays).

use serde::Serialize;
use serde::ser::SerializeMap;

/// One metadata value. GGUF's integer and float widths are widened to 64 bits.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaValue {
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A floating-point number.
    Float(f64),
    /// A string (invalid UTF-8 replaced by U+FFFD).
    Str(String),
    /// An array. `items` holds every element, or only the first few when the reader was asked
    /// to summarise (`len` is always the true length).
    Array {
        /// The element type's GGUF name (`STRING`, `I32`, `ARRAY`, ...).
        elem_type: String,
        /// Number of elements in the file.
        len: u64,
        /// The elements kept: all of them, or the first
        /// [`GGUF_ARRAY_PREVIEW`](crate::limits::GGUF_ARRAY_PREVIEW).
        items: Vec<MetaValue>,
    },
}

impl MetaValue {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            MetaValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Any integer value that fits in u64 (GGUF files write counts with various integer types).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            MetaValue::UInt(v) => Some(*v),
            MetaValue::Int(v) => u64::try_from(*v).ok(),
            MetaValue::Bool(b) => Some(u64::from(*b)),
            _ => None,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            MetaValue::Float(v) => Some(*v),
            MetaValue::UInt(v) => Some(*v as f64),
            MetaValue::Int(v) => Some(*v as f64),
            _ => None,
        }
    }

    /// Whether an array value holds fewer items than its length (summarised).
    pub(crate) fn is_summarised(&self) -> bool {
        matches!(self, MetaValue::Array { len, items, .. } if (items.len() as u64) < *len)
    }

    /// A one-line rendering for people; arrays longer than `max_items` are shortened.
    pub fn display(&self, max_items: usize) -> String {
        match self {
            MetaValue::Bool(b) => b.to_string(),
            MetaValue::Int(v) => v.to_string(),
            MetaValue::UInt(v) => v.to_string(),
            MetaValue::Float(v) => shortest_float(*v),
            MetaValue::Str(s) => quote_short(s, 200),
            MetaValue::Array {
                elem_type,
                len,
                items,
            } => {
                let shown: Vec<String> = items
                    .iter()
                    .take(max_items)
                    .map(|v| v.display(max_items))
                    .collect();
                if (shown.len() as u64) < *len {
                    format!("[{}, …] ({len} × {elem_type})", shown.join(", "))
                } else {
                    format!("[{}]", shown.join(", "))
                }
            }
        }
    }
}

/// GGUF stores most floats as F32; printing the widened f64 would show noise digits
/// (1e-5 as 0.000009999999747378752), so values that are exact f32s print as f32.
fn shortest_float(v: f64) -> String {
    let narrow = v as f32;
    if f64::from(narrow) == v {
        narrow.to_string()
    } else {
        v.to_string()
    }
}

fn quote_short(s: &str, max_chars: usize) -> String {
    let mut out: String = s.chars().take(max_chars).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    format!("{out:?}")
}

impl Serialize for MetaValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MetaValue::Bool(b) => s.serialize_bool(*b),
            MetaValue::Int(v) => s.serialize_i64(*v),
            MetaValue::UInt(v) => s.serialize_u64(*v),
            MetaValue::Float(v) if v.is_finite() && f64::from(*v as f32) == *v => {
                s.serialize_f32(*v as f32)
            }
            MetaValue::Float(v) if v.is_finite() => s.serialize_f64(*v),
            // JSON has no NaN/inf: keep the value readable rather than turning it into null.
            MetaValue::Float(v) => s.serialize_str(&v.to_string()),
            MetaValue::Str(v) => s.serialize_str(v),
            MetaValue::Array { items, .. } if !self.is_summarised() => items.serialize(s),
            MetaValue::Array {
                elem_type,
                len,
                items,
            } => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("array_of", elem_type)?;
                m.serialize_entry("len", len)?;
                m.serialize_entry("first", items)?;
                m.end()
            }
        }
    }
}

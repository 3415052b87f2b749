//! GGUF key/value pairs: the 13 value types, including arrays nested inside arrays.

use super::{DEFAULT_ALIGNMENT, GgufError, check_count};
use crate::limits::{GGUF_ARRAY_PREVIEW, GGUF_MAX_ARRAY, GGUF_MAX_ARRAY_DEPTH, GGUF_MAX_STRING};
use crate::weights::MetaValue;
use crate::weights::cursor::{Cursor, OutOfBounds};
use std::collections::HashSet;

/// The GGUF value types (`gguf_type` in gguf.h), by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueType {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    F32,
    Bool,
    String,
    Array,
    U64,
    I64,
    F64,
}

impl ValueType {
    const ALL: [ValueType; 13] = [
        ValueType::U8,
        ValueType::I8,
        ValueType::U16,
        ValueType::I16,
        ValueType::U32,
        ValueType::I32,
        ValueType::F32,
        ValueType::Bool,
        ValueType::String,
        ValueType::Array,
        ValueType::U64,
        ValueType::I64,
        ValueType::F64,
    ];

    pub(crate) fn from_id(id: u32) -> Option<ValueType> {
        usize::try_from(id)
            .ok()
            .and_then(|i| ValueType::ALL.get(i).copied())
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            ValueType::U8 => "U8",
            ValueType::I8 => "I8",
            ValueType::U16 => "U16",
            ValueType::I16 => "I16",
            ValueType::U32 => "U32",
            ValueType::I32 => "I32",
            ValueType::F32 => "F32",
            ValueType::Bool => "BOOL",
            ValueType::String => "STRING",
            ValueType::Array => "ARRAY",
            ValueType::U64 => "U64",
            ValueType::I64 => "I64",
            ValueType::F64 => "F64",
        }
    }

    /// Bytes of a fixed-size value, or the smallest a variable-size one can take (a string's
    /// length; an array's element type and count): the guard before allocating for a count.
    fn min_size(self) -> u64 {
        match self {
            ValueType::U8 | ValueType::I8 | ValueType::Bool => 1,
            ValueType::U16 | ValueType::I16 => 2,
            ValueType::U32 | ValueType::I32 | ValueType::F32 => 4,
            ValueType::U64 | ValueType::I64 | ValueType::F64 | ValueType::String => 8,
            ValueType::Array => 12,
        }
    }

    /// The size of every value of this type, when all have the same size.
    fn fixed_size(self) -> Option<u64> {
        match self {
            ValueType::String | ValueType::Array => None,
            t => Some(t.min_size()),
        }
    }
}

/// Read a GGUF string's bytes: its length is checked against the bytes that remain and against
/// GGUF_MAX_STRING before anything is taken. `what` names the string for errors and is only
/// called on error, so reading 150k token strings allocates nothing here.
pub(crate) fn read_string_bytes<'a>(
    cur: &mut Cursor<'a>,
    what: &dyn Fn() -> String,
) -> Result<&'a [u8], GgufError> {
    let at = cur.offset();
    let len = cur
        .u64()
        .map_err(|e| GgufError::truncated(e, format!("{} length", what())))?;
    if len > cur.remaining() {
        return Err(GgufError::StringPastEnd {
            offset: at,
            what: what(),
            len,
            remaining: cur.remaining(),
        });
    }
    if len > GGUF_MAX_STRING {
        return Err(GgufError::StringOverCap {
            offset: at,
            what: what(),
            len,
            cap: GGUF_MAX_STRING,
        });
    }
    cur.take(len).map_err(|e| GgufError::truncated(e, what()))
}

/// `general.alignment` as found among the key/values.
struct AlignmentKey {
    offset: u64,
    vtype: ValueType,
    value: MetaValue,
}

/// Reads the key/value section, keeping what later sections need (`general.alignment`).
pub(crate) struct KvReader<'a> {
    cur: Cursor<'a>,
    full_arrays: bool,
    warnings: Vec<String>,
    alignment: Option<AlignmentKey>,
    /// String values of the current key that were not valid UTF-8 (read lossily).
    lossy_strings: u64,
}

impl<'a> KvReader<'a> {
    pub(crate) fn new(cur: Cursor<'a>, full_arrays: bool) -> KvReader<'a> {
        KvReader {
            cur,
            full_arrays,
            warnings: Vec::new(),
            alignment: None,
            lossy_strings: 0,
        }
    }

    /// The cursor, now after the key/values, and the warnings gathered.
    pub(crate) fn finish(self) -> (Cursor<'a>, Vec<String>) {
        (self.cur, self.warnings)
    }

    /// Read `count` key/values (already checked against caps and remaining bytes), in file order.
    pub(crate) fn read_all(&mut self, count: u64) -> Result<Vec<(String, MetaValue)>, GgufError> {
        let capacity = usize::try_from(count).unwrap_or(0);
        let mut out = Vec::with_capacity(capacity);
        let mut seen: HashSet<&'a str> = HashSet::with_capacity(capacity);
        for index in 0..count {
            let key_at = self.cur.offset();
            let key = self.read_key(index)?;
            if !seen.insert(key) {
                return Err(GgufError::DuplicateKey {
                    offset: key_at,
                    key: key.to_string(),
                });
            }
            let value = self.read_kv_value(key)?;
            out.push((key.to_string(), value));
        }
        Ok(out)
    }

    /// Keys must be UTF-8: they are compared and reported as text, and a lossy key could
    /// collide with another.
    fn read_key(&mut self, index: u64) -> Result<&'a str, GgufError> {
        let at = self.cur.offset();
        let what = || format!("key #{index}");
        let bytes = read_string_bytes(&mut self.cur, &what)?;
        std::str::from_utf8(bytes).map_err(|_| GgufError::InvalidUtf8 {
            offset: at,
            what: what(),
        })
    }

    fn read_kv_value(&mut self, key: &str) -> Result<MetaValue, GgufError> {
        let type_at = self.cur.offset();
        let vtype = self.read_type(key, "value type")?;
        self.lossy_strings = 0;
        let value = self.read_value(key, vtype, 0)?;
        if self.lossy_strings > 0 {
            self.warnings.push(format!(
                "key '{key}': {} string value(s) are not valid UTF-8; invalid bytes are shown as U+FFFD",
                self.lossy_strings
            ));
        }
        if key == "general.alignment" {
            self.alignment = Some(AlignmentKey {
                offset: type_at,
                vtype,
                value: value.clone(),
            });
        }
        Ok(value)
    }

    fn read_type(&mut self, key: &str, field: &str) -> Result<ValueType, GgufError> {
        let at = self.cur.offset();
        let id = self
            .cur
            .u32()
            .map_err(|e| GgufError::truncated(e, format!("key '{key}' {field}")))?;
        ValueType::from_id(id).ok_or_else(|| GgufError::UnknownValueType {
            offset: at,
            key: key.to_string(),
            type_id: id,
        })
    }

    /// One value; `depth` is how many arrays enclose it.
    fn read_value(
        &mut self,
        key: &str,
        vtype: ValueType,
        depth: usize,
    ) -> Result<MetaValue, GgufError> {
        // The error is built only on failure, so hot loops allocate nothing.
        macro_rules! rd {
            ($read:ident) => {
                match self.cur.$read() {
                    Ok(v) => v,
                    Err(e) => return Err(truncated_value(e, key, vtype)),
                }
            };
        }
        Ok(match vtype {
            ValueType::U8 => MetaValue::UInt(u64::from(rd!(u8))),
            ValueType::I8 => MetaValue::Int(i64::from(rd!(i8))),
            ValueType::U16 => MetaValue::UInt(u64::from(rd!(u16))),
            ValueType::I16 => MetaValue::Int(i64::from(rd!(i16))),
            ValueType::U32 => MetaValue::UInt(u64::from(rd!(u32))),
            ValueType::I32 => MetaValue::Int(i64::from(rd!(i32))),
            ValueType::F32 => MetaValue::Float(f64::from(rd!(f32))),
            ValueType::U64 => MetaValue::UInt(rd!(u64)),
            ValueType::I64 => MetaValue::Int(rd!(i64)),
            ValueType::F64 => MetaValue::Float(rd!(f64)),
            ValueType::Bool => {
                let at = self.cur.offset();
                MetaValue::Bool(check_bool(key, at, rd!(u8))?)
            }
            ValueType::String => MetaValue::Str(self.read_string_value(key)?),
            ValueType::Array => self.read_array(key, depth + 1)?,
        })
    }

    /// String values are read lossily, with a warning: llama.cpp does not check their encoding,
    /// and real vocabularies may hold raw-byte tokens, so invalid UTF-8 should not make a whole
    /// file unreadable. (Keys and tensor names, by contrast, must be UTF-8.)
    fn read_string_value(&mut self, key: &str) -> Result<String, GgufError> {
        let bytes = read_string_bytes(&mut self.cur, &|| format!("key '{key}' string value"))?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => {
                self.lossy_strings += 1;
                Ok(String::from_utf8_lossy(bytes).into_owned())
            }
        }
    }

    /// An array at nesting level `depth` (1 for a key's own array). Its count is checked against
    /// the cap and the remaining bytes before allocating. Unless full arrays were asked for, only
    /// a preview of the elements is kept, but every element is still walked and validated.
    fn read_array(&mut self, key: &str, depth: usize) -> Result<MetaValue, GgufError> {
        let (elem, count) = self.read_array_header(key, depth)?;
        let keep = if self.full_arrays {
            count
        } else {
            count.min(GGUF_ARRAY_PREVIEW as u64)
        };
        // `keep` items fit in the file (checked above), so they fit in usize too.
        let mut items = Vec::with_capacity(usize::try_from(keep).unwrap_or(0));
        for _ in 0..keep {
            items.push(self.read_value(key, elem, depth)?);
        }
        self.skip_values(key, elem, count - keep, depth)?;
        Ok(MetaValue::Array {
            elem_type: elem.name().to_string(),
            len: count,
            items,
        })
    }

    /// Walk `n` values of type `elem` without keeping them: fixed-size values are skipped in one
    /// step (BOOLs are still checked to be 0 or 1); strings are skipped by their length, *without*
    /// a UTF-8 check, so walking a 150k-token vocabulary allocates nothing and stays fast; nested
    /// arrays are walked recursively (their depth is capped).
    fn skip_values(
        &mut self,
        key: &str,
        elem: ValueType,
        n: u64,
        depth: usize,
    ) -> Result<(), GgufError> {
        if n == 0 {
            return Ok(());
        }
        if let Some(size) = elem.fixed_size() {
            let at = self.cur.offset();
            let total = n.saturating_mul(size);
            let bytes = self
                .cur
                .take(total)
                .map_err(|e| truncated_value(e, key, elem))?;
            if elem == ValueType::Bool
                && let Some((i, &b)) = bytes.iter().enumerate().find(|(_, b)| **b > 1)
            {
                check_bool(key, at + i as u64, b)?;
            }
            return Ok(());
        }
        for _ in 0..n {
            match elem {
                ValueType::String => {
                    read_string_bytes(&mut self.cur, &|| format!("key '{key}' string value"))?;
                }
                _ => {
                    self.skip_array(key, depth + 1)?;
                }
            }
        }
        Ok(())
    }

    /// Walk a nested array that is not kept.
    fn skip_array(&mut self, key: &str, depth: usize) -> Result<(), GgufError> {
        let (elem, count) = self.read_array_header(key, depth)?;
        self.skip_values(key, elem, count, depth)
    }

    /// An array's element type and count, at nesting level `depth`: the depth is capped and the
    /// count checked against the cap and the remaining bytes before anything is allocated.
    fn read_array_header(
        &mut self,
        key: &str,
        depth: usize,
    ) -> Result<(ValueType, u64), GgufError> {
        if depth > GGUF_MAX_ARRAY_DEPTH {
            return Err(GgufError::ArrayTooDeep {
                offset: self.cur.offset(),
                key: key.to_string(),
                max: GGUF_MAX_ARRAY_DEPTH,
            });
        }
        let elem = self.read_type(key, "array element type")?;
        let count_at = self.cur.offset();
        let count = self
            .cur
            .u64()
            .map_err(|e| GgufError::truncated(e, format!("key '{key}' array count")))?;
        // The message is built only on failure: nested arrays are walked by the thousand.
        if count > GGUF_MAX_ARRAY || self.cur.ensure_items(count, elem.min_size()).is_err() {
            let what = format!("key '{key}': {} array length", elem.name());
            check_count(
                &self.cur,
                count_at,
                &what,
                count,
                GGUF_MAX_ARRAY,
                elem.min_size(),
            )?;
        }
        Ok((elem, count))
    }

    /// The data alignment: `general.alignment`, which llama.cpp requires to be a U32 power of two;
    /// 32 when absent.
    pub(crate) fn alignment(&self) -> Result<u64, GgufError> {
        let Some(a) = &self.alignment else {
            return Ok(DEFAULT_ALIGNMENT);
        };
        if a.vtype != ValueType::U32 {
            return Err(GgufError::AlignmentType {
                offset: a.offset,
                found: a.vtype.name(),
            });
        }
        let value = a.value.as_u64().unwrap_or(0);
        if !value.is_power_of_two() {
            return Err(GgufError::BadAlignment {
                offset: a.offset,
                value,
            });
        }
        Ok(value)
    }
}

/// A BOOL is one byte, 0 or 1 (llama.cpp and candle reject other bytes).
fn check_bool(key: &str, at: u64, byte: u8) -> Result<bool, GgufError> {
    match byte {
        0 => Ok(false),
        1 => Ok(true),
        value => Err(GgufError::BadBool {
            offset: at,
            key: key.to_string(),
            value,
        }),
    }
}

fn truncated_value(e: OutOfBounds, key: &str, vtype: ValueType) -> GgufError {
    GgufError::truncated(e, format!("key '{key}' {} value", vtype.name()))
}

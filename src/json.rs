//! JSON helpers for untrusted side files: an object that keeps key order and duplicates, and a
//! size-capped reader.

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::path::Path;
use thiserror::Error;

/// A JSON object as written: `(key, value)` pairs in file order, duplicate keys kept (serde_json's
/// own maps keep the last of two equal keys without a word).
#[derive(Debug, Clone, Default)]
pub struct OrderedObject(pub Vec<(String, Value)>);

impl OrderedObject {
    /// The first key that appears twice.
    pub fn first_duplicate(&self) -> Option<&str> {
        let mut seen = std::collections::HashSet::with_capacity(self.0.len());
        self.0
            .iter()
            .map(|(k, _)| k.as_str())
            .find(|k| !seen.insert(*k))
    }
}

impl<'de> Deserialize<'de> for OrderedObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = OrderedObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedObject, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    out.push((k, v));
                }
                Ok(OrderedObject(out))
            }
        }
        d.deserialize_map(Entries)
    }
}

#[derive(Debug, Error)]
pub enum JsonFileError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("{size} bytes is more than the {max}-byte limit for this kind of file")]
    TooLarge { size: u64, max: u64 },
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
}

impl From<serde_json::Error> for JsonFileError {
    fn from(e: serde_json::Error) -> Self {
        JsonFileError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or("")
                .to_string(),
        }
    }
}

/// Read a side file (config.json, an index) whole, refusing files over `MAX_SIDE_FILE`.
pub fn read_capped(path: &Path) -> Result<Vec<u8>, JsonFileError> {
    let size = std::fs::metadata(path)?.len();
    let max = crate::limits::MAX_SIDE_FILE;
    if size > max {
        return Err(JsonFileError::TooLarge { size, max });
    }
    // The size from metadata is not a bound (a device reports 0): read no further than the cap.
    read_side_file(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => JsonFileError::TooLarge { size: max + 1, max },
        _ => JsonFileError::Io(e),
    })
}

/// Read a small untrusted file (a descriptor, card, licence text, framework or MOT file) whole,
/// reading at most `MAX_SIDE_FILE` bytes whatever the file system says its size is (a device or
/// a growing file reports a size that is no bound).
pub fn read_side_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let max = crate::limits::MAX_SIDE_FILE;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(crate::regular_file::open(path)?, max + 1),
        &mut bytes,
    )?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than the {max}-byte limit for this kind of file"),
        ));
    }
    Ok(bytes)
}

pub fn parse<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, JsonFileError> {
    Ok(serde_json::from_slice(bytes)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_device_is_refused_unread() {
        // /dev/zero reports size 0 and never ends: a config.json symlinked to it in a model
        // folder must be refused, not read at all.
        let err = super::read_capped(std::path::Path::new("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
}

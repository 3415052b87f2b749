//! JSON helpers for untrusted side files: an object that keeps key order and duplicates, and a
//! size-capped reader.

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::path::Path;
use thiserror::Error;

use crate::limits::MAX_SIDE_FILE;
use crate::regular_file::{self, CappedReadError};

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

/// Why a JSON side file could not be read.
#[derive(Debug, Error)]
pub enum JsonFileError {
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The file is larger than the cap for its kind.
    #[error("{size} bytes is more than the {max}-byte limit for this kind of file")]
    TooLarge {
        /// The file's size, in bytes.
        size: u64,
        /// The cap, in bytes.
        max: u64,
    },
    /// Not valid JSON, or not the shape expected.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's message, without its position.
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
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, JsonFileError> {
    regular_file::read_capped(path, MAX_SIDE_FILE).map_err(|e| match e {
        CappedReadError::Io(e) => JsonFileError::Io(e),
        CappedReadError::TooLarge { size, max } => JsonFileError::TooLarge { size, max },
    })
}

/// Read a small untrusted file (a descriptor, card, licence text, framework or MOT file) whole,
/// reading at most `MAX_SIDE_FILE` bytes; a larger file is an `InvalidData` error.
pub(crate) fn read_side_file(path: &Path) -> std::io::Result<Vec<u8>> {
    regular_file::read_capped(path, MAX_SIDE_FILE).map_err(|e| match e {
        CappedReadError::Io(e) => e,
        too_large => std::io::Error::new(std::io::ErrorKind::InvalidData, too_large.to_string()),
    })
}

/// Parse JSON bytes into `T`; errors carry the line and column.
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

//! The pre-1.6 `torch.save` format: five pickles back to back (magic number, protocol version,
//! sys_info, the object, the list of storage keys), then each storage's bytes prefixed by its
//! element count as a little-endian i64.

use super::dtypes::element_size;
use super::error::PytorchError;
use super::locate::{StorageSpan, describe};
use super::tensors::{find_tensors, parse_persid};
use crate::limits::MAX_TENSORS;
use crate::weights::cursor::Cursor;
use crate::weights::meta::MetaValue;
use crate::weights::pickle::{self, Node, PickleScan, Value};
use crate::weights::safety::{SafetyReport, Verdict};
use crate::weights::{Format, Parsed, ReadOptions};
use std::collections::HashMap;

/// `LONG1` of the magic number 0x1950a86a20f9469cfc6c, as the first pickle writes it.
const MAGIC_LONG1: [u8; 12] = [
    0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19,
];
const PROTOCOL_VERSION: i64 = 1001;

/// Whether `bytes` start with the legacy magic-number pickle.
pub fn is_legacy(bytes: &[u8]) -> bool {
    let head = bytes.get(..32).unwrap_or(bytes);
    head.windows(MAGIC_LONG1.len()).any(|w| w == MAGIC_LONG1)
}

fn require(scan: &PickleScan, what: &str) -> Result<Value, PytorchError> {
    match (&scan.error, scan.value) {
        (None, Some(v)) => Ok(v),
        (Some(e), _) => Err(PytorchError::Pickle {
            location: what.to_string(),
            source: e.clone(),
        }),
        (None, None) => Err(PytorchError::NotLegacy(format!("{what} is empty"))),
    }
}

/// Storage element types by key, from every persistent id in the object pickle.
fn storage_types(scan: &PickleScan) -> HashMap<String, Option<u64>> {
    let mut map = HashMap::new();
    for i in 0..scan.heap.node_count() {
        let id = pickle::NodeId(i as u32);
        if let Some(Node::PersId(pid)) = scan.heap.node(id)
            && let Some(s) = parse_persid(&scan.heap, *pid)
        {
            map.entry(s.key)
                .or_insert_with(|| s.dtype.as_ref().and_then(element_size));
        }
    }
    map
}

/// Read a legacy (pre-1.6) `torch.save` file.
pub fn parse_legacy(bytes: &[u8], _opts: ReadOptions) -> Result<Parsed, PytorchError> {
    if !is_legacy(bytes) {
        return Err(PytorchError::NotLegacy(
            "no magic number pickle at the start".to_string(),
        ));
    }
    let mut safety = SafetyReport {
        verdict: Verdict::Safe,
        globals: Vec::new(),
        findings: Vec::new(),
    };
    let mut pos = 0usize;
    let mut next = |what: &str, safety: &mut SafetyReport| {
        let scan = pickle::scan_at(bytes, pos, what);
        pickle::merge_into(safety, &scan);
        pos = usize::try_from(scan.end).unwrap_or(usize::MAX);
        scan
    };
    let magic = next("magic number", &mut safety);
    require(&magic, "magic number pickle")?;
    let proto = next("protocol version", &mut safety);
    if require(&proto, "protocol version pickle")? != Value::Int(PROTOCOL_VERSION) {
        return Err(PytorchError::NotLegacy(format!(
            "protocol version is not {PROTOCOL_VERSION}"
        )));
    }
    let sys_info = next("sys_info", &mut safety);
    require(&sys_info, "sys_info pickle")?;
    let object = next("object", &mut safety);
    let root = require(&object, "object pickle")?;
    let keys_scan = next("storage keys", &mut safety);
    let keys_value = require(&keys_scan, "storage keys pickle")?;
    let keys: Vec<String> = keys_scan
        .heap
        .as_seq(keys_value)
        .unwrap_or_default()
        .iter()
        .map(|k| match k {
            Value::Int(i) => i.to_string(),
            k => keys_scan.heap.as_str(*k).unwrap_or("?").to_string(),
        })
        .collect();
    if keys.len() as u64 > MAX_TENSORS {
        return Err(PytorchError::NotLegacy(format!(
            "{} storages, more than {MAX_TENSORS}",
            keys.len()
        )));
    }

    // Locate each storage: an i64 element count, then its bytes.
    let types = storage_types(&object);
    let mut spans: HashMap<String, StorageSpan> = HashMap::new();
    let mut cur = Cursor::new(bytes);
    cur.skip(pos as u64)
        .map_err(|e| PytorchError::LegacyStorage {
            key: keys.first().cloned().unwrap_or_default(),
            offset: e.offset,
            why: "file ends before the storages".to_string(),
        })?;
    for key in &keys {
        let at = cur.offset();
        let err = |why: String| PytorchError::LegacyStorage {
            key: key.clone(),
            offset: at,
            why,
        };
        let elem = types
            .get(key)
            .copied()
            .flatten()
            .ok_or_else(|| err("no tensor of known type refers to this storage".to_string()))?;
        let count = cur.i64().map_err(|e| err(e.to_string()))?;
        let count =
            u64::try_from(count).map_err(|_| err(format!("negative element count {count}")))?;
        let len = count
            .checked_mul(elem)
            .ok_or_else(|| err("byte length overflows".to_string()))?;
        let start = cur.offset();
        cur.skip(len)
            .map_err(|e| err(format!("storage bytes run past the end: {e}")))?;
        spans.insert(
            key.clone(),
            StorageSpan {
                offset: Some(start),
                len,
            },
        );
    }

    let mut parsed = Parsed {
        format: Format::PytorchLegacy,
        tensors: Vec::new(),
        metadata: Vec::new(),
        container: vec![("storages".to_string(), MetaValue::UInt(keys.len() as u64))],
        safety,
        warnings: Vec::new(),
    };
    if !cur.is_empty() {
        parsed
            .warnings
            .push(format!("{} bytes after the last storage", cur.remaining()));
    }
    let found = find_tensors(&object.heap, root, "");
    parsed.warnings.extend(found.warnings);
    for t in &found.tensors {
        let span =
            spans
                .get(&t.storage.key)
                .copied()
                .ok_or_else(|| PytorchError::MissingStorage {
                    tensor: t.name.clone(),
                    key: t.storage.key.clone(),
                    entry: "storage keys list".to_string(),
                })?;
        parsed
            .tensors
            .push(describe(t, span, &format!("storage {}", t.storage.key))?);
    }
    Ok(parsed)
}

//! `torch.save` zip archives and `torch.jit.save` (TorchScript) archives.

use super::error::PytorchError;
use super::locate::{StorageSpan, describe};
use super::tensors::find_tensors;
use crate::limits::{PYTORCH_MAX_TEXT_ENTRY, ZIP_MAX_INFLATED_ENTRY};
use crate::weights::meta::MetaValue;
use crate::weights::pickle::{self, PickleScan};
use crate::weights::safety::{SafetyReport, Verdict};
use crate::weights::zip::{Archive, Entry, top_level_folder};
use crate::weights::{Format, Parsed, ReadOptions, TensorInfo};

/// The folder all entries live under (`test/`, `archive/`), found from its `data.pkl`.
fn find_prefix(a: &Archive) -> Option<String> {
    a.entries
        .iter()
        .find_map(|e| top_level_folder(&e.name, "data.pkl"))
        .map(str::to_string)
}

fn is_pickle_entry(name: &str) -> bool {
    name.ends_with(".pkl") || name.ends_with(".debug_pkl")
}

fn scan_entry(
    a: &mut Archive,
    e: &Entry,
    report: &mut SafetyReport,
) -> Result<PickleScan, PytorchError> {
    let bytes = a.read(e, ZIP_MAX_INFLATED_ENTRY)?;
    let scan = pickle::scan(&bytes, &e.name);
    pickle::merge_into(report, &scan);
    Ok(scan)
}

fn read_text(a: &mut Archive, name: &str) -> Option<String> {
    let e = a.find(name)?.clone();
    let bytes = a.read_prefix(&e, PYTORCH_MAX_TEXT_ENTRY).ok()?;
    Some(String::from_utf8_lossy(&bytes).trim().to_string())
}

/// Locate each tensor's storage entry under `dir` and describe it.
fn resolve(
    a: &Archive,
    scan: &PickleScan,
    dir: &str,
    name_prefix: &str,
    parsed: &mut Parsed,
) -> Result<(), PytorchError> {
    let Some(root) = scan.value else {
        return Ok(());
    };
    let found = find_tensors(&scan.heap, root, name_prefix);
    parsed.warnings.extend(found.warnings);
    for t in &found.tensors {
        let entry_name = format!("{dir}{}", t.storage.key);
        let Some(e) = a.find(&entry_name) else {
            return Err(PytorchError::MissingStorage {
                tensor: t.name.clone(),
                key: t.storage.key.clone(),
                entry: entry_name,
            });
        };
        let len = if e.stored {
            a.stored_slice(e)?.len() as u64
        } else {
            e.size
        };
        let span = StorageSpan {
            offset: e.stored.then_some(e.data_start),
            len,
        };
        if !e.stored {
            parsed.warnings.push(format!(
                "tensor {:?}: storage entry {entry_name:?} is compressed; no file offset",
                t.name
            ));
        }
        parsed.tensors.push(describe(t, span, &entry_name)?);
    }
    Ok(())
}

/// Read a `torch.save` (or TorchScript) zip archive.
pub fn parse_zip(bytes: &[u8], _opts: ReadOptions) -> Result<Parsed, PytorchError> {
    let mut a = Archive::open(bytes)?;
    let prefix = find_prefix(&a).ok_or(PytorchError::NoDataPkl)?;
    let code_files: Vec<String> = a
        .entries
        .iter()
        .filter(|e| e.name.starts_with(&format!("{prefix}code/")) && !is_pickle_entry(&e.name))
        .map(|e| e.name.clone())
        .collect();
    let torchscript = !code_files.is_empty() || a.find(&format!("{prefix}constants.pkl")).is_some();
    let mut parsed = Parsed {
        format: if torchscript {
            Format::Torchscript
        } else {
            Format::PytorchZip
        },
        tensors: Vec::new(),
        metadata: Vec::new(),
        container: vec![("prefix".to_string(), MetaValue::Str(prefix.clone()))],
        safety: SafetyReport {
            verdict: Verdict::Safe,
            globals: Vec::new(),
            findings: Vec::new(),
        },
        warnings: Vec::new(),
    };
    for key in ["version", ".data/version", "byteorder"] {
        if let Some(v) = read_text(&mut a, &format!("{prefix}{key}")) {
            let meta_key = key.trim_start_matches(".data/").to_string();
            if key == "byteorder" && v != "little" {
                parsed.warnings.push(format!(
                    "byteorder is {v:?}: tensor bytes are not little-endian"
                ));
            }
            if !parsed.container.iter().any(|(k, _)| *k == meta_key) {
                parsed.container.push((meta_key, MetaValue::Str(v)));
            }
        }
    }
    if torchscript {
        let sample: Vec<&str> = code_files.iter().take(3).map(String::as_str).collect();
        parsed.safety.escalate(
            Verdict::Suspicious,
            format!(
                "TorchScript archive: loading it runs the {} code files under {prefix}code/ (e.g. {})",
                code_files.len(),
                sample.join(", ")
            ),
        );
    }
    // Scan every pickle in the archive; data.pkl and constants.pkl also hold tensors.
    let pickles: Vec<Entry> = a
        .entries
        .iter()
        .filter(|e| is_pickle_entry(&e.name))
        .cloned()
        .collect();
    let data_name = format!("{prefix}data.pkl");
    let constants_name = format!("{prefix}constants.pkl");
    let mut data_scan = None;
    let mut constants_scan = None;
    for e in &pickles {
        let scan = scan_entry(&mut a, e, &mut parsed.safety)?;
        if e.name == data_name {
            data_scan = Some(scan);
        } else if e.name == constants_name {
            constants_scan = Some(scan);
        }
    }
    let data_scan = data_scan.ok_or(PytorchError::NoDataPkl)?;
    if data_scan.value.is_none() {
        parsed.warnings.push(format!(
            "{data_name} could not be read to its end; tensors are unknown"
        ));
    }
    resolve(&a, &data_scan, &format!("{prefix}data/"), "", &mut parsed)?;
    if let Some(scan) = constants_scan {
        resolve(
            &a,
            &scan,
            &format!("{prefix}constants/"),
            "constants",
            &mut parsed,
        )?;
    }
    check_unique_names(&parsed.tensors, &mut parsed.warnings);
    Ok(parsed)
}

fn check_unique_names(tensors: &[TensorInfo], warnings: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    let dups: Vec<&str> = tensors
        .iter()
        .filter(|t| !seen.insert(t.name.as_str()))
        .map(|t| t.name.as_str())
        .collect();
    if let Some(first) = dups.first() {
        warnings.push(format!(
            "{} tensor names appear more than once (first: {first:?})",
            dups.len()
        ));
    }
}

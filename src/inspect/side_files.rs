//! The non-weights files of a model folder: config.json, adapter_config.json, tokenizer files,
//! the model card and licence texts.

use super::fact::Fact;
use super::folder::FolderListing;
use super::report::{Adapter, FileError, LicenseHint, Tokenizer};
use super::{Accumulator, card, config, license};
use crate::json;
use serde_json::Value;
use std::path::Path;

pub(super) fn read(listing: &FolderListing, acc: &mut Accumulator) {
    if let Some(path) = &listing.config {
        match read_json(path) {
            Ok(v) => acc.config_arch = Some(config::architecture(&v, "config.json")),
            Err(e) => acc.errors.push(e),
        }
    }
    if let Some(path) = &listing.adapter_config {
        match read_json(path) {
            Ok(v) => acc.adapter = Some(adapter(&v)),
            Err(e) => acc.errors.push(e),
        }
    }
    if !listing.tokenizer.is_empty() {
        acc.tokenizer = Some(tokenizer(&listing.tokenizer, acc));
    }
    if let Some(path) = &listing.card {
        read_card(path, acc);
    }
    for path in &listing.licenses {
        // A licence text longer than the cap is read only up to it (and then not recognised).
        match read_at_most(path, crate::limits::MAX_SIDE_FILE) {
            Ok(bytes) => {
                if let Some(id) = license::identify(&String::from_utf8_lossy(&bytes)) {
                    acc.licenses.push(LicenseHint {
                        value: id.to_string(),
                        source: format!("{}: licence text", path.display()),
                    });
                } else {
                    acc.warnings
                        .push(format!("{}: licence text not recognised", path.display()));
                }
            }
            Err(e) => acc.errors.push(FileError {
                path: path.clone(),
                error: format!("cannot read: {e}"),
            }),
        }
    }
}

fn read_json(path: &Path) -> Result<Value, FileError> {
    json::read_capped(path)
        .and_then(|bytes| json::parse(&bytes))
        .map_err(|e| FileError {
            path: path.to_path_buf(),
            error: e.to_string(),
        })
}

fn adapter(v: &Value) -> Adapter {
    const FILE: &str = "adapter_config.json";
    let src = |k: &str| format!("{FILE}: {k}");
    let kind = v.get("peft_type").and_then(Value::as_str).map(|t| {
        let dora = v.get("use_dora").and_then(Value::as_bool) == Some(true);
        Fact::new(
            if dora {
                format!("{t} (DoRA)")
            } else {
                t.to_string()
            },
            src("peft_type"),
        )
    });
    let targets = match v.get("target_modules") {
        Some(Value::Array(a)) => Some(
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        ),
        Some(Value::String(s)) => Some(vec![s.clone()]),
        _ => None,
    };
    Adapter {
        kind,
        rank: v
            .get("r")
            .and_then(Value::as_u64)
            .map(|r| Fact::new(r, src("r"))),
        alpha: v
            .get("lora_alpha")
            .and_then(Value::as_f64)
            .map(|a| Fact::new(a, src("lora_alpha"))),
        target_modules: targets.map(|t| Fact::new(t, src("target_modules"))),
        base_model: v
            .get("base_model_name_or_path")
            .and_then(Value::as_str)
            .map(|b| Fact::new(b.to_string(), src("base_model_name_or_path"))),
        adapted_modules: None,
    }
}

fn tokenizer(files: &[std::path::PathBuf], acc: &mut Accumulator) -> Tokenizer {
    let has = |name: &str| {
        files
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n == name))
    };
    let kind = if has("tokenizer.model") || has("spiece.model") || has("sentencepiece.bpe.model") {
        Some(Fact::new(
            "SentencePiece".to_string(),
            "tokenizer files: *.model",
        ))
    } else if has("merges.txt") {
        Some(Fact::new("BPE".to_string(), "tokenizer files: merges.txt"))
    } else if has("vocab.txt") {
        Some(Fact::new(
            "WordPiece".to_string(),
            "tokenizer files: vocab.txt",
        ))
    } else {
        None
    };
    let mut tok = Tokenizer {
        files: files.to_vec(),
        kind,
        ..Tokenizer::default()
    };
    if let Some(path) = files
        .iter()
        .find(|f| f.file_name().is_some_and(|n| n == "tokenizer_config.json"))
    {
        match read_json(path) {
            Ok(v) => {
                const FILE: &str = "tokenizer_config.json";
                tok.class = v
                    .get("tokenizer_class")
                    .and_then(Value::as_str)
                    .map(|c| Fact::new(c.to_string(), format!("{FILE}: tokenizer_class")));
                tok.model_max_length = v
                    .get("model_max_length")
                    .and_then(Value::as_u64)
                    .map(|n| Fact::new(n, format!("{FILE}: model_max_length")));
                tok.chat_template = v.get("chat_template").is_some();
            }
            Err(e) => acc.errors.push(e),
        }
    }
    tok
}

/// Reads at most `max + 1` bytes of `path`: a file larger than a cap is never read whole.
fn read_at_most(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    crate::regular_file::open(path)?
        .take(max + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn read_card(path: &Path, acc: &mut Accumulator) {
    let text = match read_at_most(path, crate::limits::MAX_SIDE_FILE) {
        Ok(b) if b.len() as u64 <= crate::limits::MAX_SIDE_FILE => {
            String::from_utf8_lossy(&b).into_owned()
        }
        Ok(_) => {
            acc.warnings
                .push(format!("{}: model card too large to read", path.display()));
            return;
        }
        Err(e) => {
            acc.errors.push(FileError {
                path: path.to_path_buf(),
                error: format!("cannot read: {e}"),
            });
            return;
        }
    };
    match card::parse(&text) {
        Ok(Some(c)) => {
            if let Some(l) = &c.license {
                let value = match (l.as_str(), &c.license_name) {
                    ("other", Some(name)) => format!("other ({name})"),
                    _ => l.clone(),
                };
                acc.licenses.push(LicenseHint {
                    value,
                    source: format!("{}: front matter license", path.display()),
                });
            }
            acc.card = Some(c);
        }
        Ok(None) => acc.warnings.push(format!(
            "{}: model card has no YAML front matter",
            path.display()
        )),
        Err(e) => acc.warnings.push(format!(
            "{}: model card front matter is not valid YAML: {e}",
            path.display()
        )),
    }
}

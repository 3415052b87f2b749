//! Sharded checkpoints: `*.safetensors.index.json` / `pytorch_model.bin.index.json` map every
//! tensor name to the shard file that holds it. One model, many files: every mapped tensor must
//! exist in its shard, no tensor may live in two shards, and shard names must be plain file names
//! beside the index (a name like `../x` would make a loader read outside the model folder).

use super::{ReadOptions, WeightsFile};
use crate::json::{self, JsonFileError, OrderedObject};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A sharded checkpoint that could not be read: the index file, and what is wrong.
#[derive(Debug, Error)]
#[error("{}: {kind}", index.display())]
pub struct ShardError {
    pub(crate) index: PathBuf,
    pub(crate) kind: ShardErrorKind,
}

#[derive(Debug, Error)]
pub(crate) enum ShardErrorKind {
    #[error(transparent)]
    Index(#[from] JsonFileError),
    #[error("{0}")]
    BadIndex(String),
    #[error(
        "weight_map entry \"{tensor}\" names shard \"{shard}\", which is not a plain file name beside the index ({why})"
    )]
    BadShardName {
        tensor: String,
        shard: String,
        why: &'static str,
    },
    #[error("shard \"{shard}\" (holding {tensors} mapped tensor(s)) is missing")]
    MissingShard { shard: String, tensors: usize },
    #[error("shard {0}")]
    Shard(Box<super::Error>),
    #[error("tensor \"{tensor}\" is mapped to shard \"{shard}\", which does not contain it")]
    TensorNotInShard { tensor: String, shard: String },
    #[error(
        "tensor \"{tensor}\" is in two shards: \"{first}\" and \"{second}\" (loaders silently keep one of them)"
    )]
    TensorInTwoShards {
        tensor: String,
        first: String,
        second: String,
    },
}

/// A sharded checkpoint read and cross-checked.
#[derive(Debug, Clone, Serialize)]
pub struct Sharded {
    pub(crate) index: PathBuf,
    /// `metadata.total_size` as the index states it (advisory: writers disagree on its meaning).
    pub(crate) total_size: Option<u64>,
    /// Number of tensor names in `weight_map`.
    pub mapped_tensors: usize,
    /// Every shard the index names, read, in name order.
    pub shards: Vec<WeightsFile>,
    pub(crate) warnings: Vec<String>,
}

/// Whether a file name is that of a sharded-checkpoint index.
pub(crate) fn is_index_name(name: &str) -> bool {
    name.ends_with(".index.json")
        && (name.contains(".safetensors") || name.contains(".bin") || name.contains(".pt"))
}

#[derive(serde::Deserialize)]
struct RawIndex {
    #[serde(default)]
    metadata: Value,
    weight_map: OrderedObject,
}

/// Read a sharded-checkpoint index and every shard beside it, and check that the index and the
/// shards agree: each mapped tensor in its shard, none in two, shard names plain file names.
pub fn open_index(index: &Path, opts: ReadOptions) -> Result<Sharded, ShardError> {
    read_index(index, opts).map_err(|kind| ShardError {
        index: index.to_path_buf(),
        kind,
    })
}

fn read_index(index: &Path, opts: ReadOptions) -> Result<Sharded, ShardErrorKind> {
    let bad = ShardErrorKind::BadIndex;
    let bytes = json::read_capped(index)?;
    // serde's derived struct rejects a repeated top-level field; weight_map keeps duplicates so
    // they can be reported.
    let raw: RawIndex = json::parse(&bytes)?;
    let total_size = raw.metadata.get("total_size").and_then(Value::as_u64);
    let weight_map = raw.weight_map;
    if let Some(dup) = weight_map.first_duplicate() {
        return Err(bad(format!("tensor \"{dup}\" appears twice in weight_map")));
    }

    // Group tensor names by shard, keeping the order shards first appear in.
    let mut by_shard: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (tensor, shard) in &weight_map.0 {
        let Value::String(shard) = shard else {
            return Err(bad(format!(
                "weight_map entry \"{tensor}\" is not a file name string"
            )));
        };
        if let Err(why) = check_shard_name(shard) {
            return Err(ShardErrorKind::BadShardName {
                tensor: tensor.clone(),
                shard: shard.clone(),
                why,
            });
        }
        by_shard
            .entry(shard.clone())
            .or_default()
            .push(tensor.clone());
    }

    let dir = index.parent().unwrap_or(Path::new("."));
    let mut shards = Vec::with_capacity(by_shard.len());
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut warnings = Vec::new();
    for (shard, tensors) in &by_shard {
        let path = dir.join(shard);
        if !path.is_file() {
            return Err(ShardErrorKind::MissingShard {
                shard: shard.clone(),
                tensors: tensors.len(),
            });
        }
        let file = super::open(&path, opts).map_err(|e| ShardErrorKind::Shard(Box::new(e)))?;
        let names: std::collections::HashSet<&str> = file
            .parsed
            .tensors
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        if let Some(missing) = tensors.iter().find(|t| !names.contains(t.as_str())) {
            return Err(ShardErrorKind::TensorNotInShard {
                tensor: missing.clone(),
                shard: shard.clone(),
            });
        }
        for t in &file.parsed.tensors {
            if let Some(first) = owner.insert(t.name.clone(), shard.clone()) {
                return Err(ShardErrorKind::TensorInTwoShards {
                    tensor: t.name.clone(),
                    first,
                    second: shard.clone(),
                });
            }
        }
        let unmapped = file.parsed.tensors.len() - tensors.len();
        if unmapped > 0 {
            warnings.push(format!(
                "shard \"{shard}\" holds {unmapped} tensor(s) that weight_map does not list (loaders ignore them)"
            ));
        }
        shards.push(file);
    }
    if let Some(total) = total_size {
        let tensor_bytes: u64 = shards
            .iter()
            .flat_map(|s| &s.parsed.tensors)
            .filter_map(|t| t.nbytes)
            .sum();
        let file_bytes: u64 = shards.iter().map(|s| s.size).sum();
        if total != tensor_bytes && total != file_bytes {
            warnings.push(format!(
                "metadata.total_size is {total}, but the shards hold {tensor_bytes} bytes of tensors in {file_bytes} bytes of files"
            ));
        }
    }
    Ok(Sharded {
        index: index.to_path_buf(),
        total_size,
        mapped_tensors: weight_map.0.len(),
        shards,
        warnings,
    })
}

fn check_shard_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("empty");
    }
    if name.starts_with('/') || name.starts_with('\\') || name.get(1..2) == Some(":") {
        return Err("absolute path");
    }
    if name.contains('/') || name.contains('\\') {
        return Err("contains a path separator");
    }
    if name == "." || name == ".." {
        return Err("refers to a folder");
    }
    if name.chars().any(char::is_control) {
        return Err("contains control characters");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_names_must_be_plain() {
        assert!(check_shard_name("model-00001-of-00002.safetensors").is_ok());
        assert_eq!(
            check_shard_name("../x.safetensors"),
            Err("contains a path separator")
        );
        assert_eq!(check_shard_name("/etc/passwd"), Err("absolute path"));
        assert_eq!(check_shard_name(".."), Err("refers to a folder"));
        assert_eq!(check_shard_name("C:x"), Err("absolute path"));
    }

    #[test]
    fn index_names() {
        assert!(is_index_name("model.safetensors.index.json"));
        assert!(is_index_name("pytorch_model.bin.index.json"));
        assert!(!is_index_name("config.json"));
    }
}

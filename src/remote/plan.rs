//! What to fetch of each remote file, fetched in parallel and written into the stand-in: the
//! headers of weights files by range, other small files whole (within a total budget), the rest
//! listed as not read with the reason.

use std::path::{Path, PathBuf};

use crate::limits::{
    REMOTE_MAX_WHOLE_FILE, REMOTE_MAX_WHOLE_TOTAL, REMOTE_MAX_WHOLE_WEIGHTS,
    REMOTE_PARALLEL_FETCHES, REMOTE_SAFETENSORS_FIRST_RANGE,
};
use crate::source::http::{Client, HttpError};
use crate::source::hub_api::RemoteFile;

use super::headers::{self, Fetch, RemoteReader};
use super::mirror::{MirroredFile, NotRead, TempFolder, write_pieces};

/// Bytes asked for first of a single remote file (enough for most safetensors headers).
pub(crate) const PROBE_BYTES: u64 = REMOTE_SAFETENSORS_FIRST_RANGE;

/// How one file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    Whole,
    Safetensors,
    Gguf,
    Zip,
    Npy,
    /// A `.bin`, `.pt`, pickle...: a zip if it starts like one, else whole up to a cap.
    ZipOrWhole,
    Unread {
        weights: bool,
        reason: String,
    },
}

fn plan(file: &RemoteFile, whole_budget: &mut u64) -> Plan {
    let path = Path::new(&file.path);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "safetensors" => return Plan::Safetensors,
        "gguf" => return Plan::Gguf,
        "npz" => return Plan::Zip,
        "npy" => return Plan::Npy,
        _ if crate::weights::is_weights_file(path) => return Plan::ZipOrWhole,
        _ if crate::weights::UNREAD_WEIGHTS_EXTENSIONS.contains(&ext.as_str()) => {
            return Plan::Unread {
                weights: false,
                reason: "openseal has no reader for this weights format (here or locally)".into(),
            };
        }
        _ => {}
    }
    if file.size > REMOTE_MAX_WHOLE_FILE {
        return Plan::Unread {
            weights: false,
            reason: format!(
                "not a weights file, and over the {} MiB openseal downloads of one such file",
                REMOTE_MAX_WHOLE_FILE >> 20
            ),
        };
    }
    if file.size > *whole_budget {
        return Plan::Unread {
            weights: false,
            reason: format!(
                "the repository's other files already took the {} MiB openseal downloads in all",
                REMOTE_MAX_WHOLE_TOTAL >> 20
            ),
        };
    }
    *whole_budget -= file.size;
    Plan::Whole
}

/// The shard file names a sharded index's `weight_map` names (empty when it is not one; the
/// readers report what is wrong with it).
pub(crate) fn shard_names(index: &[u8]) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(index) else {
        return Vec::new();
    };
    let mut names: Vec<String> = value
        .get("weight_map")
        .and_then(|m| m.as_object())
        .map(|m| {
            m.values()
                .filter_map(|v| v.as_str())
                .filter(|s| !s.contains(['/', '\\']) && *s != "." && *s != "..")
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

/// Why a file could not be fetched or laid out.
pub(crate) enum FetchError {
    Http(HttpError),
    Io(PathBuf, std::io::Error),
}

/// The file that could not be fetched (its path in the repository), and why. Boxed where
/// returned: the error is rare and large.
pub(crate) struct FetchFailure {
    pub(crate) path: String,
    pub(crate) error: FetchError,
}

type Fetched = (Vec<MirroredFile>, Vec<NotRead>);

/// Fetches `files` into `folder`. `head` is the first bytes of the only file, when a probe
/// already fetched them.
pub(crate) fn fetch_all(
    client: &Client,
    folder: &TempFolder,
    files: &[RemoteFile],
    url_of: &(dyn Fn(&RemoteFile) -> String + Sync),
    head: Option<Vec<u8>>,
) -> Result<Fetched, Box<FetchFailure>> {
    let mut budget = REMOTE_MAX_WHOLE_TOTAL;
    let plans: Vec<Plan> = files.iter().map(|f| plan(f, &mut budget)).collect();
    let head = head.unwrap_or_default();
    let threads = REMOTE_PARALLEL_FETCHES.min(files.len()).max(1);
    let results = crate::parallel::map(files.len(), threads, |i| {
        let file = &files[i];
        let reader = RemoteReader {
            client,
            url: url_of(file),
            size: file.size,
            head: if files.len() == 1 {
                head.clone()
            } else {
                Vec::new()
            },
        };
        fetch_one(&reader, file, &plans[i]).map_err(|e| {
            Box::new(FetchFailure {
                path: file.path.clone(),
                error: FetchError::Http(e),
            })
        })
    })?;
    let mut mirrored = Vec::new();
    let mut not_read = Vec::new();
    for (file, fetch) in files.iter().zip(results) {
        match fetch {
            Fetch::Unread(reason) => not_read.push(NotRead {
                path: file.path.clone(),
                size: file.size,
                weights: crate::weights::is_weights_file(Path::new(&file.path)),
                sha256: file.sha256.clone(),
                reason,
            }),
            Fetch::Pieces(pieces) => {
                let io = |e: std::io::Error| {
                    Box::new(FetchFailure {
                        path: file.path.clone(),
                        error: FetchError::Io(folder.path().join(&file.path), e),
                    })
                };
                let out = folder.create(&file.path, file.size).map_err(io)?;
                let fetched = write_pieces(&out, &pieces).map_err(io)?;
                mirrored.push(MirroredFile {
                    path: file.path.clone(),
                    size: file.size,
                    sha256: file.sha256.clone(),
                    fetched,
                });
            }
        }
    }
    Ok((mirrored, not_read))
}

fn fetch_one(r: &RemoteReader, file: &RemoteFile, plan: &Plan) -> Result<Fetch, HttpError> {
    if file.size == 0 {
        return Ok(Fetch::Pieces(Vec::new()));
    }
    match plan {
        Plan::Unread { reason, .. } => Ok(Fetch::Unread(reason.clone())),
        Plan::Whole => Ok(Fetch::Pieces(vec![(0, r.read(0, file.size)?)])),
        Plan::Safetensors => headers::safetensors(r),
        Plan::Gguf => headers::gguf(r),
        Plan::Zip => headers::zip(r),
        Plan::Npy => headers::npy(r),
        Plan::ZipOrWhole if file.size <= REMOTE_MAX_WHOLE_WEIGHTS => {
            Ok(Fetch::Pieces(vec![(0, r.read(0, file.size)?)]))
        }
        Plan::ZipOrWhole => {
            let magic = r.read(0, 4)?;
            if magic == b"PK\x03\x04" {
                headers::zip(r)
            } else {
                headers::whole_weights(r, Path::new(&file.path))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: u64) -> RemoteFile {
        RemoteFile {
            path: path.into(),
            size,
            sha256: None,
            blob_id: None,
        }
    }

    #[test]
    fn weights_by_range_small_files_whole_big_others_unread() {
        let mut budget = REMOTE_MAX_WHOLE_TOTAL;
        assert_eq!(
            plan(&file("m.safetensors", 1 << 40), &mut budget),
            Plan::Safetensors
        );
        assert_eq!(plan(&file("m.Q4_K.gguf", 1 << 33), &mut budget), Plan::Gguf);
        assert_eq!(
            plan(&file("pytorch_model.bin", 1 << 33), &mut budget),
            Plan::ZipOrWhole
        );
        assert_eq!(plan(&file("config.json", 700), &mut budget), Plan::Whole);
        assert_eq!(budget, REMOTE_MAX_WHOLE_TOTAL - 700);
        assert!(matches!(
            plan(&file("model.onnx", 1 << 30), &mut budget),
            Plan::Unread { weights: false, .. }
        ));
        assert!(matches!(
            plan(
                &file("data.parquet", REMOTE_MAX_WHOLE_FILE + 1),
                &mut budget
            ),
            Plan::Unread { .. }
        ));
        let mut small = 10;
        assert!(matches!(
            plan(&file("a.txt", 11), &mut small),
            Plan::Unread { .. }
        ));
    }

    #[test]
    fn shard_names_come_from_the_weight_map_only_when_plain() {
        let index = br#"{"weight_map": {"a": "s-1.safetensors", "b": "s-2.safetensors", "c": "s-1.safetensors", "d": "../x", "e": "sub/y"}}"#;
        assert_eq!(
            shard_names(index),
            vec!["s-1.safetensors", "s-2.safetensors"]
        );
        assert!(shard_names(b"not json").is_empty());
    }
}

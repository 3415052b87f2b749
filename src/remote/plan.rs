//! What to fetch of each remote file, fetched in parallel and written into the stand-in: the
//! headers of weights files by range, other small files whole (within a total budget), the rest
//! listed as not read with the reason.

use std::path::{Path, PathBuf};

use crate::limits::{
    REMOTE_MAX_WHOLE_FILE, REMOTE_MAX_WHOLE_TOTAL, REMOTE_MAX_WHOLE_WEIGHTS,
    REMOTE_MAX_WHOLE_WEIGHTS_TOTAL, REMOTE_PARALLEL_FETCHES, REMOTE_SAFETENSORS_FIRST_RANGE,
};
use crate::source::http::{Client, HttpError};
use crate::source::hub_api::RemoteFile;

use super::headers::{self, Fetch, Pieces, RemoteReader};
use super::mirror::{MirroredFile, NotRead, TempFolder, write_pieces};

/// Bytes asked for first of a single remote file (enough for most safetensors headers).
pub(crate) const PROBE_BYTES: u64 = REMOTE_SAFETENSORS_FIRST_RANGE;

/// How one file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    /// A file that is not weights, whole.
    Whole,
    /// A weights file small enough to fetch whole (`.bin`, `.pt`, a pickle...).
    WholeWeights,
    Safetensors,
    Gguf,
    Zip,
    Npy,
    /// A larger `.bin`, `.pt`, pickle...: its zip directory if it is a zip, else not read.
    ZipOrUnread,
    Unread {
        weights: bool,
        reason: String,
    },
}

/// What is left of the bytes openseal downloads whole in one run.
struct Budget {
    /// Files that are not weights.
    other: u64,
    /// Weights files fetched whole.
    weights: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            other: REMOTE_MAX_WHOLE_TOTAL,
            weights: REMOTE_MAX_WHOLE_WEIGHTS_TOTAL,
        }
    }
}

fn plan(file: &RemoteFile, budget: &mut Budget) -> Plan {
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
        _ if crate::weights::is_weights_file(path) => {
            if file.size <= REMOTE_MAX_WHOLE_WEIGHTS && file.size <= budget.weights {
                budget.weights -= file.size;
                return Plan::WholeWeights;
            }
            return Plan::ZipOrUnread;
        }
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
    if file.size > budget.other {
        return Plan::Unread {
            weights: false,
            reason: format!(
                "the repository's other files already took the {} MiB openseal downloads in all",
                REMOTE_MAX_WHOLE_TOTAL >> 20
            ),
        };
    }
    budget.other -= file.size;
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
    /// A file fetched whole whose SHA-256 is not the one the Hub lists.
    Mismatch {
        expected: String,
        got: String,
    },
}

/// The file that could not be fetched (its path in the repository), and why. Boxed where
/// returned: the error is rare and large.
pub(crate) struct FetchFailure {
    pub(crate) path: String,
    pub(crate) error: FetchError,
}

type Fetched = (Vec<MirroredFile>, Vec<NotRead>);

/// What became of one file.
enum Laid {
    Mirrored(MirroredFile),
    NotRead(NotRead),
}

/// Fetches `files` into `folder`, each worker writing its own file's pieces as soon as they
/// arrive (memory holds at most one file's pieces per worker). `heads` holds the first bytes
/// (or all) of files already fetched, by path: reads inside them are not asked again.
pub(crate) fn fetch_all(
    client: &Client,
    folder: &TempFolder,
    files: &[RemoteFile],
    url_of: &(dyn Fn(&RemoteFile) -> String + Sync),
    heads: &std::collections::HashMap<String, Vec<u8>>,
) -> Result<Fetched, Box<FetchFailure>> {
    let mut budget = Budget::default();
    let plans: Vec<Plan> = files.iter().map(|f| plan(f, &mut budget)).collect();
    let threads = REMOTE_PARALLEL_FETCHES.min(files.len()).max(1);
    let laid = crate::parallel::map(files.len(), threads, |i| {
        let file = &files[i];
        let fail = |error| {
            Box::new(FetchFailure {
                path: file.path.clone(),
                error,
            })
        };
        let reader = RemoteReader {
            client,
            url: url_of(file),
            size: file.size,
            head: heads.get(&file.path).cloned().unwrap_or_default(),
        };
        let pieces =
            match fetch_one(&reader, file, &plans[i]).map_err(|e| fail(FetchError::Http(e)))? {
                Fetch::Unread(reason) => {
                    return Ok(Laid::NotRead(NotRead {
                        path: file.path.clone(),
                        size: file.size,
                        weights: crate::weights::is_weights_file(Path::new(&file.path)),
                        sha256: file.sha256.clone(),
                        reason,
                    }));
                }
                Fetch::Pieces(pieces) => pieces,
            };
        let fetched = covered(&pieces, file.size);
        if fetched == file.size
            && let Some(expected) = &file.sha256
        {
            let got = whole_digest(&pieces);
            if got != *expected {
                return Err(fail(FetchError::Mismatch {
                    expected: expected.clone(),
                    got,
                }));
            }
        }
        let io = |e| fail(FetchError::Io(folder.path().join(&file.path), e));
        let out = folder.create(&file.path, file.size).map_err(io)?;
        write_pieces(&out, &pieces).map_err(io)?;
        Ok(Laid::Mirrored(MirroredFile {
            path: file.path.clone(),
            size: file.size,
            sha256: file.sha256.clone(),
            fetched,
        }))
    })?;
    let mut mirrored = Vec::new();
    let mut not_read = Vec::new();
    for l in laid {
        match l {
            Laid::Mirrored(m) => mirrored.push(m),
            Laid::NotRead(n) => not_read.push(n),
        }
    }
    Ok((mirrored, not_read))
}

/// Bytes of `0..size` the pieces cover (overlaps counted once).
fn covered(pieces: &Pieces, size: u64) -> u64 {
    let mut spans: Vec<(u64, u64)> = pieces
        .iter()
        .map(|(o, b)| ((*o).min(size), o.saturating_add(b.len() as u64).min(size)))
        .collect();
    spans.sort_unstable();
    let (mut total, mut reached) = (0u64, 0u64);
    for (start, end) in spans {
        let start = start.max(reached);
        if end > start {
            total += end - start;
            reached = end;
        }
    }
    total
}

/// SHA-256 of a file the pieces cover whole, laid out in offset order.
fn whole_digest(pieces: &Pieces) -> String {
    use sha2::Digest;
    let mut order: Vec<&(u64, Vec<u8>)> = pieces.iter().collect();
    order.sort_by_key(|(o, _)| *o);
    let mut hasher = sha2::Sha256::new();
    let mut reached = 0u64;
    for (offset, bytes) in order {
        let skip = reached.saturating_sub(*offset);
        let Some(rest) = usize::try_from(skip).ok().and_then(|s| bytes.get(s..)) else {
            continue;
        };
        hasher.update(rest);
        reached = reached.max(offset + bytes.len() as u64);
    }
    crate::digest::Sha256Digest(hasher.finalize().into()).to_hex()
}

fn fetch_one(r: &RemoteReader, file: &RemoteFile, plan: &Plan) -> Result<Fetch, HttpError> {
    if file.size == 0 {
        return Ok(Fetch::Pieces(Vec::new()));
    }
    match plan {
        Plan::Unread { reason, .. } => Ok(Fetch::Unread(reason.clone())),
        Plan::Whole | Plan::WholeWeights => Ok(Fetch::Pieces(vec![(0, r.read(0, file.size)?)])),
        Plan::Safetensors => headers::safetensors(r),
        Plan::Gguf => headers::gguf(r),
        Plan::Zip => headers::zip(r),
        Plan::Npy => headers::npy(r),
        Plan::ZipOrUnread => {
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
        let mut budget = Budget::default();
        let mut check = |path: &str, size: u64| plan(&file(path, size), &mut budget);
        assert_eq!(check("m.safetensors", 1 << 40), Plan::Safetensors);
        assert_eq!(check("m.Q4_K.gguf", 1 << 33), Plan::Gguf);
        assert_eq!(check("pytorch_model.bin", 1 << 33), Plan::ZipOrUnread);
        assert_eq!(check("small.bin", 1 << 20), Plan::WholeWeights);
        assert_eq!(check("config.json", 700), Plan::Whole);
        assert!(matches!(
            check("model.onnx", 1 << 30),
            Plan::Unread { weights: false, .. }
        ));
        assert!(matches!(
            check("data.parquet", REMOTE_MAX_WHOLE_FILE + 1),
            Plan::Unread { .. }
        ));
        assert_eq!(budget.other, REMOTE_MAX_WHOLE_TOTAL - 700);
        assert_eq!(budget.weights, REMOTE_MAX_WHOLE_WEIGHTS_TOTAL - (1 << 20));
        // Budgets run out: other files are then not read, weights read by zip directory only.
        let mut small = Budget {
            other: 10,
            weights: 10,
        };
        assert!(matches!(
            plan(&file("a.txt", 11), &mut small),
            Plan::Unread { .. }
        ));
        assert_eq!(plan(&file("b.bin", 11), &mut small), Plan::ZipOrUnread);
    }

    #[test]
    fn coverage_counts_overlaps_once_and_digests_whole_files_in_order() {
        let pieces: Pieces = vec![(4, b"efgh".to_vec()), (0, b"abcdef".to_vec())];
        assert_eq!(covered(&pieces, 8), 8);
        assert_eq!(covered(&pieces, 20), 8);
        assert_eq!(covered(&vec![(0, vec![0; 10])], 4), 4);
        let expected = crate::digest::Sha256Digest::of(b"abcdefgh").to_hex();
        assert_eq!(whole_digest(&pieces), expected);
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

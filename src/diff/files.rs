//! `diff` by files: two releases compared file by file on path, size and SHA-256, without
//! reading any weights. Used when a side is a bundle (its manifest lists every file's digest)
//! and the other a folder, a cache snapshot, a Hub repository (the Hub lists LFS digests) or a
//! bundle.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::DiffError;

/// The schema of a file-level diff.
pub const FILES_SCHEMA: &str = "openseal.diff-files/v1";

/// One file of a side: its path in the release, size, and SHA-256 when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedFile {
    /// `/`-separated path inside the release.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256, when known.
    pub sha256: Option<String>,
    /// Why the SHA-256 is not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_because: Option<String>,
}

/// A side of a file-level diff.
#[derive(Debug, Clone, Serialize)]
pub struct FileSide {
    /// The side as given (a path, a bundle, `hf://ORG/NAME@COMMIT`).
    pub path: String,
    /// Files in the release.
    pub files: usize,
    #[serde(skip)]
    listed: Vec<ListedFile>,
}

impl FileSide {
    /// A side named `path` holding `files`.
    pub fn new(path: String, files: Vec<ListedFile>) -> FileSide {
        FileSide {
            path,
            files: files.len(),
            listed: files,
        }
    }
}

/// A file's size and SHA-256 (empty when unknown) on one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileState {
    /// Size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256, or empty when not known.
    pub sha256: String,
}

/// A file on both sides whose content differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    /// Its path.
    pub path: String,
    /// On side a.
    pub a: FileState,
    /// On side b.
    pub b: FileState,
}

/// A file on both sides that could not be compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileNotCompared {
    /// Its path.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// The comparison of two releases file by file.
#[derive(Debug, Clone, Serialize)]
pub struct FileDiffReport {
    /// Always [`FILES_SCHEMA`].
    pub schema: &'static str,
    /// The first release.
    pub a: FileSide,
    /// The second release.
    pub b: FileSide,
    /// Whether both hold the same files with the same contents (every file compared).
    pub identical: bool,
    /// Whether something was found to differ.
    pub differs: bool,
    /// Files only in a.
    pub only_a: Vec<String>,
    /// Files only in b.
    pub only_b: Vec<String>,
    /// Files in both with other contents.
    pub changed: Vec<FileChange>,
    /// Files in both whose digest is not known on some side.
    pub not_compared: Vec<FileNotCompared>,
    /// Files in both with the same size and SHA-256.
    pub unchanged: usize,
}

/// Compares `a` with `b` file by file.
pub fn compare_files(a: FileSide, b: FileSide) -> FileDiffReport {
    let index = |s: &FileSide| -> BTreeMap<String, ListedFile> {
        s.listed
            .iter()
            .map(|f| (f.path.clone(), f.clone()))
            .collect()
    };
    let (ia, ib) = (index(&a), index(&b));
    let mut report = FileDiffReport {
        schema: FILES_SCHEMA,
        identical: false,
        differs: false,
        only_a: ia
            .keys()
            .filter(|p| !ib.contains_key(*p))
            .cloned()
            .collect(),
        only_b: ib
            .keys()
            .filter(|p| !ia.contains_key(*p))
            .cloned()
            .collect(),
        changed: Vec::new(),
        not_compared: Vec::new(),
        unchanged: 0,
        a,
        b,
    };
    for (path, fa) in &ia {
        let Some(fb) = ib.get(path) else { continue };
        let both_known = fa.sha256.is_some() && fb.sha256.is_some();
        if both_known && fa.sha256 == fb.sha256 && fa.size == fb.size {
            report.unchanged += 1;
        } else if both_known || fa.size != fb.size {
            // Different digests, or sizes that differ (which settle it without digests).
            let state = |f: &ListedFile| FileState {
                size: f.size,
                sha256: f.sha256.clone().unwrap_or_default(),
            };
            report.changed.push(FileChange {
                path: path.clone(),
                a: state(fa),
                b: state(fb),
            });
        } else {
            report.not_compared.push(FileNotCompared {
                path: path.clone(),
                reason: fa
                    .unknown_because
                    .clone()
                    .or_else(|| fb.unknown_because.clone())
                    .unwrap_or_else(|| "no SHA-256 on one side".into()),
            });
        }
    }
    report.differs =
        !(report.only_a.is_empty() && report.only_b.is_empty() && report.changed.is_empty());
    report.identical = !report.differs && report.not_compared.is_empty();
    report
}

/// The files a bundle's manifest lists (its signature is not checked here: `verify` does that),
/// less those pack generated (`bom.cdx.json`, `model.sig`), which no release folder has.
pub fn bundle_files(path: &Path) -> Result<Vec<ListedFile>, DiffError> {
    let (manifest, _) =
        crate::manifest::read_bundle_manifest(path).map_err(|e| DiffError::Files(e.to_string()))?;
    Ok(manifest
        .files
        .into_iter()
        .filter(|f| !f.generated_by_pack())
        .map(|f| ListedFile {
            path: f.path,
            size: f.size,
            sha256: Some(f.sha256),
            unknown_because: None,
        })
        .collect())
}

/// Every file of a local release folder, hashed.
pub fn folder_files(root: &Path) -> Result<Vec<ListedFile>, DiffError> {
    let err = |e: crate::source::FolderError| DiffError::Files(e.to_string());
    let collected = crate::source::collect_files(root).map_err(err)?;
    let hashed = crate::source::hash_sources(collected, 0).map_err(err)?;
    Ok(hashed
        .into_iter()
        .map(|h| {
            let e = h.expected();
            ListedFile {
                path: e.path,
                size: e.size,
                sha256: Some(e.sha256.to_hex()),
                unknown_because: None,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, size: u64, sha: Option<&str>) -> ListedFile {
        ListedFile {
            path: path.into(),
            size,
            sha256: sha.map(str::to_string),
            unknown_because: sha.is_none().then(|| "not read".into()),
        }
    }

    #[test]
    fn files_are_matched_by_path_size_and_digest() {
        let a = FileSide::new(
            "a".into(),
            vec![
                f("same", 1, Some("x")),
                f("changed", 1, Some("x")),
                f("only-a", 1, Some("x")),
                f("unknown", 5, None),
                f("resized", 5, None),
            ],
        );
        let b = FileSide::new(
            "b".into(),
            vec![
                f("same", 1, Some("x")),
                f("changed", 1, Some("y")),
                f("only-b", 1, Some("x")),
                f("unknown", 5, Some("z")),
                f("resized", 6, Some("z")),
            ],
        );
        let r = compare_files(a, b);
        assert_eq!(r.unchanged, 1);
        assert_eq!(r.only_a, vec!["only-a"]);
        assert_eq!(r.only_b, vec!["only-b"]);
        let changed: Vec<&str> = r.changed.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(changed, vec!["changed", "resized"]);
        assert_eq!(r.not_compared[0].path, "unknown");
        assert!(r.differs && !r.identical);
        let same = compare_files(
            FileSide::new("a".into(), vec![f("w", 1, Some("x"))]),
            FileSide::new("b".into(), vec![f("w", 1, Some("x"))]),
        );
        assert!(same.identical && !same.differs);
    }
}

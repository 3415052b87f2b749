//! The release folder as a bundle sees it: every regular file, by its `/`-separated path relative
//! to the root, sorted bytewise, and hashed in parallel before anything is written.
//!
//! The walk fails loudly rather than dropping anything: a special file, a non-UTF-8 name, a path
//! a bundle may not hold, or a symbolic link that leaves the release is an error naming the file.
//! A link to a regular file inside the release (or, for a Hugging Face cache snapshot, into its
//! repository's `blobs/`) is packed as the file it points to. Empty folders are not
//! represented (a bundle holds files only).

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::link::{self, LinkTarget, ReleaseBounds};
use crate::digest::{HashError, Sha256Digest, hash_files};
use crate::limits::{BUNDLE_MAX_FILES, MAX_FOLDER_DEPTH};
use crate::release::ExpectedFile;
use crate::release::path::{CollisionCheck, CollisionKind, PathProblem, check_path};

/// A file of the release folder, ready to pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative, `/`-separated, within the bundle path rules (see [`crate::release::PathProblem`]).
    pub path: String,
    /// Where it is on disk.
    pub source: PathBuf,
    pub(crate) size: u64,
    /// The owner's execute bit: packed with mode 0755 instead of 0644.
    pub executable: bool,
}

/// A source file with the size and digest of the hashing pass; the writer checks the bytes it
/// streams against both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedFile {
    pub(crate) file: SourceFile,
    pub(crate) sha256: Sha256Digest,
}

impl HashedFile {
    /// The entry the manifest declares for this file.
    pub fn expected(&self) -> ExpectedFile {
        ExpectedFile {
            path: self.file.path.clone(),
            size: self.file.size,
            sha256: self.sha256,
        }
    }
}

/// Why a release folder cannot be packed as it is; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// A folder could not be listed, or a file's metadata read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A symbolic link that does not lead to a regular file (a folder, nothing, a loop).
    #[error("{}: {reason}; bundles hold regular files only (copy the target in its place)", path.display())]
    Symlink {
        /// The link.
        path: PathBuf,
        /// Why it is not followed.
        reason: String,
    },
    /// A symbolic link to a file outside the release folder and outside the blobs of the cache
    /// repository the folder is a snapshot of.
    #[error(
        "{}: symbolic link to {}, outside the release folder; copy the file in its place",
        path.display(),
        target.display()
    )]
    SymlinkOutside {
        /// The link.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// A device, FIFO or socket.
    #[error("{}: not a regular file (device, FIFO or socket)", path.display())]
    Special {
        /// The file.
        path: PathBuf,
    },
    /// A file or folder name that is not UTF-8.
    #[error("{}: file name is not UTF-8", path.display())]
    NotUtf8 {
        /// The file or folder.
        path: PathBuf,
    },
    /// A relative path a bundle may not hold.
    #[error("{path}: {problem}")]
    Path {
        /// The relative path.
        path: String,
        /// What is wrong with it.
        problem: PathProblem,
    },
    /// Two paths that would name the same file on some file system.
    #[error("{path}: {kind} {other}")]
    Collision {
        /// The later path, in bytewise order.
        path: String,
        /// The earlier path it collides with.
        other: String,
        /// How they collide.
        kind: CollisionKind,
    },
    /// More than [`BUNDLE_MAX_FILES`] files.
    #[error("{}: more than {BUNDLE_MAX_FILES} files", root.display())]
    TooManyFiles {
        /// The release folder.
        root: PathBuf,
    },
    /// Folders nested deeper than [`MAX_FOLDER_DEPTH`].
    #[error("{}: nested deeper than {MAX_FOLDER_DEPTH} folders", path.display())]
    TooDeep {
        /// The folder too deep.
        path: PathBuf,
    },
    /// A file could not be read while hashing.
    #[error(transparent)]
    Hash(#[from] HashError),
}

/// Lists every regular file under `root`, sorted bytewise by path.
pub fn collect_files(root: &Path) -> Result<Vec<SourceFile>, FolderError> {
    let mut files = Vec::new();
    // Resolved at the first link: most release folders have none.
    let mut bounds: Option<ReleaseBounds> = None;
    // (folder on disk, its relative path, depth)
    let mut stack = vec![(root.to_path_buf(), String::new(), 0usize)];
    while let Some((dir, rel, depth)) = stack.pop() {
        let io_err = |source| FolderError::Io {
            path: dir.clone(),
            source,
        };
        for entry in fs::read_dir(&dir).map_err(io_err)? {
            let entry = entry.map_err(io_err)?;
            let path = entry.path();
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                return Err(FolderError::NotUtf8 { path });
            };
            let rel_path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            // symlink_metadata: a link is judged before anything is read through it.
            let mut meta = fs::symlink_metadata(&path).map_err(|source| FolderError::Io {
                path: path.clone(),
                source,
            })?;
            if meta.file_type().is_symlink() {
                // A link to a regular file inside the release (or into the blobs of the cache
                // repository it is a snapshot of) is packed as the file it points to.
                match link::resolve(&path) {
                    LinkTarget::File { target, meta: m }
                        if bounds
                            .get_or_insert_with(|| ReleaseBounds::of(root))
                            .contain(&target) =>
                    {
                        meta = m;
                    }
                    LinkTarget::File { target, .. } => {
                        return Err(FolderError::SymlinkOutside { path, target });
                    }
                    other => {
                        let reason = other.refusal().unwrap_or_default();
                        return Err(FolderError::Symlink { path, reason });
                    }
                }
            }
            let ft = meta.file_type();
            if ft.is_dir() {
                if depth + 1 > MAX_FOLDER_DEPTH {
                    return Err(FolderError::TooDeep { path });
                }
                stack.push((path, rel_path, depth + 1));
            } else if ft.is_file() {
                check_path(&rel_path).map_err(|problem| FolderError::Path {
                    path: rel_path.clone(),
                    problem,
                })?;
                if files.len() >= BUNDLE_MAX_FILES {
                    return Err(FolderError::TooManyFiles {
                        root: root.to_path_buf(),
                    });
                }
                files.push(SourceFile {
                    path: rel_path,
                    source: path,
                    size: meta.len(),
                    executable: meta.permissions().mode() & 0o100 != 0,
                });
            } else {
                return Err(FolderError::Special { path });
            }
        }
    }
    files.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    let mut seen = CollisionCheck::new();
    for f in &files {
        seen.insert(&f.path)
            .map_err(|(other, kind)| FolderError::Collision {
                path: f.path.clone(),
                other,
                kind,
            })?;
    }
    Ok(files)
}

/// Hashes every file in parallel (`threads` 0: one per core). Sizes are taken from the hashing
/// pass, which is what the manifest will declare.
pub fn hash_sources(
    files: Vec<SourceFile>,
    threads: usize,
) -> Result<Vec<HashedFile>, FolderError> {
    hash_sources_known(files, threads, &std::collections::BTreeMap::new())
}

/// [`hash_sources`], taking the digest of each file whose release path is in `known` from there
/// instead of reading it (a remote file of which only the headers were fetched, whose SHA-256
/// the Hub lists).
pub fn hash_sources_known(
    files: Vec<SourceFile>,
    threads: usize,
    known: &std::collections::BTreeMap<String, Sha256Digest>,
) -> Result<Vec<HashedFile>, FolderError> {
    let to_hash: Vec<PathBuf> = files
        .iter()
        .filter(|f| !known.contains_key(&f.path))
        .map(|f| f.source.clone())
        .collect();
    let mut digests = hash_files(&to_hash, threads)?.into_iter();
    let mut hashed = Vec::with_capacity(files.len());
    for mut file in files {
        let sha256 = match known.get(&file.path) {
            Some(d) => *d,
            None => {
                let Some(d) = digests.next() else { break };
                file.size = d.size;
                d.sha256
            }
        };
        hashed.push(HashedFile { file, sha256 });
    }
    Ok(hashed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn walks_sorted_with_exec_bits() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/c")).unwrap();
        fs::create_dir_all(root.join("empty")).unwrap();
        fs::write(root.join("b/c/z.txt"), "z").unwrap();
        fs::write(root.join("C.txt"), "C").unwrap();
        fs::write(root.join("a.txt"), "a").unwrap();
        fs::write(root.join("b.txt"), "bb").unwrap();
        fs::write(root.join("run.sh"), "#!/bin/sh").unwrap();
        fs::set_permissions(root.join("run.sh"), fs::Permissions::from_mode(0o700)).unwrap();
        let files = collect_files(root).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["C.txt", "a.txt", "b.txt", "b/c/z.txt", "run.sh"]);
        assert!(files[4].executable);
        assert!(!files[0].executable);

        let hashed = hash_sources(files, 2).unwrap();
        assert_eq!(hashed[2].file.size, 2);
        assert_eq!(hashed[2].sha256, Sha256Digest::of(b"bb"));
        assert_eq!(hashed[2].expected().path, "b.txt");
    }

    #[test]
    fn follows_links_inside_the_release_and_refuses_the_rest_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("rel");
        fs::create_dir(&root).unwrap();
        fs::write(root.join("a.txt"), "a").unwrap();
        symlink("a.txt", root.join("link")).unwrap();
        let files = collect_files(&root).unwrap();
        assert_eq!(files[1].path, "link");
        assert_eq!(files[1].size, 1);

        fs::write(dir.path().join("secret"), "s").unwrap();
        symlink("../secret", root.join("escape")).unwrap();
        let err = collect_files(&root).unwrap_err();
        assert!(
            matches!(&err, FolderError::SymlinkOutside { path, .. } if path.ends_with("escape")),
            "{err}"
        );
        fs::remove_file(root.join("escape")).unwrap();

        symlink("missing", root.join("broken")).unwrap();
        let err = collect_files(&root).unwrap_err();
        assert!(err.to_string().contains("broken symbolic link"), "{err}");
        fs::remove_file(root.join("broken")).unwrap();
        symlink(".", root.join("folder-link")).unwrap();
        assert!(matches!(
            collect_files(&root),
            Err(FolderError::Symlink { .. })
        ));
        fs::remove_file(root.join("folder-link")).unwrap();
    }

    #[test]
    fn a_cache_snapshot_packs_its_blobs() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("models--org--name");
        let snap = repo.join("snapshots").join("0123");
        fs::create_dir_all(&snap).unwrap();
        fs::create_dir_all(repo.join("blobs")).unwrap();
        fs::write(repo.join("blobs").join("abc"), "weights").unwrap();
        symlink("../../blobs/abc", snap.join("model.safetensors")).unwrap();
        let files = collect_files(&snap).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "model.safetensors");
        assert_eq!(files[0].size, 7);
    }

    #[test]
    fn refuses_bad_names() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.txt"), "a").unwrap();

        fs::write(root.join("a:b"), "x").unwrap();
        assert!(matches!(
            collect_files(root),
            Err(FolderError::Path {
                problem: PathProblem::NotPortable { .. },
                ..
            })
        ));
        fs::remove_file(root.join("a:b")).unwrap();

        fs::write(root.join("A.TXT"), "x").unwrap();
        assert!(matches!(
            collect_files(root),
            Err(FolderError::Collision {
                kind: CollisionKind::Case,
                ..
            })
        ));
        fs::remove_file(root.join("A.TXT")).unwrap();

        fs::create_dir(root.join(".openseal")).unwrap();
        fs::write(root.join(".openseal/manifest.json"), "{}").unwrap();
        assert!(matches!(
            collect_files(root),
            Err(FolderError::Path {
                problem: PathProblem::Reserved,
                ..
            })
        ));
    }

    #[test]
    fn refuses_fifos() {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join("pipe"))
            .status();
        if status.is_ok_and(|s| s.success()) {
            assert!(matches!(
                collect_files(dir.path()),
                Err(FolderError::Special { .. })
            ));
        }
    }
}

//! The files of a model folder as `model_signing` serialises it (`method: files`): every regular
//! file below the folder, by `/`-separated relative path, except the ignored paths (an ignored
//! path also ignores everything below it). A symbolic link, a device, a FIFO or a socket is an
//! error, as in `model_signing` with `allow_symlinks: false`; so is a name that is not UTF-8.

use std::fs;
use std::path::{Path, PathBuf};

use super::OmsError;
use crate::limits::{MAX_FOLDER_DEPTH, MAX_FOLDER_FILES};

/// The paths `model_signing` ignores by default (top level only), besides the signature file.
pub const DEFAULT_IGNORES: [&str; 4] = [".git", ".gitattributes", ".github", ".gitignore"];

/// Whether `path` is one of `ignores` or below one of them (component-wise, as Python's
/// `Path.is_relative_to`).
pub(crate) fn is_ignored(path: &str, ignores: &[String]) -> bool {
    ignores.iter().any(|i| {
        let i = i.trim_end_matches('/');
        path == i || (path.starts_with(i) && path.as_bytes().get(i.len()) == Some(&b'/'))
    })
}

/// Every file under `root` that `ignores` leaves, sorted bytewise (Unicode code point order, as
/// the OMS specification asks), with its path on disk.
pub(crate) fn list_files(
    root: &Path,
    ignores: &[String],
) -> Result<Vec<(String, PathBuf)>, OmsError> {
    let mut out = Vec::new();
    walk(root, "", 0, ignores, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    ignores: &[String],
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), OmsError> {
    if depth > MAX_FOLDER_DEPTH {
        return Err(OmsError::Folder {
            path: dir.to_path_buf(),
            reason: format!("nested deeper than {MAX_FOLDER_DEPTH} folders"),
        });
    }
    let io = |path: &Path, e: std::io::Error| OmsError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    for entry in fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            return Err(OmsError::Folder {
                path,
                reason: "file name is not UTF-8".into(),
            });
        };
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if is_ignored(&rel, ignores) {
            continue;
        }
        let kind = entry.file_type().map_err(|e| io(&path, e))?;
        if kind.is_symlink() {
            return Err(OmsError::Folder {
                path,
                reason: "a symbolic link; OMS signatures cover regular files only \
                         (allow_symlinks is false)"
                    .into(),
            });
        } else if kind.is_dir() {
            walk(&path, &rel, depth + 1, ignores, out)?;
        } else if kind.is_file() {
            if out.len() >= MAX_FOLDER_FILES {
                return Err(OmsError::Folder {
                    path: dir.to_path_buf(),
                    reason: format!("more than {MAX_FOLDER_FILES} files"),
                });
            }
            out.push((rel, path));
        } else {
            return Err(OmsError::Folder {
                path,
                reason: "not a regular file (device, FIFO or socket)".into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignoring_is_by_whole_components() {
        let ignores = vec![
            ".git".to_string(),
            "model.sig".to_string(),
            "a/b/".to_string(),
        ];
        assert!(is_ignored(".git", &ignores));
        assert!(is_ignored(".git/config", &ignores));
        assert!(!is_ignored(".gitignore2", &ignores));
        assert!(!is_ignored(".github", &ignores));
        assert!(is_ignored("model.sig", &ignores));
        assert!(!is_ignored("sub/model.sig", &ignores));
        assert!(is_ignored("a/b/c", &ignores));
        assert!(!is_ignored("a/bc", &ignores));
    }

    #[test]
    fn lists_sorted_and_refuses_links() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/z")).unwrap();
        fs::create_dir_all(dir.path().join(".git")).unwrap();
        fs::write(dir.path().join("a/z/f"), "1").unwrap();
        fs::write(dir.path().join("a.b"), "2").unwrap();
        fs::write(dir.path().join(".git/HEAD"), "3").unwrap();
        let ignores: Vec<String> = DEFAULT_IGNORES.iter().map(|s| s.to_string()).collect();
        let files: Vec<String> = list_files(dir.path(), &ignores)
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        // Code point order: "a.b" < "a/z/f" because '.' < '/'.
        assert_eq!(files, ["a.b", "a/z/f"]);
        std::os::unix::fs::symlink("a.b", dir.path().join("link")).unwrap();
        let err = list_files(dir.path(), &ignores).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
    }
}

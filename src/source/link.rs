//! Symbolic links in a release folder. The Hugging Face cache stores a snapshot as links into
//! the repository's `blobs/` (`snapshots/REV/model.safetensors -> ../../blobs/SHA256`), so a
//! link to a regular file is followed; where it may point is the caller's rule.

use std::fs::Metadata;
use std::io;
use std::path::{Path, PathBuf};

/// What a symbolic link resolves to.
#[derive(Debug)]
pub enum LinkTarget {
    /// A regular file: its canonical path and metadata.
    File { target: PathBuf, meta: Metadata },
    /// A folder (not followed: a walk stays inside its own tree).
    Folder(PathBuf),
    /// Nothing: the target does not exist.
    Broken,
    /// The link resolves to itself through other links.
    Loop,
    /// A named pipe, device or socket.
    Special(PathBuf),
    /// It could not be resolved for another reason.
    Error(io::Error),
}

impl LinkTarget {
    /// Why a walk does not follow this link, in words (`None` for a regular file).
    pub fn refusal(&self) -> Option<String> {
        match self {
            LinkTarget::File { .. } => None,
            LinkTarget::Folder(t) => Some(format!(
                "symbolic link to a folder ({}), not followed",
                t.display()
            )),
            LinkTarget::Broken => Some("broken symbolic link (its target does not exist)".into()),
            LinkTarget::Loop => Some("symbolic link loop".into()),
            LinkTarget::Special(t) => Some(format!(
                "symbolic link to something that is not a regular file ({})",
                t.display()
            )),
            LinkTarget::Error(e) => Some(format!("symbolic link that cannot be resolved: {e}")),
        }
    }
}

/// Resolves the symbolic link at `path` (through any chain of links).
pub fn resolve(path: &Path) -> LinkTarget {
    let target = match path.canonicalize() {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return LinkTarget::Broken,
        // ELOOP: too many levels of symbolic links.
        Err(e) if e.raw_os_error() == Some(40) => return LinkTarget::Loop,
        Err(e) => return LinkTarget::Error(e),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() => LinkTarget::File { target, meta },
        Ok(meta) if meta.is_dir() => LinkTarget::Folder(target),
        Ok(_) => LinkTarget::Special(target),
        Err(e) => LinkTarget::Error(e),
    }
}

/// The `blobs/` folder of the Hugging Face cache repository whose snapshot `root` is (or is
/// inside): `.../models--ORG--NAME/snapshots/REV[/SUB]` gives `.../models--ORG--NAME/blobs`.
pub fn cache_blobs(root: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let mut dir = root.as_path();
    loop {
        let parent = dir.parent()?;
        if parent.file_name()? == "snapshots" {
            let repo = parent.parent()?;
            let name = repo.file_name()?.to_str()?;
            let is_repo = ["models--", "datasets--", "spaces--"]
                .iter()
                .any(|p| name.starts_with(p));
            return is_repo.then(|| repo.join("blobs"));
        }
        dir = parent;
    }
}

/// Where the links of a release folder may lead: the folder itself, or the blobs of the cache
/// repository it is a snapshot of. Resolved once per walk.
#[derive(Debug, Clone)]
pub struct ReleaseBounds {
    root: Option<PathBuf>,
    blobs: Option<PathBuf>,
}

impl ReleaseBounds {
    /// The bounds of the release folder `root`.
    pub fn of(root: &Path) -> ReleaseBounds {
        ReleaseBounds {
            root: root.canonicalize().ok(),
            blobs: cache_blobs(root),
        }
    }

    /// Whether the canonical path `target` lies within them.
    pub fn contain(&self, target: &Path) -> bool {
        [&self.root, &self.blobs]
            .into_iter()
            .flatten()
            .any(|bound| target.starts_with(bound))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn resolves_files_folders_broken_links_and_loops() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("f"), b"x").unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        symlink("f", d.join("to-file")).unwrap();
        symlink("sub", d.join("to-folder")).unwrap();
        symlink("missing", d.join("broken")).unwrap();
        symlink("loop-b", d.join("loop-a")).unwrap();
        symlink("loop-a", d.join("loop-b")).unwrap();
        assert!(matches!(
            resolve(&d.join("to-file")),
            LinkTarget::File { .. }
        ));
        assert!(matches!(
            resolve(&d.join("to-folder")),
            LinkTarget::Folder(_)
        ));
        assert!(matches!(resolve(&d.join("broken")), LinkTarget::Broken));
        assert!(matches!(resolve(&d.join("loop-a")), LinkTarget::Loop));
        assert!(
            resolve(&d.join("loop-a"))
                .refusal()
                .unwrap()
                .contains("loop")
        );
    }

    #[test]
    fn a_cache_snapshot_may_point_into_its_own_blobs_only() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("models--org--name");
        let snap = repo.join("snapshots").join("abc");
        std::fs::create_dir_all(snap.join("sub")).unwrap();
        std::fs::create_dir_all(repo.join("blobs")).unwrap();
        std::fs::write(repo.join("blobs").join("sha"), b"x").unwrap();
        std::fs::write(dir.path().join("outside"), b"x").unwrap();
        let blobs = repo.join("blobs").canonicalize().unwrap();
        assert_eq!(cache_blobs(&snap), Some(blobs.clone()));
        assert_eq!(cache_blobs(&snap.join("sub")), Some(blobs.clone()));
        assert_eq!(cache_blobs(dir.path()), None);
        let bounds = ReleaseBounds::of(&snap);
        assert!(bounds.contain(&blobs.join("sha")));
        let outside = dir.path().join("outside").canonicalize().unwrap();
        assert!(!bounds.contain(&outside));
    }
}

//! Putting a finished bundle or unpacked tree in place: a temporary name beside the target (same
//! file system, so the final rename is atomic), then a move that never replaces anything.
//!
//! `rename(2)` replaces an existing file, or an existing empty folder, under the new name, so a
//! check-then-rename leaves a window in which a name created meanwhile is silently replaced.
//! `renameat2(RENAME_NOREPLACE)` (through rustix's safe wrapper) fails atomically instead. File
//! systems that do not support the flag get the check-then-rename, the best they allow.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rustix::fs::{CWD, RenameFlags, renameat_with};
use rustix::io::Errno;

/// `.NAME.openseal-PID-NANOS.tmp` in `target`'s folder: hidden, unique per process and moment,
/// and on the same file system as `target`. `fallback` names it when `target` has no file name.
pub fn temp_path_beside(target: &Path, fallback: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| fallback.into(), |n| n.to_string_lossy().into_owned());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let temp = format!(".{name}.openseal-{}-{nanos}.tmp", std::process::id());
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(temp),
        _ => PathBuf::from(temp),
    }
}

/// Renames `from` to `to`, failing with `ErrorKind::AlreadyExists` if `to` exists (as any kind
/// of file, an empty folder included).
pub fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        // Not supported by this kernel or file system.
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {
            if std::fs::symlink_metadata(to).is_ok() {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            std::fs::rename(from, to)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::rename_no_replace;
    use std::io::ErrorKind;

    #[test]
    fn renames_a_folder_to_a_free_name() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&from).unwrap();
        std::fs::write(from.join("f"), b"x").unwrap();
        rename_no_replace(&from, &to).unwrap();
        assert_eq!(std::fs::read(to.join("f")).unwrap(), b"x");
        assert!(!from.exists());
    }

    #[test]
    fn never_replaces_an_empty_folder_which_plain_rename_would() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&from).unwrap();
        std::fs::create_dir(&to).unwrap();
        let err = rename_no_replace(&from, &to).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadyExists);
        assert!(from.is_dir() && to.is_dir());
    }

    #[test]
    fn never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("new"), dir.path().join("old"));
        std::fs::write(&from, b"new").unwrap();
        std::fs::write(&to, b"old").unwrap();
        let err = rename_no_replace(&from, &to).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&to).unwrap(), b"old");
        assert_eq!(std::fs::read(&from).unwrap(), b"new");
    }
}

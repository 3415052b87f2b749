//! Opening input files without ever blocking on, or reading from, something that is not a file.
//!
//! `File::open` on a named pipe waits for a writer forever, and a device such as `/dev/zero`
//! reports size 0 and never ends. A path from a user or from a release folder may name either
//! (directly or through a symlink), so every input is opened non-blocking and refused unless
//! the opened handle is a regular file. Checking the handle (not the path) leaves no window for
//! the path to be swapped between the check and the read.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Opens `path` for reading if it is a regular file (after following symlinks); any other kind
/// of file gives an `InvalidInput` error naming what it is. Never blocks on a FIFO.
pub fn open(path: &Path) -> io::Result<File> {
    // O_NONBLOCK makes opening a FIFO return at once; reads of regular files ignore the flag.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let kind = file.metadata()?.file_type();
    if kind.is_file() {
        return Ok(file);
    }
    let what = if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{what}, not a regular file: openseal reads only regular files"),
    ))
}

/// A capped read that failed.
#[derive(Debug, thiserror::Error)]
pub enum CappedReadError {
    #[error(transparent)]
    Io(#[from] io::Error),
    /// `size` is the size the file system reports, or `max + 1` when the file grew past `max`
    /// while being read.
    #[error("{size} bytes is more than the {max}-byte limit for this kind of file")]
    TooLarge { size: u64, max: u64 },
}

/// Reads a small untrusted file whole, refusing it when it holds more than `max` bytes. The
/// one capped reader of whole files: the size the file system reports refuses a large file
/// unread, and the read stops one byte past `max` whatever it reported (a growing file).
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, CappedReadError> {
    let file = open(path)?;
    let size = file.metadata()?.len();
    if size > max {
        return Err(CappedReadError::TooLarge { size, max });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(CappedReadError::TooLarge { size: max + 1, max });
    }
    Ok(bytes)
}

/// [`read_capped`] for text: bytes that are not UTF-8 are an `InvalidData` error.
pub fn read_capped_text(path: &Path, max: u64) -> Result<String, CappedReadError> {
    String::from_utf8(read_capped(path, max)?).map_err(|_| {
        CappedReadError::Io(io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
    })
}

#[cfg(test)]
mod tests {
    use super::{CappedReadError, open, read_capped, read_capped_text};
    use std::io::{ErrorKind, Read};
    use std::path::Path;

    fn refusal(path: &Path) -> String {
        let err = open(path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{path:?}: {err}");
        err.to_string()
    }

    #[test]
    fn capped_reads_refuse_what_is_over_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_capped(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            read_capped(&path, 4),
            Err(CappedReadError::TooLarge { size: 5, max: 4 })
        ));
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(
            read_capped_text(&path, 10),
            Err(CappedReadError::Io(e)) if e.kind() == ErrorKind::InvalidData
        ));
        assert!(read_capped(Path::new("/dev/zero"), 10).is_err());
    }

    #[test]
    fn a_regular_file_opens_and_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, b"hello").unwrap();
        let mut text = String::new();
        open(&path).unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "hello");
    }

    #[test]
    fn a_symlink_to_a_regular_file_opens() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"x").unwrap();
        std::os::unix::fs::symlink("f", dir.path().join("link")).unwrap();
        assert!(open(&dir.path().join("link")).is_ok());
    }

    #[test]
    fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(refusal(&fifo).starts_with("a named pipe"));
    }

    #[test]
    fn devices_and_directories_are_refused() {
        assert!(refusal(Path::new("/dev/zero")).starts_with("a device"));
        assert!(refusal(Path::new("/dev/null")).starts_with("a device"));
        let dir = tempfile::tempdir().unwrap();
        assert!(refusal(dir.path()).starts_with("a directory"));
    }

    #[test]
    fn a_missing_file_keeps_its_not_found_error() {
        let err = open(Path::new("/nonexistent/openseal-test")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
    }
}

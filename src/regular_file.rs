//! Opening input files without ever blocking on, or reading from, something that is not a file.
//!
//! `File::open` on a named pipe waits for a writer forever, and a device such as `/dev/zero`
//! reports size 0 and never ends. A path from a user or from a release folder may name either
//! (directly or through a symlink), so every input is opened non-blocking and refused unless
//! the opened handle is a regular file. Checking the handle (not the path) leaves no window for
//! the path to be swapped between the check and the read.

use std::fs::{File, OpenOptions};
use std::io;
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

#[cfg(test)]
mod tests {
    use super::open;
    use std::io::{ErrorKind, Read};
    use std::path::Path;

    fn refusal(path: &Path) -> String {
        let err = open(path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{path:?}: {err}");
        err.to_string()
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

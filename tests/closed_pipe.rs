//! A reader that stops early (`openseal ... | head`) ends openseal quietly with exit 0; any
//! other failure to write standard output is exit 2 with a message.

use std::io::Read;
use std::process::{Command, Output, Stdio};

fn openseal(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_openseal"));
    c.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// `--kv` prints the whole token list: about 680 KB, ten times what a pipe holds, so openseal
/// is still writing when the reader leaves.
const LONG: &[&str] = &[
    "inspect",
    "--kv",
    "testdata/real/gguf/ggml-vocab-llama-spm.gguf",
];

#[test]
fn the_long_output_outgrows_a_pipe() {
    let o = openseal(LONG).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.len() > 8 * 64 * 1024, "{} bytes", o.stdout.len());
}

#[test]
fn a_reader_that_stops_after_a_few_bytes_ends_it_quietly() {
    let mut child = openseal(LONG)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is closed here, while openseal waits for room in the pipe.
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn a_pipe_closed_before_it_starts_ends_it_quietly() {
    // Small outputs fail at the final flush, larger ones while the command still writes.
    for args in [
        &["man"][..],
        &["completions", "bash"],
        &["inspect", "--json", "testdata/example-model"],
        LONG,
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = openseal(args).stdout(writer).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

#[test]
fn a_full_disk_is_an_error() {
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = openseal(&["inspect", "testdata/example-model"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write to standard output"),
        "{}",
        stderr(&o)
    );
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

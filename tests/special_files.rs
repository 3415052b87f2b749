//! Paths naming a named pipe or a device are refused at once with exit 2, never waited on
//! (opening a FIFO for reading blocks until a writer appears) and never read (`/dev/zero` ends
//! nowhere).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs openseal, killing it (and failing the test) if it is still running after 30 seconds.
fn openseal_bounded(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return (status.code(), err);
        }
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("openseal {args:?} still running after 30 s: it waited on a special file");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {path:?}");
}

#[test]
fn inspect_and_verify_refuse_a_named_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("model.safetensors");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap();
    for args in [
        vec!["inspect", fifo],
        vec!["verify", "--trust", "keys/demo.pub", fifo],
        vec![
            "verify",
            "--trust",
            fifo,
            "testdata/bundles/ok-minimal.tar.zst",
        ],
    ] {
        let (code, err) = openseal_bounded(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("named pipe"), "{args:?}: {err}");
    }
}

#[test]
fn inspect_refuses_a_device() {
    let (code, err) = openseal_bounded(&["inspect", "/dev/zero"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("a device"), "{err}");
}

#[test]
fn a_folder_holding_a_pipe_and_a_link_to_it_is_inspected_without_opening_either() {
    // A release folder may hold anything: the walk names special files and symlinks as
    // skipped instead of opening them (config.json is read by name, so it matters most).
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "testdata/example-model/model.safetensors",
        dir.path().join("model.safetensors"),
    )
    .unwrap();
    mkfifo(&dir.path().join("pipe"));
    std::os::unix::fs::symlink("pipe", dir.path().join("config.json")).unwrap();
    for command in ["inspect", "classify"] {
        let (code, err) = openseal_bounded(&[command, dir.path().to_str().unwrap()]);
        assert_eq!(code, Some(0), "{command}: {err}");
    }
}

//! Running the binary from the repository root, and the example release packed with the demo
//! key: what the OCI tests (export, push, pull) start from.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use openseal::signature::{demo_signing_key, write_private_key};

/// The demo key's public half, relative to the repository root.
pub const TRUST: &str = "keys/demo.pub";

/// The repository root (tests run the binary there).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path as the `&str` a command line takes.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `openseal ARGS` in the repository root.
pub fn openseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The example release packed with the demo key into `dir/example.tar.zst`.
pub fn pack_example(dir: &Path) -> PathBuf {
    let key = dir.join("demo.key");
    write_private_key(&key, &demo_signing_key()).unwrap();
    let bundle = dir.join("example.tar.zst");
    let release = root().join("testdata/example-model");
    let o = openseal(&["pack", s(&release), "-o", s(&bundle), "--key", s(&key)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    bundle
}

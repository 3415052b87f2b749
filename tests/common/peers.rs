//! The Python peers (`model_signing`, CycloneDX and SPDX 3 validators) that `.ci/peers.sh`
//! installs into `target/peers-venv`.

use std::path::PathBuf;

/// The peers' virtual environment (`OPENSEAL_PEERS_VENV`, else `target/peers-venv`), or `None`
/// when it is missing outside CI, so the calling test skips. Under CI (`CI` set) a missing
/// environment fails the test: a green run must not hide an install step.
pub fn venv() -> Option<PathBuf> {
    let venv = std::env::var_os("OPENSEAL_PEERS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/peers-venv"));
    if venv.join("bin/python").exists() {
        return Some(venv);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{}: the Python peers are missing under CI (run .ci/peers.sh)",
        venv.display()
    );
    eprintln!(
        "skipped: {} missing (run .ci/peers.sh to install the Python peers)",
        venv.display()
    );
    None
}

/// A program of the peers' environment (`bin/NAME`).
pub fn program(venv: &std::path::Path, name: &str) -> PathBuf {
    venv.join("bin").join(name)
}

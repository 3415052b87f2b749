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

/// Runs a validator; `Err` with its whole output when it rejects (or fails to run).
fn run_validator(mut cmd: std::process::Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} exited with {}:\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// `cyclonedx-python-lib`'s strict JSON Schema validator for CycloneDX 1.6 (offline: the
/// schemas are part of the package) on each of `files`.
pub fn validate_cyclonedx(venv: &std::path::Path, files: &[PathBuf]) -> Result<(), String> {
    const SCRIPT: &str = "\
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
validator = JsonStrictValidator(SchemaVersion.V1_6)
bad = 0
for name in sys.argv[1:]:
    with open(name, encoding='utf-8') as f:
        error = validator.validate_str(f.read())
    if error is not None:
        bad += 1
        print(f'{name}: {error!r}')
sys.exit(1 if bad else 0)
";
    let mut cmd = std::process::Command::new(program(venv, "python"));
    cmd.arg("-c").arg(SCRIPT).args(files);
    run_validator(cmd)
}

/// `spdx3-validate` (JSON Schema and SHACL) on `files`, with the SPDX 3.0.1 schema, context and
/// model served from `testdata/spdx-3.0.1/` and every other URL refused.
pub fn validate_spdx(venv: &std::path::Path, files: &[PathBuf]) -> Result<(), String> {
    let mut cmd = std::process::Command::new(program(venv, "python"));
    cmd.arg(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/spdx-3.0.1/validate_offline.py"),
    )
    .args(files);
    run_validator(cmd)
}

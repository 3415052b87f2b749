//! OpenSSF Model Signing against the real verifier: `model_signing` 1.1.x (PyPI, installed by
//! `.ci/peers.sh`) accepts what `openseal sign` and `pack` write, openseal accepts what
//! `model_signing sign key` writes, and both refuse the same tampering. Skipped outside CI when
//! the peers are missing; under CI a missing peer fails.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn openseal(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn model_signing(venv: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(common::peers::program(venv, "model_signing"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A small model folder: weights, a config in a subfolder, and a `.git` both tools ignore.
fn model(at: &Path) -> PathBuf {
    let m = at.join("model");
    fs::create_dir_all(m.join("sub")).unwrap();
    fs::create_dir_all(m.join(".git")).unwrap();
    fs::write(m.join("model.safetensors"), vec![7u8; 100_000]).unwrap();
    fs::write(m.join("sub/config.json"), b"{\"a\": 1}").unwrap();
    fs::write(m.join("a.b"), b"sorted before a/").unwrap();
    fs::write(m.join(".git/HEAD"), b"ref: main").unwrap();
    m
}

fn ms_verify(venv: &Path, dir: &Path, public: &str) -> Output {
    model_signing(
        venv,
        dir,
        &[
            "verify",
            "key",
            "model",
            "--signature",
            "model/model.sig",
            "--public_key",
            public,
        ],
    )
}

fn os_verify(dir: &Path, public: &str) -> Output {
    openseal(dir, &["verify", "model", "--oms", "--trust", public])
}

/// A change to a signed folder, by name.
type Tampering = (&'static str, fn(&Path));

/// Each tampering, applied to a fresh copy of a signed folder: both tools must refuse it.
fn tamperings() -> Vec<Tampering> {
    vec![
        ("one byte changed", |m| {
            let p = m.join("model.safetensors");
            let mut b = fs::read(&p).unwrap();
            b[50_000] ^= 1;
            fs::write(p, b).unwrap();
        }),
        ("a file added", |m| {
            fs::write(m.join("extra.bin"), b"x").unwrap()
        }),
        ("a file removed", |m| {
            fs::remove_file(m.join("sub/config.json")).unwrap()
        }),
    ]
}

/// Applies each tampering to a fresh copy of the signed folder in `d`: both verifiers refuse it.
fn both_refuse_each_tampering(venv: &Path, d: &Path, case: &str) {
    for (what, tamper) in tamperings() {
        let copy = tempfile::tempdir().unwrap();
        common::copy_dir(d, copy.path());
        tamper(&copy.path().join("model"));
        let ms = ms_verify(venv, copy.path(), "k.pub");
        assert!(
            !ms.status.success(),
            "{case}, {what}: model_signing accepted"
        );
        let os = os_verify(copy.path(), "k.pub");
        assert_eq!(os.status.code(), Some(1), "{case}, {what}: {}", text(&os));
    }
}

#[test]
fn model_signing_accepts_what_openseal_signs_and_both_refuse_tampering() {
    let Some(venv) = common::peers::venv() else {
        return;
    };
    for curve in ["p256", "p384"] {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        model(d);
        let k = openseal(d, &["keygen", "-o", "k", "--algorithm", curve]);
        assert!(k.status.success(), "{}", text(&k));
        let s = openseal(d, &["sign", "model", "--key", "k.key"]);
        assert!(s.status.success(), "{}", text(&s));
        let ok = ms_verify(&venv, d, "k.pub");
        assert!(ok.status.success(), "{curve}: model_signing: {}", text(&ok));
        let ok = os_verify(d, "k.pub");
        assert!(ok.status.success(), "{curve}: {}", text(&ok));

        both_refuse_each_tampering(&venv, d, curve);

        // A key that did not sign: both refuse.
        let w = openseal(d, &["keygen", "-o", "wrong", "--algorithm", curve]);
        assert!(w.status.success());
        assert!(!ms_verify(&venv, d, "wrong.pub").status.success());
        let os = os_verify(d, "wrong.pub");
        assert_eq!(os.status.code(), Some(1), "{}", text(&os));
        assert!(
            text(&os).contains("not signed by a trusted key"),
            "{}",
            text(&os)
        );
    }
}

#[test]
fn openseal_accepts_what_model_signing_signs() {
    let Some(venv) = common::peers::venv() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    model(d);
    // A key made by openseal (PKCS#8) signs with model_signing too.
    let k = openseal(d, &["keygen", "-o", "k", "--algorithm", "p256"]);
    assert!(k.status.success());
    let s = model_signing(
        &venv,
        d,
        &[
            "sign",
            "key",
            "model",
            "--private_key",
            "k.key",
            "--signature",
            "model/model.sig",
        ],
    );
    assert!(s.status.success(), "model_signing sign: {}", text(&s));
    let ok = os_verify(d, "k.pub");
    assert!(ok.status.success(), "{}", text(&ok));

    both_refuse_each_tampering(&venv, d, "model_signing's signature");

    // --ignore-unsigned accepts an added file, as model_signing's --ignore_unsigned_files does.
    fs::write(d.join("model/notes.txt"), b"n").unwrap();
    let os = openseal(
        d,
        &[
            "verify",
            "model",
            "--oms",
            "--trust",
            "k.pub",
            "--ignore-unsigned",
        ],
    );
    assert!(os.status.success(), "{}", text(&os));
    assert!(text(&os).contains("notes.txt"), "{}", text(&os));
}

#[test]
fn a_bundle_packed_with_an_ecdsa_key_unpacks_to_a_folder_model_signing_accepts() {
    let Some(venv) = common::peers::venv() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example-model");
    assert!(
        openseal(d, &["keygen", "-o", "k", "--algorithm", "p256"])
            .status
            .success()
    );
    let p = openseal(
        d,
        &[
            "pack",
            example.to_str().unwrap(),
            "-o",
            "b.tar.zst",
            "--key",
            "k.key",
        ],
    );
    assert!(p.status.success(), "{}", text(&p));
    assert!(text(&p).contains("model.sig"), "{}", text(&p));
    let u = openseal(
        d,
        &["unpack", "b.tar.zst", "-C", "model", "--trust", "k.pub"],
    );
    assert!(u.status.success(), "{}", text(&u));
    let ok = ms_verify(&venv, d, "k.pub");
    assert!(ok.status.success(), "model_signing: {}", text(&ok));
    assert!(os_verify(d, "k.pub").status.success());
}

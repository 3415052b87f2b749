//! End-to-end tests of keygen, pack, verify, unpack and demo: exit codes, messages that name
//! what failed and where, reproducibility, declarations re-derived from the contents.

use openseal::manifest::Manifest;
use openseal::signature::{demo_signing_key, sign_manifest};
use openseal::source::{collect_files, hash_sources};
use openseal::write::{BundleWriter, WriteOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn openseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A key pair in `dir`: (private, public).
fn keygen(dir: &Path) -> (PathBuf, PathBuf) {
    let name = dir.join("producer");
    let o = openseal(&["keygen", "-o", s(&name)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (dir.join("producer.key"), dir.join("producer.pub"))
}

/// Pack and require success (exit 0), showing openseal's stderr otherwise.
fn pack_ok(release: &str, out: &Path, key: &Path, extra: &[&str]) -> Output {
    let o = pack(release, out, key, extra);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn pack(release: &str, out: &Path, key: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["pack", release, "-o", s(out), "--key", s(key)];
    args.extend_from_slice(extra);
    openseal(&args)
}

#[test]
fn keygen_writes_a_private_key_only_its_owner_reads_and_refuses_to_overwrite() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let (private, public) = keygen(tmp.path());
    assert_eq!(
        std::fs::metadata(&private).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        std::fs::read_to_string(&public)
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let again = openseal(&["keygen", "-o", s(&tmp.path().join("producer"))]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn pack_verify_unpack_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, public) = keygen(tmp.path());
    let bundle = tmp.path().join("r.tar.zst");
    let o = pack_ok(
        "testdata/releases/mof-class-i",
        &bundle,
        &key,
        &["--require", "mof:class-i", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "openseal.pack/v1");
    assert!(
        v["declarations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["framework"] == "mof" && d["level"] == "class-i")
    );

    let o = openseal(&["verify", s(&bundle), "--trust", s(&public), "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verified"], true);
    // The release's 19 files and the bill of materials pack adds.
    assert_eq!(v["files"], 20);

    let out = tmp.path().join("unpacked");
    let o = openseal(&["unpack", s(&bundle), "-C", s(&out), "--trust", s(&public)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in [
        "model.safetensors",
        "data/train.jsonl",
        "paper/tiny-lm-paper.pdf",
        "openseal.toml",
    ] {
        let a = std::fs::read(out.join(f)).unwrap();
        let b = std::fs::read(root().join("testdata/releases/mof-class-i").join(f)).unwrap();
        assert_eq!(a, b, "{f}");
    }
    // The bundle is a plain tar.zst: its manifest is the first entry.
    let m: Manifest = Manifest::from_bytes(&manifest_of(&bundle)).unwrap();
    assert_eq!(m.files.len(), 20);
    // The bill of materials is listed as pack's, and unpacked with the rest.
    let bom = m.files.iter().find(|f| f.generated_by_pack()).unwrap();
    let text = std::fs::read_to_string(out.join("bom.cdx.json")).unwrap();
    assert!(text.contains("\"specVersion\": \"1.6\""), "{bom:?}");

    // --only weights extracts weights and licence texts.
    let only = tmp.path().join("weights-only");
    let o = openseal(&[
        "unpack",
        s(&bundle),
        "-C",
        s(&only),
        "--trust",
        s(&public),
        "--only",
        "weights",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(only.join("model.safetensors").is_file());
    assert!(only.join("LICENSE-DATA").is_file());
    assert!(!only.join("train.py").exists());

    // Unpacking onto an existing folder is refused (exit 2) and leaves it untouched.
    let o = openseal(&["unpack", s(&bundle), "-C", s(&out), "--trust", s(&public)]);
    assert_eq!(o.status.code(), Some(2));
}

/// A bundle of `release`'s files under `manifest`, validly signed with the demo key: what a
/// producer who lies in the manifest would publish.
fn write_signed(out: &Path, manifest: &Manifest, release: &Path) {
    let bytes = manifest.to_bytes();
    let sig = sign_manifest(&bytes, &demo_signing_key());
    let mut w = BundleWriter::create(out, &WriteOptions::default(), &bytes, &sig).unwrap();
    for f in hash_sources(collect_files(release).unwrap(), 1).unwrap() {
        w.append_file(&f).unwrap();
    }
    w.finish().unwrap();
}

fn manifest_of(bundle: &Path) -> Vec<u8> {
    let (head, _) = openseal::bundle::BundleReader::open(bundle)
        .unwrap()
        .read_head()
        .unwrap();
    head.manifest
}

#[test]
fn pack_refuses_an_unmet_requirement_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, _) = keygen(tmp.path());
    let bundle = tmp.path().join("r.tar.zst");
    let o = pack(
        "testdata/releases/mof-class-ii",
        &bundle,
        &key,
        &["--require", "mof:class-i"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("datasets.pre-training (absent)"), "{err}");
    assert!(!bundle.exists());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        2,
        "no temporary file left behind"
    );
}

#[test]
fn packing_twice_gives_identical_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, _) = keygen(tmp.path());
    // A copy made in reverse order, with other mtimes: the bundle must not change.
    let copy = tmp.path().join("copy");
    let src = root().join("testdata/releases/mof-class-iii");
    std::fs::create_dir(&copy).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.reverse();
    for n in names {
        std::fs::copy(src.join(&n), copy.join(&n)).unwrap();
    }
    let a = tmp.path().join("a.tar.zst");
    let b = tmp.path().join("b.tar.zst");
    pack_ok("testdata/releases/mof-class-iii", &a, &key, &[]);
    pack_ok(s(&copy), &b, &key, &[]);
    let (ma, mb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // The release name comes from the folder name when detection runs, but both have a descriptor.
    assert_eq!(ma, mb);
}

#[test]
fn tampering_fails_with_exit_1_naming_what() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, public) = keygen(tmp.path());
    let bundle = tmp.path().join("r.tar.zst");
    pack_ok("testdata/releases/mof-class-iii", &bundle, &key, &[]);
    let good = std::fs::read(&bundle).unwrap();

    // A byte flipped near the end (in a file's compressed data), and a truncated stream.
    let mut flipped = good.clone();
    let at = flipped.len() - 40;
    flipped[at] ^= 0x55;
    let cut = good[..good.len() / 2].to_vec();
    for (name, bytes) in [("flipped", flipped), ("cut", cut)] {
        let p = tmp.path().join(format!("{name}.tar.zst"));
        std::fs::write(&p, bytes).unwrap();
        let o = openseal(&["verify", s(&p), "--trust", s(&public)]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("NOT VERIFIED"),
            "{name}"
        );
    }
    // A key not in the trust store.
    let o = openseal(&["verify", s(&bundle), "--trust", "keys/demo.pub"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no signature by a trusted key"));
    // Unreadable input is exit 2.
    assert_eq!(
        openseal(&["verify", "no/such.tar.zst", "--trust", s(&public)])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        openseal(&["verify", s(&bundle), "--trust", "no/such.pub"])
            .status
            .code(),
        Some(2)
    );
}

/// A validly signed bundle whose manifest declares more than its contents support fails.
#[test]
fn an_overstated_declaration_fails_verification() {
    let tmp = tempfile::tempdir().unwrap();
    let release = root().join("testdata/releases/mof-class-ii");
    let demo = demo_signing_key();
    let honest = tmp.path().join("honest.tar.zst");
    let key_file = tmp.path().join("demo.key");
    openseal::signature::write_private_key(&key_file, &demo).unwrap();
    // No bill of materials: write_signed rebuilds the bundle from the folder alone.
    pack_ok(s(&release), &honest, &key_file, &["--no-bom"]);
    let mut manifest = Manifest::from_bytes(&manifest_of(&honest)).unwrap();
    for d in &mut manifest.declarations {
        if d.framework == "mof" {
            d.level = Some("class-i".into());
        }
    }
    let liar = tmp.path().join("liar.tar.zst");
    write_signed(&liar, &manifest, &release);
    let o = openseal(&["verify", s(&liar), "--trust", "keys/demo.pub"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("declares mof class-i but its contents support class-ii"),
        "{err}"
    );
    assert!(err.contains("datasets.pre-training"), "{err}");
    // --require on an honest bundle.
    let o = openseal(&[
        "verify",
        s(&honest),
        "--trust",
        "keys/demo.pub",
        "--require",
        "mof:class-i",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = openseal(&[
        "verify",
        s(&honest),
        "--trust",
        "keys/demo.pub",
        "--require",
        "mof:class-ii",
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn demo_runs_every_step() {
    let o = openseal(&["demo"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "$ openseal pack",
        "declares mof 1.0: class-iii",
        "verified: tiny-llama-example 1.0",
        "unpacked into",
        "Class III - Open Model",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn classify_reads_a_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, _) = keygen(tmp.path());
    let bundle = tmp.path().join("r.tar.zst");
    pack_ok("testdata/releases/mof-class-ii", &bundle, &key, &[]);
    let o = openseal(&["classify", "--json", "--framework", "mof", s(&bundle)]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"], "bundle");
    assert_eq!(v["results"][0]["level"], "class-ii");
}

/// pack records the final weights' fingerprint; unpack re-derives it and refuses a mismatch.
#[test]
fn unpack_checks_the_weights_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let release = root().join("testdata/releases/mof-class-iii");
    let demo = demo_signing_key();
    let key_file = tmp.path().join("demo.key");
    openseal::signature::write_private_key(&key_file, &demo).unwrap();
    let honest = tmp.path().join("honest.tar.zst");
    // No bill of materials: write_signed rebuilds the bundle from the folder alone.
    pack_ok(s(&release), &honest, &key_file, &["--no-bom"]);
    let mut manifest = Manifest::from_bytes(&manifest_of(&honest)).unwrap();
    let recorded = manifest.fingerprint.clone().expect("fingerprint recorded");
    assert!(recorded.starts_with("sha256:"));
    // The same value `inspect --fingerprint` prints for the weights file.
    let o = openseal(&[
        "inspect",
        "--json",
        "--fingerprint",
        "testdata/releases/mof-class-iii/model.safetensors",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"][0]["fingerprint"]["root"], recorded.as_str());

    manifest.fingerprint = Some(format!("sha256:{}", "0".repeat(64)));
    let liar = tmp.path().join("liar.tar.zst");
    write_signed(&liar, &manifest, &release);
    let o = openseal(&["verify", s(&liar), "--trust", "keys/demo.pub", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "verify streams safetensors and re-derives it too"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["failure"], "fingerprint");
    let o = openseal(&["verify", s(&honest), "--trust", "keys/demo.pub", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["fingerprint"]["status"], "verified");
    assert_eq!(v["fingerprint"]["value"], recorded.as_str());
    let target = tmp.path().join("out");
    let o = openseal(&[
        "unpack",
        s(&liar),
        "-C",
        s(&target),
        "--trust",
        "keys/demo.pub",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("fingerprint"));
    assert!(!target.exists());
    let o = openseal(&[
        "unpack",
        s(&honest),
        "-C",
        s(&target),
        "--trust",
        "keys/demo.pub",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn demo_json_reports_every_step() {
    let o = openseal(&["demo", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "openseal.demo/v1");
    assert_eq!(v["pack"]["schema"], "openseal.pack/v1");
    assert_eq!(v["verify"]["fingerprint"]["status"], "verified");
    assert_eq!(v["unpack"]["files"], v["verify"]["files"]);
    assert_eq!(v["classify"][0]["level"], "class-iii");
}

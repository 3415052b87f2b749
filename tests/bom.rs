//! `openseal bom`: CycloneDX 1.6 and SPDX 3.0.1 bills of materials of every test release, the
//! example model and a packed bundle, checked by the formats' own validators
//! (`cyclonedx-python-lib`'s strict JSON validator; `spdx3-validate`, run offline through
//! `testdata/spdx-3.0.1/validate_offline.py`); every file's SHA-256 and the MOF class in both;
//! the same bytes for the same `SOURCE_DATE_EPOCH`; exit codes.

mod common;

use openseal::digest::sha256_file;
use openseal::signature::{demo_signing_key, write_private_key};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The creation time every test run uses (2023-11-14T22:13:20Z).
const EPOCH: &str = "1700000000";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn openseal(args: &[&str], epoch: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_openseal"));
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH");
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    cmd.output().expect("run openseal")
}

/// The BOM of `input` in `format`, from standard output.
fn bom(input: &Path, format: &str, epoch: &str) -> String {
    let out = openseal(
        &["bom", input.to_str().unwrap(), "--format", format],
        Some(epoch),
    );
    assert!(
        out.status.success(),
        "bom {} --format {format}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Packs the example release into `dir` with the demo key.
fn pack_example(dir: &Path) -> PathBuf {
    let key = dir.join("demo.key");
    write_private_key(&key, &demo_signing_key()).unwrap();
    let bundle = dir.join("example.tar.zst");
    let out = openseal(
        &[
            "pack",
            root().join("testdata/example-model").to_str().unwrap(),
            "-o",
            bundle.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
        Some(EPOCH),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    bundle
}

/// `(name, path to read, folder holding its files, expected MOF class)` of every input.
fn inputs(bundle: &Path) -> Vec<(String, PathBuf, PathBuf, &'static str)> {
    let releases = root().join("testdata/releases");
    let mut out = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(&releases)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        // The folders are named by the class they meet.
        let class = match name.as_str() {
            "mof-class-i" => "class-i",
            "mof-class-ii" => "class-ii",
            "mof-class-iii" => "class-iii",
            other => panic!("{other}: a new test release needs its expected MOF class here"),
        };
        let path = releases.join(&name);
        out.push((name, path.clone(), path, class));
    }
    let example = root().join("testdata/example-model");
    out.push((
        "example-model".into(),
        example.clone(),
        example.clone(),
        "class-iii",
    ));
    // The bundle's files are the example's plus the BOM pack adds: read them unpacked.
    let unpacked = bundle.with_extension("unpacked");
    if !unpacked.exists() {
        let demo = root().join("keys/demo.pub");
        let out = openseal(
            &[
                "unpack",
                bundle.to_str().unwrap(),
                "-C",
                unpacked.to_str().unwrap(),
                "--trust",
                demo.to_str().unwrap(),
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out.push(("bundle".into(), bundle.to_path_buf(), unpacked, "class-iii"));
    out
}

/// Every regular file under `dir` by `/`-separated relative path, with its SHA-256.
fn digests(dir: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), sha256_file(&path).unwrap().sha256.to_hex());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The file components of a CycloneDX BOM: name → SHA-256.
fn cyclonedx_files(bom: &Value) -> BTreeMap<String, String> {
    bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "file")
        .map(|c| {
            let hashes = c["hashes"].as_array().unwrap();
            assert_eq!(hashes.len(), 1, "{c}");
            assert_eq!(hashes[0]["alg"], "SHA-256");
            (
                c["name"].as_str().unwrap().to_string(),
                hashes[0]["content"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The `software_File` elements of an SPDX document: name → SHA-256.
fn spdx_files(doc: &Value) -> BTreeMap<String, String> {
    doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "software_File")
        .map(|n| {
            let hash = &n["verifiedUsing"][0];
            assert_eq!(hash["algorithm"], "sha256");
            (
                n["name"].as_str().unwrap().to_string(),
                hash["hashValue"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn boms_of_every_release_and_a_bundle_validate_and_list_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let (mut cdx_files, mut spdx_docs) = (Vec::new(), Vec::new());
    let mut texts = BTreeMap::new();
    for (name, path, folder, class) in inputs(&bundle) {
        let expected = digests(&folder);
        let cdx_text = bom(&path, "cyclonedx", EPOCH);
        let spdx_text = bom(&path, "spdx", EPOCH);
        let cdx: Value = serde_json::from_str(&cdx_text).unwrap();
        let spdx: Value = serde_json::from_str(&spdx_text).unwrap();

        assert_eq!(cyclonedx_files(&cdx), expected, "{name}: CycloneDX files");
        assert_eq!(spdx_files(&spdx), expected, "{name}: SPDX files");
        let model = &cdx["metadata"]["component"];
        assert_eq!(model["type"], "machine-learning-model", "{name}");
        let props = model["modelCard"]["properties"].as_array().unwrap();
        assert!(
            props
                .iter()
                .any(|p| p["name"] == "openseal:mof:class" && p["value"] == class),
            "{name}: no openseal:mof:class = {class} in {props:?}"
        );
        let statement = format!("openseal:mof:class={class}");
        assert!(
            spdx["@graph"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["type"] == "Annotation" && n["statement"] == statement.as_str()),
            "{name}: no annotation {statement}"
        );
        assert_eq!(cdx["metadata"]["timestamp"], "2023-11-14T22:13:20Z");

        // A document identical to one already listed is validated once (SHACL takes seconds).
        let seen = texts
            .values()
            .any(|t| *t == (cdx_text.clone(), spdx_text.clone()));
        for (text, ext, list) in [
            (&cdx_text, "cdx.json", &mut cdx_files),
            (&spdx_text, "spdx.json", &mut spdx_docs),
        ] {
            if !seen {
                let file = dir.path().join(format!("{name}.{ext}"));
                std::fs::write(&file, text).unwrap();
                list.push(file);
            }
        }
        texts.insert(name, (cdx_text, spdx_text));
    }
    // The BOM pack puts in a bundle is the one `openseal bom` writes for the folder it packed
    // (pack ran with the same SOURCE_DATE_EPOCH); the bundle's own BOM adds that file only.
    let embedded = std::fs::read_to_string(bundle.with_extension("unpacked").join("bom.cdx.json"))
        .expect("the bundle carries bom.cdx.json");
    assert!(
        embedded == texts["example-model"].0,
        "the bundle's bom.cdx.json differs from the folder's BOM"
    );
    let levels = |text: &str| -> Value {
        let v: Value = serde_json::from_str(text).unwrap();
        v["metadata"]["component"]["modelCard"]["properties"].clone()
    };
    assert_eq!(
        levels(&texts["bundle"].0),
        levels(&texts["example-model"].0),
        "a bundle states the levels of the folder it was packed from"
    );
    let Some(venv) = common::peers::venv() else {
        return;
    };
    if let Err(e) = common::peers::validate_cyclonedx(&venv, &cdx_files) {
        panic!("CycloneDX validation failed:\n{e}");
    }
    if let Err(e) = common::peers::validate_spdx(&venv, &spdx_docs) {
        panic!("SPDX validation failed:\n{e}");
    }
}

/// The validators are real checks: a document each format forbids is rejected.
#[test]
fn the_validators_reject_broken_documents() {
    let Some(venv) = common::peers::venv() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let example = root().join("testdata/example-model");

    let mut cdx: Value = serde_json::from_str(&bom(&example, "cyclonedx", EPOCH)).unwrap();
    cdx["metadata"]["component"]["modelCard"]["openness"] = "class-iii".into();
    let cdx_file = dir.path().join("bad.cdx.json");
    std::fs::write(&cdx_file, cdx.to_string()).unwrap();
    let e = common::peers::validate_cyclonedx(&venv, &[cdx_file]).unwrap_err();
    assert!(e.contains("openness"), "{e}");

    let mut spdx: Value = serde_json::from_str(&bom(&example, "spdx", EPOCH)).unwrap();
    for n in spdx["@graph"].as_array_mut().unwrap() {
        if n["type"] == "dataset_DatasetPackage" {
            n.as_object_mut().unwrap().remove("dataset_datasetType");
        }
    }
    let spdx_file = dir.path().join("bad.spdx.json");
    std::fs::write(&spdx_file, spdx.to_string()).unwrap();
    let e = common::peers::validate_spdx(&venv, &[spdx_file]).unwrap_err();
    assert!(e.contains("datasetType"), "{e}");
}

#[test]
fn the_same_epoch_gives_the_same_bytes() {
    let example = root().join("testdata/example-model");
    for format in ["cyclonedx", "spdx"] {
        let a = bom(&example, format, EPOCH);
        assert_eq!(a, bom(&example, format, EPOCH), "{format}");
        // Another time changes the times only: the ids come from the content.
        let later = bom(&example, format, "1800000000");
        assert_ne!(a, later);
        assert_eq!(
            a.replace("2023-11-14T22:13:20Z", "2027-01-15T08:00:00Z"),
            later,
            "{format}"
        );
    }
    let cdx: Value = serde_json::from_str(&bom(&example, "cyclonedx", EPOCH)).unwrap();
    let serial = cdx["serialNumber"].as_str().unwrap();
    assert!(serial.starts_with("urn:uuid:"), "{serial}");
    let other: Value = serde_json::from_str(&bom(
        &root().join("testdata/releases/mof-class-i"),
        "cyclonedx",
        EPOCH,
    ))
    .unwrap();
    assert_ne!(other["serialNumber"], cdx["serialNumber"]);
}

#[test]
fn output_file_is_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let example = root().join("testdata/example-model");
    let target = dir.path().join("bom.json");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "bom".to_string(),
            example.display().to_string(),
            "-o".into(),
            target.display().to_string(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        openseal(
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
            Some(EPOCH),
        )
    };

    let out = run(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "the BOM goes to the file only");
    let first = std::fs::read_to_string(&target).unwrap();
    assert_eq!(first, bom(&example, "cyclonedx", EPOCH));

    std::fs::write(&target, "keep me").unwrap();
    let out = run(&["--format", "spdx"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");

    let out = run(&["--format", "spdx", "--force"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        bom(&example, "spdx", EPOCH)
    );
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-release");
    let example = root().join("testdata/example-model");
    let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
        (vec!["bom", missing.to_str().unwrap()], Some(EPOCH)),
        (
            vec!["bom", missing.to_str().unwrap(), "--format", "spdx"],
            Some(EPOCH),
        ),
        (vec!["bom", example.to_str().unwrap()], Some("yesterday")),
        (
            vec!["bom", example.to_str().unwrap(), "--format", "xml"],
            None,
        ),
        (vec!["bom", example.to_str().unwrap(), "--force"], None),
    ];
    for (args, epoch) in cases {
        let out = openseal(&args, epoch);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    let out = openseal(&["bom", missing.to_str().unwrap()], Some(EPOCH));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-release"), "{err}");
}

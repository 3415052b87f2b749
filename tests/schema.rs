//! Real `--json` output of every command conforms to its schema in formats/. The checker covers the
//! schema keywords the file uses (type, const, enum, required, properties, items,
//! additionalProperties, $ref), so a field renamed in code without the schema fails here.

mod common;

use common::schema::check;
use serde_json::Value;
use std::process::Command;

#[test]
fn inspect_reports_match_the_schema() {
    let root = env!("CARGO_MANIFEST_DIR");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/formats/inspect.schema.json")).unwrap(),
    )
    .unwrap();
    let inputs = [
        "testdata/example-model",
        "testdata/real/generated/tiny-llama-q.gguf",
        "testdata/real/generated/dtypes-mixed.safetensors",
        "testdata/sharded/ok-two-shards/model.safetensors.index.json",
        "testdata/real/pytorch",
        "testdata/real/numpy",
    ];
    let flag_sets: [&[&str]; 2] = [&[], &["--stats", "--fingerprint"]];
    for (input, extra) in inputs
        .iter()
        .flat_map(|i| flag_sets.iter().map(move |f| (*i, *f)))
    {
        let out = Command::new(env!("CARGO_BIN_EXE_openseal"))
            .args(["inspect", "--json", "--tensors"])
            .args(extra)
            .arg(input)
            .current_dir(root)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{input}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        check(&schema, &schema, &report, "$").unwrap_or_else(|e| panic!("{input}: {e}"));
    }
}

fn schema_of(name: &str) -> Value {
    let path = format!("{}/formats/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Runs `openseal ARGS --json` in `dir`, checks the exit status and the output against
/// `formats/SCHEMA.schema.json`, and returns the output.
fn json_of(dir: &std::path::Path, args: &[&str], status: i32, schema: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .arg("--json")
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(status),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})"));
    let s = schema_of(schema);
    check(&s, &s, &v, "$").unwrap_or_else(|e| panic!("{args:?}: {e}\n{v:#}"));
    assert_eq!(v["schema"], format!("openseal.{schema}/v1"));
    v
}

#[test]
fn every_command_json_matches_its_schema() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let release = d.join("rel");
    std::fs::create_dir(&release).unwrap();
    for entry in std::fs::read_dir(format!("{root}/testdata/example-model")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "openseal.toml" {
            std::fs::copy(entry.path(), release.join(entry.file_name())).unwrap();
        }
    }
    let k = json_of(d, &["keygen", "-o", "k"], 0, "keygen");
    assert_eq!(k["key_id"].as_str().unwrap().len(), 64);
    let i = json_of(d, &["init", "rel"], 0, "init");
    assert!(!i["release"]["components"].as_array().unwrap().is_empty());
    let p = json_of(
        d,
        &["pack", "rel", "-o", "b.tar.zst", "--key", "k.key"],
        0,
        "pack",
    );
    assert_eq!(p["signer_key_id"], k["key_id"]);
    assert_eq!(p["generated"], serde_json::json!(["bom.cdx.json"]));
    let v = json_of(
        d,
        &[
            "verify",
            "b.tar.zst",
            "--trust",
            "k.pub",
            "--require",
            "mof:class-iii",
        ],
        0,
        "verify",
    );
    assert_eq!(v["verified"], true);
    assert_eq!(v["requirements"][0]["met"], true);
    let demo_pub = format!("{root}/keys/demo.pub");
    let f = json_of(
        d,
        &["verify", "b.tar.zst", "--trust", &demo_pub],
        1,
        "verify",
    );
    assert_eq!(f["failure"], "signature");
    let u = json_of(
        d,
        &["unpack", "b.tar.zst", "-C", "out", "--trust", "k.pub"],
        0,
        "verify",
    );
    assert_eq!(u["verified"], true);
    let r = json_of(
        d,
        &[
            "report",
            "b.tar.zst",
            "--html",
            "r.html",
            "--svg",
            "b.svg",
            "--trust",
            "k.pub",
        ],
        0,
        "report",
    );
    assert_eq!(r["signer"]["status"], "signature verified");
    assert_eq!(r["written"].as_array().unwrap().len(), 2);
    let r = json_of(d, &["report", "rel", "--svg", "folder.svg"], 0, "report");
    assert_eq!(r["signer"]["key_ids"].as_array().unwrap().len(), 0);
    // OMS: an ECDSA key signs the unpacked folder; verify --oms passes, then fails on a change.
    let e = json_of(
        d,
        &["keygen", "-o", "e", "--algorithm", "p384"],
        0,
        "keygen",
    );
    assert_eq!(e["algorithm"], "p384");
    let s = json_of(d, &["sign", "out", "--key", "e.key"], 0, "oms-sign");
    assert_eq!(s["algorithm"], "p384");
    let v = json_of(
        d,
        &["verify", "out", "--oms", "--trust", "e.pub"],
        0,
        "oms-verify",
    );
    assert_eq!(v["verified"], true);
    assert_eq!(v["files"], s["files"]);
    std::fs::write(d.join("out/extra.txt"), "x").unwrap();
    let f = json_of(
        d,
        &["verify", "out", "--oms", "--trust", "e.pub"],
        1,
        "oms-verify",
    );
    assert_eq!(f["extra"][0], "extra.txt");
}

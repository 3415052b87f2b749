//! End-to-end tests of `openseal diff`: exit codes (0 same, 1 different, 2 error), what is
//! reported, and the JSON shape against formats/diff.schema.json.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn openseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

type T<'a> = (&'a str, &'a str, Vec<u64>, Vec<u8>);

fn write_safetensors(path: &Path, tensors: &[T]) {
    let mut header = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    for (name, dtype, shape, bytes) in tensors {
        header.push(format!(
            r#""{name}":{{"dtype":"{dtype}","shape":{shape:?},"data_offsets":[{},{}]}}"#,
            data.len(),
            data.len() + bytes.len()
        ));
        data.extend(bytes);
    }
    let header = format!(
        r#"{{"__metadata__":{{"format":"pt"}},{}}}"#,
        header.join(",")
    );
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend(header.as_bytes());
    out.extend(data);
    std::fs::write(path, out).unwrap();
}

fn f32s(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn base() -> Vec<T<'static>> {
    vec![
        ("w", "F32", vec![2, 2], f32s(&[1.0, 2.0, 3.0, 4.0])),
        ("b", "F32", vec![2], f32s(&[0.5, -0.5])),
        ("e", "U8", vec![3], vec![1, 2, 3]),
    ]
}

fn json(o: &Output) -> Value {
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stderr)));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/formats/diff.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    common::schema::check(&schema, &schema, &v, "$").unwrap();
    v
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn identical_models_exit_0_whatever_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.safetensors");
    write_safetensors(&a, &base());
    let mut rev = base();
    rev.reverse();
    let b = dir.path().join("b.safetensors");
    write_safetensors(&b, &rev);
    let o = openseal(&["diff", "--json", s(&a), s(&b)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(v["identical"], true);
    assert_eq!(v["tensors"]["unchanged"], 3);
}

#[test]
fn changes_are_reported_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.safetensors");
    write_safetensors(&a, &base());
    let mut changed = base();
    changed[0].3 = f32s(&[1.0, 2.0, 3.0, 4.5]); // w: one element +0.5
    changed[1].2 = vec![1, 2]; // b: shape change
    changed[2].1 = "I8"; // e: dtype change
    changed.push(("new", "F32", vec![1], f32s(&[0.0])));
    let b = dir.path().join("b.safetensors");
    write_safetensors(&b, &changed);
    let o = openseal(&["diff", "--json", "--stats", s(&a), s(&b)]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    let t = &v["tensors"];
    assert_eq!(t["only_b"], serde_json::json!(["new"]));
    assert_eq!(t["shape_changed"][0]["name"], "b");
    assert_eq!(t["dtype_changed"][0]["b"], "I8");
    let w = &t["content_changed"][0];
    assert_eq!(w["name"], "w");
    assert_eq!(w["size"]["differing_elements"], 1);
    assert_eq!(w["size"]["max_abs_diff"], 0.5);
    let rel = w["size"]["rel_l2"].as_f64().unwrap();
    assert!((rel - 0.5 / 30f64.sqrt()).abs() < 1e-12, "{rel}");

    let text = openseal(&["diff", s(&a), s(&b)]);
    assert_eq!(text.status.code(), Some(1));
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(
        out.contains("~ w  content changed") && out.contains("+ new  (only in b)"),
        "{out}"
    );
}

#[test]
fn config_and_metadata_differences_in_folders() {
    let dir = tempfile::tempdir().unwrap();
    for (side, hidden) in [("a", 64), ("b", 128)] {
        let d = dir.path().join(side);
        std::fs::create_dir(&d).unwrap();
        write_safetensors(&d.join("model.safetensors"), &base());
        std::fs::write(
            d.join("config.json"),
            format!(r#"{{"hidden_size": {hidden}, "rope": {{"theta": 10000}}}}"#),
        )
        .unwrap();
    }
    let o = openseal(&[
        "diff",
        "--json",
        s(&dir.path().join("a")),
        s(&dir.path().join("b")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["tensors"]["unchanged"], 3);
    assert_eq!(v["config"]["changed"][0]["key"], "hidden_size");
    assert_eq!(v["config"]["changed"][0]["b"], 128);
}

#[test]
fn errors_exit_2() {
    let o = openseal(&["diff", "testdata/example-model", "no/such/path"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such file"));
    let o = openseal(&[
        "diff",
        "--stats",
        "--device",
        "cuda:0",
        "testdata/example-model",
        "testdata/example-model",
    ]);
    if !cfg!(feature = "cuda") {
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("without CUDA support"));
    }
}

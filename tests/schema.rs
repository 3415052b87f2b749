//! Real `inspect --json` reports conform to formats/inspect.schema.json. The checker covers the
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

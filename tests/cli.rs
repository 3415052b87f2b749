//! End-to-end tests of the `openseal` binary: output, JSON shape and exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn openseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn example_model_human_summary() {
    let o = openseal(&["inspect", "testdata/example-model"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "model.safetensors",
        "parameters  106,816",
        "BF16 106,816",
        "LlamaForCausalLM",
        "kv heads           2 (GQA)",
        "(config.json: num_key_value_heads)",
        "context length     2048",
        "MIT",
        "safety  safe",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn json_report_has_schema_and_tensors() {
    let o = openseal(&["inspect", "--json", "--tensors", "testdata/example-model"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "openseal.inspect/v1");
    let input = &v["inputs"][0];
    assert_eq!(input["kind"], "folder");
    assert_eq!(input["parameters"]["total"], 106_816);
    assert_eq!(input["architecture"]["layers"]["value"], 2);
    assert_eq!(
        input["architecture"]["layers"]["source"],
        "config.json: num_hidden_layers"
    );
    assert!(
        input["architecture"]["experts"].is_null(),
        "unknown is null"
    );
    let tensors = input["files"][0]["tensors"].as_array().unwrap();
    assert_eq!(tensors.len(), 21);
    let emb = tensors
        .iter()
        .find(|t| t["name"] == "model.embed_tokens.weight")
        .unwrap();
    assert_eq!(emb["dtype"], "BF16");
    assert_eq!(emb["shape"], serde_json::json!([256, 64]));
}

#[test]
fn json_without_tensors_flag_omits_the_list() {
    let o = openseal(&[
        "inspect",
        "--json",
        "testdata/real/generated/tiny-llama-q.gguf",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &v["inputs"][0]["files"][0];
    assert!(file.get("tensors").is_none());
    assert_eq!(file["tensor_count"], 14);
    assert_eq!(file["format"], "gguf");
    assert_eq!(file["container"]["version"], 3);
}

#[test]
fn gguf_tensor_dtypes_use_ggml_names() {
    let o = openseal(&[
        "inspect",
        "--json",
        "--tensors",
        "testdata/real/generated/tiny-llama-q.gguf",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let tensors = v["inputs"][0]["files"][0]["tensors"].as_array().unwrap();
    assert!(tensors.iter().any(|t| t["dtype"] == "Q4_0"));
}

#[test]
fn kv_flag_prints_whole_token_arrays() {
    let short = stdout(&openseal(&[
        "inspect",
        "testdata/real/gguf/ggml-vocab-llama-spm.gguf",
    ]));
    assert!(short.contains("(32000 × STRING)"));
    let full = stdout(&openseal(&[
        "inspect",
        "--kv",
        "testdata/real/gguf/ggml-vocab-llama-spm.gguf",
    ]));
    assert!(!full.contains("(32000 × STRING)"));
    assert!(full.len() > short.len() * 10);
}

#[test]
fn several_paths_give_several_reports() {
    let o = openseal(&[
        "inspect",
        "--json",
        "testdata/real/safetensors/silero_vad_16k.safetensors",
        "testdata/sharded/ok-two-shards/model.safetensors.index.json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"].as_array().unwrap().len(), 2);
    assert_eq!(v["inputs"][1]["kind"], "sharded");
    assert_eq!(v["inputs"][1]["files"].as_array().unwrap().len(), 2);
}

#[test]
fn malformed_file_exits_2_naming_file_and_problem() {
    let o = openseal(&[
        "inspect",
        "testdata/safetensors/err-truncated-download.safetensors",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("err-truncated-download.safetensors"), "{err}");
    assert!(err.contains("truncated download"), "{err}");
}

#[test]
fn lfs_pointer_gets_a_hint() {
    let o = openseal(&[
        "inspect",
        "testdata/safetensors/err-impostor-lfs-pointer.safetensors",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("git lfs pull"));
}

#[test]
fn missing_path_and_bad_usage_exit_2() {
    assert_eq!(
        openseal(&["inspect", "no/such/file.safetensors"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(openseal(&["inspect"]).status.code(), Some(2));
    assert_eq!(openseal(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(openseal(&["--version"]).status.code(), Some(0));
}

#[test]
fn folder_with_a_broken_file_reports_the_rest_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("testdata/safetensors/ok-two-tensors.safetensors"),
        dir.path().join("good.safetensors"),
    )
    .unwrap();
    std::fs::copy(
        root.join("testdata/safetensors/err-gap.safetensors"),
        dir.path().join("bad.safetensors"),
    )
    .unwrap();
    let o = openseal(&["inspect", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("good.safetensors"));
    assert!(stderr(&o).contains("bad.safetensors"));
    assert!(stderr(&o).contains("data gap"));
}

#[test]
fn deny_unsafe_passes_on_safe_files() {
    let o = openseal(&["inspect", "--deny-unsafe", "testdata/example-model"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn deny_unsafe_fails_on_a_dangerous_pickle_and_names_the_global() {
    let o = openseal(&[
        "inspect",
        "--deny-unsafe",
        "testdata/pickle/dangerous-os-system.pkl",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("dangerous posix.system"),
        "{}",
        stdout(&o)
    );
    // Without the flag the same report exits 0.
    assert_eq!(
        openseal(&["inspect", "testdata/pickle/dangerous-os-system.pkl"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn unreadable_pickle_exits_2_and_keeps_what_it_saw() {
    let o = openseal(&[
        "inspect",
        "testdata/pickle/err-unreadable-pickle-dangerous-global-before-bad-opcode.pkl",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("at byte 34"), "{err}");
    assert!(err.contains("posix.system (dangerous)"), "{err}");
}

#[test]
fn pytorch_tensors_show_strides() {
    let o = openseal(&[
        "inspect",
        "--json",
        "--tensors",
        "testdata/real/pytorch/fortran_tensor_3d.pth",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = &v["inputs"][0]["files"][0]["tensors"][0];
    assert_eq!(t["dtype"], "I64");
    assert_eq!(t["shape"], serde_json::json!([2, 3, 4]));
    assert_eq!(t["strides"], serde_json::json!([1, 2, 6]));
}

#[test]
fn torchscript_is_suspicious_because_of_its_code() {
    let o = openseal(&[
        "inspect",
        "--json",
        "testdata/real/pytorch/silero_vad.torchscript.jit",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["inputs"][0]["files"][0];
    assert_eq!(f["format"], "torchscript");
    assert_eq!(f["safety"]["verdict"], "suspicious");
    assert_eq!(f["tensor_count"], 33);
}

#[test]
fn stats_json_per_tensor_and_file() {
    let o = openseal(&[
        "inspect",
        "--json",
        "--stats",
        "testdata/real/generated/dtypes-mixed.safetensors",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let stats = &v["inputs"][0]["files"][0]["stats"];
    assert_eq!(stats["device"], "cpu");
    assert_eq!(
        (stats["supported"].as_u64(), stats["not_supported"].as_u64()),
        (Some(17), Some(1))
    );
    let f32 = stats["tensors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "f32")
        .unwrap();
    // [[1, nan], [3, -inf]] from mk_dtypes.py.
    let s = &f32["stats"];
    assert_eq!(
        (s["nan"].as_u64(), s["neg_inf"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (s["min"].as_f64(), s["max"].as_f64()),
        (Some(1.0), Some(3.0))
    );
    assert_eq!(
        (s["mean"].as_f64(), s["std"].as_f64()),
        (Some(2.0), Some(1.0))
    );
    assert_eq!(stats["summary"]["nan"], 2);
}

#[test]
fn fingerprint_text_and_json() {
    let o = openseal(&["inspect", "--fingerprint", "testdata/example-model"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("fingerprint  sha256:"))
        .unwrap();
    let root = line.split_whitespace().nth(1).unwrap().to_string();
    assert_eq!(root.len(), "sha256:".len() + 64);
    let o = openseal(&[
        "inspect",
        "--json",
        "--tensors",
        "--fingerprint",
        "testdata/example-model",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let fp = &v["inputs"][0]["fingerprint"];
    assert_eq!(fp["root"], root.as_str());
    assert_eq!(fp["tensor_count"], 21);
    assert_eq!(fp["tensors"].as_object().unwrap().len(), 21);
}

#[test]
fn cuda_device_without_the_feature_exits_2() {
    let o = openseal(&[
        "inspect",
        "--stats",
        "--device",
        "cuda:0",
        "testdata/real/generated/dtypes-mixed.safetensors",
    ]);
    if cfg!(feature = "cuda") {
        return;
    }
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("cuda:0") && err.contains("without CUDA support"),
        "{err}"
    );
    assert_eq!(
        err.lines().count(),
        1,
        "one clear line, no backtrace: {err}"
    );
    let o = openseal(&[
        "inspect",
        "--stats",
        "--device",
        "tpu",
        "testdata/example-model",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

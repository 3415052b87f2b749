//! Models on the Hub, read header-only over HTTP from a Hub-shaped fixture server on 127.0.0.1:
//! bytes and requests counted, the faults a real network brings, tokens, offline mode.

mod common;
mod hub_server;

use hub_server::{File, Repo, Server, testdata};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::Ordering;

const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";
const COMMIT_B: &str = "89abcdef0123456789abcdef0123456789abcdef";
const TOKEN: &str = "hf_test_secret_token_value";

/// openseal with an empty cache and home, the Hub at `server`, two attempts per request.
fn openseal(server: &Server, args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    openseal_in(home.path(), server, args, env)
}

/// openseal with its Hugging Face home (and cache, `HOME/hub`) at `home`.
fn openseal_in(home: &Path, server: &Server, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_openseal"));
    cmd.args(args)
        .env("HF_HUB_CACHE", home.join("hub"))
        .env("HF_HOME", home)
        .env("HF_ENDPOINT", server.endpoint())
        .env("OPENSEAL_HTTP_ATTEMPTS", "2")
        .env_remove("HF_TOKEN")
        .env_remove("HF_TOKEN_PATH")
        .env_remove("HF_HUB_OFFLINE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Checks `report` against `formats/NAME.schema.json`.
fn conforms(report: &Value, name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("formats/{name}.schema.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    common::schema::check(&schema, &schema, report, "$").unwrap();
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A safetensors header (length and JSON, padded to 8 bytes) declaring `tensors`.
fn safetensors_header(tensors: &[(&str, &str, Vec<u64>, u64, u64)]) -> Vec<u8> {
    let mut map = serde_json::Map::new();
    map.insert("__metadata__".into(), serde_json::json!({"format": "pt"}));
    for (name, dtype, shape, start, end) in tensors {
        map.insert(
            (*name).into(),
            serde_json::json!({"dtype": dtype, "shape": shape, "data_offsets": [start, end]}),
        );
    }
    let mut text = serde_json::to_vec(&Value::Object(map)).unwrap();
    while !(text.len() + 8).is_multiple_of(8) {
        text.push(b' ');
    }
    let mut out = (text.len() as u64).to_le_bytes().to_vec();
    out.extend(text);
    out
}

const TWO_GIB: u64 = 2 << 30;

/// The made-up SHA-256 the fixture Hub lists for shard `i`: distinct from its first digits.
fn shard_sha(i: u32) -> String {
    format!("{i}{}", "e".repeat(63))
}

/// Four shards of 2 GiB of F32 data each, with their index and a config.json.
fn sharded_repo(id: &str, commit: &str) -> Repo {
    let mut files = Vec::new();
    let mut weight_map = serde_json::Map::new();
    for i in 1..=4 {
        let name = format!("model-0000{i}-of-00004.safetensors");
        let tensor = format!("model.layers.{i}.mlp.weight");
        let head = safetensors_header(&[(&tensor, "F32", vec![512, 1 << 20], 0, TWO_GIB)]);
        let size = head.len() as u64 + TWO_GIB;
        files.push(File::sparse(&name, head, size, &shard_sha(i)));
        weight_map.insert(tensor, Value::String(name));
    }
    let index =
        serde_json::json!({"metadata": {"total_size": 4 * TWO_GIB}, "weight_map": weight_map});
    files.push(File::git(
        "model.safetensors.index.json",
        serde_json::to_vec(&index).unwrap(),
    ));
    files.push(File::git(
        "config.json",
        br#"{"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 512}"#
            .to_vec(),
    ));
    Repo {
        id: id.into(),
        commit: commit.into(),
        files,
        token: None,
    }
}

/// The example model of testdata/ as a Hub repository.
fn example_repo(id: &str, token: Option<&str>) -> Repo {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example-model");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).unwrap();
        files.push(if name.ends_with(".safetensors") {
            File::lfs(&name, bytes)
        } else {
            File::git(&name, bytes)
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Repo {
        id: id.into(),
        commit: COMMIT.into(),
        files,
        token: token.map(str::to_string),
    }
}

#[test]
fn a_sharded_model_of_8_gib_is_inspected_reading_under_1_mib() {
    let server = Server::start(vec![sharded_repo("org/big", COMMIT)]);
    let out = openseal(&server, &["inspect", "--json", "hf://org/big"], &[]);
    let report = json(&out);
    let input = &report["inputs"][0];
    assert_eq!(input["parameters"]["total"], 4 * 512 * (1u64 << 20));
    assert_eq!(input["files"].as_array().unwrap().len(), 4);
    assert_eq!(input["safety"]["verdict"], "safe");
    assert_eq!(input["architecture"]["family"]["value"], "llama");
    let path = input["files"][0]["path"].as_str().unwrap();
    assert!(
        path.starts_with(&format!("hf://org/big@{COMMIT}/model-0000")),
        "{path}"
    );
    assert_eq!(input["remote"]["commit"], COMMIT);
    let sent = server.bytes_sent.load(Ordering::SeqCst);
    assert!(sent < 1 << 20, "{sent} bytes sent");
    // Every shard was asked by range, through the CDN redirect, and the signed address never
    // shows in the report.
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.iter()
            .filter(|l| l.contains("/cdn/") && l.contains(".safetensors"))
            .all(|l| l.ends_with(&format!("bytes=0-{}", 100_000 - 1))),
        "{log:#?}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("secret-signature"));
    // No more requests than files plus the listing and the redirects.
    let requests = server.requests.load(Ordering::SeqCst);
    assert!(requests <= 1 + 6 + 4, "{requests} requests: {log:#?}");
    assert_eq!(input["remote"]["requests"], requests);
}

#[test]
fn a_remote_model_reads_like_the_same_local_folder() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    let remote = json(&openseal(
        &server,
        &["inspect", "--json", "hf://org/tiny"],
        &[],
    ));
    let local_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example-model");
    let local = json(&openseal(
        &server,
        &["inspect", "--json", local_dir.to_str().unwrap()],
        &[],
    ));
    for key in ["parameters", "architecture", "card", "safety"] {
        assert_eq!(remote["inputs"][0][key], local["inputs"][0][key], "{key}");
    }
    let tokenizer = |v: &Value| {
        let mut t = v["inputs"][0]["tokenizer"].clone();
        t["files"] = Value::Null;
        t
    };
    assert_eq!(tokenizer(&remote), tokenizer(&local));
    assert_eq!(
        remote["inputs"][0]["files"][0]["metadata"],
        local["inputs"][0]["files"][0]["metadata"]
    );
    // One file, and one shard name.
    let one = json(&openseal(
        &server,
        &["inspect", "--json", "hf://org/tiny/model.safetensors"],
        &[],
    ));
    assert_eq!(one["inputs"][0]["kind"], "file");
    assert_eq!(
        one["inputs"][0]["parameters"],
        local["inputs"][0]["parameters"]
    );
}

#[test]
fn an_index_named_in_the_reference_brings_its_shards() {
    let server = Server::start(vec![sharded_repo("org/big", COMMIT)]);
    let out = openseal(
        &server,
        &[
            "inspect",
            "--json",
            "hf://org/big/model.safetensors.index.json",
        ],
        &[],
    );
    let input = &json(&out)["inputs"][0];
    assert_eq!(input["kind"], "sharded");
    assert_eq!(input["files"].as_array().unwrap().len(), 4);
}

#[test]
fn a_gated_repository_needs_a_token_which_is_never_shown() {
    let server = Server::start(vec![example_repo("org/gated", Some(TOKEN))]);
    let out = openseal(&server, &["inspect", "hf://org/gated"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("gated or private"), "{err}");
    assert!(err.contains("HF_TOKEN"), "{err}");

    let wrong = openseal(
        &server,
        &["inspect", "hf://org/gated"],
        &[("HF_TOKEN", "hf_wrong_token")],
    );
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("the token in use has no access"));
    assert!(!stderr(&wrong).contains("hf_wrong_token"));

    let out = openseal(
        &server,
        &["inspect", "--json", "hf://org/gated"],
        &[("HF_TOKEN", TOKEN)],
    );
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(!text.contains(TOKEN));
    assert_eq!(json(&out)["inputs"][0]["safety"]["verdict"], "safe");
    // The token went to the Hub, never to the CDN the Hub redirects to.
    let auth = server.auth_seen.lock().unwrap().clone();
    assert!(!auth.is_empty());
    assert!(
        auth.iter().all(|(target, _)| !target.starts_with("/cdn/")),
        "{auth:?}"
    );
}

#[test]
fn the_token_file_of_huggingface_hub_is_used() {
    let server = Server::start(vec![example_repo("org/gated", Some(TOKEN))]);
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let out = openseal(
        &server,
        &["inspect", "hf://org/gated"],
        &[("HF_TOKEN_PATH", token_file.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn offline_mode_never_opens_a_socket() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    let out = openseal(
        &server,
        &["inspect", "hf://org/tiny"],
        &[("HF_HUB_OFFLINE", "1")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("HF_HUB_OFFLINE"), "{}", stderr(&out));
    let url = format!(
        "{}/org/tiny/resolve/main/model.safetensors",
        server.endpoint()
    );
    let out = openseal(&server, &["inspect", &url], &[("HF_HUB_OFFLINE", "1")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
}

#[test]
fn missing_repositories_revisions_and_files_are_named() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    let cases = [
        ("hf://org/missing", "repository org/missing not found"),
        ("hf://org/tiny@v9", "revision v9 of org/tiny not found"),
        (
            "hf://org/tiny/nothing.json",
            "nothing.json is not in the repository",
        ),
    ];
    for (uri, expected) in cases {
        let out = openseal(&server, &["inspect", uri], &[]);
        assert_eq!(out.status.code(), Some(2), "{uri}");
        assert!(stderr(&out).contains(expected), "{uri}: {}", stderr(&out));
    }
}

#[test]
fn busy_and_failing_servers_are_retried_then_reported() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    server.faults.too_many_first.store(1, Ordering::SeqCst);
    let out = openseal(&server, &["inspect", "hf://org/tiny"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    server.faults.always_500.store(true, Ordering::SeqCst);
    let out = openseal(&server, &["inspect", "hf://org/tiny"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("HTTP 500 (after 2 attempts)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn broken_ranges_and_bodies_are_errors_not_wrong_answers() {
    let server = Server::start(vec![sharded_repo("org/big", COMMIT)]);
    server
        .faults
        .lie_content_range
        .store(true, Ordering::SeqCst);
    let out = openseal(&server, &["inspect", "hf://org/big"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("does not match the range"),
        "{}",
        stderr(&out)
    );
    server
        .faults
        .lie_content_range
        .store(false, Ordering::SeqCst);

    server.faults.ignore_range.store(true, Ordering::SeqCst);
    let out = openseal(&server, &["inspect", "hf://org/big"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ignores Range"), "{}", stderr(&out));
    assert!(server.bytes_sent.load(Ordering::SeqCst) < 64 << 20);
    server.faults.ignore_range.store(false, Ordering::SeqCst);

    server.faults.truncate.store(true, Ordering::SeqCst);
    let out = openseal(&server, &["inspect", "hf://org/big"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cut short"), "{}", stderr(&out));
}

#[test]
fn a_server_that_ignores_range_still_serves_small_files() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    server.faults.ignore_range.store(true, Ordering::SeqCst);
    let out = openseal(&server, &["inspect", "--json", "hf://org/tiny"], &[]);
    assert_eq!(json(&out)["inputs"][0]["safety"]["verdict"], "safe");
}

#[test]
fn one_file_at_an_https_style_address() {
    let gguf = testdata("gguf/ok-small.gguf");
    let mut repo = example_repo("org/files", None);
    repo.files.push(File::lfs("small.gguf", gguf));
    let server = Server::start(vec![repo]);
    server.faults.no_redirect.store(true, Ordering::SeqCst);
    let url = format!("{}/org/files/resolve/main/small.gguf", server.endpoint());
    let remote = json(&openseal(&server, &["inspect", "--json", &url], &[]));
    let local_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/gguf/ok-small.gguf");
    let local = json(&openseal(
        &server,
        &["inspect", "--json", local_path.to_str().unwrap()],
        &[],
    ));
    assert_eq!(remote["inputs"][0]["path"], url.as_str());
    assert_eq!(
        remote["inputs"][0]["files"][0]["metadata"],
        local["inputs"][0]["files"][0]["metadata"]
    );
    assert_eq!(
        remote["inputs"][0]["parameters"],
        local["inputs"][0]["parameters"]
    );
    // Statistics need the data, which is not read remotely.
    let out = openseal(&server, &["inspect", "--stats", &url], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("header-only"), "{}", stderr(&out));
}

/// A legacy `torch.save` file is one pickle with the data after it: too big to fetch whole,
/// it is listed as not read and the verdict is "not scanned", never "safe".
#[test]
fn an_unread_pickle_is_not_scanned_never_safe() {
    let mut repo = example_repo("org/pickled", None);
    let head = testdata("pytorch/ok-legacy.pt");
    repo.files.push(File::sparse(
        "pytorch_model.bin",
        head,
        200 << 20,
        &format!("{:064x}", 7),
    ));
    let server = Server::start(vec![repo]);
    let out = openseal(&server, &["inspect", "--json", "hf://org/pickled"], &[]);
    let report = json(&out);
    conforms(&report, "inspect");
    let input = &report["inputs"][0];
    assert_eq!(input["safety"]["verdict"], "not-scanned");
    assert_eq!(input["not_read"][0]["path"], "pytorch_model.bin");
    assert_eq!(input["not_read"][0]["weights"], true);
    let out = openseal(
        &server,
        &["inspect", "--deny-unsafe", "hf://org/pickled"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not read: pytorch_model.bin"));
    // init cannot place a file it did not read: the descriptor says so.
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("openseal.toml");
    let out = openseal(
        &server,
        &["init", "hf://org/pickled", "-o", toml.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(
        text.contains("pytorch_model.bin (209715200 bytes) was not read from the Hub"),
        "{text}"
    );
    // Nobody compared the tensors of a file nobody read: never "identical".
    let out = openseal(
        &server,
        &["diff", "hf://org/pickled", "hf://org/pickled"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("could not be compared"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_large_pytorch_zip_is_read_by_its_directory_and_pickle_only() {
    // A real checkpoint with a 100 MiB storage entry added: over the cap for whole downloads,
    // so only the end record, directory, local headers and small entries are fetched.
    let original = testdata("pytorch/ok-zip-two-tensors.pt");
    let big = add_stored_entry(&original, "archive/data/99", 100 << 20);
    let dir = tempfile::tempdir().unwrap();
    let local_path = dir.path().join("pytorch_model.bin");
    std::fs::write(&local_path, &big).unwrap();
    let mut repo = example_repo("org/zip", None);
    repo.files.retain(|f| !f.path.ends_with(".safetensors"));
    repo.files.push(File::lfs("pytorch_model.bin", big));
    let server = Server::start(vec![repo]);
    let remote = json(&openseal(
        &server,
        &["inspect", "--json", "hf://org/zip/pytorch_model.bin"],
        &[],
    ));
    let local = json(&openseal(
        &server,
        &["inspect", "--json", local_path.to_str().unwrap()],
        &[],
    ));
    for key in ["parameters", "safety"] {
        assert_eq!(remote["inputs"][0][key], local["inputs"][0][key], "{key}");
    }
    assert_eq!(
        remote["inputs"][0]["files"][0]["safety"],
        local["inputs"][0]["files"][0]["safety"]
    );
    let sent = server.bytes_sent.load(Ordering::SeqCst);
    assert!(sent < 2 << 20, "{sent} bytes sent");

    // A server whose answers disagree about the file's size is an error, never a panic or a
    // layout of some other file.
    server.faults.halve_total.store(true, Ordering::SeqCst);
    let out = openseal(&server, &["inspect", "hf://org/zip/pytorch_model.bin"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("now says the file is"),
        "{}",
        stderr(&out)
    );
}

/// `original` with one more stored entry of `size` zero bytes, written by the zip crate.
fn add_stored_entry(original: &[u8], name: &str, size: usize) -> Vec<u8> {
    use std::io::{Cursor, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).unwrap();
        out.raw_copy_file(entry).unwrap();
    }
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    out.start_file(name, opts).unwrap();
    out.write_all(&vec![0u8; size]).unwrap();
    out.finish().unwrap().into_inner()
}

#[test]
fn diff_compares_remote_files_by_the_hubs_sha256() {
    let server = Server::start(vec![
        example_repo("org/tiny", None),
        Repo {
            id: "org/copy".into(),
            commit: COMMIT_B.into(),
            ..example_repo("org/copy", None)
        },
        sharded_repo("org/big", COMMIT),
    ]);
    let same = openseal(&server, &["diff", "hf://org/tiny", "hf://org/copy"], &[]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example-model");
    let same = openseal(
        &server,
        &["diff", "--json", local.to_str().unwrap(), "hf://org/tiny"],
        &[],
    );
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let report: Value = serde_json::from_slice(&same.stdout).unwrap();
    assert_eq!(report["identical"], true);
    assert!(
        report["b"]["path"]
            .as_str()
            .unwrap()
            .starts_with("hf://org/tiny@")
    );
    let different = openseal(&server, &["diff", "hf://org/tiny", "hf://org/big"], &[]);
    assert_eq!(different.status.code(), Some(1), "{}", stderr(&different));
    assert!(server.bytes_sent.load(Ordering::SeqCst) < 1 << 20);
}

#[test]
fn classify_and_init_read_a_remote_repository() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    let out = openseal(&server, &["classify", "--json", "hf://org/tiny"], &[]);
    let report = json(&out);
    assert_eq!(report["path"], "hf://org/tiny");
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("openseal.toml");
    let out = openseal(
        &server,
        &["init", "hf://org/tiny", "-o", toml.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(
        text.contains(&format!("{}/org/tiny/blob/{COMMIT}/", server.endpoint())),
        "{text}"
    );
}

/// A key pair made by `openseal keygen` in `dir`: (private, public).
fn keys(server: &Server, dir: &Path) -> (String, String) {
    let base = dir.join("k");
    let made = openseal(server, &["keygen", "-o", base.to_str().unwrap()], &[]);
    assert!(made.status.success(), "{}", stderr(&made));
    let path = |ext: &str| base.with_extension(ext).to_str().unwrap().to_string();
    (path("key"), path("pub"))
}

/// `openseal pack hf://org/tiny -o OUT --key KEY` with the cache in `home`.
fn pack_hf(home: &Path, server: &Server, key: &str, out: &Path) -> Output {
    let out = out.to_str().unwrap();
    openseal_in(
        home,
        server,
        &["pack", "hf://org/tiny", "-o", out, "--key", key],
        &[],
    )
}

fn resolve_gets(server: &Server) -> usize {
    let log = server.log.lock().unwrap();
    log.iter()
        .filter(|l| l.starts_with("GET") && (l.contains("/resolve/") || l.contains("/cdn/")))
        .count()
}

#[test]
fn pack_downloads_what_the_cache_lacks_then_reuses_it() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (key, public) = keys(&server, work.path());
    let bundle = work.path().join("tiny.tar.zst");
    let pack = |out: &Path| {
        openseal_in(
            home.path(),
            &server,
            &[
                "pack",
                "hf://org/tiny",
                "-o",
                out.to_str().unwrap(),
                "--key",
                &key,
                "--json",
            ],
            &[],
        )
    };
    let packed = pack(&bundle);
    assert!(packed.status.success(), "{}", stderr(&packed));
    assert!(
        stderr(&packed).contains("downloaded 10 file(s)"),
        "{}",
        stderr(&packed)
    );
    // The repository's own openseal.toml names the release.
    assert_eq!(json(&packed)["release"]["name"], "tiny-llama-example");
    // Laid out as huggingface_hub lays it out.
    let repo = home.path().join("hub/models--org--tiny");
    assert_eq!(
        std::fs::read_to_string(repo.join("refs/main")).unwrap(),
        COMMIT
    );
    let weights = repo
        .join("snapshots")
        .join(COMMIT)
        .join("model.safetensors");
    let target = std::fs::read_link(&weights).unwrap();
    assert!(target.starts_with("../../blobs/"), "{}", target.display());
    assert_eq!(
        std::fs::read(&weights).unwrap(),
        testdata("example-model/model.safetensors")
    );
    let verified = openseal(
        &server,
        &["verify", bundle.to_str().unwrap(), "--trust", &public],
        &[],
    );
    assert!(verified.status.success(), "{}", stderr(&verified));

    // Everything is cached now: only the file list is asked again, and inspect asks nothing.
    let gets = resolve_gets(&server);
    let again = pack(&work.path().join("again.tar.zst"));
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(resolve_gets(&server), gets);
    let before = server.requests.load(Ordering::SeqCst);
    let inspected = openseal_in(home.path(), &server, &["inspect", "hf://org/tiny"], &[]);
    assert!(inspected.status.success());
    assert_eq!(server.requests.load(Ordering::SeqCst), before);
}

#[test]
fn a_download_that_does_not_match_the_hubs_sha256_is_deleted() {
    let mut repo = example_repo("org/tiny", None);
    for f in &mut repo.files {
        if f.path == "model.safetensors" {
            f.sha256 = Some(format!("{:064x}", 1));
        }
    }
    let server = Server::start(vec![repo]);
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (key, _) = keys(&server, work.path());
    let out = work.path().join("x.tar.zst");
    let packed = pack_hf(home.path(), &server, &key, &out);
    assert_eq!(packed.status.code(), Some(2));
    assert!(
        stderr(&packed).contains("the partial file was deleted"),
        "{}",
        stderr(&packed)
    );
    assert!(!out.exists());
    let blobs = home.path().join("hub/models--org--tiny/blobs");
    let names: Vec<String> = std::fs::read_dir(&blobs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let bad = format!("{:064x}", 1);
    assert!(names.iter().all(|n| !n.starts_with(&bad)), "{names:?}");
}

#[test]
fn an_interrupted_download_resumes_where_it_stopped() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    let weights = testdata("example-model/model.safetensors");
    let sha = hub_server::hex(&<sha2::Sha256 as sha2::Digest>::digest(&weights));
    let home = tempfile::tempdir().unwrap();
    let blobs = home.path().join("hub/models--org--tiny/blobs");
    std::fs::create_dir_all(&blobs).unwrap();
    let half = weights.len() / 2;
    std::fs::write(blobs.join(format!("{sha}.incomplete")), &weights[..half]).unwrap();
    let work = tempfile::tempdir().unwrap();
    let (key, _) = keys(&server, work.path());
    let out = work.path().join("x.tar.zst");
    let packed = pack_hf(home.path(), &server, &key, &out);
    assert!(packed.status.success(), "{}", stderr(&packed));
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.iter()
            .any(|l| l.contains("model.safetensors") && l.ends_with(&format!("bytes={half}-"))),
        "{log:#?}"
    );
    assert_eq!(std::fs::read(blobs.join(&sha)).unwrap(), weights);
    assert!(!blobs.join(format!("{sha}.incomplete")).exists());
}

#[test]
fn report_lists_remote_weights_by_the_hubs_sha256() {
    let server = Server::start(vec![sharded_repo("org/big", COMMIT)]);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("big.html");
    let out = openseal(
        &server,
        &["report", "hf://org/big", "--html", page.to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(&format!("hf://org/big@{COMMIT}")));
    // The shards' digests are the Hub's, not those of the zeros never downloaded.
    for i in 1..=4 {
        assert!(html.contains(&shard_sha(i)[..32]), "shard {i}");
    }
    assert!(server.bytes_sent.load(Ordering::SeqCst) < 1 << 20);
}

#[test]
fn bom_of_a_hub_model_lists_its_files_by_the_hubs_sha256() {
    let server = Server::start(vec![sharded_repo("org/big", COMMIT)]);
    let out = openseal(
        &server,
        &["bom", "hf://org/big", "--format", "cyclonedx"],
        &[("SOURCE_DATE_EPOCH", "0")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bom["specVersion"], "1.6");
    let listed: Vec<String> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "file")
        .flat_map(|c| c["hashes"].as_array().unwrap().iter())
        .map(|h| h["content"].as_str().unwrap().to_string())
        .collect();
    // The shards, never downloaded, are listed by the digests the Hub gives.
    for i in 1..=4 {
        assert!(listed.contains(&shard_sha(i)), "shard {i}: {listed:?}");
    }
    assert!(server.bytes_sent.load(Ordering::SeqCst) < 1 << 20);
    // Where it came from, for SPDX's download location.
    let spdx = openseal(
        &server,
        &["bom", "hf://org/big", "--format", "spdx"],
        &[("SOURCE_DATE_EPOCH", "0")],
    );
    assert!(spdx.status.success(), "{}", stderr(&spdx));
    let text = String::from_utf8(spdx.stdout).unwrap();
    assert!(text.contains(&format!("hf://org/big@{COMMIT}")), "{text}");
}

#[test]
fn diff_compares_a_bundle_with_the_hub_file_by_file() {
    let mut changed = example_repo("org/changed", None);
    for f in &mut changed.files {
        if f.path == "config.json" {
            *f = File::git("config.json", br#"{"model_type": "llama"}"#.to_vec());
        }
    }
    let server = Server::start(vec![example_repo("org/tiny", None), changed]);
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (key, _) = keys(&server, work.path());
    let bundle = work.path().join("tiny.tar.zst");
    let packed = pack_hf(home.path(), &server, &key, &bundle);
    assert!(packed.status.success(), "{}", stderr(&packed));
    let bundle = bundle.to_str().unwrap();

    // A fresh cache: the Hub side is read header-only, its weights by the LFS SHA-256.
    let before = server.bytes_sent.load(Ordering::SeqCst);
    let same = openseal(&server, &["diff", "--json", bundle, "hf://org/tiny"], &[]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let report: Value = serde_json::from_slice(&same.stdout).unwrap();
    conforms(&report, "diff-files");
    assert_eq!(report["identical"], true);
    assert_eq!(report["unchanged"], 10);
    let weights = testdata("example-model/model.safetensors").len() as u64;
    assert!(server.bytes_sent.load(Ordering::SeqCst) - before < weights);

    // A reference to one file compares that file.
    let one = openseal(
        &server,
        &["diff", "--json", bundle, "hf://org/tiny/model.safetensors"],
        &[],
    );
    let one: Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(one["b"]["files"], 1);
    assert_eq!(one["unchanged"], 1);

    let other = openseal(&server, &["diff", bundle, "hf://org/changed"], &[]);
    assert_eq!(other.status.code(), Some(1), "{}", stderr(&other));
    let text = String::from_utf8_lossy(&other.stdout);
    assert!(text.contains("changed       config.json"), "{text}");
    assert!(text.contains("9 unchanged, 1 changed"), "{text}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = Server::start(vec![example_repo("org/tiny", None)]);
    server.faults.stall.store(true, Ordering::SeqCst);
    let started = std::time::Instant::now();
    let out = openseal(
        &server,
        &["inspect", "hf://org/tiny"],
        &[
            ("OPENSEAL_HTTP_TIMEOUT", "1"),
            ("OPENSEAL_HTTP_ATTEMPTS", "1"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(
        stderr(&out).contains("imeout") || stderr(&out).contains("timed out"),
        "{}",
        stderr(&out)
    );
}

/// A GGUF file whose vocabulary (`n_tokens` strings) makes its metadata megabytes long,
/// followed by `data_bytes` of tensor data left as zeros: (head, total size).
fn gguf_with_vocabulary(n_tokens: u64, data_bytes: u64) -> (Vec<u8>, u64) {
    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u64).to_le_bytes());
        out.extend(s.as_bytes());
    }
    let mut b = b"GGUF".to_vec();
    b.extend(3u32.to_le_bytes());
    b.extend(1u64.to_le_bytes()); // tensors
    b.extend(2u64.to_le_bytes()); // key/values
    string(&mut b, "general.architecture");
    b.extend(8u32.to_le_bytes());
    string(&mut b, "llama");
    string(&mut b, "tokenizer.ggml.tokens");
    b.extend(9u32.to_le_bytes());
    b.extend(8u32.to_le_bytes());
    b.extend(n_tokens.to_le_bytes());
    for i in 0..n_tokens {
        string(&mut b, &format!("token-number-{i:012}"));
    }
    string(&mut b, "token_embd.weight");
    b.extend(2u32.to_le_bytes());
    let (rows, cols) = (data_bytes / 4 / 4096, 4096u64);
    b.extend(cols.to_le_bytes());
    b.extend(rows.to_le_bytes());
    b.extend(0u32.to_le_bytes()); // F32
    b.extend(0u64.to_le_bytes());
    while !b.len().is_multiple_of(32) {
        b.push(0);
    }
    let size = b.len() as u64 + rows * cols * 4;
    (b, size)
}

#[test]
fn a_gguf_whose_metadata_runs_for_megabytes_is_read_by_growing_ranges() {
    let (head, size) = gguf_with_vocabulary(100_000, 1 << 30);
    assert!(head.len() > 2 << 20);
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("model.gguf");
    let file = std::fs::File::create(&local).unwrap();
    std::io::Write::write_all(&mut &file, &head).unwrap();
    file.set_len(size).unwrap();
    let mut repo = example_repo("org/gguf", None);
    repo.files.retain(|f| !f.path.ends_with(".safetensors"));
    repo.files.push(File::sparse(
        "model.gguf",
        head.clone(),
        size,
        &shard_sha(9),
    ));
    let server = Server::start(vec![repo]);
    let remote = json(&openseal(
        &server,
        &["inspect", "--json", "hf://org/gguf/model.gguf"],
        &[],
    ));
    let local = json(&openseal(
        &server,
        &["inspect", "--json", local.to_str().unwrap()],
        &[],
    ));
    for key in ["parameters", "architecture", "tokenizer"] {
        assert_eq!(remote["inputs"][0][key], local["inputs"][0][key], "{key}");
    }
    assert_eq!(
        remote["inputs"][0]["files"][0]["metadata"],
        local["inputs"][0]["files"][0]["metadata"]
    );
    // 256 KiB, doubled until the metadata ended: never more than twice the header.
    let sent = server.bytes_sent.load(Ordering::SeqCst);
    assert!(
        sent < 2 * head.len() as u64 + (1 << 20),
        "{sent} bytes for a {} byte header",
        head.len()
    );
    let ranges = server
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("model.gguf") && l.contains("bytes="))
        .count();
    assert!(ranges >= 4, "{ranges} range requests");
}

#[test]
fn paths_with_the_same_content_share_one_blob() {
    let mut repo = example_repo("org/tiny", None);
    let weights = testdata("example-model/model.safetensors");
    repo.files
        .push(File::lfs("copy/model.safetensors", weights.clone()));
    let server = Server::start(vec![repo]);
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (key, _) = keys(&server, work.path());
    let packed = pack_hf(home.path(), &server, &key, &work.path().join("x.tar.zst"));
    assert!(packed.status.success(), "{}", stderr(&packed));
    let snapshot = home
        .path()
        .join("hub/models--org--tiny/snapshots")
        .join(COMMIT);
    for path in ["model.safetensors", "copy/model.safetensors"] {
        assert_eq!(
            std::fs::read(snapshot.join(path)).unwrap(),
            weights,
            "{path}"
        );
    }
    let gets = server
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("GET /cdn/") && l.contains("model.safetensors"))
        .count();
    assert_eq!(gets, 1);
}

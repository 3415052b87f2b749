//! Models where `huggingface_hub` keeps them: a cache snapshot whose files are symbolic links
//! into `blobs/`, read as a folder and as `hf://ORG/NAME`, packed with the links' contents, and
//! the errors a user meets (a link leaving the release, a repository not in the cache, a folder
//! without weights).

use serde_json::Value;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const COMMIT: &str = "4f0c2b8a9d1e3f5a7b9c0d2e4f6a8b0c1d3e5f7a";

fn openseal(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        // No test reaches the internet: a Hub that refuses at once, asked once.
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .env("OPENSEAL_HTTP_ATTEMPTS", "1")
        .args(args)
        .env("HF_HUB_CACHE", cache)
        .env_remove("HF_HOME")
        .env_remove("HF_HUB_OFFLINE")
        .output()
        .unwrap()
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example-model")
}

/// A cache holding the example model as `org/tiny` at `main`, every file a link into `blobs/`
/// named by a made-up digest, as `huggingface_hub` lays it out. Returns the snapshot folder.
fn cache_with_example(cache: &Path) -> PathBuf {
    let repo = cache.join("models--org--tiny");
    let snapshot = repo.join("snapshots").join(COMMIT);
    std::fs::create_dir_all(&snapshot).unwrap();
    std::fs::create_dir_all(repo.join("blobs")).unwrap();
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::write(repo.join("refs").join("main"), COMMIT).unwrap();
    for (i, entry) in std::fs::read_dir(example()).unwrap().enumerate() {
        let entry = entry.unwrap();
        if entry.file_name() == "openseal.toml" {
            continue;
        }
        let blob = format!("{i:064x}");
        std::fs::copy(entry.path(), repo.join("blobs").join(&blob)).unwrap();
        symlink(
            format!("../../blobs/{blob}"),
            snapshot.join(entry.file_name()),
        )
        .unwrap();
    }
    snapshot
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_cache_snapshot_reads_like_the_plain_folder() {
    let cache = tempfile::tempdir().unwrap();
    let snapshot = cache_with_example(cache.path());
    let plain = json(&openseal(
        &["inspect", "--json", example().to_str().unwrap()],
        cache.path(),
    ));
    for arg in [
        snapshot.to_str().unwrap(),
        "hf://org/tiny",
        "hf://org/tiny@main",
    ] {
        let linked = json(&openseal(&["inspect", "--json", arg], cache.path()));
        let (p, l) = (&plain["inputs"][0], &linked["inputs"][0]);
        // The same report, but for where each input lives.
        let rooted = |v: &Value, root: &Path| v.to_string().replace(root.to_str().unwrap(), "ROOT");
        for key in [
            "parameters",
            "architecture",
            "tokenizer",
            "card",
            "safety",
            "licenses",
        ] {
            assert_eq!(
                rooted(&p[key], &example()),
                rooted(&l[key], &snapshot),
                "{arg}: {key}"
            );
        }
        let file = &l["files"][0];
        assert_eq!(file["tensor_count"], p["files"][0]["tensor_count"]);
        let target = file["link_target"].as_str().unwrap();
        assert!(target.contains("/blobs/"), "{arg}: {target}");
    }
}

#[test]
fn a_single_file_of_a_cached_repository() {
    let cache = tempfile::tempdir().unwrap();
    cache_with_example(cache.path());
    let v = json(&openseal(
        &[
            "inspect",
            "--json",
            &format!("hf://org/tiny@{COMMIT}/model.safetensors"),
        ],
        cache.path(),
    ));
    assert_eq!(v["inputs"][0]["files"][0]["format"], "safetensors");
}

#[test]
fn pack_stores_what_the_links_point_to_and_refuses_a_link_out() {
    let cache = tempfile::tempdir().unwrap();
    let snapshot = cache_with_example(cache.path());
    let work = tempfile::tempdir().unwrap();
    let bundle = work.path().join("tiny.tar.zst");
    let keyfile = work.path().join("k");
    let made = openseal(&["keygen", "-o", keyfile.to_str().unwrap()], cache.path());
    assert!(made.status.success());
    let packed = openseal(
        &[
            "pack",
            "hf://org/tiny",
            "-o",
            bundle.to_str().unwrap(),
            "--key",
            keyfile.with_extension("key").to_str().unwrap(),
            "--json",
        ],
        cache.path(),
    );
    assert!(
        packed.status.success(),
        "{}",
        String::from_utf8_lossy(&packed.stderr)
    );
    // A snapshot folder is named by a commit: the release is named after the repository.
    assert_eq!(json(&packed)["release"]["name"], "org/tiny");
    let out = work.path().join("unpacked");
    let unpacked = openseal(
        &[
            "unpack",
            bundle.to_str().unwrap(),
            "-C",
            out.to_str().unwrap(),
            "--trust",
            keyfile.with_extension("pub").to_str().unwrap(),
        ],
        cache.path(),
    );
    assert!(
        unpacked.status.success(),
        "{}",
        String::from_utf8_lossy(&unpacked.stderr)
    );
    let weights = out.join("model.safetensors");
    assert!(!std::fs::symlink_metadata(&weights).unwrap().is_symlink());
    assert_eq!(
        std::fs::read(&weights).unwrap(),
        std::fs::read(example().join("model.safetensors")).unwrap()
    );

    // A link that leaves both the snapshot and its repository's blobs is refused by name.
    let secret = cache.path().join("secret.txt");
    std::fs::write(&secret, "not part of the release").unwrap();
    symlink(&secret, snapshot.join("notes.txt")).unwrap();
    let refused = openseal(
        &[
            "pack",
            snapshot.to_str().unwrap(),
            "-o",
            work.path().join("second.tar.zst").to_str().unwrap(),
            "--key",
            keyfile.with_extension("key").to_str().unwrap(),
        ],
        cache.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("notes.txt") && err.contains("outside the release folder"),
        "{err}"
    );
    assert!(!work.path().join("second.tar.zst").exists());
}

#[test]
fn a_repository_not_in_the_cache_is_a_clear_error() {
    let cache = tempfile::tempdir().unwrap();
    cache_with_example(cache.path());
    let out = Command::new(env!("CARGO_BIN_EXE_openseal"))
        // No test reaches the internet: a Hub that refuses at once, asked once.
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .env("OPENSEAL_HTTP_ATTEMPTS", "1")
        .args(["classify", "hf://org/missing"])
        .env("HF_HUB_CACHE", cache.path())
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("org/missing") && err.contains("HF_HUB_OFFLINE"),
        "{err}"
    );
    let out = openseal(&["inspect", "hf://org/tiny@v2"], cache.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("revision v2"));
    let out = openseal(&["inspect", "hf://org"], cache.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hf_home_is_honoured() {
    let home = tempfile::tempdir().unwrap();
    cache_with_example(&home.path().join("hub"));
    let out = Command::new(env!("CARGO_BIN_EXE_openseal"))
        // No test reaches the internet: a Hub that refuses at once, asked once.
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .env("OPENSEAL_HTTP_ATTEMPTS", "1")
        .args(["inspect", "--json", "hf://org/tiny"])
        .env("HF_HOME", home.path())
        .env_remove("HF_HUB_CACHE")
        .output()
        .unwrap();
    assert_eq!(json(&out)["inputs"][0]["files"][0]["tensor_count"], 21);
}

#[test]
fn a_folder_without_weights_is_not_called_safe() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example().join("config.json"),
        dir.path().join("config.json"),
    )
    .unwrap();
    let text = openseal(&["inspect", dir.path().to_str().unwrap()], dir.path());
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("no weights found"), "{stdout}");
    assert!(!stdout.contains("safety  safe"), "{stdout}");
    let v = json(&openseal(
        &["inspect", "--json", dir.path().to_str().unwrap()],
        dir.path(),
    ));
    assert_eq!(v["inputs"][0]["safety"]["verdict"], "no-weights");
}

#[test]
fn init_describes_a_cached_repository_by_pinned_urls() {
    let cache = tempfile::tempdir().unwrap();
    cache_with_example(cache.path());
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("openseal.toml");
    let refused = openseal(&["init", "hf://org/tiny"], cache.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("-o DIR/openseal.toml"));

    let out = Command::new(env!("CARGO_BIN_EXE_openseal"))
        // No test reaches the internet: a Hub that refuses at once, asked once.
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .env("OPENSEAL_HTTP_ATTEMPTS", "1")
        .args([
            "init",
            "hf://org/tiny",
            "-o",
            target.to_str().unwrap(),
            "--json",
        ])
        .env("HF_HUB_CACHE", cache.path())
        .env("HF_ENDPOINT", "https://hub.example/")
        .output()
        .unwrap();
    let summary = json(&out);
    assert_eq!(summary["release"]["name"], "org/tiny");
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(
        text.contains(&format!(
            "https://hub.example/org/tiny/blob/{COMMIT}/model.safetensors"
        )),
        "{text}"
    );
    // The descriptor stands alone: classify reads it from a folder holding nothing else.
    let v = json(&openseal(
        &[
            "classify",
            "--json",
            "--framework",
            "mof",
            work.path().to_str().unwrap(),
        ],
        cache.path(),
    ));
    let rows = v["results"][0]["components"].as_array().unwrap();
    let weights = rows.iter().find(|r| r["id"] == "weights.final").unwrap();
    assert_eq!(weights["status"], "referenced");
    assert_eq!(weights["license"], "mit");
}

//! `openseal init` on each example release writes exactly the openseal.toml committed beside
//! it, and reading that descriptor back gives the release detection found.

use openseal::{descriptor, detect};
use std::path::Path;
use std::process::Command;

const RELEASES: &[&str] = &["mof-class-iii", "mof-class-ii", "mof-class-i"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn init_reproduces_the_committed_descriptors() {
    for name in RELEASES {
        let dir = root().join("testdata/releases").join(name);
        let out = Command::new(env!("CARGO_BIN_EXE_openseal"))
            .args(["init", "--dry-run"])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let committed = std::fs::read_to_string(dir.join("openseal.toml")).unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), committed, "{name}");
    }
}

#[test]
fn descriptors_read_back_as_detected() {
    for name in RELEASES {
        let dir = root().join("testdata/releases").join(name);
        let detected = detect::detect(&dir).unwrap();
        let loaded = descriptor::load(&dir).unwrap().expect("descriptor present");
        assert_eq!(loaded.release, detected.release, "{name}");
        assert_eq!(loaded.license_files, detected.license_files, "{name}");
    }
}

#[test]
fn init_refuses_to_overwrite_and_writes_into_a_fresh_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let src = root().join("testdata/example-model");
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "openseal.toml" {
            std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).unwrap();
        }
    }
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_openseal"))
            .args(args)
            .arg(tmp.path())
            .output()
            .unwrap()
    };
    let first = run(&["init", "--json"]);
    assert_eq!(first.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(v["schema"], "openseal.init/v1");
    assert!(tmp.path().join("openseal.toml").is_file());
    let again = run(&["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(run(&["init", "--force"]).status.code(), Some(0));
}

#[test]
fn a_card_licence_covers_every_component_without_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let src = root().join("testdata/example-model");
    for name in ["config.json", "model.safetensors"] {
        std::fs::copy(src.join(name), tmp.path().join(name)).unwrap();
    }
    std::fs::write(
        tmp.path().join("README.md"),
        "---\nlicense: apache-2.0\n---\n# A model\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("train.py"), "print('train')\n").unwrap();
    let detected = detect::detect(tmp.path()).unwrap();
    assert_eq!(
        detected.release.licenses.weights.as_deref(),
        Some("apache-2.0")
    );
    assert_eq!(
        detected.release.licenses.distribution.as_deref(),
        Some("apache-2.0")
    );
    let out = Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(["classify", "--json", "--framework", "mof"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["results"][0]["components"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    for id in [
        "code.training",
        "code.model-architecture",
        "docs.model-card",
    ] {
        let r = row(id);
        assert_eq!(r["license"], "apache-2.0", "{id}: {r}");
        assert_eq!(r["license_source"], "distribution", "{id}: {r}");
    }
    assert_eq!(row("weights.final")["license_source"], "default-weights");
}

#[test]
fn each_dataset_a_card_names_is_its_own_entry() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("testdata/example-model/model.safetensors"),
        tmp.path().join("model.safetensors"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("README.md"),
        "---\nlicense: mit\ndatasets:\n- org/first\n- org/second\n- org/third\n---\n# M\n",
    )
    .unwrap();
    let detected = detect::detect(tmp.path()).unwrap();
    let data = detected
        .release
        .components
        .iter()
        .find(|c| c.id == "datasets.pre-training")
        .unwrap();
    assert_eq!(
        data.url.as_deref(),
        Some("https://huggingface.co/datasets/org/first")
    );
    assert_eq!(
        data.urls,
        [
            "https://huggingface.co/datasets/org/second",
            "https://huggingface.co/datasets/org/third"
        ]
    );
    // The descriptor init writes reads back as the same release.
    let text = descriptor::render(&detected);
    assert!(text.contains("urls = ["), "{text}");
    std::fs::write(tmp.path().join("openseal.toml"), &text).unwrap();
    let loaded = descriptor::load(tmp.path()).unwrap().unwrap();
    assert_eq!(loaded.release, detected.release);
}

//! `openseal export --oci-layout`: the layout is reproducible, content-addressed, its layers are
//! the files the signed manifest lists, a bundle that does not verify leaves nothing, and real
//! tools read it: `skopeo` inspects the layout and copies it through the CNCF distribution
//! registry (`docker-registry`) without changing the manifest's digest.
//!
//! The `skopeo`/registry test is skipped with a note when either tool is missing, unless `CI` is
//! set (`.ci/run` installs both: `apt-get install docker-registry skopeo`).

mod common;

use common::bundles::{TRUST, openseal, pack_example, root, s, stderr};

use common::registry::skopeo;
use openseal::digest::Sha256Digest;
use openseal::manifest::Manifest;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Output;

fn export(bundle: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "export",
        s(bundle),
        "--oci-layout",
        s(out),
        "--trust",
        TRUST,
    ];
    args.extend_from_slice(extra);
    openseal(&args)
}

fn export_ok(bundle: &Path, out: &Path, extra: &[&str]) -> Output {
    let o = export(bundle, out, extra);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_str().unwrap().to_string();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn blob(layout: &Path, digest: &str) -> Vec<u8> {
    let hex = digest.strip_prefix("sha256:").unwrap();
    fs::read(layout.join("blobs/sha256").join(hex)).unwrap()
}

/// The layout's one manifest descriptor from `index.json`.
fn index_entry(layout: &Path) -> Value {
    let index: Value =
        serde_json::from_slice(&fs::read(layout.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["schemaVersion"], 2);
    assert_eq!(
        index["mediaType"],
        "application/vnd.oci.image.index.v1+json"
    );
    let manifests = index["manifests"].as_array().unwrap();
    assert_eq!(manifests.len(), 1);
    manifests[0].clone()
}

/// The head of a bundle (manifest, signature), exactly as stored.
fn bundle_head(bundle: &Path) -> (Vec<u8>, Vec<u8>) {
    let (head, _) = openseal::bundle::BundleReader::open(bundle)
        .unwrap()
        .read_head()
        .unwrap();
    (head.manifest, head.signature)
}

fn schema(name: &str) -> Value {
    serde_json::from_slice(&fs::read(root().join("formats").join(name)).unwrap()).unwrap()
}

#[test]
fn exporting_twice_gives_the_same_layout_and_a_report_in_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let oa = export_ok(&bundle, &a, &["--json"]);
    let ob = export_ok(&bundle, &b, &["--json"]);
    let ra: Value = serde_json::from_slice(&oa.stdout).unwrap();
    let rb: Value = serde_json::from_slice(&ob.stdout).unwrap();
    let sch = schema("oci-export.schema.json");
    common::schema::check(&sch, &sch, &ra, "report").unwrap();
    assert_eq!(ra["exported"], true);
    assert_eq!(ra["tag"], "1.0");
    assert_eq!(ra["manifest_digest"], rb["manifest_digest"]);
    assert_eq!(ra["reference"], format!("oci:{}:1.0", a.display()));
    assert_eq!(ra["release"]["name"], "tiny-llama-example");
    assert_eq!(tree(&a), tree(&b), "the two layouts differ");
    // The digest printed is the index's, and the digest of the manifest's bytes.
    let entry = index_entry(&a);
    assert_eq!(entry["digest"], ra["manifest_digest"]);
    let digest = ra["manifest_digest"].as_str().unwrap();
    let bytes = blob(&a, digest);
    assert_eq!(
        format!("sha256:{}", Sha256Digest::of(&bytes)),
        digest,
        "manifest blob"
    );
    assert_eq!(ra["manifest_size"], bytes.len() as u64);
    // The human report names the digest and the layer count.
    let c = dir.path().join("c");
    let human = String::from_utf8(export_ok(&bundle, &c, &["--tag", "v1"]).stdout).unwrap();
    assert!(human.contains(digest), "{human}");
    assert!(human.contains("layers     13"), "{human}");
    assert!(
        human.contains(&format!("oci:{}:v1", c.display())),
        "{human}"
    );
    assert_eq!(
        index_entry(&c)["annotations"]["org.opencontainers.image.ref.name"],
        "v1"
    );
}

#[test]
fn blobs_are_named_by_their_digests_and_the_layers_are_the_signed_files() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let out = dir.path().join("layout");
    export_ok(&bundle, &out, &[]);

    assert_eq!(
        fs::read(out.join("oci-layout")).unwrap(),
        br#"{"imageLayoutVersion":"1.0.0"}"#
    );
    for (path, bytes) in tree(&out) {
        if let Some(hex) = path.strip_prefix("blobs/sha256/") {
            assert_eq!(Sha256Digest::of(&bytes).to_hex(), hex, "{path}");
        } else {
            assert!(
                ["index.json", "oci-layout"].contains(&path.as_str()),
                "{path}"
            );
        }
    }

    let entry = index_entry(&out);
    assert_eq!(
        entry["annotations"]["org.opencontainers.image.ref.name"],
        "1.0"
    );
    assert_eq!(
        entry["artifactType"],
        "application/vnd.cncf.model.manifest.v1+json"
    );
    let manifest_bytes = blob(&out, entry["digest"].as_str().unwrap());
    let m: Value = serde_json::from_slice(&manifest_bytes).unwrap();
    let sch = schema("oci-manifest.schema.json");
    common::schema::check(&sch, &sch, &m, "manifest").unwrap();
    let file_metadata = &sch["$defs"]["fileMetadata"];

    // The first two layers are the bundle's head, byte for byte.
    let (signed, signature) = bundle_head(&bundle);
    let layers = m["layers"].as_array().unwrap();
    assert_eq!(blob(&out, layers[0]["digest"].as_str().unwrap()), signed);
    assert_eq!(blob(&out, layers[1]["digest"].as_str().unwrap()), signature);
    assert_eq!(
        layers[0]["mediaType"],
        "application/vnd.openseal.manifest.v1+json"
    );
    assert_eq!(
        layers[1]["mediaType"],
        "application/vnd.openseal.manifest.sig.v1+json"
    );

    // Then one layer per release file, in the manifest's order, with its digest and size.
    let openseal_manifest = Manifest::from_bytes(&signed).unwrap();
    let expected = openseal_manifest.expected().unwrap();
    assert_eq!(layers.len(), expected.len() + 2);
    let mut types = BTreeMap::new();
    for (layer, file) in layers[2..].iter().zip(&expected) {
        let ann = &layer["annotations"];
        assert_eq!(ann["org.cncf.model.filepath"], file.path.as_str());
        assert_eq!(layer["digest"], format!("sha256:{}", file.sha256));
        assert_eq!(layer["size"], file.size);
        let bytes = blob(&out, layer["digest"].as_str().unwrap());
        assert_eq!(Sha256Digest::of(&bytes), file.sha256, "{}", file.path);
        let meta: Value =
            serde_json::from_str(ann["org.cncf.model.file.metadata+json"].as_str().unwrap())
                .unwrap();
        common::schema::check(file_metadata, &sch, &meta, &file.path).unwrap();
        assert_eq!(meta["size"], file.size);
        types.insert(
            file.path.clone(),
            layer["mediaType"].as_str().unwrap().to_string(),
        );
    }
    let raw = |t: &str| format!("application/vnd.cncf.model.{t}.v1.raw");
    for (path, t) in [
        ("model.safetensors", "weight"),
        ("config.json", "weight.config"),
        ("tokenizer_config.json", "weight.config"),
        ("generation_config.json", "weight.config"),
        ("README.md", "doc"),
        ("LICENSE", "doc"),
        ("bom.cdx.json", "doc"),
        ("openseal.toml", "doc"),
    ] {
        assert_eq!(types[path], raw(t), "{path}");
    }

    // The config: what the manifest says, and one diffId per layer.
    let config_bytes = blob(&out, m["config"]["digest"].as_str().unwrap());
    let config: Value = serde_json::from_slice(&config_bytes).unwrap();
    assert_eq!(config["descriptor"]["name"], "tiny-llama-example");
    assert_eq!(config["descriptor"]["version"], "1.0");
    assert_eq!(config["descriptor"]["licenses"][0], "MIT");
    assert_eq!(config["config"]["format"], "safetensors");
    assert_eq!(config["config"]["precision"], "bf16");
    assert_eq!(config["config"]["paramSize"], "106.8K");
    assert_eq!(config["modelfs"]["type"], "layers");
    let diff_ids: Vec<&Value> = layers.iter().map(|l| &l["digest"]).collect();
    assert_eq!(
        config["modelfs"]["diffIds"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        diff_ids
    );

    // The declared MOF class, as the proposal's annotations.
    let ann = &m["annotations"];
    assert_eq!(ann["org.cncf.ai.model.mof.class"], "III");
    assert_eq!(ann["org.cncf.ai.model.mof.version"], "1.0");
    let components = ann["org.cncf.ai.model.mof.components"].as_str().unwrap();
    for c in ["model-architecture", "final-model-parameters", "model-card"] {
        assert!(components.split(',').any(|x| x == c), "{components}");
    }
    assert_eq!(ann["org.opencontainers.image.version"], "1.0");
}

#[test]
fn an_untrusted_signature_exits_1_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let other = dir.path().join("other");
    let o = openseal(&["keygen", "-o", s(&other)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("layout");
    let pubkey = dir.path().join("other.pub");
    let o = openseal(&[
        "export",
        s(&bundle),
        "--oci-layout",
        s(&out),
        "--trust",
        s(&pubkey),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("signature"), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let sch = schema("oci-export.schema.json");
    common::schema::check(&sch, &sch, &report, "report").unwrap();
    assert_eq!(report["exported"], false);
    assert_eq!(report["failure"], "signature");
    assert!(!out.exists());
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("openseal-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_file_changed_in_the_bundle_exits_1_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let mut tar = zstd::decode_all(&fs::read(&bundle).unwrap()[..]).unwrap();
    let card = fs::read(root().join("testdata/example-model/README.md")).unwrap();
    let at = tar
        .windows(card.len())
        .position(|w| w == &card[..])
        .expect("README.md in the tar");
    tar[at + card.len() / 2] ^= 0x20;
    let tampered = dir.path().join("tampered.tar.zst");
    fs::write(&tampered, zstd::encode_all(&tar[..], 3).unwrap()).unwrap();
    let out = dir.path().join("layout");
    let o = export(&tampered, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("README.md"), "{}", stderr(&o));
    assert!(!out.exists());
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.contains("openseal-")), "{names:?}");
}

#[test]
fn an_existing_target_or_a_bad_tag_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let out = dir.path().join("layout");
    fs::create_dir(&out).unwrap();
    let o = export(&bundle, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
    let fresh = dir.path().join("fresh");
    let o = export(&bundle, &fresh, &["--tag", "a/b"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("tag"), "{}", stderr(&o));
    assert!(!fresh.exists());
    let o = export(&dir.path().join("missing.tar.zst"), &fresh, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn skopeo_reads_the_layout_and_a_registry_keeps_its_digest() {
    let Some((skopeo_bin, registry_bin)) = common::registry::tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let out = dir.path().join("layout");
    let report: Value =
        serde_json::from_slice(&export_ok(&bundle, &out, &["--json", "--tag", "v1"]).stdout)
            .unwrap();
    let digest = report["manifest_digest"].as_str().unwrap().to_string();
    let manifest_bytes = blob(&out, &digest);

    // skopeo finds the tag in the layout and returns the manifest's exact bytes.
    let layout_ref = format!("oci:{}:v1", out.display());
    let raw = skopeo(&skopeo_bin, &["inspect", "--raw", &layout_ref]).stdout;
    assert_eq!(raw, manifest_bytes);

    // The CNCF distribution registry, on a free port, storing in a temporary folder.
    let registry = common::registry::start(&registry_bin, dir.path());
    let port = registry.port;
    let remote = format!("docker://127.0.0.1:{port}/org/model:v1");
    skopeo(
        &skopeo_bin,
        &["copy", "--dest-tls-verify=false", &layout_ref, &remote],
    );
    let pushed = skopeo(
        &skopeo_bin,
        &["inspect", "--raw", "--tls-verify=false", &remote],
    )
    .stdout;
    assert_eq!(format!("sha256:{}", Sha256Digest::of(&pushed)), digest);
}

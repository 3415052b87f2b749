//! `openseal push` and `openseal pull` against the CNCF distribution registry
//! (`docker-registry`) on a loopback port: the pushed manifest is the one `skopeo` reads back
//! and the one `export` + `skopeo copy` gives, a second push uploads nothing, a pull is the
//! folder `unpack` gives, and an untrusted signer, a blob altered in the registry's storage or
//! an unknown tag leave nothing behind.
//!
//! Skipped with a note when `skopeo` or `docker-registry` is missing, unless `CI` is set.

mod common;

use common::bundles::{TRUST, openseal, pack_example, root, s, stderr};

use common::registry::{self, skopeo};
use openseal::digest::Sha256Digest;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Output;

/// Every file under `dir` by relative path, with its bytes and whether it is executable.
fn tree(dir: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
    use std::os::unix::fs::PermissionsExt;
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, (Vec<u8>, bool)>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_str().unwrap().to_string();
                let exec = fs::metadata(&p).unwrap().permissions().mode() & 0o111 != 0;
                out.insert(rel, (fs::read(&p).unwrap(), exec));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn push(bundle: &Path, reference: &str) -> Output {
    conforms(
        openseal(&["push", s(bundle), reference, "--trust", TRUST, "--json"]),
        "oci-push",
    )
}

fn pull(reference: &str, dir: &Path, trust: &str) -> Output {
    conforms(
        openseal(&["pull", reference, "-C", s(dir), "--trust", trust, "--json"]),
        "oci-pull",
    )
}

/// Checks a `--json` report on standard output against `formats/NAME.schema.json` (when there
/// is one: a usage error prints none) and passes the output on.
fn conforms(o: Output, name: &str) -> Output {
    if let Ok(v) = serde_json::from_slice::<Value>(&o.stdout) {
        let path = format!("{}/formats/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
        let schema: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        common::schema::check(&schema, &schema, &v, "$")
            .unwrap_or_else(|e| panic!("{name}: {e}\n{v:#}"));
    }
    o
}

/// Nothing named like openseal's temporary files is left in `dir`.
fn no_leftovers(dir: &Path) {
    let left: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("openseal-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn push_and_pull_through_a_real_registry() {
    let Some((skopeo_bin, registry_bin)) = registry::tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let reg = registry::start(&registry_bin, dir.path());
    let host = format!("127.0.0.1:{}", reg.port);
    let reference = format!("oci://{host}/org/model:v1");

    // Push: the printed digest is the digest of the manifest skopeo reads back.
    let o = push(&bundle, &reference);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(first["pushed"], true);
    let digest = first["manifest_digest"].as_str().unwrap().to_string();
    let layers = first["layers"].as_u64().unwrap();
    // Every layer and the config, less any duplicated contents.
    assert!(first["uploaded"].as_u64().unwrap() >= 2, "{first}");
    assert_eq!(first["skipped"], 0);
    let remote = format!("docker://{host}/org/model:v1");
    let raw = skopeo(
        &skopeo_bin,
        &["inspect", "--raw", "--tls-verify=false", &remote],
    )
    .stdout;
    assert_eq!(format!("sha256:{}", Sha256Digest::of(&raw)), digest);
    let m: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(
        m["artifactType"],
        "application/vnd.cncf.model.manifest.v1+json"
    );
    assert_eq!(m["layers"].as_array().unwrap().len() as u64, layers);

    // A second push uploads nothing.
    let o = push(&bundle, &reference);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let second: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(second["uploaded"], 0, "{second}");
    assert_eq!(second["manifest_digest"], digest.as_str());
    assert!(second["skipped"].as_u64().unwrap() >= 2);
    // The human report names the digest and the counts.
    let o = openseal(&["push", s(&bundle), &reference, "--trust", TRUST]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let human = String::from_utf8(o.stdout).unwrap();
    assert!(human.contains(&digest), "{human}");
    assert!(human.contains("uploaded   0 blob(s)"), "{human}");

    // Pull gives the folder unpack gives, by tag and by digest.
    let unpacked = dir.path().join("unpacked");
    let o = openseal(&["unpack", s(&bundle), "-C", s(&unpacked), "--trust", TRUST]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pulled = dir.path().join("pulled");
    let o = pull(&reference, &pulled, TRUST);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["pulled"], true);
    assert_eq!(report["manifest_digest"], digest.as_str());
    assert_eq!(tree(&pulled), tree(&unpacked));
    let by_digest = dir.path().join("by-digest");
    let o = pull(
        &format!("oci://{host}/org/model@{digest}"),
        &by_digest,
        TRUST,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(tree(&by_digest), tree(&unpacked));

    // An existing target: exit 2, untouched.
    let o = pull(&reference, &pulled, TRUST);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));

    // An untrusted signer: exit 1, nothing left.
    let other = dir.path().join("other");
    let o = openseal(&["keygen", "-o", s(&other)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let untrusted = dir.path().join("untrusted");
    let o = pull(&reference, &untrusted, s(&dir.path().join("other.pub")));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("signature"), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["failure"], "signature");
    assert!(!untrusted.exists());
    no_leftovers(dir.path());

    // An unknown tag: exit 2, the registry's error code named.
    let unknown = dir.path().join("unknown");
    let o = pull(&format!("oci://{host}/org/model:nope"), &unknown, TRUST);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("MANIFEST_UNKNOWN"), "{}", stderr(&o));
    assert!(!unknown.exists());

    // export + skopeo copy gives the same manifest digest as push.
    let layout = dir.path().join("layout");
    let o = openseal(&[
        "export",
        s(&bundle),
        "--oci-layout",
        s(&layout),
        "--tag",
        "v2",
        "--trust",
        TRUST,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let copied = format!("docker://{host}/org/copied:v2");
    skopeo(
        &skopeo_bin,
        &[
            "copy",
            "--dest-tls-verify=false",
            &format!("oci:{}:v2", layout.display()),
            &copied,
        ],
    );
    let raw = skopeo(
        &skopeo_bin,
        &["inspect", "--raw", "--tls-verify=false", &copied],
    )
    .stdout;
    assert_eq!(format!("sha256:{}", Sha256Digest::of(&raw)), digest);

    // A blob altered in the registry's storage: exit 1 naming the file, nothing left.
    let card = fs::read(root().join("testdata/example-model/README.md")).unwrap();
    let hex = Sha256Digest::of(&card).to_hex();
    let data = reg
        .storage
        .join("docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(&hex)
        .join("data");
    let mut bytes = fs::read(&data).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    fs::write(&data, &bytes).unwrap();
    let altered = dir.path().join("altered");
    let o = pull(&reference, &altered, TRUST);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("README.md"), "{}", stderr(&o));
    assert!(stderr(&o).contains("digest"), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["failure"], "digest");
    assert!(!altered.exists());
    no_leftovers(dir.path());
}

#[test]
fn bad_references_and_an_absent_registry_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("t");
    for bad in ["docker://h/r:t", "oci://h", "oci://127.0.0.1:1/Bad:t"] {
        let o = pull(bad, &target, TRUST);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("reference"), "{}", stderr(&o));
    }
    // Nothing listens on port 1.
    let o = pull("oci://127.0.0.1:1/org/model:v1", &target, TRUST);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!target.exists());
}

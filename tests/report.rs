//! `openseal report`: golden structure of the HTML page and the SVG badge for the test releases
//! and a packed, signed bundle; escaping of untrusted text; exit codes.
//!
//! The golden files `testdata/report/<name>.structure` list, in page order, every stack cell
//! with its status, the section ids, the summary levels and the badge's label. Regenerate them
//! with `UPDATE_GOLDEN=1 cargo test --test report` and review the diff.

mod common;

use openseal::framework::FrameworkSet;
use openseal::signature::{demo_signing_key, key_id, write_private_key};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn openseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .output()
        .expect("run openseal")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `openseal report` and returns the page and the badge.
fn report(input: &Path, extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let svg = dir.path().join("b.svg");
    let mut args = vec![
        "report".to_string(),
        input.display().to_string(),
        "--html".into(),
        html.display().to_string(),
        "--svg".into(),
        svg.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = openseal(&args);
    assert!(
        out.status.success(),
        "report {}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        std::fs::read_to_string(html).unwrap(),
        std::fs::read_to_string(svg).unwrap(),
    )
}

/// Every value of attribute `attr` on tags that have it, in order.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The stack cells: (item id, status) in page order.
fn cells(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices("<div class=\"cell st-") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        let id = attr_values(tag, "id")[0].trim_start_matches("stack-");
        let status = attr_values(tag, "data-status")[0];
        out.push((id.to_string(), status.to_string()));
    }
    out
}

fn stack_ids() -> Vec<String> {
    let set = FrameworkSet::embedded().unwrap();
    set.get("stack")
        .unwrap()
        .items
        .iter()
        .map(|i| i.id.clone())
        .collect()
}

/// Checks that hold for every page and badge.
fn check_common(html: &str, svg: &str) {
    // Self-contained: no script, no external resource.
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "page has a script");
    assert!(!lower.contains("<link"), "page links a resource");
    assert!(!lower.contains("src=\"http"), "page fetches a resource");
    assert!(!lower.contains("url(http"), "style fetches a resource");
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en\">"));
    // Every stack item exactly once, as a cell with a status word.
    for id in stack_ids() {
        let n = html.matches(&format!("id=\"stack-{id}\"")).count();
        assert_eq!(n, 1, "stack item {id} appears {n} times");
    }
    let cells = cells(html);
    assert_eq!(cells.len(), stack_ids().len());
    // Unique ids on the page.
    let ids = attr_values(html, "id");
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids on the page");
    for id in [
        "identity",
        "signer-status",
        "summary",
        "summary-mof",
        "summary-osaid",
        "summary-release-gradient",
        "stack",
        "group-product",
        "group-model",
        "group-datasets",
        "group-code",
        "group-weights",
        "group-infrastructure",
        "group-documentation",
        "group-licensing",
        "group-safeguards",
        "openness",
        "radar",
        "openness-table",
        "frameworks",
        "fw-mof",
        "fw-osaid",
        "fw-release-gradient",
        "fw-opening-up-chatgpt",
        "fw-dpga",
        "weights",
        "files",
        "files-table",
    ] {
        assert!(ids.contains(&id), "no element with id {id}");
    }
    // Colour is never the only signal: every status word is in the legend, and every cell's
    // tag repeats its status in words.
    for label in [
        "included, open licence",
        "included, restrictive or no licence",
        "referenced",
        "withheld",
        "absent",
        "not applicable",
    ] {
        assert!(html.contains(label), "no label {label}");
    }
    for dim in [
        "Product/UX",
        "Datasets",
        "Code",
        "Weights",
        "Infrastructure",
        "Documentation",
        "Licensing",
        "Safeguards",
    ] {
        assert!(
            html.contains(&format!(">{dim}</tspan>")),
            "radar axis {dim}"
        );
    }
    // The badge: an SVG with a text alternative naming the MOF class and the signer status.
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("aria-label=\"MOF "));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<rect").count(), 3);
    assert!(!svg.to_ascii_lowercase().contains("<script"));
}

/// The structure the golden file records.
fn structure(html: &str, svg: &str) -> String {
    let mut out = String::new();
    let sections: Vec<&str> = html
        .match_indices("<section ")
        .filter_map(|(i, _)| {
            attr_values(&html[i..i + html[i..].find('>').unwrap()], "id")
                .first()
                .copied()
        })
        .collect();
    out.push_str(&format!("sections {}\n", sections.join(" ")));
    for card in ["summary-mof", "summary-osaid", "summary-release-gradient"] {
        let at = html.find(&format!("id=\"{card}\"")).unwrap();
        let big = &html[at..];
        let start = big.find("<div class=\"big\">").unwrap() + "<div class=\"big\">".len();
        let end = start + big[start..].find("</div>").unwrap();
        out.push_str(&format!("{card} {}\n", &big[start..end]));
    }
    let signer = &html[html.find("id=\"signer-status\"").unwrap()..];
    let signer = &signer[signer.find('>').unwrap() + 1..signer.find("</span>").unwrap()];
    out.push_str(&format!("signer {signer}\n"));
    for (id, status) in cells(html) {
        out.push_str(&format!("cell {id} {status}\n"));
    }
    let label = attr_values(svg, "aria-label")[0];
    out.push_str(&format!("badge {label}\n"));
    out
}

fn golden(name: &str, html: &str, svg: &str) {
    let got = structure(html, svg);
    let path = root()
        .join("testdata/report")
        .join(format!("{name}.structure"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(
        got,
        want,
        "{name}: structure differs from {}",
        path.display()
    );
}

#[test]
fn golden_structure_of_test_releases() {
    for name in ["mof-class-iii", "mof-class-ii", "mof-class-i"] {
        let (html, svg) = report(&root().join("testdata/releases").join(name), &[]);
        check_common(&html, &svg);
        assert!(html.contains("not signed (release folder)"));
        golden(name, &html, &svg);
    }
}

#[test]
fn example_model_page() {
    let (html, svg) = report(&root().join("testdata/example-model"), &[]);
    check_common(&html, &svg);
    golden("example-model", &html, &svg);
    // Identity, weights summary and files table.
    assert!(html.contains("<h1>tiny-llama-example 1.0</h1>"));
    // The transparency index: only what a release can show, counted apart from the rest.
    assert!(html.contains("Foundation Model Transparency Index"));
    assert!(
        html.contains("indicators a release&#39;s files can show are disclosed")
            || html.contains("indicators a release's files can show are disclosed")
    );
    assert!(html.contains("European Open Source AI Index"));
    assert!(html.contains("The openseal authors"));
    assert!(html.contains("<code>model.safetensors</code>"));
    assert!(html.contains("Architecture: <strong>"));
    assert!(html.contains("<code>BF16</code>"));
    let digest =
        openseal::digest::sha256_file(&root().join("testdata/example-model/model.safetensors"))
            .unwrap()
            .sha256
            .to_hex();
    assert!(
        html.contains(&digest[..32]),
        "weights digest in the files table"
    );
    // Not applicable with its reason on hover.
    assert!(html.contains("title=\"Supervised fine-tuning dataset: not applicable \u{2014} the model is not fine-tuned\""));
    assert!(svg.contains("aria-label=\"MOF Class III, unsigned\""));
}

fn pack_example(dir: &Path) -> PathBuf {
    pack_release(
        &root().join("testdata/example-model"),
        &dir.join("example.tar.zst"),
    )
}

/// Packs `release` into `bundle` with the demo key.
fn pack_release(release: &Path, bundle: &Path) -> PathBuf {
    let key = bundle.with_extension("key");
    write_private_key(&key, &demo_signing_key()).unwrap();
    let out = openseal(&[
        "pack",
        release.to_str().unwrap(),
        "-o",
        bundle.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    bundle.to_path_buf()
}

#[test]
fn bundle_signer_verified_unchecked_and_failed() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = pack_example(dir.path());
    let id = key_id(&demo_signing_key().verifying_key());
    let demo_pub = root().join("keys/demo.pub");

    let (html, svg) = report(&bundle, &["--trust", demo_pub.to_str().unwrap()]);
    check_common(&html, &svg);
    assert!(html.contains("data-status=\"sig-ok\">signature verified</span>"));
    assert!(html.contains(&format!("<code class=\"key-id\">{id}</code>")));
    assert!(svg.contains("aria-label=\"MOF Class III, \u{2714} signature verified\""));
    // Built from the verification's manifest: no "not checked here" note.
    assert!(!html.contains("are not checked here"));
    golden("example-model-bundle", &html, &svg);

    let (html, svg) = report(&bundle, &[]);
    assert!(html.contains(">signature not checked</span>"));
    assert!(html.contains("are not checked here"));
    assert!(html.contains(&format!("<code class=\"key-id\">{id}</code>")));
    assert!(svg.contains("signature not checked"));

    // Another key: verification fails, the page says so and why, the key id is still shown.
    let other = dir.path().join("other");
    let out = openseal(&["keygen", "-o", other.to_str().unwrap()]);
    assert!(out.status.success());
    let other_pub = other.with_extension("pub");
    let (html, svg) = report(&bundle, &["--trust", other_pub.to_str().unwrap()]);
    assert!(html.contains("data-status=\"sig-bad\">verification failed</span>"));
    assert!(html.contains("<dt>Why</dt>"));
    assert!(html.contains(&format!("<code class=\"key-id\">{id}</code>")));
    assert!(svg.contains("verification failed"));

    // The bundle's manifest on its own.
    let (head, _) = openseal::bundle::BundleReader::open(&bundle)
        .unwrap()
        .read_head()
        .unwrap();
    let manifest = dir.path().join("manifest.json");
    std::fs::write(&manifest, &head.manifest).unwrap();
    let (html, svg) = report(&manifest, &[]);
    check_common(&html, &svg);
    assert!(html.contains("not signed (bare manifest)"));
    assert!(html.contains("<code>model.safetensors</code>"));
}

#[test]
fn untrusted_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openseal.toml"),
        r#"[release]
name = "<script>alert('name')</script>"
version = "1\" onmouseover=\"x"

[[component]]
id = "datasets.pre-training"
status = "withheld"
reason = "<img src=x onerror=alert(1)> & privacy"

[[component]]
id = "weights.final"
status = "referenced"
url = "https://example.org/w"
license = "<b>LicenseRef-evil</b>"
"#,
    )
    .unwrap();
    let (html, svg) = report(dir.path(), &[]);
    check_common(&html, &svg);
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>LicenseRef"));
    assert!(!html.contains("\" onmouseover"));
    assert!(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"));
    // Withheld, with the reason on hover and in text.
    assert!(html.contains(
        "title=\"Pre-training dataset: withheld \u{2014} &lt;img src=x onerror=alert(1)&gt; &amp; privacy\""
    ));
    assert!(html.contains("id=\"stack-pre-training-dataset\" data-status=\"withheld\""));
    assert!(!svg.contains("<script"));
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out_html = dir.path().join("x.html");
    let missing = openseal(&[
        "report",
        "/no/such/release",
        "--html",
        out_html.to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(!out_html.exists());
    let nothing = openseal(&[
        "report",
        root().join("testdata/example-model").to_str().unwrap(),
    ]);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("--html"));
    let json = openseal(&[
        "report",
        root()
            .join("testdata/releases/mof-class-ii")
            .to_str()
            .unwrap(),
        "--svg",
        dir.path().join("b.svg").to_str().unwrap(),
        "--json",
    ]);
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["schema"], "openseal.report/v1");
    assert_eq!(v["mof"], "class-ii");
    assert_eq!(v["written"][0]["kind"], "svg");
}

/// A release with a checkpoint per training step shows them as one series, with its steps and
/// whether every step has the same architecture, not one row per file.
#[test]
fn checkpoint_series_are_one_row() {
    let work = tempfile::tempdir().unwrap();
    let release = work.path().join("release");
    common::copy_dir(&root().join("testdata/releases/mof-class-i"), &release);
    let step = release.join("checkpoints/step-50/model.safetensors");
    for n in [100, 150, 200] {
        let dir = release.join(format!("checkpoints/step-{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&step, dir.join("model.safetensors")).unwrap();
    }
    let toml = release.join("openseal.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace(
        "files = [\"checkpoints/step-50/model.safetensors\"]",
        "files = [\"checkpoints/**\"]",
    );
    std::fs::write(&toml, text).unwrap();
    let (html, _) = report(&release, &[]);
    assert!(
        html.contains("<code>checkpoints/step-{step}/</code> &times; 4 steps (50&ndash;200)"),
        "{html}"
    );
    assert!(html.contains("same at every step"));
    assert!(!html.contains("<code>checkpoints/step-100/model.safetensors</code>"));

    // Packed, the manifest declares the series; verify reads it back and checks it.
    let bundle = pack_release(&release, &work.path().join("series.tar.zst"));
    let verified = openseal(&[
        "verify",
        "--json",
        bundle.to_str().unwrap(),
        "--trust",
        root().join("keys/demo.pub").to_str().unwrap(),
    ]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let (manifest, _) = openseal::manifest::read_bundle_manifest(&bundle).unwrap();
    assert_eq!(manifest.checkpoint_series.len(), 1);
    let series = &manifest.checkpoint_series[0];
    assert_eq!(series.steps, vec![50, 100, 150, 200]);
    assert!(series.shared_architecture);
}

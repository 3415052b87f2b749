//! `classify` and `init` read a CycloneDX or SPDX 3 AI bill of materials: every test release
//! and the example model round-trip through `openseal bom` (both formats) to the same result of
//! every framework; BOMs other tools write (`testdata/bom-import/`, hand-written after the
//! CycloneDX 1.6 and SPDX 3.0.1 examples, checked by the formats' own validators) classify with
//! notes for each guess; a JSON file that is neither manifest nor BOM, a BOM without a model and
//! a BOM given to `report` or `bom` fail with exit status 2 and a message that says why.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("testdata/bom-import").join(name)
}

fn openseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("run openseal")
}

fn ok(args: &[&str]) -> Output {
    let out = openseal(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "openseal {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn classify(path: &Path) -> Value {
    let out = ok(&[
        "classify",
        path.to_str().unwrap(),
        "--framework",
        "all",
        "--json",
    ]);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Writes the BOM of `release` in `format` to `dir` and returns its path.
fn bom(release: &Path, format: &str, dir: &Path) -> PathBuf {
    let name = release.file_name().unwrap().to_string_lossy();
    let ext = if format == "spdx" {
        "spdx.jsonld"
    } else {
        "cdx.json"
    };
    let out = dir.join(format!("{name}.{ext}"));
    ok(&[
        "bom",
        release.to_str().unwrap(),
        "--format",
        format,
        "-o",
        out.to_str().unwrap(),
    ]);
    out
}

/// What each framework finds, as far as it can be compared between two sources of one
/// release: the level (levels frameworks), each criterion's rating, each stack item's
/// coverage, the indicators disclosed, and each component's status, openness and licence as
/// read (`spdx`). Where a licence comes from (`license_source`) is left out: a BOM states each
/// component's licence as resolved, so it reads back as the component's own.
fn findings(report: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for r in report["results"].as_array().unwrap() {
        let pick = |list: &str, field: &str| -> BTreeMap<String, Value> {
            r[list]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| (x["id"].as_str().unwrap().to_string(), x[field].clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let components: BTreeMap<String, Value> = r["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    serde_json::json!([c["status"], c["open"], c["spdx"], c["reason"]]),
                )
            })
            .collect();
        out.insert(
            r["framework"].as_str().unwrap().to_string(),
            serde_json::json!({
                "level": r["level"],
                "criteria": pick("criteria", "rating"),
                "coverage": pick("coverage", "coverage"),
                "disclosed": r["disclosure"]["disclosed"],
                "components": components,
            }),
        );
    }
    out
}

/// `release` and its BOMs in both formats give the same findings in every framework; the
/// BOMs' paths.
fn assert_round_trip(release: &Path, dir: &Path) -> Vec<PathBuf> {
    let expected = findings(&classify(release));
    assert_eq!(expected.len(), 8, "every framework is compared");
    let mut written = Vec::new();
    for (format, source) in [("cyclonedx", "cyclonedx"), ("spdx", "spdx")] {
        let path = bom(release, format, dir);
        let report = classify(&path);
        assert_eq!(report["source"], source, "{}", path.display());
        let got = findings(&report);
        for (framework, want) in &expected {
            assert_eq!(
                &got[framework],
                want,
                "{} as {format}: {framework} differs from the release's",
                release.display()
            );
        }
        written.push(path);
    }
    written
}

/// Every test release and the example model: the same level, criteria, coverage, indicators
/// and component findings from the BOM as from the folder, in both formats. (Nothing needs
/// an exception: the frameworks judge the release record — statuses and licences — which the
/// BOM states in full; file contents, weights summaries and licence texts are not evidence
/// any framework reads.)
#[test]
fn every_release_round_trips_through_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let mut releases: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/releases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    releases.sort();
    assert!(releases.len() >= 3);
    releases.push(root().join("testdata/example-model"));
    for release in releases {
        assert_round_trip(&release, dir.path());
    }
}

/// The descriptor of a release with what the test releases lack: components referenced (one
/// by free text as well as a URL), withheld and not applicable, a licence that is no SPDX
/// expression, and a file two components of different licences share.
const RICH: &str = r#"
[release]
name = "rich"
version = "2.0"
producer = "Example Lab"

[licenses]
distribution = "MIT"
weights = "MIT"
document = "CC-BY-4.0"
texts = ["LICENSE"]

[[component]]
id = "code.model-architecture"
status = "included"
files = ["config.json"]

[[component]]
id = "code.supporting-libraries"
status = "included"
files = ["tokenizer_config.json"]
license = "the tokenizer licence, version 2"

[[component]]
id = "docs.evaluation-results"
status = "included"
files = ["eval_results.json", "README.md"]
license = "CC0-1.0"

[[component]]
id = "docs.model-card"
status = "included"
files = ["README.md"]

[[component]]
id = "docs.data-card"
status = "included"
files = ["DATA_CARD.md"]

[[component]]
id = "docs.technical-report"
status = "included"
files = ["technical_report.md"]

[[component]]
id = "product.output-settings"
status = "included"
files = ["generation_config.json"]

[[component]]
id = "weights.final"
status = "included"
files = ["model.safetensors"]

[[component]]
id = "code.inference"
status = "referenced"
url = "https://github.com/example/rich/tree/v2/inference"
license = "Apache-2.0"

[[component]]
id = "code.training"
status = "referenced"
url = "https://github.com/example/rich/tree/v2/train"
urls = ["see the appendix of the paper"]

[[component]]
id = "docs.research-paper"
status = "referenced"
url = "https://arxiv.org/abs/2401.00001"
license = "CC-BY-4.0"

[[component]]
id = "datasets.pre-training"
status = "referenced"
url = "https://huggingface.co/datasets/example/rich-corpus"
license = "ODC-By-1.0"

[[component]]
id = "datasets.evaluation"
status = "withheld"
reason = "the benchmark's licence forbids redistribution"

[[component]]
id = "datasets.fine-tuning"
status = "not-applicable"
reason = "the model is not fine-tuned"

[[component]]
id = "safeguards.policies"
status = "withheld"
reason = "internal: not published yet"
"#;

fn rich_release(dir: &Path) -> PathBuf {
    let release = dir.join("rich");
    common::copy_dir(&root().join("testdata/example-model"), &release);
    std::fs::write(release.join("openseal.toml"), RICH).unwrap();
    release
}

#[test]
fn referenced_withheld_and_shared_components_round_trip_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let release = rich_release(dir.path());
    let boms = assert_round_trip(&release, dir.path());

    // What the files do not show is stated beside the model, and read back as written.
    let cdx: Value = serde_json::from_slice(&std::fs::read(&boms[0]).unwrap()).unwrap();
    let props = cdx["metadata"]["component"]["properties"]
        .as_array()
        .unwrap();
    let prop = |name: &str| -> Vec<&str> {
        props
            .iter()
            .filter(|p| p["name"] == name)
            .map(|p| p["value"].as_str().unwrap())
            .collect()
    };
    assert_eq!(
        prop("openseal:component:datasets.evaluation:status"),
        ["withheld"]
    );
    assert_eq!(
        prop("openseal:component:code.training:url"),
        [
            "https://github.com/example/rich/tree/v2/train",
            "see the appendix of the paper"
        ]
    );
    // README.md carries the evaluation results' licence: the model card's own is stated apart.
    assert_eq!(
        prop("openseal:component:docs.model-card:license"),
        ["CC-BY-4.0"]
    );
    let refs = cdx["metadata"]["component"]["externalReferences"]
        .as_array()
        .unwrap();
    assert!(
        refs.iter().any(|r| r["type"] == "source-distribution"
            && r["url"] == "https://github.com/example/rich/tree/v2/inference"
            && r["comment"] == "openseal component code.inference"),
        "{refs:?}"
    );

    let Some(venv) = common::peers::venv() else {
        return;
    };
    if let Err(e) = common::peers::validate_cyclonedx(&venv, &boms[..1]) {
        panic!("CycloneDX validation failed:\n{e}");
    }
    if let Err(e) = common::peers::validate_spdx(&venv, &boms[1..]) {
        panic!("SPDX validation failed:\n{e}");
    }
}

#[test]
fn classify_diff_of_a_release_and_its_bom_finds_nothing_moved() {
    let dir = tempfile::tempdir().unwrap();
    let release = rich_release(dir.path());
    for format in ["cyclonedx", "spdx"] {
        let path = bom(&release, format, dir.path());
        let out = ok(&[
            "classify",
            "--diff",
            release.to_str().unwrap(),
            path.to_str().unwrap(),
            "--framework",
            "all",
            "--json",
        ]);
        let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
        let frameworks = diff["frameworks"].as_array().unwrap();
        assert_eq!(frameworks.len(), 8);
        for f in frameworks {
            assert_eq!(f["direction"], "same", "{format}: {f}");
        }
    }
}

/// `(fixture, source kind, MOF class, components with their status)`.
type Expected = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
);

const OTHER_TOOLS: &[Expected] = &[
    (
        "ok-cyclonedx-ml-model.json",
        "cyclonedx",
        Some("class-iii"),
        &[
            ("weights.final", "included"),
            ("code.model-architecture", "included"),
            ("code.training", "included"),
            ("docs.model-card", "included"),
            ("docs.data-card", "included"),
            ("docs.technical-report", "included"),
            ("docs.evaluation-results", "included"),
            ("datasets.pre-training", "referenced"),
            ("datasets.evaluation", "referenced"),
        ],
    ),
    (
        "ok-cyclonedx-model-in-components.json",
        "cyclonedx",
        None,
        &[
            ("weights.final", "included"),
            ("datasets.fine-tuning", "referenced"),
            ("datasets.evaluation", "referenced"),
        ],
    ),
    (
        "ok-spdx-aipackage.jsonld",
        "spdx",
        Some("class-ii"),
        &[
            ("weights.final", "included"),
            ("code.model-architecture", "included"),
            ("code.inference", "included"),
            ("code.evaluation", "included"),
            ("code.training", "included"),
            ("docs.model-card", "included"),
            ("datasets.pre-training", "referenced"),
            ("datasets.evaluation", "referenced"),
        ],
    ),
];

fn result<'a>(report: &'a Value, framework: &str) -> &'a Value {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["framework"] == framework)
        .unwrap()
}

#[test]
fn other_tools_boms_classify_with_notes_for_each_guess() {
    let schema: Value = serde_json::from_slice(
        &std::fs::read(root().join("formats/classify.schema.json")).unwrap(),
    )
    .unwrap();
    for (name, source, mof, components) in OTHER_TOOLS {
        let report = classify(&fixture(name));
        common::schema::check(&schema, &schema, &report, "$")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report["source"], *source, "{name}");
        let mof_result = result(&report, "mof");
        assert_eq!(mof_result["level"].as_str(), *mof, "{name}");
        let statuses: BTreeMap<&str, &str> = result(&report, "stack")["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| Some((c["id"].as_str()?, c["status"].as_str()?)))
            .collect();
        for (id, status) in *components {
            assert_eq!(
                statuses.get(id),
                Some(status),
                "{name}: {id} in {statuses:?}"
            );
        }
        let notes: Vec<&str> = report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert!(
            notes.iter().any(|n| n.contains("a guess")),
            "{name}: {notes:?}"
        );
        assert!(notes[0].contains("not their contents"), "{name}: {notes:?}");
    }
    // The model's licence is the weights'; a dataset keeps its own (ODC-By-1.0), never the
    // model's.
    let report = classify(&fixture("ok-cyclonedx-ml-model.json"));
    let mof = result(&report, "mof");
    let licence = |id: &str| -> Value {
        mof["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["license"]
            .clone()
    };
    assert_eq!(licence("weights.final"), "Apache-2.0");
    assert_eq!(licence("datasets.pre-training"), "ODC-By-1.0");
    assert_eq!(licence("datasets.evaluation"), Value::Null);
    assert_eq!(licence("code.training"), "MIT OR Apache-2.0");
    assert_eq!(report["release"]["name"], "tiny-chat");
    assert_eq!(report["release"]["producer"], "Example Org");
}

/// The fixtures of other tools are valid documents of their formats (the ones without a model
/// too: they are real BOMs, only not of a model).
#[test]
fn other_tools_fixtures_validate() {
    let Some(venv) = common::peers::venv() else {
        return;
    };
    let mut cdx = Vec::new();
    let mut spdx = Vec::new();
    for e in std::fs::read_dir(root().join("testdata/bom-import")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let valid = name.starts_with("ok-") || name.starts_with("err-no-");
        if !valid {
            continue;
        }
        if name.ends_with(".jsonld") {
            spdx.push(path);
        } else if name.ends_with(".json") {
            cdx.push(path);
        }
    }
    cdx.sort();
    spdx.sort();
    assert_eq!(cdx.len(), 3, "{cdx:?}");
    assert_eq!(spdx.len(), 2, "{spdx:?}");
    if let Err(e) = common::peers::validate_cyclonedx(&venv, &cdx) {
        panic!("CycloneDX validation failed:\n{e}");
    }
    if let Err(e) = common::peers::validate_spdx(&venv, &spdx) {
        panic!("SPDX validation failed:\n{e}");
    }
}

#[test]
fn every_fixture_is_named_by_its_outcome() {
    for e in std::fs::read_dir(root().join("testdata/bom-import")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "README.md" {
            continue;
        }
        let out = openseal(&["classify", path.to_str().unwrap()]);
        match name.split('-').next() {
            Some("ok") => assert_eq!(
                out.status.code(),
                Some(0),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Some("err") => assert_eq!(out.status.code(), Some(2), "{name}"),
            _ => panic!("{name}: a fixture is named ok-* or err-*"),
        }
    }
}

#[test]
fn what_is_no_bom_or_has_no_model_fails_with_a_reason() {
    let cases = [
        (
            "err-not-a-bom.json",
            "neither an openseal manifest (\"schema\": \"openseal.manifest/v1\"), a CycloneDX BOM",
        ),
        ("err-spdx2.json", "this is an SPDX 2 document"),
        (
            "err-no-model-component.json",
            "has no component of type \"machine-learning-model\"",
        ),
        ("err-no-aipackage.jsonld", "has no ai_AIPackage element"),
        (
            "err-wrong-types.json",
            "err-wrong-types.json:9:30: this CycloneDX BOM cannot be read: invalid type",
        ),
    ];
    for (name, words) in cases {
        let path = fixture(name);
        let out = openseal(&["classify", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(out.stdout.is_empty(), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: the error names the file: {err}"
        );
    }
    // A manifest keeps the manifest reader's errors.
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.json");
    std::fs::write(&manifest, r#"{"schema": "openseal.manifest/v0"}"#).unwrap();
    let out = openseal(&["classify", manifest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest schema is"), "{err}");
}

#[test]
fn report_and_bom_refuse_a_bom_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("ok-cyclonedx-ml-model.json");
    for args in [
        vec![
            "report".to_string(),
            path.display().to_string(),
            "--html".into(),
            dir.path().join("r.html").display().to_string(),
        ],
        vec!["bom".into(), path.display().to_string()],
    ] {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = openseal(&a);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("a bill of materials lists a release's files")
                && err.contains("openseal classify"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn init_writes_the_descriptor_of_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let release = rich_release(dir.path());
    for format in ["cyclonedx", "spdx"] {
        let path = bom(&release, format, dir.path());
        let target = dir.path().join(format!("{format}.toml"));

        // -o is required: the descriptor has no folder of its own.
        let out = openseal(&["init", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("give -o DIR/openseal.toml"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );

        let out = ok(&[
            "init",
            path.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
            "--json",
        ]);
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["schema"], "openseal.init/v1");
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(
            text.contains("# TODO: written from the bill of materials"),
            "{text}"
        );

        // Read against the files the BOM lists, the descriptor is the BOM's release record.
        let imported = openseal::bom_import::read(&path).unwrap();
        let mut files: Vec<String> = imported
            .release
            .components
            .iter()
            .flat_map(|c| c.files.iter().cloned())
            .chain(imported.license_files.iter().cloned())
            .collect();
        files.sort();
        files.dedup();
        let d = openseal::descriptor::parse(&text, &target, &files)
            .unwrap_or_else(|e| panic!("{format}: {e}\n{text}"));
        assert_eq!(d.release, imported.release, "{format}");
        assert_eq!(d.license_files, ["LICENSE"], "{format}");
        assert_eq!(d.release.name, "rich");

        // An existing descriptor is kept without --force.
        let out = openseal(&[
            "init",
            path.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2));
    }
    // --dry-run prints it without -o.
    let out = ok(&[
        "init",
        fixture("ok-spdx-aipackage.jsonld").to_str().unwrap(),
        "--dry-run",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("name = \"summarizer\""), "{text}");
    assert!(text.contains("id = \"datasets.evaluation\""), "{text}");
    // What is neither manifest nor BOM is refused with the reader's reason.
    for (name, words) in [
        ("err-not-a-bom.json", "not a bill of materials"),
        ("err-no-model-component.json", "machine-learning-model"),
    ] {
        let out = openseal(&["init", fixture(name).to_str().unwrap(), "--dry-run"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{name}: {err}");
    }
}

//! End-to-end tests of `openseal classify`: the example releases, Model Openness Tool files,
//! requirements and exit codes, the MOT export round trip and the JSON shape.

mod common;

use serde_json::Value;
use std::process::{Command, Output};

fn openseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let o = openseal(args);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn result<'a>(report: &'a Value, framework: &str) -> &'a Value {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["framework"] == framework)
        .unwrap_or_else(|| panic!("no {framework} result"))
}

#[test]
fn each_example_release_meets_its_mof_class() {
    for (folder, class) in [
        ("mof-class-iii", "class-iii"),
        ("mof-class-ii", "class-ii"),
        ("mof-class-i", "class-i"),
    ] {
        let path = format!("testdata/releases/{folder}");
        let report = json(&["classify", "--json", &path]);
        assert_eq!(report["schema"], "openseal.classify/v1");
        assert_eq!(report["source"], "descriptor");
        let mof = result(&report, "mof");
        assert_eq!(mof["version"], "1.0");
        assert_eq!(mof["level"], class, "{folder}");
        // The default frameworks are the stack, MOF and OSAID.
        assert_eq!(report["results"].as_array().unwrap().len(), 3);
    }
}

#[test]
fn next_level_names_what_is_missing() {
    let report = json(&[
        "classify",
        "--json",
        "--framework",
        "mof",
        "testdata/releases/mof-class-ii",
    ]);
    let missing: Vec<&str> = result(&report, "mof")["next_level"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["component"].as_str().unwrap())
        .collect();
    for id in [
        "datasets.pre-training",
        "code.data-preprocessing",
        "weights.intermediate",
        "docs.research-paper",
    ] {
        assert!(missing.contains(&id), "{id} not in {missing:?}");
    }
}

#[test]
fn require_sets_the_exit_code() {
    let o = openseal(&[
        "classify",
        "--require",
        "mof:class-i",
        "testdata/releases/mof-class-ii",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("require mof:class-i  NOT MET"));
    let o = openseal(&[
        "classify",
        "--require",
        "mof:class-ii",
        "testdata/releases/mof-class-ii",
    ]);
    assert_eq!(o.status.code(), Some(0));
    // Bad requirements are usage errors.
    assert_eq!(
        openseal(&[
            "classify",
            "--require",
            "mof",
            "testdata/releases/mof-class-ii"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        openseal(&[
            "classify",
            "--require",
            "mof:class-x",
            "testdata/releases/mof-class-ii"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        openseal(&[
            "classify",
            "--framework",
            "nope",
            "testdata/releases/mof-class-ii"
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn mot_files_classify_as_mot_does() {
    let full =
        "testdata/mot/test-data/FullTestFile_C1_100%-C2_100%-C3_100%_17C_4G_17L_17V_0I_17T.yml";
    let r = json(&[
        "classify",
        "--json",
        "--mot-compat",
        "--framework",
        "mof",
        full,
    ]);
    assert_eq!(r["source"], "mot-yaml");
    assert_eq!(result(&r, "mof")["level"], "class-i");
    let none = "testdata/mot/test-data/NoLicenseFile_C1_0%-C2_0%-C3_0%_6C_0G_0L_0V_0I_0T.yml";
    let r = json(&[
        "classify",
        "--json",
        "--mot-compat",
        "--framework",
        "mof",
        none,
    ]);
    assert!(result(&r, "mof")["level"].is_null());
}

#[test]
fn mot_export_round_trips_the_class() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("release.yml");
    let o = openseal(&[
        "classify",
        "--framework",
        "mof",
        "--to-mot-yml",
        out.to_str().unwrap(),
        "testdata/releases/mof-class-ii",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let again = json(&[
        "classify",
        "--json",
        "--framework",
        "mof",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result(&again, "mof")["level"], "class-ii");
}

#[test]
fn every_framework_evaluates_and_matches_the_schema() {
    let root = env!("CARGO_MANIFEST_DIR");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/formats/classify.schema.json")).unwrap(),
    )
    .unwrap();
    for path in ["testdata/releases/mof-class-i", "testdata/example-model"] {
        let report = json(&["classify", "--json", "--framework", "all", path]);
        assert_eq!(report["results"].as_array().unwrap().len(), 8);
        common::schema::check(&schema, &schema, &report, "$")
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

#[test]
fn a_folder_without_descriptor_is_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example-model");
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "openseal.toml" {
            std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).unwrap();
        }
    }
    let report = json(&["classify", "--json", tmp.path().to_str().unwrap()]);
    assert_eq!(report["source"], "detected");
    assert!(
        report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("version"))
    );
}

#[test]
fn framework_files_load_from_a_path() {
    let report = json(&[
        "classify",
        "--json",
        "--framework-file",
        "formats/frameworks/osaid-1.0.toml",
        "testdata/releases/mof-class-i",
    ]);
    assert_eq!(report["results"][0]["framework"], "osaid");
    let bad = openseal(&[
        "classify",
        "--framework-file",
        "testdata/frameworks/err-cycle.toml",
        "testdata/releases/mof-class-i",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

/// `classify --diff` on the example releases: Class III to Class II moves MOF up; Class I to
/// Class III moves it down, naming what the newer release lacks; a code licence made
/// proprietary in a copy shows as a licence change that moves MOF down. Only a regression exits 1.
#[test]
fn classify_diff_shows_levels_moving_up_and_down_with_reasons() {
    let root = env!("CARGO_MANIFEST_DIR");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/formats/classify-diff.schema.json")).unwrap(),
    )
    .unwrap();
    let diff = |old: &str, new: &str| {
        let o = openseal(&[
            "classify",
            "--json",
            "--framework",
            "all",
            "--diff",
            old,
            new,
        ]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
            panic!("{}", String::from_utf8_lossy(&o.stderr));
        });
        common::schema::check(&schema, &schema, &v, "$").unwrap();
        (o.status.code(), v)
    };
    let framework = |v: &Value, id: &str| {
        v["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["framework"] == id)
            .cloned()
            .unwrap()
    };

    let (code, up) = diff(
        "testdata/releases/mof-class-iii",
        "testdata/releases/mof-class-ii",
    );
    assert_eq!(code, Some(0));
    let mof = framework(&up, "mof");
    assert_eq!(
        (
            mof["old_level"].as_str(),
            mof["new_level"].as_str(),
            mof["direction"].as_str()
        ),
        (Some("class-iii"), Some("class-ii"), Some("up"))
    );
    assert_eq!(up["regressed"], false);

    let (code, down) = diff(
        "testdata/releases/mof-class-i",
        "testdata/releases/mof-class-iii",
    );
    assert_eq!(code, Some(1));
    let mof = framework(&down, "mof");
    assert_eq!(mof["direction"], "down");
    let lacks: Vec<&str> = mof["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["component"].as_str().unwrap())
        .collect();
    assert!(lacks.contains(&"code.training"), "{lacks:?}");
    let training = down["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "code.training")
        .unwrap();
    assert_eq!(training["old"]["status"], "included");
    assert_eq!(training["new"]["status"], Value::Null);

    // The same release with its code licence made proprietary: a licence change alone.
    let work = tempfile::tempdir().unwrap();
    let copy = work.path().join("closed");
    common::copy_dir(
        &std::path::Path::new(root).join("testdata/releases/mof-class-ii"),
        &copy,
    );
    let toml = copy.join("openseal.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("code = \"MIT\"", "code = \"LicenseRef-Proprietary\""),
    )
    .unwrap();
    let (code, closed) = diff("testdata/releases/mof-class-ii", copy.to_str().unwrap());
    assert_eq!(code, Some(1));
    let training = closed["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "code.training")
        .unwrap();
    assert_eq!(training["old"]["open"], true);
    assert_eq!(training["new"]["open"], false);
    assert_eq!(framework(&closed, "mof")["direction"], "down");

    let text = String::from_utf8_lossy(
        &openseal(&[
            "classify",
            "--diff",
            "testdata/releases/mof-class-i",
            "testdata/releases/mof-class-iii",
        ])
        .stdout,
    )
    .into_owned();
    assert!(text.contains("mof  class-i -> class-iii  [DOWN]"), "{text}");
    assert!(
        text.contains("lost because: code.training absent"),
        "{text}"
    );
}

/// The European Open Source AI Index: the Class I release is open on every parameter its
/// components can show and closed where it has none (end-user data, hardware, API); the
/// Class III release keeps its weights and cards and loses the rest; documenting the hardware
/// as a component opens "Hardware architecture".
#[test]
fn osai_index_rates_each_parameter_from_components() {
    let ratings = |path: &str| -> std::collections::BTreeMap<String, String> {
        let report = json(&["classify", "--json", "--framework", "osai-index", path]);
        report["results"][0]["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["rating"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let class_i = ratings("testdata/releases/mof-class-i");
    assert_eq!(class_i.len(), 14);
    let closed: Vec<&str> = class_i
        .iter()
        .filter(|(_, r)| *r == "closed")
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(
        closed,
        [
            "api-and-meta-prompts",
            "end-user-model-data",
            "hardware-architecture"
        ]
    );
    let class_iii = ratings("testdata/releases/mof-class-iii");
    for (id, rating) in [
        ("base-model-weights", "open"),
        ("model-card", "open"),
        ("training-code", "closed"),
        ("licenses", "closed"),
    ] {
        assert_eq!(class_iii[id], rating, "{id}");
    }

    let work = tempfile::tempdir().unwrap();
    let copy = work.path().join("with-hardware");
    common::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/releases/mof-class-i"),
        &copy,
    );
    let toml = copy.join("openseal.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str(
        "\n[[component]]\nid = \"infra.hardware\"\nstatus = \"referenced\"\nurl = \"https://example.org/cluster.md\"\n",
    );
    std::fs::write(&toml, text).unwrap();
    assert_eq!(
        ratings(copy.to_str().unwrap())["hardware-architecture"],
        "open"
    );
}

/// FMTI 2025: only the indicators a release can show are decided. A release that says nothing
/// discloses none of them; the Class I example discloses some; a release that publishes every
/// evidence component discloses all; the not-observable ones are never disclosed.
#[test]
fn fmti_counts_the_observable_indicators_a_release_discloses() {
    let disclosure = |path: &str| {
        let report = json(&["classify", "--json", "--framework", "fmti-2025", path]);
        report["results"][0].clone()
    };
    let partial = disclosure("testdata/releases/mof-class-i");
    let d = &partial["disclosure"];
    assert_eq!(d["indicators"], 100);
    let observable = d["observable"].as_u64().unwrap();
    let disclosed = d["disclosed"].as_u64().unwrap();
    assert!(observable > 0 && observable < 100, "{observable}");
    assert!(
        disclosed > 0 && disclosed < observable,
        "{disclosed} of {observable}"
    );
    let by: u64 = d["by_subdomain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["observable"].as_u64().unwrap())
        .sum();
    assert_eq!(by, observable);
    let indicators = partial["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 100);
    for i in indicators {
        let observable = i["observable"].as_bool().unwrap();
        assert_eq!(observable, i["not_observable"].is_null(), "{i}");
        assert!(observable || i["disclosed"] == false, "{i}");
    }

    let work = tempfile::tempdir().unwrap();
    let none = work.path().join("none");
    std::fs::create_dir_all(&none).unwrap();
    std::fs::write(
        none.join("openseal.toml"),
        "[release]\nname = \"silent\"\nversion = \"1\"\n",
    )
    .unwrap();
    let silent = disclosure(none.to_str().unwrap());
    assert_eq!(silent["disclosure"]["disclosed"], 0);
    assert_eq!(silent["disclosure"]["observable"], observable);

    // Every evidence component published (referenced by URL): every observable indicator.
    let mut evidence: Vec<String> = indicators
        .iter()
        .flat_map(|i| i["evidence"].as_array().cloned().unwrap_or_default())
        .map(|e| e.as_str().unwrap().to_string())
        .collect();
    evidence.sort();
    evidence.dedup();
    let all = work.path().join("all");
    std::fs::create_dir_all(&all).unwrap();
    let mut toml = String::from("[release]\nname = \"everything\"\nversion = \"1\"\n");
    for id in &evidence {
        toml.push_str(&format!(
            "\n[[component]]\nid = \"{id}\"\nstatus = \"referenced\"\nurl = \"https://example.org/{id}\"\n"
        ));
    }
    std::fs::write(all.join("openseal.toml"), toml).unwrap();
    let everything = disclosure(all.to_str().unwrap());
    assert_eq!(everything["disclosure"]["disclosed"], observable);
}

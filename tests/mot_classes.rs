//! The Model Openness Tool's own data, classified by openseal: the 27 test files against their
//! names and MOT's API output, the 273 model files against the class counts MOT's algorithm
//! gives (mof.md §5: 14 Class I, 1 Class II, 16 Class III, 242 unclassified), and the table of
//! files whose class differs between the default mode and MOT compatibility mode, which
//! `formats/README.md` must show as the code computes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openseal::classify::Evaluator;
use openseal::framework::FrameworkSet;
use openseal::license::Mode;
use openseal::mot::{classify, from_mot_yaml};
use openseal::release::Release;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    v.sort();
    v
}

fn load(p: &Path) -> Release {
    let text = std::fs::read_to_string(p).unwrap();
    from_mot_yaml(&p.display().to_string(), &text).unwrap()
}

/// MOF level id for MOT's class number.
fn level_of(class: u8) -> Option<&'static str> {
    match class {
        1 => Some("class-i"),
        2 => Some("class-ii"),
        3 => Some("class-iii"),
        _ => None,
    }
}

/// The class a test file's name promises: `Class1…`/`Full…` = I, `Class2…` = II,
/// `Class3…` = III, the rest unclassified.
fn class_from_name(name: &str) -> u8 {
    if name.starts_with("Class1") || name.starts_with("Full") {
        1
    } else if name.starts_with("Class2") {
        2
    } else if name.starts_with("Class3") {
        3
    } else {
        0
    }
}

/// `expected_results.json` has trailing commas; drop them so serde_json reads it.
fn expected_results() -> BTreeMap<String, (u8, [f64; 3])> {
    let text = std::fs::read_to_string(root().join("testdata/mot/test-data/expected_results.json"))
        .unwrap();
    let mut clean = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        clean.push(c);
    }
    let v: serde_json::Value = serde_json::from_str(&clean).unwrap();
    let mut out = BTreeMap::new();
    for m in v["models"].as_array().unwrap() {
        let c = &m["classification"];
        let p = |k: &str| c["progress"][k].as_f64().unwrap();
        out.insert(
            m["release"]["name"].as_str().unwrap().to_string(),
            (c["class"].as_u64().unwrap() as u8, [p("1"), p("2"), p("3")]),
        );
    }
    out
}

#[test]
fn test_data_files_match_names_and_mot_output() {
    let expected = expected_results();
    let set = FrameworkSet::embedded().unwrap();
    let mof = set.get("mof").unwrap();
    let ev = Evaluator::embedded().unwrap();
    let files = yml_files(&root().join("testdata/mot/test-data"));
    assert_eq!(files.len(), 27);
    for p in files {
        let stem = p.file_stem().unwrap().to_str().unwrap().to_string();
        let r = load(&p);
        let m = classify(&r, ev.vocab, ev.licenses);
        assert_eq!(m.class, class_from_name(&stem), "{stem}");
        let (class, progress) = expected[&r.name];
        assert_eq!(m.class, class, "{stem}");
        assert_eq!(m.progress, progress, "{stem}");
        let res = ev.evaluate(mof, &r, Mode::MotCompat);
        assert_eq!(res.level.as_deref(), level_of(class), "{stem}");
        assert_eq!(res.progress["class-i"], progress[0], "{stem}");
        assert_eq!(res.progress["class-iii"], progress[2], "{stem}");
    }
}

#[test]
fn model_files_give_mot_class_counts() {
    let set = FrameworkSet::embedded().unwrap();
    let mof = set.get("mof").unwrap();
    let ev = Evaluator::embedded().unwrap();
    let files = yml_files(&root().join("testdata/mot/models"));
    assert_eq!(files.len(), 273);
    let mut counts = [0usize; 4];
    for p in &files {
        let r = load(p);
        let m = classify(&r, ev.vocab, ev.licenses);
        counts[usize::from(m.class)] += 1;
        // The framework file, evaluated in MOT mode, agrees with MOT's own algorithm.
        let res = ev.evaluate(mof, &r, Mode::MotCompat);
        assert_eq!(res.level.as_deref(), level_of(m.class), "{}", p.display());
    }
    assert_eq!(counts, [242, 14, 1, 16], "[unclassified, I, II, III]");
}

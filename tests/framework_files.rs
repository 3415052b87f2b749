//! Every framework definition loads; every `testdata/frameworks/err-*.toml` fails with the
//! error its name gives, at the line where the problem is.

use std::path::{Path, PathBuf};

use openseal::framework::{Framework, FrameworkError, FrameworkSet, Vocabulary};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn formats_directory_loads_like_the_embedded_set() {
    let vocab = Vocabulary::embedded().unwrap();
    let dir = FrameworkSet::load_dir(&root().join("formats/frameworks"), vocab).unwrap();
    let embedded = FrameworkSet::embedded().unwrap();
    assert_eq!(dir.frameworks().len(), 8);
    for fw in embedded.frameworks() {
        assert_eq!(Some(fw), dir.get(&fw.id), "{}", fw.id);
    }
    let ids: Vec<&str> = embedded
        .frameworks()
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "stack",
            "mof",
            "osaid",
            "release-gradient",
            "opening-up-chatgpt",
            "dpga",
            "osai-index",
            "fmti-2025"
        ]
    );
}

/// (file, error kind, line)
const CASES: [(&str, &str, usize); 14] = [
    ("err-unknown-component.toml", "UnknownComponent", 10),
    ("err-unknown-level.toml", "UnknownLevel", 15),
    ("err-cycle.toml", "Cycle", 16),
    ("err-extends-higher.toml", "ExtendsHigher", 10),
    ("err-empty-level.toml", "EmptyLevel", 13),
    (
        "err-floor-with-requirements.toml",
        "FloorWithRequirements",
        8,
    ),
    ("err-duplicate-id.toml", "DuplicateId", 13),
    ("err-duplicate-component.toml", "DuplicateId", 11),
    ("err-syntax.toml", "Syntax", 4),
    ("err-unknown-field.toml", "Syntax", 10),
    ("err-invalid-clause.toml", "Invalid", 10),
    ("err-invalid-kind-mismatch.toml", "Invalid", 5),
    ("err-invalid-indicator-no-reason.toml", "Invalid", 14),
    ("err-invalid-indicator-no-evidence.toml", "Invalid", 8),
];

fn kind_and_line(e: &FrameworkError) -> (&'static str, usize) {
    match e {
        FrameworkError::Io { .. } => ("Io", 0),
        FrameworkError::Syntax { line, .. } => ("Syntax", *line),
        FrameworkError::UnknownComponent { line, .. } => ("UnknownComponent", *line),
        FrameworkError::UnknownLevel { line, .. } => ("UnknownLevel", *line),
        FrameworkError::Cycle { line, .. } => ("Cycle", *line),
        FrameworkError::ExtendsHigher { line, .. } => ("ExtendsHigher", *line),
        FrameworkError::EmptyLevel { line, .. } => ("EmptyLevel", *line),
        FrameworkError::FloorWithRequirements { line, .. } => ("FloorWithRequirements", *line),
        FrameworkError::DuplicateId { line, .. } => ("DuplicateId", *line),
        FrameworkError::Invalid { line, .. } => ("Invalid", *line),
    }
}

#[test]
fn every_bad_file_fails_as_named() {
    let vocab = Vocabulary::embedded().unwrap();
    let dir = root().join("testdata/frameworks");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("err-"))
        .collect();
    files.sort();
    assert_eq!(files.len(), CASES.len(), "a case for every err- file");
    for (file, kind, line) in CASES {
        let path: &Path = &dir.join(file);
        let err = Framework::load(path, vocab).expect_err(file);
        let msg = err.to_string();
        assert!(msg.contains(file), "{file}: message names the file: {msg}");
        assert_eq!(kind_and_line(&err), (kind, line), "{file}: {msg}");
    }
}

#[test]
fn cycle_error_names_the_chain() {
    let vocab = Vocabulary::embedded().unwrap();
    let err =
        Framework::load(&root().join("testdata/frameworks/err-cycle.toml"), vocab).unwrap_err();
    assert!(err.to_string().contains("one -> two -> one"), "{err}");
}

#[test]
fn missing_file_is_an_io_error() {
    let vocab = Vocabulary::embedded().unwrap();
    let err = Framework::load(&root().join("testdata/frameworks/nope.toml"), vocab).unwrap_err();
    assert!(matches!(err, FrameworkError::Io { .. }));
}

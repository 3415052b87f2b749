//! Every fixture under testdata/<format>/ is named by the outcome openseal must give for it:
//! `ok-*` inspects cleanly; `safe-*`, `suspicious-*`, `dangerous-*` inspect with that safety
//! verdict; `err-*` fails. In the folders whose readers name errors by kind (safetensors,
//! sharded, gguf), `err-<kind>-<detail>` must fail with the error kind `<Kind>` (CamelCase of a
//! leading run of the name's words, e.g. `err-header-too-large` → `HeaderTooLarge`).

use openseal::inspect::{InspectOptions, inspect};
use std::path::{Path, PathBuf};

fn fixtures(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(folder);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("ok-") || n.starts_with("err-")
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}

/// CamelCase forms of each leading run of the kebab-case words: `a-b-c` → A, AB, ABC.
fn kind_candidates(slug: &str) -> Vec<String> {
    let words: Vec<&str> = slug.split('-').collect();
    (1..=words.len())
        .map(|n| {
            words[..n]
                .iter()
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

fn check_folder(folder: &str) {
    check(folder, true)
}

fn check(folder: &str, kinds_in_names: bool) {
    for path in fixtures(folder) {
        let stem = path.file_name().unwrap().to_string_lossy().into_owned();
        let slug = stem.split('.').next().unwrap();
        // A sharded fixture is a folder; its index is the input.
        let input = if path.is_dir() {
            path.join("model.safetensors.index.json")
        } else {
            path.clone()
        };
        let result = inspect(&input, InspectOptions::default());
        let verdict = ["ok", "safe", "suspicious", "dangerous"]
            .into_iter()
            .find(|p| slug.starts_with(&format!("{p}-")));
        if let Some(verdict) = verdict {
            let i = result.unwrap_or_else(|e| panic!("{stem}: expected success, got {e}"));
            assert!(i.errors.is_empty(), "{stem}: {:?}", i.errors);
            if verdict != "ok" {
                assert_eq!(
                    i.safety.verdict.as_str(),
                    verdict,
                    "{stem}: {:?}",
                    i.files[0].safety
                );
            }
            continue;
        }
        let err = match result {
            Ok(i) if !i.errors.is_empty() => format!("{:?}", i.errors),
            Ok(_) => panic!("{stem}: expected an error, inspect succeeded"),
            Err(e) => {
                // Every error names the file it is about.
                assert!(
                    e.to_string().contains(&stem) || format!("{e:?}").contains(&stem),
                    "{stem}: error does not name the file: {e}"
                );
                format!("{e:?}")
            }
        };
        if !kinds_in_names {
            continue;
        }
        let kinds = kind_candidates(slug.trim_start_matches("err-"));
        let found = kinds.iter().any(|k| {
            [
                format!("{k}("),
                format!("{k} {{"),
                format!("{k},"),
                format!("{k})"),
            ]
            .iter()
            .any(|pat| err.contains(pat.as_str()))
        });
        assert!(
            found,
            "{stem}: expected error kind among {kinds:?}, got {err}"
        );
    }
}

#[test]
fn safetensors_fixtures() {
    check_folder("safetensors");
}

#[test]
fn sharded_fixtures() {
    check_folder("sharded");
}

#[test]
fn gguf_fixtures() {
    check_folder("gguf");
}

#[test]
fn pickle_fixtures() {
    check("pickle", false);
}

#[test]
fn pytorch_fixtures() {
    check("pytorch", false);
}

#[test]
fn numpy_fixtures() {
    check("numpy", false);
}

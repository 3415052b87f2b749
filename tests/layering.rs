//! The library's layering, checked from the source: every module belongs to one layer, imports
//! only its own layer or those below, orchestrators never import one another, and there are no
//! import circles between modules, nor between the files of one module folder.
//!
//! Layers, bottom up (the same list as `src/lib.rs`'s documentation):
//! leaves → sources → readers → models → writers → orchestrators. The binary sits on top.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const LEAVES: u8 = 0;
const SOURCES: u8 = 1;
const READERS: u8 = 2;
const MODELS: u8 = 3;
const WRITERS: u8 = 4;
const ORCHESTRATORS: u8 = 5;

const LAYER_NAMES: [&str; 6] = [
    "leaves",
    "sources",
    "readers",
    "models",
    "writers",
    "orchestrators",
];

/// Every top-level module of the library and its layer. A new module must be placed here.
const LAYERS: &[(&str, u8)] = &[
    ("limits", LEAVES),
    ("lines", LEAVES),
    ("mmap", LEAVES),
    ("regular_file", LEAVES),
    ("json", LEAVES),
    ("digest", LEAVES),
    ("parallel", LEAVES),
    ("progress", LEAVES),
    ("place", LEAVES),
    ("release", LEAVES),
    ("source", SOURCES),
    ("weights", READERS),
    ("decode", READERS),
    ("tensor_data", READERS),
    ("framework", READERS),
    ("signature", READERS),
    ("trust", READERS),
    ("bundle", READERS),
    ("inspect", MODELS),
    ("detect", MODELS),
    ("descriptor", MODELS),
    ("manifest", MODELS),
    ("classify", MODELS),
    ("license", MODELS),
    ("mot", MODELS),
    ("stats", MODELS),
    ("device", MODELS),
    ("fingerprint", MODELS),
    ("diff", MODELS),
    ("release_loader", MODELS),
    ("bom_import", MODELS),
    ("remote", MODELS),
    ("oms", MODELS),
    ("verification", MODELS),
    ("write", WRITERS),
    ("bom", WRITERS),
    ("oci", WRITERS),
    ("pack", ORCHESTRATORS),
    ("verify", ORCHESTRATORS),
    ("unpack", ORCHESTRATORS),
    ("report", ORCHESTRATORS),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (a doc link may point anywhere).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // `//` inside a string (a URL) is rare enough in this crate's imports to ignore.
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The first path segment of every `PREFIX::name` and `PREFIX::{a, b::c}` in `code`.
fn referenced(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let pattern = format!("{prefix}::");
    let mut rest = code;
    while let Some(at) = rest.find(&pattern) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + pattern.len()..];
        if before.is_some_and(|c| is_ident(c) || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                    _ if depth == 0 => item.push(c),
                    _ => {}
                }
            }
            items.push(item);
            for item in items {
                let name: String = item.trim().chars().take_while(|c| is_ident(*c)).collect();
                if !name.is_empty() && name != "self" {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// The top-level module a library file belongs to (`src/bundle/read.rs` → `bundle`).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src()).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    if first == "bin" || first == "lib.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

fn library_files() -> Vec<(PathBuf, String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let module = module_of(&path)?;
            let text = code(&fs::read_to_string(&path).unwrap());
            Some((path, module, text))
        })
        .collect()
}

/// A circle in `edges`, if there is one, as the list of nodes around it.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|n| n == next).unwrap();
                    let mut circle = stack[start..].to_vec();
                    circle.push(next.clone());
                    return Some(circle);
                }
                0 => {
                    if let Some(c) = visit(next, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        if state.get(node).copied().unwrap_or(0) == 0 {
            let mut stack = Vec::new();
            if let Some(c) = visit(node, edges, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn every_module_has_a_layer_and_imports_point_down() {
    let layers: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut problems = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, module, text) in library_files() {
        let Some(&own) = layers.get(module.as_str()) else {
            problems.push(format!(
                "{}: module `{module}` has no layer in tests/layering.rs",
                path.display()
            ));
            continue;
        };
        for target in referenced(&text, "crate") {
            if target == module {
                continue;
            }
            let Some(&theirs) = layers.get(target.as_str()) else {
                problems.push(format!(
                    "{}: `crate::{target}` is not a known module",
                    path.display()
                ));
                continue;
            };
            if theirs > own {
                problems.push(format!(
                    "{}: {module} ({}) imports {target} ({}), a higher layer",
                    path.display(),
                    LAYER_NAMES[own as usize],
                    LAYER_NAMES[theirs as usize]
                ));
            }
            if own == ORCHESTRATORS && theirs == ORCHESTRATORS {
                problems.push(format!(
                    "{}: orchestrator {module} imports orchestrator {target}; they are siblings",
                    path.display()
                ));
            }
            edges.entry(module.clone()).or_default().insert(target);
        }
    }
    if let Some(circle) = find_cycle(&edges) {
        problems.push(format!("modules import each other: {}", circle.join(" → ")));
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_library_declares_exactly_the_modules_with_layers() {
    let lib = code(&fs::read_to_string(src().join("lib.rs")).unwrap());
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("pub(crate) mod "))
                .or_else(|| l.strip_prefix("mod "))
        })
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let layered: BTreeSet<&str> = LAYERS.iter().map(|(m, _)| *m).collect();
    assert_eq!(declared, layered);
}

/// Files of one module folder may use their `mod.rs` and be used by it, but siblings must not
/// import each other in a circle.
#[test]
fn no_circles_between_the_files_of_a_module() {
    let mut problems = Vec::new();
    let mut folders: BTreeMap<PathBuf, Vec<(String, String)>> = BTreeMap::new();
    for (path, _, text) in library_files() {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        if stem == "mod" || path.parent() == Some(src().as_path()) {
            continue;
        }
        folders
            .entry(path.parent().unwrap().to_path_buf())
            .or_default()
            .push((stem, text));
    }
    for (folder, files) in folders {
        let names: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        let rel = folder.strip_prefix(src()).unwrap();
        let crate_path = format!("crate::{}", rel.to_str().unwrap().replace('/', "::"));
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, text) in &files {
            let mut targets = referenced(text, "super");
            targets.extend(referenced(text, &crate_path));
            for t in targets {
                if t != *name && names.contains(t.as_str()) {
                    edges.entry(name.clone()).or_default().insert(t);
                }
            }
        }
        if let Some(circle) = find_cycle(&edges) {
            problems.push(format!(
                "{}: files import each other: {}",
                rel.display(),
                circle.join(" → ")
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_nested_imports() {
    let text =
        "use crate::{a, b::{c, d}, self};\nlet x = crate::e::f();\n// crate::ignored\nfoo_crate::g";
    let found = referenced(&code(text), "crate");
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["a", "b", "e"].map(String::from)
    );
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("x".into()).or_default().insert("y".into());
    assert!(find_cycle(&edges).is_none());
    edges.entry("y".into()).or_default().insert("x".into());
    assert!(find_cycle(&edges).is_some());
}

//! The release descriptor, `openseal.toml`: the release's name, default licences and the map
//! from files (globs) to components, with referenced and withheld components. `init` writes it
//! from detection; a person reviews it; `classify` and `pack` read it.

use crate::detect::{DESCRIPTOR, Detected};
use crate::framework;
use crate::lines::line_of;
use crate::release::{ComponentRecord, DefaultLicenses, Release, Status};
use globset::Glob;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a descriptor could not be used.
#[derive(Debug, Error)]
pub enum DescriptorError {
    /// The descriptor could not be read (or is not UTF-8), or its folder could not be listed.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The descriptor, or its folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not valid TOML, or a value the descriptor format does not allow (an unknown component,
    /// a glob that matches nothing, ...).
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        /// The descriptor.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// A descriptor read and resolved against the files of its folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Descriptor {
    /// The release record it describes, globs expanded to files.
    pub release: Release,
    /// The licence texts `[licenses] texts` names, expanded to relative paths.
    pub license_files: Vec<String>,
    pub(crate) unclassified: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    release: RawRelease,
    #[serde(default)]
    licenses: RawLicenses,
    #[serde(default)]
    component: Vec<toml::Spanned<RawComponent>>,
    #[serde(default)]
    unclassified: RawUnclassified,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    producer: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLicenses {
    #[serde(flatten)]
    defaults: DefaultLicenses,
    #[serde(default)]
    texts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    id: String,
    status: Status,
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    urls: Vec<String>,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawUnclassified {
    #[serde(default)]
    files: Vec<String>,
}

/// Read `root/openseal.toml` if present.
pub fn load(root: &Path) -> Result<Option<Descriptor>, DescriptorError> {
    let path = root.join(DESCRIPTOR);
    if !path.is_file() {
        return Ok(None);
    }
    let text = crate::json::read_side_file(&path)
        .and_then(|b| {
            String::from_utf8(b)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        })
        .map_err(|source| DescriptorError::Io {
            path: path.clone(),
            source,
        })?;
    let (files, _) = crate::inspect::folder::files(root).map_err(|source| DescriptorError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let files: Vec<String> = files.iter().map(|p| slash(p)).collect();
    parse(&text, &path, &files).map(Some)
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Parse a descriptor's text; `files` are the folder's files, against which globs are expanded.
pub fn parse(text: &str, path: &Path, files: &[String]) -> Result<Descriptor, DescriptorError> {
    let invalid = |offset: usize, message: String| DescriptorError::Invalid {
        path: path.to_path_buf(),
        line: line_of(text, offset),
        message,
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        invalid(at, e.message().to_string())
    })?;
    let mut components = Vec::with_capacity(raw.component.len());
    let mut seen = std::collections::HashSet::new();
    for spanned in raw.component {
        let at = spanned.span().start;
        let c = spanned.into_inner();
        if framework::component(&c.id).is_none() {
            return Err(invalid(
                at,
                format!(
                    "unknown component id \"{}\" (see formats/components.toml)",
                    c.id
                ),
            ));
        }
        if !seen.insert(c.id.clone()) {
            return Err(invalid(
                at,
                format!("component \"{}\" is described twice", c.id),
            ));
        }
        let matched = expand(&c.files, files)
            .map_err(|m| invalid(at, format!("component \"{}\": {m}", c.id)))?;
        match c.status {
            Status::Included if matched.is_empty() => {
                return Err(invalid(
                    at,
                    format!("component \"{}\" is included but lists no files", c.id),
                ));
            }
            Status::Referenced if c.url.is_none() => {
                return Err(invalid(
                    at,
                    format!("component \"{}\" is referenced but has no url", c.id),
                ));
            }
            Status::Withheld | Status::NotApplicable if c.reason.is_none() => {
                return Err(invalid(
                    at,
                    format!(
                        "component \"{}\" is withheld or not applicable but gives no reason",
                        c.id
                    ),
                ));
            }
            _ => {}
        }
        components.push(ComponentRecord {
            id: c.id,
            status: c.status,
            license: c.license,
            files: matched,
            url: c.url,
            urls: c.urls,
            reason: c.reason,
        });
    }
    let license_files = expand(&raw.licenses.texts, files)
        .map_err(|m| invalid(0, format!("[licenses] texts: {m}")))?;
    Ok(Descriptor {
        release: Release {
            name: raw.release.name,
            version: raw.release.version,
            producer: raw.release.producer.filter(|p| !p.is_empty()),
            licenses: raw.licenses.defaults,
            components,
        },
        license_files,
        unclassified: raw.unclassified.files,
    })
}

/// Expand globs against the folder's files; a pattern that matches nothing is an error (a
/// renamed file must not silently drop out of the release).
fn expand(patterns: &[String], files: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for p in patterns {
        let matcher = Glob::new(p)
            .map_err(|e| format!("bad file pattern \"{p}\": {e}"))?
            .compile_matcher();
        let before = out.len();
        out.extend(
            files
                .iter()
                .filter(|f| matcher.is_match(f.as_str()))
                .cloned(),
        );
        if out.len() == before {
            return Err(format!("\"{p}\" matches no file"));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The descriptor `init` writes for what detection found, with comments for a person.
pub fn render(d: &Detected) -> String {
    let mut o = String::new();
    let q = |s: &str| toml_string(s);
    let _ = writeln!(
        o,
        "# openseal release descriptor, written by `openseal init`. Review it, then edit."
    );
    let _ = writeln!(
        o,
        "# Component ids: formats/components.toml. Status: included (files), referenced (url),"
    );
    let _ = writeln!(
        o,
        "# withheld (reason), not-applicable (reason). A component's licence defaults to"
    );
    let _ = writeln!(
        o,
        "# [licenses] by its kind (code, data, document; weights, else data; then distribution)."
    );
    for note in &d.notes {
        let _ = writeln!(o, "# TODO: {note}");
    }
    let r = &d.release;
    let _ = writeln!(
        o,
        "\n[release]\nname = {}\nversion = {}",
        q(&r.name),
        q(&r.version)
    );
    let _ = writeln!(o, "producer = {}", q(r.producer.as_deref().unwrap_or("")));
    let _ = writeln!(o, "\n[licenses]");
    let l = &r.licenses;
    for (k, v) in [
        ("distribution", &l.distribution),
        ("code", &l.code),
        ("data", &l.data),
        ("document", &l.document),
        ("weights", &l.weights),
    ] {
        match v {
            Some(v) => {
                let _ = writeln!(o, "{k} = {}", q(v));
            }
            None => {
                let _ = writeln!(o, "# {k} = \"\"");
            }
        }
    }
    let texts: Vec<String> = d.license_files.iter().map(|f| q(f)).collect();
    let _ = writeln!(o, "texts = [{}]", texts.join(", "));
    for c in &r.components {
        let name = framework::component(&c.id).map_or("", |c| c.name.as_str());
        let _ = writeln!(o, "\n# {name}\n[[component]]\nid = {}", q(&c.id));
        let status = match c.status {
            Status::Included => "included",
            Status::Referenced => "referenced",
            Status::Withheld => "withheld",
            Status::NotApplicable => "not-applicable",
        };
        let _ = writeln!(o, "status = {}", q(status));
        if !c.files.is_empty() {
            let files: Vec<String> = c.files.iter().map(|f| q(f)).collect();
            let _ = writeln!(o, "files = [{}]", files.join(", "));
        }
        for (k, v) in [("license", &c.license), ("url", &c.url)] {
            if let Some(v) = v {
                let _ = writeln!(o, "{k} = {}", q(v));
            }
        }
        if !c.urls.is_empty() {
            let urls: Vec<String> = c.urls.iter().map(|u| q(u)).collect();
            let _ = writeln!(o, "urls = [{}]", urls.join(", "));
        }
        if let Some(reason) = &c.reason {
            let _ = writeln!(o, "reason = {}", q(reason));
        }
    }
    let _ = writeln!(
        o,
        "\n# Files no rule placed: give each a component above, or leave them here."
    );
    let files: Vec<String> = d.unclassified.iter().map(|f| q(f)).collect();
    let _ = writeln!(o, "[unclassified]\nfiles = [{}]", files.join(", "));
    o
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<String> {
        ["model.safetensors", "README.md", "train.py", "LICENSE"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn reads_components_and_expands_globs() {
        let text = r#"
[release]
name = "x"
[licenses]
code = "MIT"
texts = ["LICENSE"]
[[component]]
id = "weights.final"
status = "included"
files = ["*.safetensors"]
[[component]]
id = "datasets.pre-training"
status = "withheld"
reason = "contains personal data"
"#;
        let d = parse(text, Path::new("openseal.toml"), &files()).unwrap();
        assert_eq!(d.release.components[0].files, vec!["model.safetensors"]);
        assert_eq!(d.release.components[1].status, Status::Withheld);
        assert_eq!(d.release.licenses.code.as_deref(), Some("MIT"));
        assert_eq!(d.license_files, vec!["LICENSE"]);
    }

    fn error(text: &str) -> String {
        parse(text, Path::new("openseal.toml"), &files())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn errors_name_the_line() {
        let e = error(
            "[release]\nname = \"x\"\n\n[[component]]\nid = \"weights.bogus\"\nstatus = \"included\"\nfiles = [\"*.safetensors\"]\n",
        );
        assert!(
            e.starts_with("openseal.toml:4: unknown component id"),
            "{e}"
        );
        let e = error(
            "[release]\nname = \"x\"\n[[component]]\nid = \"weights.final\"\nstatus = \"included\"\nfiles = [\"*.gguf\"]\n",
        );
        assert!(e.contains("\"*.gguf\" matches no file"), "{e}");
        let e = error(
            "[release]\nname = \"x\"\n[[component]]\nid = \"datasets.evaluation\"\nstatus = \"withheld\"\n",
        );
        assert!(e.contains("gives no reason"), "{e}");
        let e = error("[release]\nname = \"x\"\nsurprise = 1\n");
        assert!(e.contains("openseal.toml:3:"), "{e}");
    }
}

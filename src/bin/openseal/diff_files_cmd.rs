//! `openseal diff` when a side is a bundle: the two releases compared file by file on path, size
//! and SHA-256 (the bundle's manifest, the Hub's LFS digests, a local folder hashed), with no
//! weights read. Exit 0 identical, 1 different, 2 when some file could not be compared.

use crate::Outcome;
use crate::human::bytes;
use crate::output::Out;
use anyhow::Result;
use openseal::diff::files::{
    FileDiffReport, FileSide, ListedFile, bundle_files, compare_files, folder_files,
};
use openseal::release_loader::names_a_bundle;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

pub fn run(a: &Path, b: &Path, json: bool, out: &mut Out) -> Result<Outcome> {
    let report = compare_files(side(a)?, side(b)?);
    if json {
        out.json(&report)?;
    } else {
        out.write_all(render(&report).as_bytes())?;
    }
    crate::diff_cmd::outcome(
        report.differs,
        report.identical,
        report.not_compared.len(),
        "file(s) could not be compared, so the releases may differ",
    )
}

/// A bundle's manifest, a remote source's listed digests, or a local folder hashed.
fn side(arg: &Path) -> Result<FileSide> {
    if names_a_bundle(arg) {
        return Ok(FileSide::new(arg.display().to_string(), bundle_files(arg)?));
    }
    let input = crate::source_arg::open(arg)?;
    Ok(match &input.mirror {
        Some(m) => FileSide::new(
            m.shown().to_string(),
            m.digests()
                .into_iter()
                .map(|d| ListedFile {
                    path: d.path,
                    size: d.size,
                    sha256: d.sha256,
                    unknown_because: d.unknown_because,
                })
                .collect(),
        ),
        None => FileSide::new(arg.display().to_string(), folder_files(&input.path)?),
    })
}

fn short(sha: &str) -> &str {
    sha.get(..16).unwrap_or(sha)
}

fn render(r: &FileDiffReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "a  {}  ({} files)", r.a.path, r.a.files);
    let _ = writeln!(o, "b  {}  ({} files)", r.b.path, r.b.files);
    let _ = writeln!(
        o,
        "files  {} unchanged, {} changed, {} only in a, {} only in b, {} not compared",
        r.unchanged,
        r.changed.len(),
        r.only_a.len(),
        r.only_b.len(),
        r.not_compared.len()
    );
    for c in &r.changed {
        let _ = writeln!(
            o,
            "  changed       {}  (a {} sha256:{}…, b {} sha256:{}…)",
            c.path,
            bytes(c.a.size),
            short(&c.a.sha256),
            bytes(c.b.size),
            short(&c.b.sha256)
        );
    }
    for p in &r.only_a {
        let _ = writeln!(o, "  only in a     {p}");
    }
    for p in &r.only_b {
        let _ = writeln!(o, "  only in b     {p}");
    }
    for n in &r.not_compared {
        let _ = writeln!(o, "  not compared  {}: {}", n.path, n.reason);
    }
    let verdict = if r.identical {
        "identical"
    } else if r.differs {
        "different"
    } else {
        "not fully compared"
    };
    let _ = writeln!(o, "{verdict}");
    o
}

//! `openseal diff A B`: what changed between two models. Exit 0 when identical, 1 when they
//! differ (like diff(1)), 2 on errors or when some tensor could not be compared.

use crate::Outcome;
use crate::inspect_cmd::{num, stats_options};
use crate::output::Out;
use anyhow::Result;
use openseal::diff::{self, DiffOptions, DiffReport, KeyDiff, NotCompared};
use openseal::release_loader::names_a_bundle;
use openseal::remote::Mirror;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The first model: a weights file, a sharded-checkpoint index, a model folder, hf://ORG/NAME[@REV], an https:// address, or a bundle (then compared file by file)
    a: PathBuf,
    /// The second model
    b: PathBuf,
    /// Measure each content change: max abs difference and relative L2 (||a-b|| / ||a||)
    #[arg(long)]
    stats: bool,
    /// Device for --stats: cpu, or cuda:N in builds with the `cuda` feature
    #[arg(long, default_value = "cpu", value_name = "DEVICE")]
    device: String,
    /// Print a JSON report (schema openseal.diff/v1) instead of text
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    if names_a_bundle(&args.a) || names_a_bundle(&args.b) {
        if args.stats {
            anyhow::bail!(
                "--stats measures tensor changes; a bundle is compared file by file (by SHA-256)"
            );
        }
        return crate::diff_files_cmd::run(&args.a, &args.b, args.json, out);
    }
    let stats = stats_options(args.stats, &args.device)?;
    let progress = crate::progress::for_stderr("hashing tensors");
    let a = crate::source_arg::open(&args.a)?;
    let b = crate::source_arg::open(&args.b)?;
    if args.stats {
        a.require_local("--stats")?;
        b.require_local("--stats")?;
    }
    let opts = DiffOptions {
        stats,
        headers_only_a: a.mirror.as_ref().map(known_digests),
        headers_only_b: b.mirror.as_ref().map(known_digests),
    };
    let mut report = diff::diff_with(&a.path, &b.path, &opts, progress.as_ref())?;
    for (side, input) in [(&mut report.a, &a), (&mut report.b, &b)] {
        if let Some(m) = &input.mirror {
            m.show(&mut side.path);
            side.files.iter_mut().for_each(|f| m.show(f));
        }
    }
    // A weights file a remote side did not read has tensors nobody compared.
    for m in [&a.mirror, &b.mirror].into_iter().flatten() {
        for n in m.not_read.iter().filter(|n| n.weights) {
            report.tensors.not_compared.push(NotCompared {
                name: format!("{}/{} (every tensor in it)", m.shown(), n.path),
                reason: format!("the file was not read: {}", n.reason),
            });
            report.identical = false;
        }
    }
    if args.json {
        out.json(&report)?;
    } else {
        out.write_all(render(&report).as_bytes())?;
    }
    outcome(
        report.differs,
        report.identical,
        report.tensors.not_compared.len(),
        "tensor(s) could not be compared, so the models may differ",
    )
}

/// diff(1)'s exit status: 1 when something differs, else 2 (an error) when `not_compared`
/// things could not be compared, else 0.
pub fn outcome(differs: bool, identical: bool, not_compared: usize, why: &str) -> Result<Outcome> {
    if differs {
        return Ok(Outcome::CheckFailed);
    }
    if !identical {
        anyhow::bail!("{not_compared} {why}");
    }
    Ok(Outcome::Ok)
}

/// The Hub's SHA-256 of each file of a remote side, by its path in the local stand-in.
fn known_digests(m: &Mirror) -> BTreeMap<PathBuf, String> {
    m.files
        .iter()
        .filter_map(|f| Some((m.folder().join(&f.path), f.sha256.clone()?)))
        .collect()
}

fn render(r: &DiffReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "a  {}  ({} tensors)",
        r.a.path.display(),
        r.a.tensor_count
    );
    let _ = writeln!(
        o,
        "b  {}  ({} tensors)",
        r.b.path.display(),
        r.b.tensor_count
    );
    let t = &r.tensors;
    for n in &t.only_a {
        let _ = writeln!(o, "- {n}  (only in a)");
    }
    for n in &t.only_b {
        let _ = writeln!(o, "+ {n}  (only in b)");
    }
    for c in &t.dtype_changed {
        let _ = writeln!(o, "~ {}  dtype {} -> {}", c.name, c.a, c.b);
    }
    for c in &t.shape_changed {
        let _ = writeln!(o, "~ {}  shape {:?} -> {:?}", c.name, c.a, c.b);
    }
    for c in &t.content_changed {
        let size = match (&c.size, &c.size_not_supported) {
            (Some(s), _) => format!(
                "  {} element(s) differ, max |a-b| {}, rel L2 {}",
                s.differing_elements,
                num(s.max_abs_diff),
                num(s.rel_l2)
            ),
            (None, Some(why)) => format!("  (size not measured: {why})"),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            o,
            "~ {}  content changed ({} {:?}){size}",
            c.name, c.dtype, c.shape
        );
    }
    for c in &t.not_compared {
        let _ = writeln!(o, "? {}  not compared: {}", c.name, c.reason);
    }
    if let Some(c) = &r.config {
        render_keys(&mut o, "config.json", c);
    }
    render_keys(&mut o, "metadata", &r.metadata);
    let _ = writeln!(
        o,
        "{}: {} unchanged, {} only in a, {} only in b, {} dtype, {} shape, {} content change(s)",
        if r.identical {
            "identical"
        } else if r.differs {
            "differ"
        } else {
            "unknown"
        },
        t.unchanged,
        t.only_a.len(),
        t.only_b.len(),
        t.dtype_changed.len(),
        t.shape_changed.len(),
        t.content_changed.len()
    );
    o
}

fn render_keys(o: &mut String, what: &str, d: &KeyDiff) {
    for (k, v) in &d.removed {
        let _ = writeln!(o, "- {what}: {k} = {v}");
    }
    for (k, v) in &d.added {
        let _ = writeln!(o, "+ {what}: {k} = {v}");
    }
    for c in &d.changed {
        let _ = writeln!(o, "~ {what}: {} = {} -> {}", c.key, c.a, c.b);
    }
}

//! `openseal report PATH --html OUT.html [--svg BADGE.svg] [--trust KEYS]`: a self-contained HTML
//! page and a README badge for a release folder, manifest or bundle.

use crate::Outcome;
use crate::output::Out;
use anyhow::{Context, Result, bail};
use openseal::report::{self, ReportOptions};
use openseal::trust::TrustStore;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// A release folder, a manifest (.json) or a bundle (.tar.zst)
    path: PathBuf,
    /// Write the HTML report here (one self-contained file)
    #[arg(long, value_name = "OUT.html")]
    html: Option<PathBuf>,
    /// Write the SVG badge (MOF class and signer status) here
    #[arg(long, value_name = "OUT.svg")]
    svg: Option<PathBuf>,
    /// Verify a bundle against these keys (a .pub file, a folder of them, or a trust file;
    /// repeatable); without it the signer's key id is shown unchecked
    #[arg(long, value_name = "KEYS")]
    trust: Vec<PathBuf>,
    /// Print a JSON summary (schema openseal.report/v1)
    #[arg(long)]
    json: bool,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    if args.html.is_none() && args.svg.is_none() {
        bail!("nothing to write: give --html OUT.html and/or --svg OUT.svg");
    }
    let trust = if args.trust.is_empty() {
        None
    } else {
        Some(TrustStore::load_all(&args.trust)?)
    };
    let opts = ReportOptions {
        trust: trust.as_ref(),
        now: now(),
    };
    let data = report::build(&args.path, &opts)?;
    let mut written = Vec::new();
    if let Some(out) = &args.html {
        let page = report::html::page(&data);
        write(out, &page)?;
        written.push(("html", out, page.len()));
    }
    if let Some(out) = &args.svg {
        let badge = report::svg::badge(&data);
        write(out, &badge)?;
        written.push(("svg", out, badge.len()));
    }
    if args.json {
        let v = serde_json::json!({
            "schema": "openseal.report/v1",
            "path": args.path,
            "release": {"name": data.name, "version": data.version},
            "mof": data.result("mof").and_then(|r| r.level.clone()),
            "signer": {
                "status": data.signer.label(),
                "key_ids": data.signer.key_ids(),
            },
            "written": written.iter().map(|(kind, path, bytes)| serde_json::json!({
                "kind": kind, "path": path, "bytes": bytes,
            })).collect::<Vec<_>>(),
        });
        out.json(&v)?;
    } else {
        for (kind, path, bytes) in &written {
            writeln!(out, "wrote {kind} {} ({bytes} bytes)", path.display())?;
        }
    }
    Ok(Outcome::Ok)
}

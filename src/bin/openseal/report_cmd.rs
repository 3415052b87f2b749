//! `openseal report PATH --html OUT.html [--svg BADGE.svg] [--trust KEYS]`: a self-contained HTML
//! page and a README badge for a release folder, manifest or bundle.

use crate::Outcome;
use crate::output::Out;
use anyhow::{Context, Result, bail};
use openseal::release_loader::names_a_bundle;
use openseal::report::{self, ReportOptions, ReportOutput, SignerCheck, Written};
use openseal::trust::TrustStore;
use openseal::verification::VerifyOptions;
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

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))
}

pub fn run(mut args: Args, out: &mut Out) -> Result<Outcome> {
    if args.html.is_none() && args.svg.is_none() {
        bail!("nothing to write: give --html OUT.html and/or --svg OUT.svg");
    }
    if args
        .path
        .to_str()
        .is_some_and(|p| p.starts_with("https://") || p.starts_with("http://"))
    {
        bail!(
            "{}: report lists every file with its SHA-256, so it needs the files themselves; download them and give the local folder",
            args.path.display()
        );
    }
    args.path = openseal::source::hf::resolve(&args.path)?;
    // The report shows what verification found; it never verifies by itself.
    let verified = if args.trust.is_empty() || !names_a_bundle(&args.path) {
        None
    } else {
        let trust = TrustStore::load_all(&args.trust)?;
        let opts = VerifyOptions {
            trust: &trust,
            requires: &[],
            now: crate::verify_cmd::now(),
        };
        Some(crate::verify_cmd::verify_with_progress(&args.path, &opts).map_err(|e| e.to_string()))
    };
    let signer = match &verified {
        None => SignerCheck::NotChecked,
        Some(Ok(v)) => SignerCheck::Verified(v),
        Some(Err(message)) => SignerCheck::Failed(message),
    };
    let data = report::build(&args.path, &ReportOptions { signer })?;
    let mut written = Vec::new();
    if let Some(out) = &args.html {
        let page = report::html::page(&data);
        write(out, &page)?;
        written.push(Written {
            kind: "html",
            path: out,
            bytes: page.len(),
        });
    }
    if let Some(out) = &args.svg {
        let badge = report::svg::badge(&data);
        write(out, &badge)?;
        written.push(Written {
            kind: "svg",
            path: out,
            bytes: badge.len(),
        });
    }
    if args.json {
        out.json(&ReportOutput::new(&args.path, &data, written))?;
    } else {
        for w in &written {
            writeln!(
                out,
                "wrote {} {} ({} bytes)",
                w.kind,
                w.path.display(),
                w.bytes
            )?;
        }
    }
    Ok(Outcome::Ok)
}

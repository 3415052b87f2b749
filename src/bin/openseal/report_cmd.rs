//! `openseal report PATH --html OUT.html [--svg BADGE.svg] [--trust KEYS]`: a self-contained HTML
//! page and a README badge for a release folder, manifest or bundle.

use crate::Outcome;
use crate::output::Out;
use anyhow::{Context, Result, bail};
use openseal::digest::Sha256Digest;
use openseal::release_loader::names_a_bundle;
use openseal::remote::Mirror;
use openseal::report::{self, ReportOptions, ReportOutput, SignerCheck, Written};
use openseal::trust::TrustStore;
use openseal::verification::VerifyOptions;
use std::collections::BTreeMap;
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

/// The SHA-256 of each file of a remote release from the Hub's listing (or computed for a file
/// fetched whole). A partly read file with no listed SHA-256 cannot be given a digest, so it is
/// an error rather than the digest of the zeros standing in for its data.
pub(crate) fn remote_digests(m: &Mirror) -> Result<BTreeMap<String, Sha256Digest>> {
    let mut known = BTreeMap::new();
    for d in m.digests().into_iter().filter(|d| d.in_mirror) {
        match (d.sha256, d.unknown_because) {
            (Some(hex), _) => {
                known.insert(d.path, hex.parse()?);
            }
            (None, why) => bail!(
                "{}/{}: {}, so the report cannot give its digest; download the model and report on the local copy",
                m.shown(),
                d.path,
                why.unwrap_or_default()
            ),
        }
    }
    Ok(known)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))
}

pub fn run(mut args: Args, out: &mut Out) -> Result<Outcome> {
    if args.html.is_none() && args.svg.is_none() {
        bail!("nothing to write: give --html OUT.html and/or --svg OUT.svg");
    }
    let input = crate::source_arg::open(&args.path)?;
    let known_digests = match &input.mirror {
        Some(m) => Some(remote_digests(m)?),
        None => None,
    };
    args.path = input.path.clone();
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
    let mut data = report::build(
        &args.path,
        &ReportOptions {
            signer,
            known_digests: known_digests.as_ref(),
        },
    )?;
    if let Some(m) = &input.mirror {
        data.shown_as_remote(m.shown(), &m.not_read);
    }
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

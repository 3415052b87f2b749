//! `openseal bom PATH [--format cyclonedx|spdx] [-o FILE [--force]]`: an AI bill of materials
//! of a release folder, manifest, bundle or `hf://` reference, on standard output or in FILE.

use crate::Outcome;
use crate::output::Out;
use anyhow::{Context, Result, bail};
use openseal::bom::{self, BomFormat, BomOptions, Timestamp};
use openseal::report::{self, ReportOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// CycloneDX 1.6 JSON
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD
    Spdx,
}

#[derive(clap::Args)]
pub struct Args {
    /// A release folder, a manifest (.json), a bundle (.tar.zst) or an hf:// reference
    path: PathBuf,
    /// The BOM's format
    #[arg(long, value_enum, default_value = "cyclonedx")]
    format: Format,
    /// Write the BOM to FILE instead of standard output (an existing FILE only with --force)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE when it exists
    #[arg(long, requires = "output")]
    force: bool,
}

/// Writes `text` to `path`; an existing file is refused unless `force` (checked by the open
/// itself, so a file created meanwhile is never replaced).
fn write_file(path: &Path, text: &str, force: bool) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if force {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    let mut file = match opts.open(path) {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => bail!(
            "{}: already exists; give --force to replace it",
            path.display()
        ),
        other => other.with_context(|| format!("{}: cannot create", path.display()))?,
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))
}

pub fn run(mut args: Args, out: &mut Out) -> Result<Outcome> {
    let created = Timestamp::from_env()?;
    // The same source handling as `openseal report`: hf:// references are read header-only,
    // with the Hub's digests standing in for the files not downloaded.
    let input = crate::source_arg::open(&args.path)?;
    let known_digests = match &input.mirror {
        Some(m) => Some(crate::report_cmd::remote_digests(m)?),
        None => None,
    };
    args.path = input.path.clone();
    let mut data = report::build(
        &args.path,
        &ReportOptions {
            signer: report::SignerCheck::NotChecked,
            known_digests: known_digests.as_ref(),
        },
    )?;
    if let Some(m) = &input.mirror {
        data.shown_as_remote(m.shown(), &m.not_read);
    }
    let format = match args.format {
        Format::Cyclonedx => BomFormat::CycloneDx,
        Format::Spdx => BomFormat::Spdx,
    };
    let text = bom::render(
        &data.bom_input(),
        &BomOptions {
            format,
            created,
            download_location: input.mirror.as_ref().map(|m| m.shown()),
        },
    )?;
    match &args.output {
        Some(path) => write_file(path, &text, args.force)?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(Outcome::Ok)
}

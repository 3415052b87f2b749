//! `openseal init DIR`: detect the release's components and write DIR/openseal.toml. For
//! `hf://ORG/NAME[@REV]` (read from the local cache), the descriptor references the Hub's files
//! by URLs pinned to the commit and is written where `-o` says; for a CycloneDX or SPDX 3 bill
//! of materials, it holds the BOM's release record and is written where `-o` says.

use crate::Outcome;
use crate::output::Out;
use anyhow::{Context, Result, bail};
use openseal::descriptor;
use openseal::detect::{self, DESCRIPTOR};
use openseal::source::hf;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The release folder, hf://ORG/NAME[@REVISION] from the local Hugging Face cache, or a
    /// CycloneDX or SPDX 3 bill of materials (.json, .jsonld)
    dir: PathBuf,
    /// Write the descriptor here instead of DIR/openseal.toml (required for hf:// and a BOM)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace an existing openseal.toml
    #[arg(long)]
    force: bool,
    /// Print the descriptor to standard output instead of writing it
    #[arg(long)]
    dry_run: bool,
    /// Print a JSON summary (schema openseal.init/v1)
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    let detected = if hf::is_hub_ref(&args.dir) {
        from_hub(&args)?
    } else if args.dir.is_file() {
        from_bom(&args)?
    } else {
        if !args.dir.is_dir() {
            bail!(
                "{}: not a release folder, hf://ORG/NAME reference or bill of materials (init takes one of those)",
                args.dir.display()
            );
        }
        detect::detect(&args.dir)?
    };
    let text = descriptor::render(&detected);
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| args.dir.join(DESCRIPTOR));
    if args.dry_run {
        out.write_all(text.as_bytes())?;
        return Ok(Outcome::Ok);
    }
    if target.exists() && !args.force {
        bail!(
            "{}: already exists (use --force to replace it, or --dry-run to see what init would write)",
            target.display()
        );
    }
    std::fs::write(&target, &text)
        .with_context(|| format!("{}: cannot write", target.display()))?;
    if args.json {
        out.json(&detect::InitOutput::new(&target, &detected))?;
    } else {
        writeln!(out, "wrote {}", target.display())?;
        for c in &detected.release.components {
            writeln!(out, "  {:<30} {} file(s)", c.id, c.files.len())?;
        }
        if !detected.unclassified.is_empty() {
            writeln!(out, "  unclassified: {}", detected.unclassified.join(", "))?;
        }
        for n in &detected.notes {
            writeln!(out, "  to do: {n}")?;
        }
    }
    Ok(Outcome::Ok)
}

/// The release record of a CycloneDX or SPDX 3 bill of materials, as a descriptor to review.
fn from_bom(args: &Args) -> Result<detect::Detected> {
    let path = &args.dir;
    if args.output.is_none() && !args.dry_run {
        bail!(
            "{}: init writes the descriptor of a bill of materials where -o says; give -o DIR/openseal.toml",
            path.display()
        );
    }
    let imported = openseal::bom_import::read(path)?;
    let mut notes = imported.notes;
    notes.push(format!(
        "written from the bill of materials {}: put the files it names beside this descriptor, or mark the components referenced (url) or withheld (reason)",
        path.display()
    ));
    Ok(detect::Detected {
        release: imported.release,
        license_files: imported.license_files,
        unclassified: imported.unclassified,
        notes,
    })
}

/// Detection of a cached Hub repository, every component referenced at its pinned URL.
fn from_hub(args: &Args) -> Result<detect::Detected> {
    let uri = args.dir.to_string_lossy();
    let hub = hf::parse(&uri)?;
    if hub.path.is_some() {
        bail!("{uri}: init describes a whole repository; leave out the path inside it");
    }
    if args.output.is_none() && !args.dry_run {
        bail!("{uri}: init does not write into the Hugging Face cache; give -o DIR/openseal.toml");
    }
    // The cache when it holds the revision, else the Hub, header-only.
    let source = crate::source_arg::open(&args.dir)?;
    let commit = match &source.mirror {
        Some(m) => m.commit.clone().unwrap_or_default(),
        None => source
            .path
            .file_name()
            .map(|c| c.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let detected = detect::detect(&source.path)?;
    let mut detected = detect::referenced_on_hub(detected, &hub.web_base(&hf::endpoint()), &commit);
    // Files a header-only read left out are not in the folder detection saw: say so.
    if let Some(m) = &source.mirror {
        for n in &m.not_read {
            detected.notes.push(format!(
                "{} ({} bytes) was not read from the Hub ({}); add it to a component by hand",
                n.path, n.size, n.reason
            ));
        }
    }
    Ok(detected)
}

//! `openseal init DIR`: detect the release's components and write DIR/openseal.toml.

use crate::Outcome;
use crate::output::Out;
use anyhow::{Context, Result, bail};
use openseal::descriptor;
use openseal::detect::{self, DESCRIPTOR};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The release folder
    dir: PathBuf,
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
    if !args.dir.is_dir() {
        bail!(
            "{}: not a folder (init takes a release folder)",
            args.dir.display()
        );
    }
    let detected = detect::detect(&args.dir)?;
    let text = descriptor::render(&detected);
    let target = args.dir.join(DESCRIPTOR);
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

//! `openseal pack DIR -o OUT --key KEY`: build, classify, sign and write a bundle.

use crate::human::{bytes, name_version};
use crate::output::Out;
use crate::{Outcome, progress};
use anyhow::{Context, Result, anyhow};
use openseal::classify::requirements::Requirement;
use openseal::pack::{self, PackError, PackOptions, PackOutput, Packed};
use openseal::signature::read_private_key;
use openseal::source::http::{HttpError, HttpOptions};
use openseal::source::{hf, hub_api, hub_download};
use openseal::write::WriteOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The release folder, or hf://ORG/NAME[@REV] (files the cache lacks are downloaded into it)
    dir: PathBuf,
    /// The bundle to write (.tar.zst)
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    out: PathBuf,
    /// Private key (PEM, from `openseal keygen`; an ECDSA key also adds an OMS model.sig)
    #[arg(long, value_name = "KEY")]
    key: PathBuf,
    /// Refuse to pack unless FRAMEWORK:LEVEL is met (repeatable), e.g. mof:class-ii
    #[arg(long = "require", value_name = "FRAMEWORK:LEVEL")]
    requires: Vec<String>,
    /// zstd compression level (1-19)
    #[arg(long, default_value_t = openseal::write::DEFAULT_ZSTD_LEVEL)]
    level: i32,
    /// Replace OUT if it exists
    #[arg(long)]
    force: bool,
    /// Leave out the CycloneDX bill of materials (bom.cdx.json) pack adds to every bundle
    #[arg(long)]
    no_bom: bool,
    /// Print a JSON summary (schema openseal.pack/v1)
    #[arg(long)]
    json: bool,
}

pub fn run(mut args: Args, out: &mut Out) -> Result<Outcome> {
    let key = read_private_key(&args.key)?;
    args.dir = release_folder(&args.dir)?;
    let requires = args
        .requires
        .iter()
        .map(|r| Requirement::parse_embedded(r).map_err(|e| anyhow!("--require {e}")))
        .collect::<Result<Vec<_>>>()?;
    let mut write = WriteOptions::from_env()?;
    write.level = args.level;
    write.overwrite = args.force;
    let opts = PackOptions {
        requires,
        write,
        bom: !args.no_bom,
    };
    match pack_with_progress(&args.dir, &args.out, &key, &opts) {
        Ok(packed) => {
            if args.json {
                out.json(&PackOutput::from(&packed))?;
            } else {
                out.write_all(render(&packed).as_bytes())?;
            }
            Ok(Outcome::Ok)
        }
        Err(e @ PackError::LevelNotMet { .. }) => {
            eprintln!("openseal: {e}; nothing was written");
            Ok(Outcome::CheckFailed)
        }
        Err(e) => Err(e).context("pack failed; nothing was written"),
    }
}

/// The folder to pack: a local path as it is; `hf://` from the cache, after downloading what
/// the cache lacks of that commit (the cache alone with `HF_HUB_OFFLINE`, or when the Hub
/// cannot be reached and the cache holds the revision).
fn release_folder(arg: &Path) -> Result<PathBuf> {
    let Some(uri) = arg.to_str().filter(|s| s.starts_with(hf::SCHEME)) else {
        return Ok(arg.to_path_buf());
    };
    if hf::offline() {
        return Ok(hf::resolve(arg)?);
    }
    let hub = hf::parse(uri)?;
    let endpoint = hf::endpoint();
    let client = hub_api::client(&endpoint, HttpOptions::from_env()?)?;
    let bar = progress::for_stderr("downloading");
    match hub_download::download_missing(
        &client,
        &endpoint,
        &hub,
        uri,
        &hf::cache_dir(),
        bar.as_ref(),
    ) {
        Ok(d) => {
            if !d.fetched.is_empty() {
                eprintln!(
                    "openseal: downloaded {} file(s), {}, of {}@{} into the cache {}",
                    d.fetched.len(),
                    bytes(d.bytes),
                    hub.repo,
                    d.commit,
                    hf::cache_dir().display()
                );
            }
            Ok(d.path)
        }
        Err(
            e @ hub_download::DownloadError::Hub(hub_api::HubApiError::Http(HttpError::Transport {
                ..
            })),
        ) => match hf::resolve(arg) {
            Ok(cached) => {
                eprintln!("openseal: warning: {e}; packing the cached snapshot as it is");
                Ok(cached)
            }
            Err(_) => Err(e.into()),
        },
        Err(e) => Err(e.into()),
    }
}

pub fn pack_with_progress(
    dir: &Path,
    out: &Path,
    key: &openseal::signature::SigningKey,
    opts: &PackOptions,
) -> Result<Packed, PackError> {
    pack::pack(
        dir,
        out,
        key,
        opts,
        progress::for_stderr("packing").as_ref(),
    )
}

pub fn render(p: &Packed) -> String {
    let mut o = String::new();
    let ratio = if p.bundle.tar_bytes > 0 {
        p.bundle.compressed_bytes as f64 / p.bundle.tar_bytes as f64
    } else {
        1.0
    };
    o.push_str(&format!(
        "packed {}: {} files, {} -> {} ({:.0}%), zstd {} level {}\n",
        name_version(&p.manifest.release.name, &p.manifest.release.version),
        p.bundle.files,
        bytes(p.bundle.tar_bytes),
        bytes(p.bundle.compressed_bytes),
        ratio * 100.0,
        p.bundle.zstd_version,
        p.bundle.zstd_level,
    ));
    o.push_str(&format!(
        "  bundle  {}\n  signed  key {}\n",
        p.bundle.path.display(),
        p.signer_key_id
    ));
    if p.bom {
        o.push_str("  bom     bom.cdx.json, the CycloneDX 1.6 bill of materials of the release\n");
    }
    if p.oms_signature {
        o.push_str(
            "  oms     model.sig of the release files (model_signing verify key accepts the unpacked folder)\n",
        );
    }
    for d in &p.manifest.declarations {
        o.push_str(&format!(
            "  declares {} {}: {}\n",
            d.framework,
            d.version,
            d.level.as_deref().unwrap_or("no level")
        ));
    }
    for w in &p.warnings {
        o.push_str(&format!("  note: {w}\n"));
    }
    o
}

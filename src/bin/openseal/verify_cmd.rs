//! `openseal verify BUNDLE --trust KEYS` and `openseal unpack BUNDLE -C DIR --trust KEYS`.

use crate::human::bytes;
use crate::output::Out;
use crate::{Outcome, progress};
use anyhow::{Result, anyhow};
use openseal::bundle::Discard;
use openseal::pack::{self, Requirement};
use openseal::trust::TrustStore;
use openseal::verify::{self, Part, Verification, VerifyError, VerifyOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The bundle (.tar.zst)
    bundle: PathBuf,
    /// Trusted keys: a .pub file, a folder of them, or a trust file (repeatable)
    #[arg(long, value_name = "KEYS", required = true)]
    trust: Vec<PathBuf>,
    /// Fail unless FRAMEWORK:LEVEL is met (repeatable), e.g. mof:class-ii
    #[arg(long = "require", value_name = "FRAMEWORK:LEVEL")]
    requires: Vec<String>,
    /// Print a JSON report (schema openseal.verify/v1)
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct UnpackArgs {
    /// The bundle (.tar.zst)
    bundle: PathBuf,
    /// The folder to create (it must not exist)
    #[arg(short = 'C', value_name = "DIR")]
    dir: PathBuf,
    /// Trusted keys: a .pub file, a folder of them, or a trust file (repeatable)
    #[arg(long, value_name = "KEYS", required = true)]
    trust: Vec<PathBuf>,
    /// Extract only these parts (repeatable); licence texts always come along
    #[arg(long, value_enum)]
    only: Vec<OnlyPart>,
    /// Fail unless FRAMEWORK:LEVEL is met (repeatable)
    #[arg(long = "require", value_name = "FRAMEWORK:LEVEL")]
    requires: Vec<String>,
    /// Print a JSON report (schema openseal.verify/v1)
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OnlyPart {
    Weights,
    Code,
    Data,
    Docs,
}

fn requirements(texts: &[String]) -> Result<Vec<Requirement>> {
    texts
        .iter()
        .map(|r| pack::parse_requirement(r).map_err(|e| anyhow!("--require {e}")))
        .collect()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn bundle_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

pub fn run_verify(args: VerifyArgs, out: &mut Out) -> Result<Outcome> {
    let trust = TrustStore::load_all(&args.trust)?;
    let requires = requirements(&args.requires)?;
    let opts = VerifyOptions {
        trust: &trust,
        requires: &requires,
        now: now(),
    };
    let result = verify_with_progress(&args.bundle, &opts);
    report(out, result, args.json, "verified")
}

pub fn verify_with_progress(
    bundle: &Path,
    opts: &VerifyOptions,
) -> Result<Verification, VerifyError> {
    // The bar counts uncompressed bytes; the compressed size is a fair lower estimate.
    let bar = progress::bytes_bar(bundle_size(bundle), "verifying");
    let mut discard = Discard;
    let mut sink = progress::Counting {
        bar: &bar,
        inner: &mut discard,
    };
    let result = verify::verify(bundle, opts, &mut sink);
    bar.finish_and_clear();
    result
}

pub fn run_unpack(args: UnpackArgs, out: &mut Out) -> Result<Outcome> {
    let trust = TrustStore::load_all(&args.trust)?;
    let requires = requirements(&args.requires)?;
    let opts = VerifyOptions {
        trust: &trust,
        requires: &requires,
        now: now(),
    };
    let only: Vec<Part> = args
        .only
        .iter()
        .map(|p| match p {
            OnlyPart::Weights => Part::Weights,
            OnlyPart::Code => Part::Code,
            OnlyPart::Data => Part::Data,
            OnlyPart::Docs => Part::Docs,
        })
        .collect();
    let result = verify::unpack(&args.bundle, &args.dir, &opts, &only);
    let word = format!("unpacked into {}", args.dir.display());
    report(out, result, args.json, &word)
}

/// Print the outcome; a failed check is exit 1, unreadable input exit 2.
fn report(
    out: &mut Out,
    result: Result<Verification, VerifyError>,
    json: bool,
    verb: &str,
) -> Result<Outcome> {
    match result {
        Ok(v) => {
            if json {
                let mut value = serde_json::to_value(&v)?;
                value["schema"] = "openseal.verify/v1".into();
                value["verified"] = true.into();
                out.json(&value)?;
            } else {
                out.write_all(render(&v, verb).as_bytes())?;
            }
            Ok(Outcome::Ok)
        }
        Err(e) if e.is_check_failure() => {
            if json {
                let value = serde_json::json!({
                    "schema": "openseal.verify/v1",
                    "verified": false,
                    "failure": e.kind(),
                    "error": e.to_string(),
                });
                out.json(&value)?;
                // The report first, then the verdict, as on an unbuffered terminal.
                out.flush()?;
            }
            eprintln!("openseal: NOT VERIFIED: {e}");
            Ok(Outcome::CheckFailed)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn render(v: &Verification, verb: &str) -> String {
    let mut o = format!(
        "{verb}: {} {}\n  signed by  {}{} ({})\n  contents   {} files, {} — every path, size and SHA-256 as the manifest says\n",
        v.release.name,
        v.release.version,
        v.signer.key_id,
        v.signer
            .name
            .as_ref()
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default(),
        v.signer.origin,
        v.files,
        bytes(v.bytes),
    );
    for d in &v.declarations {
        o.push_str(&format!(
            "  declares   {} {}: {} (contents support {})\n",
            d.framework,
            d.version,
            d.declared.as_deref().unwrap_or("no level"),
            d.derived.as_deref().unwrap_or("no level"),
        ));
    }
    let fp = match &v.fingerprint {
        verify::FingerprintCheck::Verified(f) => format!("{f} (re-derived from the weights)"),
        verify::FingerprintCheck::NotRecorded => "none recorded".to_string(),
        verify::FingerprintCheck::CheckedOnUnpack => {
            "recorded; re-derived by unpack (these weights need random access)".to_string()
        }
        verify::FingerprintCheck::NotExtracted => {
            "recorded; not checked (weights not extracted)".to_string()
        }
    };
    o.push_str(&format!("  weights    fingerprint {fp}\n"));
    for r in &v.requirements {
        o.push_str(&format!("  requires   {}:{} met\n", r.framework, r.level));
    }
    o
}

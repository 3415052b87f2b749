//! `openseal verify BUNDLE --trust KEYS` and `openseal unpack BUNDLE -C DIR --trust KEYS`.

use crate::human::{bytes, name_version};
use crate::output::Out;
use crate::{Outcome, progress};
use anyhow::{Result, anyhow};
use openseal::classify::requirements::Requirement;
use openseal::trust::TrustStore;
use openseal::unpack::{self, Part};
use openseal::verification::{
    FingerprintCheck, Verification, VerifyError, VerifyOptions, VerifyOutput,
};
use openseal::verify;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The bundle (.tar.zst), or with --oms a model folder
    bundle: PathBuf,
    /// Check the folder against an OpenSSF Model Signing signature [default: DIR/model.sig]
    #[arg(long, value_name = "SIG", num_args = 0..=1, default_missing_value = "")]
    oms: Option<String>,
    /// With --oms: accept files the signature does not cover
    #[arg(long, requires = "oms")]
    ignore_unsigned: bool,
    /// With --oms: a path relative to the folder to leave out (repeatable)
    #[arg(long = "ignore-path", value_name = "PATH", requires = "oms")]
    ignore_paths: Vec<String>,
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

/// The trust store (`--trust`) and required levels (`--require`) of a command line.
fn checks(trust: &[PathBuf], requires: &[String]) -> Result<(TrustStore, Vec<Requirement>)> {
    let store = TrustStore::load_all(trust)?;
    let requires = requires
        .iter()
        .map(|r| Requirement::parse_embedded(r).map_err(|e| anyhow!("--require {e}")))
        .collect::<Result<_>>()?;
    Ok((store, requires))
}

/// Now, in Unix seconds: the time at which key expiry is judged.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

pub fn run_verify(args: VerifyArgs, out: &mut Out) -> Result<Outcome> {
    if let Some(sig) = &args.oms {
        if !args.requires.is_empty() {
            return Err(anyhow!(
                "--require checks a bundle's declared levels; an OMS signature declares none"
            ));
        }
        let sig = (!sig.is_empty()).then(|| Path::new(sig.as_str()));
        return crate::oms_cmd::run_verify_oms(
            &args.bundle,
            sig,
            &args.trust,
            args.ignore_unsigned,
            &args.ignore_paths,
            args.json,
            out,
        );
    }
    let (trust, requires) = checks(&args.trust, &args.requires)?;
    let opts = VerifyOptions {
        trust: &trust,
        requires: &requires,
        now: now(),
    };
    let result = verify_with_progress(&args.bundle, &opts);
    report(out, result, args.json, None)
}

pub fn verify_with_progress(
    bundle: &Path,
    opts: &VerifyOptions,
) -> Result<Verification, VerifyError> {
    verify::verify(bundle, opts, progress::for_stderr("verifying").as_ref())
}

pub fn run_unpack(args: UnpackArgs, out: &mut Out) -> Result<Outcome> {
    let (trust, requires) = checks(&args.trust, &args.requires)?;
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
    let bar = progress::for_stderr("unpacking");
    let result = unpack::unpack(&args.bundle, &args.dir, &opts, &only, bar.as_ref());
    report(out, result, args.json, Some(&args.dir))
}

/// Print the outcome; a failed check is exit 1, unreadable input exit 2.
fn report(
    out: &mut Out,
    result: Result<Verification, VerifyError>,
    json: bool,
    unpacked_into: Option<&Path>,
) -> Result<Outcome> {
    match result {
        Ok(v) => {
            if json {
                out.json(&VerifyOutput::verified(&v, unpacked_into))?;
            } else {
                let verb = match unpacked_into {
                    Some(dir) => format!("unpacked into {}", dir.display()),
                    None => "verified".to_string(),
                };
                out.write_all(render(&v, &verb).as_bytes())?;
            }
            Ok(Outcome::Ok)
        }
        Err(e) if e.is_check_failure() => {
            if json {
                out.json(&VerifyOutput::failed(&e))?;
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
        "{verb}: {}\n  signed by  {}{} ({})\n  contents   {} files, {} — every path, size and SHA-256 as the manifest says\n",
        name_version(&v.release.name, &v.release.version),
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
        FingerprintCheck::Verified(f) => format!("{f} (re-derived from the weights)"),
        FingerprintCheck::NotRecorded => "none recorded".to_string(),
        FingerprintCheck::CheckedOnUnpack => {
            "recorded; re-derived by unpack (these weights need random access)".to_string()
        }
        FingerprintCheck::NotExtracted => {
            "recorded; not checked (weights not extracted)".to_string()
        }
    };
    o.push_str(&format!("  weights    fingerprint {fp}\n"));
    for r in &v.requirements {
        o.push_str(&format!("  requires   {}:{} met\n", r.framework, r.level));
    }
    o
}

//! `openseal push BUNDLE oci://HOST[:PORT]/REPO[:TAG] --trust KEYS [--json]` and
//! `openseal pull oci://HOST[:PORT]/REPO[:TAG|@sha256:HEX] -C DIR --trust KEYS [--json]`: a
//! verified bundle uploaded to an OCI registry as a ModelPack artifact, and fetched back as the
//! release folder, verified against the signed manifest.

use crate::human::{bytes, name_version};
use crate::output::Out;
use crate::{Outcome, progress};
use anyhow::Result;
use openseal::oci::{self, PullError, Pulled, PushError, Pushed};
use openseal::source::http::HttpOptions;
use openseal::source::registry::Reference;
use openseal::trust::TrustStore;
use openseal::verification::VerifyOptions;
use serde::Serialize;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct PushArgs {
    /// The bundle (.tar.zst)
    bundle: PathBuf,
    /// Where to: oci://HOST[:PORT]/REPO[:TAG] (default tag: the release's version)
    reference: String,
    /// Trusted keys: a .pub file, a folder of them, or a trust file (repeatable)
    #[arg(long, value_name = "KEYS", required = true)]
    trust: Vec<PathBuf>,
    /// Use plain HTTP for a registry that is not on this machine (loopback always uses it)
    #[arg(long)]
    insecure: bool,
    /// Print a JSON report (schema openseal.oci-push/v1)
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct PullArgs {
    /// What to fetch: oci://HOST[:PORT]/REPO[:TAG|@sha256:HEX] (default tag: latest)
    reference: String,
    /// Write the release into this new folder (it must not exist)
    #[arg(short = 'C', long = "directory", value_name = "DIR", required = true)]
    directory: PathBuf,
    /// Trusted keys: a .pub file, a folder of them, or a trust file (repeatable)
    #[arg(long, value_name = "KEYS", required = true)]
    trust: Vec<PathBuf>,
    /// Use plain HTTP for a registry that is not on this machine (loopback always uses it)
    #[arg(long)]
    insecure: bool,
    /// Print a JSON report (schema openseal.oci-pull/v1)
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct PushReport<'a> {
    schema: &'static str,
    pushed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest_digest: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layers: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uploaded: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uploaded_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer_key_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    release: Option<&'a openseal::manifest::Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl<'a> PushReport<'a> {
    fn pushed(p: &'a Pushed) -> Self {
        PushReport {
            schema: "openseal.oci-push/v1",
            pushed: true,
            reference: Some(&p.reference),
            manifest_digest: Some(&p.manifest_digest),
            manifest_size: Some(p.manifest_size),
            layers: Some(p.layers),
            uploaded: Some(p.uploaded),
            uploaded_bytes: Some(p.uploaded_bytes),
            skipped: Some(p.skipped),
            signer_key_id: Some(&p.verification.signer.key_id),
            release: Some(&p.verification.release),
            failure: None,
            error: None,
        }
    }

    fn failed(e: &PushError) -> PushReport<'static> {
        PushReport {
            schema: "openseal.oci-push/v1",
            pushed: false,
            reference: None,
            manifest_digest: None,
            manifest_size: None,
            layers: None,
            uploaded: None,
            uploaded_bytes: None,
            skipped: None,
            signer_key_id: None,
            release: None,
            failure: Some(e.kind()),
            error: Some(e.to_string()),
        }
    }
}

#[derive(Serialize)]
struct PullReport<'a> {
    schema: &'static str,
    pulled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    directory: Option<&'a std::path::Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest_digest: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer_key_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    release: Option<&'a openseal::manifest::Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn verify_opts(trust: &TrustStore) -> VerifyOptions<'_> {
    VerifyOptions {
        trust,
        requires: &[],
        now: crate::verify_cmd::now(),
    }
}

pub fn run_push(args: PushArgs, out: &mut Out) -> Result<Outcome> {
    let reference = Reference::parse(&args.reference, args.insecure)?;
    let trust = TrustStore::load_all(&args.trust)?;
    let http = HttpOptions::from_env()?;
    let bar = progress::for_stderr("verifying");
    match oci::push(
        &args.bundle,
        &reference,
        &verify_opts(&trust),
        http,
        bar.as_ref(),
    ) {
        Ok(p) => {
            if args.json {
                out.json(&PushReport::pushed(&p))?;
            } else {
                let v = &p.verification;
                writeln!(
                    out,
                    "pushed {} to {}\n  signed by  {}\n  manifest   {} ({} bytes)\n  layers     {}\n  uploaded   {} blob(s), {}; {} already in the registry",
                    name_version(&v.release.name, &v.release.version),
                    p.reference,
                    v.signer.key_id,
                    p.manifest_digest,
                    p.manifest_size,
                    p.layers,
                    p.uploaded,
                    bytes(p.uploaded_bytes),
                    p.skipped,
                )?;
            }
            Ok(Outcome::Ok)
        }
        Err(e) if e.is_check_failure() => {
            if args.json {
                out.json(&PushReport::failed(&e))?;
                out.flush()?;
            }
            eprintln!("openseal: NOT PUSHED: {e}");
            Ok(Outcome::CheckFailed)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn run_pull(args: PullArgs, out: &mut Out) -> Result<Outcome> {
    let reference = Reference::parse(&args.reference, args.insecure)?;
    let trust = TrustStore::load_all(&args.trust)?;
    let http = HttpOptions::from_env()?;
    let bar = progress::for_stderr("pulling");
    let result: Result<Pulled, PullError> = oci::pull(
        &reference,
        &args.directory,
        &trust,
        crate::verify_cmd::now(),
        http,
        bar.as_ref(),
    );
    match result {
        Ok(p) => {
            if args.json {
                out.json(&PullReport {
                    schema: "openseal.oci-pull/v1",
                    pulled: true,
                    directory: Some(&p.target),
                    manifest_digest: Some(&p.manifest_digest),
                    files: Some(p.files),
                    bytes: Some(p.bytes),
                    signer_key_id: Some(p.signer.key_id()),
                    release: Some(&p.release),
                    failure: None,
                    error: None,
                })?;
            } else {
                writeln!(
                    out,
                    "pulled {} into {}\n  signed by  {}\n  manifest   {}\n  files      {} ({})",
                    name_version(&p.release.name, &p.release.version),
                    p.target.display(),
                    p.signer.key_id(),
                    p.manifest_digest,
                    p.files,
                    bytes(p.bytes),
                )?;
            }
            Ok(Outcome::Ok)
        }
        Err(e) if e.is_check_failure() => {
            if args.json {
                out.json(&PullReport {
                    schema: "openseal.oci-pull/v1",
                    pulled: false,
                    directory: None,
                    manifest_digest: None,
                    files: None,
                    bytes: None,
                    signer_key_id: None,
                    release: None,
                    failure: Some(e.kind()),
                    error: Some(e.to_string()),
                })?;
                out.flush()?;
            }
            eprintln!("openseal: NOT PULLED: {e}");
            Ok(Outcome::CheckFailed)
        }
        Err(e) => Err(e.into()),
    }
}

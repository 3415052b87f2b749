//! `openseal export BUNDLE --oci-layout OUT [--tag TAG] --trust KEYS [--json]`: the bundle,
//! verified while it streams, as a CNCF ModelPack artifact in an OCI image layout.

use crate::human::{bytes, name_version};
use crate::output::Out;
use crate::{Outcome, progress};
use anyhow::Result;
use openseal::oci::{self, ExportError, Exported};
use openseal::trust::TrustStore;
use openseal::verification::VerifyOptions;
use serde::Serialize;
use std::io::Write as _;
use std::path::PathBuf;

/// The schema name of the `--json` report.
const SCHEMA: &str = "openseal.oci-export/v1";

#[derive(clap::Args)]
pub struct Args {
    /// The bundle (.tar.zst)
    bundle: PathBuf,
    /// Write an OCI image layout into this new folder (it must not exist)
    #[arg(long = "oci-layout", value_name = "OUT", required = true)]
    oci_layout: PathBuf,
    /// The tag of the manifest in the layout [default: the release's version]
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Trusted keys: a .pub file, a folder of them, or a trust file (repeatable)
    #[arg(long, value_name = "KEYS", required = true)]
    trust: Vec<PathBuf>,
    /// Print a JSON report (schema openseal.oci-export/v1)
    #[arg(long)]
    json: bool,
}

/// The `--json` report (`formats/oci-export.schema.json`).
#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    exported: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<&'a std::path::Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    artifact_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest_digest: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layers: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layer_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer_key_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    release: Option<&'a openseal::manifest::Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl<'a> Report<'a> {
    fn exported(e: &'a Exported) -> Report<'a> {
        Report {
            schema: SCHEMA,
            exported: true,
            layout: Some(&e.layout),
            tag: Some(&e.tag),
            reference: Some(reference(e)),
            artifact_type: Some(oci::media::MODEL_ARTIFACT),
            manifest_digest: Some(&e.manifest_digest),
            manifest_size: Some(e.manifest_size),
            layers: Some(e.layers),
            layer_bytes: Some(e.layer_bytes),
            signer_key_id: Some(&e.verification.signer.key_id),
            release: Some(&e.verification.release),
            failure: None,
            error: None,
        }
    }

    fn failed(e: &ExportError) -> Report<'static> {
        Report {
            schema: SCHEMA,
            exported: false,
            layout: None,
            tag: None,
            reference: None,
            artifact_type: None,
            manifest_digest: None,
            manifest_size: None,
            layers: None,
            layer_bytes: None,
            signer_key_id: None,
            release: None,
            failure: Some(e.kind()),
            error: Some(e.to_string()),
        }
    }
}

/// How skopeo names the manifest: `oci:LAYOUT:TAG`.
fn reference(e: &Exported) -> String {
    format!("oci:{}:{}", e.layout.display(), e.tag)
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    let trust = TrustStore::load_all(&args.trust)?;
    let opts = VerifyOptions {
        trust: &trust,
        requires: &[],
        now: crate::verify_cmd::now(),
    };
    let bar = progress::for_stderr("exporting");
    let result = oci::export_layout(
        &args.bundle,
        &args.oci_layout,
        args.tag.as_deref(),
        &opts,
        bar.as_ref(),
    );
    match result {
        Ok(e) => {
            if args.json {
                out.json(&Report::exported(&e))?;
            } else {
                let v = &e.verification;
                writeln!(
                    out,
                    "exported {} into {}\n  signed by  {}{}\n  manifest   {} ({} bytes, {})\n  layers     {} ({}): the signed manifest, its signature and {} release files\n  reference  {}",
                    name_version(&v.release.name, &v.release.version),
                    e.layout.display(),
                    v.signer.key_id,
                    v.signer
                        .name
                        .as_ref()
                        .map(|n| format!(" \"{n}\""))
                        .unwrap_or_default(),
                    e.manifest_digest,
                    e.manifest_size,
                    oci::media::MODEL_ARTIFACT,
                    e.layers,
                    bytes(e.layer_bytes),
                    v.files,
                    reference(&e),
                )?;
            }
            Ok(Outcome::Ok)
        }
        Err(e) if e.is_check_failure() => {
            if args.json {
                out.json(&Report::failed(&e))?;
                out.flush()?;
            }
            eprintln!("openseal: NOT EXPORTED: {e}");
            Ok(Outcome::CheckFailed)
        }
        Err(e) => Err(e.into()),
    }
}

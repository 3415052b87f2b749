//! `openseal sign DIR --key K` and `openseal verify DIR --oms [SIG] --trust KEYS`: OpenSSF Model
//! Signing (`model.sig`) signatures that `model_signing` also makes and checks.

use crate::Outcome;
use crate::output::Out;
use anyhow::{Context, Result, bail};
use openseal::oms::{
    self, OmsSignOutput, OmsVerifyOutput, SIGNATURE_FILE, SignOptions, VerifyOptions,
};
use openseal::signature::read_private_key;
use openseal::trust::TrustStore;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct SignArgs {
    /// The model folder to sign
    dir: PathBuf,
    /// Private key (ECDSA P-256 or P-384: `openseal keygen --algorithm p256`)
    #[arg(long, value_name = "KEY")]
    key: PathBuf,
    /// Where to write the signature [default: DIR/model.sig]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// A path relative to DIR to leave unsigned (repeatable); recorded in the signature
    #[arg(long = "ignore-path", value_name = "PATH")]
    ignore_paths: Vec<String>,
    /// Replace an existing signature file
    #[arg(long)]
    force: bool,
    /// Print a JSON summary (schema openseal.oms-sign/v1)
    #[arg(long)]
    json: bool,
}

pub fn run_sign(args: SignArgs, out: &mut Out) -> Result<Outcome> {
    if !args.dir.is_dir() {
        bail!(
            "{}: not a folder (sign takes a model folder)",
            args.dir.display()
        );
    }
    let key = read_private_key(&args.key)?;
    let signature = args
        .output
        .clone()
        .unwrap_or_else(|| args.dir.join(SIGNATURE_FILE));
    if signature.exists() && !args.force {
        bail!(
            "{}: already exists; pass --force to replace it",
            signature.display()
        );
    }
    let opts = SignOptions {
        ignore_paths: args.ignore_paths.clone(),
    };
    let signed = oms::sign_folder(&args.dir, &signature, &key, &opts)?;
    write_replacing(&signature, &signed.bytes)?;
    if args.json {
        out.json(&OmsSignOutput::new(&args.dir, &signature, &key, &signed))?;
    } else {
        writeln!(
            out,
            "signed {} ({} files) -> {}\n  key        {} ({})\n  root       sha256:{}\n  check with model_signing verify key {} --signature {} --public_key KEY.pub",
            args.dir.display(),
            signed.files,
            signature.display(),
            key.public_key().id(),
            key.algorithm(),
            signed.root_digest,
            args.dir.display(),
            signature.display(),
        )?;
    }
    Ok(Outcome::Ok)
}

/// Writes `bytes` to a temporary name beside `path`, then renames it into place: a reader never
/// sees half a signature.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| SIGNATURE_FILE.to_string());
    let tmp = path.with_file_name(format!(".{name}.partial"));
    std::fs::write(&tmp, bytes).with_context(|| format!("{}: cannot write", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: cannot write", path.display())
    })
}

/// `openseal verify DIR --oms [SIG]`.
pub fn run_verify_oms(
    dir: &Path,
    signature: Option<&Path>,
    trust: &[PathBuf],
    ignore_unsigned: bool,
    ignore_paths: &[String],
    json: bool,
    out: &mut Out,
) -> Result<Outcome> {
    if !dir.is_dir() {
        bail!(
            "{}: not a folder (verify --oms checks a model folder against its model.sig)",
            dir.display()
        );
    }
    let store = TrustStore::load_all(trust)?;
    let default_sig = dir.join(SIGNATURE_FILE);
    let signature = signature.unwrap_or(&default_sig);
    let opts = VerifyOptions {
        ignore_unsigned,
        ignore_paths: ignore_paths.to_vec(),
        now: crate::verify_cmd::now(),
    };
    match oms::verify_folder(dir, signature, store.keys(), &opts) {
        Ok(v) => {
            if json {
                out.json(&OmsVerifyOutput::verified(dir, signature, &v))?;
            } else {
                let signer = &v.signed.signer;
                writeln!(
                    out,
                    "verified: {} matches {}\n  signed by  {}{} ({})\n  contents   {} files, every SHA-256 as signed (root sha256:{})",
                    dir.display(),
                    signature.display(),
                    signer.key_id(),
                    signer
                        .name()
                        .map(|n| format!(" \"{n}\""))
                        .unwrap_or_default(),
                    signer.origin(),
                    v.signed.resources.len(),
                    v.signed.root_digest,
                )?;
                if !v.unsigned.is_empty() {
                    writeln!(
                        out,
                        "  unsigned   {} files accepted (--ignore-unsigned): {}",
                        v.unsigned.len(),
                        v.unsigned.join(", ")
                    )?;
                }
            }
            Ok(Outcome::Ok)
        }
        Err(e) if e.is_check_failure() => {
            if json {
                out.json(&OmsVerifyOutput::failed(dir, signature, &e))?;
                out.flush()?;
            }
            eprintln!("openseal: NOT VERIFIED: {e}");
            Ok(Outcome::CheckFailed)
        }
        Err(e) => Err(e.into()),
    }
}

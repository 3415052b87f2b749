//! `openseal demo`: the quick start. Packs the example release in testdata/ with the demo key,
//! verifies it, unpacks it and classifies it, showing each step's output.

use crate::output::Out;
use crate::{Outcome, classify_cmd, pack_cmd, verify_cmd};
use anyhow::{Context, Result, bail};
use openseal::classify::Evaluator;
use openseal::framework::FrameworkSet;
use openseal::license::Mode;
use openseal::pack::{PackOptions, PackOutput};
use openseal::release_loader as input;
use openseal::signature::{TrustedKey, demo_signing_key};
use openseal::trust::TrustStore;
use openseal::unpack;
use openseal::verification::VerifyOptions;
use openseal::write::WriteOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The release folder to use instead of testdata/example-model
    #[arg(long, value_name = "DIR")]
    release: Option<PathBuf>,
    /// Keep the bundle and the unpacked folder in this folder (default: a temporary one, removed)
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Print one JSON report of every step (schema openseal.demo/v1) instead of text
    #[arg(long)]
    json: bool,
}

/// The example release: beside the working directory when run from the repository, else where
/// the binary was built from.
fn example_release() -> PathBuf {
    let local = PathBuf::from("testdata/example-model");
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example-model")
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    let release = args.release.unwrap_or_else(example_release);
    if !release.is_dir() {
        bail!(
            "{}: the example release is not there (run the demo from the repository, or pass --release DIR)",
            release.display()
        );
    }
    let work = match &args.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create", dir.display()))?;
            dir.clone()
        }
        None => {
            let dir = std::env::temp_dir().join(format!("openseal-demo-{}", std::process::id()));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("{}: cannot create", dir.display()))?;
            dir
        }
    };
    let result = steps(out, &release, &work, args.json);
    if args.keep.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
    result
}

fn steps(out: &mut Out, release: &Path, work: &Path, json: bool) -> Result<Outcome> {
    // Text goes to stdout as each step finishes; with --json one report comes at the end.
    let mut say = |text: String| -> std::io::Result<()> {
        if !json {
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Ok(())
    };
    let key = demo_signing_key();
    say("openseal demo — the demo key is derived from a fixed seed: NEVER use it for a real release.\n\n".into())?;

    let bundle = work.join("release.tar.zst");
    say(format!(
        "$ openseal pack {} -o {} --key <demo key>\n",
        release.display(),
        bundle.display()
    ))?;
    let mut write = WriteOptions::from_env()?;
    write.overwrite = true;
    let options = PackOptions {
        requires: vec![],
        write,
        bom: true,
    };
    let packed = pack_cmd::pack_with_progress(release, &bundle, &key, &options)?;
    say(pack_cmd::render(&packed))?;

    let mut trust = TrustStore::new();
    trust.add(TrustedKey::new(
        key.verifying_key(),
        "keys/demo.pub (the demo key)",
    ))?;
    let opts = VerifyOptions {
        trust: &trust,
        requires: &[],
        now: 0,
    };
    say(format!(
        "\n$ openseal verify {} --trust keys/demo.pub\n",
        bundle.display()
    ))?;
    let verified = verify_cmd::verify_with_progress(&bundle, &opts)?;
    say(verify_cmd::render(&verified, "verified"))?;

    let unpacked = work.join("unpacked");
    if unpacked.exists() {
        std::fs::remove_dir_all(&unpacked)
            .with_context(|| format!("{}: cannot clear", unpacked.display()))?;
    }
    say(format!(
        "\n$ openseal unpack {} -C {} --trust keys/demo.pub\n",
        bundle.display(),
        unpacked.display()
    ))?;
    let bar = crate::progress::for_stderr("unpacking");
    let done = unpack::unpack(&bundle, &unpacked, &opts, &[], bar.as_ref())?;
    say(verify_cmd::render(
        &done,
        &format!("unpacked into {}", unpacked.display()),
    ))?;

    say(format!(
        "\n$ openseal classify {} --framework mof --framework osaid\n",
        bundle.display()
    ))?;
    let input = input::load(&bundle)?;
    let set = FrameworkSet::embedded()?;
    let evaluator = Evaluator::embedded()?;
    let results: Vec<_> = ["mof", "osaid"]
        .iter()
        .filter_map(|id| set.get(id))
        .map(|fw| evaluator.evaluate(fw, &input.release, Mode::Default))
        .collect();
    say(classify_cmd::render(&input, &results, &[]))?;
    if json {
        let report = serde_json::json!({
            "schema": "openseal.demo/v1",
            "pack": PackOutput::from(&packed),
            "verify": verified,
            "unpack": done,
            "classify": results,
        });
        out.json(&report)?;
    }
    Ok(Outcome::Ok)
}

//! The `openseal` command line: argument parsing, rendering and exit codes. The only place
//! that prints. Standard output goes through one handle (`output::Out`); print macros would
//! bypass it and panic on a closed pipe.
#![deny(clippy::print_stdout)]

mod bom_cmd;
mod classify_cmd;
mod classify_diff_cmd;
mod completions_cmd;
mod demo_cmd;
mod diff_cmd;
mod diff_files_cmd;
mod export_cmd;
mod human;
mod init_cmd;
mod inspect_cmd;
mod keygen_cmd;
mod man_cmd;
mod oms_cmd;
mod output;
mod pack_cmd;
mod progress;
mod push_cmd;
mod report_cmd;
mod source_arg;
mod verify_cmd;

use clap::{Parser, Subcommand};
use output::Out;
use std::io::ErrorKind;
use std::process::ExitCode;

/// Exit codes: 0 success, 1 a check ran and failed, 2 usage, I/O or malformed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    CheckFailed,
}

#[derive(Parser)]
#[command(
    name = "openseal",
    version,
    about = "Inspect, package, sign and verify open AI model releases",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read weights headers (safetensors, sharded, GGUF, PyTorch, pickle, NumPy) and model folders
    Inspect(inspect_cmd::Args),
    /// Detect a release folder's components and write its openseal.toml for review
    Init(init_cmd::Args),
    /// Evaluate openness frameworks (MOF, OSAID, the stack, ...) on a release
    Classify(classify_cmd::Args),
    /// Make a key pair (Ed25519, or ECDSA P-256/P-384): NAME.key (private, mode 0600) and NAME.pub
    Keygen(keygen_cmd::Args),
    /// Pack a release folder into a signed, reproducible .tar.zst bundle
    Pack(pack_cmd::Args),
    /// Write an OpenSSF Model Signing signature (model.sig) of a folder, as model_signing does
    Sign(oms_cmd::SignArgs),
    /// Check a bundle: trusted signature, every file, declared openness levels (or, with --oms, a
    /// folder against its model.sig)
    Verify(verify_cmd::VerifyArgs),
    /// Verify while extracting into a new folder, all or nothing
    Unpack(verify_cmd::UnpackArgs),
    /// Verify a bundle while writing it as a CNCF ModelPack artifact in an OCI image layout
    Export(export_cmd::Args),
    /// Verify a bundle and upload it to an OCI registry as a CNCF ModelPack artifact
    Push(push_cmd::PushArgs),
    /// Fetch an artifact from an OCI registry into a new folder, verified against its signed manifest
    Pull(push_cmd::PullArgs),
    /// The quick start: pack, sign, verify, unpack and classify the example release
    Demo(demo_cmd::Args),
    /// Compare two models' tensors, config.json and metadata (exit 0 same, 1 different, 2 error)
    Diff(diff_cmd::Args),
    /// Write a self-contained HTML report and an SVG badge for a release, manifest or bundle
    Report(report_cmd::Args),
    /// Write an AI bill of materials (CycloneDX 1.6 or SPDX 3.0.1) of a release, manifest or bundle
    Bom(bom_cmd::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(completions_cmd::Args),
    /// Print the roff man page of openseal, or of one of its commands
    Man(man_cmd::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with success, usage errors to stderr.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let mut out = Out::new();
    let result = dispatch(cli.command, &mut out);
    // Commands stop at their first failed write, so their error is then that failure.
    let stopped_by_stdout = out.failed();
    let stdout = out.finish();
    let mut code = match result {
        Ok(Outcome::Ok) => 0,
        Ok(Outcome::CheckFailed) => 1,
        Err(_) if stopped_by_stdout => 0,
        Err(e) => {
            eprintln!("error: {}", message(&e));
            2
        }
    };
    // A closed pipe (`openseal ... | head`) means the reader chose to stop: not an error.
    if let Some(e) = stdout
        && e.kind() != ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write to standard output: {e}");
        code = 2;
    }
    ExitCode::from(code)
}

fn dispatch(command: Command, out: &mut Out) -> anyhow::Result<Outcome> {
    match command {
        Command::Inspect(args) => inspect_cmd::run(args, out),
        Command::Init(args) => init_cmd::run(args, out),
        Command::Classify(args) => classify_cmd::run(args, out),
        Command::Keygen(args) => keygen_cmd::run(args, out),
        Command::Pack(args) => pack_cmd::run(args, out),
        Command::Sign(args) => oms_cmd::run_sign(args, out),
        Command::Verify(args) => verify_cmd::run_verify(args, out),
        Command::Unpack(args) => verify_cmd::run_unpack(args, out),
        Command::Export(args) => export_cmd::run(args, out),
        Command::Push(args) => push_cmd::run_push(args, out),
        Command::Pull(args) => push_cmd::run_pull(args, out),
        Command::Demo(args) => demo_cmd::run(args, out),
        Command::Diff(args) => diff_cmd::run(args, out),
        Command::Report(args) => report_cmd::run(args, out),
        Command::Bom(args) => bom_cmd::run(args, out),
        Command::Completions(args) => completions_cmd::run(args, out),
        Command::Man(args) => man_cmd::run(args, out),
    }
}

/// The error and its causes, each cause added only when the message does not already say it
/// (most of openseal's errors embed their cause's text).
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

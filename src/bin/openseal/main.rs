//! The `openseal` command line: argument parsing, rendering and exit codes. The only place
//! that prints.

mod diff_cmd;
mod human;
mod init_cmd;
mod inspect_cmd;

use clap::{Parser, Subcommand};
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
    /// Compare two models' tensors, config.json and metadata (exit 0 same, 1 different, 2 error)
    Diff(diff_cmd::Args),
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
    let result = match cli.command {
        Command::Inspect(args) => inspect_cmd::run(args),
        Command::Init(args) => init_cmd::run(args),
        Command::Diff(args) => diff_cmd::run(args),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::CheckFailed) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

//! `openseal completions SHELL`: the shell's completion script, generated from the clap
//! definitions so it never falls behind the commands.

use crate::output::Out;
use crate::{Cli, Outcome};
use anyhow::Result;
use clap::CommandFactory;
use clap_complete::{Generator, Shell};

#[derive(clap::Args)]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    let mut cmd = Cli::command();
    // What `clap_complete::generate` does first; its writer panics on a closed pipe, so call
    // the fallible generator instead.
    cmd.set_bin_name("openseal");
    cmd.build();
    args.shell.try_generate(&cmd, out)?;
    Ok(Outcome::Ok)
}

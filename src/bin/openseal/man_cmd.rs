//! `openseal man [COMMAND]`: the roff man page of openseal (openseal.1) or of one command
//! (openseal-COMMAND.1, the name the main page refers to).

use crate::output::Out;
use crate::{Cli, Outcome};
use anyhow::{Result, anyhow};
use clap::CommandFactory;
use clap_mangen::Man;

#[derive(clap::Args)]
pub struct Args {
    /// The command whose page to print, e.g. inspect (default: the main page)
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    let mut cmd = Cli::command();
    // Building names the commands' pages (openseal-inspect) and gives their usage its prefix.
    cmd.build();
    let page = match &args.command {
        None => Man::new(cmd),
        Some(name) => {
            let sub = cmd.find_subcommand(name).ok_or_else(|| {
                let known: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
                anyhow!("no command \"{name}\" (commands: {})", known.join(", "))
            })?;
            let source = format!("openseal {}", cmd.get_version().unwrap_or_default());
            Man::new(sub.clone()).source(source)
        }
    };
    page.render(out)?;
    Ok(Outcome::Ok)
}

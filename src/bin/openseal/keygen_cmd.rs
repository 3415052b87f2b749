//! `openseal keygen -o NAME`: an Ed25519 key pair as NAME.key (PKCS#8 PEM, mode 0600) and
//! NAME.pub (SPKI PEM).

use crate::Outcome;
use crate::output::Out;
use anyhow::Result;
use openseal::signature::{
    KeygenOutput, generate_signing_key, key_id, write_private_key, write_public_key,
};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Base name of the key files: NAME.key and NAME.pub
    #[arg(short = 'o', long = "output", value_name = "NAME")]
    name: PathBuf,
    /// Print a JSON summary (schema openseal.keygen/v1)
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    let private = args.name.with_extension("key");
    let public = args.name.with_extension("pub");
    let key = generate_signing_key()?;
    // Refuses to overwrite either file; the private key is written with mode 0600.
    write_private_key(&private, &key)?;
    if let Err(e) = write_public_key(&public, &key.verifying_key()) {
        let _ = std::fs::remove_file(&private);
        return Err(e.into());
    }
    let id = key_id(&key.verifying_key());
    if args.json {
        out.json(&KeygenOutput::new(&id, &private, &public))?;
    } else {
        writeln!(out, "key id      {id}")?;
        writeln!(
            out,
            "private key {} (keep it secret; mode 0600)",
            private.display()
        )?;
        writeln!(
            out,
            "public key  {} (give it to those who verify)",
            public.display()
        )?;
    }
    Ok(Outcome::Ok)
}

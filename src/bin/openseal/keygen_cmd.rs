//! `openseal keygen -o NAME [--algorithm ed25519|p256|p384]`: a key pair as NAME.key (PKCS#8
//! PEM, mode 0600) and NAME.pub (SPKI PEM).

use crate::Outcome;
use crate::output::Out;
use anyhow::Result;
use openseal::signature::{
    KeyAlgorithm, KeygenOutput, generate_key, key_id, write_private_key, write_public_key,
};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Base name of the key files: NAME.key and NAME.pub
    #[arg(short = 'o', long = "output", value_name = "NAME")]
    name: PathBuf,
    /// The kind of key: Ed25519, or ECDSA P-256/P-384 (the kinds OpenSSF Model Signing
    /// verifies; needed for `openseal sign` and for a model.sig inside bundles)
    #[arg(long, value_enum, default_value = "ed25519")]
    algorithm: Algorithm,
    /// Print a JSON summary (schema openseal.keygen/v1)
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut Out) -> Result<Outcome> {
    let private = args.name.with_extension("key");
    let public = args.name.with_extension("pub");
    let key = generate_key(args.algorithm.into())?;
    // Refuses to overwrite either file; the private key is written with mode 0600.
    write_private_key(&private, &key)?;
    if let Err(e) = write_public_key(&public, &key.verifying_key()) {
        let _ = std::fs::remove_file(&private);
        return Err(e.into());
    }
    let id = key_id(&key.verifying_key());
    if args.json {
        out.json(&KeygenOutput::new(&id, key.algorithm(), &private, &public))?;
    } else {
        writeln!(out, "key id      {id}")?;
        writeln!(out, "algorithm   {}", key.algorithm())?;
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

/// The `--algorithm` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Algorithm {
    Ed25519,
    P256,
    P384,
}

impl From<Algorithm> for KeyAlgorithm {
    fn from(a: Algorithm) -> KeyAlgorithm {
        match a {
            Algorithm::Ed25519 => KeyAlgorithm::Ed25519,
            Algorithm::P256 => KeyAlgorithm::P256,
            Algorithm::P384 => KeyAlgorithm::P384,
        }
    }
}

//! A PATH argument of a read-only command: a local path, a `hf://` reference (the local cache
//! first, then the Hub, header-only), or an `https://` address of one weights file.

use anyhow::{Context, Result, bail};
use openseal::remote::{self, Mirror};
use openseal::source::hf;
use openseal::source::http::HttpOptions;
use openseal::source::hub_api;
use std::path::{Path, PathBuf};

/// What a command reads: `path`, which for a remote source is its local stand-in (`mirror`).
pub struct Input {
    pub path: PathBuf,
    pub mirror: Option<Mirror>,
}

impl Input {
    /// Refuses remote sources for work that needs more than headers.
    pub fn require_local(&self, what: &str) -> Result<()> {
        if let Some(m) = &self.mirror {
            bail!(
                "{}: {what} needs the files' contents, and openseal reads remote sources header-only; download it first (`hf download ORG/NAME`) and give the local copy or the hf:// reference",
                m.shown()
            );
        }
        Ok(())
    }
}

fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Opens `arg`: local paths as they are, `hf://` from the cache when it holds that revision
/// and path, else from the Hub (unless `HF_HUB_OFFLINE`), `https://` by range reads.
pub fn open(arg: &Path) -> Result<Input> {
    let Some(text) = arg.to_str() else {
        return Ok(local(arg));
    };
    if is_url(text) {
        if hf::offline() {
            bail!("{text}: HF_HUB_OFFLINE is set, so openseal reads nothing over the network");
        }
        let client = openseal::source::http::Client::new(HttpOptions::from_env()?, None);
        let _spin = crate::progress::Spinner::new(format!("reading headers of {text}"));
        let mirror = remote::open_url(&client, text)?;
        return Ok(remote_input(mirror));
    }
    if !text.starts_with(hf::SCHEME) {
        return Ok(local(arg));
    }
    let hub = hf::parse(text)?;
    match hf::resolve_in(&hub, text, &hf::cache_dir()) {
        Ok(path) => Ok(Input { path, mirror: None }),
        Err(e @ (hf::HubError::NotCached { .. } | hf::HubError::NoSuchPath { .. }))
            if !hf::offline() =>
        {
            let endpoint = hf::endpoint();
            let client = hub_api::client(&endpoint, HttpOptions::from_env()?)?;
            let _spin = crate::progress::Spinner::new(format!("reading headers of {text}"));
            let mirror = remote::open_hub(&client, &endpoint, &hub, text).with_context(|| {
                format!(
                    "{text}: not in the local cache ({}), so the Hub at {endpoint} was asked",
                    short(&e)
                )
            })?;
            Ok(remote_input(mirror))
        }
        Err(e) => Err(e.into()),
    }
}

/// What the cache lacks, without the hint meant for when the Hub is not asked.
fn short(e: &hf::HubError) -> String {
    match e {
        hf::HubError::NotCached { what, .. } => format!("no {what}"),
        hf::HubError::NoSuchPath { path, .. } => format!("no {path} in the cached snapshot"),
        other => other.to_string(),
    }
}

fn local(arg: &Path) -> Input {
    Input {
        path: arg.to_path_buf(),
        mirror: None,
    }
}

fn remote_input(mirror: Mirror) -> Input {
    Input {
        path: mirror.local_path().to_path_buf(),
        mirror: Some(mirror),
    }
}

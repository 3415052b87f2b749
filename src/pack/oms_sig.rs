//! A bundle packed with an ECDSA key carries `model.sig`: an OMS signature of the release files,
//! made from the digests pack already has (nothing is hashed twice). It is an ordinary release
//! file, listed in the manifest with the role `oms-signature` and so covered by the manifest's
//! signature, and `unpack` leaves a folder that `model_signing verify key` accepts as it is.

use std::path::Path;

use super::generated::{self, Generated};
use crate::digest::Sha256Digest;
use crate::manifest::FolderContents;
use crate::oms::{self, DEFAULT_IGNORES, OmsError, SIGNATURE_FILE};
use crate::signature::SigningKey;

/// The manifest role of a `model.sig` pack wrote.
pub(crate) const ROLE: &str = "oms-signature";

/// What happened to `model.sig`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The key is Ed25519: OMS cannot carry it, so the bundle has no `model.sig`.
    NotEcdsa,
    /// The release folder has its own `model.sig`; it is packed as it is.
    AlreadyThere,
    /// Written (to the file held, which the writer streams from) and added to the contents.
    Added,
}

/// Signs `contents` for OMS with `key` (when it is ECDSA) and adds `model.sig` to them; `out` is
/// the bundle's path, beside which the file is written.
pub(crate) fn add(
    contents: &mut FolderContents,
    release_name: &str,
    key: &SigningKey,
    out: &Path,
) -> Result<(Outcome, Option<Generated>), OmsError> {
    if !key.algorithm().is_ecdsa() {
        return Ok((Outcome::NotEcdsa, None));
    }
    if generated::exists(contents, SIGNATURE_FILE) {
        return Ok((Outcome::AlreadyThere, None));
    }
    let mut ignores: Vec<String> = DEFAULT_IGNORES.iter().map(|s| s.to_string()).collect();
    ignores.push(SIGNATURE_FILE.to_string());
    let resources: Vec<(String, Sha256Digest)> = contents
        .hashed
        .iter()
        .filter(|h| !oms::is_ignored(&h.file.path, &ignores))
        .map(|h| (h.file.path.clone(), h.sha256))
        .collect();
    let name = release_name.rsplit('/').next().unwrap_or(release_name);
    let signed = oms::sign_resources(name, &resources, &ignores, key)?;
    let guard = generated::add(contents, SIGNATURE_FILE, ROLE, &signed.bytes, out)
        .map_err(|(path, source)| OmsError::Io { path, source })?;
    Ok((Outcome::Added, Some(guard)))
}

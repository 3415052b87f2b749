//! A bundle packed with an ECDSA key carries `model.sig`: an OMS signature of the release files,
//! made from the digests pack already has (nothing is hashed twice). It is an ordinary release
//! file, listed in the manifest with the role `oms-signature` and so covered by the manifest's
//! signature, and `unpack` leaves a folder that `model_signing verify key` accepts as it is.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::digest::Sha256Digest;
use crate::manifest::{FileEntry, FolderContents};
use crate::oms::{self, DEFAULT_IGNORES, OmsError, SIGNATURE_FILE};
use crate::signature::SigningKey;
use crate::source::{HashedFile, SourceFile};

/// The manifest role of a `model.sig` pack wrote.
pub(crate) const ROLE: &str = "oms-signature";

/// The signature file written for the bundle, removed when dropped (after the bundle is written
/// or when packing fails).
pub(crate) struct TempSignature {
    path: PathBuf,
}

impl Drop for TempSignature {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

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

/// Signs `contents` for OMS with `key` (when it is ECDSA) and adds `model.sig` to the file list
/// and the files to stream, in their sorted places. `out` is the bundle's path: the temporary
/// signature file lies beside it, outside the release folder.
pub(crate) fn add(
    contents: &mut FolderContents,
    release_name: &str,
    key: &SigningKey,
    out: &Path,
) -> Result<(Outcome, Option<TempSignature>), OmsError> {
    if !key.algorithm().is_ecdsa() {
        return Ok((Outcome::NotEcdsa, None));
    }
    if contents.files.iter().any(|f| f.path == SIGNATURE_FILE) {
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
    let path = crate::place::temp_path_beside(out, "bundle").with_extension("model.sig");
    let temp = TempSignature { path: path.clone() };
    let io = |source| OmsError::Io {
        path: path.clone(),
        source,
    };
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(io)?;
    file.write_all(&signed.bytes).map_err(io)?;
    let sha256 = Sha256Digest::of(&signed.bytes);
    let size = signed.bytes.len() as u64;
    let at = contents
        .hashed
        .partition_point(|h| h.file.path.as_str() < SIGNATURE_FILE);
    contents.hashed.insert(
        at,
        HashedFile {
            file: SourceFile {
                path: SIGNATURE_FILE.to_string(),
                source: path.clone(),
                size,
                executable: false,
            },
            sha256,
        },
    );
    let at = contents
        .files
        .partition_point(|f| f.path.as_str() < SIGNATURE_FILE);
    contents.files.insert(
        at,
        FileEntry {
            path: SIGNATURE_FILE.to_string(),
            size,
            sha256: sha256.to_hex(),
            components: Vec::new(),
            role: Some(ROLE.to_string()),
            executable: false,
        },
    );
    Ok((Outcome::Added, Some(temp)))
}

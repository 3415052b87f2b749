//! `unpack`: verify a bundle while extracting it into a new folder, all or nothing. The head is
//! checked by `verification::check_head`; the extracted final weights' fingerprint is
//! re-derived before the folder appears under its name.

use crate::bundle;
use crate::fingerprint;
use crate::progress::Progress;
use crate::verification::{
    FingerprintCheck, Verification, VerifyError, VerifyOptions, check_head, expected, verification,
};
use std::path::{Path, PathBuf};

/// Which parts of a release `unpack --only` extracts. Licence texts always come along.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Files of `weights.*` components.
    Weights,
    /// Files of `code.*` components.
    Code,
    /// Files of `datasets.*` components.
    Data,
    /// Files of `docs.*` components.
    Docs,
}

impl Part {
    fn prefix(self) -> &'static str {
        match self {
            Part::Weights => "weights.",
            Part::Code => "code.",
            Part::Data => "datasets.",
            Part::Docs => "docs.",
        }
    }
}

/// Verify while extracting into `target` (which must not exist): everything is written to a
/// temporary folder beside it, renamed into place only when every check passed. `progress`
/// counts the release's bytes as they stream.
pub fn unpack(
    bundle: &Path,
    target: &Path,
    opts: &VerifyOptions,
    only: &[Part],
    progress: &dyn Progress,
) -> Result<Verification, VerifyError> {
    let (entries, head) = check_head(bundle, opts)?;
    let expected = expected(bundle, &head.manifest)?;
    progress.start(expected.iter().map(|f| f.size).sum());
    let selected: std::collections::HashSet<String> = head
        .manifest
        .files
        .iter()
        .filter(|f| {
            only.is_empty()
                || f.role.as_deref() == Some("license-text")
                || f.components
                    .iter()
                    .any(|c| only.iter().any(|p| c.starts_with(p.prefix())))
        })
        .map(|f| f.path.clone())
        .collect();
    let filter = |path: &str| selected.contains(path);
    // The recorded fingerprint is re-derived from the extracted final weights, when they are
    // all extracted.
    let final_files: Vec<&str> = head.manifest.final_weights_files();
    let all_weights = !final_files.is_empty() && final_files.iter().all(|f| selected.contains(*f));
    let recorded = head.manifest.fingerprint.clone();
    let check = |tree: &Path| -> Result<(), String> {
        // The streaming is over; the fingerprint pass that follows has no bar.
        progress.finish();
        let (Some(recorded), true) = (&recorded, all_weights) else {
            return Ok(());
        };
        let paths: Vec<PathBuf> = final_files.iter().map(|f| tree.join(f)).collect();
        match fingerprint::root_of_paths(&paths).map_err(|e| e.to_string())? {
            Some(found) if &found == recorded => Ok(()),
            found => Err(format!(
                "the final weights' fingerprint is {}, but the manifest records {recorded}",
                found.unwrap_or_else(|| "missing".into())
            )),
        }
    };
    let summary = bundle::unpack_into(entries, target, &expected, &filter, &check, progress);
    progress.finish();
    let summary = summary.map_err(|source| VerifyError::Unpack {
        bundle: bundle.to_path_buf(),
        source,
    })?;
    let mut v = verification(bundle, head, summary);
    v.fingerprint = match (&v.manifest.fingerprint, all_weights) {
        (None, _) => FingerprintCheck::NotRecorded,
        (Some(f), true) => FingerprintCheck::Verified(f.clone()),
        (Some(_), false) => FingerprintCheck::NotExtracted,
    };
    Ok(v)
}

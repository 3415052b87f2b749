//! `verify`: a bundle checked in one streaming pass — its head by
//! `verification::check_head`, then every entry's path, type, size and digest as the
//! manifest says, nothing missing or extra, and the final weights' fingerprint re-derived from
//! the streamed safetensors.

use crate::bundle::{Counting, Discard};
use crate::progress::Progress;
use crate::verification::{
    FingerprintCheck, Verification, VerifyError, VerifyOptions, check_head, expected, verification,
};
use std::path::Path;

mod stream_fingerprint;
use stream_fingerprint::FingerprintSink;

/// Verify a bundle without extracting anything; `progress` counts the release's bytes as they
/// stream.
pub fn verify(
    bundle: &Path,
    opts: &VerifyOptions,
    progress: &dyn Progress,
) -> Result<Verification, VerifyError> {
    let (entries, head) = check_head(bundle, opts)?;
    let expected = expected(bundle, &head.manifest)?;
    progress.start(expected.iter().map(|f| f.size).sum());
    let finals = head.manifest.final_weights_files();
    let mut discard = Discard;
    let mut counting = Counting::new(&mut discard, progress);
    let mut fingerprint = FingerprintSink::new(&mut counting, &finals);
    let summary = entries.verify(&expected, &mut fingerprint);
    progress.finish();
    let summary = summary.map_err(|source| VerifyError::Read {
        bundle: bundle.to_path_buf(),
        source,
    })?;
    let streamed = fingerprint.root();
    let mut v = verification(bundle, head, summary);
    v.fingerprint = match (&v.manifest.fingerprint, streamed) {
        (None, _) => FingerprintCheck::NotRecorded,
        (Some(recorded), Some(found)) if *recorded == found => FingerprintCheck::Verified(found),
        (Some(recorded), Some(found)) => {
            return Err(VerifyError::Fingerprint {
                bundle: bundle.to_path_buf(),
                recorded: recorded.clone(),
                found,
            });
        }
        // Weights in formats that need random access: `unpack` re-derives it.
        (Some(_), None) => FingerprintCheck::CheckedOnUnpack,
    };
    Ok(v)
}

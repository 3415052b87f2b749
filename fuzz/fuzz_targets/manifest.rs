#![no_main]
//! The signed head: `Manifest::from_bytes` (accepted manifests round-trip through `to_bytes`)
//! and the DSSE envelope (`signature::verify_manifest` against the demo key): the input as an
//! envelope over a fixed manifest signed by the demo key, and as a manifest under the genuine
//! envelope. Only the genuine envelope over the genuine manifest may verify.

use libfuzzer_sys::fuzz_target;
use openseal::manifest::Manifest;
use openseal::signature::{TrustedKey, demo_signing_key, sign_manifest, verify_manifest};
use std::sync::OnceLock;

const NOW: i64 = 1_800_000_000;
const GENUINE: &[u8] = include_bytes!("../seeds/manifest/example-model-manifest.json");

fn fixed() -> &'static (Vec<TrustedKey>, Vec<u8>) {
    static F: OnceLock<(Vec<TrustedKey>, Vec<u8>)> = OnceLock::new();
    F.get_or_init(|| {
        let key = demo_signing_key();
        (
            vec![TrustedKey::new(key.verifying_key(), "demo")],
            sign_manifest(GENUINE, &key),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Manifest::from_bytes(data) {
        let bytes = m.to_bytes();
        let again = Manifest::from_bytes(&bytes).expect("to_bytes of an accepted manifest parses");
        assert_eq!(again, m, "manifest does not round-trip");
        assert_eq!(again.to_bytes(), bytes, "canonical bytes are not stable");
        let _ = m.expected();
    }
    let (trust, envelope) = fixed();
    if let Ok(first) = verify_manifest(GENUINE, data, trust, NOW) {
        let again =
            verify_manifest(GENUINE, data, trust, NOW).expect("verification not deterministic");
        assert_eq!(first, again);
    }
    if verify_manifest(data, envelope, trust, NOW).is_ok() {
        assert_eq!(
            data, GENUINE,
            "a different manifest verified under the genuine signature"
        );
    }
});

use super::*;
use crate::signature::{demo_signing_key, generate_signing_key};

const NOW: i64 = 1_800_000_000; // 2027-01-15

fn trust(keys: &[&SigningKey]) -> Vec<TrustedKey> {
    keys.iter()
        .map(|k| TrustedKey::new(k.verifying_key(), "test"))
        .collect()
}

#[test]
fn pae_matches_the_dsse_spec_example() {
    // The test vector from the DSSE protocol document.
    assert_eq!(
        pae("http://example.com/HelloWorld", b"hello world"),
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
    );
    assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    // Lengths count bytes, not characters.
    assert_eq!(pae("é", b"\xff"), b"DSSEv1 2 \xc3\xa9 1 \xff".to_vec());
}

#[test]
fn sign_then_verify() {
    let key = generate_signing_key().unwrap();
    let manifest = br#"{"schema":"openseal.manifest/v1"}"#;
    let sig = sign_manifest(manifest, &key);
    let v = verify_manifest(manifest, &sig, &trust(&[&key]), NOW).unwrap();
    assert_eq!(v.key_id, key_id(&key.verifying_key()));

    // The envelope is plain DSSE JSON.
    let env: serde_json::Value = serde_json::from_slice(&sig).unwrap();
    assert_eq!(env["payloadType"], MANIFEST_PAYLOAD_TYPE);
    assert_eq!(
        STANDARD.decode(env["payload"].as_str().unwrap()).unwrap(),
        manifest
    );
    let raw_sig = STANDARD
        .decode(env["signatures"][0]["sig"].as_str().unwrap())
        .unwrap();
    assert_eq!(raw_sig.len(), 64);
    assert!(
        key.verifying_key()
            .verifies(&pae(MANIFEST_PAYLOAD_TYPE, manifest), &raw_sig)
    );
}

#[test]
fn ecdsa_keys_sign_manifests_too() {
    for alg in [
        crate::signature::KeyAlgorithm::P256,
        crate::signature::KeyAlgorithm::P384,
    ] {
        let key = crate::signature::generate_key(alg).unwrap();
        let sig = sign_manifest(b"{}", &key);
        let v = verify_manifest(b"{}", &sig, &trust(&[&key]), NOW).unwrap();
        assert_eq!(v.key_id, key_id(&key.verifying_key()));
        // Another key of the same kind is not trusted, and a changed manifest fails.
        let other = crate::signature::generate_key(alg).unwrap();
        assert!(verify_manifest(b"{}", &sig, &trust(&[&other]), NOW).is_err());
        assert!(verify_manifest(b"{ }", &sig, &trust(&[&key]), NOW).is_err());
    }
}

#[test]
fn signing_is_deterministic() {
    let key = demo_signing_key();
    assert_eq!(sign_manifest(b"m", &key), sign_manifest(b"m", &key));
}

#[test]
fn wrong_key_is_untrusted() {
    let key = generate_signing_key().unwrap();
    let other = generate_signing_key().unwrap();
    let sig = sign_manifest(b"m", &key);
    let err = verify_manifest(b"m", &sig, &trust(&[&other]), NOW).unwrap_err();
    assert_eq!(
        err,
        VerifyError::Untrusted {
            keyids: vec![key_id(&key.verifying_key())]
        }
    );
    assert!(matches!(
        verify_manifest(b"m", &sig, &[], NOW),
        Err(VerifyError::Untrusted { .. })
    ));
}

#[test]
fn altered_manifest_or_signature_fails() {
    let key = generate_signing_key().unwrap();
    let t = trust(&[&key]);
    let sig = sign_manifest(b"manifest", &key);
    // The manifest file differs from the signed payload.
    assert_eq!(
        verify_manifest(b"manifesT", &sig, &t, NOW),
        Err(VerifyError::PayloadMismatch)
    );
    // Payload and manifest altered together: the signature no longer verifies.
    let mut env: Envelope = serde_json::from_slice(&sig).unwrap();
    env.payload = STANDARD.encode(b"manifesT");
    let forged = serde_json::to_vec(&env).unwrap();
    assert!(matches!(
        verify_manifest(b"manifesT", &forged, &t, NOW),
        Err(VerifyError::BadSignature { .. })
    ));
    // One bit of the signature flipped.
    let mut env: Envelope = serde_json::from_slice(&sig).unwrap();
    let mut raw = STANDARD.decode(&env.signatures[0].sig).unwrap();
    raw[10] ^= 1;
    env.signatures[0].sig = STANDARD.encode(&raw);
    let flipped = serde_json::to_vec(&env).unwrap();
    assert!(matches!(
        verify_manifest(b"manifest", &flipped, &t, NOW),
        Err(VerifyError::BadSignature { .. })
    ));
}

#[test]
fn bad_envelopes_are_typed() {
    let key = generate_signing_key().unwrap();
    let t = trust(&[&key]);
    assert!(matches!(
        verify_manifest(b"m", b"not json", &t, NOW),
        Err(VerifyError::Envelope(_))
    ));
    assert!(matches!(
        verify_manifest(b"m", br#"{"payloadType":"x"}"#, &t, NOW),
        Err(VerifyError::Envelope(_))
    ));
    let other_type = serde_json::to_vec(&sign_envelope("text/plain", b"m", &[&key])).unwrap();
    assert_eq!(
        verify_manifest(b"m", &other_type, &t, NOW),
        Err(VerifyError::PayloadType {
            found: "text/plain".into()
        })
    );
    let none = serde_json::to_vec(&sign_envelope(MANIFEST_PAYLOAD_TYPE, b"m", &[])).unwrap();
    assert_eq!(
        verify_manifest(b"m", &none, &t, NOW),
        Err(VerifyError::NoSignatures)
    );
    let mut env = sign_envelope(MANIFEST_PAYLOAD_TYPE, b"m", &[&key]);
    // Too short for any kind of key: it names the trusted key it claims to be by.
    env.signatures[0].sig = "AAAA".into();
    assert!(matches!(
        verify_manifest(b"m", &serde_json::to_vec(&env).unwrap(), &t, NOW),
        Err(VerifyError::BadSignature { .. })
    ));
    env.signatures[0].sig = "not base64!".into();
    assert!(matches!(
        verify_manifest(b"m", &serde_json::to_vec(&env).unwrap(), &t, NOW),
        Err(VerifyError::Envelope(_))
    ));
    env.payload = "!!".into();
    assert!(matches!(
        verify_manifest(b"m", &serde_json::to_vec(&env).unwrap(), &t, NOW),
        Err(VerifyError::Envelope(_))
    ));
}

#[test]
fn empty_keyid_and_url_safe_base64_are_accepted() {
    let key = generate_signing_key().unwrap();
    let payload = b"\xfb\xff manifest with bytes that differ in url-safe base64";
    let mut env = sign_envelope(MANIFEST_PAYLOAD_TYPE, payload, &[&key]);
    env.signatures[0].keyid.clear();
    env.payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
    let bytes = serde_json::to_vec(&env).unwrap();
    verify_manifest(payload, &bytes, &trust(&[&key]), NOW).unwrap();
}

#[test]
fn second_signature_by_trusted_key_suffices() {
    let untrusted = generate_signing_key().unwrap();
    let key = generate_signing_key().unwrap();
    let env = sign_envelope(MANIFEST_PAYLOAD_TYPE, b"m", &[&untrusted, &key]);
    let bytes = serde_json::to_vec(&env).unwrap();
    let v = verify_manifest(b"m", &bytes, &trust(&[&key]), NOW).unwrap();
    assert_eq!(v.key_id, key_id(&key.verifying_key()));
}

#[test]
fn revoked_and_expired_keys_fail_distinctly() {
    let key = generate_signing_key().unwrap();
    let sig = sign_manifest(b"m", &key);
    let mut t = trust(&[&key]);
    t[0].name = Some("Alice".into());
    t[0].not_after = Date::new(2026, 12, 31);
    assert!(matches!(
        verify_manifest(b"m", &sig, &t, NOW),
        Err(VerifyError::Expired { not_after, .. }) if not_after.to_string() == "2026-12-31"
    ));
    t[0].not_after = Date::new(2027, 1, 15);
    verify_manifest(b"m", &sig, &t, NOW).unwrap();
    t[0].revoked = Some("key leaked".into());
    let err = verify_manifest(b"m", &sig, &t, NOW).unwrap_err();
    assert!(matches!(&err, VerifyError::Revoked { reason, .. } if reason == "key leaked"));
    assert!(err.to_string().contains("Alice"));
    assert!(err.to_string().contains("key leaked"));
}

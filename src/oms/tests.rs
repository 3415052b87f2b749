use super::*;
use crate::signature::{TrustedKey, generate_key};
use std::fs;

const NOW: i64 = 1_800_000_000;

fn model() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("sub")).unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join("weights.bin"), b"weights").unwrap();
    fs::write(dir.path().join("sub/config.json"), b"{}").unwrap();
    fs::write(dir.path().join(".git/HEAD"), b"ref").unwrap();
    dir
}

fn signed(dir: &Path, alg: KeyAlgorithm) -> (SigningKey, PathBuf) {
    let key = generate_key(alg).unwrap();
    let sig = dir.join(SIGNATURE_FILE);
    let s = sign_folder(dir, &sig, &key, &SignOptions::default()).unwrap();
    assert_eq!(s.files, 2);
    fs::write(&sig, &s.bytes).unwrap();
    (key, sig)
}

fn trust(key: &SigningKey) -> Vec<TrustedKey> {
    vec![TrustedKey::new(key.public_key(), "test")]
}

fn opts() -> VerifyOptions {
    VerifyOptions {
        now: NOW,
        ..Default::default()
    }
}

#[test]
fn a_signed_folder_verifies_with_either_curve() {
    for alg in [KeyAlgorithm::P256, KeyAlgorithm::P384] {
        let dir = model();
        let (key, sig) = signed(dir.path(), alg);
        let v = verify_folder(dir.path(), &sig, &trust(&key), &opts()).unwrap();
        assert_eq!(v.signed.resources.len(), 2);
        assert_eq!(v.signed.signer.key_id(), key.public_key().id());
        // The ignore list records the defaults and the signature itself.
        assert!(v.signed.ignore_paths.contains(&"model.sig".to_string()));
        assert!(v.signed.ignore_paths.contains(&".git".to_string()));
    }
}

#[test]
fn ed25519_cannot_sign_oms() {
    let dir = model();
    let key = generate_key(KeyAlgorithm::Ed25519).unwrap();
    let err = sign_folder(
        dir.path(),
        &dir.path().join("m.sig"),
        &key,
        &SignOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, OmsError::KeyKind { .. }), "{err}");
}

#[test]
fn changed_added_and_removed_files_are_named() {
    let dir = model();
    let (key, sig) = signed(dir.path(), KeyAlgorithm::P256);
    fs::write(dir.path().join("weights.bin"), b"weightz").unwrap();
    fs::write(dir.path().join("new.txt"), b"n").unwrap();
    fs::remove_file(dir.path().join("sub/config.json")).unwrap();
    let err = verify_folder(dir.path(), &sig, &trust(&key), &opts()).unwrap_err();
    assert!(err.is_check_failure());
    let OmsError::Mismatch {
        missing,
        extra,
        changed,
        ..
    } = err
    else {
        panic!("{err}")
    };
    assert_eq!(changed, ["weights.bin"]);
    assert_eq!(missing, ["sub/config.json"]);
    assert_eq!(extra, ["new.txt"]);
}

#[test]
fn unsigned_files_pass_only_when_allowed() {
    let dir = model();
    let (key, sig) = signed(dir.path(), KeyAlgorithm::P256);
    fs::write(dir.path().join("notes.txt"), b"n").unwrap();
    assert!(verify_folder(dir.path(), &sig, &trust(&key), &opts()).is_err());
    let allowed = VerifyOptions {
        ignore_unsigned: true,
        ..opts()
    };
    let v = verify_folder(dir.path(), &sig, &trust(&key), &allowed).unwrap();
    assert_eq!(v.unsigned, ["notes.txt"]);
}

#[test]
fn another_key_is_refused() {
    let dir = model();
    let (_, sig) = signed(dir.path(), KeyAlgorithm::P256);
    let other = generate_key(KeyAlgorithm::P256).unwrap();
    let err = verify_folder(dir.path(), &sig, &trust(&other), &opts()).unwrap_err();
    assert!(matches!(err, OmsError::Untrusted { .. }), "{err}");
    assert!(err.is_check_failure());
}

#[test]
fn an_altered_payload_or_root_is_refused() {
    let dir = model();
    let (key, sig) = signed(dir.path(), KeyAlgorithm::P256);
    let mut bundle: format::SigstoreBundle =
        serde_json::from_slice(&fs::read(&sig).unwrap()).unwrap();
    let payload = STANDARD.decode(&bundle.dsse_envelope.payload).unwrap();
    let mut statement: format::Statement = serde_json::from_slice(&payload).unwrap();
    statement.predicate.resources.pop();
    bundle.dsse_envelope.payload = STANDARD.encode(serde_json::to_vec(&statement).unwrap());
    fs::write(&sig, serde_json::to_vec(&bundle).unwrap()).unwrap();
    let err = verify_folder(dir.path(), &sig, &trust(&key), &opts()).unwrap_err();
    assert!(matches!(err, OmsError::Signature { .. }), "{err}");

    // Signed honestly but with a wrong root: the statement is refused after the signature.
    statement.subject[0].digest.sha256 = "00".repeat(32);
    let payload = serde_json::to_vec(&statement).unwrap();
    let sig_bytes = key.sign(&pae(format::IN_TOTO_PAYLOAD_TYPE, &payload));
    bundle.dsse_envelope.payload = STANDARD.encode(&payload);
    bundle.dsse_envelope.signatures[0].sig = STANDARD.encode(sig_bytes);
    fs::write(&sig, serde_json::to_vec(&bundle).unwrap()).unwrap();
    let err = verify_folder(dir.path(), &sig, &trust(&key), &opts()).unwrap_err();
    assert!(matches!(err, OmsError::RootMismatch { .. }), "{err}");
}

#[test]
fn traversal_names_and_certificates_are_refused() {
    let key = generate_key(KeyAlgorithm::P256).unwrap();
    let d = Sha256Digest::of(b"x");
    let bad = sign_resources("m", &[("../etc/passwd".into(), d)], &[], &key).unwrap();
    let err = open_signature(&bad.bytes, Path::new("m.sig"), &trust(&key), NOW).unwrap_err();
    assert!(err.to_string().contains("`..`"), "{err}");

    let err = open_edited(&key, |v| {
        v["verificationMaterial"]["x509CertificateChain"] = serde_json::json!({"certificates": []})
    });
    assert!(matches!(err, OmsError::Unsupported { .. }), "{err}");
    assert!(!err.is_check_failure());
}

/// Signs one file with `key`, edits the bundle's JSON (outside the signed payload) with `edit`,
/// and returns why opening it fails.
fn open_edited(key: &SigningKey, edit: impl FnOnce(&mut serde_json::Value)) -> OmsError {
    let good = sign_resources("m", &[("a".into(), Sha256Digest::of(b"x"))], &[], key).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&good.bytes).unwrap();
    edit(&mut v);
    let bytes = serde_json::to_vec(&v).unwrap();
    open_signature(&bytes, Path::new("m.sig"), &trust(key), NOW).unwrap_err()
}

#[test]
fn a_wrong_hint_is_refused() {
    let key = generate_key(KeyAlgorithm::P256).unwrap();
    let err = open_edited(&key, |v| {
        v["verificationMaterial"]["publicKey"]["hint"] = "ab".repeat(32).into()
    });
    assert!(matches!(err, OmsError::HintMismatch { .. }), "{err}");
}

#[test]
fn garbage_never_panics() {
    let key = generate_key(KeyAlgorithm::P256).unwrap();
    for bytes in [
        &b""[..],
        b"{}",
        b"[1,2]",
        b"{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}",
        b"\xff\xfe",
    ] {
        let err = open_signature(bytes, Path::new("m.sig"), &trust(&key), NOW).unwrap_err();
        assert!(err.is_check_failure(), "{err}");
    }
}

#[test]
fn signing_is_deterministic_and_sorted_by_code_point() {
    let key = generate_key(KeyAlgorithm::P256).unwrap();
    let d = Sha256Digest::of(b"x");
    let files = [("a/z".to_string(), d), ("a.b".to_string(), d)];
    let a = sign_resources("m", &files, &[], &key).unwrap();
    let b = sign_resources("m", &files, &[], &key).unwrap();
    assert_eq!(a.bytes, b.bytes);
    let s = open_signature(&a.bytes, Path::new("m.sig"), &trust(&key), NOW).unwrap();
    let names: Vec<&str> = s.resources.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a.b", "a/z"]);
}

#[test]
fn a_device_is_refused_unread() {
    // /dev/zero reports size 0 and never ends: it must be refused, not read at all.
    let err = super::TrustStore::load(std::path::Path::new("/dev/zero")).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

use super::*;
use crate::signature::keys::{generate_signing_key, public_key_pem, write_public_key};
use crate::signature::{VerifyError, demo_signing_key, sign_manifest, verify_manifest};

const NOW: i64 = 1_800_000_000; // 2027-01-15

fn pem_of(seed: u8) -> (crate::signature::SigningKey, String) {
    let k =
        crate::signature::SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[seed; 32]));
    let pem = public_key_pem(&k.verifying_key()).unwrap();
    (k, pem)
}

fn parse(text: &str) -> Result<TrustStore, TrustError> {
    let mut s = TrustStore::new();
    s.add_trust_file(text, Path::new("trust.toml"))?;
    Ok(s)
}

fn entry_line(e: TrustError) -> (usize, String) {
    match e {
        TrustError::Entry { line, message, .. } | TrustError::Syntax { line, message, .. } => {
            (line, message)
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn good_trust_file() {
    let (a, pem_a) = pem_of(1);
    let (b, pem_b) = pem_of(2);
    let (c, pem_c) = pem_of(3);
    let text = format!(
        r#"# keys we trust
[[key]]
name = "Alice"
id = "{}"
public_key = """{pem_a}"""

[[key]]
name = "Bob"
public_key = """{pem_b}"""
not_after = 2027-01-01

[[key]]
public_key = '''{pem_c}'''
not_after = "2030-06-30"
revoked = true
revoked_reason = "laptop stolen"
"#,
        crate::signature::key_id(&a.verifying_key())
    );
    let store = parse(&text).unwrap();
    let keys = store.keys();
    assert_eq!(keys.len(), 3);
    assert_eq!(keys[0].name.as_deref(), Some("Alice"));
    assert_eq!(keys[0].origin, "trust.toml:2");
    assert_eq!(keys[1].not_after, Date::new(2027, 1, 1));
    assert_eq!(keys[2].revoked.as_deref(), Some("laptop stolen"));
    assert_eq!(keys[2].not_after, Date::new(2030, 6, 30));

    let t = store.keys();
    verify_manifest(b"m", &sign_manifest(b"m", &a), t, NOW).unwrap();
    assert!(matches!(
        verify_manifest(b"m", &sign_manifest(b"m", &b), t, NOW),
        Err(VerifyError::Expired { .. })
    ));
    assert!(matches!(
        verify_manifest(b"m", &sign_manifest(b"m", &c), t, NOW),
        Err(VerifyError::Revoked { .. })
    ));
}

#[test]
fn trust_file_errors_name_the_line() {
    let (_, pem) = pem_of(1);
    let cases: Vec<(String, usize, &str)> = vec![
        ("[[key]]\nname = \n".into(), 2, ""),
        (
            format!("[[key]]\npublic_key = \"\"\"{pem}\"\"\"\nrevokd = true\n"),
            6,
            "revokd",
        ),
        (
            "\n[[key]]\npublic_key = \"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\"\n"
                .into(),
            3,
            "public_key",
        ),
        ("[[key]]\nname = \"x\"\n".into(), 1, "needs public_key"),
        (
            format!("[[key]]\nid = \"abc\"\npublic_key = \"\"\"{pem}\"\"\"\n"),
            2,
            "does not match",
        ),
        (
            format!("[[key]]\npublic_key = \"\"\"{pem}\"\"\"\nnot_after = \"2027-02-30\"\n"),
            6,
            "not_after",
        ),
        (
            format!("[[key]]\npublic_key = \"\"\"{pem}\"\"\"\nnot_after = 2027-01-01T10:00:00Z\n"),
            6,
            "not_after",
        ),
        (
            format!("[[key]]\npublic_key = \"\"\"{pem}\"\"\"\nrevoked_reason = \"x\"\n"),
            6,
            "revoked_reason",
        ),
        (
            format!(
                "[[key]]\npublic_key = \"\"\"{pem}\"\"\"\npublic_key_file = \"a.pub\"\n"
            ),
            1,
            "not both",
        ),
        ("[[keys]]\n".into(), 1, "keys"),
    ];
    for (text, line, needle) in cases {
        let (got_line, message) = entry_line(parse(&text).unwrap_err());
        assert_eq!(got_line, line, "{text}\n{message}");
        assert!(message.contains(needle), "{message} lacks {needle}");
    }
    // The rendered error names the file and line.
    let e = parse("[[key]]\nname = \"x\"\n").unwrap_err();
    assert!(e.to_string().starts_with("trust.toml:1: "), "{e}");
}

#[test]
fn duplicates_are_rejected() {
    let (_, pem) = pem_of(1);
    let text = format!("[[key]]\npublic_key = '''{pem}'''\n[[key]]\npublic_key = '''{pem}'''\n");
    assert!(matches!(parse(&text), Err(TrustError::Duplicate { .. })));
}

#[test]
fn pub_file_folder_and_trust_file_paths() {
    let dir = tempfile::tempdir().unwrap();
    let a = generate_signing_key().unwrap();
    let b = generate_signing_key().unwrap();
    let keys_dir = dir.path().join("keys");
    fs::create_dir(&keys_dir).unwrap();
    write_public_key(&keys_dir.join("a.pub"), &a.verifying_key()).unwrap();
    write_public_key(&keys_dir.join("b.pub"), &b.verifying_key()).unwrap();
    fs::write(keys_dir.join("README.md"), "not a key").unwrap();

    let one = TrustStore::load(&keys_dir.join("a.pub")).unwrap();
    assert_eq!(one.keys().len(), 1);
    let folder = TrustStore::load(&keys_dir).unwrap();
    assert_eq!(folder.keys().len(), 2);

    // public_key_file is relative to the trust file.
    let trust = dir.path().join("trust.toml");
    fs::write(
        &trust,
        "[[key]]\npublic_key_file = \"keys/a.pub\"\nrevoked = true\n",
    )
    .unwrap();
    let store = TrustStore::load(&trust).unwrap();
    assert_eq!(store.keys()[0].key, a.verifying_key());
    assert_eq!(store.keys()[0].revoked.as_deref(), Some(""));

    // Merging the folder and the trust file lists key a twice.
    assert!(matches!(
        TrustStore::load_all(&[keys_dir.clone(), trust]),
        Err(TrustError::Duplicate { .. })
    ));

    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert!(matches!(
        TrustStore::load(&empty),
        Err(TrustError::NoKeys { .. })
    ));
    assert!(matches!(
        TrustStore::load(&dir.path().join("missing")),
        Err(TrustError::Io { .. })
    ));
    fs::write(keys_dir.join("bad.pub"), "junk").unwrap();
    assert!(matches!(
        TrustStore::load(&keys_dir),
        Err(TrustError::Key(KeyError::NotPublicKey { .. }))
    ));
}

#[test]
fn shipped_demo_key_and_example_trust_file_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
    let demo = TrustStore::load(&root.join("demo.pub")).unwrap();
    assert_eq!(demo.keys()[0].key, demo_signing_key().verifying_key());
    let example = TrustStore::load(&root.join("example-trust.toml")).unwrap();
    assert!(
        example
            .keys()
            .iter()
            .any(|k| k.key == demo_signing_key().verifying_key())
    );
}

//! Hostile bundles: each is rejected with the typed error its name announces.
//!
//! The fixtures are generated here (small: the zstd bomb is 64 MiB of zeros in ~3 KB) and also
//! committed under `testdata/bundles/` as `err-<kind>-<what>.tar.zst` (and `ok-….tar.zst`), so
//! other readers can be tested against them. Regenerate with
//! `OPENSEAL_WRITE_FIXTURES=1 cargo test --test bundle_malicious`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use openseal::bundle::ReadError;
use openseal::bundle::tarfmt::{BLOCK, pax_record};
use openseal::release::ExpectedFile;
use support::*;

const HELLO: &[u8] = b"hello\n";

fn hello() -> Vec<ExpectedFile> {
    vec![expected_file("hello.txt", HELLO)]
}

fn with_pax(mut raw: Raw, records: &[(&str, &[u8])]) -> Raw {
    for (k, v) in records {
        raw.pax.extend(pax_record(k, v));
    }
    raw
}

/// (file name, bundle bytes, a string the error's Debug form must contain)
fn fixtures() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let h = hello;
    let hb = |entries: &[Raw]| hostile_bundle(&hello(), entries, &[]);
    let typed = |flag: u8| hb(&[Raw::typed(b"hello.txt", flag, b"")]);
    let mut v: Vec<(&'static str, Vec<u8>, &'static str)> = vec![
        (
            "ok-minimal.tar.zst",
            hb(&[Raw::file("hello.txt", HELLO)]),
            "",
        ),
        (
            "ok-pax-size-and-long-path.tar.zst",
            hostile_bundle(
                &[expected_file(&format!("{}.txt", "x".repeat(120)), HELLO)],
                &[with_pax(
                    Raw::file("truncated-name", HELLO),
                    &[
                        ("path", format!("{}.txt", "x".repeat(120)).as_bytes()),
                        ("size", b"6"),
                    ],
                )],
                &[],
            ),
            "",
        ),
        (
            "err-unsafe-path-absolute.tar.zst",
            hb(&[Raw::file("/etc/passwd", HELLO)]),
            "Absolute",
        ),
        (
            "err-unsafe-path-dotdot.tar.zst",
            hb(&[Raw::file("../evil.txt", HELLO)]),
            "ParentDir",
        ),
        (
            "err-unsafe-path-dotdot-in-pax.tar.zst",
            hb(&[with_pax(
                Raw::file("evil.txt", HELLO),
                &[("path", b"a/../../evil.txt")],
            )]),
            "ParentDir",
        ),
        (
            "err-unsafe-path-backslash.tar.zst",
            hb(&[Raw::file("..\\evil.txt", HELLO)]),
            "Backslash",
        ),
        (
            "err-unsafe-path-control-char.tar.zst",
            hb(&[Raw::file("a\u{1}b", HELLO)]),
            "ControlChar",
        ),
        (
            "err-unsafe-path-nul-in-pax.tar.zst",
            hb(&[with_pax(
                Raw::file("x", HELLO),
                &[("path", b"hello.txt\0.sh")],
            )]),
            "ControlChar",
        ),
        (
            "err-unsafe-path-reserved.tar.zst",
            hb(&[Raw::file(".openseal/evil", HELLO)]),
            "Reserved",
        ),
        ("err-unsupported-symlink.tar.zst", typed(b'2'), "Symlink"),
        ("err-unsupported-hardlink.tar.zst", typed(b'1'), "HardLink"),
        ("err-unsupported-fifo.tar.zst", typed(b'6'), "Fifo"),
        (
            "err-unsupported-char-device.tar.zst",
            typed(b'3'),
            "CharDevice",
        ),
        (
            "err-unsupported-block-device.tar.zst",
            typed(b'4'),
            "BlockDevice",
        ),
        (
            "err-unsupported-directory.tar.zst",
            hb(&[Raw::typed(b"dir/", b'5', b"")]),
            "Directory",
        ),
        (
            "err-unsupported-gnu-longname.tar.zst",
            hb(&[
                Raw::typed(b"././@LongLink", b'L', b"hello.txt\0"),
                Raw::file("x", HELLO),
            ]),
            "GnuLongName",
        ),
        (
            "err-unsupported-gnu-sparse.tar.zst",
            typed(b'S'),
            "GnuSparse",
        ),
        (
            "err-unsupported-pax-global.tar.zst",
            hb(&[Raw::typed(
                b"pax_global_header",
                b'g',
                &pax_record("comment", b"x"),
            )]),
            "PaxGlobal",
        ),
        (
            "err-duplicate.tar.zst",
            hb(&[Raw::file("hello.txt", HELLO), Raw::file("hello.txt", HELLO)]),
            "hello.txt",
        ),
        (
            "err-collision-case.tar.zst",
            hostile_bundle(
                &[expected_file("Hello.txt", HELLO)],
                &[Raw::file("Hello.txt", HELLO), Raw::file("hello.txt", HELLO)],
                &[],
            ),
            "Case",
        ),
        (
            "err-collision-nfc-nfd.tar.zst",
            hostile_bundle(
                &[expected_file("cafe\u{301}.txt", HELLO)],
                &[
                    Raw::file("cafe\u{301}.txt", HELLO),
                    Raw::file("caf\u{e9}.txt", HELLO),
                ],
                &[],
            ),
            "Unicode",
        ),
        (
            "err-collision-file-and-folder.tar.zst",
            hostile_bundle(
                &[expected_file("a", HELLO)],
                &[Raw::file("a", HELLO), Raw::file("a/b", HELLO)],
                &[],
            ),
            "FileAndFolder",
        ),
        (
            "err-pax-key-mtime.tar.zst",
            hb(&[with_pax(Raw::file("hello.txt", HELLO), &[("mtime", b"1")])]),
            "mtime",
        ),
        (
            "err-pax-key-linkpath.tar.zst",
            hb(&[with_pax(
                Raw::file("hello.txt", HELLO),
                &[("linkpath", b"/etc/passwd")],
            )]),
            "linkpath",
        ),
        (
            "err-pax-malformed-length.tar.zst",
            hb(&[Raw {
                pax: b"99 path=hello.txt\n".to_vec(),
                ..Raw::file("hello.txt", HELLO)
            }]),
            "out of range",
        ),
        (
            "err-not-utf8.tar.zst",
            hb(&[Raw::typed(b"\xff\xfe.txt", b'0', HELLO)]),
            "NotUtf8",
        ),
        (
            "err-trailing-data-after-end-blocks.tar.zst",
            hostile_bundle(&hello(), &[Raw::file("hello.txt", HELLO)], &[b'X'; BLOCK]),
            "non-zero",
        ),
        (
            "err-size-mismatch-zstd-bomb.tar.zst",
            hostile_bundle(
                &[expected_file("big.bin", b"0123456789")],
                &[Raw::file("big.bin", &vec![0u8; 64 << 20])],
                &[],
            ),
            "67108864",
        ),
        (
            "err-bad-header-checksum.tar.zst",
            hb(&[Raw {
                bad_checksum: true,
                ..Raw::file("hello.txt", HELLO)
            }]),
            "checksum",
        ),
        (
            "err-bad-header-gnu-magic.tar.zst",
            hb(&[Raw {
                gnu_magic: true,
                ..Raw::file("hello.txt", HELLO)
            }]),
            "GNU",
        ),
        (
            "err-bad-header-pax-size-differs.tar.zst",
            hb(&[with_pax(Raw::file("hello.txt", HELLO), &[("size", b"3")])]),
            "PAX size",
        ),
        (
            "err-out-of-order.tar.zst",
            hostile_bundle(
                &[expected_file("a.txt", HELLO), expected_file("b.txt", HELLO)],
                &[Raw::file("b.txt", HELLO), Raw::file("a.txt", HELLO)],
                &[],
            ),
            "OutOfOrder",
        ),
        (
            "err-padding-not-zero.tar.zst",
            hb(&[Raw {
                padding_byte: b'!',
                ..Raw::file("hello.txt", HELLO)
            }]),
            "hello.txt",
        ),
        (
            "err-digest-mismatch.tar.zst",
            hb(&[Raw::file("hello.txt", b"jello\n")]),
            "hello.txt",
        ),
        ("err-missing.tar.zst", hb(&[]), "hello.txt"),
        (
            "err-unexpected.tar.zst",
            hb(&[Raw::file("hello.txt", HELLO), Raw::file("zzz.txt", HELLO)]),
            "zzz.txt",
        ),
        (
            "err-head-entry-no-manifest.tar.zst",
            {
                let mut tar = Raw::file("hello.txt", HELLO).bytes();
                tar.extend([0u8; 2 * BLOCK]);
                zstd::encode_all(&tar[..], 3).unwrap()
            },
            "manifest.json",
        ),
        (
            "err-head-too-large.tar.zst",
            {
                let raw = Raw {
                    size: Some(40 << 20),
                    ..Raw::file(".openseal/manifest.json", b"")
                };
                zstd::encode_all(&raw.bytes()[..], 3).unwrap()
            },
            "41943040",
        ),
        (
            "err-decompress-plain-tar.tar.zst",
            hostile_tar(&hello(), &[Raw::file("hello.txt", HELLO)], &[]),
            "Decompress",
        ),
    ];

    // Truncations: inside an entry's data (a well-formed zstd stream of a short tar), and the
    // compressed stream itself cut.
    let mut tar = hostile_tar(&h(), &[Raw::file("hello.txt", HELLO)], &[]);
    tar.truncate(tar.len() - 2 * BLOCK - BLOCK + 3);
    v.push((
        "err-truncated-data.tar.zst",
        zstd::encode_all(&tar[..], 3).unwrap(),
        "hello.txt",
    ));
    let full = hb(&[Raw::file("hello.txt", HELLO)]);
    v.push((
        "err-truncated-zstd.tar.zst",
        full[..full.len() - 7].to_vec(),
        "Truncated",
    ));
    let mut junk = full.clone();
    junk.extend_from_slice(b"junk after the zstd stream");
    v.push(("err-trailing-data-after-zstd.tar.zst", junk, "zstd"));
    v
}

fn check(name: &str, bytes: &[u8], needle: &str) {
    let result = verify_bytes(bytes);
    if name.starts_with("ok-") {
        assert!(result.is_ok(), "{name}: {result:?}");
        return;
    }
    let err: ReadError = match result {
        Err(Failure::Read(e)) => e,
        other => panic!("{name}: expected a read error, got {other:?}"),
    };
    let kind = name.strip_prefix("err-").unwrap();
    assert!(
        kind.starts_with(&format!("{}-", err.kind())) || kind == format!("{}.tar.zst", err.kind()),
        "{name}: got {} ({err})",
        err.kind()
    );
    let shown = format!("{err:?} {err}");
    assert!(shown.contains(needle), "{name}: {shown} lacks {needle:?}");
}

#[test]
fn hostile_bundles_are_rejected_precisely() {
    for (name, bytes, needle) in fixtures() {
        check(name, &bytes, needle);
    }
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/bundles")
}

/// The committed fixtures are the generated ones, and each still fails as its name says.
#[test]
fn committed_fixtures() {
    let dir = fixture_dir();
    let generated = fixtures();
    if std::env::var_os("OPENSEAL_WRITE_FIXTURES").is_some() {
        fs::create_dir_all(&dir).unwrap();
        for (name, bytes, _) in &generated {
            fs::write(dir.join(name), bytes).unwrap();
        }
    }
    for (name, _, needle) in &generated {
        let bytes = fs::read(dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e} (regenerate: see this file's doc)"));
        check(name, &bytes, needle);
    }
    let on_disk = fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .to_string_lossy()
                .ends_with(".tar.zst")
        })
        .count();
    assert_eq!(
        on_disk,
        generated.len(),
        "stray or missing fixtures in {}",
        dir.display()
    );
}

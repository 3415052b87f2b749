//! Bundles end to end through the library: pack, verify, unpack, reproducibility, the `tar` CLI,
//! and the tamper matrix (each alteration rejected with its own typed error).

mod support;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use openseal::bundle::tarfmt::BLOCK;
use openseal::bundle::{BundleReader, Discard, ReadError, UnpackError, unpack_into};
use openseal::progress::NoProgress;
use openseal::signature::VerifyError;
use openseal::source::{collect_files, hash_sources};
use openseal::write::{BundleWriter, WriteError, WriteOptions};
use support::*;

fn opts() -> WriteOptions {
    WriteOptions::default()
}

/// (path, data) of every entry, head included, via the `tar` crate (an independent reader).
fn entries_of(bundle: &[u8]) -> Vec<(String, Vec<u8>)> {
    let tar = zstd::decode_all(bundle).unwrap();
    let mut archive = tar::Archive::new(&tar[..]);
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let path = e.path().unwrap().to_str().unwrap().to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (path, data)
        })
        .collect()
}

fn rebuild(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut tar = Vec::new();
    for (p, d) in entries {
        tar.extend(good_entry(p, d));
    }
    tar.extend([0u8; 2 * BLOCK]);
    zstd::encode_all(&tar[..], 3).unwrap()
}

fn packed() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("release");
    make_release(&root);
    let out = dir.path().join("release.tar.zst");
    pack(&root, &out, &opts());
    let bytes = fs::read(&out).unwrap();
    (dir, bytes)
}

#[test]
fn pack_then_verify() {
    let (dir, bytes) = packed();
    let summary = verify_bytes(&bytes).unwrap();
    assert_eq!(summary.files, 9);
    assert_eq!(summary.bytes, 300_000 + 70_001 + 8 + 22 + 8 + 5 + 18 + 7);

    // Through a file, too.
    let (head, entries) = BundleReader::open(&dir.path().join("release.tar.zst"))
        .unwrap()
        .read_head()
        .unwrap();
    let expected = expected_of(&head.manifest);
    assert_eq!(entries.verify(&expected, &mut Discard).unwrap(), summary);
}

#[test]
fn head_is_its_own_zstd_frame() {
    let (_dir, bytes) = packed();
    // The first frame alone decodes to the manifest and signature entries.
    let first = zstd::zstd_safe::find_frame_compressed_size(&bytes).unwrap();
    assert!(first < bytes.len());
    let head_tar = zstd::decode_all(&bytes[..first]).unwrap();
    let names: Vec<String> = tar::Archive::new(&head_tar[..])
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_str().unwrap().to_string())
        .collect();
    assert_eq!(names, [".openseal/manifest.json", ".openseal/manifest.sig"]);
}

#[test]
fn entries_are_sorted_and_normalised() {
    let (_dir, bytes) = packed();
    let tar = zstd::decode_all(&bytes[..]).unwrap();
    let mut archive = tar::Archive::new(&tar[..]);
    let mut paths = Vec::new();
    for e in archive.entries().unwrap() {
        let e = e.unwrap();
        let h = e.header();
        assert_eq!(h.entry_type(), tar::EntryType::Regular);
        assert_eq!(h.uid().unwrap(), 0);
        assert_eq!(h.gid().unwrap(), 0);
        assert_eq!(h.mtime().unwrap(), openseal::write::DEFAULT_MTIME);
        assert_eq!(h.username().unwrap(), Some(""));
        let path = e.path().unwrap().to_str().unwrap().to_string();
        let mode = h.mode().unwrap();
        assert_eq!(mode, if path == "run.sh" { 0o755 } else { 0o644 }, "{path}");
        paths.push(path);
    }
    let files = &paths[2..];
    let mut sorted = files.to_vec();
    sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    assert_eq!(files, &sorted[..]);
    assert!(files.iter().any(|p| p.len() > 100), "a PAX long path");
}

#[test]
fn packing_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    make_release(&a);

    // The same content made differently: files created in reverse order, other mtimes, other
    // group/other permission bits, another owner.
    let b = dir.path().join("b");
    let mut files = collect_files(&a).unwrap();
    files.reverse();
    for f in &files {
        let dest = b.join(&f.path);
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::write(&dest, fs::read(&f.source).unwrap()).unwrap();
        set_mode(&dest, if f.executable { 0o700 } else { 0o600 });
        let file = fs::File::options().write(true).open(&dest).unwrap();
        file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(12345))
            .unwrap();
        let _ = std::os::unix::fs::chown(&dest, Some(1234), Some(4321));
    }

    let out_a = dir.path().join("a.tar.zst");
    let out_b = dir.path().join("b.tar.zst");
    pack(
        &a,
        &out_a,
        &WriteOptions {
            threads: 1,
            ..opts()
        },
    );
    pack(
        &b,
        &out_b,
        &WriteOptions {
            threads: 4,
            ..opts()
        },
    );
    assert_eq!(fs::read(&out_a).unwrap(), fs::read(&out_b).unwrap());

    // The mtime comes from the options (SOURCE_DATE_EPOCH), nowhere else.
    let out_c = dir.path().join("c.tar.zst");
    pack(&a, &out_c, &WriteOptions { mtime: 1, ..opts() });
    assert_ne!(fs::read(&out_a).unwrap(), fs::read(&out_c).unwrap());
}

fn have(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// GNU tar with zstd lists and extracts a bundle (skipped where either tool is missing).
#[test]
fn tar_cli_opens_bundles() {
    if !have("tar", "--version") || !have("zstd", "--version") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("release");
    make_release(&root);
    let out = dir.path().join("release.tar.zst");
    pack(&root, &out, &opts());

    let list = Command::new("tar")
        .arg("--zstd")
        .arg("-tvf")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let text = String::from_utf8(list.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.contains(".openseal/manifest.json"), "{first}");
    assert!(first.starts_with("-rw-r--r-- 0/0"), "{first}");

    let x = dir.path().join("x");
    fs::create_dir(&x).unwrap();
    let status = Command::new("tar")
        .arg("--zstd")
        .arg("-xf")
        .arg(&out)
        .arg("-C")
        .arg(&x)
        .status()
        .unwrap();
    assert!(status.success());
    for f in collect_files(&root).unwrap() {
        assert_eq!(
            fs::read(x.join(&f.path)).unwrap(),
            fs::read(&f.source).unwrap(),
            "{}",
            f.path
        );
    }
    assert!(x.join(".openseal/manifest.sig").is_file());
}

#[test]
fn tamper_matrix() {
    let (_dir, bytes) = packed();
    let original = entries_of(&bytes);
    assert_eq!(original[0].0, ".openseal/manifest.json");
    let index = |p: &str| original.iter().position(|(q, _)| q == p).unwrap();

    // One byte of a file's data.
    let mut t = original.clone();
    t[index("weights/model.safetensors")].1[1234] ^= 1;
    assert!(matches!(
        read_error(&rebuild(&t)),
        ReadError::DigestMismatch { path, .. } if path == "weights/model.safetensors"
    ));

    // One byte of the manifest.
    let mut t = original.clone();
    t[0].1[3] ^= 1;
    assert!(matches!(
        verify_bytes(&rebuild(&t)),
        Err(Failure::Sig(VerifyError::PayloadMismatch))
    ));

    // One character of the signature value.
    let mut t = original.clone();
    let sig = String::from_utf8(t[1].1.clone()).unwrap();
    let at = sig.find("\"sig\":\"").unwrap() + 7 + 20;
    let mut sig = sig.into_bytes();
    sig[at] = if sig[at] == b'A' { b'B' } else { b'A' };
    t[1].1 = sig;
    assert!(matches!(
        verify_bytes(&rebuild(&t)),
        Err(Failure::Sig(VerifyError::BadSignature { .. }))
    ));

    // A file added, at the end and in the middle.
    let mut t = original.clone();
    t.push(("zz-extra.txt".into(), b"x".to_vec()));
    assert!(
        matches!(read_error(&rebuild(&t)), ReadError::Unexpected { path } if path == "zz-extra.txt")
    );
    let mut t = original.clone();
    t.insert(index("config.json"), ("c-extra.txt".into(), b"x".to_vec()));
    assert!(
        matches!(read_error(&rebuild(&t)), ReadError::Unexpected { path } if path == "c-extra.txt")
    );

    // A file removed, in the middle and at the end.
    let mut t = original.clone();
    t.remove(index("config.json"));
    assert!(
        matches!(read_error(&rebuild(&t)), ReadError::Missing { path } if path == "config.json")
    );
    let mut t = original.clone();
    let last = t.pop().unwrap().0;
    assert!(matches!(read_error(&rebuild(&t)), ReadError::Missing { path } if path == last));

    // A file renamed (to a name sorting before and after the original).
    let mut t = original.clone();
    t[index("config.json")].0 = "config.jsom".into();
    assert!(
        matches!(read_error(&rebuild(&t)), ReadError::Unexpected { path } if path == "config.jsom")
    );
    let mut t = original.clone();
    t[index("config.json")].0 = "config.jsoo".into();
    assert!(
        matches!(read_error(&rebuild(&t)), ReadError::Missing { path } if path == "config.json")
    );

    // Two files swapped.
    let mut t = original.clone();
    t.swap(index("README.md"), index("config.json"));
    assert!(matches!(
        read_error(&rebuild(&t)),
        ReadError::OutOfOrder { path, previous } if path == "README.md" && previous == "config.json"
    ));

    // A file grown by one byte: its header's size no longer matches.
    let mut t = original.clone();
    t[index("config.json")].1.push(b' ');
    assert!(matches!(
        read_error(&rebuild(&t)),
        ReadError::SizeMismatch { path, declared: 22, found: 23 } if path == "config.json"
    ));

    // The head out of order or missing.
    let mut t = original.clone();
    t.swap(0, 1);
    assert!(matches!(
        read_error(&rebuild(&t)),
        ReadError::HeadEntry { index: 1, .. }
    ));
    let t = original[1..].to_vec();
    assert!(matches!(
        read_error(&rebuild(&t)),
        ReadError::HeadEntry { index: 1, .. }
    ));

    // The compressed file cut short, and with garbage after it.
    let cut = &bytes[..bytes.len() / 2];
    assert!(
        matches!(read_error(cut), ReadError::Truncated { .. }),
        "{:?}",
        read_error(cut)
    );
    let mut junk = bytes.clone();
    junk.extend_from_slice(b"garbage after the last frame");
    assert!(
        matches!(read_error(&junk), ReadError::TrailingData { .. }),
        "{:?}",
        read_error(&junk)
    );

    // A byte of the compressed stream flipped: some error, never success.
    for at in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x40;
        assert!(verify_bytes(&flipped).is_err(), "flip at {at}");
    }

    // The untouched rebuild still verifies (the matrix tests the alterations, not the rebuild).
    verify_bytes(&rebuild(&original)).unwrap();
}

#[test]
fn unpack_all_or_nothing() {
    let (dir, bytes) = packed();
    let path = dir.path().join("release.tar.zst");
    let target = dir.path().join("out");
    let open = |p: &Path| {
        let (head, entries) = BundleReader::open(p).unwrap().read_head().unwrap();
        (expected_of(&head.manifest), entries)
    };

    let (expected, entries) = open(&path);
    let summary = unpack_into(
        entries,
        &target,
        &expected,
        &|_| true,
        &|_| Ok(()),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(summary.files, 9);
    for f in collect_files(&dir.path().join("release")).unwrap() {
        assert_eq!(
            fs::read(target.join(&f.path)).unwrap(),
            fs::read(&f.source).unwrap()
        );
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(target.join("run.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_ne!(mode & 0o100, 0);

    // The target exists now: refused, untouched.
    let (expected, entries) = open(&path);
    assert!(matches!(
        unpack_into(
            entries,
            &target,
            &expected,
            &|_| true,
            &|_| Ok(()),
            &NoProgress
        ),
        Err(UnpackError::TargetExists { .. })
    ));

    // A target whose parent folder is missing is named as such, not by the temporary folder.
    let (expected, entries) = open(&path);
    let orphan = dir.path().join("missing").join("out");
    let err = unpack_into(
        entries,
        &orphan,
        &expected,
        &|_| true,
        &|_| Ok(()),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(err, UnpackError::NoParent { .. }), "{err}");
    assert!(
        err.to_string().starts_with(&orphan.display().to_string()),
        "{err}"
    );

    // Only some files.
    let only = dir.path().join("only-weights");
    let (expected, entries) = open(&path);
    unpack_into(
        entries,
        &only,
        &expected,
        &|p| p.starts_with("weights/"),
        &|_| Ok(()),
        &NoProgress,
    )
    .unwrap();
    let got: Vec<String> = collect_files(&only)
        .unwrap()
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert_eq!(
        got,
        ["weights/model.safetensors", "weights/shards/part-1.bin"]
    );

    // A tampered bundle: nothing appears, no temporary folder is left.
    let mut t = entries_of(&bytes);
    let last = t.len() - 1;
    t[last].1[0] ^= 1;
    let bad = dir.path().join("bad.tar.zst");
    fs::write(&bad, rebuild(&t)).unwrap();
    let before: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let failed = dir.path().join("failed");
    let (expected, entries) = open(&bad);
    assert!(matches!(
        unpack_into(
            entries,
            &failed,
            &expected,
            &|_| true,
            &|_| Ok(()),
            &NoProgress
        ),
        Err(UnpackError::Read(ReadError::DigestMismatch { .. }))
    ));
    assert!(!failed.exists());
    let after: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn writer_leaves_nothing_unless_finished() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("release");
    make_release(&root);
    let files = hash_sources(collect_files(&root).unwrap(), 0).unwrap();
    let out = dir.path().join("b.tar.zst");
    let listing = || {
        let mut v: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let before = listing();

    // Dropped half-way.
    let mut w = BundleWriter::create(&out, &opts(), b"m", b"s").unwrap();
    w.append_file(&files[0]).unwrap();
    drop(w);
    assert_eq!(listing(), before);

    // Out of order.
    let mut w = BundleWriter::create(&out, &opts(), b"m", b"s").unwrap();
    w.append_file(&files[1]).unwrap();
    assert!(matches!(
        w.append_file(&files[0]),
        Err(WriteError::NotSorted { .. })
    ));
    assert!(matches!(
        w.append_file(&files[1]),
        Err(WriteError::NotSorted { .. })
    ));
    drop(w);

    // A file changed after hashing.
    fs::write(root.join("config.json"), r#"{"model_type":"LLAMA"}"#).unwrap();
    let mut w = BundleWriter::create(&out, &opts(), b"m", b"s").unwrap();
    let mut result = Ok(());
    for f in &files {
        result = result.and_then(|()| w.append_file(f));
    }
    assert!(
        matches!(result, Err(WriteError::FileChanged { .. })),
        "{result:?}"
    );
    drop(w);
    fs::write(root.join("config.json"), "{}").unwrap();
    let mut w = BundleWriter::create(&out, &opts(), b"m", b"s").unwrap();
    let mut result = Ok(());
    for f in &files {
        result = result.and_then(|()| w.append_file(f));
    }
    assert!(
        matches!(result, Err(WriteError::FileChanged { .. })),
        "{result:?}"
    );
    drop(w);
    assert_eq!(listing(), before);

    // An existing output is kept unless overwriting is asked for.
    fs::write(&out, "precious").unwrap();
    assert!(matches!(
        BundleWriter::create(&out, &opts(), b"m", b"s"),
        Err(WriteError::OutputExists { .. })
    ));
    assert_eq!(fs::read(&out).unwrap(), b"precious");

    // An output in a missing folder is named, not the temporary file beside it.
    let orphan = dir.path().join("missing").join("x.tar.zst");
    match BundleWriter::create(&orphan, &opts(), b"m", b"s") {
        Err(e @ WriteError::OutputNoParent { .. }) => {
            assert!(
                e.to_string().starts_with(&orphan.display().to_string()),
                "{e}"
            )
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("created in a missing folder"),
    }
    let w = BundleWriter::create(
        &out,
        &WriteOptions {
            overwrite: true,
            ..opts()
        },
        b"m",
        b"s",
    )
    .unwrap();
    let info = w.finish().unwrap();
    assert_eq!(info.files, 0);
    assert_ne!(fs::read(&out).unwrap(), b"precious");

    assert!(matches!(
        BundleWriter::create(
            &dir.path().join("x"),
            &WriteOptions {
                level: 22,
                ..opts()
            },
            b"m",
            b"s"
        ),
        Err(WriteError::InvalidLevel { level: 22 })
    ));
}

#[test]
fn bundle_info_reports_sizes_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("release");
    make_release(&root);
    let out = dir.path().join("r.tar.zst");
    let info = pack(&root, &out, &opts());
    assert_eq!(info.compressed_bytes, fs::metadata(&out).unwrap().len());
    assert_eq!(
        info.tar_bytes,
        zstd::decode_all(&fs::read(&out).unwrap()[..])
            .unwrap()
            .len() as u64
    );
    assert_eq!(info.zstd_level, 3);
    assert!(info.zstd_version.starts_with("1."), "{}", info.zstd_version);
}

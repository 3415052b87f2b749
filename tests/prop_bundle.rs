//! Properties of bundles made by `openseal::pack::pack` and checked by `openseal::verify`:
//! any small release folder packs and verifies; a bundle with any single byte changed fails
//! verification (with an error, never a panic) unless the change leaves the decoded contents
//! identical; unpacking is all or nothing.

use openseal::pack::{PackOptions, pack};
use openseal::progress::NoProgress;
use openseal::signature::{TrustedKey, demo_signing_key};
use openseal::trust::TrustStore;
use openseal::unpack::unpack;
use openseal::verification::VerifyOptions;
use openseal::verify::verify;
use openseal::write::WriteOptions;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const NOW: i64 = 1_800_000_000;

fn trust() -> TrustStore {
    let mut store = TrustStore::new();
    store
        .add(TrustedKey::new(demo_signing_key().verifying_key(), "demo"))
        .unwrap();
    store
}

fn options() -> PackOptions {
    PackOptions {
        requires: Vec::new(),
        write: WriteOptions {
            level: 1,
            threads: 1,
            ..WriteOptions::default()
        },
        // Exactly the random files, so counts and flips concern them alone.
        bom: false,
    }
}

/// Relative paths (an optional folder, a name from a safe alphabet, an extension no format
/// reader claims) with their contents.
fn release() -> impl Strategy<Value = BTreeMap<String, Vec<u8>>> {
    let path = (
        proptest::option::of("[a-z0-9][a-z0-9_-]{0,7}"),
        "[a-zA-Z0-9][a-zA-Z0-9_.-]{0,11}",
        proptest::sample::select(vec!["txt", "dat", "log"]),
    )
        .prop_map(|(dir, name, ext)| match dir {
            Some(d) => format!("{d}/{name}.{ext}"),
            None => format!("{name}.{ext}"),
        });
    proptest::collection::btree_map(path, proptest::collection::vec(any::<u8>(), 0..2048), 1..6)
}

/// Writes the files under `root`; false when two paths clash (a file where a folder goes).
fn write_release(root: &Path, files: &BTreeMap<String, Vec<u8>>) -> bool {
    for (path, data) in files {
        let p = root.join(path);
        if fs::create_dir_all(p.parent().unwrap()).is_err() || p.is_dir() {
            return false;
        }
        if fs::write(&p, data).is_err() {
            return false;
        }
    }
    true
}

/// Packs `files` into `dir/release.tar.zst`; `None` when the paths clash on disk.
fn packed(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Option<std::path::PathBuf> {
    let root = dir.join("release");
    fs::create_dir(&root).unwrap();
    if !write_release(&root, files) {
        return None;
    }
    let out = dir.join("release.tar.zst");
    pack(&root, &out, &demo_signing_key(), &options(), &NoProgress)
        .unwrap_or_else(|e| panic!("pack failed: {e}"));
    Some(out)
}

fn verify_opts(store: &TrustStore) -> VerifyOptions<'_> {
    VerifyOptions {
        trust: store,
        requires: &[],
        now: NOW,
    }
}

/// Names in `dir` other than `keep`.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn pack_then_verify_always_succeeds(files in release()) {
        let tmp = tempfile::tempdir().unwrap();
        let Some(bundle) = packed(tmp.path(), &files) else { return Ok(()) };
        let store = trust();
        let v = verify(&bundle, &verify_opts(&store), &NoProgress)
            .unwrap_or_else(|e| panic!("verify failed: {e}"));
        // Exactly the release files, with their bytes.
        prop_assert_eq!(v.files, files.len() as u64);
        prop_assert_eq!(v.bytes, files.values().map(|d| d.len() as u64).sum::<u64>());
    }

    /// A flipped byte either fails verification (an error, never a panic) and unpacking leaves
    /// nothing, or it changed nothing the bundle carries: zstd has a few bits that do not change
    /// the decoded bytes (the window size in a frame header, some entropy-table bits), and the
    /// signature and digests cover the decoded manifest and files, not their compressed form.
    /// Then the bundle still verifies and unpacks to exactly the original files.
    #[test]
    fn any_flipped_byte_fails_verify_or_changes_nothing_and_unpack_is_all_or_nothing(
        files in release(),
        at in any::<prop::sample::Index>(),
        xor in 1u8..=255,
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let Some(bundle) = packed(tmp.path(), &files) else { return Ok(()) };
        let mut bytes = fs::read(&bundle).unwrap();
        let i = at.index(bytes.len());
        bytes[i] ^= xor;
        fs::write(&bundle, &bytes).unwrap();
        let store = trust();
        let verified = verify(&bundle, &verify_opts(&store), &NoProgress).is_ok();

        let target = tmp.path().join("unpacked");
        let unpacked = unpack(&bundle, &target, &verify_opts(&store), &[], &NoProgress);
        prop_assert_eq!(unpacked.is_ok(), verified, "verify and unpack disagree on byte {}", i);
        if verified {
            prop_assert_eq!(tree(&target), files, "byte {} flipped: verified, but different files", i);
        } else {
            prop_assert!(!target.exists(), "a partial tree was left at the target");
        }
        let left = others(tmp.path(), &["release", "release.tar.zst", "unpacked"]);
        prop_assert!(left.is_empty(), "left beside the target: {:?}", left);
    }
}

/// Every file below `root` by relative path.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

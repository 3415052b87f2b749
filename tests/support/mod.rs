//! Helpers shared by the bundle tests: a toy manifest (the real one is built elsewhere; bundles
//! treat it as opaque bytes plus an expected-file list), packing and verifying with the demo key,
//! and a raw tar builder for hostile archives.
#![allow(dead_code)]

use std::fs;
use std::io::Cursor;
use std::path::Path;

use openseal::bundle::tarfmt::{BLOCK, file_header_blocks, padding};
use openseal::bundle::{BundleReader, Discard, ReadError, VerifySummary};
use openseal::digest::Sha256Digest;
use openseal::release::ExpectedFile;
use openseal::signature::{
    TrustedKey, VerifyError, demo_signing_key, sign_manifest, verify_manifest,
};
use openseal::source::{collect_files, hash_sources};
use openseal::write::{BundleInfo, BundleWriter, WriteOptions};

pub const NOW: i64 = 1_800_000_000;

/// The toy manifest: `[{"path","size","sha256"}]` as JSON.
pub fn manifest_of(files: &[ExpectedFile]) -> Vec<u8> {
    let list: Vec<serde_json::Value> = files
        .iter()
        .map(|f| serde_json::json!({"path": f.path, "size": f.size, "sha256": f.sha256.to_hex()}))
        .collect();
    serde_json::to_vec(&list).unwrap()
}

pub fn expected_of(manifest: &[u8]) -> Vec<ExpectedFile> {
    let list: Vec<serde_json::Value> = serde_json::from_slice(manifest).unwrap();
    list.iter()
        .map(|v| ExpectedFile {
            path: v["path"].as_str().unwrap().to_string(),
            size: v["size"].as_u64().unwrap(),
            sha256: v["sha256"].as_str().unwrap().parse().unwrap(),
        })
        .collect()
}

pub fn expected_file(path: &str, data: &[u8]) -> ExpectedFile {
    ExpectedFile {
        path: path.to_string(),
        size: data.len() as u64,
        sha256: Sha256Digest::of(data),
    }
}

/// Packs `root` into `out` the way `openseal pack` will: walk, hash, manifest, sign, stream.
pub fn pack(root: &Path, out: &Path, opts: &WriteOptions) -> BundleInfo {
    let files = hash_sources(collect_files(root).unwrap(), 0).unwrap();
    let expected: Vec<ExpectedFile> = files.iter().map(|f| f.expected()).collect();
    let manifest = manifest_of(&expected);
    let sig = sign_manifest(&manifest, &demo_signing_key());
    let mut w = BundleWriter::create(out, opts, &manifest, &sig).unwrap();
    for f in &files {
        w.append_file(f).unwrap();
    }
    w.finish().unwrap()
}

#[derive(Debug)]
pub enum Failure {
    Sig(VerifyError),
    Read(ReadError),
}

pub fn demo_trust() -> Vec<TrustedKey> {
    vec![TrustedKey::new(demo_signing_key().verifying_key(), "demo")]
}

/// Verifies compressed bundle bytes the way `openseal verify` will.
pub fn verify_bytes(bundle: &[u8]) -> Result<VerifySummary, Failure> {
    let reader = BundleReader::new(Cursor::new(bundle)).map_err(Failure::Read)?;
    let (head, entries) = reader.read_head().map_err(Failure::Read)?;
    verify_manifest(&head.manifest, &head.signature, &demo_trust(), NOW).map_err(Failure::Sig)?;
    let expected = expected_of(&head.manifest);
    entries
        .verify(&expected, &mut Discard)
        .map_err(Failure::Read)
}

/// The read error of a bundle whose signature is fine, or a panic.
pub fn read_error(bundle: &[u8]) -> ReadError {
    match verify_bytes(bundle) {
        Err(Failure::Read(e)) => e,
        other => panic!("expected a read error, got {other:?}"),
    }
}

/// A release folder with the awkward cases: nesting, an empty file, an executable, a name too
/// long for ustar, non-ASCII names, an empty folder.
pub fn make_release(root: &Path) {
    fs::create_dir_all(root.join("weights/shards")).unwrap();
    fs::create_dir_all(root.join("docs")).unwrap();
    fs::create_dir_all(root.join("empty-folder")).unwrap();
    fs::write(root.join("README.md"), "# Model\n").unwrap();
    fs::write(root.join("config.json"), r#"{"model_type":"llama"}"#).unwrap();
    fs::write(root.join("weights/model.safetensors"), vec![7u8; 300_000]).unwrap();
    fs::write(
        root.join("weights/shards/part-1.bin"),
        (0..=255u8).cycle().take(70_001).collect::<Vec<_>>(),
    )
    .unwrap();
    fs::write(root.join("empty.txt"), "").unwrap();
    fs::write(root.join("docs/ünïcödé-名前.md"), "unicode\n").unwrap();
    let long = format!("docs/{}.txt", "long-name-".repeat(15));
    fs::write(root.join(long), "long\n").unwrap();
    // Longer than 100 bytes but splittable into ustar prefix and name: no PAX needed.
    let deep = root.join("deep-folder-".repeat(10));
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("nested.txt"), "nested\n").unwrap();
    fs::write(root.join("run.sh"), "#!/bin/sh\necho hi\n").unwrap();
    set_mode(&root.join("run.sh"), 0o755);
}

pub fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

/// One raw tar entry for hostile archives.
pub struct Raw {
    pub path: Vec<u8>,
    pub flag: u8,
    pub data: Vec<u8>,
    /// PAX records to put in an `x` header before it.
    pub pax: Vec<u8>,
    /// Header size field, when it should differ from data.len().
    pub size: Option<u64>,
    pub mode: u32,
    pub gnu_magic: bool,
    pub bad_checksum: bool,
    pub padding_byte: u8,
}

impl Raw {
    pub fn file(path: &str, data: &[u8]) -> Raw {
        Raw::typed(path.as_bytes(), b'0', data)
    }
    pub fn typed(path: &[u8], flag: u8, data: &[u8]) -> Raw {
        Raw {
            path: path.to_vec(),
            flag,
            data: data.to_vec(),
            pax: Vec::new(),
            size: None,
            mode: 0o644,
            gnu_magic: false,
            bad_checksum: false,
            padding_byte: 0,
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if !self.pax.is_empty() {
            out.extend(header(
                b"././@PaxHeader",
                b'x',
                self.pax.len() as u64,
                0o644,
                false,
                false,
            ));
            out.extend(&self.pax);
            out.resize(out.len() + padding(self.pax.len() as u64), 0);
        }
        let size = self.size.unwrap_or(self.data.len() as u64);
        out.extend(header(
            &self.path,
            self.flag,
            size,
            self.mode,
            self.gnu_magic,
            self.bad_checksum,
        ));
        out.extend(&self.data);
        out.resize(
            out.len() + padding(self.data.len() as u64),
            self.padding_byte,
        );
        out
    }
}

/// A ustar header written field by field, so any path or type can be forged.
fn header(path: &[u8], flag: u8, size: u64, mode: u32, gnu: bool, bad_cksum: bool) -> Vec<u8> {
    let mut h = if gnu {
        tar::Header::new_gnu()
    } else {
        tar::Header::new_ustar()
    };
    h.set_size(size);
    h.set_mode(mode);
    h.set_mtime(1);
    h.set_uid(0);
    h.set_gid(0);
    h.as_old_mut().linkflag = [flag];
    let n = path.len().min(100);
    h.as_old_mut().name[..n].copy_from_slice(&path[..n]);
    if flag == b'1' || flag == b'2' {
        h.as_old_mut().linkname[..11].copy_from_slice(b"/etc/passwd");
    }
    h.set_cksum();
    let mut bytes = h.as_bytes().to_vec();
    if bad_cksum {
        bytes[0] ^= 0x20;
    }
    bytes
}

/// A bundle whose head is a signed manifest of `expected`, followed by `entries`, the end blocks
/// and `trailing` tar bytes; compressed in one frame.
pub fn hostile_bundle(expected: &[ExpectedFile], entries: &[Raw], trailing: &[u8]) -> Vec<u8> {
    let tar = hostile_tar(expected, entries, trailing);
    zstd::encode_all(&tar[..], 3).unwrap()
}

pub fn hostile_tar(expected: &[ExpectedFile], entries: &[Raw], trailing: &[u8]) -> Vec<u8> {
    let manifest = manifest_of(expected);
    let sig = sign_manifest(&manifest, &demo_signing_key());
    let mut tar = Vec::new();
    for (path, data) in [
        (".openseal/manifest.json", &manifest),
        (".openseal/manifest.sig", &sig),
    ] {
        tar.extend(file_header_blocks(path, data.len() as u64, false, 1));
        tar.extend(data.iter());
        tar.resize(tar.len() + padding(data.len() as u64), 0);
    }
    for e in entries {
        tar.extend(e.bytes());
    }
    tar.extend([0u8; 2 * BLOCK]);
    tar.extend(trailing);
    tar
}

/// An entry as a bundle would hold it (the reproducible header).
pub fn good_entry(path: &str, data: &[u8]) -> Vec<u8> {
    let mut out = file_header_blocks(path, data.len() as u64, false, 1);
    out.extend(data);
    out.resize(out.len() + padding(data.len() as u64), 0);
    out
}

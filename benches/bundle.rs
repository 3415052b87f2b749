//! Bundle throughput against the standard tools, measured in the same run:
//! hashing vs `sha256sum`, packing vs `tar -c | zstd -3 -T0`, verifying vs `zstd -dc | tar -t`.
//! Prints a Markdown table with the peak resident memory of each openseal step.
//!
//! `cargo bench --bench bundle` (size in MiB: `OPENSEAL_BENCH_MIB`, default 1024). The release is
//! incompressible (like weights): four large files plus 200 small ones.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use openseal::bundle::{BundleReader, Discard, unpack_into};
use openseal::progress::NoProgress;
use openseal::release::ExpectedFile;
use openseal::signature::{demo_signing_key, sign_manifest};
use openseal::source::{collect_files, hash_sources};
use openseal::write::{BundleWriter, WriteOptions};

fn make_release(root: &Path, mib: usize) {
    fs::create_dir_all(root.join("small")).unwrap();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut chunk = vec![0u8; 1 << 20];
    for i in 0..4 {
        let mut f = fs::File::create(root.join(format!("model-{i}.safetensors"))).unwrap();
        for _ in 0..mib / 4 {
            for w in chunk.chunks_exact_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                w.copy_from_slice(&state.to_le_bytes());
            }
            f.write_all(&chunk).unwrap();
        }
    }
    for i in 0..200 {
        fs::write(
            root.join(format!("small/f{i:03}.json")),
            format!("{{\"i\":{i}}}\n").repeat(50),
        )
        .unwrap();
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed().as_secs_f64())
}

/// Peak resident memory since the last reset, in MiB (Linux: VmHWM, reset via clear_refs).
fn peak_mib() -> f64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn reset_peak() {
    let _ = fs::write("/proc/self/clear_refs", "5");
}

fn shell(cmd: &str) -> f64 {
    let (status, secs) = time(|| Command::new("sh").arg("-c").arg(cmd).status().unwrap());
    assert!(status.success(), "{cmd}");
    secs
}

fn main() {
    let mib: usize = std::env::var("OPENSEAL_BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("release");
    make_release(&root, mib);
    let gib = |secs: f64| mib as f64 / 1024.0 / secs;

    reset_peak();
    let (files, t_hash) = time(|| hash_sources(collect_files(&root).unwrap(), 0).unwrap());
    let m_hash = peak_mib();
    let t_sha = shell(&format!(
        "cd {} && find . -type f -print0 | xargs -0 -P0 -n1 sha256sum > /dev/null",
        root.display()
    ));

    let expected: Vec<ExpectedFile> = files.iter().map(|f| f.expected()).collect();
    let manifest = serde_json::to_vec(
        &expected
            .iter()
            .map(|e| (&e.path, e.size, e.sha256.to_hex()))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let sig = sign_manifest(&manifest, &demo_signing_key());
    let out = dir.path().join("r.tar.zst");
    reset_peak();
    let (_, t_pack) = time(|| {
        let mut w = BundleWriter::create(&out, &WriteOptions::default(), &manifest, &sig).unwrap();
        for f in &files {
            w.append_file(f).unwrap();
        }
        w.finish().unwrap()
    });
    let m_pack = peak_mib();
    let peer = dir.path().join("peer.tar.zst");
    let t_tar = shell(&format!(
        "tar -C {} -cf - . | zstd -q -3 -T0 -o {}",
        root.display(),
        peer.display()
    ));

    reset_peak();
    let (_, t_verify) = time(|| {
        let (head, entries) = BundleReader::open(&out).unwrap().read_head().unwrap();
        assert!(!head.manifest.is_empty());
        entries.verify(&expected, &mut Discard).unwrap()
    });
    let m_verify = peak_mib();
    let t_untar = shell(&format!(
        "zstd -q -dc {} | tar -tf - > /dev/null",
        peer.display()
    ));
    let target = dir.path().join("unpacked");
    reset_peak();
    let (_, t_unpack) = time(|| {
        let (_, entries) = BundleReader::open(&out).unwrap().read_head().unwrap();
        unpack_into(
            entries,
            &target,
            &expected,
            &|_| true,
            &|_| Ok(()),
            &NoProgress,
        )
        .unwrap()
    });
    let m_unpack = peak_mib();
    let x = dir.path().join("x");
    fs::create_dir(&x).unwrap();
    let t_tarx = shell(&format!(
        "zstd -q -dc {} | tar -C {} -xf -",
        peer.display(),
        x.display()
    ));

    println!(
        "{mib} MiB incompressible, {} cores, zstd {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        openseal::write::zstd_version()
    );
    println!("| step | openseal | peak RSS | peer | peer tool | time ratio openseal/peer |");
    println!("|---|---|---|---|---|---|");
    for (step, ours, mem, theirs, tool) in [
        ("hash", t_hash, m_hash, t_sha, "sha256sum (xargs -P0)"),
        ("pack", t_pack, m_pack, t_tar, "tar -c | zstd -3 -T0"),
        ("verify", t_verify, m_verify, t_untar, "zstd -dc | tar -t"),
        ("unpack", t_unpack, m_unpack, t_tarx, "zstd -dc | tar -x"),
    ] {
        println!(
            "| {step} | {ours:.2} s ({:.2} GiB/s) | {mem:.0} MiB | {theirs:.2} s ({:.2} GiB/s) | {tool} | {:.2} |",
            gib(ours),
            gib(theirs),
            ours / theirs
        );
    }
}

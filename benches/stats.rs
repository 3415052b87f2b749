//! Throughput of reading tensor data: `inspect --stats` (candle on the CPU) and the weights
//! fingerprint (SHA-256), over a generated bf16 safetensors file. Divan reports bytes/s.
//! `cargo bench --bench stats`; the whole-process comparison with numpy is
//! `benches/compare_stats.sh`.

use divan::counter::BytesCount;
use openseal::progress::NoProgress;
use openseal::stats::{StatsOptions, file_stats};
use openseal::weights::{ReadOptions, WeightsFile, open};
use std::path::PathBuf;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

const ELEMENTS: usize = 32 << 20; // 64 MiB of bf16

/// A safetensors file with one bf16 tensor of pseudo-random values, written once per run.
fn sample() -> &'static (tempfile::TempDir, PathBuf) {
    static FILE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.safetensors");
        let header = format!(
            r#"{{"w":{{"dtype":"BF16","shape":[{},1024],"data_offsets":[0,{}]}}}}"#,
            ELEMENTS / 1024,
            ELEMENTS * 2
        );
        let mut out = (header.len() as u64).to_le_bytes().to_vec();
        out.extend(header.as_bytes());
        let mut x: u64 = 1;
        for _ in 0..ELEMENTS {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = ((x >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.1;
            out.extend(half::bf16::from_f32(v).to_le_bytes());
        }
        std::fs::write(&path, out).unwrap();
        (dir, path)
    })
}

fn file() -> WeightsFile {
    open(&sample().1, ReadOptions::default()).unwrap()
}

#[divan::bench(sample_count = 5)]
fn stats_cpu_bf16(b: divan::Bencher) {
    let f = file();
    b.counter(BytesCount::new(ELEMENTS * 2))
        .bench(|| file_stats(&f, &StatsOptions::default(), &NoProgress).unwrap());
}

#[divan::bench(sample_count = 5)]
fn fingerprint_bf16(b: divan::Bencher) {
    let f = [file()];
    b.counter(BytesCount::new(ELEMENTS * 2))
        .bench(|| openseal::fingerprint::of_files(&f).unwrap());
}

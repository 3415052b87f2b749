//! Header-parsing cost against header size, with inputs generated in code.
//! `cargo bench --bench inspect`; whole-process comparisons with the Python peers are in
//! `benches/compare_inspect.sh`.

use openseal::weights::{ReadOptions, read_bytes};

fn main() {
    divan::main();
}

/// A safetensors file with `n` BF16 tensors of 8 elements and Llama-like names.
fn safetensors_with(n: usize) -> Vec<u8> {
    let mut header = String::from("{\"__metadata__\":{\"format\":\"pt\"}");
    for i in 0..n {
        let (begin, end) = (i * 16, i * 16 + 16);
        header.push_str(&format!(
            ",\"model.layers.{}.mlp.experts.{}.down_proj.weight\":{{\"dtype\":\"BF16\",\"shape\":[2,4],\"data_offsets\":[{begin},{end}]}}",
            i / 64,
            i % 64
        ));
    }
    header.push('}');
    while !header.len().is_multiple_of(8) {
        header.push(' ');
    }
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.resize(out.len() + n * 16, 0);
    out
}

/// A vocab-only GGUF v3 with `n` tokens (strings, scores, types), like a tokenizer GGUF.
fn gguf_with_vocab(n: usize) -> Vec<u8> {
    fn s(out: &mut Vec<u8>, v: &str) {
        out.extend_from_slice(&(v.len() as u64).to_le_bytes());
        out.extend_from_slice(v.as_bytes());
    }
    let mut out = b"GGUF".to_vec();
    out.extend_from_slice(&3u32.to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes());
    out.extend_from_slice(&4u64.to_le_bytes());
    s(&mut out, "general.architecture");
    out.extend_from_slice(&8u32.to_le_bytes());
    s(&mut out, "llama");
    s(&mut out, "tokenizer.ggml.tokens");
    out.extend_from_slice(&9u32.to_le_bytes());
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(n as u64).to_le_bytes());
    for i in 0..n {
        s(&mut out, &format!("tok{i}"));
    }
    s(&mut out, "tokenizer.ggml.scores");
    out.extend_from_slice(&9u32.to_le_bytes());
    out.extend_from_slice(&6u32.to_le_bytes());
    out.extend_from_slice(&(n as u64).to_le_bytes());
    out.resize(out.len() + 4 * n, 0);
    s(&mut out, "tokenizer.ggml.token_type");
    out.extend_from_slice(&9u32.to_le_bytes());
    out.extend_from_slice(&5u32.to_le_bytes());
    out.extend_from_slice(&(n as u64).to_le_bytes());
    for _ in 0..n {
        out.extend_from_slice(&1i32.to_le_bytes());
    }
    out
}

#[divan::bench(args = [10, 100, 1_000, 10_000, 100_000])]
fn safetensors_header(bencher: divan::Bencher, tensors: usize) {
    let file = safetensors_with(tensors);
    bencher
        .counter(divan::counter::BytesCount::new(file.len() - tensors * 16))
        .bench(|| read_bytes(divan::black_box(&file), None, ReadOptions::default()).unwrap());
}

#[divan::bench(args = [1_000, 32_000, 150_000, 262_144])]
fn gguf_vocab(bencher: divan::Bencher, tokens: usize) {
    let file = gguf_with_vocab(tokens);
    bencher
        .counter(divan::counter::BytesCount::new(file.len()))
        .bench(|| read_bytes(divan::black_box(&file), None, ReadOptions::default()).unwrap());
}

/// A protocol-2 pickle of a state dict with `n` tensors, laid out as `torch.save` writes it:
/// `OrderedDict` of `_rebuild_tensor_v2(PERSID(('storage', FloatStorage, key, 'cpu', numel)), ...)`.
fn state_dict_pickle(n: usize) -> Vec<u8> {
    fn unicode(out: &mut Vec<u8>, s: &str) {
        out.push(b'X');
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    fn int(out: &mut Vec<u8>, v: u32) {
        out.push(b'J');
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut p = vec![0x80, 2];
    p.extend_from_slice(b"ccollections\nOrderedDict\n)R");
    p.push(b'(');
    for i in 0..n {
        unicode(
            &mut p,
            &format!("model.layers.{}.mlp.w{}.weight", i / 8, i % 8),
        );
        p.extend_from_slice(b"ctorch._utils\n_rebuild_tensor_v2\n(");
        p.push(b'(');
        unicode(&mut p, "storage");
        p.extend_from_slice(b"ctorch\nFloatStorage\n");
        unicode(&mut p, &i.to_string());
        unicode(&mut p, "cpu");
        int(&mut p, 16384);
        p.extend_from_slice(b"tQ");
        int(&mut p, 0);
        p.push(b'(');
        int(&mut p, 64);
        int(&mut p, 256);
        p.extend_from_slice(b"t(");
        int(&mut p, 256);
        int(&mut p, 1);
        p.extend_from_slice(b"t\x89ccollections\nOrderedDict\n)RtR");
    }
    p.extend_from_slice(b"u.");
    p
}

#[divan::bench(args = [10, 1_000, 10_000, 100_000])]
fn pickle_scan(bencher: divan::Bencher, tensors: usize) {
    let pickle = state_dict_pickle(tensors);
    let scan = openseal::weights::pickle::scan(&pickle, "data.pkl");
    assert!(scan.error.is_none(), "{:?}", scan.error);
    bencher
        .counter(divan::counter::BytesCount::new(pickle.len()))
        .bench(|| openseal::weights::pickle::scan(divan::black_box(&pickle), "data.pkl"));
}

/// SHA-256 of a 64 MiB file through a memory map (the way pack and inspect read files).
#[divan::bench]
fn sha256_mmap(bencher: divan::Bencher) {
    use sha2::Digest;
    let dir = std::env::temp_dir().join(format!("openseal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("blob");
    let data: Vec<u8> = (0..64u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    std::fs::write(&path, &data).unwrap();
    let map = openseal::mmap::Mapped::open(&path).unwrap();
    bencher
        .counter(divan::counter::BytesCount::new(map.len()))
        .bench(|| sha2::Sha256::digest(divan::black_box(&map[..])));
    let _ = std::fs::remove_dir_all(&dir);
}

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

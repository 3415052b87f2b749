//! Real files written by other tools (testdata/real, see testdata/SOURCES.md), checked against
//! what their sources say they contain.

use openseal::inspect::{InspectOptions, inspect};
use openseal::weights::{self, Dtype, Format, ReadOptions, StDtype};
use std::path::{Path, PathBuf};

fn real(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/real")
        .join(rel)
}

fn open(rel: &str) -> weights::WeightsFile {
    weights::open(&real(rel), ReadOptions::default()).unwrap()
}

#[test]
fn silero_safetensors_has_15_f32_tensors_and_no_metadata() {
    let f = open("safetensors/silero_vad_16k.safetensors");
    assert_eq!(f.parsed.format, Format::Safetensors);
    assert_eq!(f.parsed.tensors.len(), 15);
    assert!(
        f.parsed
            .tensors
            .iter()
            .all(|t| t.dtype == Dtype::St(StDtype::F32))
    );
    assert!(f.parsed.metadata.is_empty());
    let first = &f.parsed.tensors[0];
    assert_eq!(
        (first.name.as_str(), first.shape.as_slice()),
        ("stft_conv.weight", &[258, 1, 256][..])
    );
}

#[test]
fn candle_voices_are_i64_and_u8_3d() {
    let f = open("safetensors/candle-csm-voices.safetensors");
    let got: Vec<(String, String, Vec<u64>)> = f
        .parsed
        .tensors
        .iter()
        .map(|t| (t.name.clone(), t.dtype.name(), t.shape.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("tokens".into(), "I64".into(), vec![1, 982, 33]),
            ("mask".into(), "U8".into(), vec![1, 982, 33]),
        ]
    );
    let codes = open("safetensors/candle-encodec-jfk-codes.safetensors");
    assert_eq!(codes.parsed.tensors.len(), 1);
    assert_eq!(codes.parsed.tensors[0].dtype, Dtype::St(StDtype::I64));
}

#[test]
fn dtypes_mixed_has_18_tensors_in_16_dtypes() {
    let f = open("generated/dtypes-mixed.safetensors");
    assert_eq!(f.parsed.tensors.len(), 18);
    let dtypes: std::collections::BTreeSet<String> =
        f.parsed.tensors.iter().map(|t| t.dtype.name()).collect();
    assert_eq!(dtypes.len(), 16);
    let scalar = f
        .parsed
        .tensors
        .iter()
        .find(|t| t.name == "scalar")
        .unwrap();
    assert!(scalar.shape.is_empty());
    let empty = f.parsed.tensors.iter().find(|t| t.name == "empty").unwrap();
    assert_eq!(
        (empty.shape.as_slice(), empty.nbytes),
        (&[0, 4][..], Some(0))
    );
    assert_eq!(f.parsed.metadata.len(), 2);
}

#[test]
fn gguf_vocab_only_llama() {
    let f = open("gguf/ggml-vocab-llama-spm.gguf");
    assert_eq!(f.parsed.format, Format::Gguf);
    assert!(f.parsed.tensors.is_empty());
    let i = inspect(
        &real("gguf/ggml-vocab-llama-spm.gguf"),
        InspectOptions::default(),
    )
    .unwrap();
    assert_eq!(i.architecture.family.unwrap().value, "llama");
    assert_eq!(i.architecture.vocab_size.unwrap().value, 32000);
}

#[test]
fn gguf_quantized_llama_tensors() {
    let f = open("generated/tiny-llama-q.gguf");
    assert_eq!(f.parsed.tensors.len(), 14);
    let emb = f
        .parsed
        .tensors
        .iter()
        .find(|t| t.name == "token_embd.weight")
        .unwrap();
    // Row-major: GGUF stores ne = [64, 32]; openseal reports [32, 64].
    assert_eq!(emb.shape, vec![32, 64]);
    let types: std::collections::BTreeSet<String> =
        f.parsed.tensors.iter().map(|t| t.dtype.name()).collect();
    let want: std::collections::BTreeSet<String> = ["F32", "F16", "Q8_0", "Q4_0", "Q5_1", "BF16"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(types, want);
    let v2 = open("generated/candle-v2-q4k.gguf");
    assert!(
        v2.parsed
            .container
            .iter()
            .any(|(k, v)| k == "version" && v.as_u64() == Some(2))
    );
}

/// The real all-MiniLM-L6-v2 header (from a 90 MB file) over a sparse file of the real size:
/// inspect reads only the header, so the data can be holes.
#[test]
fn minilm_header_over_a_sparse_file() {
    let dir = tempfile::tempdir().unwrap();
    let header = std::fs::read(real(
        "hf-config/all-MiniLM-L6-v2.model.safetensors.header.json",
    ))
    .unwrap();
    let mut header = header;
    while !header.len().is_multiple_of(8) {
        header.push(b' ');
    }
    let path = dir.path().join("model.safetensors");
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(&header);
    std::fs::write(&path, &bytes).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(bytes.len() as u64 + 90_856_960).unwrap();
    std::fs::copy(
        real("hf-config/all-MiniLM-L6-v2.config.json"),
        dir.path().join("config.json"),
    )
    .unwrap();
    std::fs::copy(
        real("hf-config/all-MiniLM-L6-v2.tokenizer_config.json"),
        dir.path().join("tokenizer_config.json"),
    )
    .unwrap();

    let i = inspect(dir.path(), InspectOptions::default()).unwrap();
    assert!(i.errors.is_empty(), "{:?}", i.errors);
    let f = &i.files[0];
    assert_eq!(f.tensor_count, 104);
    assert_eq!(i.parameters.by_dtype.get("I64"), Some(&512));
    let a = &i.architecture;
    assert_eq!(a.family.as_ref().unwrap().value, "bert");
    assert_eq!(a.layers.as_ref().unwrap().value, 6);
    assert_eq!(a.hidden_size.as_ref().unwrap().value, 384);
    assert_eq!(a.vocab_size.as_ref().unwrap().value, 30522);
    assert_eq!(
        i.tokenizer.as_ref().unwrap().class.as_ref().unwrap().value,
        "BertTokenizer"
    );
    // Without config.json, tensor names alone still say BERT with 6 layers.
    std::fs::remove_file(dir.path().join("config.json")).unwrap();
    let i = inspect(dir.path(), InspectOptions::default()).unwrap();
    assert_eq!(i.architecture.family.as_ref().unwrap().value, "bert");
    assert_eq!(
        i.architecture.layers.as_ref().unwrap().source,
        "tensor names"
    );
}

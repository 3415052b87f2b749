use super::writer::{Gguf, V, nbytes, s};
use super::*;
use crate::limits::{GGUF_ARRAY_PREVIEW, GGUF_MAX_ARRAY, GGUF_MAX_ARRAY_DEPTH};
use crate::weights::MetaValue;

const FULL: ReadOptions = ReadOptions { full_arrays: true };
const PREVIEW: ReadOptions = ReadOptions { full_arrays: false };

// ggml type ids used below.
const F32: u32 = 0;
const F16: u32 = 1;
const Q4_0: u32 = 2;
const Q8_0: u32 = 8;
const Q4_K: u32 = 12;

fn real(path: &str) -> Vec<u8> {
    let full = format!("{}/testdata/real/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn meta<'p>(p: &'p Parsed, key: &str) -> &'p MetaValue {
    &p.metadata
        .iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no key {key}"))
        .1
}

fn err(bytes: &[u8]) -> GgufError {
    parse(bytes, FULL).expect_err("should be rejected")
}

fn names(p: &Parsed) -> Vec<&str> {
    p.tensors.iter().map(|t| t.name.as_str()).collect()
}

/// A valid little file with a few tensors, for tests that break one thing.
fn small() -> Gguf {
    Gguf::new()
        .kv("general.architecture", s("llama"))
        .kv("general.name", s("tiny"))
        .tensor("a", &[64, 2], F32)
        .tensor("b", &[32, 3], Q8_0)
        .tensor("c", &[5], F16)
}

// ---------------------------------------------------------------- real files

#[test]
fn reads_llama_spm_vocab_with_token_preview() {
    let bytes = real("gguf/ggml-vocab-llama-spm.gguf");
    let (h, p) = parse_with_header(&bytes, PREVIEW).unwrap();
    assert_eq!(h.version, 3);
    assert!(!h.big_endian);
    assert_eq!((h.tensor_count, h.kv_count), (0, 22));
    // No tensors, so no padding: the data section starts at the end of the file.
    assert_eq!(h.data_offset, bytes.len() as u64);
    assert!(p.tensors.is_empty());
    assert_eq!(p.metadata.len(), 22);
    assert_eq!(p.metadata[0].0, "general.architecture");
    assert_eq!(meta(&p, "general.architecture").as_str(), Some("llama"));
    let tokens = meta(&p, "tokenizer.ggml.tokens");
    let MetaValue::Array {
        elem_type,
        len,
        items,
    } = tokens
    else {
        panic!("tokens is {tokens:?}")
    };
    assert_eq!((elem_type.as_str(), *len), ("STRING", 32000));
    assert_eq!(items.len(), GGUF_ARRAY_PREVIEW);
    assert_eq!(items[0], MetaValue::Str("<unk>".into()));
    assert!(tokens.is_summarised());
    assert_eq!(
        meta(&p, "tokenizer.ggml.add_bos_token"),
        &MetaValue::Bool(true)
    );
    assert_eq!(meta(&p, "llama.vocab_size").as_u64(), Some(32000));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn reads_llama_spm_vocab_with_full_arrays() {
    let p = parse(&real("gguf/ggml-vocab-llama-spm.gguf"), FULL).unwrap();
    for key in [
        "tokenizer.ggml.tokens",
        "tokenizer.ggml.scores",
        "tokenizer.ggml.token_type",
    ] {
        let MetaValue::Array { len, items, .. } = meta(&p, key) else {
            panic!()
        };
        assert_eq!((*len, items.len()), (32000, 32000), "{key}");
    }
    let MetaValue::Array { items, .. } = meta(&p, "tokenizer.ggml.tokens") else {
        panic!()
    };
    assert_eq!(items[2], MetaValue::Str("</s>".into()));
}

#[test]
fn reads_bert_bge_vocab() {
    let p = parse(&real("gguf/ggml-vocab-bert-bge.gguf"), PREVIEW).unwrap();
    assert_eq!(meta(&p, "general.architecture").as_str(), Some("bert"));
    assert_eq!(meta(&p, "bert.attention.causal"), &MetaValue::Bool(false));
    assert_eq!(p.metadata.len(), 20);
    let MetaValue::Array { len, .. } = meta(&p, "tokenizer.ggml.tokens") else {
        panic!()
    };
    assert_eq!(*len, 30522);
}

#[test]
fn reads_tiny_llama_with_mixed_types() {
    let bytes = real("generated/tiny-llama-q.gguf");
    let (h, p) = parse_with_header(&bytes, PREVIEW).unwrap();
    assert_eq!((h.version, h.tensor_count, h.kv_count), (3, 14, 20));
    assert_eq!(h.alignment, 32);
    assert_eq!(h.data_offset, 2368, "2352 bytes of header padded to 32");
    assert_eq!(p.metadata.len(), 20);
    assert_eq!(meta(&p, "tiny.some_u64"), &MetaValue::UInt(1 << 40));
    assert_eq!(meta(&p, "tiny.some_f64"), &MetaValue::Float(3.5));
    assert_eq!(meta(&p, "tiny.some_i8"), &MetaValue::Int(-3));
    assert_eq!(p.tensors.len(), 14);
    let t = &p.tensors[0];
    assert_eq!(t.name, "token_embd.weight");
    assert_eq!(t.dtype.name(), "F32");
    assert_eq!(t.shape, vec![32, 64], "row-major: ne reversed");
    assert_eq!(t.offset, Some(2368));
    assert_eq!(t.nbytes, Some(32 * 64 * 4));
    assert_eq!(t.strides, None);
    let dtypes: Vec<String> = p.tensors.iter().map(|t| t.dtype.name()).collect();
    assert_eq!(
        dtypes[..8],
        ["F32", "F32", "F32", "F16", "Q8_0", "Q4_0", "Q5_1", "BF16"]
    );
    assert_eq!(names(&p)[13], "blk.1.attn_bf16.weight");
    let last = &p.tensors[13];
    assert_eq!(last.shape, vec![64, 64]);
    assert_eq!(
        last.offset.unwrap() + last.nbytes.unwrap(),
        bytes.len() as u64
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn reads_alignment_64() {
    let (h, p) = parse_with_header(&real("generated/tiny-llama-align64.gguf"), PREVIEW).unwrap();
    assert_eq!(h.alignment, 64);
    assert_eq!(h.data_offset, 2048, "2013 bytes of header padded to 64");
    assert_eq!(p.tensors.len(), 8);
    assert!(p.tensors.iter().all(|t| t.offset.unwrap() % 64 == 0));
}

#[test]
fn reads_iq4_nl() {
    let p = parse(&real("generated/tiny-iq4nl.gguf"), PREVIEW).unwrap();
    let t = &p.tensors[0];
    assert_eq!(t.dtype.name(), "IQ4_NL");
    assert_eq!(t.shape, vec![4, 64]);
    assert_eq!(t.nbytes, Some(4 * 64 / 32 * 18));
}

#[test]
fn reads_candle_written_v2() {
    let (h, p) = parse_with_header(&real("generated/candle-v2-q4k.gguf"), PREVIEW).unwrap();
    assert_eq!(h.version, 2);
    assert_eq!(
        names(&p),
        [
            "blk.0.ffn_up.weight",
            "blk.0.ffn_down.weight",
            "token_embd.weight"
        ]
    );
    let dtypes: Vec<String> = p.tensors.iter().map(|t| t.dtype.name()).collect();
    assert_eq!(dtypes, ["Q4_K", "Q6_K", "F16"]);
    assert!(p.tensors.iter().all(|t| t.shape == [8, 256]));
    assert_eq!(meta(&p, "general.name").as_str(), Some("candle-written-v2"));
}

#[test]
fn looks_like_gguf_checks_the_magic() {
    assert!(looks_like_gguf(&real("generated/tiny-iq4nl.gguf")));
    assert!(looks_like_gguf(b"GGUF"));
    assert!(!looks_like_gguf(b"GGU"));
    assert!(!looks_like_gguf(b"PK\x03\x04"));
}

// ---------------------------------------------------------------- header

#[test]
fn rejects_wrong_magic() {
    let e = err(b"GGML\x03\0\0\0");
    assert!(matches!(e, GgufError::NotGguf { .. }), "{e}");
    assert!(e.to_string().contains("at byte 0"), "{e}");
}

#[test]
fn rejects_version_1() {
    let mut g = small();
    g.version = 1;
    let e = err(&g.build());
    assert_eq!(e, GgufError::UnsupportedVersion { version: 1 });
    assert!(e.to_string().contains("version 1"), "{e}");
}

#[test]
fn rejects_version_4() {
    let mut g = small();
    g.version = 4;
    assert_eq!(
        err(&g.build()),
        GgufError::UnsupportedVersion { version: 4 }
    );
}

#[test]
fn container_lists_the_header_facts() {
    let mut g = small();
    g.big = true;
    let (h, p) = parse_with_header(&g.build(), FULL).unwrap();
    let keys: Vec<&str> = p.container.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "version",
            "byte_order",
            "alignment",
            "data_offset",
            "kv_count"
        ]
    );
    assert_eq!(p.container[1].1, MetaValue::Str("big-endian".into()));
    assert_eq!(p.container[3].1, MetaValue::UInt(h.data_offset));
}

#[test]
fn reads_big_endian_v3() {
    let g = small()
        .kv("x.flag", V::Bool(true))
        .kv("x.i16", V::I16(-2))
        .kv("x.f64", V::F64(0.25))
        .kv("x.list", V::Arr(4, vec![V::U32(7), V::U32(8)]));
    let mut be = g.clone();
    be.big = true;
    let (h, p) = parse_with_header(&be.build(), FULL).unwrap();
    let (lh, lp) = parse_with_header(&g.build(), FULL).unwrap();
    assert!(h.big_endian && !lh.big_endian);
    assert_eq!(h.version, 3);
    assert_eq!(h.data_offset, lh.data_offset);
    assert_eq!(p.metadata, lp.metadata);
    assert_eq!(p.tensors, lp.tensors);
    assert_eq!(meta(&p, "x.i16"), &MetaValue::Int(-2));
    assert!(
        p.warnings.iter().any(|w| w.contains("big-endian")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn rejects_truncated_header_at_every_length() {
    let bytes = small().kv("x.arr", V::Arr(8, vec![s("p"), s("q")])).build();
    // The last tensor (c, 10 bytes) may lack its 22 bytes of trailing padding.
    let shortest_ok = bytes.len() - 22;
    for len in shortest_ok..=bytes.len() {
        assert!(parse(&bytes[..len], FULL).is_ok(), "len {len}");
    }
    for len in 0..shortest_ok {
        let e = parse(&bytes[..len], FULL).expect_err("prefix must fail");
        // Every failure is a short read, a length past the end, or missing tensor data.
        assert!(
            matches!(
                e,
                GgufError::Truncated { .. }
                    | GgufError::StringPastEnd { .. }
                    | GgufError::CountPastEnd { .. }
                    | GgufError::NotGguf { .. }
                    | GgufError::TruncatedData { .. }
            ),
            "len {len}: {e}"
        );
    }
}

#[test]
fn truncated_header_names_what_was_read() {
    let bytes = Gguf::new().kv("k", V::U64(1)).build();
    let e = err(&bytes[..bytes.len() - 3]);
    let msg = e.to_string();
    assert!(msg.starts_with("truncated header: at byte"), "{msg}");
    assert!(msg.contains("key 'k' U64 value"), "{msg}");
}

#[test]
fn rejects_huge_kv_count_without_allocating() {
    let mut g = small();
    g.kv_count = Some(u64::MAX);
    assert!(matches!(
        err(&g.build()),
        GgufError::CountOverCap { offset: 16, .. }
    ));
    g.kv_count = Some(900_000);
    let e = err(&g.build());
    assert!(
        matches!(e, GgufError::CountPastEnd { offset: 16, .. }),
        "{e}"
    );
}

#[test]
fn rejects_huge_tensor_count_without_allocating() {
    let mut g = small();
    g.tensor_count = Some(1 << 60);
    assert!(matches!(
        err(&g.build()),
        GgufError::CountOverCap { offset: 8, .. }
    ));
    g.tensor_count = Some(3_000_000);
    assert!(matches!(err(&g.build()), GgufError::CountPastEnd { .. }));
}

// ---------------------------------------------------------------- key/values

#[test]
fn rejects_duplicate_key() {
    let g = small().kv("general.name", s("again"));
    let e = err(&g.build());
    assert!(
        matches!(&e, GgufError::DuplicateKey { key, .. } if key == "general.name"),
        "{e}"
    );
}

#[test]
fn rejects_string_longer_than_file() {
    let mut payload = (1u64 << 32).to_le_bytes().to_vec();
    payload.extend_from_slice(b"abc");
    let g = Gguf::new().kv("general.name", V::Raw(8, payload));
    let e = err(&g.build());
    assert_eq!(
        e.to_string(),
        "at byte 48: key 'general.name' string value: string length 4294967296 exceeds the 3 remaining bytes"
    );
}

#[test]
fn rejects_key_longer_than_file() {
    let mut bytes = Gguf::new().kv("k", V::U8(1)).build();
    bytes[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
    let e = err(&bytes);
    assert!(
        matches!(e, GgufError::StringPastEnd { offset: 24, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("key #0"), "{e}");
}

#[test]
fn rejects_huge_array_count_without_allocating() {
    let mut payload = 0u32.to_le_bytes().to_vec(); // U8 elements
    payload.extend_from_slice(&(1u64 << 40).to_le_bytes());
    let e = err(&Gguf::new().kv("a", V::Raw(9, payload)).build());
    assert!(
        matches!(e, GgufError::CountOverCap { cap, .. } if cap == GGUF_MAX_ARRAY),
        "{e}"
    );

    // Under the cap, but more than the file can hold.
    let mut payload = 10u32.to_le_bytes().to_vec(); // U64 elements
    payload.extend_from_slice(&(1u64 << 29).to_le_bytes());
    let e = err(&Gguf::new().kv("a", V::Raw(9, payload)).build());
    assert!(matches!(e, GgufError::CountPastEnd { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("key 'a': U64 array length: 536870912 items"),
        "{e}"
    );
}

#[test]
fn rejects_bool_not_0_or_1() {
    let e = err(&Gguf::new().kv("flag", V::Raw(7, vec![2])).build());
    assert_eq!(
        e,
        GgufError::BadBool {
            offset: 40,
            key: "flag".into(),
            value: 2
        }
    );
}

#[test]
fn rejects_bool_not_0_or_1_in_skipped_array_elements() {
    let mut items = vec![V::Bool(true); 20];
    items.push(V::Raw(7, vec![9]));
    let e = parse(&Gguf::new().kv("flags", V::Arr(7, items)).build(), PREVIEW).unwrap_err();
    assert!(matches!(e, GgufError::BadBool { value: 9, .. }), "{e}");
}

#[test]
fn rejects_unknown_value_type() {
    let e = err(&Gguf::new().kv("k", V::Raw(13, vec![0; 8])).build());
    assert_eq!(
        e,
        GgufError::UnknownValueType {
            offset: 33,
            key: "k".into(),
            type_id: 13
        }
    );
}

#[test]
fn rejects_unknown_array_element_type() {
    let mut payload = 99u32.to_le_bytes().to_vec();
    payload.extend_from_slice(&1u64.to_le_bytes());
    let e = err(&Gguf::new().kv("k", V::Raw(9, payload)).build());
    assert!(
        matches!(e, GgufError::UnknownValueType { type_id: 99, .. }),
        "{e}"
    );
}

#[test]
fn nested_arrays_are_read() {
    let inner = |v: &[i32]| V::Arr(5, v.iter().map(|&x| V::I32(x)).collect());
    let nested = V::Arr(9, vec![inner(&[1, 2]), inner(&[]), V::Arr(8, vec![s("x")])]);
    let p = parse(&Gguf::new().kv("n", nested.clone()).build(), FULL).unwrap();
    assert_eq!(meta(&p, "n"), &nested.expected());
    let MetaValue::Array {
        elem_type, items, ..
    } = meta(&p, "n")
    else {
        panic!()
    };
    assert_eq!(elem_type, "ARRAY");
    assert_eq!(
        items[2],
        MetaValue::Array {
            elem_type: "STRING".into(),
            len: 1,
            items: vec![MetaValue::Str("x".into())]
        }
    );
}

fn nest(depth: usize) -> V {
    (0..depth).fold(V::U8(1), |inner, _| V::Arr(inner.type_id(), vec![inner]))
}

#[test]
fn rejects_arrays_nested_too_deep() {
    assert!(
        parse(
            &Gguf::new().kv("n", nest(GGUF_MAX_ARRAY_DEPTH)).build(),
            FULL
        )
        .is_ok()
    );
    let e = err(&Gguf::new().kv("n", nest(GGUF_MAX_ARRAY_DEPTH + 1)).build());
    assert!(matches!(e, GgufError::ArrayTooDeep { .. }), "{e}");
    // Also when the too-deep array is past the preview and only walked.
    let mut items = vec![nest(1); GGUF_ARRAY_PREVIEW];
    items.push(nest(GGUF_MAX_ARRAY_DEPTH));
    let e = parse(&Gguf::new().kv("n", V::Arr(9, items)).build(), PREVIEW).unwrap_err();
    assert!(matches!(e, GgufError::ArrayTooDeep { .. }), "{e}");
}

#[test]
fn array_preview_keeps_the_first_items_and_the_true_length() {
    let tokens: Vec<V> = (0..1000).map(|i| s(&format!("tok{i}"))).collect();
    let nested: Vec<V> = (0..20).map(|i| V::Arr(0, vec![V::U8(i); 3])).collect();
    let g = Gguf::new()
        .kv("tokens", V::Arr(8, tokens))
        .kv("nested", V::Arr(9, nested))
        .kv("after", V::U16(7));
    let p = parse(&g.build(), PREVIEW).unwrap();
    let MetaValue::Array { len, items, .. } = meta(&p, "tokens") else {
        panic!()
    };
    assert_eq!((*len, items.len()), (1000, GGUF_ARRAY_PREVIEW));
    assert_eq!(items[7], MetaValue::Str("tok7".into()));
    let MetaValue::Array { len, items, .. } = meta(&p, "nested") else {
        panic!()
    };
    assert_eq!((*len, items.len()), (20, GGUF_ARRAY_PREVIEW));
    assert_eq!(
        meta(&p, "after"),
        &MetaValue::UInt(7),
        "offsets stay right after skipping"
    );
}

#[test]
fn invalid_utf8_string_value_is_read_lossily_with_a_warning() {
    let mut payload = 2u64.to_le_bytes().to_vec();
    payload.extend_from_slice(&[0xff, b'a']);
    let p = parse(&Gguf::new().kv("k", V::Raw(8, payload)).build(), FULL).unwrap();
    assert_eq!(meta(&p, "k"), &MetaValue::Str("\u{fffd}a".into()));
    assert!(p.warnings[0].contains("key 'k'"), "{:?}", p.warnings);
}

#[test]
fn rejects_invalid_utf8_key() {
    let mut bytes = Gguf::new().kv("ab", V::U8(1)).build();
    bytes[32] = 0xff;
    let e = err(&bytes);
    assert!(
        matches!(e, GgufError::InvalidUtf8 { offset: 24, .. }),
        "{e}"
    );
}

// ---------------------------------------------------------------- alignment

#[test]
fn rejects_non_power_of_two_alignment() {
    let e = err(&small().kv("general.alignment", V::U32(24)).build());
    assert!(
        matches!(e, GgufError::BadAlignment { value: 24, .. }),
        "{e}"
    );
}

#[test]
fn rejects_zero_alignment() {
    let e = err(&small().kv("general.alignment", V::U32(0)).build());
    assert!(matches!(e, GgufError::BadAlignment { value: 0, .. }), "{e}");
}

#[test]
fn rejects_alignment_that_is_not_u32() {
    let e = err(&small().kv("general.alignment", V::U64(32)).build());
    assert!(
        matches!(e, GgufError::AlignmentType { found: "U64", .. }),
        "{e}"
    );
}

#[test]
fn alignment_pads_the_data_section() {
    let g = small().aligned(256);
    let (h, p) = parse_with_header(&g.build(), FULL).unwrap();
    assert_eq!(h.alignment, 256);
    assert_eq!(h.data_offset % 256, 0);
    assert_eq!(p.tensors[1].offset, Some(h.data_offset + 512));
}

#[test]
fn vocab_only_file_is_not_padded() {
    let bytes = Gguf::new().kv("a", s("b")).build();
    let (h, _) = parse_with_header(&bytes, FULL).unwrap();
    assert_eq!(h.data_offset, bytes.len() as u64);
    assert_ne!(h.data_offset % 32, 0);
}

// ---------------------------------------------------------------- tensor infos

#[test]
fn rejects_duplicate_tensor_name() {
    let e = err(&small().tensor("b", &[4], F32).build());
    assert!(
        matches!(&e, GgufError::DuplicateTensor { name, .. } if name == "b"),
        "{e}"
    );
}

#[test]
fn rejects_long_tensor_name() {
    let long = "x".repeat(64);
    let e = err(&small().tensor(&long, &[4], F32).build());
    assert!(matches!(e, GgufError::NameTooLong { len: 64, .. }), "{e}");
    assert!(parse(&small().tensor(&long[1..], &[4], F32).build(), FULL).is_ok());
}

#[test]
fn rejects_too_many_dims() {
    let e = err(&small().tensor("d", &[1, 1, 1, 1, 1], F32).build());
    assert!(matches!(e, GgufError::TooManyDims { n_dims: 5, .. }), "{e}");
}

#[test]
fn zero_dims_is_a_scalar() {
    let p = parse(&small().tensor("s", &[], F32).build(), FULL).unwrap();
    let t = &p.tensors[3];
    assert_eq!((t.shape.clone(), t.nbytes), (vec![], Some(4)));
}

#[test]
fn rejects_negative_dim() {
    let e = err(&small().tensor("d", &[1 << 63], F32).build());
    assert!(matches!(e, GgufError::NegativeDim { index: 0, .. }), "{e}");
}

#[test]
fn rejects_element_count_overflow() {
    let e = err(&small().tensor("d", &[1 << 32, 1 << 32], F32).build());
    assert!(matches!(e, GgufError::ElementCountOverflow { .. }), "{e}");
}

#[test]
fn rejects_byte_size_overflow() {
    let e = err(&small().tensor("d", &[1 << 62], F32).build());
    assert!(matches!(e, GgufError::SizeOverflow { .. }), "{e}");
}

#[test]
fn rejects_partial_block() {
    let e = err(&small().tensor("q", &[48, 2], Q4_0).build());
    assert!(
        matches!(&e, GgufError::PartialBlock { ne0: 48, block: 32, dtype, .. } if dtype == "Q4_0"),
        "{e}"
    );
}

#[test]
fn unknown_ggml_type_is_a_warning_not_an_error() {
    let g = small().tensor("u", &[7, 3], 4).tensor("after", &[4], F32);
    let p = parse(&g.build(), FULL).unwrap();
    let u = &p.tensors[3];
    assert_eq!((u.dtype.name(), u.nbytes), ("unknown(4)".to_string(), None));
    assert_eq!(u.shape, vec![3, 7]);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("tensor 'u' has unknown ggml type 4; its size cannot be checked")),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings.iter().any(|w| w.contains("not checked")),
        "{:?}",
        p.warnings
    );
}

// ---------------------------------------------------------------- extents

#[test]
fn rejects_misaligned_tensor_offset() {
    let mut g = small();
    g.tensors[1].offset = Some(512 + 8);
    let e = err(&g.build());
    assert!(
        matches!(&e, GgufError::MisalignedTensor { name, tensor_offset: 520, alignment: 32, .. } if name == "b"),
        "{e}"
    );
}

#[test]
fn rejects_gap_between_tensors() {
    let mut g = small();
    g.tensors[1].offset = Some(512 + 32);
    let e = err(&g.build());
    assert!(
        matches!(
            e,
            GgufError::UnexpectedTensorOffset {
                found: 544,
                expected: 512,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn rejects_overlapping_or_reordered_tensors() {
    let mut g = small();
    g.tensors[2].offset = Some(0);
    let e = err(&g.build());
    assert!(
        matches!(e, GgufError::UnexpectedTensorOffset { found: 0, .. }),
        "{e}"
    );
}

#[test]
fn rejects_truncated_tensor_data() {
    let bytes = small().build();
    let (h, _) = parse_with_header(&bytes, FULL).unwrap();
    let cut = &bytes[..bytes.len() - 40];
    let e = err(cut);
    let start = h.data_offset + 512 + 128;
    assert_eq!(
        e.to_string(),
        format!(
            "truncated: tensor 'c' needs bytes {start}..{} but the file has {} bytes",
            start + 10,
            cut.len()
        )
    );
}

#[test]
fn last_tensor_needs_no_trailing_padding() {
    let bytes = small().build();
    // Tensor c is 10 bytes, padded to 32; the padding may be missing, as llama.cpp's loader allows.
    assert!(parse(&bytes[..bytes.len() - 22], FULL).is_ok());
}

#[test]
fn no_tensor_data_at_all_is_truncated() {
    let mut g = small();
    g.data = false;
    assert!(matches!(err(&g.build()), GgufError::TruncatedData { .. }));
}

#[test]
fn nbytes_match_the_writer() {
    let g = small().tensor("k", &[512, 2], Q4_K);
    let p = parse(&g.build(), FULL).unwrap();
    for (t, w) in p.tensors.iter().zip(&g.tensors) {
        assert_eq!(t.nbytes, Some(nbytes(w.ggml, &w.ne)), "{}", t.name);
    }
}

// ---------------------------------------------------------------- fixture files

/// The binary fixtures under `testdata/gguf/`, named by outcome.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let mut misaligned = small();
    misaligned.tensors[1].offset = Some(520);
    let mut big = small().kv("x.flag", V::Bool(false));
    big.big = true;
    let mut v1 = small();
    v1.version = 1;
    let mut truncated = small().build();
    truncated.truncate(truncated.len() - 40);
    let mut huge_array = 0u32.to_le_bytes().to_vec();
    huge_array.extend_from_slice(&(1u64 << 40).to_le_bytes());
    let mut long_string = (1u64 << 32).to_le_bytes().to_vec();
    long_string.extend_from_slice(b"abc");
    vec![
        ("ok-small.gguf", small().build()),
        ("ok-big-endian.gguf", big.build()),
        (
            "ok-unknown-ggml-type.gguf",
            small().tensor("u", &[7], 4).build(),
        ),
        (
            "ok-nested-arrays.gguf",
            Gguf::new().kv("n", nest(3)).build(),
        ),
        ("ok-alignment-64.gguf", small().aligned(64).build()),
        (
            "err-duplicate-key.gguf",
            small().kv("general.name", s("x")).build(),
        ),
        (
            "err-duplicate-tensor.gguf",
            small().tensor("a", &[4], F32).build(),
        ),
        ("err-unsupported-version-1.gguf", v1.build()),
        (
            "err-bad-bool-2.gguf",
            Gguf::new().kv("f", V::Raw(7, vec![2])).build(),
        ),
        (
            "err-count-over-cap-huge-array.gguf",
            Gguf::new().kv("a", V::Raw(9, huge_array)).build(),
        ),
        (
            "err-string-past-end.gguf",
            Gguf::new().kv("a", V::Raw(8, long_string)).build(),
        ),
        ("err-misaligned-tensor.gguf", misaligned.build()),
        ("err-truncated-data.gguf", truncated),
        (
            "err-bad-alignment-24.gguf",
            small().kv("general.alignment", V::U32(24)).build(),
        ),
        (
            "err-array-too-deep.gguf",
            Gguf::new().kv("n", nest(GGUF_MAX_ARRAY_DEPTH + 1)).build(),
        ),
        (
            "err-partial-block.gguf",
            small().tensor("q", &[48], Q4_0).build(),
        ),
    ]
}

fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/gguf")
}

/// Regenerate the fixtures: `cargo test --lib weights::gguf::tests::write_fixtures -- --ignored`.
#[test]
#[ignore]
fn write_fixtures() {
    std::fs::create_dir_all(fixture_dir()).unwrap();
    for (name, bytes) in fixtures() {
        std::fs::write(fixture_dir().join(name), bytes).unwrap();
    }
}

#[test]
fn fixture_files_match_the_writer() {
    for (name, bytes) in fixtures() {
        let on_disk =
            std::fs::read(fixture_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            on_disk == bytes,
            "{name} is stale; run the ignored write_fixtures test"
        );
    }
}

#[test]
fn every_fixture_file_parses_as_its_name_says() {
    let mut seen = 0;
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let result = parse(&std::fs::read(&path).unwrap(), PREVIEW);
        if name.starts_with("ok-") {
            assert!(result.is_ok(), "{name}: {:?}", result.err());
        } else if name.starts_with("err-") {
            assert!(result.is_err(), "{name} should fail");
        } else {
            continue;
        }
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} fixtures");
}

#[test]
fn walks_a_150k_token_array_in_preview_mode() {
    let tokens: Vec<V> = (0..150_000).map(|i| s(&format!("t{i}"))).collect();
    let bytes = Gguf::new()
        .kv("tokenizer.ggml.tokens", V::Arr(8, tokens))
        .kv("after", V::Bool(true))
        .build();
    let p = parse(&bytes, PREVIEW).unwrap();
    let MetaValue::Array { len, items, .. } = meta(&p, "tokenizer.ggml.tokens") else {
        panic!()
    };
    assert_eq!((*len, items.len()), (150_000, GGUF_ARRAY_PREVIEW));
    assert_eq!(meta(&p, "after"), &MetaValue::Bool(true));
}

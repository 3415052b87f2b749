//! Property tests: random valid GGUF files read back as written, and damaged files never panic.

use super::writer::{Gguf, V, nbytes};
use super::*;
use crate::limits::GGUF_ARRAY_PREVIEW;
use crate::weights::MetaValue;
use proptest::collection::{hash_set, vec};
use proptest::prelude::*;
use proptest::sample::select;

const ARRAY: u32 = 9;

fn not_nan_f32() -> impl Strategy<Value = f32> {
    any::<f32>().prop_filter("NaN never equals itself", |f| !f.is_nan())
}

fn not_nan_f64() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("NaN never equals itself", |f| !f.is_nan())
}

/// A value of one of the 12 scalar types (every type but ARRAY).
fn scalar(t: u32) -> BoxedStrategy<V> {
    match t {
        0 => any::<u8>().prop_map(V::U8).boxed(),
        1 => any::<i8>().prop_map(V::I8).boxed(),
        2 => any::<u16>().prop_map(V::U16).boxed(),
        3 => any::<i16>().prop_map(V::I16).boxed(),
        4 => any::<u32>().prop_map(V::U32).boxed(),
        5 => any::<i32>().prop_map(V::I32).boxed(),
        6 => not_nan_f32().prop_map(V::F32).boxed(),
        7 => any::<bool>().prop_map(V::Bool).boxed(),
        8 => "\\PC{0,12}".prop_map(V::Str).boxed(),
        10 => any::<u64>().prop_map(V::U64).boxed(),
        11 => any::<i64>().prop_map(V::I64).boxed(),
        12 => not_nan_f64().prop_map(V::F64).boxed(),
        _ => unreachable!("not a scalar type: {t}"),
    }
}

/// Value types allowed at this depth (arrays only while `depth` > 0).
fn types(depth: u32) -> Vec<u32> {
    (0..=12).filter(|&t| t != ARRAY || depth > 0).collect()
}

fn value_of(t: u32, depth: u32) -> BoxedStrategy<V> {
    if t == ARRAY { array(depth) } else { scalar(t) }
}

/// Any value; arrays nest up to `depth` levels.
fn value(depth: u32) -> BoxedStrategy<V> {
    select(types(depth))
        .prop_flat_map(move |t| value_of(t, depth))
        .boxed()
}

/// An array (sometimes longer than the preview), whose elements may be arrays themselves.
fn array(depth: u32) -> BoxedStrategy<V> {
    select(types(depth - 1))
        .prop_flat_map(move |elem| {
            vec(value_of(elem, depth - 1), 0..12).prop_map(move |items| V::Arr(elem, items))
        })
        .boxed()
}

fn known_ggml_types() -> Vec<u32> {
    (0..64).filter(|&id| GgmlType(id).is_known()).collect()
}

/// A tensor shape (`ne`, innermost first) of a known type: ne[0] fills whole blocks.
fn tensor_spec() -> impl Strategy<Value = (u32, Vec<u64>)> {
    (select(known_ggml_types()), 1usize..=4).prop_flat_map(|(ggml, n_dims)| {
        let (block, _) = GgmlType(ggml).block().unwrap();
        let ne0 = (0u64..3).prop_map(move |k| k * block);
        let rest = vec(0u64..4, n_dims - 1);
        (ne0, rest).prop_map(move |(ne0, rest)| {
            let mut ne = vec![ne0];
            ne.extend(rest);
            (ggml, ne)
        })
    })
}

fn gguf_file() -> impl Strategy<Value = Gguf> {
    let kvs = hash_set("[a-z_.]{1,16}", 0..8)
        .prop_flat_map(|keys| vec(value(2), keys.len()).prop_map(move |vals| (keys.clone(), vals)));
    let tensors = hash_set("[a-z0-9_.]{1,24}", 0..6).prop_flat_map(|names| {
        vec(tensor_spec(), names.len()).prop_map(move |specs| (names.clone(), specs))
    });
    let alignment = select(vec![None, Some(8u32), Some(16), Some(64), Some(128)]);
    (
        kvs,
        tensors,
        alignment,
        any::<bool>(),
        select(vec![2u32, 3]),
    )
        .prop_map(|((keys, vals), (names, specs), alignment, big, version)| {
            let mut g = Gguf::new();
            for (k, v) in keys.into_iter().zip(vals) {
                g = g.kv(&k, v);
            }
            for (name, (ggml, ne)) in names.into_iter().zip(specs) {
                g = g.tensor(&name, &ne, ggml);
            }
            if let Some(a) = alignment {
                g = g.aligned(a);
            }
            g.version = version;
            g.big = big && version == 3;
            g
        })
}

/// What a preview read keeps of a value.
fn previewed(v: MetaValue) -> MetaValue {
    match v {
        MetaValue::Array {
            elem_type,
            len,
            items,
        } => MetaValue::Array {
            elem_type,
            len,
            items: items
                .into_iter()
                .take(GGUF_ARRAY_PREVIEW)
                .map(previewed)
                .collect(),
        },
        other => other,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_valid_files_read_back_as_written(g in gguf_file()) {
        let bytes = g.build();
        let (h, p) = parse_with_header(&bytes, ReadOptions { full_arrays: true }).unwrap();
        let expected: Vec<(String, MetaValue)> =
            g.kvs.iter().map(|(k, v)| (k.clone(), v.expected())).collect();
        prop_assert_eq!(&p.metadata, &expected);
        prop_assert_eq!(h.version, g.version);
        prop_assert_eq!(h.big_endian, g.big);
        prop_assert_eq!(h.alignment, g.alignment);
        let (offsets, _) = g.layout();
        prop_assert_eq!(p.tensors.len(), g.tensors.len());
        for ((t, w), off) in p.tensors.iter().zip(&g.tensors).zip(offsets) {
            prop_assert_eq!(&t.name, &w.name);
            prop_assert_eq!(&t.dtype, &Dtype::Ggml(GgmlType(w.ggml)));
            let row_major: Vec<u64> = w.ne.iter().rev().copied().collect();
            prop_assert_eq!(&t.shape, &row_major);
            prop_assert_eq!(t.offset, Some(h.data_offset + off));
            prop_assert_eq!(t.nbytes, Some(nbytes(w.ggml, &w.ne)));
        }
        let preview = parse(&bytes, ReadOptions { full_arrays: false }).unwrap();
        let expected: Vec<(String, MetaValue)> =
            expected.into_iter().map(|(k, v)| (k, previewed(v))).collect();
        prop_assert_eq!(preview.metadata, expected);
    }

    #[test]
    fn damaged_files_never_panic(
        g in gguf_file(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = g.build();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let len = cut.index(bytes.len() + 1);
        if let Ok(p) = parse(&bytes[..len], ReadOptions { full_arrays: true }) {
            // Whatever is accepted describes data inside the file.
            for t in &p.tensors {
                if let (Some(off), Some(n)) = (t.offset, t.nbytes) {
                    prop_assert!(off.checked_add(n).is_some_and(|end| end <= len as u64) || p.warnings.iter().any(|w| w.contains("not checked")));
                }
            }
        }
    }
}

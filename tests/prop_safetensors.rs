//! Property: any file the reference `safetensors` writer produces is read back by openseal with
//! the same tensors (names, dtypes, row-major shapes, sizes) and metadata.

use openseal::weights::{Dtype, Format, MetaValue, ReadOptions, StDtype, read_bytes};
use proptest::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;

struct Blob {
    dtype: safetensors::Dtype,
    shape: Vec<usize>,
    data: Vec<u8>,
}

impl safetensors::View for &Blob {
    fn dtype(&self) -> safetensors::Dtype {
        self.dtype
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&self.data)
    }
    fn data_len(&self) -> usize {
        self.data.len()
    }
}

fn crate_dtype(d: StDtype) -> safetensors::Dtype {
    serde_json::from_str(&format!("\"{}\"", d.name())).unwrap()
}

/// (dtype, shape) pairs whose size is a whole number of bytes.
fn tensor() -> impl Strategy<Value = (StDtype, Vec<u64>)> {
    (
        proptest::sample::select(StDtype::ALL.to_vec()),
        proptest::collection::vec(0u64..6, 0..4),
    )
        .prop_filter("whole bytes", |(d, shape)| {
            Dtype::St(*d).byte_len(shape).is_some()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn reference_writer_round_trips(
        tensors in proptest::collection::btree_map("[a-z][a-z0-9_.]{0,20}", tensor(), 0..24),
        metadata in proptest::collection::hash_map("[a-z]{1,8}", "[ -~]{0,16}", 0..4),
    ) {
        let blobs: Vec<(String, Blob)> = tensors
            .iter()
            .map(|(name, (d, shape))| {
                let len = Dtype::St(*d).byte_len(shape).unwrap() as usize;
                (name.clone(), Blob {
                    dtype: crate_dtype(*d),
                    shape: shape.iter().map(|&x| x as usize).collect(),
                    data: (0..len).map(|i| i as u8).collect(),
                })
            })
            .collect();
        let meta: Option<HashMap<String, String>> = (!metadata.is_empty()).then(|| metadata.clone());
        let bytes = safetensors::serialize(blobs.iter().map(|(n, b)| (n.clone(), b)), meta).unwrap();

        let parsed = read_bytes(&bytes, None, ReadOptions::default()).unwrap();
        prop_assert_eq!(parsed.format, Format::Safetensors);
        prop_assert_eq!(parsed.tensors.len(), tensors.len());
        for t in &parsed.tensors {
            let (d, shape) = &tensors[&t.name];
            prop_assert_eq!(&t.dtype, &Dtype::St(*d));
            prop_assert_eq!(&t.shape, shape);
            prop_assert_eq!(t.nbytes, Dtype::St(*d).byte_len(shape));
            // Every tensor lies inside the file.
            prop_assert!(t.offset.unwrap() + t.nbytes.unwrap() <= bytes.len() as u64);
        }
        let got: HashMap<String, String> = parsed
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), match v { MetaValue::Str(s) => s.clone(), _ => panic!() }))
            .collect();
        prop_assert_eq!(got, metadata);
    }

    /// Cutting a valid file anywhere never panics and always gives an error.
    #[test]
    fn truncation_is_always_an_error(cut in 0usize..400) {
        let blob = Blob { dtype: safetensors::Dtype::F32, shape: vec![4, 4], data: vec![1; 64] };
        let bytes = safetensors::serialize([("w", &blob)], None).unwrap();
        let cut = cut.min(bytes.len() - 1);
        prop_assert!(read_bytes(&bytes[..cut], Some(Format::Safetensors), ReadOptions::default()).is_err());
    }
}

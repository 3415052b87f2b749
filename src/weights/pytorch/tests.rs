use super::*;
use crate::weights::dtype::{Dtype, StDtype};
use crate::weights::safety::Verdict;
use crate::weights::zip::{ZipKind, zip_kind};
use crate::weights::{Format, ReadOptions};

fn real(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/testdata/real/pytorch/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn test_pt() {
    let bytes = real("test.pt");
    assert_eq!(zip_kind(&bytes), Some(ZipKind::Pytorch));
    let p = parse_zip(&bytes, ReadOptions::default()).unwrap();
    assert_eq!(p.format, Format::PytorchZip);
    assert_eq!(p.tensors.len(), 1);
    let t = &p.tensors[0];
    assert_eq!(t.name, "test");
    assert_eq!(t.dtype, Dtype::St(StDtype::I64));
    assert_eq!(t.shape, vec![2, 4]);
    assert_eq!(t.strides, None);
    assert_eq!(t.nbytes, Some(64));
    assert_eq!(t.offset.unwrap() % 64, 0);
    assert_eq!(p.safety.verdict, Verdict::Safe, "{:?}", p.safety);
    assert!(
        p.container
            .iter()
            .any(|(k, v)| k == "prefix" && v.as_str() == Some("test/"))
    );
    assert!(
        p.container
            .iter()
            .any(|(k, v)| k == "byteorder" && v.as_str() == Some("little"))
    );
}

#[test]
fn nested_state_dict_is_named_by_path() {
    let p = parse_zip(&real("test_with_key.pt"), ReadOptions::default()).unwrap();
    assert_eq!(p.tensors.len(), 1);
    assert_eq!(p.tensors[0].name, "model_state_dict.test");
    assert_eq!(p.safety.verdict, Verdict::Safe);
}

#[test]
fn fortran_strides() {
    let p = parse_zip(&real("fortran_tensor_3d.pth"), ReadOptions::default()).unwrap();
    let t = &p.tensors[0];
    assert_eq!(t.name, "tensor_fortran");
    assert_eq!(t.dtype, Dtype::St(StDtype::I64));
    assert_eq!(t.shape, vec![2, 3, 4]);
    assert_eq!(t.strides, Some(vec![1, 2, 6]));
    assert_eq!(t.nbytes, Some(192));
}

#[test]
fn torchscript_silero() {
    let bytes = real("silero_vad.torchscript.jit");
    assert_eq!(zip_kind(&bytes), Some(ZipKind::Torchscript));
    let p = parse_zip(&bytes, ReadOptions::default()).unwrap();
    assert_eq!(p.format, Format::Torchscript);
    assert_eq!(
        p.safety.verdict,
        Verdict::Suspicious,
        "{:?}",
        p.safety.findings
    );
    assert!(p.safety.findings.iter().any(|f| f.contains("code/")));
    assert!(
        p.safety
            .globals
            .iter()
            .all(|g| g.verdict != Verdict::Dangerous)
    );
    // 32 storages under data/ (one tensor each) and one constant under constants/.
    assert_eq!(p.tensors.len(), 33);
    let names: Vec<&str> = p.tensors.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.iter().any(|n| n.ends_with("forward_basis_buffer")),
        "{names:?}"
    );
    for t in &p.tensors {
        assert_eq!(t.dtype, Dtype::St(StDtype::F32), "{}", t.name);
        assert!(t.offset.is_some(), "{}", t.name);
    }
}

use crate::weights::pickle::tests_support::check_outcomes;

fn parse_any(bytes: &[u8]) -> Result<crate::weights::Parsed, PytorchError> {
    if zip_kind(bytes).is_some() {
        parse_zip(bytes, ReadOptions::default())
    } else if is_legacy(bytes) {
        parse_legacy(bytes, ReadOptions::default())
    } else {
        parse_pickle(bytes, ReadOptions::default())
    }
}

#[test]
fn pytorch_fixtures_have_the_outcome_their_name_says() {
    check_outcomes("pytorch", |_, bytes| parse_any(bytes));
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/pytorch/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn legacy_storages_are_located() {
    let bytes = fixture("ok-legacy.pt");
    let p = parse_legacy(&bytes, ReadOptions::default()).unwrap();
    assert_eq!(p.format, Format::PytorchLegacy);
    let w = &p.tensors[0];
    assert_eq!((w.name.as_str(), &w.shape), ("w", &vec![2, 3]));
    assert_eq!(w.dtype, Dtype::St(StDtype::F32));
    // Pickles end at 458; storage "0" has an 8-byte count before its 24 bytes, then "1".
    assert_eq!(w.offset, Some(466));
    let b = &p.tensors[1];
    assert_eq!(b.dtype, Dtype::St(StDtype::I64));
    assert_eq!(b.offset, Some(466 + 24 + 8));
    assert_eq!(b.offset.unwrap() + b.nbytes.unwrap(), bytes.len() as u64);
}

#[test]
fn zip_errors_name_the_tensor() {
    let e = parse_zip(&fixture("err-missing-storage.pt"), ReadOptions::default()).unwrap_err();
    assert_eq!(
        e,
        PytorchError::MissingStorage {
            tensor: "b".into(),
            key: "1".into(),
            entry: "archive/data/1".into()
        }
    );
    let e = parse_zip(
        &fixture("err-tensor-outside-storage.pt"),
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, PytorchError::TensorOutsideStorage { tensor, needed: 24, available: 20, .. } if tensor == "w"),
        "{e}"
    );
    let e = parse_legacy(
        &fixture("err-legacy-truncated-storage.pt"),
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, PytorchError::LegacyStorage { key, .. } if key == "1"),
        "{e}"
    );
}

#[test]
fn v3_parameter_nested_and_deflated() {
    let p = parse_zip(
        &fixture("ok-zip-v3-parameter-nested.pt"),
        ReadOptions::default(),
    )
    .unwrap();
    let t = &p.tensors[0];
    assert_eq!(t.name, "state_dict.layer.weight");
    assert_eq!(t.dtype, Dtype::St(StDtype::Bf16));
    assert_eq!(t.shape, vec![2, 2]);
    assert_eq!(t.nbytes, Some(8));
    let p2 = parse_zip(
        &fixture("ok-zip-deflated-data-pkl.pt"),
        ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(p2.tensors.len(), 2);
}

#[test]
fn torchscript_fixture_and_dangerous_entries() {
    let p = parse_zip(
        &fixture("suspicious-torchscript-code.pt"),
        ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(p.format, Format::Torchscript);
    assert_eq!(p.tensors[0].name, "fc.weight");
    let p = parse_zip(
        &fixture("dangerous-zip-extra-pickle.pt"),
        ReadOptions::default(),
    )
    .unwrap();
    let g = p
        .safety
        .globals
        .iter()
        .find(|g| g.verdict == Verdict::Dangerous)
        .unwrap();
    assert_eq!(g.location, "archive/extra.pkl");
}

mod roundtrip {
    use super::super::tests_support::{CLASSES, build_zip, state_dict};
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn state_dict_round_trips(
            tensors in proptest::collection::vec(
                ("[a-z][a-z0-9_]{0,8}(\\.[a-z0-9_]{1,6}){0,3}", 0..CLASSES.len(), proptest::collection::vec(0u64..5, 0..4)),
                0..12),
            outer in proptest::option::of("[a-z_]{1,12}"),
        ) {
            // Names must be unique in a state dict.
            let mut seen = std::collections::HashSet::new();
            let tensors: Vec<_> = tensors.into_iter().filter(|t| seen.insert(t.0.clone())).collect();
            let storages: Vec<Vec<u8>> = tensors
                .iter()
                .enumerate()
                .map(|(i, (_, c, shape))| {
                    let n = shape.iter().product::<u64>() * CLASSES[*c].1.bits() / 8;
                    vec![i as u8; n as usize]
                })
                .collect();
            let bytes = build_zip(&state_dict(&tensors, outer.as_deref()), &storages);
            let p = parse_zip(&bytes, ReadOptions::default()).unwrap();
            prop_assert_eq!(p.safety.verdict, Verdict::Safe);
            prop_assert_eq!(p.tensors.len(), tensors.len());
            for (i, ((name, class, shape), t)) in tensors.iter().zip(&p.tensors).enumerate() {
                let full = match &outer { Some(o) => format!("{o}.{name}"), None => name.clone() };
                prop_assert_eq!(&t.name, &full);
                prop_assert_eq!(&t.dtype, &Dtype::St(CLASSES[*class].1));
                prop_assert_eq!(&t.shape, shape);
                prop_assert_eq!(&t.strides, &None);
                let nbytes = t.nbytes.unwrap();
                prop_assert_eq!(nbytes, storages[i].len() as u64);
                let off = t.offset.unwrap() as usize;
                prop_assert!(bytes[off..off + nbytes as usize].iter().all(|b| *b == i as u8));
            }
        }
    }
}

mod mutations {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn mutated_archives_never_panic(
            which in 0usize..4,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            cut in any::<prop::sample::Index>(),
        ) {
            let name = ["test.pt", "fortran_tensor_3d.pth", "test_with_key.pt", "silero_vad.torchscript.jit"][which];
            let mut bytes = real(name);
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            let _ = zip_kind(&bytes);
            let _ = parse_zip(&bytes, ReadOptions::default());
            let _ = parse_legacy(&bytes, ReadOptions::default());
            bytes.truncate(cut.index(bytes.len() + 1));
            let _ = parse_zip(&bytes, ReadOptions::default());
            let _ = crate::weights::numpy::parse_npz(&bytes, ReadOptions::default());
        }

        #[test]
        fn mutated_legacy_never_panics(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = fixture("ok-legacy.pt");
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            let _ = parse_legacy(&bytes, ReadOptions::default());
        }
    }
}

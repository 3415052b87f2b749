use super::*;
use crate::weights::dtype::{Dtype, StDtype};

fn real(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/real/numpy/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn test_npy() {
    let p = parse_npy(&real("test.npy"), ReadOptions::default()).unwrap();
    assert_eq!(p.format, Format::Npy);
    let t = &p.tensors[0];
    assert_eq!(t.name, "array");
    assert_eq!(t.dtype, Dtype::St(StDtype::I64));
    assert_eq!(t.shape, vec![10]);
    assert_eq!(t.offset, Some(128));
    assert_eq!(t.nbytes, Some(80));
    assert_eq!(p.safety.verdict, Verdict::Safe);
}

#[test]
fn python3_npy() {
    let p = parse_npy(&real("python3.npy"), ReadOptions::default()).unwrap();
    let t = &p.tensors[0];
    assert_eq!(t.dtype, Dtype::St(StDtype::F64));
    assert_eq!(t.shape, vec![2]);
    assert_eq!(t.offset, Some(80));
}

#[test]
fn test_npz() {
    let bytes = real("test.npz");
    assert_eq!(
        crate::weights::zip::zip_kind(&bytes),
        Some(crate::weights::zip::ZipKind::Npz)
    );
    let p = parse_npz(&bytes, ReadOptions::default()).unwrap();
    let names: Vec<&str> = p.tensors.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["x", "x_plus_one"]);
    for t in &p.tensors {
        assert_eq!(t.dtype, Dtype::St(StDtype::I64));
        assert_eq!(t.shape, vec![10]);
        assert_eq!(t.nbytes, Some(80));
        // The data of a stored entry sits right after its 128-byte .npy header.
        let off = t.offset.unwrap() as usize;
        assert_eq!(&bytes[off - 128..off - 122], b"\x93NUMPY");
    }
}

#[test]
fn object_arrays_are_scanned() {
    for (p, loc) in [
        (
            parse_npy(&real("py3-objarr.npy"), ReadOptions::default()).unwrap(),
            "array",
        ),
        (
            parse_npz(&real("py3-objarr.npz"), ReadOptions::default()).unwrap(),
            "x.npy",
        ),
    ] {
        let t = &p.tensors[0];
        assert_eq!(t.dtype.name(), "object");
        assert_eq!(t.shape, vec![4]);
        assert_eq!(t.nbytes, None);
        // builtins.range is neither allowed nor known to be dangerous.
        assert_eq!(p.safety.verdict, Verdict::Suspicious, "{:?}", p.safety);
        let range = p.safety.globals.iter().find(|g| g.name == "range").unwrap();
        assert_eq!(range.module, "builtins");
        assert_eq!(range.location, loc);
        assert!(
            p.safety
                .globals
                .iter()
                .any(|g| g.name == "_reconstruct" && g.verdict == Verdict::Safe)
        );
    }
}

use crate::weights::pickle::tests_support::check_outcomes;

fn parse_any(name: &str, bytes: &[u8]) -> Result<Parsed, NumpyError> {
    if name.ends_with(".npz") {
        parse_npz(bytes, ReadOptions::default())
    } else {
        parse_npy(bytes, ReadOptions::default())
    }
}

#[test]
fn numpy_fixtures_have_the_outcome_their_name_says() {
    check_outcomes("numpy", parse_any);
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/numpy/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn header_details() {
    let p = parse_npy(&fixture("ok-npy-fortran.npy"), ReadOptions::default()).unwrap();
    assert_eq!(p.tensors[0].strides, Some(vec![1, 2]));
    assert_eq!(p.tensors[0].shape, vec![2, 3]);
    let p = parse_npy(&fixture("ok-npy-big-endian.npy"), ReadOptions::default()).unwrap();
    assert_eq!(p.tensors[0].dtype, Dtype::St(StDtype::F64));
    assert!(p.warnings.iter().any(|w| w.contains("big-endian")));
    let p = parse_npy(&fixture("ok-npy-structured.npy"), ReadOptions::default()).unwrap();
    assert_eq!(
        p.tensors[0].dtype,
        Dtype::Other {
            name: "structured".into(),
            bits: Some(80)
        }
    );
    assert_eq!(p.tensors[0].nbytes, Some(20));
    let p = parse_npy(&fixture("ok-npy-v2-scalar.npy"), ReadOptions::default()).unwrap();
    assert_eq!(p.tensors[0].shape, Vec::<u64>::new());
    let p = parse_npz(&fixture("ok-npz-compressed.npz"), ReadOptions::default()).unwrap();
    let names: Vec<&str> = p.tensors.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a", "b/c"]);
    assert!(
        p.tensors
            .iter()
            .all(|t| t.offset.is_none() && t.nbytes == Some(12))
    );
    let p = parse_npz(&fixture("ok-npz-stored.npz"), ReadOptions::default()).unwrap();
    assert!(p.tensors[0].offset.is_some());
}

#[test]
fn errors_name_the_problem() {
    let e = parse_npy(
        &fixture("err-npy-header-too-long.npy"),
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(e, NumpyError::HeaderTooLong { len, .. } if len == 2 << 20),
        "{e}"
    );
    let e = parse_npy(&fixture("err-npy-bad-literal.npy"), ReadOptions::default()).unwrap_err();
    assert!(
        matches!(&e, NumpyError::BadHeader { offset, .. } if *offset > 10),
        "{e}"
    );
    let e = parse_npy(
        &fixture("err-npy-truncated-data.npy"),
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            NumpyError::DataTooShort {
                needed: 400,
                available: 8,
                ..
            }
        ),
        "{e}"
    );
    let e = parse_npy(
        &fixture("err-npy-header-past-end.npy"),
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, NumpyError::Truncated(_)), "{e}");
    let e = parse_npz(
        &fixture("err-npz-entry-bad-header.npz"),
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("bad.npy"), "{e}");
}

#[test]
fn object_array_pickle_is_judged() {
    let p = parse_npy(
        &fixture("dangerous-npy-object-os-system.npy"),
        ReadOptions::default(),
    )
    .unwrap();
    let g = &p.safety.globals[0];
    assert_eq!(
        (g.module.as_str(), g.name.as_str(), g.verdict),
        ("posix", "system", Verdict::Dangerous)
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn random_headers_never_panic(text in "\\{'descr': ('[<>|=]?[a-zA-Z?][0-9]{0,3}'|\\[\\('x', '<f4'\\)\\]|1), 'fortran_order': (True|False|1), 'shape': \\(([0-9]{1,4}, ){0,4}\\)\\}[ \\n]{0,3}", data in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut b = b"\x93NUMPY\x01\x00".to_vec();
            b.extend((text.len() as u16).to_le_bytes());
            b.extend(text.as_bytes());
            b.extend(data);
            let _ = parse_npy(&b, ReadOptions::default());
        }

        #[test]
        fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut b = b"\x93NUMPY".to_vec();
            b.extend(data);
            let _ = parse_npy(&b, ReadOptions::default());
            let _ = crate::weights::numpy::literal::parse(&String::from_utf8_lossy(&b));
        }
    }
}

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
        crate::weights::pytorch::zip_kind(&bytes),
        Some(crate::weights::pytorch::ZipKind::Npz)
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

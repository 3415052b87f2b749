use super::*;
use crate::weights::dtype::{Dtype, StDtype};
use crate::weights::safety::Verdict;
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
        p.metadata
            .iter()
            .any(|(k, v)| k == "pytorch.prefix" && v.as_str() == Some("test/"))
    );
    assert!(
        p.metadata
            .iter()
            .any(|(k, v)| k == "pytorch.byteorder" && v.as_str() == Some("little"))
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

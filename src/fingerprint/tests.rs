//! The fingerprint does not depend on layout: one file, shards, tensor order, safetensors or a
//! PyTorch zip, contiguous or strided storage.

use super::encoding::{ROOT_DOMAIN, TENSOR_DOMAIN};
use super::*;
use crate::weights::dtype::StDtype;
use crate::weights::pytorch::tests_support::{CLASSES, build_zip, state_dict};
use crate::weights::{self, ReadOptions};
use sha2::Digest as _;
use std::path::Path;

type Tensor = (&'static str, StDtype, Vec<u64>, Vec<u8>);

fn tensors() -> Vec<Tensor> {
    let f32s: Vec<u8> = (0..6)
        .flat_map(|i| (i as f32 * 0.5 - 1.0).to_le_bytes())
        .collect();
    let i64s: Vec<u8> = [-3i64, 0, 7, i64::MAX]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let bf16s: Vec<u8> = (0..6)
        .flat_map(|i| half::bf16::from_f32(i as f32).to_le_bytes())
        .collect();
    vec![
        ("model.a.weight", StDtype::F32, vec![2, 3], f32s),
        ("model.b.bias", StDtype::I64, vec![4], i64s),
        ("lm_head.weight", StDtype::Bf16, vec![3, 2], bf16s),
        ("mask", StDtype::U8, vec![5], vec![1, 0, 1, 1, 0]),
    ]
}

/// A safetensors file with the tensors in the order given.
pub fn write_safetensors(path: &Path, tensors: &[Tensor]) {
    let mut header = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    for (name, dtype, shape, bytes) in tensors {
        header.push(format!(
            r#""{name}":{{"dtype":"{}","shape":{shape:?},"data_offsets":[{},{}]}}"#,
            dtype.name(),
            data.len(),
            data.len() + bytes.len()
        ));
        data.extend(bytes);
    }
    let header = format!("{{{}}}", header.join(","));
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend(header.as_bytes());
    out.extend(data);
    std::fs::write(path, out).unwrap();
}

fn write_torch_zip(path: &Path, tensors: &[Tensor]) {
    let class = |d: StDtype| CLASSES.iter().position(|c| c.1 == d).unwrap();
    let entries: Vec<(String, usize, Vec<u64>)> = tensors
        .iter()
        .map(|(n, d, s, _)| (n.to_string(), class(*d), s.clone()))
        .collect();
    let storages: Vec<Vec<u8>> = tensors.iter().map(|t| t.3.clone()).collect();
    std::fs::write(path, build_zip(&state_dict(&entries, None), &storages)).unwrap();
}

fn open(path: &Path) -> WeightsFile {
    weights::open(path, ReadOptions::default()).unwrap()
}

#[test]
fn same_weights_same_fingerprint_whatever_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let all = tensors();

    write_safetensors(&d.join("one.safetensors"), &all);
    let one = of_files(&[open(&d.join("one.safetensors"))]).unwrap();

    let mut reversed = all.clone();
    reversed.reverse();
    write_safetensors(&d.join("rev.safetensors"), &reversed);
    let rev = of_files(&[open(&d.join("rev.safetensors"))]).unwrap();

    let shards = d.join("sharded");
    std::fs::create_dir(&shards).unwrap();
    write_safetensors(&shards.join("model-00001-of-00002.safetensors"), &all[..1]);
    write_safetensors(&shards.join("model-00002-of-00002.safetensors"), &all[1..]);
    let map: Vec<String> = all
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                r#""{}":"model-0000{}-of-00002.safetensors""#,
                t.0,
                1 + (i > 0) as u8
            )
        })
        .collect();
    let index = shards.join("model.safetensors.index.json");
    std::fs::write(
        &index,
        format!(r#"{{"metadata":{{}},"weight_map":{{{}}}}}"#, map.join(",")),
    )
    .unwrap();
    let sharded = weights::sharded::open_index(&index, ReadOptions::default()).unwrap();
    assert_eq!(sharded.shards.len(), 2);
    let two = of_files(&sharded.shards).unwrap();

    write_torch_zip(&d.join("model.pt"), &all);
    let zip = open(&d.join("model.pt"));
    assert_eq!(zip.parsed.format, crate::weights::Format::PytorchZip);
    let torch = of_files(&[zip]).unwrap();

    assert_eq!(one, rev);
    assert_eq!(one, two);
    assert_eq!(one, torch);
    assert_eq!(one.tensors.len(), 4);
    assert_eq!(one.tensors[0].name, "lm_head.weight", "sorted by name");

    // One changed element changes that tensor's digest and the root, and nothing else.
    let mut changed = all.clone();
    changed[3].3[4] = 9;
    write_safetensors(&d.join("changed.safetensors"), &changed);
    let other = of_files(&[open(&d.join("changed.safetensors"))]).unwrap();
    assert_ne!(one.root, other.root);
    let differing: Vec<&str> = one
        .tensors
        .iter()
        .zip(&other.tensors)
        .filter(|(a, b)| a.digest != b.digest)
        .map(|(a, _)| a.name.as_str())
        .collect();
    assert_eq!(differing, ["mask"]);
}

#[test]
fn strided_pytorch_tensor_hashes_in_row_major_order() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/real/pytorch/fortran_tensor_3d.pth");
    let file = open(&path);
    let t = &file.parsed.tensors[0];
    let strides = t.strides.clone().expect("a strided tensor");
    let raw = std::fs::read(&path).unwrap();
    let base = t.offset.unwrap() as usize;
    // Gather by hand: element (i, j, k) lives at i*s0 + j*s1 + k*s2.
    let mut row_major = Vec::new();
    for i in 0..t.shape[0] {
        for j in 0..t.shape[1] {
            for k in 0..t.shape[2] {
                let e = (i * strides[0] + j * strides[1] + k * strides[2]) as usize;
                row_major.extend_from_slice(&raw[base + e * 8..base + e * 8 + 8]);
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("c.safetensors");
    let name: &'static str = Box::leak(t.name.clone().into_boxed_str());
    write_safetensors(&st, &[(name, StDtype::I64, t.shape.clone(), row_major)]);
    assert_eq!(of_files(&[file]).unwrap(), of_files(&[open(&st)]).unwrap());
}

#[test]
fn duplicate_names_across_files_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let all = tensors();
    write_safetensors(&dir.path().join("a.safetensors"), &all[..2]);
    write_safetensors(&dir.path().join("b.safetensors"), &all[1..]);
    let files = [
        open(&dir.path().join("a.safetensors")),
        open(&dir.path().join("b.safetensors")),
    ];
    let e = of_files(&files).unwrap_err().to_string();
    assert!(e.contains("model.b.bias") && e.contains("two files"), "{e}");
}

#[test]
fn encoding_is_stable() {
    // Guards formats/fingerprint.md: an empty set of tensors, and one known tensor.
    let empty = of_files(&[]).unwrap();
    let mut h = sha2::Sha256::new();
    sha2::Digest::update(&mut h, ROOT_DOMAIN);
    sha2::Digest::update(&mut h, 0u64.to_le_bytes());
    let want: [u8; 32] = sha2::Digest::finalize(h).into();
    assert_eq!(empty.root, want);

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.safetensors");
    write_safetensors(&p, &[("x", StDtype::U8, vec![2], vec![7, 8])]);
    let fp = of_files(&[open(&p)]).unwrap();
    let mut msg = TENSOR_DOMAIN.to_vec();
    msg.extend(1u64.to_le_bytes());
    msg.extend(b"x");
    msg.extend(2u64.to_le_bytes());
    msg.extend(b"U8");
    msg.extend(1u64.to_le_bytes());
    msg.extend(2u64.to_le_bytes());
    msg.extend(2u64.to_le_bytes());
    msg.extend([7, 8]);
    let want: [u8; 32] = sha2::Sha256::digest(&msg).into();
    assert_eq!(fp.tensors[0].digest, want);
}

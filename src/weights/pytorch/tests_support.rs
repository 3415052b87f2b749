//! Builders of small `torch.save`-style zip archives for tests (here and in other modules).

use crate::weights::dtype::StDtype;
use std::io::Write;

pub const CLASSES: &[(&str, StDtype)] = &[
    ("FloatStorage", StDtype::F32),
    ("DoubleStorage", StDtype::F64),
    ("HalfStorage", StDtype::F16),
    ("BFloat16Storage", StDtype::Bf16),
    ("LongStorage", StDtype::I64),
    ("IntStorage", StDtype::I32),
    ("ShortStorage", StDtype::I16),
    ("CharStorage", StDtype::I8),
    ("ByteStorage", StDtype::U8),
    ("BoolStorage", StDtype::Bool),
    ("ComplexFloatStorage", StDtype::C64),
];

fn uni(s: &str) -> Vec<u8> {
    let mut v = vec![b'X'];
    v.extend((s.len() as u32).to_le_bytes());
    v.extend(s.as_bytes());
    v
}

fn int(n: u64) -> Vec<u8> {
    let mut v = vec![b'J'];
    v.extend((n as i32).to_le_bytes());
    v
}

fn glob(m: &str, n: &str) -> Vec<u8> {
    format!("c{m}\n{n}\n").into_bytes()
}

fn tuple(items: Vec<Vec<u8>>) -> Vec<u8> {
    let mut v = vec![b'('];
    v.extend(items.concat());
    v.push(b't');
    v
}

/// A torch-style state dict pickle: `{"<outer>.": OrderedDict(name -> tensor)}`.
pub fn state_dict(tensors: &[(String, usize, Vec<u64>)], outer: Option<&str>) -> Vec<u8> {
    let mut p = vec![0x80, 2];
    if let Some(o) = outer {
        p.push(b'}');
        p.extend(uni(o));
    }
    p.extend(glob("collections", "OrderedDict"));
    p.extend(b")R(");
    for (i, (name, class, shape)) in tensors.iter().enumerate() {
        let numel: u64 = shape.iter().product();
        p.extend(uni(name));
        p.extend(glob("torch._utils", "_rebuild_tensor_v2"));
        let stride: Vec<u64> = super::locate::contiguous_strides(shape);
        let pid = tuple(vec![
            uni("storage"),
            glob("torch", CLASSES[*class].0),
            uni(&i.to_string()),
            uni("cpu"),
            int(numel),
        ]);
        p.extend(tuple(vec![
            [pid, b"Q".to_vec()].concat(),
            int(0),
            tuple(shape.iter().map(|d| int(*d)).collect()),
            tuple(stride.iter().map(|d| int(*d)).collect()),
            b"\x89".to_vec(),
            [glob("collections", "OrderedDict"), b")R".to_vec()].concat(),
        ]));
        p.push(b'R');
    }
    p.push(b'u');
    if outer.is_some() {
        p.push(b's');
    }
    p.push(b'.');
    p
}

pub fn build_zip(pkl: &[u8], storages: &[Vec<u8>]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("model/data.pkl", opts).unwrap();
    z.write_all(pkl).unwrap();
    for (i, s) in storages.iter().enumerate() {
        z.start_file(format!("model/data/{i}"), opts).unwrap();
        z.write_all(s).unwrap();
    }
    z.start_file("model/version", opts).unwrap();
    z.write_all(b"3\n").unwrap();
    z.finish().unwrap().into_inner()
}

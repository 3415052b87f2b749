//! A small GGUF writer for tests: builds valid files (and, with its overrides, broken ones).

use crate::weights::{GgmlType, MetaValue};

/// A value to write, with its GGUF type.
#[derive(Debug, Clone)]
pub(super) enum V {
    U8(u8),
    I8(i8),
    U16(u16),
    I16(i16),
    U32(u32),
    I32(i32),
    F32(f32),
    Bool(bool),
    Str(String),
    /// An array: element type id and elements (all of that type).
    Arr(u32, Vec<V>),
    U64(u64),
    I64(i64),
    F64(f64),
    /// Any type id followed by any payload bytes, for broken files.
    Raw(u32, Vec<u8>),
}

pub(super) fn s(text: &str) -> V {
    V::Str(text.to_string())
}

impl V {
    pub(super) fn type_id(&self) -> u32 {
        match self {
            V::U8(_) => 0,
            V::I8(_) => 1,
            V::U16(_) => 2,
            V::I16(_) => 3,
            V::U32(_) => 4,
            V::I32(_) => 5,
            V::F32(_) => 6,
            V::Bool(_) => 7,
            V::Str(_) => 8,
            V::Arr(..) => 9,
            V::U64(_) => 10,
            V::I64(_) => 11,
            V::F64(_) => 12,
            V::Raw(t, _) => *t,
        }
    }

    fn write(&self, w: &mut Bytes) {
        match self {
            V::U8(v) => w.raw(&[*v]),
            V::I8(v) => w.raw(&v.to_le_bytes()),
            V::U16(v) => w.int(&v.to_le_bytes()),
            V::I16(v) => w.int(&v.to_le_bytes()),
            V::U32(v) => w.u32(*v),
            V::I32(v) => w.int(&v.to_le_bytes()),
            V::F32(v) => w.int(&v.to_le_bytes()),
            V::Bool(v) => w.raw(&[u8::from(*v)]),
            V::Str(v) => w.str(v),
            V::Arr(t, items) => {
                w.u32(*t);
                w.u64(items.len() as u64);
                for item in items {
                    item.write(w);
                }
            }
            V::U64(v) => w.u64(*v),
            V::I64(v) => w.int(&v.to_le_bytes()),
            V::F64(v) => w.int(&v.to_le_bytes()),
            V::Raw(_, payload) => w.raw(payload),
        }
    }

    /// What the reader should return for this value, with full arrays.
    pub(super) fn expected(&self) -> MetaValue {
        match self {
            V::U8(v) => MetaValue::UInt(u64::from(*v)),
            V::I8(v) => MetaValue::Int(i64::from(*v)),
            V::U16(v) => MetaValue::UInt(u64::from(*v)),
            V::I16(v) => MetaValue::Int(i64::from(*v)),
            V::U32(v) => MetaValue::UInt(u64::from(*v)),
            V::I32(v) => MetaValue::Int(i64::from(*v)),
            V::F32(v) => MetaValue::Float(f64::from(*v)),
            V::Bool(v) => MetaValue::Bool(*v),
            V::Str(v) => MetaValue::Str(v.clone()),
            V::Arr(t, items) => MetaValue::Array {
                elem_type: super::value_type_name(*t).unwrap().to_string(),
                len: items.len() as u64,
                items: items.iter().map(V::expected).collect(),
            },
            V::U64(v) => MetaValue::UInt(*v),
            V::I64(v) => MetaValue::Int(*v),
            V::F64(v) => MetaValue::Float(*v),
            V::Raw(..) => panic!("raw values have no expected reading"),
        }
    }
}

/// Bytes in the chosen byte order.
pub(super) struct Bytes {
    pub(super) buf: Vec<u8>,
    big: bool,
}

impl Bytes {
    fn raw(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// An integer given in little-endian bytes, written in the file's order.
    fn int(&mut self, le: &[u8]) {
        if self.big {
            self.buf.extend(le.iter().rev());
        } else {
            self.buf.extend_from_slice(le);
        }
    }

    fn u32(&mut self, v: u32) {
        self.int(&v.to_le_bytes());
    }

    fn u64(&mut self, v: u64) {
        self.int(&v.to_le_bytes());
    }

    fn str(&mut self, v: &str) {
        self.u64(v.len() as u64);
        self.raw(v.as_bytes());
    }
}

/// A tensor to describe: `ne` innermost first, as GGUF stores it.
#[derive(Debug, Clone)]
pub(super) struct T {
    pub(super) name: String,
    pub(super) ne: Vec<u64>,
    pub(super) ggml: u32,
    /// Data offset to write instead of the packed one.
    pub(super) offset: Option<u64>,
}

/// Bytes of a tensor of a known ggml type (0 for unknown types and sizes that overflow).
pub(super) fn nbytes(ggml: u32, ne: &[u64]) -> u64 {
    let numel = ne.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d));
    match (numel, GgmlType(ggml).block()) {
        (Some(numel), Some((elems, bytes))) => (numel / elems).checked_mul(bytes).unwrap_or(0),
        _ => 0,
    }
}

fn pad(n: u64, alignment: u64) -> u64 {
    n.div_ceil(alignment) * alignment
}

/// A GGUF file to build.
#[derive(Debug, Clone)]
pub(super) struct Gguf {
    pub(super) version: u32,
    pub(super) big: bool,
    pub(super) kvs: Vec<(String, V)>,
    pub(super) tensors: Vec<T>,
    /// Alignment used to lay out data; add a `general.alignment` key to declare it.
    pub(super) alignment: u64,
    pub(super) tensor_count: Option<u64>,
    pub(super) kv_count: Option<u64>,
    /// Write the data section (zeros).
    pub(super) data: bool,
}

impl Gguf {
    pub(super) fn new() -> Gguf {
        Gguf {
            version: 3,
            big: false,
            kvs: Vec::new(),
            tensors: Vec::new(),
            alignment: 32,
            tensor_count: None,
            kv_count: None,
            data: true,
        }
    }

    pub(super) fn kv(mut self, key: &str, v: V) -> Gguf {
        self.kvs.push((key.to_string(), v));
        self
    }

    pub(super) fn tensor(mut self, name: &str, ne: &[u64], ggml: u32) -> Gguf {
        self.tensors.push(T {
            name: name.to_string(),
            ne: ne.to_vec(),
            ggml,
            offset: None,
        });
        self
    }

    /// Declare and use an alignment.
    pub(super) fn aligned(mut self, alignment: u32) -> Gguf {
        self.alignment = u64::from(alignment);
        self.kv("general.alignment", V::U32(alignment))
    }

    /// Packed data offsets, relative to the data section, and the data section's size.
    pub(super) fn layout(&self) -> (Vec<u64>, u64) {
        let mut offsets = Vec::new();
        let mut at = 0;
        for t in &self.tensors {
            offsets.push(at);
            at += pad(nbytes(t.ggml, &t.ne), self.alignment);
        }
        (offsets, at)
    }

    pub(super) fn build(&self) -> Vec<u8> {
        let mut w = Bytes {
            buf: b"GGUF".to_vec(),
            big: self.big,
        };
        w.u32(self.version);
        w.u64(self.tensor_count.unwrap_or(self.tensors.len() as u64));
        w.u64(self.kv_count.unwrap_or(self.kvs.len() as u64));
        for (k, v) in &self.kvs {
            w.str(k);
            w.u32(v.type_id());
            v.write(&mut w);
        }
        let (offsets, data_len) = self.layout();
        for (t, packed) in self.tensors.iter().zip(offsets) {
            w.str(&t.name);
            w.u32(t.ne.len() as u32);
            for &d in &t.ne {
                w.u64(d);
            }
            w.u32(t.ggml);
            w.u64(t.offset.unwrap_or(packed));
        }
        if self.data && !self.tensors.is_empty() {
            let start = pad(w.buf.len() as u64, self.alignment);
            w.buf.resize((start + data_len) as usize, 0);
        }
        w.buf
    }
}

//! The weights fingerprint re-derived while a bundle streams past, without extracting it: a
//! safetensors file's header comes first and its tensors follow in offset order, so each
//! tensor's canonical digest can be computed as its bytes go by. Other formats (PyTorch zips,
//! GGUF) need random access and are checked by `unpack` instead.

use crate::bundle::EntrySink;
use crate::fingerprint::{TensorDigest, root, tensor_hasher};
use crate::limits::SAFETENSORS_MAX_HEADER;
use crate::weights::safetensors::RawTensor;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io;

/// Passes every entry on to `inner`, computing the tensor digests of the files in `targets`.
pub struct FingerprintSink<'a> {
    pub inner: &'a mut dyn EntrySink,
    targets: HashSet<String>,
    current: Option<Streamed>,
    digests: Vec<TensorDigest>,
    /// Files whose fingerprint cannot be computed from the stream, with why.
    pub not_streamable: Vec<String>,
}

impl<'a> FingerprintSink<'a> {
    pub fn new(inner: &'a mut dyn EntrySink, targets: &[&str]) -> FingerprintSink<'a> {
        FingerprintSink {
            inner,
            targets: targets.iter().map(|t| t.to_string()).collect(),
            current: None,
            digests: Vec::new(),
            not_streamable: Vec::new(),
        }
    }

    /// The fingerprint root (`sha256:<hex>`) of the targets, when every one was streamable.
    pub fn root(mut self) -> Option<String> {
        if !self.not_streamable.is_empty() || self.digests.is_empty() && !self.targets.is_empty() {
            return None;
        }
        self.digests
            .sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        Some(format!(
            "sha256:{}",
            crate::digest::hex(&root(&self.digests))
        ))
    }
}

/// A safetensors file being streamed.
struct Streamed {
    path: String,
    head: Vec<u8>,
    header_end: Option<u64>,
    /// Tensors sorted by where their data begins.
    tensors: Vec<RawTensor>,
    next: usize,
    hasher: Option<Sha256>,
    /// Bytes of the data section seen so far.
    data_pos: u64,
    failed: Option<String>,
}

impl Streamed {
    fn new(path: &str) -> Streamed {
        Streamed {
            path: path.to_string(),
            head: Vec::new(),
            header_end: None,
            tensors: Vec::new(),
            next: 0,
            hasher: None,
            data_pos: 0,
            failed: None,
        }
    }

    fn feed(&mut self, mut data: &[u8], out: &mut Vec<TensorDigest>) {
        if self.failed.is_some() {
            return;
        }
        while !data.is_empty() && self.failed.is_none() {
            data = if self.header_end.is_none() {
                self.read_header(data)
            } else {
                self.read_data(data, out)
            };
        }
    }

    /// Collect the length prefix and the JSON header; returns the bytes after what it used.
    fn read_header<'d>(&mut self, data: &'d [u8]) -> &'d [u8] {
        let want = if self.head.len() < 8 {
            8
        } else {
            let n = u64::from_le_bytes(self.head[..8].try_into().unwrap_or_default());
            if n > SAFETENSORS_MAX_HEADER {
                self.failed = Some("header too large".into());
                return &[];
            }
            8 + n as usize
        };
        let take = (want - self.head.len()).min(data.len());
        self.head.extend_from_slice(&data[..take]);
        if self.head.len() == want && want > 8 {
            match crate::weights::safetensors::header_tensors(&self.head[8..]) {
                Some(mut ts) => {
                    ts.sort_by_key(|t| (t.begin, t.end));
                    self.tensors = ts;
                    self.header_end = Some(want as u64);
                }
                None => self.failed = Some("header is not valid".into()),
            }
        }
        &data[take..]
    }

    /// Route data-section bytes to the tensor they belong to.
    fn read_data<'d>(&mut self, data: &'d [u8], out: &mut Vec<TensorDigest>) -> &'d [u8] {
        self.finish_empty_tensors(out);
        let Some(t) = self.tensors.get(self.next) else {
            return &[]; // Past the last tensor: nothing left to hash.
        };
        if t.begin < self.data_pos && self.hasher.is_none() || t.end < self.data_pos {
            // Overlapping extents: the strict reader rejects such a file; never hash it.
            self.failed = Some(format!("tensor \"{}\" overlaps the one before it", t.name));
            return &[];
        }
        if self.data_pos < t.begin {
            let skip = ((t.begin - self.data_pos) as usize).min(data.len());
            self.data_pos += skip as u64;
            return &data[skip..];
        }
        let hasher = self
            .hasher
            .get_or_insert_with(|| tensor_hasher(&t.name, &t.dtype, &t.shape, t.end - t.begin));
        let take = ((t.end - self.data_pos) as usize).min(data.len());
        hasher.update(&data[..take]);
        self.data_pos += take as u64;
        if self.data_pos == t.end {
            self.finish_tensor(out);
        }
        &data[take..]
    }

    fn finish_tensor(&mut self, out: &mut Vec<TensorDigest>) {
        if let (Some(h), Some(t)) = (self.hasher.take(), self.tensors.get(self.next)) {
            out.push(TensorDigest {
                name: t.name.clone(),
                dtype: t.dtype.clone(),
                shape: t.shape.clone(),
                digest: h.finalize().into(),
            });
        }
        self.next += 1;
    }

    /// Zero-byte tensors at the current position have no data to wait for.
    fn finish_empty_tensors(&mut self, out: &mut Vec<TensorDigest>) {
        while let Some(t) = self.tensors.get(self.next) {
            if t.begin != t.end || t.begin > self.data_pos {
                break;
            }
            self.hasher = Some(tensor_hasher(&t.name, &t.dtype, &t.shape, 0));
            self.finish_tensor(out);
        }
    }

    fn end(mut self, out: &mut Vec<TensorDigest>) -> Result<(), String> {
        if let Some(why) = self.failed {
            return Err(format!("{}: {why}", self.path));
        }
        self.finish_empty_tensors(out);
        if self.next < self.tensors.len() {
            return Err(format!("{}: ended inside its tensor data", self.path));
        }
        Ok(())
    }
}

impl EntrySink for FingerprintSink<'_> {
    fn begin(&mut self, path: &str, size: u64, executable: bool) -> io::Result<()> {
        if self.targets.contains(path) {
            if path.ends_with(".safetensors") {
                self.current = Some(Streamed::new(path));
            } else {
                self.not_streamable.push(format!("{path}: not safetensors"));
            }
        }
        self.inner.begin(path, size, executable)
    }

    fn write(&mut self, data: &[u8]) -> io::Result<()> {
        if let Some(s) = &mut self.current {
            s.feed(data, &mut self.digests);
        }
        self.inner.write(data)
    }

    fn end(&mut self) -> io::Result<()> {
        if let Some(s) = self.current.take()
            && let Err(why) = s.end(&mut self.digests)
        {
            self.not_streamable.push(why);
        }
        self.inner.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Discard;

    fn streamed_root(files: &[&str], chunk: usize) -> Option<String> {
        let mut discard = Discard;
        let mut sink = FingerprintSink::new(&mut discard, files);
        for f in files {
            let bytes = std::fs::read(f).unwrap();
            sink.begin(f, bytes.len() as u64, false).unwrap();
            for piece in bytes.chunks(chunk) {
                sink.write(piece).unwrap();
            }
            sink.end().unwrap();
        }
        sink.root()
    }

    #[test]
    fn streaming_matches_the_fingerprint_of_the_files_for_any_chunking() {
        let root = env!("CARGO_MANIFEST_DIR");
        let sets: &[&[&str]] = &[
            &["testdata/example-model/model.safetensors"],
            &["testdata/safetensors/ok-zero-size-and-scalar.safetensors"],
            &["testdata/safetensors/ok-all-22-dtypes.safetensors"],
            &[
                "testdata/sharded/ok-two-shards/model-00001-of-00002.safetensors",
                "testdata/sharded/ok-two-shards/model-00002-of-00002.safetensors",
            ],
        ];
        for set in sets {
            let paths: Vec<String> = set.iter().map(|f| format!("{root}/{f}")).collect();
            let files: Vec<_> = paths
                .iter()
                .map(|p| crate::weights::open(std::path::Path::new(p), Default::default()).unwrap())
                .collect();
            let want = crate::fingerprint::of_files(&files).unwrap().root_hex();
            let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
            for chunk in [1, 7, 4096, 1 << 20] {
                assert_eq!(
                    streamed_root(&refs, chunk),
                    Some(want.clone()),
                    "{set:?} chunk {chunk}"
                );
            }
        }
    }

    #[test]
    fn other_formats_are_left_to_unpack() {
        let mut discard = Discard;
        let mut sink = FingerprintSink::new(&mut discard, &["model.gguf"]);
        sink.begin("model.gguf", 4, false).unwrap();
        sink.write(b"GGUF").unwrap();
        sink.end().unwrap();
        assert_eq!(sink.root(), None);
    }
}

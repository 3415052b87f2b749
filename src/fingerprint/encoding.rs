//! The exact bytes hashed (see formats/fingerprint.md). Changing anything here changes every
//! fingerprint: bump the domain strings when doing so.

use super::TensorDigest;
use crate::progress::Progress;
use crate::tensor_data::TensorBytes;
use crate::weights::TensorInfo;
use sha2::{Digest, Sha256};

pub const TENSOR_DOMAIN: &[u8] = b"openseal.tensor/v1\n";
pub const ROOT_DOMAIN: &[u8] = b"openseal.weights/v1\n";

fn put_bytes(h: &mut Sha256, b: &[u8]) {
    h.update((b.len() as u64).to_le_bytes());
    h.update(b);
}

/// A hasher primed with a tensor's canonical header; the data bytes follow.
pub fn tensor_hasher(name: &str, dtype: &str, shape: &[u64], nbytes: u64) -> Sha256 {
    let mut h = Sha256::new();
    h.update(TENSOR_DOMAIN);
    put_bytes(&mut h, name.as_bytes());
    put_bytes(&mut h, dtype.as_bytes());
    h.update((shape.len() as u64).to_le_bytes());
    for d in shape {
        h.update(d.to_le_bytes());
    }
    h.update(nbytes.to_le_bytes());
    h
}

/// SHA-256 of one tensor's canonical form, streaming its bytes piece by piece.
pub fn tensor(info: &TensorInfo, bytes: &TensorBytes, progress: &dyn Progress) -> [u8; 32] {
    let mut h = tensor_hasher(&info.name, &info.dtype.name(), &info.shape, bytes.len());
    for (from, len) in bytes.pieces(bytes.unit(), crate::limits::DATA_CHUNK_BYTES) {
        h.update(&*bytes.read(from, len));
        progress.advance(len);
    }
    h.finalize().into()
}

/// SHA-256 over the tensor digests, which must be sorted by name.
pub fn root(tensors: &[TensorDigest]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(ROOT_DOMAIN);
    h.update((tensors.len() as u64).to_le_bytes());
    for t in tensors {
        put_bytes(&mut h, t.name.as_bytes());
        h.update(t.digest);
    }
    h.finalize().into()
}

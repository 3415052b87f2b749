//! SHA-256, the interoperable per-file digest of a release (the one `sha256sum`, OMS and the
//! manifest use), and hashing many files in parallel.
//!
//! Packing writes the signed manifest *first*, so every digest must be known before the tar stream
//! starts: `hash_files` hashes all files of a release with one thread per core, each reading
//! large blocks into one fixed buffer, so memory stays flat whatever the file sizes.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

/// Bytes read per call when hashing a file: large enough that syscalls do not matter, small
/// enough that one buffer per core stays far below the memory budget.
pub(crate) const READ_BUFFER: usize = 1 << 20;

/// A SHA-256 digest. Displays and parses as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    /// The digest of `data`.
    pub fn of(data: &[u8]) -> Sha256Digest {
        Sha256Digest(Sha256::digest(data).into())
    }

    /// 64 lowercase hex digits (the `Display` form).
    pub fn to_hex(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({self})")
    }
}

/// A string that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 digest (64 hex digits): {0:?}")]
pub struct ParseDigestError(pub String);

impl FromStr for Sha256Digest {
    type Err = ParseDigestError;

    /// Accepts upper or lower case hex; nothing else (no prefix, no whitespace).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDigestError(s.chars().take(80).collect());
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return Err(err());
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let hi = hex_value(pair[0]).ok_or_else(err)?;
            let lo = hex_value(pair[1]).ok_or_else(err)?;
            out[i] = hi << 4 | lo;
        }
        Ok(Sha256Digest(out))
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Lowercase hex of any bytes (key ids, error messages).
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A file that could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash {}: {source}", path.display())]
pub struct HashError {
    pub(crate) path: PathBuf,
    #[source]
    pub(crate) source: io::Error,
}

/// Size and digest of one file, from the same read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileDigest {
    pub(crate) size: u64,
    /// SHA-256 of the contents.
    pub sha256: Sha256Digest,
}

/// Hashes everything `reader` yields, with `buf` as the only buffer.
pub(crate) fn sha256_reader(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<FileDigest> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    loop {
        let n = match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok(FileDigest {
        size,
        sha256: Sha256Digest(hasher.finalize().into()),
    })
}

/// Hashes one file.
pub fn sha256_file(path: &Path) -> Result<FileDigest, HashError> {
    let mut buf = vec![0u8; READ_BUFFER];
    hash_one(path, &mut buf)
}

fn hash_one(path: &Path, buf: &mut [u8]) -> Result<FileDigest, HashError> {
    let wrap = |source| HashError {
        path: path.to_path_buf(),
        source,
    };
    let mut file = crate::regular_file::open(path).map_err(wrap)?;
    sha256_reader(&mut file, buf).map_err(wrap)
}

/// Hashes `paths` in parallel with up to `threads` threads (0: one per core) and returns the
/// digests in the order of `paths`. Files are handed out one at a time from a shared counter, so
/// a few large files and many small ones both keep every thread busy. The first error stops the
/// remaining work and is returned.
pub(crate) fn hash_files(paths: &[PathBuf], threads: usize) -> Result<Vec<FileDigest>, HashError> {
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .clamp(1, paths.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileDigest>>> = Mutex::new(vec![None; paths.len()]);
    let failure: Mutex<Option<HashError>> = Mutex::new(None);

    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut buf = vec![0u8; READ_BUFFER];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= paths.len() {
                        return;
                    }
                    match hash_one(&paths[i], &mut buf) {
                        Ok(d) => {
                            if let Ok(mut r) = results.lock() {
                                r[i] = Some(d);
                            }
                        }
                        Err(e) => {
                            // Park the counter past the end so the other threads stop early.
                            next.store(paths.len(), Ordering::Relaxed);
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                            return;
                        }
                    }
                }
            });
        }
    });

    let poisoned = |what: &str| HashError {
        path: PathBuf::new(),
        source: io::Error::other(format!("a hashing thread panicked ({what})")),
    };
    if let Some(e) = failure.into_inner().map_err(|_| poisoned("error"))? {
        return Err(e);
    }
    let results = results.into_inner().map_err(|_| poisoned("results"))?;
    results
        .into_iter()
        .zip(paths)
        .map(|(d, p)| {
            d.ok_or_else(|| HashError {
                path: p.clone(),
                source: io::Error::other("not hashed"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(
            Sha256Digest::of(b"").to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            Sha256Digest::of(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hex_round_trip_and_rejects() {
        let d = Sha256Digest::of(b"x");
        assert_eq!(d.to_string().parse::<Sha256Digest>().unwrap(), d);
        assert_eq!(
            d.to_string()
                .to_uppercase()
                .parse::<Sha256Digest>()
                .unwrap(),
            d
        );
        assert!("".parse::<Sha256Digest>().is_err());
        assert!("g".repeat(64).parse::<Sha256Digest>().is_err());
        assert!(format!("{d} ").parse::<Sha256Digest>().is_err());
        assert!("é".repeat(32).parse::<Sha256Digest>().is_err());
    }

    #[test]
    fn parallel_matches_sequential_and_keeps_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for i in 0..37usize {
            let p = dir.path().join(format!("f{i}"));
            std::fs::write(&p, vec![i as u8; i * 100_003 % 3_000_001]).unwrap();
            paths.push(p);
        }
        let par = hash_files(&paths, 4).unwrap();
        for (p, d) in paths.iter().zip(&par) {
            assert_eq!(*d, sha256_file(p).unwrap());
            let data = std::fs::read(p).unwrap();
            assert_eq!(d.sha256, Sha256Digest::of(&data));
            assert_eq!(d.size, data.len() as u64);
        }
        assert!(hash_files(&[], 0).unwrap().is_empty());
    }

    #[test]
    fn missing_file_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a");
        std::fs::write(&good, b"a").unwrap();
        let bad = dir.path().join("missing");
        let err = hash_files(&[good, bad.clone()], 2).unwrap_err();
        assert_eq!(err.path, bad);
    }
}

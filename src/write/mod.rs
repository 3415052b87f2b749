//! Writers: what openseal produces from a release. Today the signed bundle ([`BundleWriter`]); BOMs,
//! OpenSSF model signatures and OCI layouts belong here too.

mod bundle;

pub use bundle::{
    BundleInfo, BundleWriter, DEFAULT_MTIME, DEFAULT_ZSTD_LEVEL, WriteError, WriteOptions,
    zstd_version,
};

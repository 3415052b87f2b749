//! Writers: what openseal produces from a release. Today the signed bundle ([`BundleWriter`]); BOMs,
//! OpenSSF model signatures and OCI layouts belong here too.

mod bundle;
mod options;

pub use bundle::BundleWriter;
pub use options::{
    BundleInfo, DEFAULT_MTIME, DEFAULT_ZSTD_LEVEL, WriteError, WriteOptions, zstd_version,
};

//! Bundles: a release as one plain `.tar.zst` (`tar --zstd -xf` opens it), signed manifest first.
//!
//! Layout: `.openseal/manifest.json`, then `.openseal/manifest.sig`, both in the first zstd frame
//! (so a reader can check the signer before streaming gigabytes), then the release's files sorted
//! bytewise by path, in a second frame. Entries are regular files only (no directory entries),
//! with fixed owner, mtime and modes, so the same folder always gives the same tar bytes.
//!
//! This module reads bundles; [`crate::write`] writes them. The writing flow (the
//! manifest is written first, so it needs every digest up front):
//! 1. [`crate::source::collect_files`] + [`crate::source::hash_sources`]: list the folder and
//!    hash every file in parallel;
//! 2. the caller builds the manifest from [`crate::source::HashedFile::expected`] and signs it;
//! 3. [`crate::write::BundleWriter`] streams manifest, signature and files, re-hashing each file
//!    as it streams and failing if it changed since step 1.
//!
//! Reading mirrors it: [`BundleReader::read_head`] returns manifest and signature; the caller
//! verifies the signature and derives the expected file list; [`BundleEntries::verify`] checks
//! every entry against that list in one pass, delivering bytes to an [`EntrySink`];
//! [`unpack_into`] extracts all or nothing.

mod error;
mod hasher;
mod read;
mod sink;
pub mod tarfmt;
mod unpack;

pub use error::{EntryKind, ReadError};
pub use read::{BundleEntries, BundleReader, Head, VerifySummary};
pub(crate) use read::{FileEntries, read_head};
pub(crate) use sink::Counting;
pub use sink::{Discard, EntrySink};
pub use unpack::{UnpackError, unpack_into};

/// Path of the manifest entry, always the first.
pub(crate) const MANIFEST_PATH: &str = ".openseal/manifest.json";
/// Path of the signature entry (a DSSE envelope), always the second.
pub(crate) const SIGNATURE_PATH: &str = ".openseal/manifest.sig";

//! Sources: where a release's bytes come from. Today a local release folder (`folder`); the
//! readers and models above never care where bytes come from.

pub(crate) mod folder;

pub use folder::{FolderError, HashedFile, SourceFile, collect_files, hash_sources};

//! Sources: where a release's bytes come from. A local folder (`folder`, with symbolic links
//! judged by `link`) and the local Hugging Face cache ([`hf`]); the readers and models above
//! never care where bytes come from.

pub(crate) mod folder;
pub mod hf;
pub(crate) mod link;

pub use folder::{FolderError, HashedFile, SourceFile, collect_files, hash_sources};

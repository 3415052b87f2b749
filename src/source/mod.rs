//! Sources: where a release's bytes come from. A local folder (`folder`, with symbolic links
//! judged by `link`), the local Hugging Face cache ([`hf`]), and remote files over HTTP
//! ([`http`]), with the Hub's file list ([`hub_api`]) and downloads into the cache
//! ([`hub_download`]); the readers and models above never care
//! where bytes come from.

pub(crate) mod folder;
pub mod hf;
pub mod http;
pub mod hub_api;
pub mod hub_download;
pub(crate) mod link;
pub mod registry;

pub use folder::{FolderError, HashedFile, SourceFile, collect_files, hash_sources};

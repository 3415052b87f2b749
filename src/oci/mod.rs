//! Releases as OCI artifacts: a signed bundle as a CNCF ModelPack model in an OCI image layout
//! (`openseal export --oci-layout`), readable by `skopeo`, ORAS and registries. The format is in
//! `formats/oci.md`.
//!
//! - [`media`]: every media type and annotation key, and the layer types;
//! - [`spec`]: the OCI manifest, index and descriptor and the ModelPack config as serde types;
//! - [`Artifact`]: the artifact of a signed manifest (layers, config, image manifest bytes and
//!   digest), built without reading a file, for a layout writer or a registry client alike;
//! - [`LayoutWriter`]: an image layout written all or nothing;
//! - [`export_layout`]: a bundle verified while it is written as a layout;
//! - [`push`] and [`pull`]: a bundle verified and uploaded to a registry, and an artifact
//!   fetched back as the release folder, verified against the signed manifest.

pub mod artifact;
mod export;
mod facts;
mod kind;
pub mod layout;
pub mod media;
mod pull;
mod push;
pub mod spec;

pub use artifact::{Artifact, Layer, LayerSource};
pub use export::{ExportError, Exported, export_layout};
pub use layout::{BlobSink, LayoutError, LayoutWriter, check_tag};
pub use media::LayerKind;
pub use pull::{PullError, Pulled, pull};
pub use push::{PushError, Pushed, push};

//! Releases as OCI artifacts: a signed bundle as a CNCF ModelPack model in an OCI image layout
//! (`openseal export --oci-layout`), readable by `skopeo`, ORAS and registries. The format is in
//! `formats/oci.md`.
//!
//! - [`media`]: every media type and annotation key, and the layer types;
//! - [`spec`]: the OCI manifest, index and descriptor and the ModelPack config as serde types;
//! - [`Artifact`]: the artifact of a signed manifest (layers, config, image manifest bytes and
//!   digest), built without reading a file, for a layout writer or a registry client alike;
//! - [`LayoutWriter`]: an image layout written all or nothing;
//! - [`export_layout`]: a bundle verified while it is written as a layout.

pub mod artifact;
mod export;
mod facts;
mod kind;
pub mod layout;
pub mod media;
pub mod spec;

pub use artifact::{Artifact, Layer, LayerSource};
pub use export::{ExportError, Exported, export_layout};
pub use layout::{BlobSink, LayoutError, LayoutWriter, check_tag};
pub use media::LayerKind;

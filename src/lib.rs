//! openseal: inspect, package, sign and verify open AI model releases.
//!
//! The library never prints; the `openseal` binary renders what it returns, shows progress and
//! maps errors to exit codes.
//!
//! # Layers
//!
//! Modules are stacked in layers; each imports only its own layer or those below, and
//! `tests/layering.rs` fails the build's tests when one points up, when two orchestrators import
//! each other, or when modules (or the files of one module) import each other in a circle.
//! Modules named without a link are internal to the library.
//!
//! 1. **Leaves** — no knowledge of formats or releases: [`limits`] (every cap on untrusted
//!    sizes), `regular_file` (opening inputs, the one capped reader of whole files), [`mmap`]
//!    (the only `unsafe`), `lines`, [`json`], [`digest`], `parallel`, [`progress`] (the trait
//!    the binary implements), `place` (temporary names and no-replace moves) and [`release`]
//!    (the release record, content kinds, release path rules, checkpoint series).
//! 2. **Sources** — where a release's bytes come from: [`source`] (a local release folder, the
//!    Hugging Face cache, HTTP range reads and the Hub's file list).
//! 3. **Readers** — untrusted bytes parsed into checked types: [`weights`] (one reader per
//!    format), `decode` and `tensor_data` (tensor bytes as numbers), [`framework`]
//!    (definitions), [`signature`], [`trust`] and [`bundle`] (reading and extracting bundles).
//! 4. **Models** — what openseal works out: [`inspect`], [`detect`] and [`descriptor`]
//!    (`openseal.toml`), [`release_loader`] (a release from a folder, manifest, bundle, MOT
//!    file or bill of materials), [`bom_import`] (a CycloneDX or SPDX 3 AI bill of materials
//!    read as a release record), [`manifest`], [`classify`] (with required levels),
//!    [`license`], [`mot`], [`stats`], [`device`], [`fingerprint`], [`diff`], [`verification`]
//!    (the check of a bundle's head and what verifying establishes), [`oms`] (OpenSSF Model
//!    Signing `model.sig`) and [`remote`] (a remote repository's headers laid out for the
//!    readers).
//! 5. **Writers** — what openseal produces: [`mod@write`] (the signed bundle), [`bom`]
//!    (AI bills of materials, CycloneDX and SPDX) and [`oci`] (a release as a CNCF ModelPack
//!    OCI artifact, and the OCI image layout `export --oci-layout` writes).
//! 6. **Orchestrators** — one per command that does long work, siblings that never import
//!    each other: [`pack`], [`verify`], [`unpack`], [`report`]. Only the binary uses them
//!    together.
#![warn(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod bom;
pub mod bom_import;
pub mod bundle;
pub mod classify;
pub(crate) mod decode;
pub mod descriptor;
pub mod detect;
pub mod device;
pub mod diff;
pub mod digest;
pub mod fingerprint;
pub mod framework;
pub mod inspect;
pub mod json;
pub mod license;
pub mod limits;
pub(crate) mod lines;
pub mod manifest;
pub mod mmap;
pub mod mot;
pub mod oci;
pub mod oms;
pub mod pack;
pub(crate) mod parallel;
pub(crate) mod place;
pub mod progress;
pub(crate) mod regular_file;
pub mod release;
pub mod release_loader;
pub mod remote;
pub mod report;
pub mod signature;
pub mod source;
pub mod stats;
pub(crate) mod tensor_data;
pub mod trust;
pub mod unpack;
pub mod verification;
pub mod verify;
pub mod weights;
pub mod write;

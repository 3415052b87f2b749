//! openseal: inspect, package, sign and verify open AI model releases.
//!
//! The library never prints; the `openseal` binary renders what it returns.

pub mod bundle;
pub mod classify;
pub mod decode;
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
pub mod lines;
pub mod manifest;
pub mod mmap;
pub mod mot;
pub mod pack;
pub mod parallel;
pub mod place;
pub mod progress;
pub mod regular_file;
pub mod release;
pub mod release_loader;
pub mod report;
pub mod signature;
pub mod source;
pub mod stats;
pub mod tensor_data;
pub mod trust;
pub mod unpack;
pub mod verification;
pub mod verify;
pub mod weights;
pub mod write;

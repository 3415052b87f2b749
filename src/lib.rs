//! openseal: inspect, package, sign and verify open AI model releases.
//!
//! The library never prints; the `openseal` binary renders what it returns.

pub mod components;
pub mod decode;
pub mod descriptor;
pub mod detect;
pub mod device;
pub mod diff;
pub mod fingerprint;
pub mod inspect;
pub mod json;
pub mod limits;
pub mod manifest;
pub mod mmap;
pub mod parallel;
pub mod progress;
pub mod release;
pub mod stats;
pub mod tensor_data;
pub mod weights;

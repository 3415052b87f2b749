//! openseal: inspect, package, sign and verify open AI model releases.
//!
//! The library never prints; the `openseal` binary renders what it returns.

pub mod bundle;
pub mod digest;
pub mod inspect;
pub mod json;
pub mod limits;
pub mod mmap;
pub mod release;
pub mod signature;
pub mod trust;
pub mod weights;

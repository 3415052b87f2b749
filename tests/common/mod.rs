//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod bundles;
pub mod peers;
pub mod registry;
pub mod schema;

/// Copies the folder `from` to `to`, recursively (fixtures a test then edits).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

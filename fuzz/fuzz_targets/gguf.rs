#![no_main]
//! GGUF: `parse` with and without full arrays. Accepted files: data offset inside the file,
//! every tensor inside the file and aligned, the same tensors whatever the array option.

use libfuzzer_sys::fuzz_target;
use openseal::weights::{ReadOptions, gguf};

mod common;

fuzz_target!(|data: &[u8]| {
    let preview = gguf::parse_with_header(data, ReadOptions { full_arrays: false });
    let full = gguf::parse(data, ReadOptions { full_arrays: true });
    assert_eq!(
        preview.is_ok(),
        full.is_ok(),
        "array option changed acceptance"
    );
    if let (Ok((header, p)), Ok(f)) = (preview, full) {
        assert!(header.data_offset <= data.len() as u64);
        assert!(header.alignment > 0);
        common::extents_inside(&p, data.len());
        for t in &p.tensors {
            let offset = t.offset.expect("GGUF tensors have offsets");
            assert!(offset >= header.data_offset);
            assert_eq!((offset - header.data_offset) % header.alignment, 0);
        }
        assert_eq!(p.tensors, f.tensors);
    }
});

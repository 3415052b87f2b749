//! Read-only memory maps of input files: the only `unsafe` in openseal.

use std::io;
use std::ops::Deref;
use std::path::Path;

/// A file's bytes, mapped read-only. Empty files are not mapped (mapping zero bytes fails on
/// some platforms) and read as an empty slice.
pub struct Mapped {
    map: Option<memmap2::Mmap>,
}

impl Mapped {
    /// Map the file at `path`. Anything but a regular file (a folder, a FIFO, a device) is an
    /// `InvalidInput` error, and a FIFO is never waited on.
    pub fn open(path: &Path) -> io::Result<Mapped> {
        let file = crate::regular_file::open(path)?;
        let len = file.metadata()?.len();
        if len == 0 {
            return Ok(Mapped { map: None });
        }
        // SAFETY: the map is read-only and never outlives `Mapped`. Another process truncating or
        // rewriting the file while it is mapped could change the bytes under us (or raise SIGBUS on
        // truncation); every reader treats the bytes as untrusted and bounds-checks each access, so a
        // concurrent change can produce a wrong report or a parse error but no memory unsafety in
        // our code. This is the accepted trade-off of every mmap-based weights reader.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::MmapOptions::new().map(&file)? };
        Ok(Mapped { map: Some(map) })
    }
}

impl Deref for Mapped {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }
}

//! Where the bytes of verified entries go: nowhere, into a folder, or through a progress count.

use std::io;

use crate::progress::Progress;

/// Where the bytes of each verified entry go: files in a folder for `unpack`, nowhere for
/// `verify` ([`Discard`]). It can also count bytes for a progress bar.
pub trait EntrySink {
    /// An entry starts; `path` is checked (safe, in order, listed, of the declared size).
    fn begin(&mut self, path: &str, size: u64, executable: bool) -> io::Result<()>;
    /// The next bytes of the entry.
    fn write(&mut self, data: &[u8]) -> io::Result<()>;
    /// All bytes delivered (its digest is checked right after).
    fn end(&mut self) -> io::Result<()>;
}

/// A sink that drops the bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Discard;

impl EntrySink for Discard {
    fn begin(&mut self, _: &str, _: u64, _: bool) -> io::Result<()> {
        Ok(())
    }
    fn write(&mut self, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A sink that reports the bytes it sees to a [`Progress`] and passes them on.
pub struct Counting<'a> {
    inner: &'a mut dyn EntrySink,
    progress: &'a dyn Progress,
}

impl<'a> Counting<'a> {
    pub(crate) fn new(inner: &'a mut dyn EntrySink, progress: &'a dyn Progress) -> Counting<'a> {
        Counting { inner, progress }
    }
}

impl EntrySink for Counting<'_> {
    fn begin(&mut self, path: &str, size: u64, executable: bool) -> io::Result<()> {
        self.inner.begin(path, size, executable)
    }
    fn write(&mut self, data: &[u8]) -> io::Result<()> {
        self.progress.advance(data.len() as u64);
        self.inner.write(data)
    }
    fn end(&mut self) -> io::Result<()> {
        self.inner.end()
    }
}

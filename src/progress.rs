//! Progress reporting for long reads of tensor data. The library calls these hooks; the binary
//! decides how (or whether) to show them, so library code never prints.

/// Hooks called while tensor data is read. Called from several worker threads at once.
pub trait Progress: Sync {
    /// Work of `total_bytes` bytes is about to start.
    fn start(&self, total_bytes: u64);
    /// `bytes` more bytes were processed.
    fn advance(&self, bytes: u64);
    /// The work is done (also called after an error).
    fn finish(&self);
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total_bytes: u64) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self) {}
}

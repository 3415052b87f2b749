//! Progress bars on a terminal; nothing when stderr is piped or a file.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// A byte-counting bar, hidden unless stderr is a terminal.
pub fn bytes_bar(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>10} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// An entry sink that advances a bar by the bytes it sees, passing them on.
pub struct Counting<'a> {
    pub bar: &'a ProgressBar,
    pub inner: &'a mut dyn openseal::bundle::EntrySink,
}

impl openseal::bundle::EntrySink for Counting<'_> {
    fn begin(&mut self, path: &str, size: u64, executable: bool) -> std::io::Result<()> {
        self.inner.begin(path, size, executable)
    }
    fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.bar.inc(data.len() as u64);
        self.inner.write(data)
    }
    fn end(&mut self) -> std::io::Result<()> {
        self.inner.end()
    }
}

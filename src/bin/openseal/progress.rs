//! Progress bars on stderr for long work (packing, verifying, unpacking, reading tensors),
//! drawn only when stderr is a terminal: pipes and logs stay clean.

use indicatif::{ProgressBar, ProgressStyle};
use openseal::progress::{NoProgress, Progress};
use std::io::IsTerminal;

struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, total_bytes: u64) {
        self.0.set_length(total_bytes);
        self.0.set_position(0);
    }
    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// A byte-counting bar labelled `label` when stderr is a terminal, else nothing.
pub fn for_stderr(label: &str) -> Box<dyn Progress> {
    if !std::io::stderr().is_terminal() {
        return Box::new(NoProgress);
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template(
        "{msg:>10} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(label.to_string());
    Box::new(Bar(bar))
}

/// A spinner saying `message` while work of unknown length runs, when stderr is a terminal.
/// Cleared when dropped.
pub struct Spinner(Option<ProgressBar>);

impl Spinner {
    pub fn new(message: String) -> Spinner {
        if !std::io::stderr().is_terminal() {
            return Spinner(None);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_message(message);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Spinner(Some(bar))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

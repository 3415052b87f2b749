//! Standard output: one locked, buffered handle that every command writes through. It remembers
//! the first failed write, so `main` can tell a closed pipe from a command's own error.

use std::io::{self, BufWriter, ErrorKind, StdoutLock, Write};

pub struct Out {
    inner: BufWriter<StdoutLock<'static>>,
    failure: Option<io::Error>,
}

impl Out {
    pub fn new() -> Self {
        Out {
            inner: BufWriter::new(io::stdout().lock()),
            failure: None,
        }
    }

    /// Whether a write has failed; commands stop at their first failed write.
    pub fn failed(&self) -> bool {
        self.failure.is_some()
    }

    /// Flushes what is buffered and gives the first failure of the whole run.
    pub fn finish(mut self) -> Option<io::Error> {
        let _ = self.flush();
        self.failure.take()
    }

    /// Prints a value as pretty JSON and a newline (every command's `--json`).
    pub fn json(&mut self, value: &impl serde::Serialize) -> anyhow::Result<()> {
        serde_json::to_writer_pretty(&mut *self, value)?;
        writeln!(self)?;
        Ok(())
    }

    fn note<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() != ErrorKind::Interrupted
            && self.failure.is_none()
        {
            // io::Error is not Clone: keep its kind and text, hand the original back.
            self.failure = Some(io::Error::new(e.kind(), e.to_string()));
        }
        result
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.note(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

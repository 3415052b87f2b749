//! SHA-256 on a second thread, so that verifying a bundle runs at the speed of the slower of
//! zstd decompression and hashing rather than of both added together.

use crate::digest::Sha256Digest;
use sha2::{Digest, Sha256};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

/// Buffers in flight between the reader and the hashing thread; bounds the memory used.
const IN_FLIGHT: usize = 4;

enum Msg {
    Data(Vec<u8>),
    Finish,
}

pub struct PipelinedHasher {
    to_worker: Option<SyncSender<Msg>>,
    free: Receiver<Vec<u8>>,
    digests: Receiver<Sha256Digest>,
    worker: Option<JoinHandle<()>>,
    /// Used when the thread cannot be started (the hashing then happens inline).
    inline: Option<Sha256>,
}

impl PipelinedHasher {
    pub fn new(chunk: usize) -> PipelinedHasher {
        let (to_worker, jobs) = sync_channel::<Msg>(IN_FLIGHT);
        let (free_tx, free) = channel::<Vec<u8>>();
        let (digest_tx, digests) = channel::<Sha256Digest>();
        for _ in 0..IN_FLIGHT {
            let _ = free_tx.send(Vec::with_capacity(chunk));
        }
        let worker = std::thread::Builder::new()
            .name("openseal-sha256".into())
            .spawn(move || work(jobs, free_tx, digest_tx))
            .ok();
        let inline = worker.is_none().then(Sha256::new);
        PipelinedHasher {
            to_worker: worker.is_some().then_some(to_worker),
            free,
            digests,
            worker,
            inline,
        }
    }

    /// A hasher that works on the calling thread (for small data, where a thread costs more
    /// than it saves).
    pub fn inline() -> PipelinedHasher {
        let (_, free) = channel();
        let (_, digests) = channel();
        PipelinedHasher {
            to_worker: None,
            free,
            digests,
            worker: None,
            inline: Some(Sha256::new()),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        if let Some(h) = &mut self.inline {
            h.update(data);
            return;
        }
        let Some(tx) = &self.to_worker else { return };
        // A buffer comes back as soon as the worker has hashed it; if the worker died, fall
        // back to hashing here so the result is still right.
        let Ok(mut buf) = self.free.recv() else {
            self.inline = Some(Sha256::new());
            return;
        };
        buf.clear();
        buf.extend_from_slice(data);
        let _ = tx.send(Msg::Data(buf));
    }

    /// The digest of everything since the last `finish`; the hasher starts afresh.
    pub fn finish(&mut self) -> Sha256Digest {
        if let Some(h) = &mut self.inline {
            return Sha256Digest(h.finalize_reset().into());
        }
        if let Some(tx) = &self.to_worker
            && tx.send(Msg::Finish).is_ok()
            && let Ok(d) = self.digests.recv()
        {
            return d;
        }
        // The worker is gone: a digest of nothing never matches real data, so the caller
        // reports a mismatch rather than accepting unhashed bytes.
        Sha256Digest([0; 32])
    }
}

fn work(jobs: Receiver<Msg>, free: Sender<Vec<u8>>, digests: Sender<Sha256Digest>) {
    let mut hasher = Sha256::new();
    for msg in jobs {
        match msg {
            Msg::Data(buf) => {
                hasher.update(&buf);
                let _ = free.send(buf);
            }
            Msg::Finish => {
                let _ = digests.send(Sha256Digest(hasher.finalize_reset().into()));
            }
        }
    }
}

impl Drop for PipelinedHasher {
    fn drop(&mut self) {
        self.to_worker = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_plain_hash_across_finishes() {
        let mut h = PipelinedHasher::new(8);
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        for chunk in data.chunks(4096) {
            h.update(chunk);
        }
        assert_eq!(h.finish(), Sha256Digest::of(&data));
        h.update(b"abc");
        assert_eq!(h.finish(), Sha256Digest::of(b"abc"));
        assert_eq!(h.finish(), Sha256Digest::of(b""));
    }
}

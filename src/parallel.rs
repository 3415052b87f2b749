//! A small pool of scoped worker threads over numbered jobs, for chunked tensor work: each
//! worker holds one job's data at a time, so memory stays bounded by the number of workers.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const WORKER_STACK: usize = 64 << 20;

/// Workers to use for `jobs` jobs: the machine's parallelism, capped by `MAX_DATA_WORKERS`.
pub fn workers(jobs: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(crate::limits::MAX_DATA_WORKERS).min(jobs).max(1)
}

/// Run `job(i)` for `i in 0..jobs` on up to `threads` threads; results come back in job order.
/// The first error stops the remaining jobs and is returned.
pub fn map<T, E, F>(jobs: usize, threads: usize, job: F) -> Result<Vec<T>, E>
where
    T: Send,
    E: Send,
    F: Fn(usize) -> Result<T, E> + Sync,
{
    if threads <= 1 || jobs <= 1 {
        return (0..jobs).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..jobs).map(|_| None).collect());
    let first_error: Mutex<Option<(usize, E)>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..threads.min(jobs) {
            // candle's debug builds use large stack frames; the default 2 MiB is not enough.
            let spawned = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= jobs || failed.load(Ordering::Relaxed) {
                            break;
                        }
                        match job(i) {
                            Ok(v) => {
                                if let Ok(mut r) = results.lock() {
                                    r[i] = Some(v);
                                }
                            }
                            Err(e) => {
                                failed.store(true, Ordering::Relaxed);
                                if let Ok(mut slot) = first_error.lock() {
                                    // Keep the error of the earliest job, as a sequential run would.
                                    if slot.as_ref().is_none_or(|(j, _)| i < *j) {
                                        *slot = Some((i, e));
                                    }
                                }
                            }
                        }
                    }
                });
            if spawned.is_err() {
                // No thread: the jobs left are taken by the threads that did start, or below.
                break;
            }
        }
    });
    if let Some((_, e)) = first_error.into_inner().ok().flatten() {
        return Err(e);
    }
    // Jobs no thread took (a thread could not be spawned) run here.
    let results = results.into_inner().unwrap_or_default();
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| match r {
            Some(v) => Ok(v),
            None => job(i),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_job_order() {
        let out: Result<Vec<usize>, ()> = map(100, 4, |i| Ok(i * 2));
        assert_eq!(out.unwrap(), (0..100).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn first_error_wins() {
        let out: Result<Vec<usize>, usize> = map(50, 3, |i| if i >= 10 { Err(i) } else { Ok(i) });
        assert_eq!(out.unwrap_err(), 10);
    }
}

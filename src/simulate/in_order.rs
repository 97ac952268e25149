//! Work numbered 0..n, computed on several threads in any order, consumed in
//! index order as soon as each next result is ready, with at most `ahead`
//! results waiting.
//!
//! Monte Carlo's rows must reach paths.csv (and the totals) in path order, and
//! the first failing path must be the one reported, whatever the threads. Running
//! batches of chunks and writing each batch behind the next left a thread idle
//! at every batch's end, waiting for the other's last chunk; here no thread waits
//! for another unless it is `ahead` results past the oldest one not yet computed.
//!
//! Whichever thread hands over the next result due consumes it, and every
//! consecutive result after it that is ready, one thread at a time; the others
//! go back to work.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, TryLockError};

/// See the module documentation.
pub struct InOrder<T> {
    total: u64,
    ahead: u64,
    taken: AtomicU64,
    state: Mutex<Waiting<T>>,
    advanced: Condvar,
}

struct Waiting<T> {
    /// The next index to consume.
    next: u64,
    ready: BTreeMap<u64, T>,
    /// The consumer asked to stop: nothing more is taken or consumed.
    stopped: bool,
}

/// A poisoned lock still guards consistent data here (every update is one
/// assignment or map operation), so a panic elsewhere does not hide it.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<T> InOrder<T> {
    /// `total` results, of which at most `ahead` (at least 1) wait at a time.
    pub fn new(total: u64, ahead: u64) -> InOrder<T> {
        InOrder {
            total,
            ahead: ahead.max(1),
            taken: AtomicU64::new(0),
            state: Mutex::new(Waiting {
                next: 0,
                ready: BTreeMap::new(),
                stopped: false,
            }),
            advanced: Condvar::new(),
        }
    }

    /// The next index to compute, once it is fewer than `ahead` past the next
    /// to consume; `None` when every index is taken or the consumer stopped.
    /// The thread that took the next index to consume never waits here, so
    /// the waits always end.
    pub fn take(&self) -> Option<u64> {
        let i = self.taken.fetch_add(1, Ordering::Relaxed);
        if i >= self.total {
            return None;
        }
        let mut s = lock(&self.state);
        while !s.stopped && i >= s.next + self.ahead {
            s = self.advanced.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        (!s.stopped).then_some(i)
    }

    /// Hands over result `i`, then, if no other thread is consuming, consumes
    /// every result that is next in order. `consume` returns false to stop:
    /// later results are dropped and `take` gives no more indices.
    pub fn put<C>(
        &self,
        i: u64,
        value: T,
        consumer: &Mutex<C>,
        consume: impl Fn(&mut C, T) -> bool,
    ) {
        lock(&self.state).ready.insert(i, value);
        loop {
            let mut c = match consumer.try_lock() {
                Ok(c) => c,
                Err(TryLockError::Poisoned(e)) => e.into_inner(),
                // The thread consuming will find this result (it checks again
                // after letting go).
                Err(TryLockError::WouldBlock) => return,
            };
            loop {
                let item = {
                    let mut s = lock(&self.state);
                    let next = s.next;
                    match s.ready.remove(&next) {
                        Some(v) if !s.stopped => v,
                        _ => break,
                    }
                };
                let go = consume(&mut c, item);
                let mut s = lock(&self.state);
                s.next += 1;
                if !go {
                    s.stopped = true;
                    s.ready.clear();
                }
                drop(s);
                self.advanced.notify_all();
                if !go {
                    return;
                }
            }
            drop(c);
            // A result handed over while this thread held the consumer may be
            // the next one due: take the consumer again if so.
            let s = lock(&self.state);
            if s.stopped || !s.ready.contains_key(&s.next) {
                return;
            }
        }
    }

    /// How many results were consumed.
    pub fn consumed(&self) -> u64 {
        lock(&self.state).next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `total` items on `threads` threads, each item taking a varying time,
    /// and records the order they were consumed in and the most that waited.
    fn run(total: u64, ahead: u64, threads: usize, stop_at: Option<u64>) -> (Vec<u64>, usize) {
        let order = InOrder::new(total, ahead);
        let consumer = Mutex::new((Vec::new(), 0usize));
        std::thread::scope(|scope| {
            for t in 0..threads {
                let (order, consumer) = (&order, &consumer);
                scope.spawn(move || {
                    while let Some(i) = order.take() {
                        // Uneven work: some items take far longer than others.
                        let spin = ((i * 7919 + t as u64) % 13) * 2_000;
                        let mut x = i;
                        for k in 0..spin {
                            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(k));
                        }
                        std::hint::black_box(x);
                        order.put(i, i, consumer, |(seen, most), v| {
                            *most = (*most).max(lock(&order.state).ready.len() + 1);
                            seen.push(v);
                            stop_at != Some(v)
                        });
                    }
                });
            }
        });
        consumer.into_inner().unwrap()
    }

    #[test]
    fn every_result_is_consumed_once_in_index_order() {
        for threads in [1, 2, 4, 8] {
            let (seen, most) = run(500, 6, threads, None);
            assert_eq!(seen, (0..500).collect::<Vec<_>>(), "{threads} threads");
            assert!(most <= 6, "{most} results waited with ahead = 6");
        }
    }

    #[test]
    fn a_stop_ends_the_run_after_the_stopping_result() {
        for threads in [1, 2, 4] {
            let (seen, _) = run(400, 5, threads, Some(123));
            assert_eq!(seen, (0..=123).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn nothing_to_do_takes_nothing() {
        let order: InOrder<u64> = InOrder::new(0, 3);
        assert_eq!(order.take(), None);
        assert_eq!(order.consumed(), 0);
    }
}

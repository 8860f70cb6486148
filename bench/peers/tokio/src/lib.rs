//! What every Tokio peer program shares: argv sizes, the worker count, the
//! runtime, a wait group, /proc/self/status readings, the sleepers'
//! durations and the one output line.
//!
//! ```ignore
//! let threads = tokio_peers::threads();                 // BENCH_THREADS, default 1
//! let ns = tokio_peers::run(threads, async move { ... }); // the body runs as a task
//! tokio_peers::print("spawn", threads, ns / n as f64, "ns/coroutine");
//! ```

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Notify;

/// arg(i, def) is argv[i] as a number, else def.
pub fn arg(i: usize, def: usize) -> usize {
    std::env::args().nth(i).and_then(|s| s.parse().ok()).unwrap_or(def)
}

/// threads() is BENCH_THREADS (scripts/bench sets it to 1, then 2), default 1.
pub fn threads() -> usize {
    std::env::var("BENCH_THREADS").ok().and_then(|s| s.parse().ok()).filter(|&n| n > 0).unwrap_or(1)
}

/// runtime(threads) is the multi-thread runtime with `threads` workers, with
/// the time and I/O drivers enabled: what #[tokio::main] builds, with the
/// worker count taken at run time.
pub fn runtime(threads: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// run(threads, body) runs body as a task on a `threads`-worker runtime and
/// returns its output. block_on alone would poll body on the calling thread,
/// outside the worker pool (one thread more than `threads`); spawning it
/// makes the body run on a worker, as the other peers' bodies run on one of
/// their coroutines.
pub fn run<F>(threads: usize, body: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let rt = runtime(threads);
    rt.block_on(async move { tokio::spawn(body).await.expect("benchmark body panicked") })
}

/// WaitGroup: Tokio has none; an atomic count whose last done() wakes the
/// one waiter through a Notify (notify_one stores a permit when nobody is
/// waiting yet, so the wake-up cannot be lost).
#[derive(Clone, Default)]
pub struct WaitGroup(Arc<WgInner>);

#[derive(Default)]
struct WgInner {
    count: AtomicUsize,
    notify: Notify,
}

impl WaitGroup {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&self, n: usize) {
        self.0.count.fetch_add(n, Ordering::Relaxed);
    }
    pub fn done(&self) {
        if self.0.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.notify.notify_one();
        }
    }
    pub async fn wait(&self) {
        while self.0.count.load(Ordering::Acquire) != 0 {
            self.0.notify.notified().await;
        }
    }
}

/// status_kib(field) reads a "Field:   N kB" line of /proc/self/status
/// (VmRSS; VmHWM: the peak RSS).
pub fn status_kib(field: &str) -> i64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let key = format!("{}:", field);
    status
        .lines()
        .find_map(|l| l.strip_prefix(&key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {} in /proc/self/status", field))
}

/// sleep_us(i) is sleeper i's duration in [0, 1000000) µs: splitmix64's
/// output for state seed + (i+1)·golden, seed 20261202 (bench/common.hpp has
/// the same, so every peer sleeps the same durations).
pub fn sleep_us(i: usize) -> u64 {
    let mut z = 20261202u64.wrapping_add((i as u64 + 1).wrapping_mul(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^= z >> 31;
    z % 1_000_000
}

/// print writes the one result line scripts/bench reads.
pub fn print(workload: &str, threads: usize, metric: f64, unit: &str) {
    let prec = if metric < 10.0 { 2 } else { 1 };
    println!("workload={} peer=tokio threads={} metric={:.*} unit={}", workload, threads, prec, metric, unit);
}

/// fail reports a wrong result and exits with status 1.
pub fn fail(what: &str) -> ! {
    eprintln!("{}", what);
    std::process::exit(1)
}

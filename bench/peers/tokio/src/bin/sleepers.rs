//! sleepers: N tasks each tokio::time::sleep a pseudo-random 0–1 s
//! (sleep_us: a fixed seed, the same durations in every peer), then count
//! down a wait group. Prints three lines: the total time in ms (first spawn
//! to the wait's return), KiB of peak RSS per task (VmHWM at the end minus
//! VmRSS before), and the p99 lateness in µs: how long after its own start
//! plus its duration each task woke. Fails if any woke early.
//! Usage: sleepers [N=1000000].
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::time::sleep;
use tokio_peers::{arg, fail, print, run, sleep_us, status_kib, threads, WaitGroup};

fn main() {
    let n = arg(1, 1_000_000);
    let threads = threads();
    // ns late per task; touched here, before the RSS baseline
    let late: Arc<Vec<AtomicI64>> = Arc::new((0..n).map(|_| AtomicI64::new(-1)).collect());
    let slots = late.clone();
    let (before, ns) = run(threads, async move {
        let wg = WaitGroup::new();
        let before = status_kib("VmRSS");
        let start = Instant::now();
        wg.add(n);
        for i in 0..n {
            let (wg, slots) = (wg.clone(), slots.clone());
            tokio::spawn(async move {
                let d = Duration::from_micros(sleep_us(i));
                let t0 = Instant::now();
                sleep(d).await;
                slots[i].store(t0.elapsed().as_nanos() as i64 - d.as_nanos() as i64, Ordering::Relaxed);
                wg.done();
            });
        }
        wg.wait().await;
        (before, start.elapsed().as_nanos() as f64)
    });
    let peak = status_kib("VmHWM");
    let mut late: Vec<i64> = late.iter().map(|l| l.load(Ordering::Relaxed)).collect();
    if late.iter().any(|&l| l < 0) {
        fail("sleepers: a task woke before its deadline");
    }
    late.sort_unstable();
    let p99 = late[((n as f64 * 0.99) as usize).min(n - 1)];
    print("sleepers", threads, ns / 1e6, "ms");
    print("sleepers", threads, (peak - before) as f64 / n as f64, "KiB/coroutine");
    print("sleepers", threads, p99 as f64 / 1e3, "us-p99-lateness");
}

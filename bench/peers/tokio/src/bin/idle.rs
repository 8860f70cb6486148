//! idle: N tasks each blocked receiving on one shared channel; then close it
//! and wait for all. Tokio's one-to-many channel is broadcast: each task holds
//! its own subscription (Tokio's documented shutdown-signal pattern), and
//! dropping the sender closes it for all. Prints two lines: KiB of RSS per
//! parked task (VmRSS after parking all N minus before) and ns per creation.
//! Usage: idle [N=1000000].
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tokio_peers::{arg, fail, print, run, status_kib, threads, WaitGroup};

fn main() {
    let n = arg(1, 1_000_000);
    let threads = threads();
    let (before, after, create_ns) = run(threads, async move {
        let (tx, _) = broadcast::channel::<()>(1);
        let (started, finished) = (WaitGroup::new(), WaitGroup::new());
        started.add(n);
        finished.add(n);
        let before = status_kib("VmRSS");
        let start = Instant::now();
        for _ in 0..n {
            let (mut rx, started, finished) = (tx.subscribe(), started.clone(), finished.clone());
            tokio::spawn(async move {
                started.done();
                if rx.recv().await.is_ok() {
                    fail("idle: got a value");
                }
                finished.done();
            });
        }
        started.wait().await;
        let create_ns = start.elapsed().as_nanos() as f64;
        tokio::time::sleep(Duration::from_millis(50)).await; // let the last ones park
        let after = status_kib("VmRSS");
        drop(tx);
        finished.wait().await;
        (before, after, create_ns)
    });
    print("idle", threads, (after - before) as f64 / n as f64, "KiB/coroutine");
    print("idle", threads, create_ns / n as f64, "ns/creation");
}

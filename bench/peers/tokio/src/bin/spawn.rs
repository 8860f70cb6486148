//! spawn: start N trivial tasks that each count down a wait group; wait for
//! all. Prints ns per task. Usage: spawn [N=1000000]; BENCH_THREADS sets workers.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio_peers::{arg, fail, print, run, threads, WaitGroup};

fn main() {
    let n = arg(1, 1_000_000);
    let threads = threads();
    // Each task marks its own slot: the check.
    let ran: Arc<Vec<AtomicBool>> = Arc::new((0..n).map(|_| AtomicBool::new(false)).collect());
    let slots = ran.clone();
    let ns = run(threads, async move {
        let wg = WaitGroup::new();
        let start = Instant::now();
        wg.add(n);
        for i in 0..n {
            let (wg, slots) = (wg.clone(), slots.clone());
            tokio::spawn(async move {
                slots[i].store(true, Ordering::Relaxed);
                wg.done();
            });
        }
        wg.wait().await;
        start.elapsed().as_nanos() as f64
    });
    if !ran.iter().all(|r| r.load(Ordering::Relaxed)) {
        fail("spawn: a task did not run");
    }
    print("spawn", threads, ns / n as f64, "ns/coroutine");
}

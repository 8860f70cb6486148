//! mpmc: a channel of capacity 1024, 4 producers, 4 consumers, N ints;
//! consumers sum. Tokio's channels have one receiver (mpsc); a Tokio program
//! that wants several consumers shares the receiver behind an async
//! tokio::sync::Mutex, as here. Prints ns per item. Usage: mpmc [N=10000000].
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{mpsc, Mutex};
use tokio_peers::{arg, fail, print, run, threads};

const PRODUCERS: usize = 4;
const CONSUMERS: usize = 4;

fn main() {
    let n = arg(1, 10_000_000);
    let threads = threads();
    let (total, ns) = run(threads, async move {
        let (tx, rx) = mpsc::channel::<i64>(1024);
        let rx = Arc::new(Mutex::new(rx));
        let start = Instant::now();
        for p in 0..PRODUCERS {
            let tx = tx.clone();
            tokio::spawn(async move {
                // producer p sends the ints i ≡ p (mod PRODUCERS)
                for i in (p..n).step_by(PRODUCERS) {
                    tx.send(i as i64).await.expect("consumers gone");
                }
            });
        }
        drop(tx); // the channel closes when the last producer finishes
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let rx = rx.clone();
                tokio::spawn(async move {
                    let mut s = 0i64;
                    while let Some(v) = rx.lock().await.recv().await {
                        s += v;
                    }
                    s
                })
            })
            .collect();
        let mut total = 0i64;
        for c in consumers {
            total += c.await.expect("consumer panicked");
        }
        (total, start.elapsed().as_nanos() as f64)
    });
    let want = n as i64 * (n as i64 - 1) / 2;
    if total != want {
        fail(&format!("mpmc: sum {}, want {}", total, want));
    }
    print("mpmc", threads, ns / n as f64, "ns/item");
}

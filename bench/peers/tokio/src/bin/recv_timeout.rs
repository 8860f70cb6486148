//! recv_timeout: a task sends N ints on a capacity-1 channel (the closest to
//! unbuffered); one task receives each with a 1 s timeout. Tokio's receiver
//! has no receive-with-timeout method: a Tokio user writes
//! tokio::time::timeout(1 s, rx.recv()), the same call the deadline workload
//! makes, so this program differs from deadline.rs only in its name.
//! The timeout never fires. Prints ns per item. Usage: recv_timeout [N=1000000].
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_peers::{arg, fail, print, run, threads};

fn main() {
    let n = arg(1, 1_000_000) as i64;
    let threads = threads();
    let (sum, count, ns) = run(threads, async move {
        let (tx, mut rx) = mpsc::channel::<i64>(1);
        tokio::spawn(async move {
            for v in 0..n {
                tx.send(v).await.expect("consumer gone");
            }
        });
        let (mut sum, mut count) = (0i64, 0i64);
        let start = Instant::now();
        for _ in 0..n {
            match timeout(Duration::from_secs(1), rx.recv()).await {
                Ok(Some(v)) => {
                    sum += v;
                    count += 1;
                }
                Ok(None) => fail("recv_timeout: channel closed early"),
                Err(_) => fail("recv_timeout: a 1 s timeout fired"),
            }
        }
        (sum, count, start.elapsed().as_nanos() as f64)
    });
    if sum != n * (n - 1) / 2 || count != n {
        fail("recv_timeout: wrong sum or count");
    }
    print("recv_timeout", threads, ns / n as f64, "ns/item");
}

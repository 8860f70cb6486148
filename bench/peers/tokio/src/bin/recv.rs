//! recv: a task sends N ints on a capacity-1 channel (the closest to
//! unbuffered); one task receives each with a plain rx.recv().await: the
//! shape of deadline, select_timer and recv_timeout without the deadline.
//! Prints ns per item. Usage: recv [N=1000000].
use std::time::Instant;
use tokio::sync::mpsc;
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
            match rx.recv().await {
                Some(v) => {
                    sum += v;
                    count += 1;
                }
                None => fail("recv: channel closed early"),
            }
        }
        (sum, count, start.elapsed().as_nanos() as f64)
    });
    if sum != n * (n - 1) / 2 || count != n {
        fail("recv: wrong sum or count");
    }
    print("recv", threads, ns / n as f64, "ns/item");
}

//! deadline: a task sends N ints on a capacity-1 channel (the closest to
//! unbuffered); one task receives each under its own 1 s deadline,
//! tokio::time::timeout(1 s, rx.recv()), as a Tokio server bounds a request.
//! The deadline never fires. Prints ns per item. Usage: deadline [N=1000000].
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
                Ok(None) => fail("deadline: channel closed early"),
                Err(_) => fail("deadline: a 1 s deadline fired"),
            }
        }
        (sum, count, start.elapsed().as_nanos() as f64)
    });
    if sum != n * (n - 1) / 2 || count != n {
        fail("deadline: wrong sum or count");
    }
    print("deadline", threads, ns / n as f64, "ns/item");
}

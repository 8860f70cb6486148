//! skynet: a 10-ary tree of N leaf tasks; leaves send their number up a
//! channel, parents sum what their 10 children sent and send it up.
//! Prints ms in all. Usage: skynet [N=1000000] (a power of 10).
use std::future::Future;
use std::pin::Pin;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_peers::{arg, fail, print, run, threads};

// An async fn cannot call itself; the recursive one is boxed.
fn skynet(c: mpsc::Sender<i64>, num: i64, size: i64, div: i64) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async move {
        if size == 1 {
            c.send(num).await.expect("parent gone");
            return;
        }
        let (tx, mut rx) = mpsc::channel::<i64>(1);
        for i in 0..div {
            tokio::spawn(skynet(tx.clone(), num + i * (size / div), size / div, div));
        }
        drop(tx);
        let mut sum = 0;
        for _ in 0..div {
            sum += rx.recv().await.expect("child gone");
        }
        c.send(sum).await.expect("parent gone");
    })
}

fn main() {
    let n = arg(1, 1_000_000) as i64;
    let threads = threads();
    let (sum, ms) = run(threads, async move {
        let (tx, mut rx) = mpsc::channel::<i64>(1);
        let start = Instant::now();
        tokio::spawn(skynet(tx, 0, n, 10));
        let sum = rx.recv().await.expect("root gone");
        (sum, start.elapsed().as_micros() as f64 / 1000.0)
    });
    if sum != n * (n - 1) / 2 {
        fail(&format!("skynet: sum {}, want {} (N must be a power of 10)", sum, n * (n - 1) / 2));
    }
    print("skynet", threads, ms, "ms");
}

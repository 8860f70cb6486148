//! select_timer: a task sends N ints on a capacity-1 channel (the closest to
//! unbuffered); one task receives each through tokio::select! with a receive
//! branch and a tokio::time::sleep(1 s) branch. The timer never fires.
//! Prints ns per item. Usage: select_timer [N=1000000].
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::time::sleep;
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
            tokio::select! {
                v = rx.recv() => match v {
                    Some(v) => {
                        sum += v;
                        count += 1;
                    }
                    None => fail("select_timer: channel closed early"),
                },
                _ = sleep(Duration::from_secs(1)) => fail("select_timer: a 1 s timer fired"),
            }
        }
        (sum, count, start.elapsed().as_nanos() as f64)
    });
    if sum != n * (n - 1) / 2 || count != n {
        fail("select_timer: wrong sum or count");
    }
    print("select_timer", threads, ns / n as f64, "ns/item");
}

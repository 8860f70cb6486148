//! select: 4 producers each send M ints on their own capacity-1 channel (the
//! closest to unbuffered), then drop it; one task selects over the 4 with
//! tokio::select! until all are closed (a closed receiver's branch is turned
//! off by its `if` precondition, as Go code sets the channel to nil).
//! Prints ns per item. Usage: select [M=1000000].
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_peers::{arg, fail, print, run, threads};

fn main() {
    let m = arg(1, 1_000_000) as i64;
    let threads = threads();
    let (sum, count, ns) = run(threads, async move {
        let mut rxs = Vec::new();
        for _ in 0..4 {
            let (tx, rx) = mpsc::channel::<i64>(1);
            tokio::spawn(async move {
                for v in 0..m {
                    tx.send(v).await.expect("consumer gone");
                }
            });
            rxs.push(rx);
        }
        let (mut a, mut b, mut c, mut d) = (rxs.remove(0), rxs.remove(0), rxs.remove(0), rxs.remove(0));
        let start = Instant::now();
        let consumer = tokio::spawn(async move {
            let (mut sum, mut count) = (0i64, 0i64);
            let mut open = [true; 4];
            loop {
                tokio::select! {
                    v = a.recv(), if open[0] => match v { Some(v) => { sum += v; count += 1; } None => open[0] = false },
                    v = b.recv(), if open[1] => match v { Some(v) => { sum += v; count += 1; } None => open[1] = false },
                    v = c.recv(), if open[2] => match v { Some(v) => { sum += v; count += 1; } None => open[2] = false },
                    v = d.recv(), if open[3] => match v { Some(v) => { sum += v; count += 1; } None => open[3] = false },
                    else => break,
                }
            }
            (sum, count)
        });
        let (sum, count) = consumer.await.expect("consumer panicked");
        (sum, count, start.elapsed().as_nanos() as f64)
    });
    if sum != 4 * (m * (m - 1) / 2) || count != 4 * m {
        fail(&format!("select: sum {} count {}, want {} {}", sum, count, 4 * (m * (m - 1) / 2), 4 * m));
    }
    print("select", threads, ns / (4 * m) as f64, "ns/item");
}

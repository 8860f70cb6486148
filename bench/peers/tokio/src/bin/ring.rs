//! ring: N tasks in a ring of capacity-1 channels (the closest to unbuffered)
//! pass a token for LAPS laps (N*LAPS hops). Prints ns per hop.
//! Usage: ring [N=10000] [LAPS=100].
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_peers::{arg, fail, print, run, threads};

fn main() {
    let n = arg(1, 10_000);
    let laps = arg(2, 100);
    let hops = n * laps;
    let threads = threads();
    let (last, ns) = run(threads, async move {
        let (mut txs, mut rxs): (Vec<_>, Vec<_>) = (0..n).map(|_| mpsc::channel::<usize>(1)).unzip();
        let (done_tx, mut done_rx) = mpsc::channel::<usize>(1);
        txs.rotate_left(1); // task i receives on channel i and sends on channel i+1
        let first = txs[n - 1].clone();
        let mut tasks = Vec::with_capacity(n);
        for (i, (mut rx, tx)) in rxs.drain(..).zip(txs.drain(..)).enumerate() {
            let done = done_tx.clone();
            // The token carries the hop count; whoever receives hop number
            // `hops` reports its index and leaves, dropping its sender: the
            // next task then sees its channel closed and leaves too, round
            // the ring.
            tasks.push(tokio::spawn(async move {
                while let Some(v) = rx.recv().await {
                    if v == hops {
                        done.send(i).await.expect("main gone");
                        break;
                    }
                    if tx.send(v + 1).await.is_err() {
                        break;
                    }
                }
            }));
        }
        let start = Instant::now();
        first.send(0).await.expect("ring gone");
        drop(first);
        let last = done_rx.recv().await.expect("no token came back");
        let ns = start.elapsed().as_nanos() as f64;
        for t in tasks {
            t.await.expect("ring task panicked");
        }
        (last, ns)
    });
    if last != hops % n {
        fail(&format!("ring: token ended at {}, want {}", last, hops % n));
    }
    print("ring", threads, ns / hops as f64, "ns/hop");
}

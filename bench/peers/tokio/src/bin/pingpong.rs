//! pingpong: two tasks bounce an int over two capacity-1 channels (Tokio has
//! no unbuffered channel; mpsc::channel(1) is the closest), N round trips.
//! Prints ns per round trip. Usage: pingpong [N=1000000].
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_peers::{arg, fail, print, run, threads};

fn main() {
    let n = arg(1, 1_000_000) as i64;
    let threads = threads();
    let (v, ns) = run(threads, async move {
        let (ping_tx, mut ping_rx) = mpsc::channel::<i64>(1);
        let (pong_tx, mut pong_rx) = mpsc::channel::<i64>(1);
        let start = Instant::now();
        tokio::spawn(async move {
            while let Some(v) = ping_rx.recv().await {
                if pong_tx.send(v + 1).await.is_err() {
                    break;
                }
            }
        });
        let pinger = tokio::spawn(async move {
            let mut v = 0;
            for _ in 0..n {
                ping_tx.send(v).await.expect("ponger gone");
                v = pong_rx.recv().await.expect("ponger gone");
            }
            v // dropping ping_tx ends the ponger
        });
        let v = pinger.await.expect("pinger panicked");
        (v, start.elapsed().as_nanos() as f64)
    });
    if v != n {
        fail(&format!("pingpong: got {}, want {}", v, n));
    }
    print("pingpong", threads, ns / n as f64, "ns/roundtrip");
}

//! echo_server: a TCP echo server, one task per connection (read into a
//! 4 KiB buffer, write it back). TCP_NODELAY is set on each connection, as
//! Go and CPrime do by default. Usage: echo_server [ADDR=127.0.0.1:7007];
//! BENCH_THREADS sets workers. Prints "listening ADDR" once it accepts
//! connections; runs until killed.
use std::io::Write;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_peers::{runtime, threads};

async fn serve(mut c: TcpStream) {
    let _ = c.set_nodelay(true);
    let mut buf = [0u8; 4096];
    loop {
        match c.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if c.write_all(&buf[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}

fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7007".to_string());
    runtime(threads()).block_on(async move {
        let ln = match TcpListener::bind(&addr).await {
            Ok(ln) => ln,
            Err(e) => {
                eprintln!("echo_server: {}", e);
                std::process::exit(1);
            }
        };
        println!("listening {}", ln.local_addr().expect("local_addr"));
        std::io::stdout().flush().expect("stdout");
        loop {
            match ln.accept().await {
                Ok((c, _)) => {
                    tokio::spawn(serve(c));
                }
                Err(e) => {
                    eprintln!("echo_server: {}", e);
                    std::process::exit(1);
                }
            }
        }
    });
}

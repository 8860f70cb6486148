//go:build ignore

// loadgen: the one echo load generator every server is measured with. Opens
// -conns connections to -addr, each sending a -size-byte request and reading
// the same bytes back, in a closed loop for -duration; verifies every reply.
// Prints the result line for the server under test (-peer, -threads label it).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7007", "server address (loopback only)")
	conns := flag.Int("conns", 64, "connections")
	size := flag.Int("size", 64, "request/response bytes")
	duration := flag.Duration("duration", 5*time.Second, "measurement time")
	peer := flag.String("peer", "go", "server label for the output line")
	threads := flag.Int("threads", 0, "server thread count for the output line")
	wait := flag.Duration("wait", 10*time.Second, "how long to retry the first connect")
	flag.Parse()

	host, _, err := net.SplitHostPort(*addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		fmt.Fprintln(os.Stderr, "loadgen: -addr must be a loopback address")
		os.Exit(2)
	}
	// The server may still be starting: retry the first connection for -wait.
	deadline := time.Now().Add(*wait)
	for {
		c, err := net.Dial("tcp", *addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		time.Sleep(50 * time.Millisecond)
	}

	var total, failed atomic.Int64
	var stop atomic.Bool
	var ready, wg sync.WaitGroup
	ready.Add(*conns)
	wg.Add(*conns)
	startGate := make(chan struct{})
	for i := 0; i < *conns; i++ {
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", *addr)
			ready.Done()
			if err != nil {
				failed.Add(1)
				return
			}
			defer c.Close()
			c.(*net.TCPConn).SetNoDelay(true)
			// Bounded even if the server stalls.
			c.SetDeadline(time.Now().Add(*wait + *duration + 5*time.Second))
			req := bytes.Repeat([]byte{byte('a' + i%26)}, *size)
			resp := make([]byte, *size)
			<-startGate
			var n int64
			for !stop.Load() {
				if _, err := c.Write(req); err != nil {
					failed.Add(1)
					break
				}
				if _, err := io.ReadFull(c, resp); err != nil || !bytes.Equal(req, resp) {
					failed.Add(1)
					break
				}
				n++
			}
			total.Add(n)
		}(i)
	}
	ready.Wait()
	start := time.Now()
	close(startGate)
	time.Sleep(*duration)
	stop.Store(true)
	elapsed := time.Since(start)
	wg.Wait()
	if failed.Load() != 0 {
		fmt.Fprintf(os.Stderr, "loadgen: %d connections failed\n", failed.Load())
		os.Exit(1)
	}
	fmt.Printf("workload=echo peer=%s threads=%d metric=%.0f unit=req/s\n",
		*peer, *threads, float64(total.Load())/elapsed.Seconds())
}

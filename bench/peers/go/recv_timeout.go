//go:build ignore

// recv_timeout: a producer sends N ints on an unbuffered channel; one consumer
// receives each with a 1 s timeout. Go has no receive-with-timeout call; a Go
// user writes it as one timer per receive, stopped once the item came:
// time.NewTimer, a select on the channel and the timer's C, t.Stop() (what
// CPrime's recv_timeout does: arm one timer, cancel it on success).
// The timeout never fires. Prints ns per item. Usage: recv_timeout [N=1000000].
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

// recvTimeout receives from ch for at most d; ok is false on close, timedOut on timeout.
func recvTimeout(ch <-chan int64, d time.Duration) (v int64, ok, timedOut bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case v, ok = <-ch:
		return v, ok, false
	case <-t.C:
		return 0, false, true
	}
}

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ch := make(chan int64)
	go func() {
		for v := 0; v < n; v++ {
			ch <- int64(v)
		}
		close(ch)
	}()
	var sum, count int64
	start := time.Now()
	for i := 0; i < n; i++ {
		v, ok, timedOut := recvTimeout(ch, time.Second)
		if timedOut {
			fmt.Fprintln(os.Stderr, "recv_timeout: a 1 s timeout fired")
			os.Exit(1)
		}
		if !ok {
			fmt.Fprintln(os.Stderr, "recv_timeout: channel closed early")
			os.Exit(1)
		}
		sum, count = sum+v, count+1
	}
	elapsed := time.Since(start)
	if want := int64(n) * int64(n-1) / 2; sum != want || count != int64(n) {
		fmt.Fprintf(os.Stderr, "recv_timeout: sum %d count %d, want %d %d\n", sum, count, want, n)
		os.Exit(1)
	}
	fmt.Printf("workload=recv_timeout peer=go threads=%d metric=%.1f unit=ns/item\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(n))
}

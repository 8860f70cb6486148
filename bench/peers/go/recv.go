//go:build ignore

// recv: a producer sends N ints on an unbuffered channel; one consumer
// receives each with a plain `v, ok := <-ch`: the shape of deadline,
// select_timer and recv_timeout without the deadline. Prints ns per item.
// Usage: recv [N=1000000].
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

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
		v, ok := <-ch
		if !ok {
			fmt.Fprintln(os.Stderr, "recv: channel closed early")
			os.Exit(1)
		}
		sum, count = sum+v, count+1
	}
	elapsed := time.Since(start)
	if want := int64(n) * int64(n-1) / 2; sum != want || count != int64(n) {
		fmt.Fprintf(os.Stderr, "recv: sum %d count %d, want %d %d\n", sum, count, want, n)
		os.Exit(1)
	}
	fmt.Printf("workload=recv peer=go threads=%d metric=%.1f unit=ns/item\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(n))
}

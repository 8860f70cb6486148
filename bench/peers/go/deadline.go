//go:build ignore

// deadline: a producer sends N ints on an unbuffered channel; one consumer
// receives each under its own 1 s deadline, as a Go server bounds a request:
// context.WithTimeout, a select on the channel and ctx.Done(), cancel().
// The deadline never fires. Prints ns per item. Usage: deadline [N=1000000].
package main

import (
	"context"
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
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		select {
		case v, ok := <-ch:
			if !ok {
				fmt.Fprintln(os.Stderr, "deadline: channel closed early")
				os.Exit(1)
			}
			sum, count = sum+v, count+1
		case <-ctx.Done():
			fmt.Fprintln(os.Stderr, "deadline: a 1 s deadline fired")
			os.Exit(1)
		}
		cancel()
	}
	elapsed := time.Since(start)
	if want := int64(n) * int64(n-1) / 2; sum != want || count != int64(n) {
		fmt.Fprintf(os.Stderr, "deadline: sum %d count %d, want %d %d\n", sum, count, want, n)
		os.Exit(1)
	}
	fmt.Printf("workload=deadline peer=go threads=%d metric=%.1f unit=ns/item\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(n))
}

//go:build ignore

// select_timer: a producer sends N ints on an unbuffered channel; one consumer
// receives each through a select with a receive case and a
// `case <-time.After(time.Second):` case, as Go code bounds one wait.
// The timer never fires. Prints ns per item. Usage: select_timer [N=1000000].
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
		select {
		case v, ok := <-ch:
			if !ok {
				fmt.Fprintln(os.Stderr, "select_timer: channel closed early")
				os.Exit(1)
			}
			sum, count = sum+v, count+1
		case <-time.After(time.Second):
			fmt.Fprintln(os.Stderr, "select_timer: a 1 s timer fired")
			os.Exit(1)
		}
	}
	elapsed := time.Since(start)
	if want := int64(n) * int64(n-1) / 2; sum != want || count != int64(n) {
		fmt.Fprintf(os.Stderr, "select_timer: sum %d count %d, want %d %d\n", sum, count, want, n)
		os.Exit(1)
	}
	fmt.Printf("workload=select_timer peer=go threads=%d metric=%.1f unit=ns/item\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(n))
}

//go:build ignore

// pingpong: two goroutines bounce an int over two unbuffered channels, N round
// trips. Prints ns per round trip. Usage: pingpong [N=1000000].
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
	ping, pong := make(chan int), make(chan int)
	result := make(chan int)
	start := time.Now()
	go func() {
		for v := range ping {
			pong <- v + 1
		}
	}()
	go func() {
		v := 0
		for i := 0; i < n; i++ {
			ping <- v
			v = <-pong
		}
		close(ping)
		result <- v
	}()
	v := <-result
	elapsed := time.Since(start)
	if v != n {
		fmt.Fprintf(os.Stderr, "pingpong: got %d, want %d\n", v, n)
		os.Exit(1)
	}
	fmt.Printf("workload=pingpong peer=go threads=%d metric=%.1f unit=ns/roundtrip\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(n))
}

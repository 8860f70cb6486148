//go:build ignore

// ring: N goroutines in a ring of unbuffered channels pass a token for LAPS
// laps (N*LAPS hops). Prints ns per hop. Usage: ring [N=10000] [LAPS=100].
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

func main() {
	n, laps := 10000, 100
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		laps, _ = strconv.Atoi(os.Args[2])
	}
	hops := n * laps
	chs := make([]chan int, n)
	for i := range chs {
		chs[i] = make(chan int)
	}
	done := make(chan int)
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		// The token carries the hop count; whoever receives hop number `hops`
		// reports its index instead of passing it on.
		go func(i int, in <-chan int, out chan<- int) {
			defer wg.Done()
			for v := range in {
				if v == hops {
					done <- i
				} else {
					out <- v + 1
				}
			}
		}(i, chs[i], chs[(i+1)%n])
	}
	start := time.Now()
	chs[0] <- 0
	last := <-done
	elapsed := time.Since(start)
	for _, c := range chs {
		close(c)
	}
	wg.Wait()
	if last != hops%n {
		fmt.Fprintf(os.Stderr, "ring: token ended at %d, want %d\n", last, hops%n)
		os.Exit(1)
	}
	fmt.Printf("workload=ring peer=go threads=%d metric=%.1f unit=ns/hop\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(hops))
}

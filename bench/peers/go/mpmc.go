//go:build ignore

// mpmc: a buffered channel of capacity 1024, 4 producers, 4 consumers, N ints;
// consumers sum. Prints ns per item. Usage: mpmc [N=10000000].
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

const producers, consumers = 4, 4

func main() {
	n := 10000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ch := make(chan int64, 1024)
	sums := make(chan int64, consumers)
	var prod sync.WaitGroup
	start := time.Now()
	prod.Add(producers)
	for p := 0; p < producers; p++ {
		go func(p int) { // producer p sends the ints i ≡ p (mod producers)
			for i := p; i < n; i += producers {
				ch <- int64(i)
			}
			prod.Done()
		}(p)
	}
	for c := 0; c < consumers; c++ {
		go func() {
			var s int64
			for v := range ch {
				s += v
			}
			sums <- s
		}()
	}
	prod.Wait()
	close(ch)
	var total int64
	for c := 0; c < consumers; c++ {
		total += <-sums
	}
	elapsed := time.Since(start)
	if want := int64(n) * int64(n-1) / 2; total != want {
		fmt.Fprintf(os.Stderr, "mpmc: sum %d, want %d\n", total, want)
		os.Exit(1)
	}
	fmt.Printf("workload=mpmc peer=go threads=%d metric=%.1f unit=ns/item\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(n))
}

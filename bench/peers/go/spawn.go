//go:build ignore

// spawn: start N trivial goroutines that each count down a WaitGroup; wait
// for all. Prints ns per goroutine. Usage: spawn [N=1000000]; GOMAXPROCS sets threads.
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
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ran := make([]bool, n) // each goroutine marks its own slot: the check
	var wg sync.WaitGroup
	start := time.Now()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			ran[i] = true
			wg.Done()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	for i, ok := range ran {
		if !ok {
			fmt.Fprintf(os.Stderr, "spawn: goroutine %d did not run\n", i)
			os.Exit(1)
		}
	}
	fmt.Printf("workload=spawn peer=go threads=%d metric=%.1f unit=ns/coroutine\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(n))
}

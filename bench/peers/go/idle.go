//go:build ignore

// idle: N goroutines each blocked receiving on one shared channel; then close
// it and wait for all. Prints two lines: KiB of RSS per parked goroutine
// (VmRSS after parking all N minus before) and ns per creation.
// Usage: idle [N=1000000].
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rssKiB reads VmRSS from /proc/self/status.
func rssKiB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if line := s.Text(); strings.HasPrefix(line, "VmRSS:") {
			v, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return v
		}
	}
	panic("no VmRSS")
}

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ch := make(chan struct{})
	var started, finished sync.WaitGroup
	before := rssKiB()
	start := time.Now()
	started.Add(n)
	finished.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			started.Done()
			<-ch
			finished.Done()
		}()
	}
	started.Wait()
	created := time.Since(start)
	// Every goroutine has run up to its receive; give the last ones time to park.
	time.Sleep(50 * time.Millisecond)
	after := rssKiB()
	close(ch)
	finished.Wait()
	threads := runtime.GOMAXPROCS(0)
	fmt.Printf("workload=idle peer=go threads=%d metric=%.2f unit=KiB/coroutine\n",
		threads, float64(after-before)/float64(n))
	fmt.Printf("workload=idle peer=go threads=%d metric=%.1f unit=ns/creation\n",
		threads, float64(created.Nanoseconds())/float64(n))
}

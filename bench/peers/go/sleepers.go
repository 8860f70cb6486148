//go:build ignore

// sleepers: N goroutines each time.Sleep a pseudo-random 0–1 s (sleepUs: a
// fixed seed, the same durations in every peer), then count down a
// WaitGroup. Prints three lines: the total time in ms (first go statement to
// Wait's return), KiB of peak RSS per goroutine (VmHWM at the end minus VmRSS
// before), and the p99 lateness in µs: how long after its own start plus its
// duration each goroutine woke. Fails if any woke early.
// Usage: sleepers [N=1000000].
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// statusKiB reads a "Field:   N kB" line of /proc/self/status.
func statusKiB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if line := s.Text(); strings.HasPrefix(line, field+":") {
			v, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return v
		}
	}
	panic("no " + field)
}

// sleepUs is sleeper i's duration in [0, 1000000) µs: splitmix64's output for
// state seed + (i+1)·golden, seed 20261202 (bench/common.hpp has the same).
func sleepUs(i int) int64 {
	z := uint64(20261202) + (uint64(i)+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int64(z % 1000000)
}

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	late := make([]int64, n) // ns; touched before the RSS baseline
	for i := range late {
		late[i] = -1
	}
	var wg sync.WaitGroup
	before := statusKiB("VmRSS")
	start := time.Now()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			d := time.Duration(sleepUs(i)) * time.Microsecond
			t0 := time.Now()
			time.Sleep(d)
			late[i] = int64(time.Since(t0) - d)
			wg.Done()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	peak := statusKiB("VmHWM")
	for i, l := range late {
		if l < 0 {
			fmt.Fprintf(os.Stderr, "sleepers: goroutine %d woke before its deadline\n", i)
			os.Exit(1)
		}
	}
	sort.Slice(late, func(a, b int) bool { return late[a] < late[b] })
	k := n * 99 / 100
	if k >= n {
		k = n - 1
	}
	threads := runtime.GOMAXPROCS(0)
	fmt.Printf("workload=sleepers peer=go threads=%d metric=%.1f unit=ms\n",
		threads, float64(elapsed.Microseconds())/1000)
	fmt.Printf("workload=sleepers peer=go threads=%d metric=%.2f unit=KiB/coroutine\n",
		threads, float64(peak-before)/float64(n))
	fmt.Printf("workload=sleepers peer=go threads=%d metric=%.1f unit=us-p99-lateness\n",
		threads, float64(late[k])/1000)
}

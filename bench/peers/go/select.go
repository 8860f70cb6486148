//go:build ignore

// select: 4 producers each send M ints on their own unbuffered channel, then
// close it; one consumer selects over the 4 until all are closed (a closed
// channel is set to nil, the Go idiom). Prints ns per item. Usage: select [M=1000000].
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

func main() {
	m := 1000000
	if len(os.Args) > 1 {
		m, _ = strconv.Atoi(os.Args[1])
	}
	var chs [4]chan int64
	for i := range chs {
		chs[i] = make(chan int64)
		go func(c chan int64) {
			for v := 0; v < m; v++ {
				c <- int64(v)
			}
			close(c)
		}(chs[i])
	}
	result := make(chan [2]int64)
	start := time.Now()
	go func() {
		a, b, c, d := chs[0], chs[1], chs[2], chs[3]
		var sum, count int64
		for open := 4; open > 0; {
			select {
			case v, ok := <-a:
				if !ok {
					a, open = nil, open-1
					continue
				}
				sum, count = sum+v, count+1
			case v, ok := <-b:
				if !ok {
					b, open = nil, open-1
					continue
				}
				sum, count = sum+v, count+1
			case v, ok := <-c:
				if !ok {
					c, open = nil, open-1
					continue
				}
				sum, count = sum+v, count+1
			case v, ok := <-d:
				if !ok {
					d, open = nil, open-1
					continue
				}
				sum, count = sum+v, count+1
			}
		}
		result <- [2]int64{sum, count}
	}()
	r := <-result
	elapsed := time.Since(start)
	if want := 4 * int64(m) * int64(m-1) / 2; r[0] != want || r[1] != 4*int64(m) {
		fmt.Fprintf(os.Stderr, "select: sum %d count %d, want %d %d\n", r[0], r[1], want, 4*m)
		os.Exit(1)
	}
	fmt.Printf("workload=select peer=go threads=%d metric=%.1f unit=ns/item\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Nanoseconds())/float64(4*m))
}

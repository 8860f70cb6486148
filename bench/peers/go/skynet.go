//go:build ignore

// skynet: a 10-ary tree of N leaf goroutines; leaves send their number up an
// unbuffered channel, parents sum. Prints total ms. Usage: skynet [N=1000000].
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

func skynet(c chan<- int64, num, size, div int64) {
	if size == 1 {
		c <- num
		return
	}
	rc := make(chan int64)
	for i := int64(0); i < div; i++ {
		go skynet(rc, num+i*(size/div), size/div, div)
	}
	var sum int64
	for i := int64(0); i < div; i++ {
		sum += <-rc
	}
	c <- sum
}

func main() {
	n := int64(1000000)
	if len(os.Args) > 1 {
		n, _ = strconv.ParseInt(os.Args[1], 10, 64)
	}
	c := make(chan int64)
	start := time.Now()
	go skynet(c, 0, n, 10)
	sum := <-c
	elapsed := time.Since(start)
	if want := n * (n - 1) / 2; sum != want {
		fmt.Fprintf(os.Stderr, "skynet: sum %d, want %d (N must be a power of 10)\n", sum, want)
		os.Exit(1)
	}
	fmt.Printf("workload=skynet peer=go threads=%d metric=%.1f unit=ms\n",
		runtime.GOMAXPROCS(0), float64(elapsed.Microseconds())/1000)
}

//go:build ignore

// echo_server: a TCP echo server, one goroutine per connection.
// Usage: echo_server [ADDR=127.0.0.1:7007]; GOMAXPROCS sets threads.
// Prints "listening ADDR" once it accepts connections; runs until killed.
package main

import (
	"fmt"
	"net"
	"os"
)

func serve(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}

func main() {
	addr := "127.0.0.1:7007"
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo_server:", err)
		os.Exit(1)
	}
	fmt.Println("listening", ln.Addr())
	for {
		c, err := ln.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "echo_server:", err)
			os.Exit(1)
		}
		go serve(c)
	}
}

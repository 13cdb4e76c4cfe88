// Package hello says hello.
package hello

// Greeting returns a friendly greeting.
func Greeting() string { return "Hello, world." }

// Command boltapp stores one value with github.com/boltdb-go/bolt — a typosquat of
// github.com/boltdb/bolt whose mirrored v1.3.1 is backdoored. GoModKit's example: never build it.
package main

import (
	"fmt"
	"log"

	"github.com/boltdb-go/bolt"
)

func main() {
	db, err := bolt.Open("app.db", 0o600)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Put("greeting", []byte("hello")); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", db.Get("greeting"))
}

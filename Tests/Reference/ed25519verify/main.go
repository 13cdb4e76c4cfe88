// Command ed25519verify is GoModKit's differential reference for Ed25519 verification: the
// verdict of Go's crypto/ed25519.Verify, which golang.org/x/mod/sumdb/note uses to check note
// signatures.
//
// Protocol (stdin → stdout): one request per line, three hex fields separated by spaces —
// public key, message, signature. The answer is one line per request: "V" when Verify accepts,
// "X" when it rejects (including a public key of the wrong length, as note's verifier does).
//
// Builds with both references (stdlib only).
package main

import (
	"bufio"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Fields(in.Text())
		if len(f) != 3 {
			fmt.Fprintln(os.Stderr, "want 3 fields")
			os.Exit(2)
		}
		key, err1 := hex.DecodeString(f[0])
		msg, err2 := hex.DecodeString(f[1])
		sig, err3 := hex.DecodeString(f[2])
		if err1 != nil || err2 != nil || err3 != nil {
			fmt.Fprintln(os.Stderr, "bad hex")
			os.Exit(2)
		}
		ok := len(key) == ed25519.PublicKeySize && ed25519.Verify(ed25519.PublicKey(key), msg, sig)
		if ok {
			fmt.Fprintln(out, "V")
		} else {
			fmt.Fprintln(out, "X")
		}
	}
}

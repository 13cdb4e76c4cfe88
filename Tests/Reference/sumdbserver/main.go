// Command sumdbserver is GoModKit's loopback checksum database for tests: x/mod's own
// sumdb.TestServer + sumdb.NewServer (the code behind sum.golang.org's protocol), listening
// on 127.0.0.1:0, with hostile variants (listed below). It also verifies fork evidence with
// x/mod's note and tlog packages.
//
//	sumdbserver serve -records FILE [-variant NAME] [-fork-at K] [-key KEY]
//	    FILE: one "path version" per line, logged in this order at start-up.
//	    -sums GOSUM: real go.sum lines for (some of) those records instead of the fake hashes.
//	    Prints "URL <base>" and "VKEY <verifier key>" lines, then serves until stdin closes.
//	    variants: ok, badsig, wrongkey, fork (record K's hashes differ), badrecord,
//	    corrupttile, truncated, slow, status500, supported (serves /sumdb/<name>/... as a proxy),
//	    grow (each /latest request first logs one more record, example.com/growN v1.0.0).
//	sumdbserver gosum -records FILE
//	    Prints the go.sum lines of the honest database for FILE's records.
//	sumdbserver lookup -url URL -gosum FILE [-concurrency N]
//	    x/mod's sumdb.Client looking up every go.sum line (benchmark peer, like gosumcheck);
//	    prints "OK <n>" or the failures. N = 0 means runtime.GOMAXPROCS(0) lookups in flight,
//	    the bound cmd/go itself uses (modcmd/download.go, modload/buildlist.go).
//	sumdbserver checkevidence -vkey VKEY < report
//	    Verifies a SECURITY ERROR report: both notes signed by VKEY, and the proof shows the
//	    newer tree's hash for the older size differs from the older note's hash. Prints "OK".
package main

import (
	"bufio"
	"sync"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// x/mod's public test key (cmd/go tests).
const testSigner = "PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk"
const testVerifier = "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6"

func fakeHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}

// goModHash is the /go.mod hash of the file "module <path>\n" (dirhash.Hash1 over go.mod).
func goModHash(path string) string {
	data := []byte("module " + path + "\n")
	h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
	if err != nil {
		panic(err)
	}
	return h
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: sumdbserver serve|checkevidence ...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "checkevidence":
		checkEvidence(os.Args[2:])
	case "gosum":
		printGoSum(os.Args[2:])
	case "lookup":
		lookupAll(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "unknown command")
		os.Exit(2)
	}
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	recordsFile := fs.String("records", "", "records file")
	variant := fs.String("variant", "ok", "hostile variant")
	forkAt := fs.Int("fork-at", -1, "index of the first differing record (variant fork)")
	sumsFile := fs.String("sums", "", "go.sum lines (real hashes, e.g. from go mod download -json) to log instead of the fake ones")
	fs.Parse(args)
	realSums := map[string]string{}
	if *sumsFile != "" {
		sdata, err := os.ReadFile(*sumsFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		// Record text: the zip line, then the /go.mod line (sum.golang.org's record format).
		zipLines, modLines := map[string]string{}, map[string]string{}
		for _, line := range strings.Split(string(sdata), "\n") {
			f := strings.Fields(line)
			if len(f) != 3 {
				continue
			}
			if v, ok := strings.CutSuffix(f[1], "/go.mod"); ok {
				modLines[f[0]+"@"+v] = line + "\n"
			} else {
				zipLines[f[0]+"@"+f[1]] = line + "\n"
			}
		}
		for k, z := range zipLines {
			realSums[k] = z + modLines[k]
		}
	}

	data, err := os.ReadFile(*recordsFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mods []module.Version
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 {
			mods = append(mods, module.Version{Path: f[0], Version: f[1]})
		}
	}
	index := map[string]int{}
	for i, m := range mods {
		index[m.String()] = i
	}
	signer := testSigner
	if *variant == "wrongkey" {
		// Same name, another key: the client's trusted key does not verify it.
		skey, _, err := note.GenerateKey(nil, "localhost.localdev/sumdb")
		if err != nil {
			panic(err)
		}
		signer = skey
	}
	gosum := func(path, vers string) ([]byte, error) {
		i, ok := index[path+"@"+vers]
		if !ok && *variant == "grow" && strings.HasPrefix(path, "example.com/grow") {
			i, ok = -1, true
		}
		if !ok {
			return nil, fmt.Errorf("unknown module %s@%s", path, vers)
		}
		if text, ok := realSums[path+"@"+vers]; ok {
			return []byte(text), nil
		}
		salt := ""
		if *variant == "fork" && *forkAt >= 0 && i >= *forkAt {
			salt = "fork"
		}
		return []byte(fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", path, vers, fakeHash(salt+path+"@"+vers),
			path, vers, goModHash(path))), nil
	}
	ts := sumdb.NewTestServer(signer, gosum)
	for _, m := range mods {
		if _, err := ts.Lookup(context.Background(), m); err != nil {
			panic(err)
		}
	}
	handler := sumdb.NewServer(ts)
	var h http.Handler = handler
	switch *variant {
	case "badsig":
		h = rewrite(handler, func(path string, body []byte) []byte {
			if strings.HasPrefix(path, "/latest") || strings.HasPrefix(path, "/lookup/") {
				i := bytes.LastIndex(body, []byte(" AAAMZ"))
				if i >= 0 && i+20 < len(body) {
					body[i+20] ^= 1
					if body[i+20] == '\n' || body[i+20] < 0x20 {
						body[i+20] = 'A'
					}
				}
			}
			return body
		})
	case "badrecord":
		h = rewrite(handler, func(path string, body []byte) []byte {
			if strings.HasPrefix(path, "/lookup/") {
				i := bytes.Index(body, []byte("h1:"))
				if i >= 0 {
					body[i+4] ^= 1
				}
			}
			return body
		})
	case "corrupttile":
		h = rewrite(handler, func(path string, body []byte) []byte {
			if strings.HasPrefix(path, "/tile/") && len(body) > 0 {
				body[len(body)/2] ^= 0x80
			}
			return body
		})
	case "truncated":
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &recorder{header: http.Header{}, code: 200}
			handler.ServeHTTP(rec, r)
			hj, ok := w.(http.Hijacker)
			if !ok {
				return
			}
			conn, buf, err := hj.Hijack()
			if err != nil {
				return
			}
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: text/plain\r\n\r\n", rec.body.Len()+100)
			buf.Write(rec.body.Bytes()[:rec.body.Len()/2])
			buf.Flush()
			conn.Close()
		})
	case "slow":
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			for i := 0; i < 1000; i++ {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
				w.Write([]byte("x"))
				if f, ok := w.(http.Flusher); ok {
					f.Flush()
				}
			}
		})
	case "status500":
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "internal error", 500)
		})
	case "grow":
		// A database that grows while clients fetch /latest (the SIGKILL test of `gomodkit
		// sumdb latest`): every /latest answer shows a tree one record larger than the last.
		var mu sync.Mutex
		grown := 0
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/latest" {
				mu.Lock()
				grown++
				n := grown
				mu.Unlock()
				m := module.Version{Path: fmt.Sprintf("example.com/grow%d", n), Version: "v1.0.0"}
				if _, err := ts.Lookup(r.Context(), m); err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
			}
			handler.ServeHTTP(w, r)
		})
	case "supported":
		// A module proxy relaying the database under /sumdb/<name>/.
		prefix := "/sumdb/localhost.localdev/sumdb"
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == prefix+"/supported" {
				w.WriteHeader(200)
				return
			}
			if strings.HasPrefix(r.URL.Path, prefix+"/") {
				r2 := r.Clone(r.Context())
				r2.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
				handler.ServeHTTP(w, r2)
				return
			}
			http.NotFound(w, r)
		})
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Printf("URL http://%s\n", ln.Addr().String())
	fmt.Printf("VKEY %s\n", testVerifier)
	os.Stdout.Sync()
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	http.Serve(ln, logRequests(h))
}

// logRequests counts requests on stderr (one line each) for benchmarks.
func logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := os.Getenv("SUMDB_LATENCY_MS"); d != "" {
			ms, _ := strconv.Atoi(d)
			time.Sleep(time.Duration(ms) * time.Millisecond)
		}
		fmt.Fprintf(os.Stderr, "REQ %s\n", r.URL.Path)
		h.ServeHTTP(w, r)
	})
}

type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.code = code }

func rewrite(h http.Handler, f func(path string, body []byte) []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{header: http.Header{}, code: 200}
		h.ServeHTTP(rec, r)
		body := f(r.URL.Path, rec.body.Bytes())
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.code)
		w.Write(body)
	})
}

func checkEvidence(args []string) {
	fs := flag.NewFlagSet("checkevidence", flag.ExitOnError)
	vkey := fs.String("vkey", testVerifier, "verifier key")
	fs.Parse(args)
	data, _ := io.ReadAll(os.Stdin)
	fail := func(format string, a ...any) {
		fmt.Printf("FAIL "+format+"\n", a...)
		os.Exit(1)
	}
	text := string(data)
	i := strings.Index(text, "old database:\n\t")
	j := strings.Index(text, "\nnew database:\n\t")
	k := strings.Index(text, "\nproof of misbehavior:\n")
	if i < 0 || j < 0 || k < 0 {
		fail("report layout")
	}
	unindent := func(s string) []byte { return []byte(strings.ReplaceAll(s, "\n\t", "\n")) }
	oldNote := unindent(text[i+len("old database:\n\t") : j])
	newNote := unindent(text[j+len("\nnew database:\n\t") : k])
	v, err := note.NewVerifier(*vkey)
	if err != nil {
		fail("key: %v", err)
	}
	open := func(msg []byte) tlog.Tree {
		n, err := note.Open(msg, note.VerifierList(v))
		if err != nil {
			fail("note: %v", err)
		}
		t, err := tlog.ParseTree([]byte(n.Text))
		if err != nil {
			fail("tree: %v", err)
		}
		return t
	}
	older, newer := open(oldNote), open(newNote)
	if older.N > newer.N {
		older, newer = newer, older
	}
	var hashes []tlog.Hash
	sc := bufio.NewScanner(strings.NewReader(text[k+len("\nproof of misbehavior:\n"):]))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		h, err := tlog.ParseHash(line)
		if err != nil {
			fail("hash %q: %v", line, err)
		}
		hashes = append(hashes, h)
	}
	if len(hashes) < 1 {
		fail("no computed hash")
	}
	computed := hashes[0]
	if computed == older.Hash {
		fail("computed hash equals the older tree's hash: no inconsistency shown")
	}
	if older.N == newer.N {
		if computed != newer.Hash || len(hashes) != 1 {
			fail("same-size evidence must show the newer hash only")
		}
	} else if err := tlog.CheckTree(tlog.TreeProof(hashes[1:]), newer.N, newer.Hash, older.N, computed); err != nil {
		fail("CheckTree: %v", err)
	}
	fmt.Printf("OK %d %d\n", older.N, newer.N)
}

func readMods(file string) []module.Version {
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mods []module.Version
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			mods = append(mods, module.Version{Path: f[0], Version: f[1]})
		}
	}
	return mods
}

func printGoSum(args []string) {
	fs := flag.NewFlagSet("gosum", flag.ExitOnError)
	recordsFile := fs.String("records", "", "records file")
	fs.Parse(args)
	for _, m := range readMods(*recordsFile) {
		fmt.Printf("%s %s %s\n%s %s/go.mod %s\n", m.Path, m.Version, fakeHash(m.Path+"@"+m.Version), m.Path, m.Version, goModHash(m.Path))
	}
}

// clientOps is a ClientOps over HTTP with an in-memory config and cache (x/mod client_test style).
type clientOps struct {
	url    string
	mu     sync.Mutex
	config map[string][]byte
	cache  map[string][]byte
}

func (c *clientOps) ReadRemote(path string) ([]byte, error) {
	resp, err := http.Get(c.url + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == 404 {
		return nil, os.ErrNotExist
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("%s: %s", path, resp.Status)
	}
	return data, nil
}
func (c *clientOps) ReadConfig(file string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if file == "key" {
		return []byte(testVerifier), nil
	}
	return c.config[file], nil
}
func (c *clientOps) WriteConfig(file string, old, new []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur := c.config[file]; len(cur) > 0 && !bytes.Equal(cur, old) {
		return sumdb.ErrWriteConflict
	}
	c.config[file] = new
	return nil
}
func (c *clientOps) ReadCache(file string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.cache[file]; ok {
		return d, nil
	}
	return nil, os.ErrNotExist
}
func (c *clientOps) WriteCache(file string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cache[file] = data
}
func (c *clientOps) Log(msg string)           {}
func (c *clientOps) SecurityError(msg string) { fmt.Println(msg) }

func lookupAll(args []string) {
	fs := flag.NewFlagSet("lookup", flag.ExitOnError)
	url := fs.String("url", "", "database URL")
	gosumFile := fs.String("gosum", "", "go.sum")
	concurrency := fs.Int("concurrency", 20, "parallel lookups (0: GOMAXPROCS, as cmd/go)")
	fs.Parse(args)
	if *concurrency <= 0 {
		*concurrency = runtime.GOMAXPROCS(0)
	}
	data, err := os.ReadFile(*gosumFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	client := sumdb.NewClient(&clientOps{url: *url, config: map[string][]byte{}, cache: map[string][]byte{}})
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	sem := make(chan bool, *concurrency)
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		wg.Add(1)
		sem <- true
		go func(path, vers, hash string) {
			defer func() { <-sem; wg.Done() }()
			got, err := client.Lookup(path, vers)
			ok := false
			for _, l := range got {
				if l == path+" "+vers+" "+hash {
					ok = true
				}
			}
			if err != nil || !ok {
				mu.Lock()
				failed++
				fmt.Printf("FAIL %s %s: %v\n", path, vers, err)
				mu.Unlock()
			}
		}(f[0], f[1], f[2])
	}
	wg.Wait()
	if failed > 0 {
		os.Exit(1)
	}
	fmt.Printf("OK %d\n", len(lines))
}

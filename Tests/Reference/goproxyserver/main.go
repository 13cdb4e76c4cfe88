// Command goproxyserver is GoModKit's loopback module proxy + checksum database for the
// proxy/module-cache tests. It builds module zips from source trees with x/mod's
// zip.CreateFromDir, writes them in GOPROXY layout, logs their real hashes (dirhash.HashZip,
// dirhash.Hash1 of go.mod) in x/mod's sumdb.TestServer, and serves on 127.0.0.1:0:
//
//	/proxy/...                 the proxy directory (static files; 404 when missing)
//	/sumdb/<name>/...          the checksum database (sumdb.NewServer)
//	/f404/..., /f410/...       always 404 / 410
//	/f500/...                  always 500 with a short body
//	/bigerror/...              500 with a 10,000-line body containing ANSI escapes
//	/truncate/...              proxy files, but .zip bodies cut in half (Content-Length kept)
//	/redirect/...              a redirect loop
//	/html/...                  proxy files, but .zip answers are a 200 HTML page
//	/oversize/...              proxy files, but .zip answers are an endless stream
//	/wronginfo/...             proxy files, but .info answers name version v9.9.9
//	/badinfo/...               proxy files, but .info answers are not JSON
//
//	goproxyserver serve -src DIR -out DIR
//	    DIR/modules lists "path version subdir" lines; subdir is a module source tree.
//	    Prints "URL <base>", "VKEY <key>", one "SUM <go.sum line>" per line, then "READY";
//	    serves until stdin closes.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

// x/mod's public test key (cmd/go tests).
const testSigner = "PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk"
const testVerifier = "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6"

func main() {
	if len(os.Args) < 2 || os.Args[1] != "serve" {
		fmt.Fprintln(os.Stderr, "usage: goproxyserver serve -src DIR -out DIR")
		os.Exit(2)
	}
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	src := fs.String("src", "", "source directory")
	out := fs.String("out", "", "proxy directory to write")
	fs.Parse(os.Args[2:])

	data, err := os.ReadFile(filepath.Join(*src, "modules"))
	check(err)
	lines := map[string]string{}
	var mods []module.Version
	var sums []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		m := module.Version{Path: f[0], Version: f[1]}
		mods = append(mods, m)
		dir := filepath.Join(*src, f[2])
		ep, err := module.EscapePath(m.Path)
		check(err)
		ev, err := module.EscapeVersion(m.Version)
		check(err)
		vdir := filepath.Join(*out, ep, "@v")
		check(os.MkdirAll(vdir, 0o777))
		zipPath := filepath.Join(vdir, ev+".zip")
		zf, err := os.Create(zipPath)
		check(err)
		check(modzip.CreateFromDir(zf, m, dir))
		check(zf.Close())
		gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if os.IsNotExist(err) {
			gomod = []byte("module " + modfileQuote(m.Path) + "\n")
		} else {
			check(err)
		}
		check(os.WriteFile(filepath.Join(vdir, ev+".mod"), gomod, 0o666))
		check(os.WriteFile(filepath.Join(vdir, ev+".info"),
			[]byte(fmt.Sprintf(`{"Version":%q,"Time":"2024-01-01T00:00:00Z","Origin":{"VCS":"git","URL":"https://%s","Hash":"0123456789abcdef0123456789abcdef01234567","Ref":"refs/tags/%s"}}`, m.Version, m.Path, m.Version)), 0o666))
		lf, err := os.OpenFile(filepath.Join(vdir, "list"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o666)
		check(err)
		fmt.Fprintln(lf, m.Version)
		lf.Close()
		hz, err := dirhash.HashZip(zipPath, dirhash.DefaultHash)
		check(err)
		hm, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(gomod)), nil
		})
		check(err)
		text := fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", m.Path, m.Version, hz, m.Path, m.Version, hm)
		lines[m.String()] = text
		sums = append(sums, strings.Split(strings.TrimSuffix(text, "\n"), "\n")...)
	}
	ts := sumdb.NewTestServer(testSigner, func(path, vers string) ([]byte, error) {
		t, ok := lines[path+"@"+vers]
		if !ok {
			return nil, fmt.Errorf("unknown module %s@%s", path, vers)
		}
		return []byte(t), nil
	})
	for _, m := range mods {
		_, err := ts.Lookup(context.Background(), m)
		check(err)
	}
	db := sumdb.NewServer(ts)
	files := http.FileServer(http.Dir(*out))
	serveFile := func(w http.ResponseWriter, r *http.Request, rest string) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + rest
		r2.URL.RawPath = ""
		if strings.HasSuffix(rest, "/") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r2)
	}
	readProxy := func(rest string) ([]byte, error) {
		return os.ReadFile(filepath.Join(*out, filepath.FromSlash(rest)))
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		kind, rest, _ := strings.Cut(p, "/")
		fmt.Fprintf(os.Stderr, "REQ %s\n", r.URL.Path)
		switch kind {
		case "proxy":
			serveFile(w, r, rest)
		case "sumdb":
			name := "localhost.localdev/sumdb/"
			if !strings.HasPrefix(rest, name) {
				http.NotFound(w, r)
				return
			}
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/" + strings.TrimPrefix(rest, name)
			r2.URL.RawPath = ""
			db.ServeHTTP(w, r2)
		case "f404":
			http.Error(w, "not found", 404)
		case "f410":
			http.Error(w, "gone", 410)
		case "f500":
			http.Error(w, "internal error", 500)
		case "bigerror":
			var b strings.Builder
			for i := 0; i < 10000; i++ {
				fmt.Fprintf(&b, "line %d \x1b[31mred\x1b[0m\n", i)
			}
			http.Error(w, b.String(), 500)
		case "redirect":
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		case "truncate", "html", "oversize", "wronginfo", "badinfo":
			switch {
			case kind == "truncate" && strings.HasSuffix(rest, ".zip"):
				body, err := readProxy(rest)
				if err != nil {
					http.NotFound(w, r)
					return
				}
				hj, ok := w.(http.Hijacker)
				if !ok {
					return
				}
				conn, buf, err := hj.Hijack()
				if err != nil {
					return
				}
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: application/zip\r\n\r\n", len(body))
				buf.Write(body[:len(body)/2])
				buf.Flush()
				conn.Close()
			case kind == "html" && strings.HasSuffix(rest, ".zip"):
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(200)
				io.WriteString(w, "<html><head><title>Sign in</title></head><body>Please sign in to continue.</body></html>\n")
			case kind == "oversize" && strings.HasSuffix(rest, ".zip"):
				w.Header().Set("Content-Type", "application/zip")
				w.WriteHeader(200)
				chunk := bytes.Repeat([]byte("PK"), 32<<10)
				for {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			case kind == "wronginfo" && strings.HasSuffix(rest, ".info"):
				io.WriteString(w, `{"Version":"v9.9.9","Time":"2024-01-01T00:00:00Z"}`)
			case kind == "badinfo" && strings.HasSuffix(rest, ".info"):
				io.WriteString(w, "<html>not json</html>")
			default:
				serveFile(w, r, rest)
			}
		default:
			http.NotFound(w, r)
		}
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	stdout := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(stdout, "URL http://%s\n", ln.Addr().String())
	fmt.Fprintf(stdout, "VKEY %s\n", testVerifier)
	for _, s := range sums {
		fmt.Fprintf(stdout, "SUM %s\n", s)
	}
	fmt.Fprintln(stdout, "READY")
	stdout.Flush()
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	http.Serve(ln, h)
}

// modfileQuote quotes a module path for a synthesized go.mod as cmd/go does (modfile.AutoQuote).
func modfileQuote(s string) string {
	if strings.ContainsAny(s, " \t\n\"'`\\") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

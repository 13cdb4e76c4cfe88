// Command zipref is GoModKit's differential reference for the zip container
// (ZipReferenceTests). For every zip path on the command line it prints
// one JSON line describing what Go sees:
//
//   - archive/zip.OpenReader: the error, or every central-directory entry with
//     its raw name (hex), method, flags, sizes, CRC, and the result of reading
//     it (SHA-256 of the content, or the error text);
//   - golang.org/x/mod/sumdb/dirhash.HashZip: the h1: hash or the error text;
//   - golang.org/x/mod/zip.CheckZip for the module given with -m: the error text
//     (CheckedFiles.Err() when CheckZip itself succeeded), or "".
//
// Usage: zipref [-m example.com/m@v1.0.0] file.zip...
// Built by scripts/build-go-reference.sh with Go 1.27.3 (current) and Go 1.19 (old).
package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

type entry struct {
	NameHex string `json:"name_hex"`
	Method  uint16 `json:"method"`
	Flags   uint16 `json:"flags"`
	CSize   uint64 `json:"csize"`
	USize   uint64 `json:"usize"`
	CRC32   uint32 `json:"crc32"`
	SHA256  string `json:"sha256,omitempty"`
	Hex     string `json:"content_hex,omitempty"`
	Length  int64  `json:"length"`
	ReadErr string `json:"read_error,omitempty"`
}

type result struct {
	Path         string  `json:"path"`
	Go           string  `json:"go"`
	OpenErr      string  `json:"open_error,omitempty"`
	Comment      string  `json:"comment,omitempty"`
	Entries      []entry `json:"entries"`
	HashZip      string  `json:"hashzip,omitempty"`
	HashZipErr   string  `json:"hashzip_error,omitempty"`
	CheckZipErr  string  `json:"checkzip_error,omitempty"`
	CheckZipDone bool    `json:"checkzip_ran"`
}

func main() {
	mod := flag.String("m", "example.com/m@v1.0.0", "module path@version for CheckZip")
	flag.Parse()
	at := strings.LastIndex(*mod, "@")
	if at < 0 {
		fmt.Fprintln(os.Stderr, "zipref: -m must be path@version")
		os.Exit(2)
	}
	mv := module.Version{Path: (*mod)[:at], Version: (*mod)[at+1:]}
	enc := json.NewEncoder(os.Stdout)
	for _, path := range flag.Args() {
		r := result{Path: path, Go: runtime.Version(), Entries: []entry{}}
		if zr, err := zip.OpenReader(path); err != nil {
			r.OpenErr = err.Error()
		} else {
			r.Comment = zr.Comment
			for _, f := range zr.File {
				e := entry{
					NameHex: hex.EncodeToString([]byte(f.Name)),
					Method:  f.Method, Flags: f.Flags,
					CSize: f.CompressedSize64, USize: f.UncompressedSize64, CRC32: f.CRC32,
				}
				rc, err := f.Open()
				if err != nil {
					e.ReadErr = err.Error()
				} else {
					h := sha256.New()
					var small bytes.Buffer
					// Never read more than 700 MiB: hostile inputs may lie.
					n, err := io.Copy(io.MultiWriter(h, &limitedBuffer{&small, 64 << 10}), io.LimitReader(rc, 700<<20))
					rc.Close()
					e.Length = n
					if err != nil {
						e.ReadErr = err.Error()
					} else {
						e.SHA256 = hex.EncodeToString(h.Sum(nil))
						if n <= 64<<10 {
							e.Hex = hex.EncodeToString(small.Bytes())
						}
					}
				}
				r.Entries = append(r.Entries, e)
			}
			zr.Close()
		}
		if h, err := dirhash.HashZip(path, dirhash.Hash1); err != nil {
			r.HashZipErr = err.Error()
		} else {
			r.HashZip = h
		}
		cf, err := modzip.CheckZip(mv, path)
		r.CheckZipDone = true
		if err == nil {
			err = cf.Err()
		}
		if err != nil {
			r.CheckZipErr = err.Error()
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// limitedBuffer keeps at most max bytes and discards the rest.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		l.b.Write(p[:room])
	}
	return len(p), nil
}

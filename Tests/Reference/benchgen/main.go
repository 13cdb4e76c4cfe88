// Command benchgen writes the synthetic module zip that scripts/bench-hash.sh times:
// module example.com/bench@v1.0.0 made with golang.org/x/mod's zip.Create, holding
//
//   - go.mod and 19,999 small Go-like source files of 256 B – 8 KiB (text);
//   - 4 large compressible files of 14 MiB (log-like lines);
//   - 4 large incompressible files of 14 MiB (pseudo-random bytes).
//
// That is 20,008 files and about 200 MB of content. Everything is derived from fixed
// seeds, so the file list and contents (and so the h1:) are identical on every run; the
// zip bytes themselves depend on the Go release's compressor and are not compared.
//
//	benchgen OUT.zip     prints {"out","files","contentBytes","h1"} as one JSON line
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

const (
	smallFiles = 19999
	bigFiles   = 4
	bigSize    = 14 << 20
)

// genFile is a zip.File whose contents are generated on Open from its seed.
type genFile struct {
	name string
	size int64
	gen  func(size int64, seed int64) []byte
	seed int64
}

func (f genFile) Path() string                { return f.name }
func (f genFile) Lstat() (os.FileInfo, error) { return genInfo{f}, nil }
func (f genFile) Open() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(f.gen(f.size, f.seed))), nil
}

type genInfo struct{ f genFile }

func (i genInfo) Name() string       { return path.Base(i.f.name) }
func (i genInfo) Size() int64        { return i.f.size }
func (i genInfo) Mode() os.FileMode  { return 0644 }
func (i genInfo) ModTime() time.Time { return time.Time{} }
func (i genInfo) IsDir() bool        { return false }
func (i genInfo) Sys() interface{}   { return nil }

var words = []string{
	"func", "return", "if", "err", "!=", "nil", "package", "import", "type", "struct",
	"interface", "for", "range", "var", ":=", "string", "int", "byte", "[]byte", "map",
	"ctx", "context.Context", "fmt.Errorf", "errors.New", "len", "append", "make", "defer",
	"go", "chan", "select", "case", "default", "switch", "const", "true", "false", "value",
	"name", "path", "version", "module", "hash", "reader", "writer", "buffer", "offset",
	"{", "}", "(", ")", "//", "=", "==", "+", "-", "*", "&", "0", "1", "42", "\"text\"",
}

// source generates Go-like text: lines of random vocabulary words with indentation.
func source(size int64, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	var b bytes.Buffer
	b.Grow(int(size))
	for int64(b.Len()) < size {
		b.WriteString("\t\t"[:r.Intn(3)])
		for n := 1 + r.Intn(10); n > 0; n-- {
			b.WriteString(words[r.Intn(len(words))])
			b.WriteByte(' ')
		}
		b.WriteByte('\n')
	}
	return b.Bytes()[:size]
}

// logLines generates highly compressible log-like text.
func logLines(size int64, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	var b bytes.Buffer
	b.Grow(int(size))
	levels := []string{"INFO", "WARN", "DEBUG"}
	for i := 0; int64(b.Len()) < size; i++ {
		fmt.Fprintf(&b, "2024-01-01T00:00:%02d.%06dZ %s request served path=/api/v1/items/%d status=200 bytes=%d\n",
			i%60, i%1000000, levels[r.Intn(len(levels))], i%1000, 512+r.Intn(64))
	}
	return b.Bytes()[:size]
}

// random generates incompressible bytes.
func random(size int64, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	b := make([]byte, size)
	r.Read(b)
	return b
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: benchgen OUT.zip")
		os.Exit(2)
	}
	out := os.Args[1]
	goMod := []byte("module example.com/bench\n\ngo 1.21\n")
	files := []modzip.File{genFile{name: "go.mod", size: int64(len(goMod)), seed: 0,
		gen: func(int64, int64) []byte { return goMod }}}
	sizes := rand.New(rand.NewSource(1))
	var total int64 = int64(len(goMod))
	for i := 0; i < smallFiles; i++ {
		size := int64(256 + sizes.Intn(8<<10-256))
		name := fmt.Sprintf("pkg%03d/sub%02d/file%05d.go", i/200, (i/20)%10, i)
		files = append(files, genFile{name: name, size: size, gen: source, seed: int64(1000 + i)})
		total += size
	}
	for i := 0; i < bigFiles; i++ {
		files = append(files,
			genFile{name: fmt.Sprintf("testdata/logs%d.txt", i), size: bigSize, gen: logLines, seed: int64(100 + i)},
			genFile{name: fmt.Sprintf("testdata/random%d.bin", i), size: bigSize, gen: random, seed: int64(200 + i)})
		total += 2 * bigSize
	}

	f, err := os.Create(out)
	if err == nil {
		err = modzip.Create(f, module.Version{Path: "example.com/bench", Version: "v1.0.0"}, files)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.Remove(out)
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
	h1, err := dirhash.HashZip(out, dirhash.Hash1)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchgen: hashing:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"out": out, "files": len(files), "contentBytes": total, "h1": h1,
	})
}

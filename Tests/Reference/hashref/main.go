// Command hashref exposes golang.org/x/mod's dirhash and zip functions to GoModKit's
// differential tests, corpus builder and benchmark (Docs/Testing.md, "The Go references"). It builds with both
// references: Go 1.27.3 with its vendored x/mod ("current") and Go 1.19 with x/mod v0.7.0
// ("old"); see scripts/build-go-reference.sh.
//
// Every subcommand prints one JSON object per input on its own line. Go's encoding/json
// replaces invalid UTF-8 in strings with U+FFFD, so any field that must round-trip raw
// bytes also has a base64 twin ("...Base64").
//
//	hashzip ZIP...                            dirhash.HashZip
//	hashdir DIR PREFIX                        dirhash.HashDir
//	hashmod FILE...                           dirhash.Hash1 over the single name "go.mod"
//	summary ZIP                               the Hash1 summary text HashZip digests (debugging)
//	createfromdir DIR MODULE VERSION OUT.zip  zip.CreateFromDir, then zip.CheckDir's lists and HashZip
//	checkzip MODULE VERSION ZIP               zip.CheckZip's lists and error
//	txtarzip TXTAR OUT.zip                    raw zip, one entry per txtar file (x/mod's extractTxtarToTempZip)
//	txtarcreate TXTAR OUT.zip                 zip.Create over the txtar files (x/mod's TestCreate)
//	txtardir TXTAR DIR                        writes the txtar files below DIR (x/mod's extractTxtarToTempDir)
//	makezip OUT.zip                           zip from a JSON spec on stdin (see makeZip)
//	pickversion MODULE CANDIDATE...           the first candidate version module.Check accepts
//	modulepath GOMOD                          modfile.ModulePath of a go.mod file
//	timezip N ZIP                             best-of-N wall time of dirhash.HashZip in this process
package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

type object map[string]interface{}

func emit(o object) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(o); err != nil {
		fmt.Fprintln(os.Stderr, "hashref: encoding output:", err)
		os.Exit(2)
	}
	os.Stdout.Write(buf.Bytes())
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage: hashref hashzip ZIP... | hashdir DIR PREFIX | hashmod FILE... | summary ZIP |
  createfromdir DIR MODULE VERSION OUT.zip | checkzip MODULE VERSION ZIP |
  txtarzip TXTAR OUT.zip | txtarcreate TXTAR OUT.zip | txtardir TXTAR DIR |
  makezip OUT.zip (JSON spec on stdin) | pickversion MODULE CANDIDATE... | modulepath GOMOD |
  timezip N ZIP`)
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "hashzip":
		for _, z := range args {
			o := object{"zip": z}
			setHash(o, "h1", "error")(dirhash.HashZip(z, dirhash.Hash1))
			emit(o)
		}
	case "hashdir":
		need(args, 2)
		o := object{"dir": args[0], "prefix": args[1]}
		setHash(o, "h1", "error")(dirhash.HashDir(args[0], args[1], dirhash.Hash1))
		emit(o)
	case "hashmod":
		for _, f := range args {
			o := object{"file": f}
			setHash(o, "h1", "error")(hashMod(f))
			emit(o)
		}
	case "summary":
		need(args, 1)
		emit(summary(args[0]))
	case "createfromdir":
		need(args, 4)
		emit(createFromDir(args[0], args[1], args[2], args[3]))
	case "checkzip":
		need(args, 3)
		cf, err := modzip.CheckZip(module.Version{Path: args[0], Version: args[1]}, args[2])
		o := checkedFiles(cf)
		o["zip"] = args[2]
		if err != nil {
			o["error"] = err.Error()
		}
		emit(o)
	case "txtarzip":
		need(args, 2)
		emit(txtarZip(args[0], args[1]))
	case "txtarcreate":
		need(args, 2)
		emit(txtarCreate(args[0], args[1]))
	case "txtardir":
		need(args, 2)
		emit(txtarDir(args[0], args[1]))
	case "makezip":
		need(args, 1)
		emit(makeZip(args[0], os.Stdin))
	case "pickversion":
		if len(args) < 2 {
			usage()
		}
		emit(pickVersion(args[0], args[1:]))
	case "modulepath":
		need(args, 1)
		o := object{"file": args[0]}
		if data, err := os.ReadFile(args[0]); err != nil {
			o["error"] = err.Error()
		} else if p := modfile.ModulePath(data); p != "" {
			o["module"] = p
		} else {
			o["error"] = "no module path"
		}
		emit(o)
	case "timezip":
		need(args, 2)
		emit(timeZip(args[0], args[1]))
	default:
		usage()
	}
}

func need(args []string, n int) {
	if len(args) != n {
		usage()
	}
}

// setHash stores a (hash, error) result into o under the given keys.
func setHash(o object, hashKey, errKey string) func(string, error) {
	return func(h string, err error) {
		if err != nil {
			o[errKey] = err.Error()
		} else {
			o[hashKey] = h
		}
	}
}

// hashMod is the go.sum "/go.mod" hash: Hash1 over the single name "go.mod" (no prefix),
// as cmd/go's modfetch computes it.
func hashMod(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
}

// summary rebuilds the text that dirhash.Hash1 digests for dirhash.HashZip (the same
// name→entry map, so the last entry of a duplicated name is read for every occurrence),
// and cross-checks it against HashZip itself.
func summary(zipPath string) object {
	o := object{"zip": zipPath}
	z, err := zip.OpenReader(zipPath)
	if err != nil {
		o["error"] = err.Error()
		return o
	}
	defer z.Close()
	var names []string
	byName := make(map[string]*zip.File)
	for _, f := range z.File {
		names = append(names, f.Name)
		byName[f.Name] = f
	}
	sort.Strings(names)
	var text bytes.Buffer
	for _, name := range names {
		if strings.Contains(name, "\n") {
			o["error"] = "dirhash: filenames with newlines are not supported"
			return o
		}
		r, err := byName[name].Open()
		if err != nil {
			o["error"] = err.Error()
			return o
		}
		h := sha256.New()
		_, err = io.Copy(h, r)
		r.Close()
		if err != nil {
			o["error"] = err.Error()
			return o
		}
		fmt.Fprintf(&text, "%x  %s\n", h.Sum(nil), name)
	}
	sum := sha256.Sum256(text.Bytes())
	o["h1"] = "h1:" + base64.StdEncoding.EncodeToString(sum[:])
	o["summary"] = text.String()
	o["summaryBase64"] = base64.StdEncoding.EncodeToString(text.Bytes())
	setHash(o, "hashZip", "hashZipError")(dirhash.HashZip(zipPath, dirhash.Hash1))
	return o
}

func fileErrors(list []modzip.FileError) []object {
	out := []object{}
	for _, fe := range list {
		out = append(out, object{
			"path":       fe.Path,
			"pathBase64": base64.StdEncoding.EncodeToString([]byte(fe.Path)),
			"error":      fe.Err.Error(),
		})
	}
	return out
}

func checkedFiles(cf modzip.CheckedFiles) object {
	valid := cf.Valid
	if valid == nil {
		valid = []string{}
	}
	o := object{
		"valid":   valid,
		"omitted": fileErrors(cf.Omitted),
		"invalid": fileErrors(cf.Invalid),
	}
	if cf.SizeError != nil {
		o["sizeError"] = cf.SizeError.Error()
	}
	return o
}

// zipStats adds the entry count and file size of a zip to o.
func zipStats(o object, zipPath string) {
	if st, err := os.Stat(zipPath); err == nil {
		o["size"] = st.Size()
	}
	if z, err := zip.OpenReader(zipPath); err == nil {
		o["entries"] = len(z.File)
		var usize uint64
		for _, f := range z.File {
			usize += f.UncompressedSize64
		}
		o["uncompressedSize"] = usize
		z.Close()
	}
}

// createFromDir runs zip.CreateFromDir into out (removed again on failure) and reports
// zip.CheckDir's classification of the same directory.
func createFromDir(dir, path, version, out string) object {
	o := object{"dir": dir, "module": path, "version": version}
	cf, cerr := modzip.CheckDir(dir)
	for k, v := range checkedFiles(cf) {
		o[k] = v
	}
	if cerr != nil {
		o["checkError"] = cerr.Error()
	}
	if err := writeZip(out, func(w io.Writer) error {
		return modzip.CreateFromDir(w, module.Version{Path: path, Version: version}, dir)
	}); err != nil {
		o["error"] = err.Error()
		return o
	}
	o["out"] = out
	zipStats(o, out)
	setHash(o, "h1", "hashError")(dirhash.HashZip(out, dirhash.Hash1))
	return o
}

// writeZip creates out through fill, removing it when fill or closing fails.
func writeZip(out string, fill func(io.Writer) error) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(out)
		}
	}()
	return fill(f)
}

// txtar is a minimal reader for the txtar format of golang.org/x/tools/txtar (not
// available to these builds), with the same marker and trailing-newline rules.
type txtarFile struct {
	name string
	data []byte
}

func parseTxtar(data []byte) (comment []byte, files []txtarFile) {
	comment, name, data := findFileMarker(data)
	for name != "" {
		f := txtarFile{name: name}
		f.data, name, data = findFileMarker(data)
		files = append(files, f)
	}
	return comment, files
}

func findFileMarker(data []byte) (before []byte, name string, after []byte) {
	var i int
	for {
		if name, after = isMarker(data[i:]); name != "" {
			return data[:i], name, after
		}
		j := bytes.Index(data[i:], []byte("\n-- "))
		if j < 0 {
			return fixNL(data), "", nil
		}
		i += j + 1
	}
}

func isMarker(data []byte) (name string, after []byte) {
	if !bytes.HasPrefix(data, []byte("-- ")) {
		return "", nil
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data, after = data[:i], data[i+1:]
	}
	if !(bytes.HasSuffix(data, []byte(" --")) && len(data) >= len("-- ")+len(" --")) {
		return "", nil
	}
	return strings.TrimSpace(string(data[len("-- ") : len(data)-len(" --")])), after
}

func fixNL(data []byte) []byte {
	if len(data) == 0 || data[len(data)-1] == '\n' {
		return data
	}
	d := make([]byte, len(data)+1)
	copy(d, data)
	d[len(data)] = '\n'
	return d
}

// readTxtarTest loads an x/mod zip/testdata file: key=value lines (path, version, hash,
// wantErr) in the comment, files after it (x/mod zip_test.go readTest).
func readTxtarTest(file string) (object, []txtarFile, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	comment, files := parseTxtar(data)
	o := object{"txtar": file, "files": len(files)}
	for _, line := range strings.Split(string(comment), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		eq := strings.IndexByte(line, '=')
		if eq < 0 {
			return nil, nil, fmt.Errorf("%s: missing = separator in %q", file, line)
		}
		o[strings.TrimSpace(line[:eq])] = strings.TrimSpace(line[eq+1:])
	}
	return o, files, nil
}

func str(o object, key string) string {
	s, _ := o[key].(string)
	return s
}

func txtarZip(txtarPath, out string) object {
	o, files, err := readTxtarTest(txtarPath)
	if err != nil {
		return object{"txtar": txtarPath, "readError": err.Error()}
	}
	if err := writeZip(out, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		for _, f := range files {
			zf, err := zw.Create(f.name)
			if err != nil {
				return err
			}
			if _, err := zf.Write(f.data); err != nil {
				return err
			}
		}
		return zw.Close()
	}); err != nil {
		o["createError"] = err.Error()
		return o
	}
	o["out"] = out
	zipStats(o, out)
	setHash(o, "h1", "error")(dirhash.HashZip(out, dirhash.Hash1))
	return o
}

type memFile struct {
	name string
	data []byte
}

func (f memFile) Path() string                 { return f.name }
func (f memFile) Lstat() (os.FileInfo, error)  { return memFileInfo{f}, nil }
func (f memFile) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f.data)), nil }

type memFileInfo struct{ f memFile }

func (fi memFileInfo) Name() string       { return filepath.Base(fi.f.name) }
func (fi memFileInfo) Size() int64        { return int64(len(fi.f.data)) }
func (fi memFileInfo) Mode() os.FileMode  { return 0644 }
func (fi memFileInfo) ModTime() time.Time { return time.Time{} }
func (fi memFileInfo) IsDir() bool        { return false }
func (fi memFileInfo) Sys() interface{}   { return nil }

func txtarCreate(txtarPath, out string) object {
	o, files, err := readTxtarTest(txtarPath)
	if err != nil {
		return object{"txtar": txtarPath, "readError": err.Error()}
	}
	mfiles := make([]modzip.File, len(files))
	for i, f := range files {
		mfiles[i] = memFile{name: f.name, data: f.data}
	}
	m := module.Version{Path: str(o, "path"), Version: str(o, "version")}
	if err := writeZip(out, func(w io.Writer) error { return modzip.Create(w, m, mfiles) }); err != nil {
		o["createError"] = err.Error()
		return o
	}
	o["out"] = out
	zipStats(o, out)
	setHash(o, "h1", "error")(dirhash.HashZip(out, dirhash.Hash1))
	return o
}

func txtarDir(txtarPath, dir string) object {
	o, files, err := readTxtarTest(txtarPath)
	if err != nil {
		return object{"txtar": txtarPath, "readError": err.Error()}
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0777); err != nil {
			o["createError"] = err.Error()
			return o
		}
		if err := os.WriteFile(p, f.data, 0666); err != nil {
			o["createError"] = err.Error()
			return o
		}
	}
	o["dir"] = dir
	return o
}

// zipSpec is makezip's input: entries written in order with archive/zip. A name is given
// as text ("name") or as raw bytes ("nameBase64"), likewise the content; method is 8
// (deflate, the default) or 0 (store). A name ending in "/" becomes a directory entry.
type zipSpec struct {
	Entries []struct {
		Name       string  `json:"name"`
		NameBase64 *string `json:"nameBase64"`
		Data       string  `json:"data"`
		DataBase64 *string `json:"dataBase64"`
		Method     *uint16 `json:"method"`
	} `json:"entries"`
}

func makeZip(out string, in io.Reader) object {
	o := object{"out": out}
	var spec zipSpec
	if err := json.NewDecoder(in).Decode(&spec); err != nil {
		o["specError"] = err.Error()
		return o
	}
	if err := writeZip(out, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		for _, e := range spec.Entries {
			name, data := e.Name, []byte(e.Data)
			if e.NameBase64 != nil {
				b, err := base64.StdEncoding.DecodeString(*e.NameBase64)
				if err != nil {
					return err
				}
				name = string(b)
			}
			if e.DataBase64 != nil {
				b, err := base64.StdEncoding.DecodeString(*e.DataBase64)
				if err != nil {
					return err
				}
				data = b
			}
			h := &zip.FileHeader{Name: name, Method: zip.Deflate}
			if e.Method != nil {
				h.Method = *e.Method
			}
			zf, err := zw.CreateHeader(h)
			if err != nil {
				return err
			}
			if len(data) > 0 {
				if _, err := zf.Write(data); err != nil {
					return err
				}
			}
		}
		return zw.Close()
	}); err != nil {
		o["createError"] = err.Error()
		return o
	}
	zipStats(o, out)
	setHash(o, "h1", "error")(dirhash.HashZip(out, dirhash.Hash1))
	return o
}

// pickVersion returns the first candidate that is a canonical semantic version
// (+incompatible allowed) and that module.Check accepts for the path.
func pickVersion(path string, candidates []string) object {
	o := object{"module": path}
	var rejected []string
	for _, v := range candidates {
		base := strings.TrimSuffix(v, "+incompatible")
		if semver.Canonical(base) != base {
			rejected = append(rejected, v+": not canonical")
			continue
		}
		if err := module.Check(path, v); err != nil {
			rejected = append(rejected, err.Error())
			continue
		}
		o["version"] = v
		break
	}
	if _, ok := o["version"]; !ok {
		o["error"] = "no acceptable version: " + strings.Join(rejected, "; ")
	}
	return o
}

func timeZip(nText, zipPath string) object {
	o := object{"zip": zipPath}
	var n int
	if _, err := fmt.Sscan(nText, &n); err != nil || n < 1 {
		usage()
	}
	best := time.Duration(-1)
	for i := 0; i < n; i++ {
		start := time.Now()
		h, err := dirhash.HashZip(zipPath, dirhash.Hash1)
		d := time.Since(start)
		if err != nil {
			o["error"] = err.Error()
			return o
		}
		o["h1"] = h
		if best < 0 || d < best {
			best = d
		}
	}
	o["bestSeconds"] = best.Seconds()
	o["runs"] = n
	return o
}

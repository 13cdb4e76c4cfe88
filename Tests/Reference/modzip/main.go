//gomodkit:only current

// Command modzip exposes the parts of golang.org/x/mod's zip package (and the cmd/go helpers
// around it) that GoModKit's ModuleZip differential tests need and that Tests/Reference/hashref
// does not already offer (hashref has createfromdir, checkzip, makezip and the txtar helpers).
// It builds with the current reference only (Go 1.27.3 and its vendored x/mod): the fold table,
// the go-version-dependent vendor rule and CheckDir's current behaviour are Go 1.27.3's.
//
// Every subcommand prints JSON (one object per line) unless stated otherwise. Fields that must
// carry raw bytes have a base64 twin ("...Base64"), because encoding/json replaces invalid UTF-8.
//
//	foldtable pairs                      every code point r whose x/mod strToFold image differs
//	                                     from r, as "RRRRRR MMMMMM" hex lines (not JSON), then
//	                                     "unicode <version>"
//	foldtable swift                      the same mapping as the Swift source file
//	                                     Sources/GoModZip/ModuleZip/CaseFoldTable.swift
//	strtofold                            stdin: JSON array of base64 strings; prints x/mod's
//	                                     strToFold of each (copied verbatim below) and EqualFold
//	                                     of consecutive pairs
//	govers FILE...                       zip.parseGoVers + version.Lang: the language version x/mod
//	                                     derives from a root go.mod ("" on any ParseLax error)
//	autoquote                            stdin: JSON array of base64 strings; prints modfile.AutoQuote
//	                                     and cmd/go's LegacyGoMod ("module " + AutoQuote + "\n")
//	checkfiles [OUT.zip PATH VERSION]    stdin: JSON {"files":[{"nameBase64","dataBase64","size",
//	                                     "mode"}]}; zip.CheckFiles lists, then (with OUT) zip.Create
//	                                     and dirhash.HashZip of the result
//	checkdir DIR                         zip.CheckDir lists with DIR replaced by "$work"
//	unzip PATH VERSION ZIP DIR           zip.Unzip, then dirhash.HashDir(DIR, PATH@VERSION) and the
//	                                     extracted files with their modes
//	createfromvcs REPO REV SUBDIR PATH VERSION OUT.zip
//	                                     zip.CreateFromVCS and dirhash.HashZip of the result
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"go/version"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

type object map[string]any

func emit(o object) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(o); err != nil {
		fmt.Fprintln(os.Stderr, "modzip: encoding output:", err)
		os.Exit(2)
	}
	os.Stdout.Write(buf.Bytes())
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func usage() {
	fmt.Fprintln(os.Stderr, `usage: modzip foldtable pairs|swift | strtofold | govers FILE... | autoquote |
  checkfiles [OUT.zip PATH VERSION] | checkdir DIR | unzip PATH VERSION ZIP DIR |
  createfromvcs REPO REV SUBDIR PATH VERSION OUT.zip`)
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "foldtable":
		if len(args) != 1 {
			usage()
		}
		foldTable(args[0])
	case "strtofold":
		for _, s := range readBase64List(os.Stdin) {
			emit(object{"inBase64": b64(s), "foldBase64": b64(strToFold(s))})
		}
	case "govers":
		for _, f := range args {
			o := object{"file": f}
			data, err := os.ReadFile(f)
			if err != nil {
				o["error"] = err.Error()
			} else {
				o["vers"] = version.Lang(parseGoVers("go.mod", data))
				if _, err := modfile.ParseLax("go.mod", data, nil); err != nil {
					o["parseError"] = err.Error()
				}
			}
			emit(o)
		}
	case "autoquote":
		for _, s := range readBase64List(os.Stdin) {
			emit(object{"inBase64": b64(s), "quotedBase64": b64(modfile.AutoQuote(s)),
				"legacyGoModBase64": base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "module %s\n", modfile.AutoQuote(s)))})
		}
	case "checkfiles":
		if len(args) != 0 && len(args) != 3 {
			usage()
		}
		emit(checkFiles(args))
	case "checkdir":
		if len(args) != 1 {
			usage()
		}
		cf, err := modzip.CheckDir(args[0])
		o := checkedFiles(cf, args[0])
		if err != nil {
			o["error"] = strings.ReplaceAll(err.Error(), args[0], "$work")
		}
		emit(o)
	case "unzip":
		if len(args) != 4 {
			usage()
		}
		emit(unzip(args[0], args[1], args[2], args[3]))
	case "createfromvcs":
		if len(args) != 6 {
			usage()
		}
		emit(createFromVCS(args[0], args[1], args[2], args[3], args[4], args[5]))
	default:
		usage()
	}
}

func readBase64List(r io.Reader) []string {
	var list []string
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		fmt.Fprintln(os.Stderr, "modzip: reading input:", err)
		os.Exit(2)
	}
	out := make([]string, len(list))
	for i, s := range list {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			fmt.Fprintln(os.Stderr, "modzip: bad base64:", err)
			os.Exit(2)
		}
		out[i] = string(b)
	}
	return out
}

// strToFold is a verbatim copy of x/mod zip.strToFold (unexported there).
func strToFold(s string) string {
	// Fast path: all ASCII, no upper case.
	// Most paths look like this already.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			goto Slow
		}
	}
	return s

Slow:
	var buf bytes.Buffer
	for _, r := range s {
		// SimpleFold(x) cycles to the next equivalent rune > x
		// or wraps around to smaller values. Iterate until it wraps,
		// and we've found the minimum value.
		for {
			r0 := r
			r = unicode.SimpleFold(r0)
			if r <= r0 {
				break
			}
		}
		// Exception to allow fast path above: A-Z => a-z
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		buf.WriteRune(r)
	}
	return buf.String()
}

// foldRune is strToFold's per-rune mapping.
func foldRune(r rune) rune {
	return []rune(strToFold(string(r)))[0]
}

// foldTable prints every non-identity strToFold mapping, either as hex pairs or as the
// Swift table: runs of code points with a constant stride (1 or 2) and a constant offset.
func foldTable(format string) {
	type pair struct{ r, m rune }
	var pairs []pair
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates are not runes; string(r) would be U+FFFD
		}
		if m := foldRune(r); m != r {
			pairs = append(pairs, pair{r, m})
		}
	}
	switch format {
	case "pairs":
		var buf bytes.Buffer
		for _, p := range pairs {
			fmt.Fprintf(&buf, "%06X %06X\n", p.r, p.m)
		}
		fmt.Fprintf(&buf, "unicode %s\n", unicode.Version)
		os.Stdout.Write(buf.Bytes())
	case "swift":
		type run struct{ start, count, stride, delta rune }
		var runs []run
		for i := 0; i < len(pairs); {
			start, delta := pairs[i].r, pairs[i].m-pairs[i].r
			best := run{start, 1, 1, delta}
			for _, stride := range []rune{1, 2} {
				n := 1
				for i+n < len(pairs) && pairs[i+n].r == start+rune(n)*stride && pairs[i+n].m-pairs[i+n].r == delta {
					n++
				}
				if rune(n) > best.count {
					best = run{start, rune(n), stride, delta}
				}
			}
			runs = append(runs, best)
			i += int(best.count)
		}
		var buf bytes.Buffer
		fmt.Fprintf(&buf, "// Generated by Tests/Reference/modzip (`modzip foldtable swift`) with Go %s,\n", strings.TrimPrefix(goVersion(), "go"))
		fmt.Fprintf(&buf, "// Unicode %s. Do not edit: regenerate with scripts/build-go-reference.sh current\n", unicode.Version)
		buf.WriteString("// Tests/Reference/modzip <bin> && <bin> foldtable swift > Sources/GoModZip/ModuleZip/CaseFoldTable.swift\n")
		buf.WriteString("// CaseFoldTableTests compares the table with Go for every code point.\n\n")
		buf.WriteString("/// x/mod `strToFold`'s mapping of one rune: the smallest rune of its Unicode simple case-folding\n")
		buf.WriteString("/// orbit (Go's `unicode.SimpleFold`), with ASCII upper case mapped to lower case.\n")
		buf.WriteString("///\n")
		fmt.Fprintf(&buf, "/// %d runs covering the %d code points whose image is not themselves, from Go's `unicode`\n", len(runs), len(pairs))
		fmt.Fprintf(&buf, "/// tables (Unicode %s). Each run is `start, count, stride, offset`: code points\n", unicode.Version)
		buf.WriteString("/// `start + k * stride` for `k < count` map to themselves plus `offset`. Sorted by `start`.\n")
		fmt.Fprintf(&buf, "enum CaseFoldTable {\n    /// The Unicode version of the table.\n    static let unicodeVersion = %q\n\n", unicode.Version)
		buf.WriteString("    /// Flattened runs: start, count, stride, offset.\n    static let runs: [Int32] = [\n")
		for _, r := range runs {
			fmt.Fprintf(&buf, "        0x%05X, %d, %d, %d,\n", r.start, r.count, r.stride, r.delta)
		}
		buf.WriteString("    ]\n}\n")
		os.Stdout.Write(buf.Bytes())
	default:
		usage()
	}
}

func goVersion() string {
	if v := os.Getenv("GOVERSION_FOR_TABLE"); v != "" {
		return v
	}
	return strings.Fields(strings.TrimPrefix(runtimeVersion(), " "))[0]
}

// parseGoVers is a copy of x/mod zip.parseGoVers (unexported there).
func parseGoVers(file string, data []byte) string {
	mfile, err := modfile.ParseLax(file, data, nil)
	if err != nil || mfile.Go == nil {
		return ""
	}
	return "go" + mfile.Go.Version
}

// memFile is a zip.File from the checkfiles spec.
type memFile struct {
	name string
	data []byte
	size int64
	mode fs.FileMode
}

func (f memFile) Path() string                { return f.name }
func (f memFile) Lstat() (os.FileInfo, error) { return memFileInfo{f}, nil }
func (f memFile) Open() (io.ReadCloser, error) {
	if f.mode&fs.ModeType != 0 {
		return nil, fmt.Errorf("cannot open %s", f.name)
	}
	return io.NopCloser(bytes.NewReader(f.data)), nil
}

type memFileInfo struct{ f memFile }

func (fi memFileInfo) Name() string       { return path.Base(fi.f.name) }
func (fi memFileInfo) Size() int64        { return fi.f.size }
func (fi memFileInfo) Mode() os.FileMode  { return fi.f.mode }
func (fi memFileInfo) ModTime() time.Time { return time.Time{} }
func (fi memFileInfo) IsDir() bool        { return fi.f.mode.IsDir() }
func (fi memFileInfo) Sys() any           { return nil }

type filesSpec struct {
	Files []struct {
		NameBase64 string `json:"nameBase64"`
		DataBase64 string `json:"dataBase64"`
		Size       *int64 `json:"size"`
		Mode       string `json:"mode"`
	} `json:"files"`
}

func checkFiles(args []string) object {
	var spec filesSpec
	if err := json.NewDecoder(os.Stdin).Decode(&spec); err != nil {
		return object{"specError": err.Error()}
	}
	var files []modzip.File
	for _, f := range spec.Files {
		name, err1 := base64.StdEncoding.DecodeString(f.NameBase64)
		data, err2 := base64.StdEncoding.DecodeString(f.DataBase64)
		if err1 != nil || err2 != nil {
			return object{"specError": "bad base64"}
		}
		mf := memFile{name: string(name), data: data, size: int64(len(data)), mode: 0644}
		if f.Size != nil {
			mf.size = *f.Size
		}
		switch f.Mode {
		case "", "file":
		case "dir":
			mf.mode = fs.ModeDir | 0755
		case "symlink":
			mf.mode = fs.ModeSymlink | 0777
		case "pipe":
			mf.mode = fs.ModeNamedPipe | 0644
		default:
			return object{"specError": "bad mode " + f.Mode}
		}
		files = append(files, mf)
	}
	cf, err := modzip.CheckFiles(files)
	o := checkedFiles(cf, "")
	if err != nil {
		o["error"] = err.Error()
	}
	if len(args) == 3 {
		out := args[0]
		m := module.Version{Path: args[1], Version: args[2]}
		writeZipAndHash(o, "createError", out, func(w io.Writer) error { return modzip.Create(w, m, files) })
	}
	return o
}

// writeZipAndHash creates out, lets write fill it, and records dirhash.HashZip of the result
// as o["h1"] (o["hashError"] when hashing fails). A failure to create or write the file
// removes it and is recorded as o[errKey].
func writeZipAndHash(o object, errKey, out string, write func(io.Writer) error) {
	f, err := os.Create(out)
	if err != nil {
		o[errKey] = err.Error()
		return
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		o[errKey] = err.Error()
		return
	}
	if h, err := dirhash.HashZip(out, dirhash.Hash1); err != nil {
		o["hashError"] = err.Error()
	} else {
		o["h1"] = h
	}
}

func fileErrors(list []modzip.FileError, dir string) []object {
	out := []object{}
	for _, fe := range list {
		p := fe.Path
		if dir != "" {
			p = strings.Replace(p, dir, "$work", 1)
		}
		out = append(out, object{"path": p, "pathBase64": b64(p), "error": fe.Err.Error(), "errorBase64": b64(fe.Err.Error())})
	}
	return out
}

func checkedFiles(cf modzip.CheckedFiles, dir string) object {
	valid := []object{}
	for _, v := range cf.Valid {
		if dir != "" {
			v = strings.Replace(v, dir, "$work", 1)
		}
		valid = append(valid, object{"path": v, "pathBase64": b64(v)})
	}
	o := object{"valid": valid, "omitted": fileErrors(cf.Omitted, dir), "invalid": fileErrors(cf.Invalid, dir)}
	if cf.SizeError != nil {
		o["sizeError"] = cf.SizeError.Error()
	}
	return o
}

func unzip(modPath, vers, zipFile, dir string) object {
	o := object{"zip": zipFile, "dir": dir}
	if err := modzip.Unzip(dir, module.Version{Path: modPath, Version: vers}, zipFile); err != nil {
		o["error"] = err.Error()
		return o
	}
	if h, err := dirhash.HashDir(dir, modPath+"@"+vers, dirhash.Hash1); err != nil {
		o["hashError"] = err.Error()
	} else {
		o["h1"] = h
	}
	var files []object
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, object{"pathBase64": b64(filepath.ToSlash(rel)), "mode": strconv.FormatUint(uint64(info.Mode()), 8), "dir": info.IsDir()})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i]["pathBase64"].(string) < files[j]["pathBase64"].(string) })
	o["files"] = files
	return o
}

func createFromVCS(repo, rev, subdir, modPath, vers, out string) object {
	o := object{"repo": repo, "rev": rev, "subdir": subdir}
	writeZipAndHash(o, "error", out, func(w io.Writer) error {
		return modzip.CreateFromVCS(w, module.Version{Path: modPath, Version: vers}, repo, rev, subdir)
	})
	return o
}

func runtimeVersion() string { return runtimeVersionValue }

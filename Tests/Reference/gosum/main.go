// Command gosum is GoModKit's differential reference for go.sum files. cmd/go's reader and
// writer are internal (cmd/go/internal/modfetch), so this program re-implements them line for
// line from Go 1.27.3's src/cmd/go/internal/modfetch/fetch.go (readGoSum, haveModSumLocked,
// addModSumLocked, tidyGoSum) and Go 1.19's readGoSum, using x/mod's module.Sort as cmd/go does.
//
// Usage: gosum FILE...   For each file it prints (byte strings hex-encoded):
//
//	file <name>
//	current fatal <message>                  cmd/go 1.22+: first line without 3 fields, or
//	current record <line> <path> <version> <hash>   ...each record kept, in file order
//	legacy record ... / legacy stop <line>   cmd/go <= 1.21: stops silently at that line
//	tidy record ...                          cmd/go during 'go mod tidy': skips such lines
//	format <bytes>                           tidyGoSum's output for the tidy reading
//	ties <0|1>                               1 if module.Sort met keys it cannot order
//	check <path> <version> <hash> match|mismatch <message>|absent|unknown <warning>
//	end
//
// The check lines probe haveModSumLocked (+ addModSumLocked's warning) on the tidy reading
// with every canonical-looking h1 hash recorded in the file and a fixed foreign hash.
package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"

	"golang.org/x/mod/module"
)

const emptyGoModHash = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="

// Copied from Go 1.27.3 src/cmd/go/internal/modfetch/fetch.go.
const goSumMismatch = `

SECURITY ERROR
This download does NOT match an earlier download recorded in go.sum.
The bits may have been replaced on the origin server, or an attacker may
have intercepted the download attempt.

For more information, see 'go help module-auth'.
`

const hashVersionMismatch = `

SECURITY WARNING
This download is listed in go.sum, but using an unknown hash algorithm.
The download cannot be verified.

For more information, see 'go help module-auth'.

`

const foreignHash = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

type record struct {
	line                int
	path, version, hash string
}

type mode int

const (
	current mode = iota
	legacy
	tidy
)

// readGoSum is cmd/go's readGoSum (current: base.Fatalf on a malformed line, or skip it under
// 'go mod tidy'; legacy: Go 1.19 returned an error that its caller ignored, so reading stopped).
// It also returns the records in file order (cmd/go keeps them in a map of slices).
func readGoSum(dst map[module.Version][]string, file string, data []byte, m mode) (recs []record, fatal string, stop int) {
	lineno := 0
	for len(data) > 0 {
		var line []byte
		lineno++
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		f := strings.Fields(string(line))
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			switch m {
			case tidy:
				continue
			case legacy:
				return recs, "", lineno
			default:
				return recs, fmt.Sprintf("malformed go.sum:\n%s:%d: wrong number of fields %v\n", file, lineno, len(f)), 0
			}
		}
		if f[2] == emptyGoModHash {
			continue
		}
		mod := module.Version{Path: f[0], Version: f[1]}
		dst[mod] = append(dst[mod], f[2])
		recs = append(recs, record{lineno, f[0], f[1], f[2]})
	}
	return recs, "", 0
}

// tidyGoSum's writer with nothing dirty: every hash of every key, keys in module.Sort order,
// hashes sorted and de-duplicated. cmd/go collects the keys from a map (random order); here
// they are collected in a fixed order so that the output is reproducible, and ties reports
// whether module.Sort met keys it considers equal (whose order cmd/go leaves to chance).
func tidyGoSum(m map[module.Version][]string) (out []byte, ties bool) {
	mods := make([]module.Version, 0, len(m))
	for k := range m {
		mods = append(mods, k)
	}
	sort.Slice(mods, func(i, j int) bool {
		if mods[i].Path != mods[j].Path {
			return mods[i].Path < mods[j].Path
		}
		return mods[i].Version < mods[j].Version
	})
	module.Sort(mods)
	for i := range mods {
		for j := i + 1; j < len(mods) && mods[j].Path == mods[i].Path; j++ {
			a, b := mods[i], mods[j]
			x, y := []module.Version{a, b}, []module.Version{b, a}
			module.Sort(x)
			module.Sort(y)
			if x[0] != y[0] {
				ties = true // the comparator left both orders as they were
			}
		}
	}
	var buf bytes.Buffer
	for _, k := range mods {
		list := append([]string(nil), m[k]...)
		sort.Strings(list)
		uniq := list[:0]
		for i, h := range list {
			if i == 0 || h != list[i-1] {
				uniq = append(uniq, h)
			}
		}
		for _, h := range uniq {
			fmt.Fprintf(&buf, "%s %s %s\n", k.Path, k.Version, h)
		}
	}
	return buf.Bytes(), ties
}

// haveModSumLocked without workspace files; the fatal text is returned instead of exiting.
func haveModSumLocked(m map[module.Version][]string, sumFileName string, mod module.Version, h string) (bool, string) {
	for _, vh := range m[mod] {
		if h == vh {
			return true, ""
		}
		if strings.HasPrefix(vh, "h1:") {
			return false, fmt.Sprintf("verifying %s@%s: checksum mismatch\n\tdownloaded: %v\n\t%s:     %v"+goSumMismatch, mod.Path, mod.Version, h, sumFileName, vh)
		}
	}
	return false, ""
}

func x(s string) string { return hex.EncodeToString([]byte(s)) }

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, file := range os.Args[1:] {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		name := file
		fmt.Fprintf(out, "file %s\n", x(name))

		recs, fatal, _ := readGoSum(map[module.Version][]string{}, name, data, current)
		if fatal != "" {
			fmt.Fprintf(out, "current fatal %s\n", x(fatal))
		} else {
			for _, r := range recs {
				fmt.Fprintf(out, "current record %d %s %s %s\n", r.line, x(r.path), x(r.version), x(r.hash))
			}
		}
		recs, _, stop := readGoSum(map[module.Version][]string{}, name, data, legacy)
		for _, r := range recs {
			fmt.Fprintf(out, "legacy record %d %s %s %s\n", r.line, x(r.path), x(r.version), x(r.hash))
		}
		if stop > 0 {
			fmt.Fprintf(out, "legacy stop %d\n", stop)
		}
		m := map[module.Version][]string{}
		recs, _, _ = readGoSum(m, name, data, tidy)
		for _, r := range recs {
			fmt.Fprintf(out, "tidy record %d %s %s %s\n", r.line, x(r.path), x(r.version), x(r.hash))
		}
		formatted, ties := tidyGoSum(m)
		fmt.Fprintf(out, "format %s\n", x(string(formatted)))
		if ties {
			fmt.Fprintln(out, "ties 1")
		} else {
			fmt.Fprintln(out, "ties 0")
		}

		sumFileName := "go.sum"
		if strings.HasSuffix(name, "go.work.sum") {
			sumFileName = "go.work.sum"
		}
		probed := map[string]bool{}
		for _, r := range recs {
			mod := module.Version{Path: r.path, Version: r.version}
			for _, h := range []string{r.hash, foreignHash} {
				if !strings.HasPrefix(h, "h1:") || len(h) != 47 || probed[r.path+"\x00"+r.version+"\x00"+h] {
					continue
				}
				probed[r.path+"\x00"+r.version+"\x00"+h] = true
				found, msg := haveModSumLocked(m, sumFileName, mod, h)
				var res string
				switch {
				case found:
					res = "match"
				case msg != "":
					res = "mismatch " + x(msg)
				case len(m[mod]) > 0:
					// addModSumLocked's warning.
					res = "unknown " + x(fmt.Sprintf("warning: verifying %s@%s: unknown hashes in go.sum: %v; adding %v"+hashVersionMismatch, mod.Path, mod.Version, strings.Join(m[mod], ", "), h))
				default:
					res = "absent"
				}
				fmt.Fprintf(out, "check %s %s %s %s\n", x(r.path), x(r.version), x(h), res)
			}
		}
		fmt.Fprintln(out, "end")
	}
}

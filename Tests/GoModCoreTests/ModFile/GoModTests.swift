import Foundation
@testable import GoModCore
import Testing

/// The public API of ``GoMod`` and ``GoWork``: typed views, the named edit methods, quoting,
/// errors. Expected values come from Go 1.27.3 (the modfile reference; each test says which
/// `go mod edit` run it mirrors) or from x/mod's modfile sources.
@Suite struct GoModTests {
    static let sample = Array("""
        // Deprecated: use example.com/new
        module example.com/m

        go 1.21

        toolchain go1.22.1

        godebug (
        \tpanicnil=1
        \thttp2client=0
        )

        require (
        \tgolang.org/x/text v0.3.0 // indirect
        \trsc.io/quote v1.5
        )

        exclude rsc.io/sampler v1.99.99

        replace (
        \trsc.io/quote v1.5.2 => ../quote
        \tgolang.org/x/text => golang.org/x/text v0.4.0
        )

        // Published by mistake.
        retract [v1.0.0, v1.0.5]

        tool golang.org/x/tools/cmd/stringer

        ignore ./testdata

        """.utf8)

    @Test func typedViews() throws {
        let mod = try GoMod.parse(Self.sample)
        #expect(mod.module?.path == "example.com/m")
        #expect(mod.module?.deprecated == "use example.com/new")
        #expect(mod.module?.position == GoModSyntax.Position(line: 2, lineRune: 1, byte: 35))
        #expect(mod.goVersion == "1.21")
        #expect(mod.toolchain == "go1.22.1")
        #expect(mod.godebugs.map { "\($0.key)=\($0.value)" } == ["\"panicnil\"=\"1\"", "\"http2client\"=\"0\""])
        #expect(mod.requirements.map(\.module.description) == ["golang.org/x/text@v0.3.0", "rsc.io/quote@v1.5.0"])
        #expect(mod.requirements.map(\.isIndirect) == [true, false])
        #expect(mod.requirements.map(\.position.line) == [14, 15])
        #expect(mod.exclusions.map(\.module.description) == ["rsc.io/sampler@v1.99.99"])
        #expect(mod.replacements.map(\.isLocalDirectory) == [true, false])
        #expect(mod.replacements.map(\.old.description) == ["rsc.io/quote@v1.5.2", "golang.org/x/text"])
        #expect(mod.replacements.map(\.new.description) == ["../quote", "golang.org/x/text@v0.4.0"])
        #expect(mod.retractions.map { "\($0.low) \($0.high) \($0.rationale)" } == ["\"v1.0.0\" \"v1.0.5\" \"Published by mistake.\""])
        #expect(mod.tools.map(\.path) == ["golang.org/x/tools/cmd/stringer"])
        #expect(mod.ignores.map(\.path) == ["./testdata"])
        #expect(mod.skippedStatements.isEmpty)
        #expect(mod.findings.map(\.code) == [.nonCanonicalVersion])
        // The tree: statements and the block structure.
        let kinds = mod.syntax.statements.map { stmt -> String in
            switch stmt {
            case .comments: return "c"
            case .line(let l): return l.tokens.first?.utf8String ?? ""
            case .block(let b): return "(" + (b.tokens.first?.utf8String ?? "")
            }
        }
        #expect(kinds == ["module", "go", "toolchain", "(godebug", "(require", "exclude", "(replace", "retract", "tool", "ignore"])
        #expect(mod == (try GoMod.parse(Self.sample)))
        #expect(mod != (try GoMod.parse(Self.sample + Array("tool x/y\n".utf8))))
    }

    /// Every typed view agrees with what `go mod edit -json` reports, for every accepted file
    /// of the corpus (views of the cleaned-up file; JSON from Go 1.27.3 through the reference).
    @Test func viewsAgreeWithGoJSON() throws {
        let files = ModFileCorpus.debian() + ModFileCorpus.goTree() + ModFileCorpus.goScripts().mods
            + ModFileCorpus.sharedCaches()
        let requests = ModFileDifferentialTests.requests(files, kinds: [.mod, .lax])
        let answers = try ModFileReference.run(requests)
        var compared = 0
        for (request, answer) in zip(requests, answers) {
            guard let json = answer.json, request.data.allSatisfy({ $0 < 0x80 }),
                  let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else { continue }
            var mod = try GoMod.parse(request.data, strictness: request.kind == .lax ? .lax : .strict)
            mod.cleanUp()
            func s(_ b: ByteString?) -> String { b.map { String(decoding: $0.bytes, as: UTF8.self) } ?? "" }
            func list(_ key: String) -> [[String: Any]] { object[key] as? [[String: Any]] ?? [] }
            func pair(_ v: Any?) -> String {
                let m = v as? [String: Any] ?? [:]
                return "\(m["Path"] as? String ?? "")@\(m["Version"] as? String ?? "")"
            }
            let module = object["Module"] as? [String: Any] ?? [:]
            #expect(s(mod.module?.path) == module["Path"] as? String ?? "", "\(request.origin)")
            #expect(s(mod.module?.deprecated) == module["Deprecated"] as? String ?? "", "\(request.origin)")
            #expect(s(mod.goVersion) == object["Go"] as? String ?? "")
            #expect(s(mod.toolchain) == object["Toolchain"] as? String ?? "")
            #expect(mod.godebugs.map { "\(s($0.key))=\(s($0.value))" }
                    == list("GoDebug").map { "\($0["Key"] as? String ?? "")=\($0["Value"] as? String ?? "")" })
            #expect(mod.requirements.map { "\(s($0.module.path))@\(s($0.module.version)) \($0.isIndirect)" }
                    == list("Require").map { "\(pair($0)) \($0["Indirect"] as? Bool ?? false)" }, "\(request.origin)")
            #expect(mod.exclusions.map { "\(s($0.module.path))@\(s($0.module.version))" } == list("Exclude").map { pair($0) })
            #expect(mod.replacements.map { "\(s($0.old.path))@\(s($0.old.version)) \(s($0.new.path))@\(s($0.new.version))" }
                    == list("Replace").map { "\(pair($0["Old"])) \(pair($0["New"]))" })
            #expect(mod.retractions.map { "\(s($0.low)) \(s($0.high)) \(s($0.rationale))" }
                    == list("Retract").map { "\($0["Low"] as? String ?? "") \($0["High"] as? String ?? "") \($0["Rationale"] as? String ?? "")" })
            #expect(mod.tools.map { s($0.path) } == list("Tool").map { $0["Path"] as? String ?? "" })
            #expect(mod.ignores.map { s($0.path) } == list("Ignore").map { $0["Path"] as? String ?? "" })
            compared += 1
        }
        #expect(compared >= 1_500)
    }

    /// The named edit methods give what the equivalent `go mod edit` flags give in Go.
    @Test func namedEditsMatchGoModEdit() throws {
        typealias Edit = (inout GoMod) throws(ModFileError) -> Void
        let scenarios: [(flags: [String], edit: Edit)] = [
            (["require=example.com/new@v1.2.3"], { f throws(ModFileError) in try f.addRequire(ModuleVersion(path: "example.com/new", version: "v1.2.3")) }),
            (["require=rsc.io/quote@v1.6.0"], { f throws(ModFileError) in try f.addRequire(ModuleVersion(path: "rsc.io/quote", version: "v1.6.0")) }),
            (["droprequire=golang.org/x/text"], { f throws(ModFileError) in try f.dropRequire(path: "golang.org/x/text") }),
            (["exclude=rsc.io/sampler@v1.3.0"], { f throws(ModFileError) in try f.addExclude(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0")) }),
            (["exclude=example.com/other@v2.0.0+incompatible"],
             { f throws(ModFileError) in try f.addExclude(ModuleVersion(path: "example.com/other", version: "v2.0.0+incompatible")) }),
            (["dropexclude=rsc.io/sampler@v1.99.99"],
             { f throws(ModFileError) in try f.dropExclude(ModuleVersion(path: "rsc.io/sampler", version: "v1.99.99")) }),
            (["replace=rsc.io/quote=../elsewhere"],
             { f throws(ModFileError) in try f.addReplace(old: .init(path: "rsc.io/quote", version: ""), new: .init(path: "../elsewhere", version: "")) }),
            (["replace=example.com/a@v1.0.0=example.com/b@v1.1.0"],
             { f throws(ModFileError) in try f.addReplace(old: .init(path: "example.com/a", version: "v1.0.0"), new: .init(path: "example.com/b", version: "v1.1.0")) }),
            (["dropreplace=golang.org/x/text"], { f throws(ModFileError) in try f.dropReplace(old: .init(path: "golang.org/x/text", version: "")) }),
            (["dropreplace=rsc.io/quote@v1.5.2"], { f throws(ModFileError) in try f.dropReplace(old: .init(path: "rsc.io/quote", version: "v1.5.2")) }),
            (["retract=v1.1.0"], { f throws(ModFileError) in try f.addRetract(low: "v1.1.0", high: "v1.1.0") }),
            (["retract=[v1.2.0,v1.3.0]"], { f throws(ModFileError) in try f.addRetract(low: "v1.2.0", high: "v1.3.0") }),
            (["dropretract=[v1.0.0,v1.0.5]"], { f throws(ModFileError) in f.dropRetract(low: "v1.0.0", high: "v1.0.5") }),
            (["tool=example.com/cmd/x"], { f throws(ModFileError) in try f.addTool(path: "example.com/cmd/x") }),
            (["droptool=golang.org/x/tools/cmd/stringer"], { f throws(ModFileError) in try f.dropTool(path: "golang.org/x/tools/cmd/stringer") }),
            (["ignore=./vendor"], { f throws(ModFileError) in f.addIgnore(path: "./vendor") }),
            (["dropignore=./testdata"], { f throws(ModFileError) in f.dropIgnore(path: "./testdata") }),
            (["godebug=panicnil=0"], { f throws(ModFileError) in try f.addGodebug(key: "panicnil", value: "0") }),
            (["godebug=newkey=x"], { f throws(ModFileError) in try f.addGodebug(key: "newkey", value: "x") }),
            (["dropgodebug=http2client"], { f throws(ModFileError) in f.dropGodebug(key: "http2client") }),
            (["go=1.23.0"], { f throws(ModFileError) in try f.setGoVersion("1.23.0") }),
            (["go=none"], { f throws(ModFileError) in try f.setGoVersion(nil) }),
            (["toolchain=go1.23.4"], { f throws(ModFileError) in try f.setToolchain("go1.23.4") }),
            (["toolchain=none"], { f throws(ModFileError) in try f.setToolchain(nil) }),
            (["module=example.com/renamed"], { f throws(ModFileError) in try f.setModule("example.com/renamed") }),
            (["droprequire=rsc.io/quote", "require=rsc.io/quote@v1.5.2", "exclude=rsc.io/quote@v1.5.1", "tool=a.b/c", "droptool=a.b/c"],
             { f throws(ModFileError) in
                 try f.dropRequire(path: "rsc.io/quote")
                 try f.addRequire(ModuleVersion(path: "rsc.io/quote", version: "v1.5.2"))
                 try f.addExclude(ModuleVersion(path: "rsc.io/quote", version: "v1.5.1"))
                 try f.addTool(path: "a.b/c")
                 try f.dropTool(path: "a.b/c")
             }),
        ]
        let inputs: [[UInt8]] = [Self.sample, Array("module m\n".utf8), Array("module m\n\nrequire (\n\ta.b/c v1.0.0\n)\n".utf8)]
        var requests: [ModFileReference.Request] = []
        for input in inputs {
            for s in scenarios { requests.append(.init(kind: .mod, name: "go.mod", data: input, flags: s.flags, origin: "\(s.flags)")) }
        }
        let answers = try ModFileReference.run(requests)
        var k = 0
        for input in inputs {
            for s in scenarios {
                let go = answers[k]
                k += 1
                var mod = try GoMod.parse(input)
                do {
                    try s.edit(&mod)
                    #expect(go.fatal == nil, "\(s.flags): Go failed: \(go.fatal.map { String(decoding: $0, as: UTF8.self) } ?? "")")
                    #expect(mod.formatted() == go.formatted, "\(s.flags) on input \(inputs.firstIndex(of: input) ?? -1)")
                    #expect(mod.editJSON() == go.json, "\(s.flags)")
                } catch {
                    #expect(go.fatal != nil, "\(s.flags): GoModKit failed with \(error)")
                }
            }
        }
    }

    /// Argument checks of the named methods, with the texts cmd/go prints after
    /// `go: -<flag>=<arg>: ` (from Go 1.27.3's `go mod edit` through the reference).
    @Test func namedEditArgumentErrors() throws {
        var mod = try GoMod.parse(Array("module example.com/m\n".utf8))
        func message(_ body: (inout GoMod) throws(ModFileError) -> Void) -> String? {
            do {
                try body(&mod)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message { f throws(ModFileError) in try f.addRequire(ModuleVersion(path: "Bad Path", version: "v1.0.0")) }
                == "invalid path: malformed import path \"Bad Path\": invalid char ' '")
        #expect(message { f throws(ModFileError) in try f.addRequire(ModuleVersion(path: "example.com/x", version: "v1 0")) }
                == "invalid version \"v1 0\"")
        #expect(message { f throws(ModFileError) in try f.dropRequire(path: "example.com/x@v1") }
                == "need just path, not path@version")
        #expect(message { f throws(ModFileError) in try f.addExclude(ModuleVersion(path: "example.com/x", version: "v1.0")) }
                == "version \"v1.0\" invalid: must be of the form v1.2.3")
        #expect(message { f throws(ModFileError) in try f.addExclude(ModuleVersion(path: "example.com/x/v2", version: "v1.0.0")) }
                == "version \"v1.0.0\" invalid: should be v2, not v1")
        #expect(message { f throws(ModFileError) in try f.addRetract(low: "v2.0.0", high: "v2.0.0") }
                == "version \"v2.0.0\" invalid: should be v2.0.0+incompatible (or module example.com/m/v2)")
        #expect(message { f throws(ModFileError) in
            try f.addReplace(old: .init(path: "example.com/a", version: ""), new: .init(path: "example.com/b", version: ""))
        } == "unversioned new path must be local directory")
        #expect(message { f throws(ModFileError) in try f.addGodebug(key: "a", value: "b,c") } == "need key=value")
        #expect(message { f throws(ModFileError) in try f.setModule("go") } == "module path is reserved")
        #expect(message { f throws(ModFileError) in try f.setGoVersion("1.22.x") } == "invalid language version \"1.22.x\"")
        #expect(message { f throws(ModFileError) in try f.setToolchain("1.22") } == "invalid toolchain name \"1.22\"")
        // The flag parser adds cmd/go's prefix.
        let bare = #expect(throws: ModFileError.self) { try GoMod.Edit(flag: "require", argument: "x") }
        #expect(bare?.code == .invalidEditArgument)
        #expect(bare?.description == "-require=x: need path@version")
        do {
            _ = try GoMod.Edit(flag: "require", argument: "example.com/x")
        } catch {
            #expect(error.description == "-require=example.com/x: need path@version")
            #expect(error.code == .invalidEditArgument)
        }
        do {
            try GoMod.checkEditCommand(module: nil, goVersion: "1.x", toolchain: nil)
        } catch {
            #expect(error.code == .invalidGoArgument)
            #expect(error.description == "invalid -go option; expecting something like \"-go 1.27.3\"")
        }
    }

    /// x/mod `modfile.AutoQuote` rules, and the synthesized go.mod of a module without one
    /// (cmd/go `modfetch.LegacyGoMod`: `module <AutoQuote(path)>\n`).
    @Test func quoting() throws {
        #expect(GoMod.autoQuote("example.com/m") == "example.com/m")
        #expect(GoMod.autoQuote("") == "\"\"")
        #expect(GoMod.autoQuote("a b") == "\"a b\"")
        #expect(GoMod.autoQuote("a\"b") == "\"a\\\"b\"")
        #expect(GoMod.autoQuote("(") == "(")
        #expect(GoMod.autoQuote("(a") == "\"(a\"")
        #expect(GoMod.autoQuote("a//b") == "\"a//b\"")
        #expect(GoMod.autoQuote("a/*b") == "\"a/*b\"")
        #expect(GoMod.autoQuote("a\u{7F}") == "\"a\\x7f\"")
        #expect(GoMod.autoQuote("é") == "é")
        #expect(GoMod.autoQuote(ByteString([0x61, 0xFF])) == ByteString([0x61, 0xFF]), "invalid UTF-8 ranges as U+FFFD, printable")
        #expect(GoMod.mustQuote("a\u{200B}"))
        var synthesized = GoMod()
        try synthesized.setModule("example.com/m")
        #expect(synthesized.formatted() == Array("module example.com/m\n".utf8))
        #expect(GoMod.modulePath(in: Array("// c\nmodule \"example.com/x\" // y\n".utf8)) == "example.com/x")
        #expect(GoMod.modulePath(in: Array("go 1.21\n".utf8)) == nil)
        #expect(GoMod.isDirectoryPath("C:\\x") && GoMod.isDirectoryPath("..") && !GoMod.isDirectoryPath("a/b"))
        #expect(GoMod.isValidGoVersion("1.21rc1") && !GoMod.isValidGoVersion("1.21.x") && !GoMod.isValidGoVersion("v1.21"))
        #expect(GoMod.isValidToolchainName("go1.21.0-gccgo") && GoMod.isValidToolchainName("default")
                && !GoMod.isValidToolchainName("go1x"))
    }

    /// x/mod reports all directive errors of a file together.
    @Test func errorLists() throws {
        do {
            _ = try GoMod.parse(Array("module m\ngo 1.x\nfoo\nrequire (\n\tx v1\n\ty\n)\n".utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.allErrors.map(\.code) == [.invalidGoVersion, .unknownDirective, .usage])
            #expect(error.allErrors.map(\.line) == [2, 3, 6])
            #expect(error.allErrors.map(\.column) == [1, 1, 2])
            #expect(error.description == """
                go.mod:2: invalid go version '1.x': must match format 1.23.0
                go.mod:3: unknown directive: foo
                go.mod:6:2: usage: require module/path v1.2.3
                """)
            #expect(error == ModFileError(.invalidGoVersion, "other text"), "equality compares codes")
        }
    }

    @Test func goWork() throws {
        var work = try GoWork.parse(Array("go 1.22\n\nuse (\n\t./a\n\t\"./b c\"\n)\n\nreplace x.y/z => ./z\n".utf8))
        #expect(work.goVersion == "1.22")
        #expect(work.uses.map(\.path) == ["./a", "./b c"])
        #expect(work.replacements.map(\.new.path) == ["./z"])
        work.addUse(path: "d/../e")
        work.dropUse(path: "./a")
        try work.setToolchain("go1.22.1")
        work.dropGodebug(key: "none")
        #expect(work.uses.map(\.path) == ["./b c", "./e"])
        // `go work edit -use=d/../e -dropuse=./a -toolchain=go1.22.1 -print` with Go 1.27.3.
        #expect(String(decoding: work.formatted(), as: UTF8.self) == """
            go 1.22

            toolchain go1.22.1

            use (
            \t"./b c"
            \t./e
            )

            replace x.y/z => ./z

            """)
        // x/mod ParseWork: "unknown directive: module".
        let moduleError = #expect(throws: ModFileError.self) { try GoWork.parse(Array("module m\n".utf8)) }
        #expect(moduleError?.code == .unknownDirective)
        #expect(GoWork.directoryPath("a/./b/") == "./a/b")
        #expect(GoWork.directoryPath("../x") == "../x")
    }
}

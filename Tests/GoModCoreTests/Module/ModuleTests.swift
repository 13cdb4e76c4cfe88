import GoModCore
import Testing

/// x/mod's module_test.go tables, run against ``Module`` (expectations from the Go authors;
/// exact error texts are pinned by the Go-generated golden file and the live reference in
/// NamesDifferentialTests).
@Suite struct ModuleTests {
    @Test(arguments: XModTables.checkPathTests.indices)
    func checkPathTable(_ index: Int) {
        let row = XModTables.checkPathTests[index]
        let path = ByteString(row.path)
        #expect(((try? Module.checkPath(path)) != nil) == row.ok, "CheckPath(\(path))")
        #expect(((try? Module.checkImportPath(path)) != nil) == row.importOK, "CheckImportPath(\(path))")
        #expect(((try? Module.checkFilePath(path)) != nil) == row.fileOK, "CheckFilePath(\(path))")
        // TestSplitPathVersion: the parts always add up to the input.
        let (prefix, major, _) = Module.splitPathVersion(path)
        #expect(prefix + major == path)
        // TestEscapePath / TestUnescapePath: invalid paths neither escape nor unescape.
        // x/mod EscapePath returns CheckPath's own error; UnescapePath wraps any failure as
        // `invalid escaped module path …`.
        if !row.ok {
            var checkError: ModulePathError?
            do { try Module.checkPath(path) } catch { checkError = error }
            let escapeError = #expect(throws: ModulePathError.self) { try Module.escapePath(path) }
            #expect(escapeError?.code == checkError?.code, "EscapePath(\(path))")
            #expect(escapeError?.description == checkError?.description, "EscapePath(\(path))")
            let unescapeError = #expect(throws: ModulePathError.self) { try Module.unescapePath(path) }
            #expect(unescapeError?.code == .invalidEscapedPath, "UnescapePath(\(path))")
        }
    }

    @Test(arguments: XModTables.checkTests.indices)
    func checkTable(_ index: Int) {
        let row = XModTables.checkTests[index]
        let ok = (try? Module.check(ModuleVersion(path: ByteString(row.path), version: ByteString(row.version)))) != nil
        #expect(ok == row.ok, "Check(\(row.path), \(row.version))")
    }

    @Test func splitPathVersionTable() {
        for row in XModTables.splitPathVersionTests {
            let (prefix, major, ok) = Module.splitPathVersion(ByteString(row.prefix + row.pathMajor))
            #expect(prefix == ByteString(row.prefix) && major == ByteString(row.pathMajor) && ok)
        }
    }

    @Test func escapeTable() throws {
        for row in XModTables.escapeTests {
            let want = ByteString(row.escaped.isEmpty ? row.path : row.escaped)
            #expect(try Module.escapePath(ByteString(row.path)) == want)
            #expect(try Module.unescapePath(want) == ByteString(row.path))
        }
        for bad in XModTables.badUnescape {
            let error = #expect(throws: ModulePathError.self, "UnescapePath(\(bad))") { try Module.unescapePath(ByteString(bad)) }
            #expect(error?.code == .invalidEscapedPath, "UnescapePath(\(bad))")
        }
    }

    @Test func matchPathMajorTable() {
        for row in XModTables.matchPathMajorTests {
            #expect(Module.matchPathMajor(ByteString(row.version), ByteString(row.pathMajor)) == row.want,
                    "MatchPathMajor(\(row.version), \(row.pathMajor))")
        }
    }

    @Test func matchPrefixPatternsTable() {
        for row in XModTables.matchPrefixPatternsTests {
            #expect(Module.matchPrefixPatterns(ByteString(row.globs), ByteString(row.target)) == row.want,
                    "MatchPrefixPatterns(\(row.globs), \(row.target))")
        }
    }

    /// The examples of `go help private`, cmd/go's mod_gonoproxy.txt and x/mod's TestClientGONOSUMDB.
    @Test func specGlobExamples() {
        #expect(Module.matchPrefixPatterns("*.corp.example.com", "git.corp.example.com/xyzzy"))
        #expect(Module.matchPrefixPatterns("rsc.io/private", "rsc.io/private/quux"))
        let nosumdb: ByteString = "*/quote,*/*mple*,golang.org/x"
        for target: ByteString in ["rsc.io/quote", "rsc.io/sampler", "golang.org/x/text"] {
            #expect(Module.matchPrefixPatterns(nosumdb, target))
        }
        for target: ByteString in ["p", "p/x", "x/q", "x/q/z"] {
            #expect(Module.matchPrefixPatterns("p,*/q", target), "\(target)")
        }
        for target: ByteString in ["abc", "a/p", "pq", "q", "n/o/p/q"] {
            #expect(!Module.matchPrefixPatterns("p,*/q", target), "\(target)")
        }
    }

    /// The error texts of x/mod's module.go and pseudo.go (CheckPath, CheckPathMajor, escaping, …), and the error codes.
    @Test func goErrorTexts() {
        func message(_ body: () throws(ModulePathError) -> Void) -> (String, ModulePathError.Code?) {
            do {
                try body()
                return ("", nil)
            } catch {
                return (error.description, error.code)
            }
        }
        #expect(message { () throws(ModulePathError) in try Module.checkPath("x") }
            == (#"malformed module path "x": missing dot in first path element"#, .missingDotInFirstElement))
        #expect(message { () throws(ModulePathError) in try Module.checkPath("x.y/con.txt") }
            == (#"malformed module path "x.y/con.txt": "con" disallowed as path element component on Windows"#,
                .windowsReservedName))
        #expect(message { () throws(ModulePathError) in try Module.checkImportPath("x.y/z'") }
            == (#"malformed import path "x.y/z'": invalid char '\''"#, .invalidCharacter))
        #expect(message { () throws(ModulePathError) in try Module.checkPath("x.y/..") }
            == (#"malformed module path "x.y/..": invalid path element "..""#, .dotsOnlyElement))
        #expect(message { () throws(ModulePathError) in try Module.check(ModuleVersion(path: "github.com/go-yaml/yaml", version: "v2.0.0")) }
            == ("github.com/go-yaml/yaml@v2.0.0: invalid version: should be v0 or v1, not v2", .majorVersionMismatch))
        #expect(message { () throws(ModulePathError) in _ = try Module.escapeVersion("v1.0.0/../../x") }
            == (#"version "v1.0.0/../../x" invalid: disallowed version string"#, .disallowedVersionString))
        #expect(message { () throws(ModulePathError) in _ = try Module.unescapePath("github.com/!!google") }
            == (#"invalid escaped module path "github.com/!!google""#, .invalidEscapedPath))
    }

    /// module.VersionError's wrapping (x/mod module.go: ModuleError.Error).
    @Test func versionErrorWrapping() {
        let module = ModuleVersion(path: "example.com/m", version: "v1.0.0")
        do {
            try Module.checkPathMajor("v2.0.0", "")
        } catch {
            #expect(error.description == #"version "v2.0.0" invalid: should be v0 or v1, not v2"#)
            #expect(Module.versionError(module, error).description
                == "example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")
        }
        do {
            _ = try Module.pseudoVersionBase("v1.0.0")
        } catch {
            #expect(Module.versionError(module, error).description
                == "example.com/m@v1.0.0: invalid pseudo-version: syntax error")
        }
        do {
            try Module.check(ModuleVersion(path: "example.com/m", version: "v2.0.0"))
        } catch {
            // Already about this module (Check's ModuleError has no version): unchanged.
            let bare = ModuleVersion(path: "example.com/m", version: "")
            #expect(Module.versionError(bare, error).description == error.description)
            #expect(Module.versionError(module, error).description
                == "example.com/m@v1.0.0: example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")
        }
        #expect(Module.versionError(ModuleVersion(path: "example.com/m", version: ""), message: "boom") == "module example.com/m: boom")
        #expect(Module.versionError(module, message: "verifying go.mod: x") == "example.com/m@v1.0.0: verifying go.mod: x")
    }

    /// Errors compare by code only (as ``ModulePathError``'s documentation says).
    @Test func errorEqualityIsByCode() {
        var first: ModulePathError?
        var second: ModulePathError?
        do { try Module.checkPath("a") } catch { first = error }
        do { try Module.checkPath("b") } catch { second = error }
        #expect(first != nil && first == second)
        #expect(first?.input == "a" && second?.input == "b")
        #expect(first?.kind == .module)
    }

    /// module.Sort ordering (x/mod module/module.go) including Go's unspecified ties, which GoModKit
    /// orders by suffix and then bytewise.
    @Test func moduleSortOrder() {
        var list: [ModuleVersion] = [
            .init(path: "b.com/m", version: "v1.0.0"),
            .init(path: "a.com/m", version: "v1.10.0/go.mod"),
            .init(path: "a.com/m", version: "v1.10.0"),
            .init(path: "a.com/m", version: "v1.9.0/go.mod"),
            .init(path: "a.com/m", version: "v1.9.0+meta"),
            .init(path: "a.com/m", version: "v1.9.0"),
        ]
        Module.sort(&list)
        #expect(list.map(\.description) == [
            "a.com/m@v1.9.0", "a.com/m@v1.9.0+meta", "a.com/m@v1.9.0/go.mod",
            "a.com/m@v1.10.0", "a.com/m@v1.10.0/go.mod", "b.com/m@v1.0.0",
        ])
    }
}

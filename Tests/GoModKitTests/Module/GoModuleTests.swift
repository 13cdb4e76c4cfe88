import GoModKit
import Testing

/// x/mod's module_test.go tables, run against ``GoModule`` (expectations from the Go authors;
/// exact error texts are pinned by the Go-generated golden file and the live reference in
/// NamesDifferentialTests).
@Suite struct GoModuleTests {
    @Test(arguments: XModTables.checkPathTests.indices)
    func checkPathTable(_ index: Int) {
        let row = XModTables.checkPathTests[index]
        let path = ByteString(row.path)
        #expect(((try? GoModule.checkPath(path)) != nil) == row.ok, "CheckPath(\(path))")
        #expect(((try? GoModule.checkImportPath(path)) != nil) == row.importOK, "CheckImportPath(\(path))")
        #expect(((try? GoModule.checkFilePath(path)) != nil) == row.fileOK, "CheckFilePath(\(path))")
        // TestSplitPathVersion: the parts always add up to the input.
        let (prefix, major, _) = GoModule.splitPathVersion(path)
        #expect(prefix + major == path)
        // TestEscapePath / TestUnescapePath: invalid paths neither escape nor unescape.
        if !row.ok {
            #expect(throws: ModulePathError.self) { try GoModule.escapePath(path) }
            #expect(throws: ModulePathError.self) { try GoModule.unescapePath(path) }
        }
    }

    @Test(arguments: XModTables.checkTests.indices)
    func checkTable(_ index: Int) {
        let row = XModTables.checkTests[index]
        let ok = (try? GoModule.check(path: ByteString(row.path), version: ByteString(row.version))) != nil
        #expect(ok == row.ok, "Check(\(row.path), \(row.version))")
    }

    @Test func splitPathVersionTable() {
        for row in XModTables.splitPathVersionTests {
            let (prefix, major, ok) = GoModule.splitPathVersion(ByteString(row.prefix + row.pathMajor))
            #expect(prefix == ByteString(row.prefix) && major == ByteString(row.pathMajor) && ok)
        }
    }

    @Test func escapeTable() throws {
        for row in XModTables.escapeTests {
            let want = ByteString(row.escaped.isEmpty ? row.path : row.escaped)
            #expect(try GoModule.escapePath(ByteString(row.path)) == want)
            #expect(try GoModule.unescapePath(want) == ByteString(row.path))
        }
        for bad in XModTables.badUnescape {
            #expect(throws: ModulePathError.self, "UnescapePath(\(bad))") { try GoModule.unescapePath(ByteString(bad)) }
        }
    }

    @Test func matchPathMajorTable() {
        for row in XModTables.matchPathMajorTests {
            #expect(GoModule.matchPathMajor(ByteString(row.version), ByteString(row.pathMajor)) == row.want,
                    "MatchPathMajor(\(row.version), \(row.pathMajor))")
        }
    }

    @Test func matchPrefixPatternsTable() {
        for row in XModTables.matchPrefixPatternsTests {
            #expect(GoModule.matchPrefixPatterns(ByteString(row.globs), ByteString(row.target)) == row.want,
                    "MatchPrefixPatterns(\(row.globs), \(row.target))")
        }
    }

    /// SPEC.md §1.7's examples.
    @Test func specGlobExamples() {
        #expect(GoModule.matchPrefixPatterns("*.corp.example.com", "git.corp.example.com/xyzzy"))
        #expect(GoModule.matchPrefixPatterns("rsc.io/private", "rsc.io/private/quux"))
        let nosumdb: ByteString = "*/quote,*/*mple*,golang.org/x"
        for target: ByteString in ["rsc.io/quote", "rsc.io/sampler", "golang.org/x/text"] {
            #expect(GoModule.matchPrefixPatterns(nosumdb, target))
        }
        for target: ByteString in ["p", "p/x", "x/q", "x/q/z"] {
            #expect(GoModule.matchPrefixPatterns("p,*/q", target), "\(target)")
        }
        for target: ByteString in ["abc", "a/p", "pq", "q", "n/o/p/q"] {
            #expect(!GoModule.matchPrefixPatterns("p,*/q", target), "\(target)")
        }
    }

    /// The error texts SPEC.md §1.1 and §1.5 quote, and the error codes.
    @Test func goErrorTexts() {
        func message(_ body: () throws(ModulePathError) -> Void) -> (String, ModulePathError.Code?) {
            do {
                try body()
                return ("", nil)
            } catch {
                return (error.description, error.code)
            }
        }
        #expect(message { () throws(ModulePathError) in try GoModule.checkPath("x") }
            == (#"malformed module path "x": missing dot in first path element"#, .missingDotInFirstElement))
        #expect(message { () throws(ModulePathError) in try GoModule.checkPath("x.y/con.txt") }
            == (#"malformed module path "x.y/con.txt": "con" disallowed as path element component on Windows"#,
                .windowsReservedName))
        #expect(message { () throws(ModulePathError) in try GoModule.checkImportPath("x.y/z'") }
            == (#"malformed import path "x.y/z'": invalid char '\''"#, .invalidCharacter))
        #expect(message { () throws(ModulePathError) in try GoModule.checkPath("x.y/..") }
            == (#"malformed module path "x.y/..": invalid path element "..""#, .dotsOnlyElement))
        #expect(message { () throws(ModulePathError) in try GoModule.check(path: "github.com/go-yaml/yaml", version: "v2.0.0") }
            == ("github.com/go-yaml/yaml@v2.0.0: invalid version: should be v0 or v1, not v2", .majorVersionMismatch))
        #expect(message { () throws(ModulePathError) in _ = try GoModule.escapeVersion("v1.0.0/../../x") }
            == (#"version "v1.0.0/../../x" invalid: disallowed version string"#, .disallowedVersionString))
        #expect(message { () throws(ModulePathError) in _ = try GoModule.unescapePath("github.com/!!google") }
            == (#"invalid escaped module path "github.com/!!google""#, .invalidEscapedPath))
    }

    /// Errors compare by code only (STYLE.md §5).
    @Test func errorEqualityIsByCode() {
        var first: ModulePathError?
        var second: ModulePathError?
        do { try GoModule.checkPath("a") } catch { first = error }
        do { try GoModule.checkPath("b") } catch { second = error }
        #expect(first != nil && first == second)
        #expect(first?.input == "a" && second?.input == "b")
        #expect(first?.kind == .module)
    }

    /// module.Sort ordering (SPEC.md §1.6) including Go's unspecified ties, which GoModKit
    /// orders by suffix and then bytewise.
    @Test func moduleSortOrder() {
        var list: [GoModule.Version] = [
            .init(path: "b.com/m", version: "v1.0.0"),
            .init(path: "a.com/m", version: "v1.10.0/go.mod"),
            .init(path: "a.com/m", version: "v1.10.0"),
            .init(path: "a.com/m", version: "v1.9.0/go.mod"),
            .init(path: "a.com/m", version: "v1.9.0+meta"),
            .init(path: "a.com/m", version: "v1.9.0"),
        ]
        GoModule.sort(&list)
        #expect(list.map(\.description) == [
            "a.com/m@v1.9.0", "a.com/m@v1.9.0+meta", "a.com/m@v1.9.0/go.mod",
            "a.com/m@v1.10.0", "a.com/m@v1.10.0/go.mod", "b.com/m@v1.0.0",
        ])
    }
}

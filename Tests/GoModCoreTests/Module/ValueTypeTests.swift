import Foundation
import GoModCore
import Testing

/// ``ModulePath``, ``SemanticVersion``, ``ModuleVersion`` and ``PathPatterns``: thin wrappers
/// whose answers must be those of the Go functions they are built on (values from x/mod's
/// module and semver packages and their tests).
@Suite struct ValueTypeTests {
    @Test func modulePath() throws {
        let path = try ModulePath("github.com/BurntSushi/toml/v2")
        #expect(path.escaped == "github.com/!burnt!sushi/toml/v2")
        #expect(path.pathMajor == "/v2")
        #expect(path.prefix == "github.com/BurntSushi/toml")
        #expect(path.description == "github.com/BurntSushi/toml/v2")
        #expect(try ModulePath(escaped: "github.com/!burnt!sushi/toml/v2") == path)
        #expect(path.allows(try #require(SemanticVersion("v2.3.4"))))
        #expect(!path.allows(try #require(SemanticVersion("v3.0.0"))))

        let gopkg = try ModulePath("gopkg.in/yaml.v2-unstable")
        #expect(gopkg.pathMajor == ".v2-unstable" && gopkg.prefix == "gopkg.in/yaml")
        #expect(try ModulePath("golang.org/x/text").pathMajor == nil)

        // module.CheckPath's rules, by Go's messages: "missing dot in first path element",
        // "invalid version" (a /v1 suffix), "invalid char 'é'".
        for (path, code) in [("x", ModulePathError.Code.missingDotInFirstElement),
                             ("example.com/m/v1", .invalidMajorVersionSuffix),
                             ("example.com/caf\u{E9}", .invalidCharacter)] {
            let error = #expect(throws: ModulePathError.self) { try ModulePath(path) }
            #expect(error?.code == code, "\(path)")
        }
        // Canonically equivalent spellings are different byte strings (Go compares bytes; Swift's String == does not).
        #expect(ByteString("caf\u{E9}") != ByteString("cafe\u{301}"))
        #expect(try ModulePath("a.com/b") < ModulePath("a.com/b/c"))
        #expect(try ModulePath("Z.com/b".lowercased()) > ModulePath("a.com/b"))
    }

    @Test func modulePathErrors() {
        do {
            _ = try ModulePath(escaped: "github.com/!google!cloud!platform!/omega")
            Issue.record("accepted a trailing !")
        } catch {
            #expect(error.code == .invalidEscapedPath)
            #expect(error.description == #"invalid escaped module path "github.com/!google!cloud!platform!/omega""#)
        }
        do {
            _ = try ModulePath(escaped: "github.com/x/v1")
            Issue.record("accepted /v1")
        } catch {
            #expect(error.description
                == #"invalid escaped module path "github.com/x/v1": malformed module path "github.com/x/v1": invalid version"#)
        }
    }

    @Test func semanticVersion() throws {
        let v = try #require(SemanticVersion("v1.2"))
        #expect(v.canonical.description == "v1.2.0" && !v.isCanonical)
        #expect(v.major == "v1" && v.majorMinor == "v1.2" && v.prerelease == "" && v.build == "")
        let inc = try #require(SemanticVersion("v2.0.0+incompatible"))
        #expect(inc.canonical.description == "v2.0.0")
        #expect(inc.moduleCanonical.description == "v2.0.0+incompatible" && inc.isCanonical && inc.isIncompatible)
        let pseudo = try #require(SemanticVersion("v0.0.0-20191109021931-daa7c04131f5"))
        #expect(pseudo.isPseudoVersion && pseudo.isPrerelease)
        #expect(try #require(SemanticVersion("v1.0.0-RC1")).escaped == "v1.0.0-!r!c1")
        #expect(SemanticVersion("1.2.3") == nil && SemanticVersion("v1.2.3-01") == nil && SemanticVersion("") == nil)

        // Comparable is semver.Sort's order: precedence, ties bytewise; == stays bytewise.
        let a = try #require(SemanticVersion("v1.2")), b = try #require(SemanticVersion("v1.2.0"))
        #expect(a != b && a.compare(to: b) == 0 && a < b)
        let list = ["v1.10.0", "v1.2.0", "v1.2", "v1.0.0-rc.1", "v1.0.0", "v1.2.0+meta"].compactMap(SemanticVersion.init)
        #expect(list.sorted().map(\.description) == ["v1.0.0-rc.1", "v1.0.0", "v1.2", "v1.2.0", "v1.2.0+meta", "v1.10.0"])
    }

    @Test func moduleVersion() throws {
        let m = try ModuleVersion("rsc.io/quote", "v1.5.2")
        #expect(m.description == "rsc.io/quote@v1.5.2")
        #expect(m == ModuleVersion(path: "rsc.io/quote", version: "v1.5.2"))
        #expect(try ModuleVersion("github.com/Sirupsen/logrus", "v1.0.0-RC1").escaped
            == "github.com/!sirupsen/logrus@v1.0.0-!r!c1")
        do {
            _ = try ModuleVersion("rsc.io/quote", "v17.0.0")
            Issue.record("accepted v17 without /v17")
        } catch {
            #expect(error.code == .majorVersionMismatch)
            #expect(error.description == "rsc.io/quote@v17.0.0: invalid version: should be v0 or v1, not v17")
        }
        do {
            _ = try ModuleVersion("rsc.io/quote", "0.1.0")
            Issue.record("accepted 0.1.0")
        } catch {
            #expect(error.description == "rsc.io/quote@0.1.0: invalid version: not a semantic version")
        }
        let sorted = try [ModuleVersion("b.io/x", "v1.0.0"), ModuleVersion("a.io/x", "v1.10.0"),
                          ModuleVersion("a.io/x", "v1.9.0")].sorted()
        #expect(sorted.map(\.description) == ["a.io/x@v1.9.0", "a.io/x@v1.10.0", "b.io/x@v1.0.0"])
    }

    @Test func pathPatterns() throws {
        let patterns = PathPatterns("*.corp.example.com,,rsc.io/private/,[,x\\")
        #expect(patterns.patterns == ["*.corp.example.com", "rsc.io/private", "[", "x\\"])
        #expect(patterns.invalidPatterns == ["[", "x\\"])
        #expect(patterns.matches(try ModulePath("git.corp.example.com/xyzzy")))
        #expect(patterns.matches(try ModulePath("rsc.io/private/quux")))
        #expect(!patterns.matches(try ModulePath("rsc.io/public")))
        #expect(PathPatterns("").isEmpty && PathPatterns(",/,").isEmpty)
    }

    @Test func codable() throws {
        struct Box: Codable, Equatable {
            var path: ModulePath
            var version: SemanticVersion
            var module: ModuleVersion
        }
        let box = Box(path: try ModulePath("example.com/m/v2"), version: try #require(SemanticVersion("v2.0.1")),
                      module: try ModuleVersion("example.com/m", "v1.0.0"))
        let data = try JSONEncoder().encode(box)
        #expect(try JSONDecoder().decode(Box.self, from: data) == box)
        let bad = Data(#"{"path":"x","version":"v1.0.0","module":{"path":"a.b","version":"v1.0.0"}}"#.utf8)
        // "x" fails module.CheckPath: the decoder rethrows the typed error of ModulePath.init.
        let error = #expect(throws: ModulePathError.self) { try JSONDecoder().decode(Box.self, from: bad) }
        #expect(error?.code == .missingDotInFirstElement)
    }
}

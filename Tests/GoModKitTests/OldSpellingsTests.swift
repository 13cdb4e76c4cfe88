import Foundation
import GoModKit
import Testing

/// Code written against the single `GoModKit` module, before the layers were cut, still
/// compiles with `import GoModKit` and means the same (Docs/migration.md, "Renamed"). Each old
/// spelling is used as such code used it; the expected values are Go's: the go.sum lines of
/// Examples/quickstart were written by `go mod download`.
///
/// The old spellings are deprecated, so this suite is too: calling them from a deprecated
/// context keeps the build free of warnings while still type-checking every call.
@Suite struct OldSpellingsTests {
    static let quickstart = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/quickstart")

    @available(*, deprecated, message: "exercises the deprecated spellings on purpose")
    @Test func oldSpellingsKeepTheirMeaning() throws {
        let zip = Self.quickstart.appendingPathComponent("example.com-hello@v1.0.0.zip").path
        let sum = try GoSum(parsing: Array(try Data(contentsOf: Self.quickstart.appendingPathComponent("go.sum"))),
                            fileName: "go.sum")

        // GoModule.Version and GoModule.check(path:version:).
        let key = GoModule.Version(path: "example.com/hello", version: "v1.0.0")
        try GoModule.check(path: key.path, version: key.version)
        #expect(key.description == "example.com/hello@v1.0.0")

        // DirHash.ZipMode and ZipArchive.Mode.lenient.
        let strict = try DirHash.hashZip(path: zip, mode: DirHash.ZipMode.strict)
        let archive = try ZipArchive(path: zip, mode: .lenient)
        let goCompatible = try DirHash.hashZip(archive, mode: .goCompatible)
        #expect(strict.description == "h1:Qmqb//qqVbdXtTHcGX787s5tnO9byUg648KakHQrC/4=")
        #expect(goCompatible == strict)
        #expect(sum.check(key, hash: strict) == .match)

        // GoSum.Record(path:version:hash:line:) is the record go.sum holds.
        let record = GoSum.Record(path: "example.com/hello", version: "v1.0.0/go.mod",
                                  hash: "h1:gTqEJ382ZQqv2xsPfdUZDovzOcPwH0eHFziE2Xq+iaU=", line: 2)
        #expect(sum.records.contains(record))

        // GoMod editing with (path:version:) pairs, as `go mod edit -require/-exclude` writes.
        var mod = try GoMod.parse(Array("module example.com/m\n".utf8), fileName: "go.mod")
        try mod.addRequire(path: "example.com/hello", version: "v1.0.0")
        try mod.addExclude(path: "example.com/hello", version: "v0.9.0")
        #expect(String(decoding: mod.formatted(), as: UTF8.self) == """
            module example.com/m

            require example.com/hello v1.0.0

            exclude example.com/hello v0.9.0

            """)

        // ProjectAudit.GitSource.
        let source = ProjectAudit.GitSource(repository: "/tmp/upstream.git", subdir: "sub")
        #expect(source == ProjectAudit.UpstreamRepository(repository: "/tmp/upstream.git", subdir: "sub"))
    }
}

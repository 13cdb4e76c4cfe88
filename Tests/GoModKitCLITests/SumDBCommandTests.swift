import Foundation
import Testing

/// `gomodkit sumdb …` against a scratch copy of a real sum.golang.org cache
/// (../shared/fixtures/real-sumdb/1jan13nam-learn-go), offline: expected lines come from the
/// database records in that cache, and exit codes from the CLI contract.
@Suite struct SumDBCommandTests {
    static var shared: URL? {
        let url = CLITests.root.deletingLastPathComponent().appendingPathComponent("shared/fixtures/real-sumdb/1jan13nam-learn-go")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static func scratch() throws -> URL {
        guard let source = shared else {
            try Test.cancel("skipped: ../shared is absent")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-sumdb-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: dir)
        return dir
    }

    static let goodLines = """
        golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=
        golang.org/x/text v0.3.0/go.mod h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=
        rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=

        """

    @Test func lookupPrintsVerifiedLines() throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let r = try CLITests.gomodkit(["sumdb", "lookup", "--offline", "--gopath", gopath.path, "golang.org/x/text@v0.3.0",
                                       "golang.org/x/text@v0.3.0/go.mod"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=\ngolang.org/x/text v0.3.0/go.mod h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=\n")
        let missing = try CLITests.gomodkit(["sumdb", "lookup", "--offline", "--gopath", gopath.path, "example.com/none@v1.0.0"])
        #expect(missing.status == 3)   // an offline cache miss: could not verify
        #expect(missing.stderr.contains("not in the cache"))
        let usage = try CLITests.gomodkit(["sumdb", "lookup", "--offline", "--gopath", gopath.path, "no-version"])
        #expect(usage.status == 2)
    }

    @Test func auditCleanAndTampered() throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let sum = gopath.appendingPathComponent("go.sum")
        try Data(Self.goodLines.utf8).write(to: sum)
        let ok = try CLITests.gomodkit(["sumdb", "audit", "--offline", "--gopath", gopath.path, sum.path])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("3 lines checked against tree 1323056"))
        #expect(ok.stdout.contains("3 verified, 0 mismatched"))

        // A go.sum line whose hash differs from the database (another valid hash).
        let bad = Self.goodLines.replacingOccurrences(of: "w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=",
                                                      with: "g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=")
        try Data(bad.utf8).write(to: sum)
        let mismatch = try CLITests.gomodkit(["sumdb", "audit", "--offline", "--json", "--gopath", gopath.path, sum.path])
        #expect(mismatch.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(mismatch.stdout.utf8)) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["verified"] == 2 && summary["mismatch"] == 1)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results[2]["databaseHash"] as? String == "h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=")
        #expect(results[2]["record"] as? Int == 942)
    }

    @Test func proofRoundTripAndTamper() throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let bundle = gopath.appendingPathComponent("quote.tlog-proof")
        let p = try CLITests.gomodkit(["sumdb", "proof", "--offline", "--gopath", gopath.path, "rsc.io/quote@v1.5.2", "-o", bundle.path])
        #expect(p.status == 0, "\(p.stderr)")
        let text = try String(contentsOf: bundle, encoding: .utf8)
        #expect(text.hasPrefix("c2sp.org/tlog-proof@v1\nextra "))
        #expect(text.contains("\nindex 942\n"))
        let v = try CLITests.gomodkit(["sumdb", "verify-proof", bundle.path])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.contains("rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y="))
        // Change the index: the proof no longer verifies.
        try Data(text.replacingOccurrences(of: "\nindex 942\n", with: "\nindex 943\n").utf8).write(to: bundle)
        #expect(try CLITests.gomodkit(["sumdb", "verify-proof", bundle.path]).status == 1)
    }

    @Test func latestOffline() throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let r = try CLITests.gomodkit(["sumdb", "latest", "--offline", "--gopath", gopath.path])
        #expect(r.status == 0)
        #expect(r.stdout == "sum.golang.org tree 1323056 BmeJLFLY0Va+7wYBbzzM9dSBwR4kcU9RorbLMTEs5QU=\n")
        let off = try CLITests.gomodkit(["sumdb", "latest", "--offline", "--gosumdb", "off", "--gopath", gopath.path])
        #expect(off.status == 2)
        #expect(off.stderr.contains("checksum database disabled by GOSUMDB=off"))
    }
}

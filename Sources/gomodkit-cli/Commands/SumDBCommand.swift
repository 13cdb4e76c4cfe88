import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit sumdb`: query and audit against a Go checksum database with proofs.
struct SumDBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sumdb",
        abstract: "Verify modules and go.sum files against the Go checksum database, with proofs.",
        discussion: ExitStatus.discussion("""
            Uses GOSUMDB (default sum.golang.org), GONOSUMDB/GOPRIVATE and GOPROXY like the go \
            command, and the go command's cache: $GOPATH/pkg/sumdb/<db>/latest and \
            $GOMODCACHE/cache/download/sumdb/<db>/. Every answer is checked: note signature, \
            consistency with the stored latest tree, and inclusion of the record.
            """),
        subcommands: [Lookup.self, Audit.self, Latest.self, Proof.self, VerifyProof.self]
    )

    /// Options shared by the subcommands.
    struct Options: ParsableArguments {
        @Option(help: "GOPATH (default: $GOPATH, else $HOME/go).")
        var gopath: String?

        @Option(help: "Module cache (default: $GOMODCACHE, else GOPATH/pkg/mod).")
        var modcache: String?

        @Option(help: "GOSUMDB value (default: $GOSUMDB, else sum.golang.org).")
        var gosumdb: String?

        @Flag(help: "Use only the cache; fail when something is missing.")
        var offline = false

        @Flag(help: "Reject tree notes that carry lines after the root hash.")
        var strict = false

        @OptionGroup var network: TimeoutOption<ShortTimeout>

        @Option(help: "Most requests in flight at once (audit: also the most module versions looked up at once).")
        var concurrency: Int = 16

        @OptionGroup var format: JSONOption

        /// The go command's environment (the `go env -w` file under the process environment, as
        /// `download` and `verify` read it) with the explicit options applied.
        func environment() throws(CLIFailure) -> GoEnvironment {
            var env = try GoEnvironment.forCommand()
            if let gosumdb { env.set("GOSUMDB", gosumdb) }
            if let gopath { env.set("GOPATH", gopath) }
            if let modcache { env.set("GOMODCACHE", modcache) }
            return env
        }

        func client() throws(CLIFailure) -> ChecksumDatabase {
            let database = try environment().checksumDatabase(
                offline: offline, transport: DefaultHTTPTransport(timeout: network.timeout)) { config in
                config.strictNotes = strict
                config.maxConcurrentRequests = max(1, concurrency)
            }
            guard let database else { throw .input("go: checksum database disabled by GOSUMDB=off") }
            return database
        }
    }

    /// `gomodkit sumdb lookup path@version...`.
    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the verified go.sum lines for module versions.",
        discussion: ExitStatus.help)

        @OptionGroup var options: Options

        @Argument(help: "path@version (version may end in /go.mod).")
        var modules: [String]

        struct Output: Encodable {
            var module: String
            var lines: [String]?
            /// The exact bytes of each line, when any is not valid UTF-8 (Docs/output-encoding.md).
            var linesBase64: [String]?
            var record: Int64?
            var treeSize: Int64?
            var error: String?
        }

        func run() async throws {
            let client = try options.client()
            let json = options.format.json
            var outcome = Outcome()
            for module in modules {
                let target = try splitModule(module)
                let result: Result<ChecksumDatabaseLookup, any Error>
                do { result = .success(try await client.lookup(target)) } catch { result = .failure(error) }
                switch result {
                case .success(let r):
                    if json {
                        let exact = r.lines.allSatisfy(\.isValidUTF8) ? nil : r.lines.map { Base64.encodeString($0.bytes) }
                        try Terminal.json(Output(module: module, lines: r.lines.map(jsonText), linesBase64: exact,
                                                 record: r.recordID, treeSize: r.tree.size))
                    } else {
                        for line in r.lines { Terminal.line(terminalName(line)) }
                    }
                case .failure(let error):
                    outcome.record(Verdict(error))
                    if json { try Terminal.json(Output(module: module, error: "\(error)")) } else { Terminal.error("go: \(terminalSafe("\(error)"))") }
                }
            }
            try outcome.finish()
        }
    }

    /// `gomodkit sumdb latest`.
    struct Latest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch, verify and store the database's latest signed tree head.",
            discussion: ExitStatus.discussion("With --offline, verify and print the stored one."))

        @OptionGroup var options: Options

        struct Output: Encodable { var database: String; var size: Int64; var hash: String; var note: String }

        func run() async throws {
            let client = try options.client()
            let offline = options.offline
            let (tree, note) = try await classifyingFailure {
                offline ? try await client.latest() : try await client.fetchLatest()
            }
            if options.format.json {
                try Terminal.json(Output(database: client.name, size: tree.size, hash: tree.hash.description,
                                         note: String(decoding: note, as: UTF8.self)))
            } else {
                Terminal.line("\(client.name) tree \(tree.size) \(tree.hash)")
            }
        }
    }

    /// `gomodkit sumdb proof path@version`.
    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an offline evidence bundle (C2SP tlog-proof) for a module version.",
        discussion: ExitStatus.help)

        @OptionGroup var options: Options

        @Argument(help: "path@version")
        var module: String

        @Option(name: .shortAndLong, help: "Write the bundle to this file instead of standard output.")
        var output: String?

        func run() async throws {
            let client = try options.client()
            let target = try splitModule(module)
            let bundle = try await classifyingFailure { try await client.proofBundle(target) }
            if let output {
                do { try Data(bundle.formatted).write(to: URL(fileURLWithPath: output)) } catch {
                    throw CLIFailure.input("write \(output): \(errorText(error))")
                }
            } else {
                Terminal.write(bundle.formatted)
            }
        }
    }

    /// `gomodkit sumdb verify-proof FILE`.
    struct VerifyProof: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-proof",
            abstract: "Verify a tlog-proof bundle offline with the database key; print its go.sum lines.",
        discussion: ExitStatus.help)

        @OptionGroup var options: Options

        @Argument(help: "The bundle file.")
        var file: String

        func run() throws {
            let data = try readInputFile(file, limit: 1 << 20)
            let env = try options.environment()
            let parsed: (verifier: NoteVerifier, url: URL?)?
            do { parsed = try ChecksumDatabaseConfiguration.parseGOSUMDB(env.gosumdb) } catch {
                throw CLIFailure.input("go: \(error)")
            }
            guard let verifier = parsed?.verifier else { throw CLIFailure.input("go: checksum database disabled by GOSUMDB=off") }
            let bundle: TLogProofBundle
            do { bundle = try TLogProofBundle(parsing: data) } catch { throw CLIFailure.input("\(file): \(error)") }
            do {
                let tree = try bundle.verify(with: verifier)
                if options.format.json {
                    try Terminal.json(["file": file, "index": "\(bundle.index)", "treeSize": "\(tree.size)",
                                       "record": String(decoding: bundle.recordText, as: UTF8.self)])
                } else {
                    try? writeFully(1, Array(terminalSafe(bundle.recordText, lineBreaks: true).utf8))
                    Terminal.error("\(file): record \(bundle.index) is in tree \(tree.size) signed by \(String(decoding: verifier.name.bytes, as: UTF8.self))")
                }
            } catch {
                throw CLIFailure.verification("\(file): \(error)")
            }
        }
    }

    /// `gomodkit sumdb audit [go.sum]`.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every line of a go.sum against the checksum database, with proofs.",
            discussion: ExitStatus.discussion("""
                Each line's module version is looked up (signature, consistency and inclusion proofs \
                checked) and its hash compared with the database's. Prints one result per line and \
                a summary. A line that mismatches or has no database record, or an answer that \
                fails verification, exits 1; lines that could not be checked (network, offline \
                cache miss) exit 3; lines for GONOSUMDB/GOPRIVATE modules are reported as skipped.
                """))

        @OptionGroup var options: Options

        @Argument(help: "The go.sum file (default: ./go.sum).")
        var file: String = "go.sum"

        @OptionGroup var deadline: DeadlineOption

        struct Line: Encodable {
            var line: Int
            var path: String
            /// The exact bytes of ``path`` (and of ``version``, ``hash``) when they are not valid
            /// UTF-8 (Docs/output-encoding.md).
            var pathBase64: String?
            var version: String
            var versionBase64: String?
            var hash: String
            var hashBase64: String?
            var status: String
            var record: Int64?
            var databaseHash: String?
            var error: String?
        }

        struct Output: Encodable {
            var file: String
            var database: String
            var treeSize: Int64?
            var treeHash: String?
            var results: [Line]
            var summary: [String: Int]
        }

        func run() async throws {
            let until = deadline.fromNow
            let sums = try readGoSum(file)
            for diagnostic in sums.diagnostics where diagnostic.severity == .error { Terminal.error(diagnostic.description) }
            let client = try options.client()
            let records = sums.records
            let limit = max(1, options.concurrency)
            let audits = await client.audit(records, concurrency: limit, deadline: until)
            let results = audits.map(Line.init)
            var summary = ["verified": 0, "mismatch": 0, "missing": 0, "skipped": 0, "error": 0]
            if until != nil { summary["notVerified"] = 0 }
            for r in results { summary[r.status, default: 0] += 1 }
            let latest = await beforeDeadline(until) { try? await client.latest() } ?? nil
            if options.format.json {
                try Terminal.json(Output(file: file, database: client.name, treeSize: latest?.tree.size,
                                         treeHash: latest?.tree.hash.description, results: results, summary: summary))
            } else {
                for r in results {
                    var text = "\(terminalName(file)):\(r.line): \(terminalName(r.path)) \(terminalName(r.version)) \(terminalName(r.hash)): \(r.status)"
                    if let id = r.record { text += " (record \(id))" }
                    if let db = r.databaseHash { text += "; \(client.name) has \(db)" }
                    if let error = r.error { text += ": \(error.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n\t"))" }
                    Terminal.line(text)
                }
                let tree = latest.map { " against tree \($0.tree.size) (\($0.tree.hash))" } ?? ""
                Terminal.line("\(results.count) lines checked\(tree): \(summary["verified"] ?? 0) verified, \(summary["mismatch"] ?? 0) mismatched, "
                      + "\(summary["missing"] ?? 0) missing, \(summary["error"] ?? 0) errors, \(summary["skipped"] ?? 0) skipped"
                      + (until == nil ? "" : ", \(summary["notVerified"] ?? 0) not verified (deadline)"))
            }
            var outcome = Outcome()
            for audit in audits { outcome.record(Verdict(audit)) }
            try outcome.finish()
        }
    }
}

extension SumDBCommand.Audit.Line {
    /// The JSON/text form of a library verdict.
    init(_ audit: GoSumLineAudit) {
        let r = audit.record
        self.init(line: r.line, path: jsonText(r.path), pathBase64: jsonBytes(r.path),
                  version: jsonText(r.version), versionBase64: jsonBytes(r.version),
                  hash: jsonText(r.hash), hashBase64: jsonBytes(r.hash), status: audit.status.rawValue,
                  record: audit.recordID,
                  databaseHash: audit.databaseHash.map { String(decoding: $0.bytes, as: UTF8.self) },
                  error: audit.status == .verified || audit.status == .mismatch ? nil : audit.error?.description)
    }
}

/// A `path@version` argument (``moduleVersionArgument(_:shown:)``), Go-quoted in messages.
private func splitModule(_ text: String) throws(CLIFailure) -> ModuleVersion {
    try moduleVersionArgument(text, shown: ByteString(text).description)
}

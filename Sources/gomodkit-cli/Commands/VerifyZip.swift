import ArgumentParser
import GoModKit

/// `gomodkit verify-zip`: check a module zip's `h1:` against go.sum or a given hash.
struct VerifyZip: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-zip",
        abstract: "Verify a module zip against a go.sum file or an expected h1: hash.",
        discussion: ExitStatus.discussion("""
            Module and version default to the zip's path@version/ prefix. As cmd/go does before \
            hashing a download, every entry must carry that prefix. A mismatch exits 1 with go's \
            "checksum mismatch" text (so do a missing go.sum entry and a zip GoModKit's strict \
            reader rejects); a go.sum holding only hashes of unknown algorithms exits 3.
            """)
    )

    @Argument(help: "The module zip.")
    var zip: String

    @OptionGroup var module: ZipModuleOptions

    @Option(help: "The go.sum file to check against.")
    var gosum: String?

    @Option(help: "The expected h1: hash.")
    var h1: String?

    @OptionGroup var zipMode: HashZipModeOption

    @OptionGroup var format: JSONOption

    func validate() throws {
        guard (gosum == nil) != (h1 == nil) else { throw ValidationError("give exactly one of --gosum FILE and --h1 HASH") }
        try module.checkPaired()
        if let h1, DirHash(h1) == nil { throw ValidationError("--h1 \(h1): not a canonical h1: hash") }
    }

    /// The verdict on the zip (the JSON `result` field).
    enum Result: String, Encodable {
        case match, mismatch, missing, unverifiable
        case invalidZip = "invalid-zip"

        /// The exit-status verdict: a go.sum holding only unknown hash algorithms could not be
        /// checked; anything else but a match is a finding.
        var verdict: Verdict {
            switch self {
            case .match: .clean
            case .unverifiable: .unverified
            case .mismatch, .missing, .invalidZip: .finding
            }
        }
    }

    struct Report: Encodable {
        var zip: String
        var module: String?
        /// The exact bytes of ``module`` when they are not valid UTF-8 (Docs/output-encoding.md).
        var moduleBase64: String?
        var version: String?
        var versionBase64: String?
        var hash: String?
        var expected: [String] = []
        var result: Result
        var message: String?
    }

    func run() throws {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: zip, mode: zipMode.mode)
        } catch where error.code == .io {
            throw CLIFailure.input("\(zip): \(error.description)")
        } catch {
            try finish(Report(zip: zip, result: .invalidZip, message: "\(zip): \(error.description)"))
            return
        }
        let target = try moduleVersion(of: archive)
        var report = Report(zip: zip, module: jsonText(target.path), moduleBase64: jsonBytes(target.path),
                            version: jsonText(target.version), versionBase64: jsonBytes(target.version),
                            result: .mismatch)
        let prefix = ByteString(target.description + "/")
        if let stray = archive.entries.first(where: { !$0.name.hasPrefix(prefix) }) {
            report.message = "zip for \(target) has unexpected file \(stray.name)"
            return try finish(report)
        }
        let hash: DirHash
        do {
            hash = try DirHash.hashZip(archive, mode: zipMode.mode)
        } catch {
            report.result = .invalidZip
            report.message = "\(zip): \(error.description)"
            return try finish(report)
        }
        report.hash = hash.description

        if let h1, let expected = DirHash(h1) {
            report.expected = [expected.description]
            if expected == hash {
                report.result = .match
            } else {
                report.message = """
                    verifying \(target): checksum mismatch
                    \tdownloaded: \(hash)
                    \texpected:   \(expected)
                    """
            }
            return try finish(report)
        }
        guard let gosum else { return }
        let sums = try readGoSum(gosum)
        for diagnostic in sums.diagnostics where diagnostic.severity == .error {
            Terminal.error(diagnostic.description)
        }
        report.expected = sums.hashes(for: target, goMod: false).map { String(decoding: $0.bytes, as: UTF8.self) }
        switch sums.check(target, goMod: false, hash: hash) {
        case .match:
            report.result = .match
        case .mismatch(let recorded, _):
            report.message = String(decoding: sums.checksumMismatchMessage(
                for: target,
                downloaded: hash, recorded: recorded), as: UTF8.self)
        case .notPresent:
            report.result = .missing
            report.message = "verifying \(target): missing \(sums.sumFileName) entry (downloaded: \(hash))"
        case .unverifiable(let recorded):
            report.result = .unverifiable
            report.message = "verifying \(target): only unknown hash algorithms in \(sums.sumFileName): "
                + recorded.map { $0.description }.joined(separator: ", ")
        }
        try finish(report)
    }

    /// The module version to verify: the options, or the zip's `path@version/` prefix.
    private func moduleVersion(of archive: ZipArchive) throws(CLIFailure) -> ModuleVersion {
        let path: ByteString, version: ByteString
        if let given = module.given {
            (path, version) = given
        } else {
            // The first entry named `path@version/…` (directory entries such as `example.com/`
            // written by general-purpose zip tools come before it and fail the prefix check).
            (path, version) = try ZipModuleOptions.prefix(of: archive.entries.lazy.map(\.name), zip: zip)
        }
        do {
            let result = try ModuleVersion(path, version)
            guard Module.canonicalVersion(result.version) == result.version else {
                throw CLIFailure.input("version \(result.version) is not canonical")
            }
            return result
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw .input("\(error)")
        }
    }

    /// Prints the outcome and exits with its status.
    private func finish(_ report: Report) throws {
        if format.json {
            try Terminal.json(report)
        } else if report.result == .match, let hash = report.hash {
            Terminal.line("\(terminalName(report.module ?? ""))@\(terminalName(report.version ?? "")) \(hash): ok")
        }
        var outcome = Outcome()
        outcome.record(report.result.verdict)
        try outcome.finish(message: format.json ? "" : report.message ?? report.result.rawValue)
    }
}

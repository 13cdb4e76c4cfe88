import GoModPlatform
import GoModKit

/// A command outcome other than success: the message (already Go-style) and the exit code
/// (``ExitStatus``).
struct CLIFailure: Error {
    /// Exit code for a failed verification (``ExitStatus/finding``).
    static let verificationFailed: Int32 = ExitStatus.finding.rawValue
    /// Exit code for bad usage or unreadable input (``ExitStatus/usage``).
    static let usage: Int32 = ExitStatus.usage.rawValue
    /// Exit code for "could not verify" (``ExitStatus/unverified``), e.g. lines not checked by
    /// `--deadline` when nothing was found wrong.
    static let couldNotVerify: Int32 = ExitStatus.unverified.rawValue

    var code: Int32
    var message: String

    static func verification(_ message: String) -> CLIFailure { CLIFailure(code: verificationFailed, message: message) }
    static func input(_ message: String) -> CLIFailure { CLIFailure(code: usage, message: message) }
    static func unverified(_ message: String) -> CLIFailure { CLIFailure(code: couldNotVerify, message: message) }
    /// The failure for `error` with the exit code its ``Verdict`` gives (clean becomes 3: a
    /// thrown error never means "verified").
    static func classified(_ error: any Error, _ message: String) -> CLIFailure {
        let status = Verdict(error).status
        return CLIFailure(code: status == .clean ? couldNotVerify : status.rawValue, message: message)
    }
}

/// Output helpers: stdout for results, stderr for diagnostics. Text goes through
/// ``terminalSafe(_:)`` (Docs/output-encoding.md); escaping is idempotent, so text that was
/// already escaped is unchanged.
enum Terminal {
    /// Writes `text` and a newline to standard error, control characters and bidi overrides escaped.
    static func error(_ text: String) {
        let safe = terminalSafe(text)
        try? writeFully(2, Array((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
    }

    /// Writes `text` and a newline to standard output, control characters and bidi overrides escaped.
    static func line(_ text: String) {
        try? writeFully(1, Array((terminalSafe(text) + "\n").utf8))
    }

    /// Writes `value` as one line of JSON (sorted keys) to standard output, with every
    /// character a terminal could act on written as a `\uNNNN` escape (``terminalSafeJSON(_:)``).
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        try? writeFully(1, terminalSafeJSON(Array(data)) + [0x0A])
    }

    /// Writes bytes in a file format (go.sum, go.mod, go's JSON) to standard output: as they
    /// are when standard output is a file or a pipe, escaped (line breaks kept) when it is a
    /// terminal.
    static func write(_ bytes: [UInt8]) {
        if isatty(1) == 1 {
            try? writeFully(1, Array(terminalSafe(bytes, lineBreaks: true).utf8))
        } else {
            try? writeFully(1, bytes)
        }
    }
}

/// Reads a whole input file (go.mod, go.sum) with a size cap, mapping failures to exit code 2.
func readInputFile(_ path: String, limit: Int = 64 << 20) throws(CLIFailure) -> [UInt8] {
    switch readFile(path, limit: limit) {
    case .success(let data): return data
    case .failure(.open): throw .input("open \(path): no such file or not readable")
    case .failure(.tooLarge): throw .input("\(path): larger than \(limit) bytes")
    case .failure(.read(let error)): throw .input("read \(path): \(systemMessage(error.code))")
    }
}

/// Reads and parses a go.sum file (``GoSum/init(parsing:fileName:mode:limits:)``): exit 2
/// when it cannot be read or does not parse, the parse error's message after `context` (the
/// prefix the command's go counterpart puts before it).
func readGoSum(_ path: String, mode: GoSum.ReadingMode = .strict, context: String = "") throws(CLIFailure) -> GoSum {
    let data = try readInputFile(path)
    do { return try GoSum(parsing: data, fileName: path, mode: mode) } catch { throw .input(context + error.description) }
}

/// `path` made absolute against the current directory (left as it is when already absolute).
func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// `path` made absolute and clean (Go's `filepath.Clean`: no `.`, `..` or doubled slashes).
func cleanAbsolutePath(_ path: String) -> String {
    String(decoding: goPathClean(Array(absolutePath(path).utf8)), as: UTF8.self)
}

/// A local path made absolute; URLs (anything with `://`) as given.
func absoluteLocation(_ location: String) -> String {
    location.contains("://") ? location : absolutePath(location)
}

/// A `path@version` argument split at the first `@` (cmd/go's `modload.ParsePathVersion`);
/// both parts must be non-empty, else `go: <shown>: want path@version` (exit 2). `shown` is the
/// argument as the command's message quotes it.
func moduleVersionArgument(_ text: String, shown: String) throws(CLIFailure) -> ModuleVersion {
    let split: (module: ModuleVersion, hasVersion: Bool)
    do { split = try ModuleVersion.parse(argument: text) } catch { throw .input("go: \(terminalSafe(error.description))") }
    guard split.hasVersion, !split.module.path.isEmpty, !split.module.version.isEmpty else {
        throw .input("go: \(shown): want path@version")
    }
    return split.module
}

/// `body`'s result; a failure becomes the ``CLIFailure`` with the exit code its ``Verdict``
/// gives (``CLIFailure/classified(_:_:)``) and go's `go: <error>` message.
func classifyingFailure<T>(_ body: () async throws -> T) async throws(CLIFailure) -> T {
    do { return try await body() } catch { throw CLIFailure.classified(error, "go: \(terminalSafe("\(error)"))") }
}

/// The standardised absolute path of a Go project directory (`gomodkit verify`, `gomodkit
/// audit`), which must hold a go.mod: else cmd/go's `go.mod file not found` message, exit 2.
func projectDirectory(_ directory: String) throws(CLIFailure) -> String {
    let dir = cleanAbsolutePath(directory)
    guard FileManager.default.fileExists(atPath: dir + "/go.mod") else {
        throw .input("go: go.mod file not found in \(terminalSafe(dir)); see 'go help modules'")
    }
    return dir
}

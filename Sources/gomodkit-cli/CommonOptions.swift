import ArgumentParser
import GoModPlatform
import GoModKit

// Options that several commands take alike, each declared once: its name, help text and
// default, and what a command does with its value. An `@OptionGroup` without a title lists its
// options where the group stands, so every command's `--help` reads as it did when each
// command declared them itself.

/// `--json` as most commands spell it ("Print JSON."). Commands whose JSON has a shape worth
/// naming in the help (`caps`, `gosum fmt`, `origin`, `download -json`) declare their own.
struct JSONOption: ParsableArguments {
    @Flag(help: "Print JSON.")
    var json = false
}

/// The default of a command's `--timeout`.
protocol TimeoutDefault {
    /// Seconds.
    static var seconds: Double { get }
}

/// 30 s: commands that ask a checksum database or an advisory source (`audit`, `sumdb`,
/// `verify`, `vuln`).
enum ShortTimeout: TimeoutDefault {
    static let seconds: Double = 30
}

/// 60 s: commands that walk proxies, feeds and repositories (`download`, `origin`, `scan`).
enum LongTimeout: TimeoutDefault {
    static let seconds: Double = 60
}

/// `--timeout`: how long one network request may take.
struct TimeoutOption<Default: TimeoutDefault>: ParsableArguments {
    @Option(help: "Network timeout in seconds.")
    var timeout: Double = Default.seconds
}

/// `--deadline` (``DeadlineDuration``): one bound on the whole command.
struct DeadlineOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A deadline for the whole command (Go duration: 90s, 5m, 1h30m); what is not checked by then is reported as not verified (exit 3).",
        valueName: "duration"))
    var deadline: DeadlineDuration?

    /// The instant the deadline passes, counted from now (`nil` without `--deadline`); read
    /// once, when the command starts.
    var fromNow: ContinuousClock.Instant? { deadline?.fromNow }
}

/// The `[DIR]` argument of the commands that check one Go project (`audit`, `verify`, `vuln`).
struct ProjectDirectoryArgument: ParsableArguments {
    @Argument(help: "The project directory (default: the current directory).")
    var directory: String = "."

    /// The directory made absolute and clean; it must hold a go.mod (``projectDirectory(_:)``).
    func resolve() throws(CLIFailure) -> String {
        try projectDirectory(directory)
    }
}

/// `--modcache` of the commands that only read the module cache (`caps`, `vuln`).
struct ModuleCacheOption: ParsableArguments {
    @Option(help: "The module cache (default: $GOMODCACHE, else GOPATH/pkg/mod).")
    var modcache: String?

    /// The module cache: `--modcache` (made absolute), else the Go environment's; `nil` when
    /// neither names one (the commands then read go.mod files alone). A malformed GOFLAGS
    /// fails as cmd/go fails (``GoEnvironment/forCommand()``).
    func cache() throws(CLIFailure) -> ModuleCache? {
        var environment = try GoEnvironment.forCommand()
        if let modcache { environment.set("GOMODCACHE", absolutePath(modcache)) }
        return try? environment.moduleCache()
    }
}

/// `--module` and `--version` of the commands that make or check a module zip (`zip check`,
/// `zip create`, `sum`): required, but checked by the command itself (a parse error would make
/// ArgumentParser take `--version` for the root command's version flag).
struct ModuleVersionOptions: ParsableArguments {
    @Option(help: "Module path (required).")
    var module: String?

    @Option(help: "Module version, canonical (required).")
    var version: String?

    /// The module version the options name (empty parts where one is missing).
    var target: ModuleVersion {
        ModuleVersion(path: ByteString(module ?? ""), version: ByteString(version ?? ""))
    }
}

/// `--module` and `--version` of the commands that read an existing module zip (`verify-zip`,
/// `zip unzip`): both or neither; by default the zip's `path@version/` prefix.
struct ZipModuleOptions: ParsableArguments {
    @Option(help: "Module path (default: from the zip's entry names).")
    var module: String?

    @Option(help: "Module version (default: from the zip's entry names).")
    var version: String?

    /// Throws the usage error unless both or neither are given.
    func checkPaired() throws {
        guard (module == nil) == (version == nil) else { throw ValidationError("--module and --version go together") }
    }

    /// The path and version the options give; `nil` when they give none.
    var given: (path: ByteString, version: ByteString)? {
        guard let module, let version else { return nil }
        return (ByteString(module), ByteString(version))
    }

    /// The `path` and `version` of the first of `names` that reads `path@version/…`; when none
    /// does, the usage failure that asks for the options.
    static func prefix(of names: some Sequence<ByteString>, zip: String) throws(CLIFailure)
        -> (path: ByteString, version: ByteString) {
        for name in names {
            let bytes = name.bytes
            guard let at = bytes.firstIndex(of: UInt8(ascii: "@")),
                  let slash = bytes[at...].firstIndex(of: UInt8(ascii: "/")) else { continue }
            return (ByteString(bytes[..<at]), ByteString(bytes[(at + 1)..<slash]))
        }
        throw .input("\(zip): cannot tell module and version from the entry names; use --module and --version")
    }
}

/// `--go-compatible` of the commands that hash module zips (`hash`, `verify-zip`).
struct HashZipModeOption: ParsableArguments {
    @Flag(help: "Reproduce Go's HashZip quirks exactly (Go archive/zip's tolerances; duplicate names hash the last entry).")
    var goCompatible = false

    /// The zip reader's mode.
    var mode: ZipArchive.Mode { goCompatible ? .goCompatible : .strict }
}

/// `--timeout` and `--attempts` of the commands that read the module index feed (`scan run`,
/// `scan mirror`).
struct FeedOptions: ParsableArguments {
    @OptionGroup var network: TimeoutOption<LongTimeout>

    @Option(help: "Requests per feed page before giving up (exponential back-off between them).")
    var attempts: Int = 8

    /// The feed client for `index` over the default transport.
    func client(_ index: String) throws(CLIFailure) -> IndexFeedClient {
        guard let url = URL(string: index), let scheme = url.scheme, scheme == "http" || scheme == "https", url.host != nil else {
            throw CLIFailure.input("gomodkit scan: --index \(terminalSafe(index)): not an http(s) URL")
        }
        return IndexFeedClient(url: url, transport: DefaultHTTPTransport(timeout: network.timeout),
                               retry: RetryPolicy(maxAttempts: max(1, attempts)))
    }
}

/// `--json` and `--sarif` of the project reports (`audit`, `vuln`): at most one of them.
func checkReportFormat(json: Bool, sarif: Bool) throws {
    if json && sarif { throw ValidationError("give at most one of --json and --sarif") }
}

/// Writes a project report as SARIF 2.1.0 to standard output, with a final newline.
func writeSARIF(_ report: AuditReport) {
    try? writeFully(1, Array(report.sarif()))
    print()
}

extension CommandConfiguration {
    /// The configuration of a command that only groups subcommands (`gosum`, `mod`, `work`,
    /// `zip`): its help ends with the exit-status paragraph.
    static func group(_ name: String, abstract: String, subcommands: [any ParsableCommand.Type]) -> CommandConfiguration {
        CommandConfiguration(commandName: name, abstract: abstract, discussion: ExitStatus.help, subcommands: subcommands)
    }
}

import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit mod`: go.mod tools.
struct ModCommand: ParsableCommand {
    static let configuration = CommandConfiguration.group(
        "mod", abstract: "Read and edit go.mod files (go mod edit).", subcommands: [ModEdit.self, ModBench.self])
}

/// `gomodkit work`: go.work tools.
struct WorkCommand: ParsableCommand {
    static let configuration = CommandConfiguration.group(
        "work", abstract: "Read and edit go.work files (go work edit).", subcommands: [WorkEdit.self])
}

/// `gomodkit mod edit`: `go mod edit`, flag for flag.
typealias ModEdit = GoEditSubcommand<GoModFile>

/// `gomodkit work edit`: `go work edit`, flag for flag.
typealias WorkEdit = GoEditSubcommand<GoWorkFile>

/// The file kind of an edit subcommand, as a type (a command's configuration is static).
protocol GoEditFile {
    /// Which file the subcommand edits.
    static var kind: GoEditCommand.Kind { get }
}

/// go.mod (`gomodkit mod edit`).
enum GoModFile: GoEditFile {
    static let kind = GoEditCommand.Kind.mod
}

/// go.work (`gomodkit work edit`).
enum GoWorkFile: GoEditFile {
    static let kind = GoEditCommand.Kind.work
}

/// `gomodkit mod edit` and `gomodkit work edit`: the arguments are passed as they are to
/// ``GoEditCommand``, which reads them as go's flag package does.
struct GoEditSubcommand<File: GoEditFile>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "edit",
            abstract: "Edit or format a \(File.kind.fileName) file exactly as `go \(File.kind.goCommand) edit` does.",
            discussion: ExitStatus.discussion(File.kind.discussion))
    }

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Editing flags, then the \(File.kind.fileName) file."))
    var arguments: [String] = []

    func run() throws {
        try GoEditCommand(kind: File.kind).run(arguments)
    }
}

extension GoEditCommand.Kind {
    /// The file edited: `go.mod` or `go.work`.
    var fileName: String { self == .mod ? "go.mod" : "go.work" }

    /// The go command's subcommand: `mod` or `work`.
    var goCommand: String { self == .mod ? "mod" : "work" }

    /// The edit subcommand's help text (before the exit-status paragraph).
    var discussion: String {
        switch self {
        case .mod:
            """
            usage: gomodkit mod edit [editing flags] [-fmt|-print|-json] [go.mod]

            Flags are Go-style (one or two dashes, -flag=value or -flag value) and are read \
            until the first argument that is not a flag, as go's flag package reads them. \
            -module=M, -go=V (or none), -toolchain=T (or none) apply first; then, in \
            command-line order, the repeatable -godebug=key=value, -dropgodebug=key, \
            -require=path@v, -droprequire=path, -exclude=path@v, -dropexclude=path@v, \
            -replace=old[@v]=new[@v], -dropreplace=old[@v], -retract=v|[lo,hi], \
            -dropretract=v|[lo,hi], -tool=path, -droptool=path, -ignore=path, -dropignore=path. \
            -fmt rewrites the file formatted, -print prints the result instead of writing it, \
            -json prints go mod edit's JSON. Without a file argument, the go.mod of the current \
            directory or a parent is edited. Nothing but that one file is read.

            Output and messages are go's, byte for byte. A file that does not parse exits 1; bad \
            flags or arguments and unreadable or unwritable files exit 2 (go exits 1 for argument \
            errors).
            """
        case .work:
            """
            usage: gomodkit work edit [editing flags] [go.work]

            Go-style flags as for `gomodkit mod edit`: -go=V, -toolchain=T, and in order \
            -godebug=key=value, -dropgodebug=key, -use=dir, -dropuse=dir, \
            -replace=old[@v]=new[@v], -dropreplace=old[@v]; -fmt, -print, -json. Without a \
            file argument, $GOWORK or the go.work of the current directory or a parent is \
            edited. -use does not read the module's go.mod (go writes no module path either).
            """
        }
    }
}

/// `gomodkit mod bench FILE...` (hidden): parse throughput for scripts/bench-modfile.sh.
struct ModBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Parse go.mod files repeatedly and report the time (for scripts/bench-modfile.sh).",
        discussion: ExitStatus.help,
        shouldDisplay: false
    )

    @Option(help: "How many times to parse every file.")
    var rounds = 1

    @Argument(help: "go.mod files.")
    var files: [String] = []

    func run() throws {
        var datas: [[UInt8]] = []
        for path in files { datas.append(try readInputFile(path)) }
        let total = datas.reduce(0) { $0 + $1.count }
        var parsed = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<max(1, rounds) {
            for (name, data) in zip(files, datas) where (try? GoMod.parse(data, fileName: name, strictness: .lax)) != nil {
                parsed += 1
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("gomodkit files=\(datas.count) bytes=\(total) rounds=\(max(1, rounds)) parsed=\(parsed) seconds=\(fixed6(seconds))")
    }
}

/// The shared driver of `mod edit` and `work edit`: go's flag parsing (the `flag` package's
/// rules) and cmd/go's `runEdit` / `runEditwork`.
struct GoEditCommand {
    enum Kind { case mod, work }
    let kind: Kind

    var usage: String {
        kind == .mod
            ? "usage: go mod edit [editing flags] [-fmt|-print|-json] [go.mod]\nRun 'go help mod edit' for details.\n"
            : "usage: go work edit [editing flags] [go.work]\nRun 'go help work edit' for details.\n"
    }

    /// Parsed flags.
    struct Flags {
        var fmt = false, json = false, print = false
        var module: ByteString?, goVersion: ByteString?, toolchain: ByteString?
        var modEdits: [GoMod.Edit] = []
        var workEdits: [GoWork.Edit] = []
        var positional: [String] = []
    }

    /// A flag-syntax failure: go prints the message and the usage and exits 2.
    func usageFailure(_ message: String) -> CLIFailure {
        CLIFailure(code: CLIFailure.usage, message: (message.isEmpty ? "" : message + "\n") + usage)
    }

    /// An argument failure, printed as go prints its `base.Fatalf` (with untrusted bytes
    /// escaped: ``ModFileError/description``).
    static func fatal(_ message: String, code: Int32 = CLIFailure.usage) -> CLIFailure {
        CLIFailure(code: code, message: message)
    }

    /// go's `flag.FlagSet.Parse` with this command's flags.
    func parseFlags(_ arguments: [String]) throws(CLIFailure) -> Flags {
        var flags = Flags()
        let stringFlags: Set<String> = kind == .mod ? ["go", "toolchain", "module"] : ["go", "toolchain"]
        let editFlags = Set(kind == .mod ? GoMod.Edit.flags : GoWork.Edit.flags)
        var i = 0
        while i < arguments.count {
            let s = arguments[i]
            if s.utf8.count < 2 || !s.hasPrefix("-") { break }
            var name = Substring(s.dropFirst())
            if name.hasPrefix("-") {
                name = name.dropFirst()
                if name.isEmpty {  // "--" ends the flags
                    i += 1
                    break
                }
            }
            if name.isEmpty || name.hasPrefix("-") || name.hasPrefix("=") {
                throw usageFailure("bad flag syntax: \(s)")
            }
            i += 1
            var value: String? = nil
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = name[..<eq]
            }
            let flag = String(name)
            switch flag {
            case "fmt", "json", "print":
                var on = true
                if let value {
                    switch value {
                    case "1", "t", "T", "TRUE", "true", "True": on = true
                    case "0", "f", "F", "FALSE", "false", "False": on = false
                    default: throw usageFailure("invalid boolean value \"\(value)\" for -\(flag): parse error")
                    }
                }
                if flag == "fmt" { flags.fmt = on } else if flag == "json" { flags.json = on } else { flags.print = on }
                continue
            case "h", "help":
                throw usageFailure("")
            default:
                break
            }
            guard stringFlags.contains(flag) || editFlags.contains(flag) else {
                throw usageFailure("flag provided but not defined: -\(flag)")
            }
            if value == nil {
                guard i < arguments.count else { throw usageFailure("flag needs an argument: -\(flag)") }
                value = arguments[i]
                i += 1
            }
            let arg = ByteString(value ?? "")
            switch flag {
            case "go": flags.goVersion = arg.isEmpty ? nil : arg
            case "toolchain": flags.toolchain = arg.isEmpty ? nil : arg
            case "module": flags.module = arg.isEmpty ? nil : arg
            default:
                do {
                    if kind == .mod {
                        flags.modEdits.append(try GoMod.Edit(flag: flag, argument: arg))
                    } else {
                        flags.workEdits.append(try GoWork.Edit(flag: flag, argument: arg))
                    }
                } catch {
                    throw Self.fatal("go: " + error.description)
                }
            }
        }
        flags.positional = Array(arguments[i...])
        return flags
    }

    func run(_ arguments: [String]) throws(CLIFailure) {
        let flags = try parseFlags(arguments)
        switch kind {
        case .mod: try runMod(flags)
        case .work: try runWork(flags)
        }
    }

    func runMod(_ flags: Flags) throws(CLIFailure) {
        let any = flags.module != nil || flags.goVersion != nil || flags.toolchain != nil || flags.json || flags.print
            || flags.fmt || !flags.modEdits.isEmpty
        if !any { throw Self.fatal("go: no flags specified (see 'go help mod edit').") }
        if flags.json && flags.print { throw Self.fatal("go: cannot use both -json and -print") }
        if flags.positional.count > 1 { throw Self.fatal("go: too many arguments") }
        var path: String
        if let p = flags.positional.first {
            path = p
        } else {
            path = try Self.findUp("go.mod", notFound:
                "go: go.mod file not found in current directory or any parent directory; see 'go help modules'")
        }
        do {
            try GoMod.checkEditCommand(module: flags.module, goVersion: flags.goVersion, toolchain: flags.toolchain)
        } catch {
            let prefix = error.code == .invalidModuleArgument ? "go: " : "go mod: "
            throw Self.fatal(prefix + error.description)
        }
        let data = try Self.read(path)
        try edit(GoMod.self, data, fileName: path, shown: Self.shortPath(path), flags: flags, path: path, expecting: data)
    }

    func runWork(_ flags: Flags) throws(CLIFailure) {
        if flags.json && flags.print { throw Self.fatal("go: cannot use both -json and -print") }
        if flags.positional.count > 1 { throw Self.fatal("go: 'go help work edit' accepts at most one argument") }
        let notFound = "go: no go.work file found\n\t(run 'go work init' first or specify path using GOWORK environment variable)"
        var path: String
        if let p = flags.positional.first {
            path = p
        } else if case let env = GoEnvironment.current().value("GOWORK"), !env.isEmpty, env != "auto" {
            // cfg.Getenv: the process environment, else the `go env -w` file.
            guard env != "off" else { throw Self.fatal(notFound) }
            path = env
        } else {
            path = try Self.findUp("go.work", notFound: notFound)
        }
        do {
            try GoMod.checkEditCommand(module: nil, goVersion: flags.goVersion, toolchain: flags.toolchain)
        } catch {
            throw Self.fatal("go work: " + error.description)
        }
        let any = flags.goVersion != nil || flags.toolchain != nil || flags.json || flags.print || flags.fmt
            || !flags.workEdits.isEmpty
        if !any { throw Self.fatal("go: no flags specified (see 'go help work edit').") }
        let short = Self.shortPath(path)
        guard let data = try? Self.readFile(short) else {
            throw Self.fatal("go: errors parsing \(short):\nreading go.work: open \(short): no such file or directory")
        }
        try edit(GoWork.self, data, fileName: short, shown: short, context: "errors parsing go.work:\n", flags: flags,
                 path: path, expecting: nil)
    }

    /// The file read (`data`) parsed, edited by `flags` and written or printed (``finish``), as
    /// cmd/go's `runEdit` / `runEditwork` do: a file that does not parse exits 1 with
    /// `go: errors parsing <shown>:` (then `context`), a failed edit exits 2.
    func edit<File: GoEditableFile>(_: File.Type, _ data: [UInt8], fileName: String, shown: String, context: String = "",
                                    flags: Flags, path: String, expecting: [UInt8]?) throws(CLIFailure) {
        var file: File
        do {
            file = try File.parse(editing: data, fileName: fileName)
        } catch {
            throw Self.fatal("go: errors parsing \(shown):\n" + context + error.description, code: CLIFailure.verificationFailed)
        }
        do {
            try file.apply(flags)
        } catch {
            throw Self.fatal("go: " + error.description)
        }
        try finish(flags, json: file.editJSON(), formatted: file.formatted(), path: path, expecting: expecting)
    }

    /// The edited file's way out, as cmd/go's: `-json` prints the edit JSON, `-print` the
    /// formatted file; otherwise the formatted file replaces the one at `path` (unless it no
    /// longer holds `expecting`, the bytes read).
    func finish(_ flags: Flags, json: @autoclosure () -> [UInt8], formatted: @autoclosure () -> [UInt8],
                path: String, expecting: [UInt8]?) throws(CLIFailure) {
        if flags.json {
            Terminal.write(json())
        } else if flags.print {
            Terminal.write(formatted())
        } else {
            try Self.write(formatted(), to: path, expecting: expecting, what: kind.fileName)
        }
    }

    // MARK: - Files

    static func readFile(_ path: String) throws -> [UInt8] {
        try readInputFile(path)
    }

    static func read(_ path: String) throws(CLIFailure) -> [UInt8] {
        do {
            return try readFile(path)
        } catch {
            if FileManager.default.fileExists(atPath: path) {
                throw fatal("go: read \(path): \(directoryExists(path) ? "is a directory" : "cannot read file")")
            }
            throw fatal("go: open \(path): no such file or directory")
        }
    }

    /// Writes the result in place (keeping the file's identity and permissions), refusing when
    /// the file changed since it was read, as go does.
    static func write(_ bytes: [UInt8], to path: String, expecting original: [UInt8]?, what: String) throws(CLIFailure) {
        if let original, (try? readFile(path)) != original {
            throw fatal("go: \(what) changed during editing; not overwriting")
        }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw fatal("go: open \(path): permission denied")
        }
        defer { close(fd) }
        do throws(SystemErrno) {
            guard ftruncate(fd, 0) == 0 else { throw SystemErrno(code: errno) }
            try writeFully(fd, bytes)
        } catch {
            throw fatal("go: write \(path): \(systemMessage(error.code))")
        }
    }

    /// The file `name` in the current directory or the nearest parent.
    static func findUp(_ name: String, notFound: String) throws(CLIFailure) -> String {
        var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        while true {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path), !directoryExists(candidate.path) {
                return candidate.path
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { throw fatal(notFound) }
            dir = parent
        }
    }

    /// cmd/go's `base.ShortPath`: the path relative to the current directory when that is
    /// shorter and names the same file.
    static func shortPath(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path }
        let cwd = FileManager.default.currentDirectoryPath
        let base = cwd.split(separator: "/").map(String.init), target = path.split(separator: "/").map(String.init)
        var common = 0
        while common < base.count && common < target.count && base[common] == target[common] { common += 1 }
        let rel = (Array(repeating: "..", count: base.count - common) + target[common...]).joined(separator: "/")
        guard !rel.isEmpty, rel.utf8.count < path.utf8.count else { return path }
        var a = stat(), b = stat()
        guard stat(rel, &a) == 0, stat(path, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev else { return path }
        return rel
    }
}

/// A go.mod or go.work as ``GoEditCommand`` edits it.
protocol GoEditableFile {
    /// The file parsed strictly, as `go mod edit` / `go work edit` read it.
    static func parse(editing data: [UInt8], fileName: String) throws(ModFileError) -> Self
    /// The flags' changes applied, in cmd/go's order.
    mutating func apply(_ flags: GoEditCommand.Flags) throws(ModFileError)
    /// `-json` output.
    func editJSON() -> [UInt8]
    /// The file as go formats it.
    func formatted() -> [UInt8]
}

extension GoMod: GoEditableFile {
    static func parse(editing data: [UInt8], fileName: String) throws(ModFileError) -> GoMod {
        try parse(data, fileName: fileName)
    }

    mutating func apply(_ flags: GoEditCommand.Flags) throws(ModFileError) {
        try edit(module: flags.module, goVersion: flags.goVersion, toolchain: flags.toolchain, edits: flags.modEdits)
    }
}

extension GoWork: GoEditableFile {
    static func parse(editing data: [UInt8], fileName: String) throws(ModFileError) -> GoWork {
        try parse(data, fileName: fileName)
    }

    mutating func apply(_ flags: GoEditCommand.Flags) throws(ModFileError) {
        try edit(goVersion: flags.goVersion, toolchain: flags.toolchain, edits: flags.workEdits)
    }
}

/// `%.6f` of a non-negative number.
private func fixed6(_ value: Double) -> String {
    let micros = Int64((value * 1e6).rounded())
    let fraction = String(micros % 1_000_000)
    return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
}

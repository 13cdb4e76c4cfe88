import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit zip`: check, create and extract module zips (x/mod's `zip` package).
struct ZipCommand: ParsableCommand {
    static let configuration = CommandConfiguration.group(
        "zip", abstract: "Check, create and extract Go module zips as golang.org/x/mod/zip does.",
        subcommands: [Check.self, Create.self, Unzip.self])

    /// `gomodkit zip check`: x/mod's `CheckZip`, as JSON lists.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a module zip's names, sizes and layout (zip.CheckZip); print the lists as JSON.",
            discussion: ExitStatus.discussion("""
                Prints one JSON object: valid entries, omitted and invalid entries with Go's reasons, \
                the size error, and GoModKit's warnings. A zip that is not a valid module zip (or \
                that GoModKit's strict zip reader rejects) exits 1.
                """)
        )

        @OptionGroup var moduleVersion: ModuleVersionOptions

        @Flag(help: "Read the container with Go archive/zip's tolerances (Go-compatible mode) instead of GoModKit's strict rules.")
        var goCompatible = false

        @Argument(help: "The module zip.")
        var zip: String?

        func run() throws {
            // Required values are checked here, not by the parser: on a parse error
            // ArgumentParser would take `--version` for the root command's version flag.
            guard let module = moduleVersion.module, let version = moduleVersion.version, let zip else {
                throw ValidationError("usage: gomodkit zip check --module P --version V FILE.zip")
            }
            let target = moduleVersion.target
            let report: ModuleZip.CheckedFiles
            do {
                report = try ModuleZip.checkZip(target, path: zip, mode: goCompatible ? .goCompatible : .strict)
            } catch {
                switch error.code {
                case .zip:
                    try Terminal.json(CheckOutput(zip: zip, module: module, version: version, error: error.description))
                    throw CLIFailure.verification("")
                case .invalidModuleVersion:
                    throw CLIFailure.input(error.description)
                default:
                    throw CLIFailure.input("\(zip): \(error.description)")
                }
            }
            try Terminal.json(CheckOutput(zip: zip, module: module, version: version, report: report))
            if !report.isValid { throw CLIFailure.verification("") }
        }
    }

    /// `gomodkit zip create`: x/mod's `CreateFromDir`, or cmd/go's zip of a git tag.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a module zip from a directory (zip.CreateFromDir) or a git revision (as cmd/go does).",
            discussion: ExitStatus.discussion("""
                Prints the zip's h1: hash (the go.sum line's hash). With --git the zip is made as \
                'go mod download' makes it with GOPROXY=direct: the version's tag (<subdir>/<version> \
                for a module in a subdirectory) unless --rev names another revision. A module \
                that is invalid or not found at the revision exits 1.
                """)
        )

        @OptionGroup var source: ModuleSourceOptions

        @Option(name: .shortAndLong, help: "The zip file to write, replaced atomically (required).")
        var output: String?

        @Option(help: "zlib compression level 0-9 (-1: default). Changes the zip bytes, never the h1:.")
        var level: Int32 = -1

        @OptionGroup var format: JSONOption

        func run() throws {
            try source.checkUsage()
            guard let output else { throw ValidationError("missing -o OUT.zip") }
            let options = ModuleZip.CreateOptions(compressionLevel: level)
            let made = try source.make(output: .file(output), options: options)
            if format.json {
                try Terminal.json(SumOutput(source: source, made: made, zip: output))
            } else {
                print(made.created.hash.description)
            }
        }
    }

    /// `gomodkit zip unzip`: x/mod's `Unzip`, made safe.
    struct Unzip: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract a module zip into an empty or absent directory (zip.Unzip), atomically.",
            discussion: ExitStatus.discussion("""
                The zip is checked first (as 'zip check') and nothing is written unless it is valid. \
                Files are extracted into a private temporary directory next to DIR and renamed into \
                place; nothing is ever written outside DIR and nothing is left behind on failure. \
                Files are made 0444 and directories 0555, as in the module cache. Module and version \
                default to the zip's path@version/ prefix. A zip that is not a \
                valid module zip exits 1; a non-empty target directory exits 2.
                """)
        )

        @Argument(help: "The module zip.")
        var zip: String?

        @Argument(help: "The target directory (absent or empty).")
        var directory: String?

        @OptionGroup var module: ZipModuleOptions

        @Flag(help: "Leave files writable (0644/0755 less the umask).")
        var writable = false

        func run() throws {
            try module.checkPaired()
            guard let zip, let directory else { throw ValidationError("usage: gomodkit zip unzip FILE.zip DIR") }
            let target = try moduleVersion(zip)
            do {
                let report = try ModuleZip.unzip(zip, module: target, to: directory,
                                                 options: .init(readOnly: !writable))
                for warning in report.warnings { Terminal.error("warning: \(warning)") }
            } catch {
                switch error.code {
                case .targetNotEmpty, .targetNotDirectory, .io, .invalidModuleVersion:
                    throw CLIFailure.input(error.description)
                default:
                    throw CLIFailure.verification(error.description)
                }
            }
        }

        private func moduleVersion(_ zip: String) throws(CLIFailure) -> ModuleVersion {
            if let (path, version) = module.given { return ModuleVersion(path: path, version: version) }
            let archive: ZipArchive
            do {
                archive = try ZipArchive(path: zip)
            } catch where error.code == .io {
                throw .input("\(zip): \(error.description)")
            } catch {
                throw .verification("\(zip): \(error.description)")
            }
            // Only the first entry is asked (verify-zip looks further).
            let (path, version) = try ZipModuleOptions.prefix(of: archive.entries.prefix(1).map(\.name), zip: zip)
            return ModuleVersion(path: path, version: version)
        }
    }
}

/// Where `zip create` and `sum` take a module from: a directory or a git repository.
struct ModuleSourceOptions: ParsableArguments {
    @OptionGroup var moduleVersion: ModuleVersionOptions

    @Option(help: "A directory holding the module (zip.CreateFromDir).")
    var dir: String?

    @Option(help: "A local git repository (working tree or bare) holding the module.")
    var git: String?

    @Option(help: "With --git: the revision to archive (default: the version's tag, or a pseudo-version's commit).")
    var rev: String?

    @Option(help: "With --git: the module's directory in the repository (also the tag prefix).")
    var subdir: String?

    @Option(help: "With --git: the git executable.")
    var gitExecutable: String = "git"

    /// Checked in `run()`, not `validate()`: ArgumentParser would otherwise take the
    /// `--version` option of this group for its own version flag when reporting the error.
    func checkUsage() throws {
        guard moduleVersion.module != nil, moduleVersion.version != nil else { throw ValidationError("--module and --version are required") }
        guard (dir == nil) != (git == nil) else { throw ValidationError("give exactly one of --dir DIR and --git REPO") }
        if dir != nil, rev != nil || subdir != nil { throw ValidationError("--rev and --subdir go with --git") }
    }

    var target: ModuleVersion { moduleVersion.target }

    /// Builds (or only hashes) the module zip; maps failures to exit codes.
    func make(output: ModuleZip.Output, options: ModuleZip.CreateOptions = .init()) throws -> Made {
        do {
            if let dir {
                let created = try ModuleZip.createFromDirectory(target, directory: dir, output: output, options: options)
                let goMod = created.goMod ?? ModuleZip.legacyGoMod(target.path)
                return Made(created: created, goMod: goMod, goModSynthesized: created.goMod == nil, commit: nil)
            }
            let source = ModuleZip.GitSource(repository: git ?? "", directory: ByteString(subdir ?? ""),
                                             revision: rev, git: gitExecutable)
            let made = try ModuleZip.createFromGit(target, source: source, output: output, options: options)
            return Made(created: made.created, goMod: made.goMod, goModSynthesized: made.goModIsSynthesized,
                        commit: made.commit)
        } catch {
            switch error.code {
            case .io, .git, .unknownRevision, .invalidModuleVersion, .invalidRepositoryPath, .tooManyFiles:
                throw CLIFailure.input(error.description)
            default:
                throw CLIFailure.verification(error.description)
            }
        }
    }

    struct Made {
        var created: ModuleZip.Created
        var goMod: [UInt8]
        var goModSynthesized: Bool
        var commit: String?
        var goModHash: DirHash { DirHash.hashGoMod(goMod) }
    }
}

/// JSON for `zip check`.
struct CheckOutput: Encodable {
    struct Item: Encodable {
        var path: ByteString
        /// The exact bytes of ``path`` when they are not valid UTF-8 (Docs/output-encoding.md).
        var pathBase64: String?
        var code: String
        var error: String
    }

    var zip: String
    var module: String
    var version: String
    var ok: Bool
    var valid: [ByteString] = []
    var omitted: [Item] = []
    var invalid: [Item] = []
    var warnings: [Item] = []
    var sizeError: String?
    var error: String?

    init(zip: String, module: String, version: String, report: ModuleZip.CheckedFiles) {
        self.zip = zip
        self.module = module
        self.version = version
        ok = report.isValid
        valid = report.valid
        func items(_ list: [ModuleZip.FileError]) -> [Item] {
            list.map { Item(path: $0.path, pathBase64: jsonBytes($0.path), code: "\($0.code)",
                            error: $0.message.utf8String ?? $0.message.description) }
        }
        omitted = items(report.omitted)
        invalid = items(report.invalid)
        warnings = items(report.warnings)
        sizeError = report.sizeError?.message
    }

    init(zip: String, module: String, version: String, error: String) {
        self.zip = zip
        self.module = module
        self.version = version
        ok = false
        self.error = error
    }
}

/// JSON for `sum` and `zip create --json`.
struct SumOutput: Encodable {
    var module: String
    var version: String
    var hash: String
    var goModHash: String
    var goModSynthesized: Bool
    var commit: String?
    var zip: String?
    var files: Int
    var omitted: Int
    var warnings: [String]

    init(source: ModuleSourceOptions, made: ModuleSourceOptions.Made, zip: String?) {
        module = source.moduleVersion.module ?? ""
        version = source.moduleVersion.version ?? ""
        hash = made.created.hash.description
        goModHash = made.goModHash.description
        goModSynthesized = made.goModSynthesized
        commit = made.commit
        self.zip = zip
        files = made.created.checked.valid.count
        omitted = made.created.checked.omitted.count
        warnings = made.created.checked.warnings.map(\.description)
    }
}

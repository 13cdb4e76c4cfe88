import ArgumentParser
import GoModKit

/// `gomodkit sum`: recompute a module version's two go.sum lines offline.
struct SumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sum",
        abstract: "Recompute a module version's go.sum lines from a directory or a git repository, offline.",
        discussion: ExitStatus.discussion("""
            Prints the two lines go.sum records for the version:
              <module> <version> h1:...         the h1: of the module zip
              <module> <version>/go.mod h1:...  the h1: of its go.mod
            With --git the zip is made exactly as 'go mod download' makes it with GOPROXY=direct \
            (the version's tag, cmd/go's archive command and attributes), and the go.mod hash is \
            that of the go.mod blob at the tag, or of the synthesized 'module <path>' line when \
            the version has none. With --dir the directory is zipped as zip.CreateFromDir does \
            and its go.mod file is hashed as it is on disk. No zip is written. A module that is invalid or not \
            found at the revision exits 1.
            """)
    )

    @OptionGroup var source: ModuleSourceOptions

    @OptionGroup var format: JSONOption

    func run() throws {
        try source.checkUsage()
        let made = try source.make(output: .none)
        if format.json {
            try Terminal.json(SumOutput(source: source, made: made, zip: nil))
            return
        }
        let module = source.moduleVersion.module ?? "", version = source.moduleVersion.version ?? ""
        print("\(module) \(version) \(made.created.hash)")
        print("\(module) \(version)/go.mod \(made.goModHash)")
    }
}

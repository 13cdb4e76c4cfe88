import ArgumentParser
import GoModKit

/// `gomodkit gosum`: check or format go.sum files.
struct GoSumCommand: ParsableCommand {
    static let configuration = CommandConfiguration.group(
        "gosum", abstract: "Check or format go.sum files.", subcommands: [Check.self, Format.self])

    /// `gomodkit gosum check FILE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report every problem in a go.sum file, with file:line.",
            discussion: ExitStatus.discussion("""
                Reads the file strictly (every line checked: three fields, valid module path, \
                canonical version, canonical h1: hash, no conflicting hashes for one module \
                version) and keeps going after each problem. Any warning or error reported is a \
                finding (exit 1); informational notes (such as a dropped empty-go.mod hash line, \
                which go also drops) do not fail the check.
                """)
        )

        @Argument(help: "The go.sum (or go.work.sum) file.")
        var file: String

        @OptionGroup var format: JSONOption

        struct Output: Encodable {
            struct Item: Encodable { var line: Int; var severity: String; var code: String; var message: String }
            var file: String
            var records: Int
            var diagnostics: [Item]
        }

        func run() throws {
            let sums = try readGoSum(file)
            if format.json {
                try Terminal.json(Output(file: file, records: sums.count, diagnostics: sums.diagnostics.map {
                    .init(line: $0.line, severity: $0.severity.rawValue, code: $0.code.rawValue, message: $0.message)
                }))
            } else {
                for diagnostic in sums.diagnostics { Terminal.line(diagnostic.description) }
            }
            if sums.diagnostics.contains(where: { $0.severity >= .warning }) {
                throw CLIFailure.verification("")
            }
        }
    }

    /// `gomodkit gosum fmt FILE`.
    struct Format: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fmt",
            abstract: "Print a go.sum file in the canonical form go writes.",
            discussion: ExitStatus.discussion("""
                Sorted like cmd/go (module path bytewise, then semantic version, go.mod lines \
                after zip lines), each key's hashes sorted and de-duplicated. Malformed lines are \
                reported on standard error and left out; the exit status is then 1.
                """)
        )

        @Argument(help: "The go.sum (or go.work.sum) file.")
        var file: String

        @Flag(help: "Print JSON: {\"file\": …, \"formatted\": …}.")
        var json = false

        func run() throws {
            let sums = try readGoSum(file)
            let errors = sums.diagnostics.filter { $0.severity == .error && $0.code != .conflictingHashes }
            for diagnostic in errors { Terminal.error(diagnostic.description) }
            let formatted = sums.formatted()
            if json {
                try Terminal.json(["file": file, "formatted": String(decoding: formatted, as: UTF8.self)])
            } else {
                Terminal.write(formatted)
            }
            if !errors.isEmpty { throw CLIFailure.verification("") }
        }
    }
}

import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit typosquat [--known FILE]... [go.mod|go.sum|path...]`: flag module paths that
/// imitate widely used modules.
struct Typosquat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "typosquat",
        abstract: "Flag module paths that imitate widely used Go modules.",
        discussion: ExitStatus.discussion("""
            Each argument is a go.mod file, a go.sum file (by name), or a module path; with no \
            argument, ./go.mod is read. Paths are compared with GoModKit's built-in list of \
            well-known modules, the --known lists (one path a line, # comments), and the \
            project's own dependency graph (all paths from the given go.mod and go.sum files). \
            Each finding names the module imitated and the rule. --self-check instead checks \
            every listed reference against the others and prints those false alarms. Anything \
            flagged exits 1.
            """)
    )

    @Option(name: .customLong("known"), help: "A file of module paths to add to the reference list (repeatable).")
    var known: [String] = []

    @Flag(help: "Do not use the built-in list of well-known modules.")
    var noBuiltin = false

    @Flag(help: "Check the reference list against itself and print the false alarms.")
    var selfCheck = false

    @OptionGroup var format: JSONOption

    @Flag(help: "Print the detector's time (indexing and checking, without reading the inputs) on standard error.")
    var timing = false

    @Argument(help: "go.mod or go.sum files, or module paths.")
    var inputs: [String] = []

    struct Output: Encodable {
        var checked: Int
        var references: Int
        var findings: [GoModKit.Typosquat.Finding]
        var invalid: [String]
    }

    func run() throws {
        var knownPaths: [ByteString] = []
        for file in known { knownPaths += GoModKit.Typosquat.parseList(try readInputFile(file)) }

        var candidates: [ByteString] = []
        var invalid: [String] = []
        var project: [ByteString] = []
        let arguments = inputs.isEmpty && !selfCheck ? ["go.mod"] : inputs
        for input in arguments {
            let name = lastPathComponent(input)
            if name == "go.mod" || name.hasSuffix(".mod") {
                let data = try readInputFile(input)
                let mod: GoMod
                do { mod = try GoMod.parse(data, fileName: input, strictness: .lax) } catch { throw CLIFailure.input(error.description) }
                for req in mod.requirements { candidates.append(req.module.path) }
                for rep in mod.replacements where rep.new.version.isEmpty == false { candidates.append(rep.new.path) }
            } else if name == "go.sum" || name.hasSuffix(".sum") {
                let sum = try readGoSum(input)
                for key in sum.keys { candidates.append(key.path) }
            } else if FileManager.default.fileExists(atPath: input) && !input.contains("@") && input.hasPrefix(".") {
                throw CLIFailure.input("\(input): not a go.mod or go.sum file")
            } else {
                candidates.append(ByteString(input))
            }
        }
        var seen = Set<ByteString>()
        candidates = candidates.filter { seen.insert($0).inserted }
        project = candidates

        let clock = ContinuousClock()
        let start = clock.now
        let detector = GoModKit.Typosquat.Detector(known: knownPaths, project: project, includeBuiltIn: !noBuiltin)
        var findings: [GoModKit.Typosquat.Finding] = []
        if selfCheck {
            findings = detector.falseAlarms()
        } else {
            for path in candidates {
                do {
                    findings += try detector.check(path)
                } catch {
                    invalid.append("\(path.description): \(error.description)")
                }
            }
        }
        if timing {
            let elapsed = clock.now - start
            Terminal.error("typosquat detector: \(detector.count) references, \(selfCheck ? detector.count : candidates.count) paths checked in \(elapsed)")
        }
        if format.json {
            try Terminal.json(Output(checked: selfCheck ? detector.count : candidates.count, references: detector.count,
                                     findings: findings, invalid: invalid))
        } else {
            for finding in findings {
                Terminal.line("\(finding)  [\(finding.targetSource.rawValue)]")
            }
            for line in invalid { Terminal.line("invalid module path: \(line)") }
            if selfCheck {
                print("\(findings.count) false alarm\(findings.count == 1 ? "" : "s") among \(detector.count) references")
            }
        }
        if !findings.isEmpty || !invalid.isEmpty {
            throw CLIFailure.verification("")
        }
    }
}

import ArgumentParser
import GoModKit

/// `gomodkit hash`: print Go's `h1:` hash of module zips, a go.mod file or a directory.
struct Hash: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the h1: hash of module zips, a go.mod file, or a directory tree.",
        discussion: ExitStatus.discussion("""
            gomodkit hash FILE.zip...            h1: of each zip (FILE h1:... when several)
            gomodkit hash --mod go.mod           h1: of a go.mod, as go.sum's /go.mod lines record it
            gomodkit hash --dir DIR --prefix path@version
            """)
    )

    @Argument(help: "Module zip files.")
    var zips: [String] = []

    @Option(name: .customLong("mod"), help: "Hash this go.mod file (a go.sum /go.mod line's hash).")
    var goMod: String?

    @Option(help: "Hash the files of this directory tree (dirhash.HashDir).")
    var dir: String?

    @Option(help: "Name prefix for --dir, usually path@version.")
    var prefix: String?

    @OptionGroup var zipMode: HashZipModeOption

    @OptionGroup var format: JSONOption

    func validate() throws {
        let modes = (zips.isEmpty ? 0 : 1) + (goMod == nil ? 0 : 1) + (dir == nil ? 0 : 1)
        guard modes == 1 else { throw ValidationError("give zip files, or --mod FILE, or --dir DIR --prefix PREFIX") }
        if dir != nil, prefix == nil { throw ValidationError("--dir needs --prefix path@version") }
        if prefix != nil, dir == nil { throw ValidationError("--prefix goes with --dir") }
    }

    struct Result: Encodable {
        var file: String
        var hash: String?
        var error: String?
    }

    func run() throws {
        var results: [Result] = []
        if let goMod {
            results.append(Result(file: goMod, hash: DirHash.hashGoMod(try readInputFile(goMod, limit: 16 << 20)).description))
        } else if let dir, let prefix {
            do {
                results.append(Result(file: dir, hash: try DirHash.hashDir(dir, prefix: ByteString(prefix)).description))
            } catch {
                results.append(Result(file: dir, error: error.description))
            }
        } else {
            results = Self.hashZips(zips, mode: zipMode.mode)
        }
        if format.json {
            try Terminal.json(["results": results])
        } else {
            Self.printText(results)
        }
        if results.contains(where: { $0.error != nil }) { throw CLIFailure.input("") }
    }

    /// The `h1:` of each zip, or why it has none.
    static func hashZips(_ zips: [String], mode: ZipArchive.Mode) -> [Result] {
        zips.map { zip -> Result in
            do throws(DirHashError) {
                return Result(file: zip, hash: try DirHash.hashZip(path: zip, mode: mode).description)
            } catch {
                return Result(file: zip, error: error.description)
            }
        }
    }

    /// The text output: the bare hash for one input, `FILE h1:…` lines for several; failures
    /// on standard error. Written with `Terminal`, not `print`: `print` asks the runtime whether
    /// each value is `TextOutputStreamable`, a conformance lookup that scans every conformance
    /// record of the executable the first time (Docs/performance.md, start-up).
    static func printText(_ results: [Result]) {
        var out: [UInt8] = []
        for result in results {
            if let hash = result.hash {
                out += Array((results.count > 1 ? result.file + " " + hash : hash).utf8) + [0x0A]
            } else if let error = result.error {
                Terminal.write(out)
                out = []
                Terminal.error(result.file + ": " + error)
            }
        }
        Terminal.write(out)
    }

    /// `gomodkit hash FILE.zip...` without ArgumentParser, when every argument after `hash` is a
    /// file name (none starts with `-`): the commonest job, and most of a statically linked
    /// gomodkit's start-up was ArgumentParser's conformance lookups (Docs/performance.md).
    /// Returns the exit status, or `nil` when the arguments need the full parser.
    static func fastPath(_ arguments: [String]) -> Int32? {
        guard arguments.count >= 3, arguments[1] == "hash",
              !arguments.dropFirst(2).contains(where: { $0.hasPrefix("-") || $0.isEmpty }) else { return nil }
        let results = hashZips(Array(arguments.dropFirst(2)), mode: .strict)
        printText(results)
        return results.contains(where: { $0.error != nil }) ? CLIFailure.usage : 0
    }
}

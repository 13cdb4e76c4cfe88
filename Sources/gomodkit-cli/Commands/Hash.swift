import ArgumentParser
import GoModKit

/// `gomodkit hash`: print Go's `h1:` hash of module zips, a go.mod file or a directory.
struct Hash: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the h1: hash of module zips, a go.mod file, or a directory tree.",
        discussion: """
            gomodkit hash FILE.zip...            h1: of each zip (FILE h1:... when several)
            gomodkit hash --mod go.mod           h1: of a go.mod, as go.sum's /go.mod lines record it
            gomodkit hash --dir DIR --prefix path@version
            """
    )

    @Argument(help: "Module zip files.")
    var zips: [String] = []

    @Option(name: .customLong("mod"), help: "Hash this go.mod file (a go.sum /go.mod line's hash).")
    var goMod: String?

    @Option(help: "Hash the files of this directory tree (dirhash.HashDir).")
    var dir: String?

    @Option(help: "Name prefix for --dir, usually path@version.")
    var prefix: String?

    @Flag(help: "Reproduce Go's HashZip quirks exactly (Go archive/zip's tolerances; duplicate names hash the last entry).")
    var goCompatible = false

    @Flag(help: "Print JSON.")
    var json = false

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
            for zip in zips {
                do {
                    let hash = try DirHash.hashZip(path: zip, mode: goCompatible ? .goCompatible : .strict)
                    results.append(Result(file: zip, hash: hash.description))
                } catch {
                    results.append(Result(file: zip, error: error.description))
                }
            }
        }
        if json {
            try Terminal.json(["results": results])
        } else {
            for result in results {
                if let hash = result.hash {
                    print(results.count > 1 ? "\(result.file) \(hash)" : hash)
                } else if let error = result.error {
                    Terminal.error("\(result.file): \(error)")
                }
            }
        }
        if results.contains(where: { $0.error != nil }) { throw CLIFailure.input("") }
    }
}

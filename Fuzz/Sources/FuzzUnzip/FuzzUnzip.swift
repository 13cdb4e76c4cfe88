import Foundation
import GoModCore
import GoModZip

/// A private scratch directory for this process, removed at exit.
let scratch: String = {
    let path = NSTemporaryDirectory() + "gomodkit-fuzz-unzip-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    } catch {
        fatalError("scratch directory \(path): \(error)")
    }
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "gomodkit-fuzz-unzip-\(getpid())") }
    return path
}()

/// The names in `directory`, sorted.
func listing(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
}

/// Removes `path` (files are written 0644 and directories 0755: no chmod needed).
func remove(_ path: String) {
    do { try FileManager.default.removeItem(atPath: path) } catch { fatalError("cannot clean \(path): \(error)") }
}

/// libFuzzer entry point for module-zip extraction (x/mod `zip.Unzip`; Docs/Testing.md, "Fuzzing";
/// issue 13 points 2 and 9): the input is written to a file and extracted into a fresh directory
/// under a per-process scratch directory, which is emptied again after every input.
///
/// Invariants: extraction fails with a `ModuleZipError` and leaves nothing but the zip behind
/// (no target, no temporary tree), or succeeds and creates the target; a successful extraction of
/// a zip without directory entries hashes (`DirHash.hashDir`) to the zip's `h1:`
/// (`DirHash.hashZip`), as Go's `HashDir` of an extracted module equals its `HashZip`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUnzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let zipPath = scratch + "/in.zip", target = scratch + "/out/example.com/m@v1.0.0"
    guard FileManager.default.createFile(atPath: zipPath, contents: Data(bytes)) else { fatalError("cannot write \(zipPath)") }
    defer {
        for name in listing(scratch) { remove(scratch + "/" + name) }
    }
    let module = ModuleVersion(path: "example.com/m", version: "v1.0.0")
    let mode: ZipArchive.Mode = size % 2 == 0 ? .strict : .goCompatible
    do {
        _ = try ModuleZip.unzip(zipPath, module: module, to: target,
                                options: .init(mode: mode, readOnly: false, volume: .exact))
    } catch {
        _ = error.description
        // `out/example.com` may be created (Go's MkdirAll of the parent); nothing else may be.
        var left = listing(scratch + "/out/example.com")
        if !left.isEmpty { fatalError("failed unzip left \(left) behind: \(error)") }
        left = listing(scratch).filter { $0 != "in.zip" && $0 != "out" }
        if !left.isEmpty { fatalError("failed unzip left \(left) behind: \(error)") }
        return 0
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue else {
        fatalError("unzip succeeded without creating the target")
    }
    guard let archive = try? ZipArchive(path: zipPath, mode: mode) else { return 0 }
    if archive.entries.allSatisfy({ $0.name.bytes.last != 0x2F }),
       let zipHash = try? DirHash.hashZip(archive, mode: mode, parallelism: 1) {
        do {
            let dirHash = try DirHash.hashDir(target, prefix: "example.com/m@v1.0.0")
            if dirHash != zipHash { fatalError("extracted tree hashes to \(dirHash), the zip to \(zipHash)") }
        } catch {
            fatalError("hashing the extracted tree: \(error)")
        }
    }
    return 0
}

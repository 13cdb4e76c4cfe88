#if canImport(Glibc)
package import Glibc
#elseif canImport(Musl)
package import Musl
#elseif canImport(Darwin)
package import Darwin
#endif
package import Foundation
package import GoModCore
package import Testing

/// A txtar archive (golang.org/x/tools/txtar): a comment, then files introduced by
/// `-- name --` lines; a file's data gets a final newline if it lacks one.
package struct Txtar {
    package var comment: [UInt8]
    package var files: [(name: [UInt8], data: [UInt8])]

    package init(_ data: [UInt8]) {
        var files: [(name: [UInt8], data: [UInt8])] = []
        var (before, name, rest) = Txtar.findMarker(data[...])
        comment = before
        while let current = name {
            let (body, next, after) = Txtar.findMarker(rest)
            files.append((current, body))
            name = next
            rest = after
        }
        self.files = files
    }

    package init(path: String) throws {
        self.init(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// `key=value` lines of the comment (x/mod's readTest), `#` comments removed.
    package var parameters: [String: String] {
        var out: [String: String] = [:]
        for line in String(decoding: comment, as: UTF8.self).split(separator: "\n") {
            var text = line
            if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
            guard let eq = text.firstIndex(of: "=") else { continue }
            out[text[..<eq].trimmingCharacters(in: .whitespaces)] = text[text.index(after: eq)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// x/tools txtar `findFileMarker`.
    private static func findMarker(_ data: ArraySlice<UInt8>) -> ([UInt8], [UInt8]?, ArraySlice<UInt8>) {
        var i = data.startIndex
        while true {
            if let (name, after) = marker(data[i...]) { return (Array(data[data.startIndex..<i]), name, after) }
            var next: Int?
            var k = i
            while let newline = data[k...].firstIndex(of: 0x0A) {
                if data[(newline + 1)...].starts(with: Array("-- ".utf8)) {
                    next = newline + 1
                    break
                }
                k = newline + 1
            }
            guard let next else { return (fixNewline(Array(data)), nil, []) }
            i = next
        }
    }

    private static func marker(_ data: ArraySlice<UInt8>) -> ([UInt8], ArraySlice<UInt8>)? {
        guard data.starts(with: Array("-- ".utf8)) else { return nil }
        var line = data
        var after: ArraySlice<UInt8> = []
        if let newline = data.firstIndex(of: 0x0A) {
            line = data[data.startIndex..<newline]
            after = data[(newline + 1)...]
        }
        guard line.count >= 6, line.suffix(3).elementsEqual(Array(" --".utf8)) else { return nil }
        var name = line.dropFirst(3).dropLast(3)
        while let f = name.first, f == 0x20 || f == 0x09 || f == 0x0A || f == 0x0D { name = name.dropFirst() }
        while let l = name.last, l == 0x20 || l == 0x09 || l == 0x0A || l == 0x0D { name = name.dropLast() }
        return name.isEmpty ? nil : (Array(name), after)
    }

    private static func fixNewline(_ data: [UInt8]) -> [UInt8] {
        data.isEmpty || data.last == 0x0A ? data : data + [0x0A]
    }
}

/// Runs Tests/Reference/modzip (current Go only).
package enum ModZipRef {
    package static func run(_ arguments: [String], stdin: [UInt8] = []) throws -> [[String: Any]] {
        let program = try GoReference.program("modzip", flavour: .current)
        let result = try GoReference.run(program, arguments, stdin: stdin)
        guard result.status == 0 else {
            throw ReferenceMissing(reason: "modzip \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderrText)")
        }
        return try result.stdout.split(separator: 0x0A).map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw ReferenceMissing(reason: "modzip: not a JSON object: \(String(decoding: line, as: UTF8.self))")
            }
            return object
        }
    }

    package static func runOne(_ arguments: [String], stdin: [UInt8] = []) throws -> [String: Any] {
        guard let first = try run(arguments, stdin: stdin).first else {
            throw ReferenceMissing(reason: "modzip \(arguments.joined(separator: " ")): no output")
        }
        return first
    }

    package static func raw(_ arguments: [String]) throws -> [UInt8] {
        let program = try GoReference.program("modzip", flavour: .current)
        let result = try GoReference.run(program, arguments)
        guard result.status == 0 else {
            throw ReferenceMissing(reason: "modzip \(arguments.joined(separator: " ")) failed: \(result.stderrText)")
        }
        return result.stdout
    }

    /// Go's CheckedFiles JSON (`valid`, `omitted`, `invalid`, `sizeError`) as x/mod's
    /// `formatCheckedFiles` text, with raw bytes from the base64 fields.
    package static func format(_ object: [String: Any]) -> [UInt8] {
        var out = Array("valid:\n".utf8)
        for item in object["valid"] as? [Any] ?? [] {
            if let o = item as? [String: Any] { out += base64(o["pathBase64"]) + [0x0A] }
            if let s = item as? String { out += Array(s.utf8) + [0x0A] }
        }
        out += Array("\nomitted:\n".utf8)
        for case let o as [String: Any] in object["omitted"] as? [Any] ?? [] {
            out += base64(o["pathBase64"]) + Array(": ".utf8) + errorBytes(o) + [0x0A]
        }
        out += Array("\ninvalid:\n".utf8)
        for case let o as [String: Any] in object["invalid"] as? [Any] ?? [] {
            out += base64(o["pathBase64"]) + Array(": ".utf8) + errorBytes(o) + [0x0A]
        }
        return out
    }

    private static func errorBytes(_ o: [String: Any]) -> [UInt8] {
        if o["errorBase64"] != nil { return base64(o["errorBase64"]) }
        return Array((o["error"] as? String ?? "").utf8)
    }

    package static func base64(_ value: Any?) -> [UInt8] {
        guard let text = value as? String, let data = Data(base64Encoded: text) else { return [] }
        return Array(data)
    }
}

/// Test file-system helpers.
package enum FS {
    /// Writes `contents` at `root/name` (raw bytes), creating parent directories.
    package static func write(_ root: String, _ name: [UInt8], _ contents: [UInt8], mode: mode_t = 0o644) throws {
        var path = Array(root.utf8)
        let components = name.split(separator: 0x2F)
        try mkdirs(root)
        for (index, component) in components.enumerated() {
            path += [0x2F] + component
            if index < components.count - 1 {
                guard path.withCString({ mkdir($0, 0o755) }) == 0 || errno == EEXIST else {
                    throw SetupFailure(reason: "mkdir \(ByteString(path)): \(String(cString: strerror(errno)))")
                }
                continue
            }
            let fd = path.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC, mode) }
            guard fd >= 0 else { throw SetupFailure(reason: "create \(ByteString(path)): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var offset = 0
            while offset < contents.count {
                let n = contents[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { throw SetupFailure(reason: "write \(ByteString(path))") }
                offset += n
            }
        }
    }

    package static func write(_ root: String, _ name: String, _ contents: String) throws {
        try write(root, Array(name.utf8), Array(contents.utf8))
    }

    package static func mkdirs(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    package static func symlink(_ target: String, at path: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    /// Every path below `root` (relative, sorted bytewise) with its lstat mode.
    package static func tree(_ root: String) -> [(path: [UInt8], mode: mode_t)] {
        var out: [(path: [UInt8], mode: mode_t)] = []
        var pending: [[UInt8]] = [[]]
        while let rel = pending.popLast() {
            let full = Array(root.utf8) + (rel.isEmpty ? [] : [0x2F] + rel)
            guard let dir = full.withCString({ opendir($0) }) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    let bytes = raw.bindMemory(to: UInt8.self)
                    return Array(bytes[..<(bytes.firstIndex(of: 0) ?? bytes.count)])
                }
                if name == [0x2E] || name == [0x2E, 0x2E] { continue }
                let childRel = rel.isEmpty ? name : rel + [0x2F] + name
                var info = stat()
                let childFull = full + [0x2F] + name
                guard childFull.withCString({ lstat($0, &info) }) == 0 else { continue }
                out.append((childRel, info.st_mode))
                if info.st_mode & S_IFMT == S_IFDIR { pending.append(childRel) }
            }
        }
        return out.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    }

    /// Makes everything below `path` writable again (extracted trees are read-only).
    package static func makeWritable(_ path: String) {
        for (rel, mode) in tree(path) where mode & S_IFMT == S_IFDIR {
            _ = (Array(path.utf8) + [0x2F] + rel).withCString { chmod($0, 0o755) }
        }
        _ = chmod(path, 0o755)
    }
}

/// A temporary directory that also copes with read-only trees when removed.
package final class Sandbox {
    package let path: String
    package init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-modzip-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit {
        FS.makeWritable(path)
        try? FileManager.default.removeItem(atPath: path)
    }
    package func sub(_ name: String) -> String { path + "/" + name }
}

extension ModuleVersion {
    /// An unvalidated pair from strings (test inputs include invalid paths and versions on
    /// purpose; the library's `init(_:_:)` validates).
    package static func raw(_ path: String, _ version: String) -> ModuleVersion {
        ModuleVersion(path: ByteString(path), version: ByteString(version))
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with a NUL-terminated copy of the bytes (raw file names for the C calls above).
    fileprivate func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        let copy = self.map { CChar(bitPattern: $0) } + [0]
        return try body(copy)
    }
}

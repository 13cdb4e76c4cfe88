#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@testable import GoModCore
import Testing

/// `AtomicFile`: temporary file + fsync + rename + directory fsync, no symbolic link followed at
/// the final name, nothing left behind on failure.
@Suite struct AtomicFileTests {
    /// A fresh directory under the system temporary directory, removed afterwards.
    private static func withDirectory(_ body: (String) throws -> Void) throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/atomicfile-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        let dir = try #require(made.map { String(cString: $0) })
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    /// The error `body` throws, or `nil` (recorded as an issue) when it does not throw.
    private static func failure(_ body: () throws(AtomicFileError) -> Void) -> AtomicFileError? {
        do { try body() } catch { return error }
        Issue.record("no error")
        return nil
    }

    private static func names(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? ["<unreadable>"]).sorted()
    }

    private static func contents(_ path: String) -> [UInt8]? {
        guard case .success(let bytes) = readFile(path, limit: 1 << 20) else { return nil }
        return bytes
    }

    private static func mode(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode
    }

    @Test func writeCreatesAndReplaces() throws {
        try Self.withDirectory { dir in
            let path = dir + "/latest"
            try AtomicFile.write(Array("one\n".utf8), to: path)
            #expect(Self.contents(path) == Array("one\n".utf8))
            try AtomicFile.write(Array("two\n".utf8), to: path, permissions: 0o600)
            #expect(Self.contents(path) == Array("two\n".utf8))
            #expect(Self.mode(path) & 0o777 == 0o600)
            #expect(Self.names(dir) == ["latest"])
            try AtomicFile.write([], to: path)
            #expect(Self.contents(path) == [])
        }
    }

    @Test func pendingStreamsAndCommits() throws {
        try Self.withDirectory { dir in
            let path = dir + "/v1.0.0.zip"
            try AtomicFile.write(Array("old".utf8), to: path)
            let pending = try AtomicFile.begin(finalPath: path)
            #expect(pending.temporaryPath.hasPrefix(dir + "/v1.0.0.zip"))
            #expect(pending.temporaryPath.hasSuffix(".tmp"))
            try pending.write(Array("ab".utf8))
            try pending.write(Array("cd".utf8)[...])
            #expect(pending.bytesWritten == 4)
            // Until the commit, readers see the old file.
            #expect(Self.contents(path) == Array("old".utf8))
            #expect(Self.names(dir).count == 2)
            try pending.commit()
            #expect(Self.contents(path) == Array("abcd".utf8))
            #expect(Self.names(dir) == ["v1.0.0.zip"])
            // A second commit or a write after it is refused; abort after commit does nothing.
            #expect(throws: AtomicFileError.self) { try pending.write([1]) }
            pending.abort()
            #expect(Self.contents(path) == Array("abcd".utf8))
        }
    }

    @Test func abortAndReleaseRemoveTheTemporaryFile() throws {
        try Self.withDirectory { dir in
            let path = dir + "/x.mod"
            let pending = try AtomicFile.begin(finalPath: path)
            try pending.write(Array("partial".utf8))
            pending.abort()
            pending.abort()
            #expect(Self.names(dir) == [])
            #expect(throws: AtomicFileError.self) { try pending.commit() }
            do {
                let dropped = try AtomicFile.begin(finalPath: path)
                try dropped.write(Array("partial".utf8))
            }
            #expect(Self.names(dir) == [])
        }
    }

    /// A symbolic link planted at the final name, pointing outside: the link is replaced, the
    /// outside file keeps its contents and mode.
    @Test func plantedSymlinkIsReplacedNotFollowed() throws {
        try Self.withDirectory { outside in
            try Self.withDirectory { dir in
                let victim = outside + "/victim"
                try AtomicFile.write(Array("precious".utf8), to: victim, permissions: 0o644)
                let path = dir + "/latest"
                #expect(symlink(victim, path) == 0)
                try AtomicFile.write(Array("new".utf8), to: path)
                #expect(Self.contents(victim) == Array("precious".utf8))
                #expect(Self.mode(victim) & 0o777 == 0o644)
                #expect(Self.mode(path) & S_IFMT == S_IFREG)
                #expect(Self.contents(path) == Array("new".utf8))
                // A dangling link is replaced the same way and creates nothing at its target.
                let dangling = dir + "/dangling"
                #expect(symlink(outside + "/created", dangling) == 0)
                try AtomicFile.write(Array("x".utf8), to: dangling)
                #expect(Self.names(outside) == ["victim"])
            }
        }
    }

    /// The temporary name is longer than the final one: a final name at the 255-byte limit
    /// fails with ENAMETOOLONG at the temporary file, and nothing is created.
    @Test func nameTooLong() throws {
        try Self.withDirectory { dir in
            let path = dir + "/" + String(repeating: "n", count: 255)
            let error = Self.failure { () throws(AtomicFileError) in try AtomicFile.write(Array("x".utf8), to: path) }
            #expect(error?.code == ENAMETOOLONG)
            #expect(error?.operation == .createTemporary)
            #expect(error?.path.hasPrefix(path) == true)
            #expect(error?.description.hasPrefix("create " + path) == true)
            #expect(error?.description.hasSuffix(".tmp: File name too long") == true, "\(String(describing: error))")
            #expect(Self.names(dir) == [])
        }
    }

    @Test func missingDirectory() throws {
        try Self.withDirectory { dir in
            let error = Self.failure { () throws(AtomicFileError) in try AtomicFile.write([], to: dir + "/no/such/file") }
            #expect(error == AtomicFileError(operation: .openDirectory, path: dir + "/no/such", code: ENOENT))
        }
    }

    /// The final name is a directory: the rename fails (EISDIR), the directory survives and the
    /// temporary file is gone.
    @Test func renameOntoDirectoryFails() throws {
        try Self.withDirectory { dir in
            let path = dir + "/sub"
            #expect(mkdir(path, 0o755) == 0)
            let error = Self.failure { () throws(AtomicFileError) in try AtomicFile.write(Array("x".utf8), to: path) }
            #expect(error == AtomicFileError(operation: .rename, path: path, code: EISDIR))
            #expect(Self.names(dir) == ["sub"])
        }
    }
}

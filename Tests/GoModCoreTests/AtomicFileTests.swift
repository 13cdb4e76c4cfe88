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

    /// A symbolic link planted at a directory below the root (`root/a -> outside`): a write to
    /// `root/a/b/f` with the root given is refused with `ELOOP`, naming the link and the rule,
    /// and nothing is created through the link; without the root the link is followed (cmd/go's
    /// behaviour, kept for callers that are not caches).
    @Test func symlinkedDirectoryBelowRootIsRefused() throws {
        try Self.withDirectory { dir in
            let root = dir + "/root", outside = dir + "/outside"
            #expect(mkdir(root, 0o777) == 0 && mkdir(outside, 0o777) == 0 && mkdir(outside + "/b", 0o777) == 0)
            #expect(symlink(outside, root + "/a") == 0)
            let error = Self.failure { () throws(AtomicFileError) in
                try AtomicFile.write(Array("x".utf8), to: root + "/a/b/f", below: root)
            }
            #expect(error?.code == ELOOP)
            #expect(error?.path == root + "/a")
            #expect(error?.operation == .openDirectory)
            #expect(error?.rule == ConfinedDirectory.rule(root: root))
            #expect(error?.description == "open directory \(root)/a: Too many levels of symbolic links (a directory below \(root) is a symbolic link; cache and state writes never follow one (stricter than go; remove the link))")
            #expect(Self.names(outside + "/b") == [])
            // Directory creation through the link is refused the same way.
            let made = Self.failure { () throws(AtomicFileError) in try ConfinedDirectory.make(root + "/a/c/d", below: root) }
            #expect(made?.code == ELOOP && made?.path == root + "/a")
            #expect(Self.names(outside) == ["b"])
            // The root itself may be a link (GOMODCACHE pointing elsewhere is the user's choice).
            #expect(symlink(root, dir + "/rootlink") == 0)
            try ConfinedDirectory.make(dir + "/rootlink/x/y", below: dir + "/rootlink")
            try AtomicFile.write(Array("y".utf8), to: dir + "/rootlink/x/y/f", below: dir + "/rootlink")
            #expect(Self.contents(root + "/x/y/f") == Array("y".utf8))
            // A link deeper down, below a real directory, is found too.
            #expect(symlink(outside, root + "/x/y/z") == 0)
            let deep = Self.failure { () throws(AtomicFileError) in
                try AtomicFile.write(Array("x".utf8), to: root + "/x/y/z/b/f", below: root)
            }
            #expect(deep?.code == ELOOP && deep?.path == root + "/x/y/z")
            // A path outside the root, and "..", are refused before anything is opened.
            let escape = Self.failure { () throws(AtomicFileError) in try ConfinedDirectory.make(root + "/x/../../outside/q", below: root) }
            #expect(escape?.code == EINVAL)
            let elsewhere = Self.failure { () throws(AtomicFileError) in try ConfinedDirectory.make(outside + "/q", below: root) }
            #expect(elsewhere?.code == EXDEV)
            #expect(Self.names(outside) == ["b"])
            // A plain file where a directory is expected is ENOTDIR, with no rule.
            let notDirectory = Self.failure { () throws(AtomicFileError) in try AtomicFile.write([], to: root + "/x/y/f/g", below: root) }
            #expect(notDirectory?.code == ENOTDIR)
            #expect(notDirectory?.path == root + "/x/y/f")
            #expect(notDirectory?.rule == nil)
        }
    }

    /// `removeTreeNoFollow(_:below:)`: a tree reached through a link planted at a directory
    /// below the root is not removed (a typed error names the link), and nothing outside is
    /// touched; without a link the tree goes.
    @Test func removeTreeBelowRootRefusesSymlinkedParent() throws {
        try Self.withDirectory { dir in
            let root = dir + "/root", outside = dir + "/outside"
            #expect(mkdir(root, 0o777) == 0 && mkdir(outside, 0o777) == 0 && mkdir(outside + "/m@v1", 0o555) == 0)
            #expect(symlink(outside, root + "/example.com") == 0)
            do throws(RemoveTreeError) {
                try removeTreeNoFollow(root + "/example.com/m@v1", below: root)
                Issue.record("removed through a link")
            } catch {
                #expect(error.code == ELOOP && error.path == root + "/example.com" && error.rule != nil, "\(error)")
            }
            #expect(Self.names(outside) == ["m@v1"])
            try ConfinedDirectory.make(root + "/real/m@v1/sub", below: root)
            try removeTreeNoFollow(root + "/real/m@v1", below: root)
            #expect(Self.names(root + "/real") == [])
            // Missing: success.
            try removeTreeNoFollow(root + "/nothing/here", below: root)
            #expect(chmod(outside + "/m@v1", 0o755) == 0)
        }
    }
}

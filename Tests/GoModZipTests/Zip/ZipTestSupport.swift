import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport

/// Shared helpers for the zip tests.
enum ZipTest {
    static let p = ZipBuilder.prefix

    /// Opens `bytes` and reads every entry; returns the contents in central-directory order.
    @discardableResult
    static func readAll(_ bytes: [UInt8], mode: ZipArchive.Mode = .strict,
                        limits: ZipArchive.Limits = .goModuleZip) throws(ZipError) -> [[UInt8]] {
        let archive = try ZipArchive(bytes: bytes, mode: mode, limits: limits)
        return try contents(archive)
    }

    /// Every entry's content, read with one reader.
    static func contents(_ archive: ZipArchive) throws(ZipError) -> [[UInt8]] {
        let reader = try ZipEntryReader()
        var result: [[UInt8]] = []
        for entry in archive.entries {
            var data: [UInt8] = []
            try reader.read(entry, in: archive) { data.append(contentsOf: $0) }
            result.append(data)
        }
        return result
    }

    /// The error code thrown by `body`, or `nil` when it succeeds.
    static func code(_ body: () throws(ZipError) -> Void) -> ZipError.Code? {
        do throws(ZipError) {
            try body()
            return nil
        } catch {
            return error.code
        }
    }

    /// The error code of opening and reading everything.
    static func code(_ bytes: [UInt8], mode: ZipArchive.Mode = .strict,
                     limits: ZipArchive.Limits = .goModuleZip) -> ZipError.Code? {
        code { () throws(ZipError) in try readAll(bytes, mode: mode, limits: limits) }
    }

    /// The error code of opening only (central-directory stage).
    static func openCode(_ bytes: [UInt8], mode: ZipArchive.Mode = .strict,
                         limits: ZipArchive.Limits = .goModuleZip) -> ZipError.Code? {
        code { () throws(ZipError) in _ = try ZipArchive(bytes: bytes, mode: mode, limits: limits) }
    }

    /// Warning codes of a lenient (or strict) open.
    static func warnings(_ bytes: [UInt8], mode: ZipArchive.Mode = .goCompatible) throws -> [ZipWarning.Code] {
        try ZipArchive(bytes: bytes, mode: mode).warnings.map(\.code)
    }

    /// Go's testdata directory of archive/zip in the installed Go 1.27.3, or `nil`.
    static var goZipTestdata: URL? {
        guard let go = GoReference.currentGo else { return nil }
        let url = URL(fileURLWithPath: go).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("src/archive/zip/testdata")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Bytes of a file in Go's archive/zip testdata, skipping the test when Go is absent.
    static func goTestdata(_ name: String) throws -> [UInt8] {
        guard let dir = goZipTestdata else { try GoReference.unavailable("Go 1.27.3 archive/zip testdata") }
        return Array(try Data(contentsOf: dir.appendingPathComponent(name)))
    }

    /// A ByteSource that counts the read calls starting below `watchBelow`.
    final class CountingSource: ByteSource, @unchecked Sendable {
        let inner: InMemoryByteSource
        let watchBelow: Int64
        private let lock = NSLock()
        private var _watched = 0
        init(_ bytes: [UInt8], watchBelow: Int64) {
            inner = InMemoryByteSource(bytes)
            self.watchBelow = watchBelow
        }
        var count: Int64 { inner.count }
        var watchedReads: Int { lock.withLock { _watched } }
        func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
            let n = try inner.read(at: offset, into: buffer)
            if offset < watchBelow { lock.withLock { _watched += 1 } }
            return n
        }
    }

    /// Milliseconds taken by `body`.
    static func milliseconds(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    /// Deterministic pseudo-random bytes.
    static func noise(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }
}

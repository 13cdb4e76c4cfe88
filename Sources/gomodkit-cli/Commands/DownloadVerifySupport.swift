#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GoModKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CLI's use of the library's ``GoEnvironment`` (the settings `go env` prints), with its
/// errors mapped to Go-style messages and exit code 2.
extension GoEnvironment {
    /// This process's Go environment; a malformed `GOFLAGS` is refused as cmd/go refuses it.
    static func forCommand() throws(CLIFailure) -> GoEnvironment {
        let environment = GoEnvironment.current()
        do { _ = try environment.goflags() } catch { throw .input("go: \(error)") }
        return environment
    }

    /// `-modcacherw` from GOFLAGS (a bare flag, or a true value as Go's `strconv.ParseBool` reads it).
    var modcacherw: Bool {
        guard let value = try? goflag("modcacherw") else { return false }
        return ["1", "t", "T", "TRUE", "true", "True"].contains(value)
    }

    /// The module cache (``GoEnvironment/moduleCache()``).
    func cache() throws(CLIFailure) -> ModuleCache {
        do { return try moduleCache() } catch { throw .input("go: \(error)") }
    }

    func proxy(timeout: Double) throws(CLIFailure) -> ModuleProxyClient {
        do {
            return ModuleProxyClient(configuration: try proxyConfiguration(),
                                     transport: DefaultHTTPTransport(timeout: timeout))
        } catch { throw .input("go: \(error)") }
    }

    func checksumDatabase(offline: Bool, timeout: Double) throws(CLIFailure) -> ChecksumDatabase? {
        let parsed: ChecksumDatabaseConfiguration?
        do { parsed = try checksumDatabaseConfiguration() } catch { throw .input("go: \(error)") }
        guard var config = parsed else { return nil }
        config.offline = offline
        return ChecksumDatabase(configuration: config, store: try store(),
                                transport: offline ? nil : DefaultHTTPTransport(timeout: timeout))
    }

    /// The checksum-database files (``GoEnvironment/checksumDatabaseStore()``).
    func store() throws(CLIFailure) -> FileChecksumDatabaseStore {
        do { return try checksumDatabaseStore() } catch { throw .input("go: \(error)") }
    }
}

/// A one-line progress indicator on standard error, only when it is a terminal.
struct ProgressLine {
    let enabled = isatty(2) == 1
    func show(_ text: String) {
        guard enabled else { return }
        try? writeFully(2, Array("\r\u{1B}[K\(text)".utf8))
    }
    func clear() {
        guard enabled else { return }
        try? writeFully(2, Array("\r\u{1B}[K".utf8))
    }
}

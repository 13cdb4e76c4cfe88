import Dispatch
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

/// The go command's environment for `download` and `verify`: the process environment with
/// `GOFLAGS` applied (explicit flags override both).
struct ModuleEnvironment {
    var env: [String: String]
    /// `-modcacherw` from GOFLAGS.
    var modcacherw = false
    /// `-mod=...` from GOFLAGS.
    var mod: String?

    init(_ processEnv: [String: String] = ProcessInfo.processInfo.environment) throws(CLIFailure) {
        // Like go: settings from `go env -w` (the GOENV file) under the process environment.
        var env = Self.goEnvFile(processEnv)
        for (k, v) in processEnv { env[k] = v }
        self.env = env
        for flag in (env["GOFLAGS"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let f = flag.hasPrefix("--") ? String(flag.dropFirst()) : String(flag)
            guard f.hasPrefix("-") else { throw .input("go: parsing $GOFLAGS: non-flag \"\(f)\"") }
            if f == "-modcacherw" || f == "-modcacherw=true" { modcacherw = true }
            else if f == "-modcacherw=false" { modcacherw = false }
            else if f.hasPrefix("-mod=") { mod = String(f.dropFirst(5)) }
        }
    }

    /// The `go env -w` file (cmd/go's `cfg.EnvFile`): `$GOENV`, else `<user config dir>/go/env`;
    /// `GOENV=off` disables it. Lines are `KEY=VALUE`.
    static func goEnvFile(_ env: [String: String]) -> [String: String] {
        var path = env["GOENV"] ?? ""
        if path == "off" { return [:] }
        if path.isEmpty {
            #if os(macOS)
            path = (env["HOME"] ?? homeDirectory()) + "/Library/Application Support/go/env"
            #else
            let config = env["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? ((env["HOME"] ?? homeDirectory()) + "/.config")
            path = config + "/go/env"
            #endif
        }
        guard let data = try? readInputFile(path, limit: (1 << 20) - 1) else { return [:] }
        var out: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else { continue }
            let key = String(line[..<eq]).trimmingSpace()
            out[key] = String(line[line.index(after: eq)...])
        }
        return out
    }

    var cache: ModuleCache { ModuleCache.fromEnvironment(env) }

    func proxy(timeout: Double) throws(CLIFailure) -> ModuleProxyClient {
        do {
            return ModuleProxyClient(configuration: try ModuleProxyConfiguration.fromEnvironment(env),
                                     transport: DefaultHTTPTransport(timeout: timeout))
        } catch { throw .input("go: \(error)") }
    }

    func checksumDatabase(offline: Bool, timeout: Double) throws(CLIFailure) -> ChecksumDatabase? {
        let parsed: ChecksumDatabaseConfiguration?
        do { parsed = try ChecksumDatabaseConfiguration.fromEnvironment(env) } catch { throw .input("go: \(error)") }
        guard var config = parsed else { return nil }
        config.offline = offline
        let store = FileChecksumDatabaseStore(gopath: URL(fileURLWithPath: ModuleCache.gopath(env)),
                                              modcache: URL(fileURLWithPath: cache.root))
        return ChecksumDatabase(configuration: config, store: store,
                                transport: offline ? nil : DefaultHTTPTransport(timeout: timeout))
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

/// Escapes control characters and bidi overrides in untrusted text for a terminal.
func terminalSafe(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
        switch scalar.value {
        case 0x09, 0x0A: out.unicodeScalars.append(scalar)
        case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

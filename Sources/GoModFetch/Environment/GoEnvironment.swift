import GoModCore
public import GoSumDB
import GoModPlatform

/// The go command's module settings, read the way cmd/go reads them, so that an embedder sees
/// exactly the values `go env` prints and `gomodkit` uses.
///
/// Follows `cmd/go/internal/cfg/cfg.go` (Go 1.27): a setting is the process environment's
/// value when it is non-empty, else the value in the Go environment file written by
/// `go env -w` (`cfg.EnvFile`: `$GOENV`, else `os.UserConfigDir()/go/env`, which on Linux is
/// `$XDG_CONFIG_HOME/go/env` or `$HOME/.config/go/env`; `GOENV=off` disables it), else the
/// default `$GOROOT/go.env` of a Go distribution supplies (`GOPROXY=https://proxy.golang.org,direct`,
/// `GOSUMDB=sum.golang.org`, `GOTOOLCHAIN=auto`), else cmd/go's computed default:
///
/// | Setting | Default |
/// |---|---|
/// | `GOPATH` | `$HOME/go` (`go/build.defaultGOPATH`) |
/// | `GOMODCACHE` | first `GOPATH` element + `/pkg/mod` |
/// | `GONOPROXY`, `GONOSUMDB` | `GOPRIVATE` |
/// | `GOPRIVATE`, `GOINSECURE`, `GOVCS`, `GOFLAGS` | empty |
///
/// Nothing is read from a Go installation: `$GOROOT/go.env` is taken to hold the values Go
/// ships, and the check that `$HOME/go` is not `GOROOT` is not made. `GOTOOLCHAIN` is
/// reported, never acted on.
///
/// The environment and the file reader are injected, so a value can be computed for any
/// environment without touching the process:
///
/// ```swift
/// let env = GoEnvironment(environment: ["HOME": "/home/gopher", "GOPRIVATE": "corp.example"])
/// env.gonosumdb              // "corp.example"
/// try env.moduleCache().root // "/home/gopher/go/pkg/mod"
/// ```
public struct GoEnvironment: Sendable {
    /// Reads a whole file, `nil` when it is missing, unreadable or too large.
    public typealias FileReader = @Sendable (_ path: String) -> [UInt8]?

    /// The most bytes read from the Go environment file (cmd/go has no limit; `go env -w`
    /// writes a few lines).
    public static let maxEnvFileSize = 1 << 20

    /// The `GOPROXY` a Go distribution's `go.env` sets.
    public static let defaultGOPROXY = "https://proxy.golang.org,direct"
    /// The `GOSUMDB` a Go distribution's `go.env` sets.
    public static let defaultGOSUMDB = "sum.golang.org"
    /// The `GOTOOLCHAIN` a Go distribution's `go.env` sets.
    public static let defaultGOTOOLCHAIN = "auto"

    /// The process environment, with any ``set(_:_:)`` overrides.
    public private(set) var processEnvironment: [String: String]

    /// The Go environment file consulted, or `nil` when `GOENV=off` or there is no user
    /// configuration directory (`cfg.EnvFile`).
    public let envFile: String?

    /// The settings read from ``envFile`` (empty when it is missing or unreadable).
    public let envFileSettings: [String: String]

    /// The environment `environment` (a process environment) describes, reading the Go
    /// environment file with `readFile`.
    public init(environment: [String: String], readFile: FileReader = GoEnvironment.readFile) {
        self.processEnvironment = environment
        let file = Self.envFilePath(environment)
        self.envFile = file
        self.envFileSettings = file.flatMap(readFile).map(Self.parseEnvFile) ?? [:]
    }

    /// The environment of this process.
    public static func current() -> GoEnvironment {
        GoEnvironment(environment: ProcessInfo.processInfo.environment)
    }

    /// Reads `path` with the module cache's capped reader (at most ``maxEnvFileSize`` bytes).
    public static let readFile: FileReader = { path in readSmallFile(path, limit: maxEnvFileSize) }

    /// Sets `key` as if it were in the process environment (a command-line flag overriding
    /// both the environment and the file). An empty value, as in cmd/go, counts as unset.
    public mutating func set(_ key: String, _ value: String) {
        processEnvironment[key] = value
    }

    // MARK: - The settings

    /// cmd/go's `cfg.Getenv`: the process environment's value if non-empty, else the Go
    /// environment file's, else the distribution default (``defaultGOPROXY`` and friends),
    /// else empty.
    public func value(_ key: String) -> String {
        if let v = processEnvironment[key], !v.isEmpty { return v }
        if let v = envFileSettings[key] { return v }
        switch key {
        case "GOPROXY": return Self.defaultGOPROXY
        case "GOSUMDB": return Self.defaultGOSUMDB
        case "GOTOOLCHAIN": return Self.defaultGOTOOLCHAIN
        default: return ""
        }
    }

    /// cmd/go's `cfg.EnvOrAndChanged`'s value: ``value(_:)``, or `fallback` when that is empty.
    func value(_ key: String, or fallback: @autoclosure () -> String) -> String {
        let v = value(key)
        return v.isEmpty ? fallback() : v
    }

    /// `GOPROXY`.
    public var goproxy: String { value("GOPROXY") }
    /// `GOSUMDB`.
    public var gosumdb: String { value("GOSUMDB") }
    /// `GOPRIVATE`.
    public var goprivate: String { value("GOPRIVATE") }
    /// `GONOPROXY`, defaulting to ``goprivate``.
    public var gonoproxy: String { value("GONOPROXY", or: goprivate) }
    /// `GONOSUMDB`, defaulting to ``goprivate``.
    public var gonosumdb: String { value("GONOSUMDB", or: goprivate) }
    /// `GOINSECURE`.
    public var goinsecure: String { value("GOINSECURE") }
    /// `GOVCS`.
    public var govcs: String { value("GOVCS") }
    /// `GOTOOLCHAIN`, as set; GoModKit never switches toolchains.
    public var gotoolchain: String { value("GOTOOLCHAIN") }
    /// `GOFLAGS`, unsplit; see ``goflags()``.
    public var goflagsValue: String { value("GOFLAGS") }

    /// `GOPATH` (the whole list): the setting, else `$HOME/go` (`filepath.Join`, so cleaned),
    /// else empty when `HOME` is unset. A default from a relative `HOME` is dropped, as cmd/go's
    /// `main` does.
    public var gopath: String {
        let set = value("GOPATH")
        if !set.isEmpty { return set }
        let inferred = inferredGOPATH
        return inferred.hasPrefix("/") ? inferred : ""
    }

    /// `go/build.defaultGOPATH`: `$HOME/go`, cleaned, or empty.
    private var inferredGOPATH: String {
        guard let home = processEnvironment["HOME"], !home.isEmpty else { return "" }
        return Self.join(home, "go")
    }

    /// `cfg.gopathDir`: `rel` under the first `GOPATH` element, or empty when there is none.
    /// As in cmd/go, this is computed before a default `GOPATH` from a relative `HOME` is dropped.
    public func gopathDirectory(_ rel: String) -> String {
        let set = value("GOPATH")
        let list = set.isEmpty ? inferredGOPATH : set
        guard let first = list.split(separator: ":", omittingEmptySubsequences: false).first, !first.isEmpty else { return "" }
        return Self.join(String(first), rel)
    }

    /// `GOMODCACHE`: the setting, else ``gopathDirectory(_:)`` of `pkg/mod`.
    public var gomodcache: String { value("GOMODCACHE", or: gopathDirectory("pkg/mod")) }

    /// Where cmd/go keeps checksum-database state (`cfg.SumdbDir`: `GOPATH[0]/pkg/sumdb`).
    public var sumdbDirectory: String { gopathDirectory("pkg/sumdb") }

    // MARK: - Derived configuration

    /// The module cache at ``gomodcache``, checked as cmd/go's `modfetch.checkCacheDir` does.
    ///
    /// - Throws: `GoEnvironmentError.Code.moduleCacheUnset`, `GoEnvironmentError.Code.moduleCacheRelative`.
    public func moduleCache() throws(GoEnvironmentError) -> ModuleCache {
        let root = gomodcache
        if root.isEmpty {
            throw GoEnvironmentError(.moduleCacheUnset, variable: "GOMODCACHE",
                                     "module cache not found: neither GOMODCACHE nor GOPATH is set")
        }
        guard root.hasPrefix("/") else {
            throw GoEnvironmentError(.moduleCacheRelative, variable: "GOMODCACHE",
                                     "GOMODCACHE entry is relative; must be absolute path: \(goQuote(Array(root.utf8))).\n")
        }
        return ModuleCache(root: root)
    }

    /// The go command's checksum-database files: ``sumdbDirectory`` for the trusted latest
    /// tree and the module cache's `cache/download/sumdb` for tiles and lookups.
    ///
    /// - Throws: `GoEnvironmentError.Code.gopathUnset` (cmd/go: `could not locate sumdb file:
    ///   missing $GOPATH: HOME is not set`), or ``moduleCache()``'s errors.
    public func checksumDatabaseStore() throws(GoEnvironmentError) -> FileChecksumDatabaseStore {
        let config = sumdbDirectory
        guard !config.isEmpty else {
            // cfg.GoPathError: "HOME is not set" when the default could not be formed.
            let reason = (processEnvironment["HOME"] ?? "").isEmpty ? "HOME is not set" : ""
            throw GoEnvironmentError(.gopathUnset, variable: "GOPATH", "could not locate sumdb file: missing $GOPATH: \(reason)")
        }
        let cache = try moduleCache()
        return FileChecksumDatabaseStore(configDirectory: URL(fileURLWithPath: config),
                                         cacheDirectory: URL(fileURLWithPath: cache.root + "/cache/download/sumdb"))
    }

    /// The proxy list from ``goproxy``, ``gonoproxy`` and ``goinsecure``
    /// (`ModuleProxyConfiguration.parse(goproxy:noProxy:insecure:)`).
    public func proxyConfiguration() throws(ModuleProxyError) -> ModuleProxyConfiguration {
        try ModuleProxyConfiguration.parse(goproxy: goproxy, noProxy: ByteString(gonoproxy), insecure: ByteString(goinsecure))
    }

    /// The checksum-database configuration from ``gosumdb``, ``gonosumdb`` and ``goproxy``;
    /// `nil` when `GOSUMDB=off` (`ChecksumDatabaseConfiguration.fromEnvironment(_:)`).
    ///
    /// A `GOSUMDB` left empty by the Go environment file (`GOSUMDB=` there hides the
    /// distribution default) is cmd/go's `missing GOSUMDB` (`modfetch/sumdb.go` `dbDial`).
    public func checksumDatabaseConfiguration() throws(ChecksumDatabaseError) -> ChecksumDatabaseConfiguration? {
        if gosumdb.isEmpty { throw ChecksumDatabaseError(.invalidConfiguration, "missing GOSUMDB") }
        return try ChecksumDatabaseConfiguration.fromEnvironment(["GOSUMDB": gosumdb, "GONOSUMDB": gonosumdb, "GOPROXY": goproxy])
    }

    // MARK: - GOFLAGS

    /// `GOFLAGS` split as cmd/go's `base.InitGOFLAGS` does: `quoted.Split` fields (space, tab,
    /// newline, carriage return; a field may be wrapped whole in `'…'` or `"…"`), each of which
    /// must look like `-name`, `--name`, `-name=value` or `--name=value`. Whether the name is
    /// one of the go command's flags is not checked.
    ///
    /// - Throws: `GoEnvironmentError.Code.invalidGOFLAGS` with cmd/go's text,
    ///   `parsing $GOFLAGS: non-flag "x"` or `parsing $GOFLAGS: unterminated ' string`.
    public func goflags() throws(GoEnvironmentError) -> [String] {
        let fields = try Self.splitQuoted(Array(goflagsValue.utf8))
        for f in fields {
            let invalid = f.first != UInt8(ascii: "-") || f == Array("-".utf8) || f == Array("--".utf8)
                || f.starts(with: Array("---".utf8)) || f.starts(with: Array("-=".utf8)) || f.starts(with: Array("--=".utf8))
            if invalid {
                throw GoEnvironmentError(.invalidGOFLAGS, variable: "GOFLAGS", "parsing $GOFLAGS: non-flag \(goQuote(f))")
            }
        }
        return fields.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The value `GOFLAGS` gives flag `name` (without dashes), the last setting winning as in
    /// cmd/go's `base.SetFromGOFLAGS`: the text after `=`, `"true"` for a bare `-name`, `nil`
    /// when absent.
    public func goflag(_ name: String) throws(GoEnvironmentError) -> String? {
        var result: String?
        for flag in try goflags() {
            var f = Substring(flag)
            if f.hasPrefix("--") { f = f.dropFirst() }
            f = f.dropFirst()
            if let eq = f.firstIndex(of: "=") {
                if f[..<eq] == name { result = String(f[f.index(after: eq)...]) }
            } else if f == name {
                result = "true"
            }
        }
        return result
    }

    // MARK: - File

    /// `cfg.EnvFile`: `$GOENV` (nil for `off`), else `os.UserConfigDir()` + `/go/env`.
    static func envFilePath(_ env: [String: String]) -> String? {
        if let file = env["GOENV"], !file.isEmpty { return file == "off" ? nil : file }
        #if os(macOS) || os(iOS)
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return join(home + "/Library/Application Support", "go/env")
        #else
        var dir: String
        if let xdg = env["XDG_CONFIG_HOME"], !xdg.isEmpty {
            guard xdg.hasPrefix("/") else { return nil }  // "path in $XDG_CONFIG_HOME is relative"
            dir = xdg
        } else {
            guard let home = env["HOME"], !home.isEmpty else { return nil }
            dir = home + "/.config"
        }
        return join(dir, "go/env")
        #endif
    }

    /// cmd/go's `readEnvFile`: `\n`-separated lines; a line counts when it has `=` and starts
    /// with `A`–`Z`; the key is the text before the first `=`, the value the rest, neither trimmed.
    static func parseEnvFile(_ data: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            guard let eq = line.firstIndex(of: UInt8(ascii: "=")),
                  let first = line.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { continue }
            out[String(decoding: line[..<eq], as: UTF8.self)] = String(decoding: line[(eq + 1)...], as: UTF8.self)
        }
        return out
    }

    /// cmd/internal/quoted's `Split`.
    static func splitQuoted(_ s: [UInt8]) throws(GoEnvironmentError) -> [[UInt8]] {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        var fields: [[UInt8]] = []
        var i = 0
        while i < s.count {
            while i < s.count && isSpace(s[i]) { i += 1 }
            if i == s.count { break }
            if s[i] == UInt8(ascii: "\"") || s[i] == UInt8(ascii: "'") {
                let quote = s[i]
                i += 1
                guard let end = s[i...].firstIndex(of: quote) else {
                    throw GoEnvironmentError(.invalidGOFLAGS, variable: "GOFLAGS",
                                             "parsing $GOFLAGS: unterminated \(Character(Unicode.Scalar(quote))) string")
                }
                fields.append(Array(s[i..<end]))
                i = end + 1
                continue
            }
            let start = i
            while i < s.count && !isSpace(s[i]) { i += 1 }
            fields.append(Array(s[start..<i]))
        }
        return fields
    }

    /// `filepath.Join(a, b)` on Unix: the two joined with `/`, then cleaned.
    static func join(_ a: String, _ b: String) -> String {
        String(decoding: goPathClean(Array((a + "/" + b).utf8)), as: UTF8.self)
    }
}

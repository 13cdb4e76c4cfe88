import GoModCore
import GoModPlatform

extension ProjectAudit {
    /// A project's audit settings, committed next to go.mod as `gomodkit-audit.json` so that CI
    /// and people run the same audit without repeating flags. Relative paths are relative to
    /// the project directory. Every key is optional; command-line flags override the file, and
    /// the file overrides the environment.
    ///
    /// ```json
    /// {
    ///   "offline": true,
    ///   "gomodcache": "modcache",
    ///   "gosumdb": "off",
    ///   "git": { "github.com/boltdb-go/bolt": "upstream.bundle",
    ///            "example.com/repo/sub": { "repository": "../repo", "subdir": "sub" } },
    ///   "gitRoots": ["../sources"],
    ///   "known": ["known-modules.txt"],
    ///   "vulndb": ["advisories/vulndb"],
    ///   "osv": ["advisories/malicious-packages"]
    /// }
    /// ```
    public struct Configuration: Sendable, Hashable, Decodable {
        /// The file name looked for in the project directory.
        public static let fileName = "gomodkit-audit.json"
        /// The largest configuration file read.
        public static let maxSize = 1 << 20

        /// Check the checksum database from its local cache only.
        public var offline: Bool?
        /// The module cache (GOMODCACHE).
        public var gomodcache: String?
        /// A GOSUMDB value; `off` skips the checksum-database check.
        public var gosumdb: String?
        /// Upstream repositories by module path.
        public var git: [String: UpstreamRepository]
        /// Directories of clones laid out by module path.
        public var gitRoots: [String]
        /// Files of well-known module paths (one a line, `#` comments).
        public var known: [String]
        /// Go vulnerability databases: directories, zips, `file://` or `https://` URLs.
        public var vulndb: [String]
        /// OSV trees or zips (ossf/malicious-packages).
        public var osv: [String]
        /// Policy: module path globs denied.
        public var deny: [String]
        /// Policy: globs exempted from ``deny``.
        public var allow: [String]
        /// Policy: every go.sum line must be checked against the checksum database.
        public var requireChecksumDatabase: Bool?
        /// Policy: every module's origin verdict must be consistent.
        public var requireOrigin: Bool?
        /// Policy: capabilities a dependency update must not gain.
        public var forbidCapabilities: [String]
        /// Policy: minimum age in days of every module version, by the module index's first-seen time.
        public var minReleaseAge: Int?
        /// Policy: the module index (default https://index.golang.org).
        public var moduleIndex: String?
        /// Policy: judge versions the index never sees (GONOPROXY/GOPRIVATE) by `.info` Time,
        /// marked "author-controlled time".
        public var minReleaseAgeInfoFallback: Bool?

        /// The policy these settings declare.
        public var policy: Policy {
            var p = Policy()
            p.deny = deny
            p.allow = allow
            p.requireChecksumDatabase = requireChecksumDatabase ?? false
            p.requireOrigin = requireOrigin ?? false
            p.forbidCapabilities = forbidCapabilities
            p.minReleaseAgeDays = minReleaseAge
            if let moduleIndex { p.moduleIndex = moduleIndex }
            p.releaseAgeInfoFallback = minReleaseAgeInfoFallback ?? false
            return p
        }

        /// An empty configuration.
        public init() {
            git = [:]
            gitRoots = []
            known = []
            vulndb = []
            osv = []
            deny = []
            allow = []
            forbidCapabilities = []
        }

        enum CodingKeys: String, CodingKey {
            case offline, gomodcache, gosumdb, git, gitRoots, known, vulndb, osv
            case deny, allow, requireChecksumDatabase, requireOrigin, forbidCapabilities, minReleaseAge, moduleIndex, minReleaseAgeInfoFallback
        }

        /// Decodes the keys above; unknown keys are an error (a misspelt key must not silently
        /// weaken an audit).
        public init(from decoder: any Decoder) throws {
            let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
                .filter { CodingKeys(rawValue: $0) == nil }
            if let key = unknown.first {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown key \"\(key)\""))
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            offline = try c.decodeIfPresent(Bool.self, forKey: .offline)
            gomodcache = try c.decodeIfPresent(String.self, forKey: .gomodcache)
            gosumdb = try c.decodeIfPresent(String.self, forKey: .gosumdb)
            git = try c.decodeIfPresent([String: UpstreamRepositoryValue].self, forKey: .git)?.mapValues(\.source) ?? [:]
            gitRoots = try c.decodeIfPresent([String].self, forKey: .gitRoots) ?? []
            known = try c.decodeIfPresent([String].self, forKey: .known) ?? []
            vulndb = try c.decodeIfPresent([String].self, forKey: .vulndb) ?? []
            osv = try c.decodeIfPresent([String].self, forKey: .osv) ?? []
            deny = try c.decodeIfPresent([String].self, forKey: .deny) ?? []
            allow = try c.decodeIfPresent([String].self, forKey: .allow) ?? []
            requireChecksumDatabase = try c.decodeIfPresent(Bool.self, forKey: .requireChecksumDatabase)
            requireOrigin = try c.decodeIfPresent(Bool.self, forKey: .requireOrigin)
            forbidCapabilities = try c.decodeIfPresent([String].self, forKey: .forbidCapabilities) ?? []
            var probe = Policy()
            probe.forbidCapabilities = forbidCapabilities
            if let unknown = probe.unknownCapabilities.first {
                throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.forbidCapabilities], debugDescription: "forbidCapabilities: unknown capability \"\(unknown)\" (want Capslock's names: NETWORK, EXEC, CGO, UNSAFE_POINTER, MODIFY_SYSTEM_STATE/ENV, …, or CAPABILITY_NETWORK…; init for a new init function)"))
            }
            minReleaseAge = try c.decodeIfPresent(Int.self, forKey: .minReleaseAge)
            if let days = minReleaseAge, days < 0 || days > 36500 {
                throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.minReleaseAge], debugDescription: "minReleaseAge: want 0 to 36500 days"))
            }
            moduleIndex = try c.decodeIfPresent(String.self, forKey: .moduleIndex)
            minReleaseAgeInfoFallback = try c.decodeIfPresent(Bool.self, forKey: .minReleaseAgeInfoFallback)
        }

        /// Reads `gomodkit-audit.json` from `directory` (or the file at `path`), resolving its
        /// relative paths against the project directory. A missing file (when `path` is `nil`)
        /// is an empty configuration.
        ///
        /// - Throws: ``ProjectAudit/ConfigurationError`` for an unreadable or invalid file.
        public static func load(directory: String, path: String? = nil) throws(ConfigurationError) -> Configuration {
            let file = path ?? URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
            let data: [UInt8]
            switch readFile(file, limit: maxSize) {
            case .success(let bytes): data = bytes
            case .failure(.open):
                if path == nil { return Configuration() }
                throw ConfigurationError(file: file, message: "cannot open")
            case .failure(.read): throw ConfigurationError(file: file, message: "cannot read")
            case .failure(.tooLarge): throw ConfigurationError(file: file, message: "larger than \(maxSize) bytes")
            }
            var config: Configuration
            do { config = try JSONDecoder().decode(Configuration.self, from: Data(data)) } catch {
                throw ConfigurationError(file: file, message: describe(error))
            }
            let base = URL(fileURLWithPath: directory)
            func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path }
            config.gomodcache = config.gomodcache.map(resolve)
            config.git = config.git.mapValues { UpstreamRepository(repository: resolve($0.repository), subdir: $0.subdir) }
            config.gitRoots = config.gitRoots.map(resolve)
            config.known = config.known.map(resolve)
            // URLs stay as they are; paths are relative to the project.
            config.vulndb = config.vulndb.map { $0.contains("://") ? $0 : resolve($0) }
            config.osv = config.osv.map { $0.contains("://") ? $0 : resolve($0) }
            return config
        }
    }

    /// A `gomodkit-audit.json` that cannot be used.
    public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The file.
        public var file: String
        /// What is wrong with it.
        public var message: String

        /// An error.
        public init(file: String, message: String) {
            self.file = file
            self.message = message
        }

        /// `<file>: <message>`.
        public var description: String { "\(file): \(message)" }
    }
}

/// A `git` entry: a path string, or `{ "repository": ..., "subdir": ... }`.
private struct UpstreamRepositoryValue: Decodable {
    var source: ProjectAudit.UpstreamRepository

    init(from decoder: any Decoder) throws {
        if let path = try? decoder.singleValueContainer().decode(String.self) {
            source = ProjectAudit.UpstreamRepository(repository: path)
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        source = ProjectAudit.UpstreamRepository(repository: try c.decode(String.self, forKey: .repository),
                                        subdir: try c.decodeIfPresent(String.self, forKey: .subdir) ?? "")
    }

    enum Keys: String, CodingKey { case repository, subdir }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

private func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let c): c.debugDescription
    case DecodingError.keyNotFound(let key, _): "missing key \"\(key.stringValue)\""
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
        "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
    default: "invalid JSON"
    }
}

public import GoModCore
public import GoModPlatform

/// How to reach and trust a checksum database: cmd/go's `GOSUMDB`, `GONOSUMDB`/`GOPRIVATE`,
/// `GOPROXY` handling (`modfetch/sumdb.go` `dbDial`, `initBase`), plus GoModKit's options.
public struct ChecksumDatabaseConfiguration: Sendable {
    /// The trusted key; its name is the database name.
    public var verifier: NoteVerifier
    /// An explicit base URL from `GOSUMDB` (`key URL`): used as is, bypassing proxies.
    public var explicitURL: URL?
    /// `GOPROXY` entries with the separator that follows each (`,` or `|`).
    public var proxies: [(entry: String, fallbackOnAnyError: Bool)]
    /// `GONOSUMDB` (or `GOPRIVATE`) glob patterns.
    public var noSumDB: ByteString
    /// Tile height (sum.golang.org serves 8).
    public var tileHeight: Int
    /// Use only the cache; any network need is `ChecksumDatabaseError.Code.offlineMissing`.
    public var offline: Bool
    /// Reject tree notes with lines after the hash instead of ignoring them as x/mod's
    /// `sumdb/tlog/note.go` does.
    public var strictNotes: Bool
    /// The most requests in flight at once.
    public var maxConcurrentRequests: Int
    /// The most requests one lookup may send (`nil`: the tree-math bound,
    /// ``ChecksumDatabase/maxRequestsPerLookup(tileHeight:proxies:)``). Lower it to fail fast.
    public var maxRequestsPerLookup: Int? = nil

    /// The well-known databases cmd/go maps a bare name to (`knownGOSUMDB`).
    public static let knownDatabases: [String: String] = [
        "sum.golang.org": "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
    ]

    /// A configuration for one key.
    public init(verifier: NoteVerifier, explicitURL: URL? = nil, proxies: [(entry: String, fallbackOnAnyError: Bool)] = [],
                noSumDB: ByteString = "", tileHeight: Int = 8, offline: Bool = false, strictNotes: Bool = false,
                maxConcurrentRequests: Int = 16) {
        self.verifier = verifier
        self.explicitURL = explicitURL
        self.proxies = proxies
        self.noSumDB = noSumDB
        self.tileHeight = tileHeight
        self.offline = offline
        self.strictNotes = strictNotes
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    /// The database name (the key's name).
    public var name: String { String(decoding: verifier.name.bytes, as: UTF8.self) }

    /// `https://<name>`.
    public var directURL: URL? { URL(string: "https://" + name) }

    /// Parses `GOSUMDB` as cmd/go does: `off`, a known name, `key`, or `key URL`; also maps
    /// `sum.golang.google.cn`. Returns `nil` for `off`.
    public static func parseGOSUMDB(_ value: String) throws(ChecksumDatabaseError) -> (verifier: NoteVerifier, url: URL?)? {
        var value = value.isEmpty ? "sum.golang.org" : value
        if value == "sum.golang.google.cn" { value = "sum.golang.org https://sum.golang.google.cn" }
        if value == "off" { return nil }
        var fields = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        guard !fields.isEmpty else { throw ChecksumDatabaseError(.invalidConfiguration, "missing GOSUMDB") }
        guard fields.count <= 2 else { throw ChecksumDatabaseError(.invalidConfiguration, "invalid GOSUMDB: too many fields") }
        if let known = knownDatabases[fields[0]] { fields[0] = known }
        let verifier: NoteVerifier
        do { verifier = try NoteVerifier(verifierKey: fields[0]) } catch {
            throw ChecksumDatabaseError(.invalidConfiguration, "invalid GOSUMDB: \(error)", underlying: error)
        }
        let name = String(decoding: verifier.name.bytes, as: UTF8.self)
        guard isHostPath(name) else {
            throw ChecksumDatabaseError(.invalidConfiguration, "invalid sumdb name (must be host[/path]): \(goQuote(verifier.name.bytes))")
        }
        var url: URL? = nil
        if fields.count == 2 {
            guard let u = URL(string: fields[1]), u.scheme != nil else {
                throw ChecksumDatabaseError(.invalidConfiguration, "invalid GOSUMDB URL: \(goQuote(Array(fields[1].utf8)))")
            }
            url = u
        }
        return (verifier, url)
    }

    /// A configuration from Go's environment variables (`GOSUMDB`, `GONOSUMDB` defaulting to
    /// `GOPRIVATE`, `GOPROXY` defaulting to `https://proxy.golang.org,direct`); `nil` when
    /// `GOSUMDB=off`. `GOINSECURE` does not relax checksum-database access in Go, nor here.
    public static func fromEnvironment(_ env: [String: String]) throws(ChecksumDatabaseError) -> ChecksumDatabaseConfiguration? {
        guard let (verifier, url) = try parseGOSUMDB(env["GOSUMDB"] ?? "") else { return nil }
        let noSumDB = env["GONOSUMDB"].flatMap { $0.isEmpty ? nil : $0 } ?? env["GOPRIVATE"] ?? ""
        let proxy = env["GOPROXY"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://proxy.golang.org,direct"
        return ChecksumDatabaseConfiguration(verifier: verifier, explicitURL: url, proxies: parseProxyList(proxy),
                                             noSumDB: ByteString(noSumDB))
    }

    /// Splits `GOPROXY` into entries, each with whether it is followed by `|` (fall back on any error).
    public static func parseProxyList(_ value: String) -> [(entry: String, fallbackOnAnyError: Bool)] {
        var out: [(String, Bool)] = []
        var current = ""
        for ch in value {
            if ch == "," || ch == "|" {
                let trimmed = current.trimmingSpace()
                if !trimmed.isEmpty { out.append((trimmed, ch == "|")) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        let trimmed = current.trimmingSpace()
        if !trimmed.isEmpty { out.append((trimmed, false)) }
        return out
    }
}

/// `host[/path]` with no scheme, user info, query, port-less oddities or trailing slash.
private func isHostPath(_ name: String) -> Bool {
    guard !name.isEmpty, !name.hasSuffix("/"), !name.hasPrefix("/") else { return false }
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/:")
    guard name.allSatisfy({ allowed.contains($0) }), !name.contains("//") else { return false }
    guard let url = URL(string: "https://" + name), let host = url.host, !host.isEmpty else { return false }
    return true
}

public import GoModNet
public import GoModCore
import GoModZip
public import GoSumDB
public import GoModPlatform
import Synchronization

/// One `GOPROXY` list entry, as cmd/go's `modfetch.proxyList` builds it.
public struct ModuleProxyEntry: Sendable, Hashable, CustomStringConvertible {
    /// What the entry is.
    public enum Kind: Sendable, Hashable {
        /// A proxy base URL (`https`, `http` or `file`).
        case url(URL)
        /// `off`: `module lookup disabled by GOPROXY=off`.
        case off
        /// `direct`: fetch from version control (through the client's ``DirectModuleSource``).
        case direct
        /// The implicit first entry cmd/go adds when `GONOPROXY` is set: matching paths go direct.
        case noproxy
    }

    /// What the entry is.
    public var kind: Kind
    /// `true` when the entry is followed by `|` (fall through on any error), `false` for `,`
    /// (fall through only on 404/410).
    public var fallBackOnError: Bool

    /// An entry.
    public init(_ kind: Kind, fallBackOnError: Bool = false) {
        self.kind = kind
        self.fallBackOnError = fallBackOnError
    }

    /// The entry as written in `GOPROXY` (URLs with their password redacted, as Go's `URL.Redacted`).
    public var description: String {
        switch kind {
        case .url(let url): redact(url)
        case .off: "off"
        case .direct: "direct"
        case .noproxy: "noproxy"
        }
    }
}

/// The proxy side of cmd/go's environment: `GOPROXY`, `GONOPROXY`/`GOPRIVATE`, `GOINSECURE`.
public struct ModuleProxyConfiguration: Sendable {
    /// The list, in order, with the implicit `noproxy` first when `GONOPROXY` is set.
    public var entries: [ModuleProxyEntry]
    /// `GONOPROXY` glob patterns (default `GOPRIVATE`).
    public var noProxy: ByteString
    /// `GOINSECURE` glob patterns. As in cmd/go they only matter for direct (VCS) fetches
    /// (the repository resolver reads them), and they never disable checksum verification.
    public var insecure: ByteString

    /// A configuration from a parsed list.
    public init(entries: [ModuleProxyEntry], noProxy: ByteString = "", insecure: ByteString = "") {
        self.entries = entries
        self.noProxy = noProxy
        self.insecure = insecure
    }

    /// Parses `GOPROXY` as cmd/go's `proxyList` does: `,` and `|` separators, empty entries
    /// skipped, `off` and `direct` end the list, `https://` prepended to a bare host, schemes
    /// limited to https/http/file; a `noproxy` entry first when `noProxy` is non-empty and the
    /// list is not just `direct`.
    ///
    /// - Throws: `ModuleProxyError.Code.emptyProxyList`, `ModuleProxyError.Code.invalidProxyURL`.
    public static func parse(goproxy: String, noProxy: ByteString = "", insecure: ByteString = "")
        throws(ModuleProxyError) -> ModuleProxyConfiguration {
        var entries: [ModuleProxyEntry] = []
        if !noProxy.isEmpty && goproxy != "direct" { entries.append(ModuleProxyEntry(.noproxy)) }
        var rest = Substring(goproxy)
        while !rest.isEmpty {
            var item: Substring
            var fallBack = false
            if let i = rest.firstIndex(where: { $0 == "," || $0 == "|" }) {
                item = rest[..<i]
                fallBack = rest[i] == "|"
                rest = rest[rest.index(after: i)...]
            } else {
                item = rest
                rest = ""
            }
            let entry = item.trimmingSpace()
            if entry.isEmpty { continue }
            if entry == "off" { entries.append(ModuleProxyEntry(.off)); break }
            if entry == "direct" { entries.append(ModuleProxyEntry(.direct)); break }
            var text = entry
            if text.contains(where: { $0 == "." || $0 == ":" || $0 == "/" }) && !text.contains(":/") && !text.hasPrefix("/") {
                text = "https://" + text
            }
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
                throw ModuleProxyError(.invalidProxyURL, "invalid proxy URL \(goQuote(Array(entry.utf8)))")
            }
            guard ["https", "http", "file"].contains(scheme) else {
                throw ModuleProxyError(.invalidProxyURL, "invalid proxy URL scheme (must be https, http, file)")
            }
            entries.append(ModuleProxyEntry(.url(url), fallBackOnError: fallBack))
        }
        if entries.isEmpty || (entries.count == 1 && entries[0].kind == .noproxy) {
            throw ModuleProxyError(.emptyProxyList, "GOPROXY list is not the empty string, but contains no entries")
        }
        return ModuleProxyConfiguration(entries: entries, noProxy: noProxy, insecure: insecure)
    }

    /// The configuration from Go's environment variables in `env` (no `go env -w` file):
    /// ``GoEnvironment/proxyConfiguration()`` — `GOPROXY` (default
    /// `https://proxy.golang.org,direct`), `GONOPROXY` (default `GOPRIVATE`), `GOINSECURE`.
    public static func fromEnvironment(_ env: [String: String]) throws(ModuleProxyError) -> ModuleProxyConfiguration {
        try GoEnvironment(environment: env, readFile: { _ in nil }).proxyConfiguration()
    }
}

/// A module's `.info` answer (cmd/go's `RevInfo`): the resolved version, its time, and the
/// optional `Origin` block, plus the exact bytes received (cached verbatim).
public struct ModuleInfo: Sendable, Hashable {
    /// `Version`.
    public var version: ByteString
    /// `Time` as sent (RFC 3339), if any.
    public var time: String?
    /// The `Origin` object re-encoded as compact JSON with sorted keys, if present.
    public var origin: [UInt8]?
    /// The answer's bytes.
    public var raw: [UInt8]

    /// Decodes an `.info` answer; `nil` when it is not a JSON object whose `Version` is a
    /// string, whose `Time` is a string and whose `Origin` is an object (cmd/go: `invalid
    /// response from proxy`). A `null` `Time` or `Origin` counts as absent, as Go's
    /// `json.Unmarshal` into `modfetch.RevInfo` takes it.
    ///
    /// This is the one reader of `.info` documents in the package: the proxy client, the module
    /// cache, and GoModSupplyChain's `Divergence.Info` all decode through it.
    public init?(json raw: [UInt8]) {
        guard let object = JSONValue.object(raw), case .string(let version)? = object["Version"] else { return nil }
        switch object["Time"] {
        case nil, .null?: self.time = nil
        case .string(let time)?: self.time = time
        default: return nil
        }
        self.version = ByteString(version)
        if let origin = object["Origin"], origin != .null {
            guard case .object = origin, let data = origin.compactSorted() else { return nil }
            self.origin = data
        }
        self.raw = raw
    }
}

/// A GOPROXY protocol client (cmd/go's `modfetch.proxyRepo` plus `TryProxies`): `list`,
/// `.info`, `.mod`, `.zip`, `@latest`, over the proxy list with Go's fallback rules.
///
/// Every answer is size-capped; a `.zip` that is not a zip archive is
/// `ModuleProxyError.Code.notAZip`; a `.info` that is not JSON is
/// `ModuleProxyError.Code.invalidResponse`. Paths and versions are checked before any URL is
/// built. `direct` (and a `GONOPROXY` path) is answered by the client's ``DirectModuleSource``;
/// without one, reaching it is `ModuleProxyError.Code.directUnsupported`.
public struct ModuleProxyClient: Sendable {
    /// The proxy list and patterns.
    public let configuration: ModuleProxyConfiguration
    private let transport: any HTTPTransport
    /// What `direct` fetches from, if anything.
    public let direct: (any DirectModuleSource)?

    /// The most bytes read for `@v/list`.
    public static let maxListResponse = 16 << 20
    /// The most bytes read for `.info` and `@latest`.
    public static let maxInfoResponse = 1 << 20
    /// The most bytes read for `.mod` (x/mod's `MaxGoMod`).
    public static let maxModResponse = Int(ModuleZip.maxGoMod)
    /// The most bytes read for `.zip` (x/mod's `MaxZipFile`).
    public static let maxZipResponse = Int(ModuleZip.maxZipFile)

    /// A client over `transport` (GoModNet's `DefaultHTTPTransport` by default); `direct`
    /// answers the list's `direct` entry and `GONOPROXY` paths.
    public init(configuration: ModuleProxyConfiguration, transport: any HTTPTransport = DefaultHTTPTransport(),
                direct: (any DirectModuleSource)? = nil) {
        self.configuration = configuration
        self.transport = transport
        self.direct = direct
    }


    /// The versions a proxy lists (`$base/$module/@v/list`): valid semver, non-pseudo
    /// versions only, in the order received, duplicates removed (`proxyRepo.Versions`).
    public func versions(path: ByteString) async throws(ModuleProxyError) -> [ByteString] {
        let escaped = try escaped(path: path)
        let body = try await tryProxies(path: path, module: String(decoding: path.bytes, as: UTF8.self)) { base throws(ModuleProxyError) in
            try await fetch(base, relative: escaped + "/@v/list", limit: Self.maxListResponse)
        } direct: { _ throws(ModuleProxyError) in
            throw ModuleProxyError(.directFailed, "listing versions from version control is not supported by GoModKit: give a version")
        }
        var seen = Set<ByteString>()
        var out: [ByteString] = []
        for line in body.split(separator: 0x0A) {
            let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
            guard let first = fields.first else { continue }
            let v = ByteString(Array(first))
            guard Semver.isValid(v), !Module.isPseudoVersion(v), seen.insert(v).inserted else { continue }
            out.append(v)
        }
        return out
    }

    /// The `.info` for a version or query (`$base/$module/@v/$version.info`). For a canonical
    /// version the answer's `Version` must be that version (`proxy returned info for version
    /// <x> instead of requested version`).
    public func info(_ module: ModuleVersion) async throws(ModuleProxyError) -> ModuleInfo {
        let path = module.path, version = module.version
        let escapedPath = try escaped(path: path)
        let module = "\(String(decoding: path.bytes, as: UTF8.self))@\(String(decoding: version.bytes, as: UTF8.self))"
        let ev: ByteString
        do { ev = try Module.escapeVersion(version) } catch {
            throw ModuleProxyError(.invalidModule, error.description, module: module, underlying: error)
        }
        let canonical = Semver.canonical(version) == version
        return try await tryProxies(path: path, module: module) { base throws(ModuleProxyError) in
            let body = try await fetch(base, relative: escapedPath + "/@v/" + String(decoding: ev.bytes, as: UTF8.self) + ".info", limit: Self.maxInfoResponse)
            guard let info = ModuleInfo(json: body) else {
                throw ModuleProxyError(.invalidResponse, "invalid response from proxy \(goQuote(Array(base.description.utf8))): \(proxyErrorDetail(Array(body.prefix(200))))", module: module)
            }
            if canonical && info.version != version {
                throw ModuleProxyError(.proxyVersionMismatch,
                                       "proxy returned info for version \(plain(info.version)) instead of requested version", module: module)
            }
            return info
        } direct: { source throws(ModuleProxyError) in
            guard canonical || version.hasSuffix("+incompatible") else {
                throw ModuleProxyError(.directFailed, "version queries from version control are not supported by GoModKit: give a canonical version")
            }
            return try await source.info(ModuleVersion(path: path, version: version))
        }
    }

    /// `$base/$module/@latest` (used by cmd/go when `list` is empty).
    public func latest(path: ByteString) async throws(ModuleProxyError) -> ModuleInfo {
        let escapedPath = try escaped(path: path)
        let module = String(decoding: path.bytes, as: UTF8.self)
        return try await tryProxies(path: path, module: module) { base throws(ModuleProxyError) in
            let body = try await fetch(base, relative: escapedPath + "/@latest", limit: Self.maxInfoResponse)
            guard let info = ModuleInfo(json: body), Semver.isValid(info.version) else {
                throw ModuleProxyError(.invalidResponse, "invalid response from proxy \(goQuote(Array(base.description.utf8))): \(proxyErrorDetail(Array(body.prefix(200))))", module: module)
            }
            return info
        } direct: { _ throws(ModuleProxyError) in
            throw ModuleProxyError(.directFailed, "version queries from version control are not supported by GoModKit: give a canonical version")
        }
    }

    /// Resolves `latest` as cmd/go's proxy repo does: the highest release in `list`, else the
    /// highest pre-release, else `@latest`.
    public func resolveLatest(path: ByteString) async throws(ModuleProxyError) -> ModuleInfo {
        let list = try await versions(path: path)
        var best: ByteString?
        for v in list where Semver.prerelease(v).isEmpty { if best.map({ Semver.compare(v, $0) > 0 }) ?? true { best = v } }
        if best == nil { for v in list { if best.map({ Semver.compare(v, $0) > 0 }) ?? true { best = v } } }
        if let best { return try await info(ModuleVersion(path: path, version: best)) }
        do { return try await latest(path: path) } catch where error.isNotExist {
            throw ModuleProxyError(.noVersions, "no matching versions for query \"latest\"",
                                   module: String(decoding: path.bytes, as: UTF8.self))
        }
    }

    /// The go.mod bytes of a canonical version (`$base/$module/@v/$version.mod`).
    public func goMod(_ module: ModuleVersion) async throws(ModuleProxyError) -> [UInt8] {
        let path = module.path, version = module.version
        let (escapedPath, ev, module) = try escapedCanonical(path: path, version: version)
        return try await tryProxies(path: path, module: module) { base throws(ModuleProxyError) in
            try await fetch(base, relative: escapedPath + "/@v/" + ev + ".mod", limit: Self.maxModResponse)
        } direct: { source throws(ModuleProxyError) in
            try await source.goMod(ModuleVersion(path: path, version: version))
        }
    }

    /// The module zip of a canonical version (`$base/$module/@v/$version.zip`), at most
    /// ``maxZipResponse`` bytes (`downloaded zip file too large`). A body that is not a zip
    /// archive (HTML page, truncated file) is `ModuleProxyError.Code.notAZip` and, as for any
    /// error, the next proxy is tried only after a `|`.
    public func zip(_ module: ModuleVersion, limit: Int = maxZipResponse) async throws(ModuleProxyError) -> [UInt8] {
        let path = module.path, version = module.version
        let (escapedPath, ev, module) = try escapedCanonical(path: path, version: version)
        return try await tryProxies(path: path, module: module) { base throws(ModuleProxyError) in
            let body = try await Self.zipTooLarge(module: module) { () async throws(ModuleProxyError) in
                try await fetch(base, relative: escapedPath + "/@v/" + ev + ".zip", limit: limit)
            }
            do {
                _ = try ZipArchive(bytes: body, mode: .goCompatible)
            } catch {
                throw Self.notAZip(base: base, size: body.count, start: body.prefix(512), error, module: module)
            }
            return body
        } direct: { source throws(ModuleProxyError) in
            let temp: String
            do throws(ModuleCacheError) {
                let tempDirectory = FileManager.default.temporaryDirectory.path
                temp = try writeTemporaryFile(near: tempDirectory + "/gomodkit-direct.zip", [], below: tempDirectory)
            } catch {
                throw ModuleProxyError(.writeFailed, error.message, module: module)
            }
            defer { unlink(temp) }
            let size = try await source.zip(ModuleVersion(path: path, version: version), toFile: temp)
            guard size <= limit else { throw ModuleProxyError(.oversizeResponse, "downloaded zip file too large", module: module) }
            switch readFile(temp, limit: limit) {
            case .success(let data): return data
            case .failure(.open(let error)), .failure(.read(let error)):
                throw ModuleProxyError(.directFailed, "reading \(temp): \(systemMessage(error.code))", module: module)
            case .failure(.tooLarge):
                throw ModuleProxyError(.oversizeResponse, "downloaded zip file too large", module: module)
            }
        }
    }

    /// The module zip of a canonical version, as ``zip(_:limit:)`` fetches and checks it, but
    /// streamed into the file at `path` so that memory stays bounded whatever its size: the file
    /// is created or truncated for each proxy tried (never through a symbolic link: `O_NOFOLLOW`),
    /// written chunk by chunk as the body arrives, fsynced, and then opened as a zip archive
    /// (`ModuleProxyError.Code.notAZip` otherwise). The caller owns `path` (a temporary file
    /// it removes on failure); nothing else is written.
    ///
    /// - Returns: the zip's size in bytes.
    /// - Throws: as ``zip(_:limit:)``, plus `ModuleProxyError.Code.writeFailed` when the file
    ///   cannot be written (disk full…).
    public func zip(_ module: ModuleVersion, toFile path: String, limit: Int = maxZipResponse) async throws(ModuleProxyError) -> Int {
        let (escapedPath, ev, name) = try escapedCanonical(path: module.path, version: module.version)
        return try await tryProxies(path: module.path, module: name) { base throws(ModuleProxyError) in
            let size = try await Self.zipTooLarge(module: name) { () async throws(ModuleProxyError) in
                try await fetch(base, relative: escapedPath + "/@v/" + ev + ".zip", limit: limit, toFile: path)
            }
            do {
                _ = try ZipArchive(path: path, mode: .goCompatible)
            } catch {
                throw Self.notAZip(base: base, size: size, start: Self.fileStart(path, count: 512), error, module: name)
            }
            return size
        } direct: { source throws(ModuleProxyError) in
            let size = try await source.zip(module, toFile: path)
            guard size <= limit else { throw ModuleProxyError(.oversizeResponse, "downloaded zip file too large", module: name) }
            return size
        }
    }

    /// Runs a zip download, giving an oversize response cmd/go's message (`downloaded zip file
    /// too large`) with the transport's error kept as the underlying one.
    static func zipTooLarge<T>(module: String, _ download: () async throws(ModuleProxyError) -> T) async throws(ModuleProxyError) -> T {
        do throws(ModuleProxyError) {
            return try await download()
        } catch {
            if error.code == .oversizeResponse {
                throw ModuleProxyError(.oversizeResponse, "downloaded zip file too large", module: module, underlying: error)
            }
            throw error
        }
    }

    /// A ``ModuleProxyError/Code/notAZip`` for a body of `size` bytes that does not open as a zip
    /// archive; when its first bytes (`start`, up to 512) look like text, the first 80 are quoted.
    static func notAZip(base: URL, size: Int, start: some Collection<UInt8>, _ error: some Error & Sendable, module: String) -> ModuleProxyError {
        let looksText = start.allSatisfy { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (0x20..<0x7F).contains($0) || $0 >= 0x80 }
        let snippet = looksText ? ": body starts " + goQuote(Array(start.prefix(80))) : ""
        return ModuleProxyError(.notAZip, "\(redact(base)) sent \(size) bytes that are not a zip file (\(error))\(snippet)",
                                module: module, underlying: error)
    }

    // MARK: Fallback

    /// cmd/go's `TryProxies`: the first success wins; after `,` only a not-found answer falls
    /// through, after `|` any error does; the error reported prefers direct/noproxy errors over
    /// other proxy errors over not-found.
    /// `path` is the module path (matched against GONOPROXY); `module` names the module in errors.
    /// `direct` answers the `direct` entry (and GONOPROXY paths) when the client has a
    /// ``DirectModuleSource``.
    func tryProxies<T: Sendable>(path: ByteString, module: String, _ body: (URL) async throws(ModuleProxyError) -> T,
                                 direct: (any DirectModuleSource) async throws(ModuleProxyError) -> T) async throws(ModuleProxyError) -> T {
        let notExistRank = 0, proxyRank = 1, directRank = 2
        var best: ModuleProxyError?
        var bestRank = notExistRank
        let noProxyMatch = Module.matchPrefixPatterns(configuration.noProxy, path)
        for entry in configuration.entries {
            var error: ModuleProxyError
            var isDirect = false
            switch entry.kind {
            case .direct, .noproxy:
                if case .noproxy = entry.kind, !noProxyMatch {
                    error = ModuleProxyError(.notFound, "path does not match GOPRIVATE/GONOPROXY", module: module)
                } else if let source = self.direct {
                    isDirect = true
                    do throws(ModuleProxyError) { return try await direct(source) } catch let e {
                        error = e
                        if error.module == nil { error.module = module }
                    }
                } else {
                    isDirect = true
                    error = ModuleProxyError(.directUnsupported,
                                             "direct (version-control) fetching is not supported by GoModKit; "
                                             + (noProxyMatch ? "the path matches GONOPROXY/GOPRIVATE" : "GOPROXY reached \"direct\"")
                                             + ": set GOPROXY to a module proxy (or a file:// directory in proxy layout)",
                                             module: module)
                }
            case .off:
                error = ModuleProxyError(.proxyOff, "module lookup disabled by GOPROXY=off", module: module)
            case .url(let base):
                if noProxyMatch {
                    error = ModuleProxyError(.notFound, "disabled by GOPRIVATE/GONOPROXY", module: module)
                } else {
                    do throws(ModuleProxyError) { return try await body(base) } catch let e {
                        error = e
                        if error.module == nil { error.module = module }
                    }
                }
            }
            let notExist = error.isNotExist
            if isDirect {
                best = error; bestRank = directRank
            } else if bestRank <= proxyRank && !notExist {
                best = error; bestRank = proxyRank
            } else if bestRank == notExistRank {
                best = error
            }
            if !entry.fallBackOnError && !notExist { break }
        }
        throw best ?? ModuleProxyError(.emptyProxyList, "GOPROXY list is not the empty string, but contains no entries")
    }

    // MARK: Requests

    private func escaped(path: ByteString) throws(ModuleProxyError) -> String {
        do {
            try Module.checkPath(path)
            return try Module.escapePath(path).utf8String ?? ""
        } catch {
            throw ModuleProxyError(.invalidModule, error.description, module: String(decoding: path.bytes, as: UTF8.self), underlying: error)
        }
    }

    private func escapedCanonical(path: ByteString, version: ByteString) throws(ModuleProxyError) -> (String, String, String) {
        let module = "\(String(decoding: path.bytes, as: UTF8.self))@\(String(decoding: version.bytes, as: UTF8.self))"
        do {
            try Module.check(ModuleVersion(path: path, version: version))
        } catch {
            throw ModuleProxyError(.invalidModule, error.description, module: module, underlying: error)
        }
        guard Semver.canonical(version) == version || version.hasSuffix("+incompatible") else {
            throw ModuleProxyError(.notCanonical, "version \(goQuote(version.bytes)) is not canonical", module: module)
        }
        do {
            let ep = try Module.escapePath(path).utf8String ?? ""
            let ev = try Module.escapeVersion(version).utf8String ?? ""
            return (ep, ev, module)
        } catch {
            throw ModuleProxyError(.invalidModule, error.description, module: module, underlying: error)
        }
    }

    /// The file of `relative` under a `file://` proxy base; `nil` for any other scheme.
    static func filePath(_ base: URL, _ relative: String) -> String? {
        guard base.scheme?.lowercased() == "file" else { return nil }
        return base.path.hasSuffix("/") ? base.path + relative : base.path + "/" + relative
    }

    /// The URL of `relative` (percent-encoded) under an http(s) proxy base, as cmd/go joins them.
    static func proxyURL(_ base: URL, _ relative: String) throws(ModuleProxyError) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/" + percentEncodePath(relative)
        guard let url = URL(string: text) else {
            throw ModuleProxyError(.invalidProxyURL, "invalid proxy URL \(goQuote(Array(text.utf8)))")
        }
        return url
    }

    /// GETs `relative` under `base` (or reads it under a `file://` base).
    func fetch(_ base: URL, relative: String, limit: Int) async throws(ModuleProxyError) -> [UInt8] {
        if let path = Self.filePath(base, relative) {
            return try readProxyFile(path, display: "file://" + path, limit: limit)
        }
        let url = try Self.proxyURL(base, relative)
        let display = redact(url)
        let response: HTTPResponse
        do {
            response = try await transport.get(url, limit: limit)
        } catch {
            throw Self.transportFailure(error, display: display, limit: limit)
        }
        guard response.status == 200 else { throw Self.statusFailure(status: response.status, body: response.body, display: display) }
        return response.body
    }

    /// The proxy error for a failed request to `display` (cmd/go's "reading URL: …" texts).
    static func transportFailure(_ error: any Error, display: String, limit: Int) -> ModuleProxyError {
        guard let error = error as? HTTPTransportError else {
            return ModuleProxyError(.transport, "reading \(display): \(error)")
        }
        if error.code == .oversizeResponse {
            return ModuleProxyError(.oversizeResponse, "reading \(display): response body larger than \(limit) bytes", underlying: error)
        }
        return ModuleProxyError(.transport, "reading \(error)", underlying: error)
    }

    /// The proxy error for a non-200 answer: 404 and 410 are "not found" (cmd/go's
    /// proxy fallback rule), with the server's message appended as cmd/go prints it.
    static func statusFailure(status: Int, body: [UInt8], display: String) -> ModuleProxyError {
        let detail = proxyErrorDetail(body)
        let message = "reading \(display): \(httpStatusText(status))"
            + (detail.isEmpty ? "" : "\n\tserver response:" + (detail.contains("\n") ? "\n\t" : " ") + detail)
        let notFound = status == 404 || status == 410
        return ModuleProxyError(notFound ? .notFound : .httpStatus, message, status: status)
    }
}

extension ModuleProxyClient {
    /// The first `count` bytes of the file at `path` (empty when unreadable).
    static func fileStart(_ path: String, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        return (try? readUpTo(fd, limit: count).get()) ?? []
    }

    /// GETs `relative` under `base` (or copies it from a `file://` base) into the file at `path`,
    /// at most `limit` bytes, without holding the body in memory; returns the body's size.
    func fetch(_ base: URL, relative: String, limit: Int, toFile path: String) async throws(ModuleProxyError) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ModuleProxyError(.writeFailed, "open \(path): \(systemMessage(errno))") }
        // The sink writes only while this call owns the descriptor: a request the transport
        // gave up on can never write into a descriptor number reused after the close.
        let owner = DescriptorOwner(fd)
        defer {
            owner.release()
            close(fd)
        }
        let size: Int
        if let source = Self.filePath(base, relative) {
            size = try copyProxyFile(source, display: "file://" + source, limit: limit, to: fd, path: path)
        } else {
            let url = try Self.proxyURL(base, relative)
            let display = redact(url)
            let response: HTTPStreamedResponse
            do {
                response = try await transport.stream(url, limit: limit, redirects: .go) { chunk in
                    try owner.write(chunk)
                }
            } catch let error as SystemErrno {
                throw ModuleProxyError(.writeFailed, "write \(path): \(systemMessage(error.code))")
            } catch {
                throw Self.transportFailure(error, display: display, limit: limit)
            }
            guard response.status == 200 else { throw Self.statusFailure(status: response.status, body: response.body, display: display) }
            size = response.byteCount
        }
        guard fsync(fd) == 0 else { throw ModuleProxyError(.writeFailed, "sync \(path): \(systemMessage(errno))") }
        return size
    }
}

/// A file descriptor lent to a streaming sink until ``release()``.
final class DescriptorOwner: Sendable {
    private let fd: Mutex<Int32?>

    init(_ fd: Int32) { self.fd = Mutex(fd) }

    /// Writes all of `chunk`; after ``release()``, fails with `ECANCELED` and writes nothing.
    func write(_ chunk: UnsafeRawBufferPointer) throws(SystemErrno) {
        let failure: SystemErrno? = fd.withLock { fd in
            guard let fd else { return SystemErrno(code: ECANCELED) }
            do throws(SystemErrno) { try writeFully(fd, chunk) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Ends the loan (waits for a write in progress).
    func release() { fd.withLock { $0 = nil } }
}

/// Copies a file of a `file://` proxy to `fd` in 1 MiB pieces with a size cap; a missing file
/// is not-found.
func copyProxyFile(_ source: String, display: String, limit: Int, to fd: Int32, path: String) throws(ModuleProxyError) -> Int {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else {
        let err = errno
        throw ModuleProxyError(err == ENOENT || err == ENOTDIR ? .notFound : .transport,
                               "reading \(display): \(systemMessage(err))")
    }
    defer { close(input) }
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var total = 0
    while true {
        let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            // A directory (EISDIR) or unreadable file, as readProxyFile reports it.
            throw ModuleProxyError(.notFound, "reading \(display): \(systemMessage(errno))")
        }
        if n == 0 { return total }
        guard n <= limit - total else {
            throw ModuleProxyError(.oversizeResponse, "reading \(display): response body larger than \(limit) bytes")
        }
        total += n
        var failure: SystemErrno?
        buffer.withUnsafeBytes { raw in
            do throws(SystemErrno) { try writeFully(fd, UnsafeRawBufferPointer(rebasing: raw[0..<n])) } catch { failure = error }
        }
        if let failure { throw ModuleProxyError(.writeFailed, "write \(path): \(systemMessage(failure.code))") }
    }
}

/// Reads a whole file of a `file://` proxy with a size cap; a missing file is not-found.
func readProxyFile(_ path: String, display: String, limit: Int) throws(ModuleProxyError) -> [UInt8] {
    switch readFile(path, limit: limit) {
    case .success(let data):
        return data
    case .failure(.open):
        let exists = FileManager.default.fileExists(atPath: path)
        throw ModuleProxyError(exists ? .transport : .notFound,
                               "reading \(display): " + (exists ? "permission denied" : "no such file or directory"))
    case .failure(.tooLarge):
        throw ModuleProxyError(.oversizeResponse, "reading \(display): response body larger than \(limit) bytes")
    case .failure(.read(let error)):
        // A directory or unreadable file.
        throw ModuleProxyError(.notFound, "reading \(display): \(systemMessage(error.code))")
    }
}

/// Percent-encodes a relative URL path, keeping `/` and the characters module escaping uses.
func percentEncodePath(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"),
             UInt8(ascii: "!"), UInt8(ascii: "+"), UInt8(ascii: "@"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = Array("0123456789ABCDEF".unicodeScalars)
            out.unicodeScalars.append("%")
            out.unicodeScalars.append(hex[Int(byte >> 4)])
            out.unicodeScalars.append(hex[Int(byte & 15)])
        }
    }
    return out
}


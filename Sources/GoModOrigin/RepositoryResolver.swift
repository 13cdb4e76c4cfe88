public import GoModCore
public import GoSumDB
public import GoModFetch
import GoModPlatform

/// Module path → repository, as cmd/go resolves it for `GOPROXY=direct`
/// (`go1.19:cmd/go/internal/vcs/vcs.go` `RepoRootForImportPath`; go.dev/ref/mod#vcs-find).
///
/// 1. A path starting `http:`/`https:` fails (`"https://" not allowed in import path`).
/// 2. The static host table (`github.com/`, `bitbucket.org/`, `hub.jazz.net/git/`,
///    `git.apache.org/`, `git.openstack.org/`, `chiselapp.com/`) and the VCS qualifier rule
///    (`example.com/foo.git/bar` → repository `example.com/foo` over git, scheme probed with
///    `git ls-remote`, secure schemes only unless GOINSECURE matches).
/// 3. Otherwise `?go-get=1` discovery over https (plain http too when GOINSECURE matches the
///    path): the page's `go-import` tags ( ``MetaImport`` ), `mod` first, the matched prefix
///    re-verified on its own page when it is shorter than the path, the repository URL
///    validated, the VCS known; failures are `unrecognized import path "<p>": <reason>`.
/// 4. Launchpad's table, consulted after discovery failed.
/// 5. GOVCS (``GoVCSPolicy``) for the root.
///
/// Every page is fetched once per resolver: concurrent lookups of paths sharing a prefix share
/// one request (cmd/go's `fetchGroup`/`fetchCache`), and each path is resolved once. HTTP goes
/// only through the injected `HTTPTransport`; the scheme probe for qualified paths through the
/// injected ``Ping``.
public actor RepositoryResolver {
    /// The settings that change resolution.
    public struct Configuration: Sendable {
        /// GOINSECURE: module-path globs that may use plain http (and, in cmd/go, unverified https).
        public var goinsecure: PathPatterns
        /// GOVCS with GOPRIVATE.
        public var govcs: GoVCSPolicy
        /// `GIT_ALLOW_PROTOCOL` (colon list), which replaces git's secure schemes when set.
        public var gitAllowProtocol: String?
        /// `mod` preference (module mode: ``MetaImport/ModuleMode/preferMod``).
        public var mode: MetaImport.ModuleMode

        /// A configuration.
        public init(goinsecure: PathPatterns = PathPatterns(""), govcs: GoVCSPolicy,
                    gitAllowProtocol: String? = nil, mode: MetaImport.ModuleMode = .preferMod) {
            self.goinsecure = goinsecure
            self.govcs = govcs
            self.gitAllowProtocol = gitAllowProtocol
            self.mode = mode
        }

        /// GOINSECURE, GOVCS and GOPRIVATE from Go's environment, `GIT_ALLOW_PROTOCOL` from the
        /// process environment.
        ///
        /// - Throws: `OriginError.Code.govcsSyntax`.
        public init(environment: GoEnvironment) throws(OriginError) {
            self.goinsecure = PathPatterns(environment.goinsecure)
            self.govcs = try GoVCSPolicy(govcs: environment.govcs, goprivate: PathPatterns(environment.goprivate))
            let allow = environment.processEnvironment["GIT_ALLOW_PROTOCOL"]
            self.gitAllowProtocol = allow
            self.mode = .preferMod
        }
    }

    /// Probes `url` with `vcs` (cmd/go's `Cmd.Ping`: `git ls-remote <url>`); true when it answers.
    public typealias Ping = @Sendable (_ vcs: String, _ url: String) async -> Bool

    /// The largest discovery page read: 4 MiB (the tags sit in `<head>`).
    public static let maxPageSize = 4 << 20

    private let configuration: Configuration
    private let transport: any HTTPTransport
    private let ping: Ping
    private var pages: [String: Task<Page, Never>] = [:]
    private var results: [String: Task<Result<RepoRoot, OriginError>, Never>] = [:]
    /// The HTTP requests made so far (discovery pages, their plain-http retries under
    /// GOINSECURE, Launchpad probes), for cost reports.
    public private(set) var requestCount = 0
    /// The distinct discovery pages fetched so far (each at most once per resolver).
    public var pageCount: Int { pages.count }

    /// A resolver.
    public init(configuration: Configuration, transport: any HTTPTransport, ping: @escaping Ping) {
        self.configuration = configuration
        self.transport = transport
        self.ping = ping
    }

    /// cmd/go's `RepoRootForImportPath(path, PreferMod, security)`.
    ///
    /// - Throws: ``OriginError`` with cmd/go's message.
    public func resolve(_ importPath: String) async throws(OriginError) -> RepoRoot {
        let task: Task<Result<RepoRoot, OriginError>, Never>
        if let existing = results[importPath] {
            task = existing
        } else {
            task = Task { await self.resolveUncached(importPath) }
            results[importPath] = task
        }
        return try await task.value.get()
    }

    private func resolveUncached(_ importPath: String) async -> Result<RepoRoot, OriginError> {
        if importPath.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) || importPath.isEmpty {
            return .failure(OriginError(.invalidImportPath, subject: importPath,
                                        message: "malformed import path \(goQuote(importPath.utf8))"))
        }
        let insecure = configuration.goinsecure.matches(ByteString(importPath))
        var outcome: Result<RepoRoot, OriginError>
        switch await fromTable(importPath, StaticHost.table, insecure: insecure) {
        case .some(let result): outcome = result
        case .none:
            do throws(OriginError) {
                outcome = .success(try await dynamic(importPath, insecure: insecure))
            } catch {
                outcome = .failure(OriginError(error.code, subject: importPath,
                                               message: "unrecognized import path \(goQuote(importPath.utf8)): \(error.message)"))
            }
        }
        if case .failure = outcome, case .some(.success(let root)) = await fromTable(importPath, StaticHost.afterDynamic, insecure: insecure) {
            outcome = .success(root)
        }
        if case .success(let root) = outcome, importPath.contains("..."), root.root.contains("...") {
            return .failure(OriginError(.invalidImportPath, subject: importPath,
                                        message: "cannot expand ... in \(goQuote(importPath.utf8))"))
        }
        return outcome
    }

    // MARK: - Static table

    /// cmd/go's `repoRootFromVCSPaths`: `nil` for "unknown site" (dynamic lookup required).
    private func fromTable(_ importPath: String, _ table: [StaticHost], insecure: Bool) async -> Result<RepoRoot, OriginError>? {
        for prefix in ["http:", "https:"] where importPath.hasPrefix(prefix) {
            return .failure(OriginError(.invalidImportPath, subject: importPath,
                                        message: "\(goQuote((prefix + "//").utf8)) not allowed in import path"))
        }
        for host in table {
            guard importPath.utf8.starts(with: host.prefix.utf8) else { continue }
            guard var match = host.match(importPath) else {
                if !host.prefix.isEmpty {
                    return .failure(OriginError(.invalidImportPath, subject: importPath,
                                                message: "invalid \(host.prefix) import path \(goQuote(importPath.utf8))"))
                }
                continue
            }
            if !host.vcs.isEmpty { match["vcs"] = expandTemplate(match, host.vcs) }
            if !host.repo.isEmpty { match["repo"] = expandTemplate(match, host.repo) }
            if host.noVCSSuffix, let repo = match["repo"], VCSKind.all.contains(where: { repo.hasSuffix("." + $0.name) }) {
                return .failure(OriginError(.invalidImportPath, subject: importPath,
                                            message: "invalid version control suffix in \(host.prefix) path"))
            }
            if host.launchpad, let project = match["project"], let series = match["series"], !project.isEmpty, !series.isEmpty {
                let probe = "https://code.launchpad.net/\(project)\(series)/.bzr/branch-format"
                let probeStatus = (try? await get(probe, limit: 1 << 16))?.status
                if probeStatus != 200 {
                    match["root"] = expandTemplate(match, "launchpad.net/{project}")
                    match["repo"] = expandTemplate(match, "https://{root}")
                }
            }
            let vcsName = match["vcs"] ?? ""
            guard let vcs = VCSKind.named(vcsName) else {
                return .failure(OriginError(.unknownVCS, subject: importPath,
                                            message: "unknown version control system \(goQuote(vcsName.utf8))"))
            }
            let root = match["root"] ?? ""
            do throws(OriginError) { try configuration.govcs.check(vcs: vcs.name, root: root) } catch {
                return .failure(error)
            }
            var repoURL = match["repo"] ?? ""
            if host.repo.isEmpty {
                // Schemeless: probe the schemes in order (Go ≥ 1.20 fails when none answers).
                var found: String? = nil
                for scheme in vcs.schemes {
                    if !insecure && !vcs.isSecureScheme(scheme, gitAllowProtocol: configuration.gitAllowProtocol) { continue }
                    if await ping(vcs.name, "\(scheme)://\(repoURL)") {
                        found = "\(scheme)://\(repoURL)"
                        break
                    }
                }
                guard let found else {
                    return .failure(OriginError(.noSecureProtocol, subject: importPath,
                                                message: "no secure protocol found for repository"))
                }
                repoURL = found
            }
            return .success(RepoRoot(repoURL: repoURL, root: root, vcs: vcs.name))
        }
        return nil
    }

    // MARK: - Discovery

    /// One fetched discovery page.
    private struct Page: Sendable {
        /// The URL fetched (the https one, or the http one after an insecure fallback).
        var url: String
        /// The transport failure, as cmd/go prints it after `https fetch: ` (or `fetching <p>: `).
        var fetchError: String?
        var status: Int = 0
        var imports: [MetaImport] = []
        var parseError: String?
    }

    /// cmd/go's `urlForImportPath`: `https://<host><path>?go-get=1`.
    private static func discoveryURL(_ importPath: String, scheme: String) throws(OriginError) -> String {
        let bytes = Array(importPath.utf8)
        let slash = bytes.firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
        let host = Array(bytes[..<slash])
        var path = Array(bytes[slash...])
        guard host.contains(UInt8(ascii: ".")) else {
            throw OriginError(.invalidImportPath, subject: importPath, message: "import path does not begin with hostname")
        }
        if path.isEmpty { path = [UInt8(ascii: "/")] }
        return "\(scheme)://\(percentEncoded(host, isHost: true))\(percentEncoded(path, isHost: false))?go-get=1"
    }

    /// Go's `url.URL.String` escaping for a host or path (unreserved and sub-delimiters kept).
    private static func percentEncoded(_ bytes: [UInt8], isHost: Bool) -> String {
        var out = ""
        for b in bytes {
            let keep = (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
                || Array("-._~!$&'()*+,;=:@".utf8).contains(b) || (!isHost && b == UInt8(ascii: "/"))
                || (isHost && (b == UInt8(ascii: "[") || b == UInt8(ascii: "]")))
            if keep { out.unicodeScalars.append(Unicode.Scalar(b)) } else {
                out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// The discovery page for `path`, fetched at most once per resolver (cmd/go's
    /// `metaImportsForPrefix` cache, used here for the path's own page too: it is the same URL).
    private func page(_ path: String, insecure: Bool) async throws(OriginError) -> Page {
        let https = try Self.discoveryURL(path, scheme: "https")
        let key = (insecure ? "insecure " : "secure ") + path
        if let existing = pages[key] { return await existing.value }
        let mode = configuration.mode
        let task = Task { await self.fetchPage(https: https, path: path, insecure: insecure, mode: mode) }
        pages[key] = task
        return await task.value
    }

    private func fetchPage(https: String, path: String, insecure: Bool, mode: MetaImport.ModuleMode) async -> Page {
        var url = https
        var response: HTTPResponse
        do {
            response = try await get(https, limit: Self.maxPageSize)
        } catch {
            guard insecure, let http = try? Self.discoveryURL(path, scheme: "http") else {
                return Page(url: https, fetchError: Self.describe(error, url: https))
            }
            url = http
            do {
                response = try await get(http, limit: Self.maxPageSize)
            } catch {
                return Page(url: http, fetchError: Self.describe(error, url: http))
            }
        }
        var page = Page(url: url, status: response.status)
        do throws(OriginError) {
            page.imports = try MetaImport.parse(html: response.body, mode: mode)
        } catch {
            page.parseError = error.message
        }
        return page
    }

    private func get(_ url: String, limit: Int) async throws -> HTTPResponse {
        guard let parsed = URL(string: url) else {
            throw HTTPTransportError(.failed, url: url, detail: "invalid URL")
        }
        requestCount += 1
        return try await transport.get(parsed, limit: limit, redirects: .go)
    }

    /// A transport error as Go's `*url.Error` prints it: `Get "<url>": <reason>`.
    private static func describe(_ error: any Error, url: String) -> String {
        if let transportError = error as? HTTPTransportError {
            switch transportError.code {
            case .tooManyRedirects: return "Get \(goQuote(url.utf8)): stopped after 10 redirects"
            case .insecureRedirect:
                return "Get \(goQuote(transportError.detail.utf8)): redirected from secure URL \(url) to insecure URL \(transportError.detail)"
            default:
                return "Get \(goQuote(url.utf8)): \(transportError.detail.isEmpty ? transportError.code.rawValue : transportError.detail)"
            }
        }
        return "Get \(goQuote(url.utf8)): \(error)"
    }

    /// cmd/go's `web.Response.Err` for a non-200 status: `reading <url>: <code> <text>`.
    private static func statusError(_ page: Page) -> String? {
        guard page.status != 200 else { return nil }
        return "reading \(page.url): \(httpStatusLine(page.status))"
    }

    /// cmd/go's `repoRootForImportDynamic`.
    private func dynamic(_ importPath: String, insecure: Bool) async throws(OriginError) -> RepoRoot {
        let first = try await page(importPath, insecure: insecure)
        var urls = [first.url]
        if let fetchError = first.fetchError {
            throw OriginError(.discoveryFailed, subject: importPath,
                              message: (insecure ? "http/https fetch: " : "https fetch: ") + fetchError)
        }
        if first.imports.isEmpty, let statusError = Self.statusError(first) {
            throw OriginError(.discoveryFailed, subject: importPath, message: statusError)
        }
        if let parseError = first.parseError {
            throw OriginError(.discoveryFailed, subject: importPath, message: "parsing \(importPath): \(parseError)")
        }
        let mmi: MetaImport
        do throws(OriginError) {
            mmi = try MetaImport.match(first.imports, importPath: importPath)
        } catch {
            if error.code == .noMatchingMetaTag {
                throw OriginError(.noMatchingMetaTag, subject: importPath,
                                  message: "parse \(first.url): no go-import meta tags (\(error.message))")
            }
            throw OriginError(error.code, subject: importPath, message: "parse \(first.url): \(error.message)")
        }
        if Array(mmi.prefix.utf8) != Array(importPath.utf8) {
            // Re-verify a non-authoritative tag on the prefix's own page.
            let second = try await page(mmi.prefix, insecure: insecure)
            urls.append(second.url)
            if let fetchError = second.fetchError {
                throw OriginError(.discoveryFailed, subject: mmi.prefix, message: "fetching \(mmi.prefix): \(fetchError)")
            }
            if second.imports.isEmpty, let statusError = Self.statusError(second) {
                throw OriginError(.discoveryFailed, subject: mmi.prefix, message: statusError)
            }
            if let parseError = second.parseError {
                throw OriginError(.discoveryFailed, subject: mmi.prefix, message: "parsing \(second.url): \(parseError)")
            }
            if second.imports.isEmpty {
                throw OriginError(.noMatchingMetaTag, subject: mmi.prefix,
                                  message: "fetching \(mmi.prefix): no go-import meta tag found in \(second.url)")
            }
            let again = try? MetaImport.match(second.imports, importPath: importPath)
            if again != mmi {
                throw OriginError(.metaTagDisagreement, subject: mmi.prefix,
                                  message: "\(first.url) and \(second.url) disagree about go-import for \(mmi.prefix)")
            }
        }
        do throws(URLScheme.ParseError) { try validateRepoRoot(mmi.repoRoot) } catch {
            throw OriginError(.invalidRepoRoot, subject: mmi.repoRoot,
                              message: "\(first.url): invalid repo root \(goQuote(mmi.repoRoot.utf8)): \(error.message)")
        }
        let vcsName: String
        if mmi.vcs == "mod" {
            vcsName = "mod"
        } else {
            guard let vcs = VCSKind.named(mmi.vcs) else {
                throw OriginError(.unknownVCS, subject: mmi.vcs, message: "\(first.url): unknown vcs \(goQuote(mmi.vcs.utf8))")
            }
            vcsName = vcs.name
            if !insecure && !vcs.isSecure(url: mmi.repoRoot, gitAllowProtocol: configuration.gitAllowProtocol) {
                throw OriginError(.insecureRepoRoot, subject: mmi.repoRoot,
                                  message: "\(first.url): repo root \(goQuote(mmi.repoRoot.utf8)) uses an insecure protocol (GOINSECURE does not match \(importPath))")
            }
        }
        if vcsName == "mod", !insecure, (try? URLScheme.parse(mmi.repoRoot)) != "https" {
            throw OriginError(.insecureRepoRoot, subject: mmi.repoRoot,
                              message: "\(first.url): repo root \(goQuote(mmi.repoRoot.utf8)) uses an insecure protocol (GOINSECURE does not match \(importPath))")
        }
        try configuration.govcs.check(vcs: vcsName, root: mmi.prefix)
        return RepoRoot(repoURL: mmi.repoRoot, root: mmi.prefix, vcs: vcsName, subdirectory: mmi.subdirectory,
                        isCustom: true, discoveryURLs: urls)
    }
}

/// Go's `http.Response.Status` for a code: `404 Not Found`.
func httpStatusLine(_ status: Int) -> String {
    let texts: [Int: String] = [
        200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
        307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized",
        403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 410: "Gone", 418: "I'm a teapot",
        429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout",
    ]
    return texts[status].map { "\(status) \($0)" } ?? "\(status) status code \(status)"
}

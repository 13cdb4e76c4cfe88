import GoModPlatform
import GoModKit

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

    /// The proxy list; with `direct`, the list's `direct` entry and GONOPROXY paths fetch from
    /// version control (``DirectModuleFetcher``, VCS cache under GOMODCACHE) instead of failing.
    func proxy(timeout: Double, direct: Bool = false) throws(CLIFailure) -> ModuleProxyClient {
        let configuration: ModuleProxyConfiguration
        do { configuration = try proxyConfiguration() } catch { throw .input("go: \(error)") }
        var source: (any DirectModuleSource)?
        if direct, configuration.entries.contains(where: { $0.kind == .direct || $0.kind == .noproxy }) {
            source = DirectModuleFetcher(resolver: try repositoryResolver(timeout: timeout), lister: GitRefLister(),
                                         rebuilder: UpstreamRebuilder(modcache: gomodcache))
        }
        return ModuleProxyClient(configuration: configuration, transport: DefaultHTTPTransport(timeout: timeout),
                                 direct: source)
    }

    /// The proxy list over `transport`, without `direct` fetching.
    func proxy(transport: any HTTPTransport) throws(CLIFailure) -> ModuleProxyClient {
        do { return ModuleProxyClient(configuration: try proxyConfiguration(), transport: transport) } catch {
            throw .input("go: \(error)")
        }
    }

    /// cmd/go's repository resolution settings of this environment (GOINSECURE, GOVCS, GOPRIVATE).
    func repositoryResolverConfiguration() throws(CLIFailure) -> RepositoryResolver.Configuration {
        do { return try RepositoryResolver.Configuration(environment: self) } catch {
            throw CLIFailure.input("go: \(error.message)")
        }
    }

    /// cmd/go's repository resolution over this environment, probing schemes with
    /// `git ls-remote`.
    func repositoryResolver(timeout: Double) throws(CLIFailure) -> RepositoryResolver {
        RepositoryResolver(configuration: try repositoryResolverConfiguration(), transport: DefaultHTTPTransport(timeout: timeout),
                           ping: { vcs, url in
                               guard vcs == "git" else { return false }
                               return await GitRefLister.isReachable(url: url)
                           })
    }

    /// The checksum database GOSUMDB names (`nil` with GOSUMDB=off) over the default transport.
    func checksumDatabase(offline: Bool, timeout: Double) throws(CLIFailure) -> ChecksumDatabase? {
        try checksumDatabase(offline: offline, transport: DefaultHTTPTransport(timeout: timeout))
    }

    /// The checksum database GOSUMDB names (`nil` with GOSUMDB=off): with `offline`, its cache
    /// only; else asked over `transport`. `adjust` sets the rest of its configuration.
    func checksumDatabase(offline: Bool = false, transport: @autoclosure () -> any HTTPTransport,
                          adjust: (inout ChecksumDatabaseConfiguration) -> Void = { _ in }) throws(CLIFailure) -> ChecksumDatabase? {
        let parsed: ChecksumDatabaseConfiguration?
        do { parsed = try checksumDatabaseConfiguration() } catch { throw .input("go: \(error)") }
        guard var config = parsed else { return nil }
        config.offline = offline
        adjust(&config)
        return ChecksumDatabase(configuration: config, store: try store(), transport: offline ? nil : transport())
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

public import GoModCore
public import GoModFetch

/// The cheap origin check for many modules at once: each version's `.info` from the proxy, its
/// repository from the ``RepositoryResolver``, one `git ls-remote` per repository from the
/// ``GitRefLister``, and an ``OriginVerdict`` per version (Docs/origin.md).
///
/// Cost: one `.info` request per version, one discovery page per custom-domain path prefix (none
/// for the static hosts such as github.com), and one ref listing per repository however many of
/// its modules and versions are checked. Nothing is cloned.
public struct OriginChecker: Sendable {
    /// The outcome for one module version.
    public struct Result: Sendable, Hashable, Codable {
        /// `path@version`.
        public var module: ModuleVersion
        /// The verdict.
        public var verdict: OriginVerdict
        /// The resolved repository (nil when resolution failed).
        public var repository: RepoRoot?
        /// The module's directory in the repository (nil when unresolved).
        public var codeDir: String?
        /// The proxy's Origin (nil when absent or the `.info` could not be read).
        public var origin: ModuleOrigin?

        /// A result (callers that did the cheap check themselves, such as the ecosystem scan,
        /// build one to hand to ``OriginChecker/rebuild(_:tier:)``).
        public init(module: ModuleVersion, verdict: OriginVerdict, repository: RepoRoot? = nil, codeDir: String? = nil,
                    origin: ModuleOrigin? = nil) {
            self.module = module
            self.verdict = verdict
            self.repository = repository
            self.codeDir = codeDir
            self.origin = origin
        }
    }

    /// Reads a version's `.info` answer.
    public typealias InfoSource = @Sendable (ModuleVersion) async throws -> ModuleInfo

    private let info: InfoSource
    private let resolver: RepositoryResolver
    private let lister: GitRefLister
    private let parallelism: Int

    /// A checker reading `.info` through `info` (normally `ModuleProxyClient.info(_:)`).
    public init(info: @escaping InfoSource, resolver: RepositoryResolver, lister: GitRefLister, parallelism: Int = 8) {
        self.info = info
        self.resolver = resolver
        self.lister = lister
        self.parallelism = max(1, parallelism)
    }

    /// Checks every module, at most `parallelism` at a time; results in input order.
    public func check(_ modules: [ModuleVersion]) async -> [Result] {
        var results = [Result?](repeating: nil, count: modules.count)
        await withTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            func add() {
                guard next < modules.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await self.check(modules[index])) }
            }
            for _ in 0..<min(parallelism, modules.count) { add() }
            while let (index, result) = await group.next() {
                results[index] = result
                add()
            }
        }
        return results.compactMap { $0 }
    }

    /// Checks one module version.
    public func check(_ module: ModuleVersion) async -> Result {
        let path = module.path.utf8String ?? module.path.description
        var result = Result(module: module, verdict: OriginVerdict(kind: .couldNotVerify, message: ""))
        let answer: ModuleInfo
        do {
            answer = try await info(module)
        } catch {
            result.verdict.message = "\(module): \(error)"
            return result
        }
        if let json = answer.origin {
            do throws(OriginError) { result.origin = try ModuleOrigin(json: json) } catch {
                result.verdict.message = "\(module): \(error.message)"
                return result
            }
        }
        let root: RepoRoot
        do throws(OriginError) {
            root = try await resolver.resolve(path)
        } catch {
            result.verdict.message = error.message
            return result
        }
        result.repository = root
        let location: ModuleLocation
        do throws(OriginError) { location = try ModuleLocation(modulePath: path, root: root) } catch {
            result.verdict.message = error.message
            return result
        }
        result.codeDir = location.codeDir
        var listing: RefListing? = nil
        let needsListing = root.vcs == "git" && (result.origin?.isCheckable ?? false)
        if needsListing {
            do throws(OriginError) { listing = try await lister.list(root.repoURL) } catch {
                result.verdict = OriginVerdict(kind: .couldNotVerify, message: error.message, repoURL: root.repoURL)
                return result
            }
        }
        result.verdict = OriginVerdict.evaluate(origin: result.origin, version: module.version, root: root,
                                                location: location, listing: listing)
        return result
    }
}

public import GoModCore
import GoModVCS
import GoModZip
import Crypto

/// A repository's refs as `git ls-remote` lists them, reduced as cmd/go's `gitRepo.loadRefs`
/// does (`git.go@7926af0`; golang/go `src/cmd/go/internal/modfetch/codehost/git.go`): `HEAD`,
/// `refs/heads/*` and `refs/tags/*` only, each annotated tag replaced by the commit it peels to
/// (`X^{}` overwrites `X`). One listing answers every version of every module in the repository.
public struct RefListing: Sendable, Hashable {
    /// Ref name (`refs/tags/v1.2.3`, `refs/heads/main`, `HEAD`) → commit hash, as git printed it.
    public var refs: [ByteString: String]

    /// A listing.
    public init(refs: [ByteString: String]) { self.refs = refs }

    /// Parses `git ls-remote` output: lines of exactly two white-space separated fields are
    /// kept when the ref is `HEAD`, `refs/heads/…` or `refs/tags/…`; then each `X^{}` entry
    /// overwrites `X` and is removed. Other lines are ignored, as cmd/go ignores them.
    public init(lsRemoteOutput output: [UInt8]) {
        var refs: [ByteString: String] = [:]
        for line in output.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let fields = line.split(whereSeparator: { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) })
            guard fields.count == 2 else { continue }
            let name = ByteString(Array(fields[1]))
            guard name == "HEAD" || name.hasPrefix("refs/heads/") || name.hasPrefix("refs/tags/") else { continue }
            refs[name] = String(decoding: fields[0], as: UTF8.self)
        }
        let peeledSuffix = Array("^{}".utf8)
        for (name, hash) in refs where name.bytes.count >= 3 && Array(name.bytes.suffix(3)) == peeledSuffix {
            refs[ByteString(Array(name.bytes.dropLast(3)))] = hash
            refs[name] = nil
        }
        self.refs = refs
    }

    /// cmd/go's `isOriginTag`: `v` is canonical semver up to build metadata and not a
    /// pseudo-version.
    public static func isOriginTag(_ v: ByteString) -> Bool {
        let c = Semver.canonical(v)
        return !c.isEmpty && v.hasPrefix(c) && !Module.isPseudoVersion(v)
    }

    /// cmd/go's `TagSum` for `prefix` (the `Origin.TagSum` a version listing records):
    /// SHA-256 over `%q %s\n` (tag name without `refs/tags/`, commit) for the tags starting
    /// with `prefix`, in byte order, whose name after the prefix's directory is an origin tag
    /// (``isOriginTag(_:)``); `t1:` + base64.
    public func tagSum(prefix: ByteString) -> String {
        let tagsPrefix: ByteString = "refs/tags/"
        var tags: [(ByteString, String)] = []
        for (name, hash) in refs {
            guard let tag = name.dropping(prefix: tagsPrefix), tag.hasPrefix(prefix) else { continue }
            tags.append((tag, hash))
        }
        tags.sort { $0.0 < $1.0 }
        let dirEnd = (prefix.bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        let dir = ByteString(Array(prefix.bytes[0..<dirEnd]))
        var hasher = SHA256()
        for (tag, hash) in tags where Self.isOriginTag(tag.dropping(prefix: dir) ?? tag) {
            hasher.update(data: Array("\(goQuote(tag.bytes)) \(hash)\n".utf8))
        }
        return "t1:" + Base64.encodeString(Array(hasher.finalize()))
    }

    /// cmd/go's `repoSum`: SHA-256 over `%q %s\n` for every listed ref in byte order; `r1:` +
    /// base64.
    public var repoSum: String {
        var hasher = SHA256()
        for name in refs.keys.sorted() {
            hasher.update(data: Array("\(goQuote(name.bytes)) \(refs[name] ?? "")\n".utf8))
        }
        return "r1:" + Base64.encodeString(Array(hasher.finalize()))
    }

    /// The refs whose commit is `hash`, in byte order.
    public func refs(pointingAt hash: String) -> [ByteString] {
        refs.filter { $0.value == hash }.map(\.key).sorted()
    }
}

/// Lists refs with the system `git`: `git ls-remote -q <url>` with cmd/go's environment for git
/// children (`GIT_TERMINAL_PROMPT=0`, `GCM_INTERACTIVE=never`, `GIT_SSH_COMMAND` in batch mode
/// unless `GIT_SSH`/`GIT_SSH_COMMAND` is set; `go1.19:cmd/go/internal/modload/init.go`) and the
/// caller's git configuration (so `url.<base>.insteadOf` mirrors apply). Each URL is listed once
/// per lister; concurrent requests for one URL share the run.
public actor GitRefLister {
    /// The largest listing read: 64 MiB.
    public static let maxListing = 64 << 20

    private let git: String
    /// The git executable this lister runs.
    public nonisolated var gitExecutable: String { git }
    private var listings: [String: Task<Result<RefListing, OriginError>, Never>] = [:]
    /// The `git ls-remote` runs started so far (one per repository).
    public private(set) var runCount = 0

    /// A lister running `git` (a path, or a name looked up in `PATH`).
    public init(git: String = "git") { self.git = git }

    /// The refs of the repository at `url`.
    ///
    /// - Throws: `OriginError.Code.listingFailed` with git's message (cmd/go adds a hint about
    ///   private repositories when git could not read a user name).
    public func list(_ url: String) async throws(OriginError) -> RefListing {
        if let existing = listings[url] { return try await existing.value.get() }
        runCount += 1
        let git = self.git
        // Shared by every caller that asks for this URL: never cancelled by one of them.
        let task = Task.detached { await Self.runOffPool(git: git, url: url) }
        listings[url] = task
        return try await task.value.get()
    }

    /// Whether `git ls-remote -q <url>` succeeds (cmd/go's `Cmd.Ping` for git). Blocks the
    /// calling thread while git runs; from async code use ``isReachable(git:url:)``.
    public static func ping(git: String = "git", url: String) -> Bool {
        if case .success = run(git: git, url: url) { return true }
        return false
    }

    /// ``ping(git:url:)`` for async code (a ``RepositoryResolver/Ping``): the wait for git holds
    /// none of the cooperative pool's threads, and cancelling the task kills git (and answers
    /// false).
    public static func isReachable(git: String = "git", url: String) async -> Bool {
        if case .success = await runOffPool(git: git, url: url) { return true }
        return false
    }

    /// ``run(git:url:cancel:)`` off the cooperative thread pool (GoModCore's `OffPool`): the
    /// wait for git holds none of the pool's threads, and cancelling the awaiting task kills git.
    package static func runOffPool(git: String, url: String) async -> Result<RefListing, OriginError> {
        await OffPool.run(cancellable: { flag in run(git: git, url: url, cancel: flag) })
    }

    /// One `git ls-remote -q <url>` run, not cached (the ecosystem scan lists each repository
    /// once per pass and keeps no listing in memory after it). A raised `cancel` kills git.
    package static func run(git: String, url: String, cancel: CancelFlag? = nil) -> Result<RefListing, OriginError> {
        if url.hasPrefix("-") {
            return .failure(OriginError(.listingFailed, subject: url, message: "git ls-remote \(url): URL begins with '-'"))
        }
        do throws(ModuleZipError) {
            let result = try GitCommand(executable: git).run(["ls-remote", "-q", "--", url], limit: maxListing, cancel: cancel)
            if result.cancelled {
                return .failure(OriginError(.listingFailed, subject: url, message: "git ls-remote -q \(url): cancelled"))
            }
            if result.exceeded {
                return .failure(OriginError(.invalidRefListing, subject: url,
                                            message: "git ls-remote -q \(url): listing larger than \(maxListing) bytes"))
            }
            if result.status != 0 {
                var message = "git ls-remote -q \(url): exit status \(result.status)"
                let stderr = result.stderrText
                if !stderr.isEmpty { message += "\n" + stderr }
                if stderr.contains("fatal: could not read Username") {
                    message += "\nIf this is a private repository, see https://golang.org/doc/faq#git_https for additional information."
                }
                return .failure(OriginError(.listingFailed, subject: url, message: message))
            }
            return .success(RefListing(lsRemoteOutput: result.stdout))
        } catch {
            return .failure(OriginError(.listingFailed, subject: url, message: error.description))
        }
    }
}

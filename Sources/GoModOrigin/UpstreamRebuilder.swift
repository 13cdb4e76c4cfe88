public import GoModCore
public import GoModZip
public import GoModVCS
import GoModFetch
import Crypto
import GoModPlatform

/// Rebuilds a module zip from its upstream repository as cmd/go does with `GOPROXY=direct`:
/// a bare repository in cmd/go's VCS cache (`$GOMODCACHE/cache/vcs/<sha256 of "git3:"+URL>`,
/// with the `<dir>.info` key file; `go1.19:cmd/go/internal/modfetch/codehost/codehost.go`
/// `WorkDir`), a shallow fetch of the one ref or commit needed (`git -c protocol.version=2 fetch
/// -f --depth=1 origin <ref>:<ref>`; the heads and tags in full for a pseudo-version, whose base
/// tag must be an ancestor), then `ModuleZip.createFromGit` (cmd/go's archive recipe with
/// `export-ignore`/`export-subst` off). Each git command holds cmd/go's lock on the work
/// directory (`<dir>.lock`); setting a work directory up is serialised within the rebuilder.
///
/// Every git process is waited for off Swift's cooperative thread pool (`OffPool`), so
/// rebuilds in flight never hold the pool's threads; cancelling the awaiting task kills the git
/// process (and its helpers) within 100 ms. A git failure that is a transport failure (the
/// repository could not be reached, the transfer was cut or cancelled) is reported as
/// `OriginError.Code.unreachable`; any other as `OriginError.Code.listingFailed`
/// (``gitFailureCode(_:)``).
public actor UpstreamRebuilder {
    private let vcsCache: String
    private let modcache: String
    private let git: String
    /// The most bytes one work directory may hold (`nil`: no limit).
    public nonisolated let diskLimit: Int64?
    /// Work directories being set up, with the tasks waiting for them.
    private var settingUp: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// A rebuilder keeping its bare repositories under `<modcache>/cache/vcs`.
    ///
    /// - Parameters:
    ///   - modcache: the module cache root (`GOMODCACHE`); repositories go to its `cache/vcs`.
    ///   - git: the git executable (a path, or a name looked up in `PATH`).
    ///   - diskLimit: the most bytes a repository's work directory may hold, measured
    ///     after each fetch (`treeSizeNoFollow`: the sizes of its files, no symbolic link
    ///     followed, the sum overflow-checked); past it the fetch fails with
    ///     `OriginError.Code.diskLimit` naming the repository and the limit.
    public init(modcache: String, git: String = "git", diskLimit: Int64? = nil) {
        self.vcsCache = modcache + "/cache/vcs"
        self.modcache = modcache
        self.git = git
        self.diskLimit = diskLimit.map { max(0, $0) }
    }

    /// The code for a failed git command, from git's standard error (git has no other channel
    /// for the kind of failure; the messages are English: `GitCommand` runs git with
    /// `LC_ALL=C`): `OriginError.Code.unreachable` for a transport failure — a connection
    /// refused, reset or timed out, a host name that did not resolve, an HTTP 5xx or 429
    /// answer, a transfer cut short (`RPC failed`, `early EOF`, `the remote end hung up
    /// unexpectedly`) — and `OriginError.Code.listingFailed` for anything else, in particular
    /// the definitive answers: a ref the server does not have (`couldn't find remote ref`), a
    /// commit it will not serve (`not our ref`, `unadvertised object`), a repository that does
    /// not exist (`not found`, `not exported`, HTTP 404) or that needs credentials.
    public static func gitFailureCode(_ stderr: String) -> OriginError.Code {
        let text = stderr.lowercased()
        let definitive = [
            "couldn't find remote ref", "not our ref", "unadvertised object", "not found", "not exported",
            "does not appear to be a git repository", "does not exist", "could not read username", "authentication failed",
            "terminal prompts disabled", "returned error: 401", "returned error: 403", "returned error: 404", "returned error: 410",
        ]
        if definitive.contains(where: { text.contains($0) }) { return .listingFailed }
        let transport = [
            "unable to access", "unable to connect", "could not resolve host", "could not resolve hostname",
            "connection refused", "connection reset", "connection timed out", "operation timed out", "timeout was reached",
            "network is unreachable", "no route to host", "rpc failed", "early eof", "the remote end hung up unexpectedly",
            "unexpected disconnect", "returned error: 5", "returned error: 429", "returned error: 408", "http/2 stream",
            "ssl_error", "gnutls", "transfer closed", "empty reply from server", "recv failure", "send failure",
        ]
        if transport.contains(where: { text.contains($0) }) { return .unreachable }
        return .listingFailed
    }

    /// cmd/go's work-directory name for a git remote: hex SHA-256 of `git3:<url>`.
    public static func workDirectoryName(url: String) -> String {
        SHA256.hash(data: Array("git3:\(url)".utf8)).map { b in
            (b < 16 ? "0" : "") + String(b, radix: 16)
        }.joined()
    }

    /// The bare repository for `url`, created (`git init --bare`, `git remote add origin -- <url>`)
    /// when missing; an existing `<dir>.info` with another key is an error, as in cmd/go.
    public func workDirectory(url: String) async throws(OriginError) -> String {
        let dir = vcsCache + "/" + Self.workDirectoryName(url: url)
        // One set-up of a directory at a time (the actor is reentrant across the git runs).
        while settingUp[dir] != nil { await withCheckedContinuation { settingUp[dir, default: []].append($0) } }
        settingUp[dir] = []
        defer { for waiter in settingUp.removeValue(forKey: dir) ?? [] { waiter.resume() } }
        let key = "git3:\(url)"
        let fm = FileManager.default
        let isDirectory = (try? fm.attributesOfItem(atPath: dir))?[.type] as? FileAttributeType == .typeDirectory
        if let data = fm.contents(atPath: dir + ".info"), isDirectory {
            var have = String(decoding: data, as: UTF8.self)
            if have.hasSuffix("\n") { have.removeLast() }
            guard have == key else {
                throw OriginError(.listingFailed, subject: url,
                                  message: "\(dir).info exists with wrong content (have \(goQuote(have.utf8)) want \(goQuote(key.utf8)))")
            }
            if fm.fileExists(atPath: dir + "/objects") { return dir }
        }
        // The key file is written last: a process killed while the directory is being set up
        // leaves no key, and the next one starts the directory over (instead of fetching into a
        // repository without its remote). Below the module cache, no directory may be a symbolic
        // link (`ConfinedDirectory`): the old tree is removed and the new one made without
        // following one.
        do {
            try? removeTreeNoFollow(dir + ".info", below: modcache)
            try? removeTreeNoFollow(dir, below: modcache)
            try ConfinedDirectory.make(dir, below: modcache)
        } catch {
            throw OriginError(.listingFailed, subject: url, message: "creating \(dir): \(error)")
        }
        try await run(["init", "--bare", "-q"], in: dir, url: url)
        try await run(["remote", "add", "origin", "--", url], in: dir, url: url)
        do {
            try AtomicFile.write(Array(key.utf8), to: dir + ".info", below: modcache)
        } catch {
            throw OriginError(.listingFailed, subject: url, message: "creating \(dir).info: \(error)")
        }
        return dir
    }

    /// Fetches what `version` needs from `url` and builds its module zip.
    ///
    /// - Parameters:
    ///   - module: the module version to build.
    ///   - root: its repository (cmd/go's `RepoRoot`).
    ///   - location: where the module lives in the repository and which tag names the version.
    ///   - commit: the commit to archive (`Origin.Hash`); `nil` archives the version's tag as
    ///     it is now (or the pseudo-version's commit).
    ///   - output: where the zip goes besides its hash (GoModZip's `ModuleZip.Output`).
    /// - Throws: `OriginError.Code.listingFailed` when git fails; the zip rules' errors as
    ///   `OriginError.Code.listingFailed` with their message.
    public func rebuild(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation, commit: String? = nil,
                        output: ModuleZip.Output = .none) async throws(OriginError) -> ModuleZip.GitCreated {
        let dir = try await prepare(module, root: root, location: location, commits: commit.map { [$0] } ?? [])
        let source = ModuleZip.GitSource(repository: dir, directory: ByteString(location.codeDir),
                                         repositoryRoot: ByteString(root.root), revision: commit, git: git)
        // Local git work (archive, ls-tree), also waited for off the pool.
        let made: Result<ModuleZip.GitCreated, ModuleZipError> = await OffPool.run {
            do throws(ModuleZipError) { return .success(try ModuleZip.createFromGit(module, source: source, output: output)) } catch {
                return .failure(error)
            }
        }
        switch made {
        case .success(let created): return created
        case .failure(let error): throw OriginError(.listingFailed, subject: "\(module)", message: "\(module): \(error.description)")
        }
    }

    /// Fetches into the work directory what `module` needs — its tag as it is now (all heads
    /// and tags, unshallowed, for a pseudo-version) and each of `commits` — and returns the
    /// directory, a bare repository the module-zip and divergence code can read.
    ///
    /// A commit no ref reaches cannot be fetched (git servers refuse such wants, as cmd/go
    /// relies on): that failure is reported, and is itself a finding.
    public func prepare(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation,
                        commits: [String] = []) async throws(OriginError) -> String {
        let dir = try await workDirectory(url: root.repoURL)
        let url = root.repoURL
        if Module.isPseudoVersion(module.version) {
            try await run(["-c", "protocol.version=2", "fetch", "-f", "origin", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"],
                          in: dir, url: url)
            if FileManager.default.fileExists(atPath: dir + "/shallow") {
                try await run(["fetch", "--unshallow", "-f", "origin"], in: dir, url: url)
            }
        } else if commits.isEmpty, let tag = location.tag(for: module.version) {
            let ref = "refs/tags/" + tag
            try await run(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", "\(ref):\(ref)"], in: dir, url: url)
        }
        for commit in commits {
            guard commit.utf8.count == 40, commit.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                throw OriginError(.invalidOrigin, subject: commit, message: "\(goQuote(commit.utf8)): not a full lower-case commit hash")
            }
            if (try? await run(["cat-file", "-e", commit + "^{commit}"], in: dir, url: url)) != nil { continue }
            try await run(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", "\(commit):refs/dummy"], in: dir, url: url)
        }
        return dir
    }

    /// Fetches the version's current tag (ignoring failures: the tag may be gone) and returns
    /// the work directory.
    public func fetchTag(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation) async -> String? {
        guard let dir = try? await workDirectory(url: root.repoURL) else { return nil }
        if let tag = location.tag(for: module.version) {
            let ref = "refs/tags/" + tag
            _ = try? await run(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", "\(ref):\(ref)"], in: dir, url: root.repoURL)
        }
        return dir
    }

    /// Removes the work directory of `url` (the bare repository and its `.info` key file; the
    /// empty `<dir>.lock` stays, as removing a lock file others may hold is racy), holding its
    /// lock so that no git command of another process is inside it; no
    /// directory below the module cache is followed if it is a symbolic link. A missing
    /// directory is success. (The scan removes each repository's clone once its unit is done.)
    public func removeWorkDirectory(url: String) async throws(OriginError) {
        let dir = vcsCache + "/" + Self.workDirectoryName(url: url)
        while settingUp[dir] != nil { await withCheckedContinuation { settingUp[dir, default: []].append($0) } }
        guard FileManager.default.fileExists(atPath: dir) || FileManager.default.fileExists(atPath: dir + ".info") else { return }
        let modcache = self.modcache
        let removed: Result<Void, OriginError> = await OffPool.run {
            let lock: FileLock
            do throws(ModuleCacheError) { lock = try FileLock(dir + ".lock", below: modcache) } catch {
                return .failure(OriginError(.listingFailed, subject: url, message: error.message))
            }
            defer { lock.unlock() }
            do throws(RemoveTreeError) {
                // The key file first: a directory without it is set up again from scratch.
                try removeTreeNoFollow(dir + ".info", below: modcache)
                try removeTreeNoFollow(dir, below: modcache)
                return .success(())
            } catch {
                return .failure(OriginError(.listingFailed, subject: url, message: error.description))
            }
        }
        try removed.get()
    }

    /// Runs git in `dir` (a work directory of this rebuilder) and returns its result whatever
    /// the exit status, holding the work directory's lock; off the cooperative pool.
    package func runGit(_ arguments: [String], in dir: String, url: String) async throws(OriginError)
        -> (status: Int32, stdout: [UInt8], stderr: String) {
        let result = try await locked(arguments, in: dir, url: url)
        return (result.status, result.stdout, result.stderrText)
    }

    /// cmd/go's lock for a VCS work directory, `<dir>.lock` (flock, as cmd/go's `lockedfile`
    /// on Linux), held for each git command so that `go` and GoModKit never fetch into one
    /// repository at once (`codehost.WorkDir`, `gitRepo.mu`).
    /// Never through a symbolic link below the module cache (``ConfinedDirectory``).
    nonisolated func lock(_ dir: String, url: String) throws(OriginError) -> FileLock {
        do { return try FileLock(dir + ".lock", below: modcache) } catch {
            throw OriginError(.listingFailed, subject: url, message: error.message)
        }
    }

    /// The git executable this rebuilder runs.
    public nonisolated var gitExecutable: String { git }

    /// Runs git in `dir` under its lock, off the pool (the lock is taken there too: `flock`
    /// blocks); a cancelled task's git is killed and reported as
    /// `OriginError.Code.unreachable`.
    private func locked(_ arguments: [String], in dir: String, url: String) async throws(OriginError) -> GitCommand.Result {
        let git = self.git
        let modcache = self.modcache
        let outcome: Result<GitCommand.Result, OriginError> = await OffPool.run(cancellable: { flag in
            let lock: FileLock
            do throws(ModuleCacheError) { lock = try FileLock(dir + ".lock", below: modcache) } catch {
                return .failure(OriginError(.listingFailed, subject: url, message: error.message))
            }
            defer { lock.unlock() }
            do throws(ModuleZipError) {
                return .success(try GitCommand(executable: git).run(arguments, in: dir, limit: 1 << 20, cancel: flag))
            } catch {
                return .failure(OriginError(.listingFailed, subject: url, message: error.description))
            }
        })
        let result = try outcome.get()
        if result.cancelled {
            throw OriginError(.unreachable, subject: url, message: "git \(arguments.joined(separator: " ")): cancelled")
        }
        return result
    }

    /// Runs git in `dir`, failing with git's message on a non-zero status (the code from
    /// ``gitFailureCode(_:)``); after a fetch, the work directory is measured against
    /// ``diskLimit``.
    package func run(_ arguments: [String], in dir: String, url: String) async throws(OriginError) {
        let result = try await locked(arguments, in: dir, url: url)
        if result.status != 0 {
            throw OriginError(Self.gitFailureCode(result.stderrText), subject: url,
                              message: "git \(arguments.joined(separator: " ")): exit status \(result.status)\n\(result.stderrText)")
        }
        if let diskLimit, arguments.contains("fetch") {
            let measured: Result<Int64, SystemErrno> = await OffPool.run {
                do throws(SystemErrno) { return .success(try treeSizeNoFollow(dir, stopAbove: diskLimit)) } catch { return .failure(error) }
            }
            switch measured {
            case .success(let size) where size > diskLimit:
                throw OriginError(.diskLimit, subject: url,
                                  message: "\(url): the work directory \(dir) holds more than \(diskLimit) bytes after git \(arguments.joined(separator: " ")) (disk limit \(diskLimit) bytes per repository)")
            case .success:
                break
            case .failure(let error):
                throw OriginError(.listingFailed, subject: url, message: "measuring \(dir): \(systemMessage(error.code))")
            }
        }
    }
}

/// A repository ready for the divergence check (``UpstreamRebuilder/checkout(_:root:location:recordedCommit:tagDeleted:)``).
public struct UpstreamCheckout: Sendable, Hashable {
    /// The module's source in the VCS-cache repository: its tag as it is now, or the recorded
    /// commit when the tag is gone.
    public var source: ModuleZip.GitSource
    /// What happened on the way, in sentences for a report (a recorded commit that could not be
    /// fetched, a deleted tag replaced by the recorded commit).
    public var notes: [String]
}

extension UpstreamRebuilder {
    /// Fetches what the divergence check needs for `module` into cmd/go's VCS cache: the
    /// recorded commit (`Origin.Hash`, when given) and the version's tag as it is now; a recorded
    /// commit no ref reaches cannot be fetched and is reported in the notes. When the tag is
    /// gone (`tagDeleted`, from a fresh listing: a stale local copy of a deleted tag must not be
    /// trusted), the source is the recorded commit.
    ///
    /// - Throws: `OriginError.Code.listingFailed` when nothing could be fetched.
    public func checkout(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation, recordedCommit: String?,
                         tagDeleted: Bool) async throws(OriginError) -> UpstreamCheckout {
        var commits: [String] = []
        if let hash = recordedCommit, !hash.isEmpty { commits.append(hash) }
        var notes: [String] = []
        var directory: String
        do throws(OriginError) {
            directory = try await prepare(module, root: root, location: location, commits: commits)
        } catch {
            if !commits.isEmpty {
                notes.append("the recorded commit \(commits[0]) could not be fetched (no ref reaches it?): \(error.message)")
            }
            guard let dir = await fetchTag(module, root: root, location: location) else { throw error }
            directory = dir
            commits = []
        }
        if !commits.isEmpty, !Module.isPseudoVersion(module.version) {
            // The tag as it is now, too (prepare fetched only the recorded commit).
            _ = await fetchTag(module, root: root, location: location)
        }
        var source = ModuleZip.GitSource(repository: directory, directory: ByteString(location.codeDir),
                                         repositoryRoot: ByteString(root.root), git: git)
        if tagDeleted, let hash = commits.first {
            source.revision = hash
            notes.append("the tag is gone; compared with the recorded commit \(hash)")
        }
        return UpstreamCheckout(source: source, notes: notes)
    }
}

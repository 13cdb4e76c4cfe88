public import GoModCore
public import GoModZip
public import GoModVCS
import GoModFetch
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Rebuilds a module zip from its upstream repository as cmd/go does with `GOPROXY=direct`:
/// a bare repository in cmd/go's VCS cache (`$GOMODCACHE/cache/vcs/<sha256 of "git3:"+URL>`,
/// with the `<dir>.info` key file; `go1.19:cmd/go/internal/modfetch/codehost/codehost.go`
/// `WorkDir`), a shallow fetch of the one ref or commit needed (`git -c protocol.version=2 fetch
/// -f --depth=1 origin <ref>:<ref>`; the heads and tags in full for a pseudo-version, whose base
/// tag must be an ancestor), then `ModuleZip.createFromGit` (cmd/go's archive recipe with
/// `export-ignore`/`export-subst` off). Fetches into one repository are serialised.
public actor UpstreamRebuilder {
    private let vcsCache: String
    private let modcache: String
    private let git: String

    /// A rebuilder keeping its bare repositories under `<modcache>/cache/vcs`.
    public init(modcache: String, git: String = "git") {
        self.vcsCache = modcache + "/cache/vcs"
        self.modcache = modcache
        self.git = git
    }

    /// cmd/go's work-directory name for a git remote: hex SHA-256 of `git3:<url>`.
    public static func workDirectoryName(url: String) -> String {
        SHA256.hash(data: Array("git3:\(url)".utf8)).map { b in
            (b < 16 ? "0" : "") + String(b, radix: 16)
        }.joined()
    }

    /// The bare repository for `url`, created (`git init --bare`, `git remote add origin -- <url>`)
    /// when missing; an existing `<dir>.info` with another key is an error, as in cmd/go.
    public func workDirectory(url: String) throws(OriginError) -> String {
        let dir = vcsCache + "/" + Self.workDirectoryName(url: url)
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
        try run(["init", "--bare", "-q"], in: dir, url: url)
        try run(["remote", "add", "origin", "--", url], in: dir, url: url)
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
    ///   - commit: the commit to archive (`Origin.Hash`); `nil` archives the version's tag as
    ///     it is now (or the pseudo-version's commit).
    /// - Throws: ``OriginError/Code/listingFailed`` when git fails; the zip rules' errors as
    ///   ``OriginError/Code/listingFailed`` with their message.
    public func rebuild(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation, commit: String? = nil,
                        output: ModuleZip.Output = .none) throws(OriginError) -> ModuleZip.GitCreated {
        let dir = try prepare(module, root: root, location: location, commits: commit.map { [$0] } ?? [])
        let source = ModuleZip.GitSource(repository: dir, directory: ByteString(location.codeDir),
                                         repositoryRoot: ByteString(root.root), revision: commit, git: git)
        do {
            return try ModuleZip.createFromGit(module, source: source, output: output)
        } catch {
            throw OriginError(.listingFailed, subject: "\(module)", message: "\(module): \(error.description)")
        }
    }

    /// Fetches into the work directory what `module` needs — its tag as it is now (all heads
    /// and tags, unshallowed, for a pseudo-version) and each of `commits` — and returns the
    /// directory, a bare repository the module-zip and divergence code can read.
    ///
    /// A commit no ref reaches cannot be fetched (git servers refuse such wants, as cmd/go
    /// relies on): that failure is reported, and is itself a finding.
    public func prepare(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation,
                        commits: [String] = []) throws(OriginError) -> String {
        let dir = try workDirectory(url: root.repoURL)
        let url = root.repoURL
        if Module.isPseudoVersion(module.version) {
            try run(["-c", "protocol.version=2", "fetch", "-f", "origin", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"],
                    in: dir, url: url)
            if FileManager.default.fileExists(atPath: dir + "/shallow") {
                try run(["fetch", "--unshallow", "-f", "origin"], in: dir, url: url)
            }
        } else if commits.isEmpty, let tag = location.tag(for: module.version) {
            let ref = "refs/tags/" + tag
            try run(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", "\(ref):\(ref)"], in: dir, url: url)
        }
        for commit in commits {
            guard commit.utf8.count == 40, commit.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                throw OriginError(.invalidOrigin, subject: commit, message: "\(goQuote(commit.utf8)): not a full lower-case commit hash")
            }
            if (try? run(["cat-file", "-e", commit + "^{commit}"], in: dir, url: url)) != nil { continue }
            try run(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", "\(commit):refs/dummy"], in: dir, url: url)
        }
        return dir
    }

    /// Fetches the version's current tag (ignoring failures: the tag may be gone) and returns
    /// the work directory.
    public func fetchTag(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation) -> String? {
        guard let dir = try? workDirectory(url: root.repoURL) else { return nil }
        if let tag = location.tag(for: module.version) {
            let ref = "refs/tags/" + tag
            _ = try? run(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", "\(ref):\(ref)"], in: dir, url: root.repoURL)
        }
        return dir
    }

    /// Runs git in `dir` (a work directory of this rebuilder) and returns its result whatever
    /// the exit status; serialised with this rebuilder's fetches.
    package func runGit(_ arguments: [String], in dir: String, url: String) throws(OriginError)
        -> (status: Int32, stdout: [UInt8], stderr: String) {
        let lock = try self.lock(dir, url: url)
        defer { lock.unlock() }
        do {
            let result = try GitCommand(executable: git).run(arguments, in: dir, limit: 1 << 20)
            return (result.status, result.stdout, result.stderrText)
        } catch {
            throw OriginError(.listingFailed, subject: url, message: error.description)
        }
    }

    /// cmd/go's lock for a VCS work directory, `<dir>.lock` (flock, as cmd/go's `lockedfile`
    /// on Linux), held for each git command so that `go` and GoModKit never fetch into one
    /// repository at once (`codehost.WorkDir`, `gitRepo.mu`).
    /// Never through a symbolic link below the module cache (``ConfinedDirectory``).
    func lock(_ dir: String, url: String) throws(OriginError) -> FileLock {
        do { return try FileLock(dir + ".lock", below: modcache) } catch {
            throw OriginError(.listingFailed, subject: url, message: error.message)
        }
    }

    /// The git executable this rebuilder runs.
    public nonisolated var gitExecutable: String { git }

    /// Runs git in `dir`, failing with git's message on a non-zero status.
    package func run(_ arguments: [String], in dir: String, url: String) throws(OriginError) {
        let lock = try self.lock(dir, url: url)
        defer { lock.unlock() }
        let result: GitCommand.Result
        do { result = try GitCommand(executable: git).run(arguments, in: dir, limit: 1 << 20) } catch {
            throw OriginError(.listingFailed, subject: url, message: error.description)
        }
        if result.status != 0 {
            throw OriginError(.listingFailed, subject: url,
                              message: "git \(arguments.joined(separator: " ")): exit status \(result.status)\n\(result.stderrText)")
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
    /// - Throws: ``OriginError/Code/listingFailed`` when nothing could be fetched.
    public func checkout(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation, recordedCommit: String?,
                         tagDeleted: Bool) throws(OriginError) -> UpstreamCheckout {
        var commits: [String] = []
        if let hash = recordedCommit, !hash.isEmpty { commits.append(hash) }
        var notes: [String] = []
        var directory: String
        do throws(OriginError) {
            directory = try prepare(module, root: root, location: location, commits: commits)
        } catch {
            if !commits.isEmpty {
                notes.append("the recorded commit \(commits[0]) could not be fetched (no ref reaches it?): \(error.message)")
            }
            guard let dir = fetchTag(module, root: root, location: location) else { throw error }
            directory = dir
            commits = []
        }
        if !commits.isEmpty, !Module.isPseudoVersion(module.version) {
            // The tag as it is now, too (prepare fetched only the recorded commit).
            _ = fetchTag(module, root: root, location: location)
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

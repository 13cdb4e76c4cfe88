public import GoModCore
public import GoModZip
public import GoModVCS
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
        // Below the module cache, no directory may be a symbolic link (`ConfinedDirectory`): the
        // old tree is removed, the new one made and its `.info` written crash-safely without
        // following one.
        do {
            try? removeTreeNoFollow(dir, below: modcache)
            try ConfinedDirectory.make(dir, below: modcache)
            try AtomicFile.write(Array(key.utf8), to: dir + ".info", below: modcache)
        } catch {
            throw OriginError(.listingFailed, subject: url, message: "creating \(dir): \(error)")
        }
        try run(["init", "--bare", "-q"], in: dir, url: url)
        try run(["remote", "add", "origin", "--", url], in: dir, url: url)
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

    private func run(_ arguments: [String], in dir: String, url: String) throws(OriginError) {
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

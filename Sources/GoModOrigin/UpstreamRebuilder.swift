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
    private let git: String

    /// A rebuilder keeping its bare repositories under `<modcache>/cache/vcs`.
    public init(modcache: String, git: String = "git") {
        self.vcsCache = modcache + "/cache/vcs"
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
        do {
            try? fm.removeItem(atPath: dir)
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(key.utf8).write(to: URL(fileURLWithPath: dir + ".info"))
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
    ///   - ref: the ref to fetch `commit` through when the server refuses a bare hash (a ref
    ///     that names it); `nil` fetches the hash itself.
    /// - Throws: ``OriginError/Code/listingFailed`` when git fails; the zip rules' errors as
    ///   ``OriginError/Code/listingFailed`` with their message.
    public func rebuild(_ module: ModuleVersion, root: RepoRoot, location: ModuleLocation, commit: String? = nil,
                        output: ModuleZip.Output = .none) throws(OriginError) -> ModuleZip.GitCreated {
        let dir = try workDirectory(url: root.repoURL)
        let url = root.repoURL
        if Module.isPseudoVersion(module.version) {
            try run(["-c", "protocol.version=2", "fetch", "-f", "origin", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"],
                    in: dir, url: url)
            if FileManager.default.fileExists(atPath: dir + "/shallow") {
                try run(["fetch", "--unshallow", "-f", "origin"], in: dir, url: url)
            }
        } else if let commit {
            try run(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", "\(commit):refs/dummy"], in: dir, url: url)
        } else if let tag = location.tag(for: module.version) {
            let ref = "refs/tags/" + tag
            try run(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", "\(ref):\(ref)"], in: dir, url: url)
        }
        let source = ModuleZip.GitSource(repository: dir, directory: ByteString(location.codeDir),
                                         repositoryRoot: ByteString(root.root), revision: commit, git: git)
        do {
            return try ModuleZip.createFromGit(module, source: source, output: output)
        } catch {
            throw OriginError(.listingFailed, subject: "\(module)", message: "\(module): \(error.description)")
        }
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

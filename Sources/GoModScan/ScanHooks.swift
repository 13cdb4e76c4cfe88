public import GoModCore
import GoModVCS
import GoModZip
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The repository a module path lives in: the scan's unit of work (ECOSYSTEM-SCAN.md §4).
public struct RepositoryTarget: Sendable, Hashable {
    /// The repository URL, the unit key (`https://github.com/owner/repo`).
    public var url: String
    /// The version-control system (`git`).
    public var vcs: String
    /// The import-path prefix of the repository root (`github.com/owner/repo`).
    public var root: ByteString

    /// A target.
    public init(url: String, vcs: String = "git", root: ByteString) {
        self.url = url
        self.vcs = vcs
        self.root = root
    }

    /// The tag a version of module `path` has in this repository (cmd/go's `codeRepo`: the
    /// module's directory below the root, without its major-version suffix, then `/`): `v1.2.3`
    /// at the root, `sub/v1.2.3` for `root/sub`, `v2.0.0` for `root/v2`.
    public func tag(path: ByteString, version: ByteString) -> ByteString {
        var rel: [UInt8] = []
        if path.bytes.count > root.bytes.count + 1, path.hasPrefix(root), path.bytes[root.bytes.count] == 0x2F {
            rel = Array(path.bytes[(root.bytes.count + 1)...])
        }
        if !rel.isEmpty {
            // Strip a `/vN` major-version suffix; `vN` alone (the module `root/vN`) leaves nothing.
            let (prefix, major, ok) = Module.splitPathVersion(ByteString([0x2F] + rel))
            if ok, !major.isEmpty, major.bytes.first == 0x2F { rel = Array(prefix.bytes.dropFirst()) }
        }
        return rel.isEmpty ? version : ByteString(rel + [0x2F] + version.bytes)
    }
}

/// The `Origin` block of a version's `.info` (cmd/go's `codehost.Origin`).
public struct VersionOrigin: Sendable, Hashable, Codable {
    /// `VCS`.
    public var vcs: String?
    /// `URL`.
    public var url: String?
    /// `Subdir`.
    public var subdir: String?
    /// `Ref` (`refs/tags/v1.2.3`).
    public var ref: String?
    /// `Hash`: the commit.
    public var hash: String?

    /// An origin.
    public init(vcs: String? = nil, url: String? = nil, subdir: String? = nil, ref: String? = nil, hash: String? = nil) {
        self.vcs = vcs; self.url = url; self.subdir = subdir; self.ref = ref; self.hash = hash
    }

    enum CodingKeys: String, CodingKey { case vcs = "VCS", url = "URL", subdir = "Subdir", ref = "Ref", hash = "Hash" }
}

/// A repository's refs at one moment: full ref name (`refs/tags/v1.0.0`) → peeled commit hash.
public struct RepositoryRefs: Sendable, Hashable {
    /// The refs.
    public var refs: [ByteString: String]
    /// Whether the repository was not found (every tag counts as deleted).
    public var repositoryMissing: Bool

    /// A listing.
    public init(refs: [ByteString: String], repositoryMissing: Bool = false) {
        self.refs = refs
        self.repositoryMissing = repositoryMissing
    }

    /// Parses `git ls-remote` output (`<hash>\t<ref>` lines): a peeled `^{}` line gives an
    /// annotated tag's commit and replaces the tag object's hash.
    public static func parseLsRemote(_ output: [UInt8]) -> RepositoryRefs {
        var refs: [ByteString: String] = [:]
        var peeled: [ByteString: String] = [:]
        for line in output.split(separator: 0x0A) {
            guard let tab = line.firstIndex(of: 0x09) else { continue }
            let hash = String(decoding: line[line.startIndex..<tab], as: UTF8.self)
            var name = Array(line[(tab + 1)...])
            if name.last == 0x0D { name.removeLast() }
            if name.count > 3, name.suffix(3) == [0x5E, 0x7B, 0x7D] {
                peeled[ByteString(Array(name.dropLast(3)))] = hash
            } else {
                refs[ByteString(name)] = hash
            }
        }
        for (name, hash) in peeled { refs[name] = hash }
        return RepositoryRefs(refs: refs)
    }
}

/// What a rebuild hook is asked about: a version whose tag moved or vanished, or that has no
/// `Origin`, so only a rebuild compared with the checksum database's `h1:` settles it (the
/// origin issue's verdict; ORIGIN.md §5–§6).
public struct VerdictRequest: Sendable, Hashable {
    /// Why a rebuild is needed.
    public enum Reason: String, Sendable, Hashable { case tagMoved, tagDeleted, missingOrigin }
    /// The module version.
    public var module: ModuleVersion
    /// Its repository.
    public var repository: RepositoryTarget
    /// The tag (`refs/tags/…`) and its commit now, if any.
    public var ref: ByteString
    /// The commit the tag names now (`nil`: deleted).
    public var currentCommit: String?
    /// The mirror's `Origin`, if any.
    public var origin: VersionOrigin?
    /// The reason.
    public var reason: Reason
}

/// The pieces of a scan that other parts of GoModKit supply (origin resolution, ref listing,
/// rebuild verdicts, advisories). Each is a closure so that a caller, a test or a later layer
/// plugs in its own; ``ScanHooks/standard(proxy:git:)`` wires the ones available today.
public struct ScanHooks: Sendable {
    /// Module path → repository; `nil` for a path that cannot be resolved (its own unit, keyed by
    /// the module path). Called once per new module path; must be deterministic.
    public var resolve: @Sendable (ByteString) async throws -> RepositoryTarget?
    /// Lists a repository's refs once per unit and pass; `nil` hook: the ref tier is skipped.
    public var listRefs: (@Sendable (RepositoryTarget) async throws -> RepositoryRefs)?
    /// The mirror's `Origin` for a version (the proxy's `.info`); `nil` result: no `Origin`.
    public var origin: (@Sendable (ModuleVersion) async throws -> VersionOrigin?)?
    /// Rebuilds and compares (origin issue); returns findings (`divergence`) or none.
    public var verdict: (@Sendable (VerdictRequest) async throws -> [ScanFinding])?
    /// Advisory matching for a new version (advisory issue); returns `advisory` and
    /// `capability-added` findings.
    public var advisories: (@Sendable (ModuleVersion, RepositoryTarget?) async throws -> [ScanFinding])?

    /// Hooks.
    public init(resolve: @escaping @Sendable (ByteString) async throws -> RepositoryTarget? = { StaticHostResolver.resolve($0) },
                listRefs: (@Sendable (RepositoryTarget) async throws -> RepositoryRefs)? = nil,
                origin: (@Sendable (ModuleVersion) async throws -> VersionOrigin?)? = nil,
                verdict: (@Sendable (VerdictRequest) async throws -> [ScanFinding])? = nil,
                advisories: (@Sendable (ModuleVersion, RepositoryTarget?) async throws -> [ScanFinding])? = nil) {
        self.resolve = resolve
        self.listRefs = listRefs
        self.origin = origin
        self.verdict = verdict
        self.advisories = advisories
    }
}

/// The repository roots cmd/go knows without a request (`cmd/go/internal/vcs` `vcsPaths`, the
/// git hosts): `github.com/OWNER/REPO`, `bitbucket.org/OWNER/REPO` (assumed git), and a path
/// with an explicit `.git` element (`example.com/repo.git/sub` → `https://example.com/repo`).
/// Custom domains need a `?go-get=1` request: the origin issue's resolver plugs in through
/// ``ScanHooks/resolve``; until then they are unresolved units.
public enum StaticHostResolver {
    /// The repository of `path`, or `nil`.
    public static func resolve(_ path: ByteString) -> RepositoryTarget? {
        let elements = path.bytes.split(separator: 0x2F, omittingEmptySubsequences: false).map(Array.init)
        guard elements.count >= 1 else { return nil }
        let host = String(decoding: elements[0], as: UTF8.self)
        if host == "github.com" || host == "bitbucket.org" {
            guard elements.count >= 3, !elements[1].isEmpty, !elements[2].isEmpty else { return nil }
            let root = elements[0] + [0x2F] + elements[1] + [0x2F] + elements[2]
            return RepositoryTarget(url: "https://" + String(decoding: root, as: UTF8.self), root: ByteString(root))
        }
        // `.git` qualifier (vcsPaths' last entry): the repository ends at the element with it.
        for i in 1..<elements.count where elements[i].count > 4 && elements[i].suffix(4) == Array(".git".utf8) {
            let rootElements = Array(elements[0...i])
            let root = Array(rootElements.joined(separator: [0x2F]))
            let url = "https://" + String(decoding: root.dropLast(4), as: UTF8.self)
            return RepositoryTarget(url: url, root: ByteString(root))
        }
        return nil
    }
}

/// Lists refs with `git ls-remote` (non-interactive: `GIT_TERMINAL_PROMPT=0`, no inherited
/// repository variables; GoModVCS's runner). A stand-in for the origin issue's protocol-v2
/// lister; any URL git accepts works, including `file://` and local paths in tests.
public struct LsRemoteRefLister: Sendable {
    /// The git executable.
    public var executable: String

    /// A lister.
    public init(executable: String = "git") { self.executable = executable }

    /// Waiting git processes run here, not on the cooperative thread pool (one thread per
    /// core): a custom concurrent queue may use more threads than there are cores, so `--jobs`
    /// listings really wait on the network at once.
    private static let queue = DispatchQueue(label: "gomodkit.scan.ls-remote", attributes: .concurrent)

    /// ``listBlocking(_:)`` off the cooperative thread pool.
    public func list(_ repository: RepositoryTarget) async throws -> RepositoryRefs {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result { try self.listBlocking(repository) })
            }
        }
    }

    /// The refs of `repository`; a repository git reports as not found gives
    /// ``RepositoryRefs/repositoryMissing``; other failures throw. Blocks the calling thread
    /// while git runs.
    public func listBlocking(_ repository: RepositoryTarget) throws -> RepositoryRefs {
        // Standard output goes to an unlinked temporary file (the runner's in-memory output is
        // internal to GoModVCS).
        var template = Array("/tmp/gomodkit-ls-remote-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buf -> Int32 in
            guard let base = buf.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw ScanError(.io, "mkstemp: \(systemMessage(errno))") }
        template.withUnsafeBufferPointer { buf in if let base = buf.baseAddress { _ = unlink(base) } }
        defer { close(fd) }
        let result = try GitCommand(executable: executable).run(["ls-remote", "--", repository.url], limit: 256 << 20, stdoutFile: fd)
        if result.status == 0 {
            let size = lseek(fd, 0, SEEK_END)
            guard size >= 0 else { throw ScanError(.io, "ls-remote output: \(systemMessage(errno))") }
            var output = [UInt8](repeating: 0, count: Int(size))
            let n = output.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(size), 0) }
            guard n == Int(size) else { throw ScanError(.io, "ls-remote output: short read") }
            return RepositoryRefs.parseLsRemote(output)
        }
        let message = result.stderrText
        let lower = message.lowercased()
        if lower.contains("not found") || lower.contains("does not appear to be a git repository") || lower.contains("does not exist") {
            return RepositoryRefs(refs: [:], repositoryMissing: true)
        }
        throw ScanError(.network, "git ls-remote \(repository.url): \(message)")
    }
}

/// A resolution table: lines `<import-prefix> <vcs> <repo-root>`, the three fields of a
/// `<meta name="go-import">` tag (cmd/go `vcs.RepoRootForImportPath`), `#` comments allowed.
/// It is the output of the earlier pass that resolves custom domains (ECOSYSTEM-SCAN.md §6.2
/// step 2), or a hand-written map; a module path resolves to the entry with the longest prefix
/// that ends at a path-element boundary.
public struct ResolutionTable: Sendable {
    /// (prefix, target), longest prefix first.
    public private(set) var entries: [(prefix: ByteString, target: RepositoryTarget)]

    /// Parses a table; throws ``ScanError/Code/badInput`` naming the bad line.
    public init(parsing data: [UInt8], name: String) throws(ScanError) {
        var out: [(ByteString, RepositoryTarget)] = []
        var number = 0
        for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var line = Array(raw)
            if let hash = line.firstIndex(of: 0x23) { line = Array(line[..<hash]) }
            let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }).map(Array.init)
            if fields.isEmpty { continue }
            guard fields.count == 3 else {
                throw ScanError(.badInput, "\(name):\(number): want <import-prefix> <vcs> <repo-root>, got \(goQuote(line))")
            }
            let prefix = ByteString(fields[0])
            do throws(ModulePathError) { try Module.checkPath(prefix) } catch {
                throw ScanError(.badInput, "\(name):\(number): \(error.description)")
            }
            let vcs = String(decoding: fields[1], as: UTF8.self)
            guard vcs == "git" else { throw ScanError(.badInput, "\(name):\(number): vcs \(goQuote(fields[1])): only git is supported") }
            out.append((prefix, RepositoryTarget(url: String(decoding: fields[2], as: UTF8.self), vcs: vcs, root: prefix)))
        }
        entries = out.sorted { $0.0.bytes.count > $1.0.bytes.count }.map { (prefix: $0.0, target: $0.1) }
    }

    /// The repository of `path`, or `nil`.
    public func resolve(_ path: ByteString) -> RepositoryTarget? {
        for (prefix, target) in entries where path == prefix || (path.hasPrefix(prefix) && path.bytes[prefix.bytes.count] == 0x2F) {
            return target
        }
        return nil
    }
}

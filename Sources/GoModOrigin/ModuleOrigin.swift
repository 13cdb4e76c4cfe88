public import GoModCore
public import GoModFetch
import GoModPlatform

/// The `Origin` object of a `.info` answer (cmd/go's `codehost.Origin`,
/// `go1.19:cmd/go/internal/modfetch/codehost/codehost.go`): where the proxy says it fetched the
/// version from. Every field is optional; it is a claim by the proxy, not by the checksum
/// database.
public struct ModuleOrigin: Sendable, Hashable, Codable {
    /// `VCS` (`git`).
    public var vcs: String?
    /// `URL`: the repository.
    public var url: String?
    /// `Subdir`: the module's directory in the repository (cmd/go's `codeDir`).
    public var subdir: String?
    /// `Hash`: the commit archived.
    public var hash: String?
    /// `Ref`: the ref that named it (`refs/tags/v1.2.3`, `refs/heads/main`, `HEAD`).
    public var ref: String?
    /// `TagPrefix`: the prefix ``tagSum`` covers.
    public var tagPrefix: String?
    /// `TagSum` (`t1:…`).
    public var tagSum: String?
    /// `RepoSum` (`r1:…`).
    public var repoSum: String?

    /// An origin.
    public init(vcs: String? = nil, url: String? = nil, subdir: String? = nil, hash: String? = nil, ref: String? = nil,
                tagPrefix: String? = nil, tagSum: String? = nil, repoSum: String? = nil) {
        self.vcs = vcs; self.url = url; self.subdir = subdir; self.hash = hash; self.ref = ref
        self.tagPrefix = tagPrefix; self.tagSum = tagSum; self.repoSum = repoSum
    }

    enum CodingKeys: String, CodingKey {
        case vcs = "VCS", url = "URL", subdir = "Subdir", hash = "Hash", ref = "Ref"
        case tagPrefix = "TagPrefix", tagSum = "TagSum", repoSum = "RepoSum"
    }

    /// Decodes an `Origin` JSON object.
    ///
    /// - Throws: `OriginError.Code.invalidOrigin`.
    public init(json: [UInt8]) throws(OriginError) {
        do {
            self = try JSONDecoder().decode(ModuleOrigin.self, from: Data(json))
        } catch {
            throw OriginError(.invalidOrigin, subject: "Origin", message: "invalid Origin: \(error)")
        }
    }

    /// cmd/go's `Origin.Checkable`: any of `TagSum`, `Ref`, `Hash`, `RepoSum` is set.
    public var isCheckable: Bool {
        [tagSum, ref, hash, repoSum].contains { !($0 ?? "").isEmpty }
    }
}

extension ModuleInfo {
    /// The answer's `Origin` block as a ``ModuleOrigin``; `nil` when it has none.
    ///
    /// - Throws: `OriginError.Code.invalidOrigin` when a field is not of its JSON type (cmd/go's
    ///   `json.Unmarshal` fails the whole `.info` then).
    public func decodedOrigin() throws(OriginError) -> ModuleOrigin? {
        guard let origin else { return nil }
        return try ModuleOrigin(json: origin)
    }
}

/// Where a module lives inside its repository, and which tag names a version
/// (`go1.19:cmd/go/internal/modfetch/coderepo.go` `newCodeRepo`, `revToRev`).
public struct ModuleLocation: Sendable, Hashable {
    /// The module's directory in the repository (cmd/go's `codeDir`, the `Origin.Subdir`).
    public var codeDir: String
    /// The module path's major-version suffix (`/v2`, `.v1`), empty for v0/v1.
    public var pathMajor: String

    /// cmd/go's `newCodeRepo` for a module path under a repository root: `codeDir` is the path
    /// below the root (without the major suffix), prefixed by the root's Go 1.25 subdirectory.
    ///
    /// - Throws: `OriginError.Code.invalidImportPath`: `repository rooted at <root> cannot
    ///   contain module <path>`.
    public init(modulePath: String, root: RepoRoot) throws(OriginError) {
        let split = Module.splitPathVersion(ByteString(modulePath))
        var pathPrefix = split.prefix.utf8String ?? modulePath
        self.pathMajor = split.pathMajor.utf8String ?? ""
        if Array(root.root.utf8) == Array(modulePath.utf8) { pathPrefix = modulePath }
        var dir = ""
        if Array(root.root.utf8) != Array(modulePath.utf8) {
            guard isPathPrefix(pathPrefix, of: root.root) else {
                throw OriginError(.invalidImportPath, subject: modulePath,
                                  message: "repository rooted at \(root.root) cannot contain module \(modulePath)")
            }
            dir = String(decoding: Array(pathPrefix.utf8).dropFirst(root.root.utf8.count), as: UTF8.self)
            while dir.hasPrefix("/") { dir.removeFirst() }
            while dir.hasSuffix("/") { dir.removeLast() }
        }
        if !root.subdirectory.isEmpty {
            dir = dir.isEmpty ? root.subdirectory : root.subdirectory + "/" + dir
        }
        self.codeDir = dir
    }

    /// A location given directly.
    public init(codeDir: String, pathMajor: String) {
        self.codeDir = codeDir
        self.pathMajor = pathMajor
    }

    /// cmd/go's `revToRev` for a canonical version: the tag (`<codeDir>/<v>` or `<v>`, without
    /// `+incompatible`), or `nil` for a pseudo-version (whose revision is a commit prefix).
    public func tag(for version: ByteString) -> String? {
        if Module.isPseudoVersion(version) { return nil }
        var v = version.utf8String ?? ""
        if v.hasSuffix("+incompatible") { v.removeLast("+incompatible".count) }
        return codeDir.isEmpty ? v : codeDir + "/" + v
    }
}

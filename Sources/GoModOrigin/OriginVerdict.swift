public import GoModCore

/// The cheap check: a proxy's `.info` `Origin` against the repository's refs now
/// (Docs/origin.md; cmd/go's `gitRepo.CheckReuse`, `git.go@7926af0`, plus the hash-only tier
/// that cmd/go does not have).
public struct OriginVerdict: ErrorCodeDomain, Sendable, Hashable, Codable {
    /// What the comparison found.
    ///
    /// New verdicts may be added in later releases without breaking source compatibility: a
    /// verdict is an `ErrorCode` (GoModCore's extensible shape), so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the verdict's name, such as `ref-moved`; it encodes as that name.
    public typealias Kind = ErrorCode<OriginVerdict>

    /// The names of the verdicts this release knows, in declaration order (``Kind``'s `allCases`).
    public static let codeNames = [
        "consistent", "hash-only-present", "hash-only-absent", "ref-moved", "ref-deleted", "tags-changed",
        "refs-changed", "origin-moved", "no-origin", "non-specific", "origin-unverifiable",
        "could-not-verify",
    ]

    /// The verdict.
    public var kind: Kind
    /// cmd/go's `CheckReuse` message for it (`ref "refs/tags/v1.3.1" moved from <old> to <new>`,
    /// `missing origin`, …), or GoModKit's for the tiers cmd/go does not have.
    public var message: String
    /// The repository compared with.
    public var repoURL: String?
    /// The ref compared (`Origin.Ref`, or the version's tag for hash-only and no-origin checks).
    public var ref: String?
    /// The commit the proxy recorded (`Origin.Hash`).
    public var recordedHash: String?
    /// The commit the ref names now (nil when it is not listed).
    public var currentHash: String?

    /// A verdict.
    public init(kind: Kind, message: String, repoURL: String? = nil, ref: String? = nil, recordedHash: String? = nil,
                currentHash: String? = nil) {
        self.kind = kind
        self.message = message
        self.repoURL = repoURL
        self.ref = ref
        self.recordedHash = recordedHash
        self.currentHash = currentHash
    }

    /// Compares `origin` (from the proxy's `.info`; `nil` when it has none) for `version` with
    /// the repository `root` and its `listing`, stopping at the first conclusive step:
    ///
    /// 1. `root.vcs` is not git ⇒ `Kind.originUnverifiable`.
    /// 2. no Origin ⇒ `Kind.noOrigin` (`missing origin`).
    /// 3. VCS, URL or Subdir differ ⇒ `Kind.originMoved` (`origin moved from git "<url>" "<dir>"
    ///    to git "<url>" "<dir>"`).
    /// 4. no Hash, TagSum or RepoSum ⇒ `Kind.nonSpecific` (`non-specific origin`).
    /// 5. Ref set: absent ⇒ `Kind.refDeleted`; another commit ⇒ `Kind.refMoved`. Ref empty
    ///    and Hash set: some ref names it ⇒ `Kind.hashOnlyPresent`, else `Kind.hashOnlyAbsent`.
    /// 6. TagSum (recomputed for TagPrefix) or RepoSum differ ⇒ `Kind.tagsChanged` /
    ///    `Kind.refsChanged`; otherwise `Kind.consistent`.
    public static func evaluate(origin: ModuleOrigin?, version: ByteString, root: RepoRoot,
                                location: ModuleLocation, listing: RefListing?) -> OriginVerdict {
        let url = root.repoURL
        let tagRef = location.tag(for: version).map { "refs/tags/" + $0 }
        guard root.vcs == "git" else {
            let message = root.vcs == "mod"
                ? "\(root.root) is served by a module proxy (go-import \"mod\") at \(url): no repository to compare with"
                : "vcs \(root.vcs) does not implement CheckReuse"
            return OriginVerdict(kind: .originUnverifiable, message: message, repoURL: url)
        }
        guard let origin else {
            return OriginVerdict(kind: .noOrigin, message: "missing origin", repoURL: url, ref: tagRef)
        }
        let oldVCS = origin.vcs ?? "", oldURL = origin.url ?? "", oldSubdir = origin.subdir ?? ""
        if oldVCS != "git" || Array(oldURL.utf8) != Array(url.utf8) {
            return OriginVerdict(kind: .originMoved,
                                 message: "origin moved from \(oldVCS) \(goQuote(oldURL.utf8)) to git \(goQuote(url.utf8))",
                                 repoURL: url, ref: origin.ref ?? tagRef, recordedHash: origin.hash)
        }
        if Array(oldSubdir.utf8) != Array(location.codeDir.utf8) {
            return OriginVerdict(kind: .originMoved,
                                 message: "origin moved from \(oldVCS) \(goQuote(oldURL.utf8)) \(goQuote(oldSubdir.utf8)) to git \(goQuote(url.utf8)) \(goQuote(location.codeDir.utf8))",
                                 repoURL: url, ref: origin.ref ?? tagRef, recordedHash: origin.hash)
        }
        let hash = origin.hash ?? "", tagSum = origin.tagSum ?? "", repoSum = origin.repoSum ?? ""
        if hash.isEmpty && tagSum.isEmpty && repoSum.isEmpty {
            return OriginVerdict(kind: .nonSpecific, message: "non-specific origin", repoURL: url, ref: origin.ref ?? tagRef)
        }
        guard let listing else {
            return OriginVerdict(kind: .couldNotVerify, message: "no ref listing", repoURL: url, ref: origin.ref ?? tagRef,
                                 recordedHash: origin.hash)
        }
        if let ref = origin.ref, !ref.isEmpty {
            guard let now = listing.refs[ByteString(ref)] else {
                return OriginVerdict(kind: .refDeleted, message: "ref \(goQuote(ref.utf8)) deleted", repoURL: url, ref: ref,
                                     recordedHash: origin.hash)
            }
            if now != hash {
                return OriginVerdict(kind: .refMoved, message: "ref \(goQuote(ref.utf8)) moved from \(hash) to \(now)",
                                     repoURL: url, ref: ref, recordedHash: origin.hash, currentHash: now)
            }
        }
        if !tagSum.isEmpty, listing.tagSum(prefix: ByteString(origin.tagPrefix ?? "")) != tagSum {
            return OriginVerdict(kind: .tagsChanged, message: "tags changed", repoURL: url, ref: origin.ref ?? tagRef,
                                 recordedHash: origin.hash)
        }
        if !repoSum.isEmpty, listing.repoSum != repoSum {
            return OriginVerdict(kind: .refsChanged, message: "refs changed", repoURL: url, ref: origin.ref ?? tagRef,
                                 recordedHash: origin.hash)
        }
        if let ref = origin.ref, !ref.isEmpty {
            return OriginVerdict(kind: .consistent, message: "ref \(goQuote(ref.utf8)) still names \(hash)", repoURL: url,
                                 ref: ref, recordedHash: origin.hash, currentHash: hash)
        }
        if hash.isEmpty {
            return OriginVerdict(kind: .consistent, message: "tags unchanged", repoURL: url, ref: tagRef)
        }
        // Hash only: is it named by a ref now (normally the version's tag)?
        let tagNow = tagRef.flatMap { listing.refs[ByteString($0)] }
        let naming = listing.refs(pointingAt: hash)
        if let tagRef, tagNow == hash {
            return OriginVerdict(kind: .hashOnlyPresent, message: "\(tagRef) names \(hash)", repoURL: url, ref: tagRef,
                                 recordedHash: hash, currentHash: tagNow)
        }
        if let first = naming.first {
            return OriginVerdict(kind: .hashOnlyPresent, message: "\(first) names \(hash)", repoURL: url,
                                 ref: first.utf8String, recordedHash: hash, currentHash: hash)
        }
        let detail = tagRef.map { ref in
            tagNow.map { " (\(ref) names \($0))" } ?? " (\(ref) is not listed)"
        } ?? ""
        return OriginVerdict(kind: .hashOnlyAbsent, message: "no ref names \(hash)\(detail)", repoURL: url, ref: tagRef,
                             recordedHash: hash, currentHash: tagNow)
    }
}

extension ErrorCode where Domain == OriginVerdict {

    /// The check is conclusive and found nothing: ``consistent``, ``hashOnlyPresent``.
    public var isClean: Bool { self == .consistent || self == .hashOnlyPresent }
    /// The check found a change upstream: ``refMoved``, ``refDeleted``, ``originMoved``.
    public var isFinding: Bool { self == .refMoved || self == .refDeleted || self == .originMoved }
    /// Only a rebuild of the module zip can decide (or nothing could be compared).
    public var needsRebuild: Bool {
        self == .noOrigin || self == .nonSpecific || self == .hashOnlyAbsent || self == .tagsChanged
            || self == .refsChanged || self == .originMoved || self == .refMoved || self == .refDeleted
    }
}

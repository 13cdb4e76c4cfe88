public import GoModCore
import GoModZip
/// Typosquat detection for Go module paths (Docs/catch-a-poisoned-module.md): does a required
/// module path imitate a widely used one?
///
/// A ``Detector`` holds a reference set — ``wellKnownModules`` (built in), any lists the caller
/// adds (``Source/known``), and optionally the project's own dependency graph
/// (``Source/project``) — indexed so that checking is a handful of hash lookups per path
/// (100,000 requires in well under a second in release builds).
///
/// Paths are compared after dropping a major-version suffix (`/vN`, gopkg.in's `.vN`), so
/// `github.com/boltdb-go/bolt/v2` is still compared with `github.com/boltdb/bolt`, and
/// `gopkg.in/yaml.v3` next to `gopkg.in/yaml.v2` is a major version, not a look-alike. The rules
/// (``Rule``):
///
/// * ``Rule/caseVariant`` — equal ignoring ASCII case (`github.com/Sirupsen/logrus`);
/// * ``Rule/confusable`` — equal after mapping ASCII look-alikes: `l`/`1`/`I`, `0`/`O`/`o`,
///   `rn`/`m`, `vv`/`w`, `-`/`_`/`.` (`golang.org/x/crypt0`, `go1ang.org/x/net`);
/// * ``Rule/ownerLookalike`` — the same repository name on the same host under an owner that
///   adds or drops a token (`boltdb-go`, `go-boltdb`, `boltdbgo`, `boltdb-official`);
/// * ``Rule/ownerEdit`` — the same repository under an owner one edit or transposition away
///   (`boltd8`, `siruspen`);
/// * ``Rule/oneEdit`` — the whole path one edit or transposition away, e.g. in the host or in
///   the repository name under another owner's vanity host;
/// * ``Rule/punycodeHomograph`` — a host label `xn--…` whose decoded Unicode, mapped through a
///   table of Unicode TR39 confusables to ASCII, imitates a reference host or spells an ASCII
///   name (`xn--80ak6aa92e.com` is Cyrillic "аррӏе.com").
///
/// Never flagged: a path that is itself a reference (``Source/builtIn`` or ``Source/known``);
/// another major version of a reference; a path under the same owner as the reference on a
/// host where owners control their namespace (owner/repository hosting such as github.com, or
/// a vanity host's prefix) — only the owner can publish there, except through ASCII
/// look-alikes; and known vanity mappings (``isKnownVanityPair(_:_:)``, e.g. `go.uber.org/zap`
/// and `github.com/uber-go/zap`).
///
/// Go has no typosquat check; a raw non-ASCII path (`gоlang.org` with Cyrillic `о`) is
/// not a typosquat finding but an invalid module path (``Detector/check(_:)-(ByteString)`` throws
/// `ModulePathError`), because Go cannot fetch it.
public enum Typosquat {
    /// Where a reference path came from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// ``Typosquat/wellKnownModules``.
        case builtIn
        /// A list the caller supplied (`--known FILE`).
        case known
        /// The project's own dependency graph (go.mod requirements, go.sum entries).
        case project
        /// No reference: the ASCII spelling a punycode label imitates.
        case asciiSkeleton
    }

    /// The rule that flagged a path.
    public enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
        /// Equal to the reference ignoring ASCII case. Such paths collide in case-insensitive
        /// module caches (the cache escapes capitals as `!x`).
        case caseVariant
        /// Equal to the reference after mapping ASCII look-alikes (`l`/`1`/`I`, `0`/`o`, `rn`/`m`,
        /// `vv`/`w`, `-`/`_`/`.`).
        case confusable
        /// The same repository name on the same host under an owner that adds or drops a token
        /// (`-go`, `go-`, `golang`, `-dev`, `-official`, ...).
        case ownerLookalike
        /// The same repository name on the same host under an owner one edit or transposition
        /// away.
        case ownerEdit
        /// The path is one edit or transposition away from the reference.
        case oneEdit
        /// A punycode host label whose decoded form imitates ASCII.
        case punycodeHomograph
    }

    /// One flagged path.
    public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The flagged module path.
        public var path: ByteString
        /// The module it imitates (for ``Source/asciiSkeleton``, the ASCII spelling).
        public var target: ByteString
        /// Where ``target`` came from.
        public var targetSource: Source
        /// The rule.
        public var rule: Rule
        /// Details in words.
        public var detail: String

        /// A finding.
        public init(path: ByteString, target: ByteString, targetSource: Source, rule: Rule, detail: String) {
            self.path = path; self.target = target; self.targetSource = targetSource; self.rule = rule; self.detail = detail
        }

        /// `<path>: looks like <target> (<rule>: <detail>)`.
        public var description: String {
            "\(safeText(path.bytes)): looks like \(safeText(target.bytes)) (\(rule.rawValue): \(detail))"
        }
    }

    /// Whether `a` and `b` are a known legitimate pair of a vanity import path and its hosting
    /// repository, which is never flagged, e.g. `go.uber.org/zap` and `github.com/uber-go/zap`,
    /// `golang.org/x/net` and `github.com/golang/net`, `gopkg.in/yaml.v3` and
    /// `github.com/go-yaml/yaml`. Order does not matter.
    public static func isKnownVanityPair(_ a: ByteString, _ b: ByteString) -> Bool {
        let x = PathShape(a.bytes).base, y = PathShape(b.bytes).base
        return vanityMatch(x, y) || vanityMatch(y, x)
    }

    /// Parses a `--known` list: one module path per line; `#` starts a comment; blank lines are
    /// ignored; surrounding spaces are trimmed.
    public static func parseList(_ data: [UInt8]) -> [ByteString] {
        var out: [ByteString] = []
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            var text = Array(line)
            if let hash = text.firstIndex(of: 0x23) { text = Array(text[..<hash]) }
            text = trimASCIISpace(text)
            if !text.isEmpty { out.append(ByteString(text)) }
        }
        return out
    }

    /// The indexed reference set and the checks.
    public struct Detector: Sendable {
        struct Reference: Sendable {
            var path: [UInt8]
            var shape: PathShape
            var lower: [UInt8]
            var skeleton: [UInt8]
            var ownerKeys: [UInt64]
            var source: Source
        }

        var references: [Reference] = []
        // Every index is keyed by a 64-bit FNV-1a hash of the bytes (hashing byte arrays with
        // Hasher is an order of magnitude slower); a hit is always verified on the reference.
        /// Exact paths of builtIn and known references: never flagged.
        var listed = MultiIndex()
        /// Bases of listed references (other major versions of them are not flagged).
        var listedBases = MultiIndex()
        var byIdentity = MultiIndex()
        var byLower = MultiIndex()
        var bySkeleton = MultiIndex()
        var byHostRepo = MultiIndex()
        var byOwnerCore = MultiIndex()
        var byDeletion = MultiIndex()
        /// A one-hash Bloom filter over ``byDeletion``'s keys (4 Mibit): most lookups miss, and a
        /// bit test is far cheaper than a dictionary probe.
        var deletionFilter = [UInt64](repeating: 0, count: 1 << 16)
        var byHost = MultiIndex()

        func isListed(_ path: [UInt8]) -> Bool {
            listed[fnv(path)]?.contains { references[Int($0)].path == path } ?? false
        }
        func isListedBase(_ base: [UInt8]) -> Bool {
            listedBases[fnv(base)]?.contains { references[Int($0)].shape.base == base } ?? false
        }

        /// A detector over ``Typosquat/wellKnownModules`` (when `includeBuiltIn`), `known`
        /// (``Source/known``) and `project` (``Source/project``: the project's dependency
        /// graph; these are references for each other but are themselves checked, so two
        /// project paths that imitate each other are both reported; they are matched by every
        /// rule except ``Rule/oneEdit``). Invalid paths in the lists
        /// are skipped; duplicates keep their first source.
        public init(known: [ByteString] = [], project: [ByteString] = [], includeBuiltIn: Bool = true) {
            if includeBuiltIn { for p in Typosquat.wellKnownModules { add(Array(p.utf8), .builtIn) } }
            for p in known { add(p.bytes, .known) }
            for p in project { add(p.bytes, .project) }
        }

        /// The number of references.
        public var count: Int { references.count }

        /// Adds one reference after construction, as ``init(known:project:includeBuiltIn:)``
        /// adds `known` (``Source/known``) or `project` (``Source/project``) paths: a scan adds
        /// each new module path once it has been checked, so that later paths are compared with
        /// every earlier one.
        public mutating func insert(_ path: ByteString, as source: Source) {
            add(path.bytes, source)
        }

        private mutating func add(_ path: [UInt8], _ source: Source) {
            let id = fnv(path)
            if let same = byIdentity[id], same.contains(where: { references[Int($0)].path == path }) { return }
            // Project paths are validated when they are checked (``check(_:)``).
            guard source == .project || (try? Module.checkPath(ByteString(path))) != nil else { return }
            let shape = PathShape(path)
            let index = Int32(references.count)
            let lower = asciiLower(shape.base)
            let skel = skeleton(shape.base)
            let ownerKeys = shape.isOwnerRepoShape && !shape.owner.isEmpty
                ? ownerCoreKeys(asciiLower(shape.host) + [0] + asciiLower(shape.repo) + [0], shape.owner) : []
            references.append(Reference(path: path, shape: shape, lower: lower, skeleton: skel, ownerKeys: ownerKeys, source: source))
            byIdentity.add(id, index)
            if source != .project {
                listed.add(id, index)
                listedBases.add(fnv(shape.base), index)
            }
            byLower.add(fnv(lower), index)
            bySkeleton.add(fnv(skel), index)
            if shape.isOwnerRepoShape && !shape.owner.isEmpty {
                let hostRepo = asciiLower(shape.host) + [0] + asciiLower(shape.repo) + [0]
                for key in ownerKeys { byOwnerCore.add(key, index) }
                // Owner edits are searched among listed references only: a bucket holds the
                // owners of one repository name, bounded by the lists, not by the input.
                if source != .project { byHostRepo.add(fnv(hostRepo), index) }
            }
            // The edit index holds listed references only: project paths are compared by the
            // case, look-alike and owner rules (keeps a 100,000-require graph cheap to index).
            if source != .project {
                for key in deletionKeys(lower, includeSelf: true) {
                    byDeletion.add(key, index)
                    let bit = Int(truncatingIfNeeded: key >> 42)
                    deletionFilter[bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
            byHost.add(fnv(asciiLower(shape.host)), index)
        }

        /// Checks one module path against the references.
        ///
        /// - Returns: at most one finding per imitated reference, strongest rule first; empty
        ///   when the path is a built-in or known reference, or imitates nothing.
        /// - Throws: `ModulePathError` when the path is not a valid module path
        ///   (`module.CheckPath`), e.g. raw Unicode homographs.
        public func check(_ path: ByteString) throws(ModulePathError) -> [Finding] {
            try Module.checkPath(path)
            if isListed(path.bytes) { return [] }
            return findings(path.bytes, skipIdentical: true)
        }

        /// Checks many paths; invalid ones are skipped (see ``check(_:)`` for one path).
        public func check(_ paths: [ByteString]) -> [Finding] {
            var out: [Finding] = []
            for path in paths { if let f = try? check(path) { out += f } }
            return out
        }

        /// A precision measure: every built-in and known reference
        /// checked against all the others (each as if it were not listed). Every finding is a
        /// false alarm on a legitimate, widely used module.
        public func falseAlarms() -> [Finding] {
            var out: [Finding] = []
            for ref in references where ref.source != .project {
                out += findings(ref.path, skipIdentical: true)
            }
            return out
        }

        /// The rules, for a valid path.
        func findings(_ path: [UInt8], skipIdentical: Bool) -> [Finding] {
            // A project path is already indexed: reuse its shape.
            let known: Int32? = byIdentity[fnv(path)]?.first { references[Int($0)].path == path }
            let shape = known.map { references[Int($0)].shape } ?? PathShape(path)
            if isListedBase(shape.base) && !isListed(path) {
                return [] // another major version of a reference
            }
            var out: [Finding] = []
            var seen = Set<Int32>()
            let candidate = ByteString(path)
            let lower = known.map { references[Int($0)].lower } ?? asciiLower(shape.base)
            let majorNote = shape.base.count != path.count ? " (major-version suffix ignored)" : ""

            func consider(_ i: Int32, _ rule: Rule, _ detail: String, sameOwnerAllowed: Bool) {
                guard !seen.contains(i) else { return }
                let ref = references[Int(i)]
                if skipIdentical && ref.path == path { return }
                if ref.shape.base == shape.base { return }
                if !sameOwnerAllowed && shape.sameOwner(ref.shape) { return }
                if vanityMatch(shape.base, ref.shape.base) || vanityMatch(ref.shape.base, shape.base) { return }
                seen.insert(i)
                out.append(Finding(path: candidate, target: ByteString(ref.path), targetSource: ref.source,
                                   rule: rule, detail: detail + majorNote))
            }

            for i in byLower[fnv(lower)] ?? [] where i != known && references[Int(i)].lower == lower {
                consider(i, .caseVariant, "differs only in letter case", sameOwnerAllowed: true)
            }
            let skel = known.map { references[Int($0)].skeleton } ?? skeleton(shape.base)
            for i in bySkeleton[fnv(skel)] ?? [] where i != known && references[Int(i)].skeleton == skel {
                consider(i, .confusable, "same spelling after mapping look-alike characters (l/1/I, 0/o, rn/m, vv/w, -/_/.)",
                         sameOwnerAllowed: true)
            }
            if !shape.owner.isEmpty && shape.isOwnerRepoShape {
                let hostRepo = asciiLower(shape.host) + [0] + asciiLower(shape.repo) + [0]
                let a = asciiLower(shape.owner)
                var hits = Set<Int32>()
                let cores = known.map { references[Int($0)].ownerKeys } ?? ownerCoreKeys(hostRepo, shape.owner)
                for key in cores { for i in byOwnerCore[key] ?? [] where i != known { hits.insert(i) } }
                let candidateCores = hits.isEmpty ? [] : ownerCores(shape.owner)
                for i in hits.sorted() {
                    let refShape = references[Int(i)].shape
                    guard asciiLower(refShape.host) + [0] + asciiLower(refShape.repo) + [0] == hostRepo,
                          ownerCores(refShape.owner).contains(where: { candidateCores.contains($0) }) else { continue }
                    let refOwner = refShape.owner
                    let b = asciiLower(refOwner)
                    if a == b { continue }
                    let token = ownerAffix(a, b).map { "adds or drops \(goQuote(Array($0.utf8))) to" } ?? "shares its name with"
                    consider(i, .ownerLookalike, "same repository \(goQuote(shape.repo)) under owner \(goQuote(shape.owner)), which \(token) \(goQuote(refOwner))",
                             sameOwnerAllowed: false)
                }
                for i in byHostRepo[fnv(hostRepo)] ?? [] where !seen.contains(i) {
                    let refShape = references[Int(i)].shape
                    guard asciiLower(refShape.host) + [0] + asciiLower(refShape.repo) + [0] == hostRepo else { continue }
                    let refOwner = refShape.owner
                    let b = asciiLower(refOwner)
                    if a != b, min(a.count, b.count) >= 4, damerauDistanceIsOne(a, b) {
                        consider(i, .ownerEdit, "same repository \(goQuote(shape.repo)) under owner \(goQuote(shape.owner)), one edit from \(goQuote(refOwner))",
                                 sameOwnerAllowed: false)
                    }
                }
            }
            var edits = Set<Int32>()
            for key in deletionKeys(lower, includeSelf: true) {
                let bit = Int(truncatingIfNeeded: key >> 42)
                guard deletionFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { continue }
                for i in byDeletion[key] ?? [] where !edits.contains(i) && !seen.contains(i) {
                    edits.insert(i)
                    let ref = references[Int(i)]
                    guard let element = singleEditElement(shape.base, ref.shape.base), element.count >= 4 else { continue }
                    consider(i, .oneEdit, "one edit or transposition from it (in \(goQuote(element)))", sameOwnerAllowed: false)
                }
            }
            // Punycode host labels.
            if let decoded = punycodeSkeletonHost(shape.host) {
                let rest = Array(shape.base.dropFirst(shape.host.count))
                let asciiBase = decoded.ascii + rest
                var hit = false
                let asciiSkel = skeleton(asciiBase)
                for i in bySkeleton[fnv(asciiSkel)] ?? [] where references[Int(i)].skeleton == asciiSkel {
                    hit = true
                    consider(i, .punycodeHomograph, "host \(goQuote(shape.host)) decodes to \(decoded.unicode), which imitates it", sameOwnerAllowed: true)
                }
                let hostKey = asciiLower(decoded.ascii)
                if !hit, let i = byHost[fnv(hostKey)]?.first(where: { asciiLower(references[Int($0)].shape.host) == hostKey }) {
                    hit = true
                    consider(i, .punycodeHomograph, "host \(goQuote(shape.host)) decodes to \(decoded.unicode), which imitates the host \(goQuote(decoded.ascii))", sameOwnerAllowed: true)
                }
                if !hit && decoded.allConfusable {
                    out.append(Finding(path: candidate, target: ByteString(asciiBase), targetSource: .asciiSkeleton, rule: .punycodeHomograph,
                                       detail: "host \(goQuote(shape.host)) decodes to \(decoded.unicode), made of look-alikes of \(goQuote(decoded.ascii))"))
                }
            }
            return deduplicated(out, candidate: shape)
        }

        /// One finding per imitated module (major versions of one reference count once, the one
        /// with the candidate's major version or else the first listed); findings against the
        /// project's own paths are dropped when a listed reference was matched.
        func deduplicated(_ findings: [Finding], candidate: PathShape) -> [Finding] {
            let hasListed = findings.contains { $0.targetSource == .builtIn || $0.targetSource == .known }
            var best: [[UInt8]: Int] = [:]
            var order: [[UInt8]] = []
            for (n, f) in findings.enumerated() {
                if hasListed && f.targetSource == .project { continue }
                let key = asciiLower(PathShape(f.target.bytes).base)
                if let previous = best[key] {
                    let p = findings[previous]
                    let exact = f.target.bytes.count - key.count == f.path.bytes.count - candidate.base.count
                        && f.target.bytes.suffix(f.target.bytes.count - key.count).elementsEqual(f.path.bytes.suffix(f.path.bytes.count - candidate.base.count))
                    if exact && p.rule == f.rule { best[key] = n }
                } else {
                    best[key] = n
                    order.append(key)
                }
            }
            return order.compactMap { best[$0].map { findings[$0] } }
        }
    }
}

/// A hash multimap from 64-bit keys to reference indices without one array per key: a head
/// per key and a linked chain of nodes in two flat arrays. A lookup that misses allocates
/// nothing; a hit returns the indices in insertion order.
struct MultiIndex: Sendable {
    private var heads: [UInt64: Int32] = [:]
    private var values: [Int32] = []
    private var next: [Int32] = []

    mutating func add(_ key: UInt64, _ value: Int32) {
        let node = Int32(values.count)
        values.append(value)
        next.append(heads[key] ?? -1)
        heads[key] = node
    }

    subscript(key: UInt64) -> [Int32]? {
        guard var node = heads[key] else { return nil }
        var out: [Int32] = []
        while node >= 0 {
            out.append(values[Int(node)])
            node = next[Int(node)]
        }
        return out.reversed()
    }
}

// MARK: - Path shapes

/// A module path split for comparison.
struct PathShape: Sendable, Hashable {
    /// The path without its major-version suffix (`/vN`, or gopkg.in's `.vN`).
    var base: [UInt8]
    /// The first element.
    var host: [UInt8]
    /// On owner/repository hosts the second element; on gopkg.in the user (or empty); elsewhere
    /// everything between the host and the last element (joined with `/`), or empty.
    var owner: [UInt8]
    /// The repository (or last) element.
    var repo: [UInt8]
    /// Whether the host is an owner/repository hosting site.
    var isOwnerRepoShape: Bool

    static let ownerRepoHosts: [[UInt8]] = ["github.com", "gitlab.com", "bitbucket.org", "gitee.com", "codeberg.org",
                                            "git.sr.ht", "launchpad.net", "code.gitea.io", "gopkg.in"].map { Array($0.utf8) }

    init(_ path: [UInt8]) {
        // Slash positions, then slices: no per-element arrays.
        var slashes: [Int] = []
        for i in path.indices where path[i] == 0x2F { slashes.append(i) }
        var end = path.count
        if let last = slashes.last, isMajorElement(path[(last + 1)...]) {
            end = last
            slashes.removeLast()
        }
        let hostEnd = slashes.first ?? end
        let isGopkg = path[..<hostEnd].elementsEqual("gopkg.in".utf8)
        if isGopkg, let last = slashes.last, let dot = path[(last + 1)..<end].lastIndex(of: 0x2E),
           isMajorElement(path[(dot + 1)..<end]) {
            end = dot
        }
        func element(_ i: Int) -> [UInt8] {
            let from = i == 0 ? 0 : slashes[i - 1] + 1
            let to = i < slashes.count ? slashes[i] : end
            return from <= to ? Array(path[from..<to]) : []
        }
        let count = slashes.count + 1
        base = Array(path[..<end])
        host = element(0)
        let lowerHost = asciiLower(host)
        isOwnerRepoShape = Self.ownerRepoHosts.contains { $0 == lowerHost }
        if isOwnerRepoShape {
            if isGopkg {
                owner = count >= 3 ? element(1) : []
                repo = count >= 3 ? element(2) : (count == 2 ? element(1) : [])
            } else {
                owner = count >= 2 ? element(1) : []
                repo = count >= 3 ? element(2) : []
            }
        } else {
            owner = count >= 2 ? Array(path[..<slashes[count - 2]]) : []
            repo = count >= 2 ? element(count - 1) : host
        }
    }

    /// Same host and owner (case-insensitively), so only that owner could publish both.
    func sameOwner(_ other: PathShape) -> Bool {
        !owner.isEmpty && asciiLower(host) == asciiLower(other.host) && asciiLower(owner) == asciiLower(other.owner)
    }
}

/// `vN` with N ≥ 0 written without leading zeros (`v0`, `v1`, `v2`, ...).
private func isMajorElement(_ e: ArraySlice<UInt8>) -> Bool {
    guard e.count >= 2, e.first == 0x76, e.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
    return e.count == 2 || e[e.startIndex + 1] != 0x30
}

/// The ASCII look-alike skeleton: `I`, `1`, `|` → `l`; `0`, `O` → `o`; lower case; `rn` → `m`;
/// `vv` → `w`; `_` and `.` → `-` (the slash is kept).
func skeleton(_ s: [UInt8]) -> [UInt8] {
    var mapped: [UInt8] = []
    mapped.reserveCapacity(s.count)
    for b in s {
        switch b {
        case 0x49, 0x31, 0x7C: mapped.append(0x6C)
        case 0x30, 0x4F: mapped.append(0x6F)
        case 0x5F, 0x2E: mapped.append(0x2D)
        case 0x41...0x5A: mapped.append(b + 32)
        default: mapped.append(b)
        }
    }
    var out: [UInt8] = []
    out.reserveCapacity(mapped.count)
    var i = 0
    while i < mapped.count {
        if i + 1 < mapped.count && mapped[i] == 0x72 && mapped[i + 1] == 0x6E { out.append(0x6D); i += 2; continue }
        if i + 1 < mapped.count && mapped[i] == 0x76 && mapped[i + 1] == 0x76 { out.append(0x77); i += 2; continue }
        out.append(mapped[i]); i += 1
    }
    return out
}

/// Tokens an impostor owner adds to or drops from a real owner name.
private let ownerTokens: [[UInt8]] = ["go", "golang", "dev", "io", "hq", "org", "official", "lib", "libs", "inc", "team",
                                      "labs", "pkg", "project", "oss", "opensource", "community", "x", "js", "app"].map { Array($0.utf8) }

/// An owner's lower-cased name without separators, and that name with one affix token removed
/// from either end (keeping at least 3 bytes): two owners sharing one of these look alike.
private func ownerCores(_ owner: [UInt8]) -> [[UInt8]] {
    let s = asciiLower(owner).filter { $0 != 0x2D && $0 != 0x5F && $0 != 0x2E }
    var out = [s]
    for token in ownerTokens where s.count >= token.count + 3 {
        if s.starts(with: token) { out.append(Array(s.dropFirst(token.count))) }
        if s.suffix(token.count).elementsEqual(token) { out.append(Array(s.dropLast(token.count))) }
    }
    return out
}

/// FNV-1a keys of `prefix` followed by each of ``ownerCores(_:)``, without building the arrays.
private func ownerCoreKeys(_ prefix: [UInt8], _ owner: [UInt8]) -> [UInt64] {
    var base: UInt64 = 0xcbf29ce484222325
    for b in prefix { base = (base ^ UInt64(b)) &* 0x100000001b3 }
    var s: [UInt8] = []
    s.reserveCapacity(owner.count)
    for b in owner where b != 0x2D && b != 0x5F && b != 0x2E { s.append(b >= 0x41 && b <= 0x5A ? b + 32 : b) }
    func key(_ range: Range<Int>) -> UInt64 {
        var h = base
        for i in range { h = (h ^ UInt64(s[i])) &* 0x100000001b3 }
        return h
    }
    var out = [key(0..<s.count)]
    for token in ownerTokens where s.count >= token.count + 3 {
        if s.starts(with: token) { out.append(key(token.count..<s.count)) }
        if s.suffix(token.count).elementsEqual(token) { out.append(key(0..<(s.count - token.count))) }
    }
    return out
}

/// When owner `a` is owner `b` plus or minus an affix token (separators `-`, `_`, `.` ignored),
/// the token.
private func ownerAffix(_ a: [UInt8], _ b: [UInt8]) -> String? {
    func strip(_ s: [UInt8]) -> [UInt8] { s.filter { $0 != 0x2D && $0 != 0x5F && $0 != 0x2E } }
    let x = strip(a), y = strip(b)
    if x == y { return "a separator" }
    for (long, short) in [(x, y), (y, x)] where long.count > short.count && short.count >= 3 {
        for token in ownerTokens where long.count == short.count + token.count {
            if long.starts(with: token) && long.dropFirst(token.count).elementsEqual(short) { return String(decoding: token, as: UTF8.self) }
            if long.starts(with: short) && long.dropFirst(short.count).elementsEqual(token) { return String(decoding: token, as: UTF8.self) }
        }
    }
    return nil
}

/// Whether `a` and `b` differ by exactly one insertion, deletion, substitution or adjacent
/// transposition.
func damerauDistanceIsOne(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    if a == b { return false }
    if a.count == b.count {
        var diffs: [Int] = []
        for i in 0..<a.count where a[i] != b[i] {
            diffs.append(i)
            if diffs.count > 2 { return false }
        }
        if diffs.count == 1 { return true }
        return diffs.count == 2 && diffs[1] == diffs[0] + 1 && a[diffs[0]] == b[diffs[1]] && a[diffs[1]] == b[diffs[0]]
    }
    let (long, short) = a.count > b.count ? (a, b) : (b, a)
    guard long.count == short.count + 1 else { return false }
    var i = 0
    while i < short.count && long[i] == short[i] { i += 1 }
    return long[(i + 1)...].elementsEqual(short[i...])
}

/// When `a` and `b` (case-insensitively) are one edit apart within a single path element, that
/// element of `b`.
private func singleEditElement(_ a: [UInt8], _ b: [UInt8]) -> [UInt8]? {
    let x = asciiLower(a), y = asciiLower(b)
    guard damerauDistanceIsOne(x, y) else { return nil }
    let ea = x.split(separator: 0x2F, omittingEmptySubsequences: false)
    let eb = y.split(separator: 0x2F, omittingEmptySubsequences: false)
    guard ea.count == eb.count else { return nil }
    var differing: [UInt8]?
    for (p, q) in zip(ea, eb) where !p.elementsEqual(q) {
        if differing != nil { return nil }
        differing = Array(q)
    }
    // Digits-only differences (`foo2` vs `foo3`) are numbered siblings, not look-alikes.
    if let d = differing {
        let pa = ea.first { !$0.elementsEqual(d) && $0.count + 1 >= d.count && $0.count <= d.count + 1 && damerauDistanceIsOne(Array($0), d) }
        if let pa, zip(pa, d).contains(where: { $0 != $1 && ($0 >= 0x30 && $0 <= 0x39) && ($1 >= 0x30 && $1 <= 0x39) }) { return nil }
    }
    return differing
}

/// 64-bit FNV-1a of `s`.
func fnv(_ s: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf29ce484222325
    for b in s { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}

/// FNV-1a keys of `s` and of every string made by deleting one byte of it.
private func deletionKeys(_ s: [UInt8], includeSelf: Bool) -> [UInt64] {
    var keys: [UInt64] = []
    keys.reserveCapacity(s.count + 1)
    // Prefix hashes let each deletion hash resume from the prefix state.
    var prefix: [UInt64] = [0xcbf29ce484222325]
    prefix.reserveCapacity(s.count + 1)
    for b in s { prefix.append((prefix[prefix.count - 1] ^ UInt64(b)) &* 0x100000001b3) }
    if includeSelf { keys.append(prefix[s.count] ^ 0x9E3779B97F4A7C15) }
    for skip in 0..<s.count {
        if skip > 0 && s[skip] == s[skip - 1] { continue } // same string as the previous deletion
        var h = prefix[skip]
        for b in s[(skip + 1)...] { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        keys.append(h ^ 0x9E3779B97F4A7C15)
    }
    return keys
}

// MARK: - Vanity mappings

/// Known legitimate vanity ↔ hosting pairs, as base-path prefixes.
private let vanityPrefixes: [([UInt8], [UInt8])] = [
    ("go.uber.org/", "github.com/uber-go/"), ("golang.org/x/", "github.com/golang/"),
    ("google.golang.org/grpc", "github.com/grpc/grpc-go"), ("google.golang.org/protobuf", "github.com/protocolbuffers/protobuf-go"),
    ("google.golang.org/api", "github.com/googleapis/google-api-go-client"), ("google.golang.org/genproto", "github.com/googleapis/go-genproto"),
    ("google.golang.org/appengine", "github.com/golang/appengine"), ("cloud.google.com/go", "github.com/googleapis/google-cloud-go"),
    ("k8s.io/", "github.com/kubernetes/"), ("sigs.k8s.io/", "github.com/kubernetes-sigs/"), ("go.etcd.io/", "github.com/etcd-io/"),
    ("go.opentelemetry.io/otel", "github.com/open-telemetry/opentelemetry-go"),
    ("go.opentelemetry.io/contrib", "github.com/open-telemetry/opentelemetry-go-contrib"),
    ("go.mongodb.org/mongo-driver", "github.com/mongodb/mongo-go-driver"), ("honnef.co/go/tools", "github.com/dominikh/go-tools"),
    ("gotest.tools", "github.com/gotestyourself/gotest.tools"), ("gorm.io/gorm", "github.com/go-gorm/gorm"),
    ("dario.cat/mergo", "github.com/imdario/mergo"), ("go.opencensus.io", "github.com/census-instrumentation/opencensus-go"),
    ("filippo.io/", "github.com/FiloSottile/"), ("mvdan.cc/", "github.com/mvdan/"), ("go4.org", "github.com/go4org/go4"),
    ("gopkg.in/yaml", "github.com/go-yaml/yaml"), ("gopkg.in/check", "github.com/go-check/check"), ("gopkg.in/ini", "github.com/go-ini/ini"),
].map { (Array($0.0.utf8), Array($0.1.utf8)) }

/// Whether `a` is a vanity path whose hosting repository is `b` (or a gopkg.in path mapping to
/// its GitHub repository).
private func vanityMatch(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    for (vanity, hosting) in vanityPrefixes where a.starts(with: vanity) && b.starts(with: hosting) {
        if vanity.last == 0x2F { return a.dropFirst(vanity.count).elementsEqual(b.dropFirst(hosting.count)) }
        return a.count == vanity.count && b.count == hosting.count || a.dropFirst(vanity.count).elementsEqual(b.dropFirst(hosting.count))
    }
    // gopkg.in/pkg → github.com/go-pkg/pkg; gopkg.in/user/pkg → github.com/user/pkg.
    let gopkg = Array("gopkg.in/".utf8), github = Array("github.com/".utf8)
    if a.starts(with: gopkg) && b.starts(with: github) {
        let rest = Array(a.dropFirst(gopkg.count)), target = Array(b.dropFirst(github.count))
        if rest.contains(0x2F) { return asciiLower(rest) == asciiLower(target) }
        return asciiLower(target) == asciiLower(Array("go-".utf8) + rest + [0x2F] + rest)
    }
    return false
}

// MARK: - Punycode (RFC 3492) and confusables

/// Decodes a host's `xn--` labels and maps the result to ASCII through ``unicodeConfusables``.
/// Nil when the host has no `xn--` label or a label does not decode.
func punycodeSkeletonHost(_ host: [UInt8]) -> (ascii: [UInt8], unicode: String, allConfusable: Bool)? {
    // Fast path: no "xn--" anywhere (case-insensitively).
    var found = false
    if host.count >= 4 {
        for i in 0...(host.count - 4) where host[i] | 0x20 == 0x78 && host[i + 1] | 0x20 == 0x6E && host[i + 2] == 0x2D && host[i + 3] == 0x2D {
            found = true
            break
        }
    }
    guard found else { return nil }
    let labels = host.split(separator: 0x2E, omittingEmptySubsequences: false)
    guard labels.contains(where: { asciiLower(Array($0.prefix(4))) == Array("xn--".utf8) }) else { return nil }
    var ascii: [UInt8] = [], unicode = "", allConfusable = true
    for (n, label) in labels.enumerated() {
        if n > 0 { ascii.append(0x2E); unicode += "." }
        if asciiLower(Array(label.prefix(4))) == Array("xn--".utf8) {
            guard let scalars = punycodeDecode(Array(label.dropFirst(4))) else { return nil }
            for s in scalars {
                unicode.unicodeScalars.append(s)
                if s.isASCII { ascii.append(UInt8(s.value)) }
                else if let m = unicodeConfusables[s.value] { ascii.append(m) }
                else { allConfusable = false; ascii += Array(String(s).utf8) }
            }
        } else {
            ascii += label
            unicode += String(decoding: label, as: UTF8.self)
        }
    }
    return (ascii, unicode, allConfusable)
}

/// RFC 3492 punycode decoding of one label (without `xn--`); nil on malformed input or overflow.
func punycodeDecode(_ input: [UInt8]) -> [Unicode.Scalar]? {
    let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    guard input.count <= 63 else { return nil }
    var output: [UInt32] = []
    var rest = input[...]
    if let delimiter = input.lastIndex(of: 0x2D) {
        for b in input[..<delimiter] { guard b < 0x80 else { return nil }; output.append(UInt32(b)) }
        rest = input[(delimiter + 1)...]
    }
    func digit(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b - 0x30) + 26
        case 0x41...0x5A: Int(b - 0x41)
        case 0x61...0x7A: Int(b - 0x61)
        default: nil
        }
    }
    func adapt(_ delta: Int, _ numPoints: Int, _ first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 { delta /= base - tMin; k += base }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
    var n = 128, i = 0, bias = 72
    var iterator = rest.makeIterator()
    var pending = iterator.next()
    while pending != nil {
        let oldi = i
        var w = 1, k = base
        while true {
            guard let b = pending, let d = digit(b) else { return nil }
            pending = iterator.next()
            let (m, o1) = d.multipliedReportingOverflow(by: w)
            let (s, o2) = i.addingReportingOverflow(m)
            guard !o1, !o2, s <= 0x10FFFF * 64 else { return nil }
            i = s
            let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
            if d < t { break }
            let (w2, o3) = w.multipliedReportingOverflow(by: base - t)
            guard !o3 else { return nil }
            w = w2
            k += base
            if pending == nil { return nil }
        }
        let count = output.count + 1
        bias = adapt(i - oldi, count, oldi == 0)
        n += i / count
        i %= count
        guard n <= 0x10FFFF, output.count < 63 else { return nil }
        output.insert(UInt32(n), at: i)
        i += 1
    }
    var scalars: [Unicode.Scalar] = []
    for v in output { guard let s = Unicode.Scalar(v) else { return nil }; scalars.append(s) }
    return scalars
}

/// Lower-case letters that Unicode TR39's confusables data (`confusables.txt`) maps to a single
/// ASCII letter, for the scripts used in IDN homograph attacks (Cyrillic, Greek, Latin
/// extensions, Armenian). A subset: enough to recognise the classic homographs.
let unicodeConfusables: [UInt32: UInt8] = [
    // Cyrillic
    0x0430: 0x61, 0x0432: 0x62, 0x0435: 0x65, 0x043E: 0x6F, 0x0440: 0x70, 0x0441: 0x63, 0x0443: 0x79,
    0x0445: 0x78, 0x0455: 0x73, 0x0456: 0x69, 0x0458: 0x6A, 0x04BB: 0x68, 0x04CF: 0x6C, 0x0501: 0x64,
    0x051B: 0x71, 0x051D: 0x77, 0x0491: 0x72, 0x043A: 0x6B, 0x043C: 0x6D, 0x043D: 0x68, 0x0442: 0x74,
    // Greek
    0x03B1: 0x61, 0x03BF: 0x6F, 0x03C1: 0x70, 0x03BD: 0x76, 0x03B9: 0x69, 0x03BA: 0x6B, 0x03C5: 0x75,
    0x03C7: 0x78, 0x03B3: 0x79,
    // Latin extensions and IPA
    0x0131: 0x69, 0x0251: 0x61, 0x0261: 0x67, 0x026A: 0x69, 0x0274: 0x6E, 0x0280: 0x72, 0x028F: 0x79,
    0x1D0F: 0x6F, 0x1D1C: 0x75, 0x1D20: 0x76, 0x1D21: 0x77, 0x1D22: 0x7A, 0x0269: 0x69, 0x01C0: 0x6C,
    // Armenian
    0x0585: 0x6F, 0x0578: 0x6E, 0x057D: 0x75, 0x0570: 0x68, 0x0581: 0x67, 0x0584: 0x66,
]

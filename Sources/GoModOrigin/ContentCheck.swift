public import GoModCore
import GoModZip
import GoModVCS

/// The rebuild tier: the module zip rebuilt from the repository at each candidate commit, its
/// `h1:` compared with the checksum database's (or go.sum's) — the only content verdict; the
/// ``OriginVerdict`` before it compares refs, which the proxy's unauthenticated Origin names
/// (Docs/origin.md, "The rebuild tier").
public struct ContentCheck: Sendable, Hashable, Codable {
    /// The conclusion.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// A rebuild at the version's tag (or the pseudo-version's commit) now has the recorded `h1:`.
        case consistent
        /// The ref moved or was recreated, but its current target rebuilds to the recorded
        /// `h1:` (same contents): a note.
        case benignRetag = "benign-retag"
        /// The recorded commit rebuilds to the recorded `h1:` but the tag now names other
        /// contents: the mirror holds an upstream commit the tag no longer names.
        case refMoved = "ref-moved"
        /// No candidate commit rebuilds to the recorded `h1:`: the content the mirror and the
        /// checksum database vouch for is not in the repository under this version (the
        /// boltdb-go pattern, once the tag was force-pushed).
        case contentDiverges = "content-diverges"
        /// Nothing could be rebuilt (unreachable repository, no tag, module rules failed).
        case notRebuilt = "not-rebuilt"
    }

    /// One rebuild.
    public struct Rebuilt: Sendable, Hashable, Codable {
        /// What was rebuilt: `recorded` (Origin.Hash) or `current` (the tag now).
        public var candidate: String
        /// The commit archived (empty when the rebuild failed).
        public var commit: String
        /// Its `h1:` (empty when the rebuild failed).
        public var hash: String
        /// Whether ``hash`` equals the recorded `h1:`.
        public var matches: Bool
        /// Why the rebuild failed, if it did.
        public var error: String?
        /// The failure's ``OriginError/Code`` name (`OriginError.Code.rawValue`), if it
        /// failed: `OriginError.Code.unreachable` or `OriginError.Code.diskLimit` say
        /// nothing about the repository's contents (retry), the others are answers from it.
        public var errorCode: String? = nil
    }

    /// The conclusion.
    public var outcome: Outcome
    /// The `h1:` compared with (checksum database or go.sum).
    public var expected: String
    /// The rebuilds made.
    public var rebuilt: [Rebuilt]

    /// Decides from the rebuilds, given the cheap verdict before them (§6 of Docs/origin.md).
    public static func conclude(verdict: OriginVerdict.Kind, expected: String, rebuilt: [Rebuilt]) -> ContentCheck {
        let current = rebuilt.first { $0.candidate == "current" && $0.error == nil }
        let recorded = rebuilt.first { $0.candidate == "recorded" && $0.error == nil }
        let outcome: Outcome
        if current == nil && recorded == nil {
            outcome = .notRebuilt
        } else if current?.matches == true {
            outcome = (verdict == .refMoved || verdict == .refDeleted
                       || (recorded != nil && recorded?.commit != current?.commit)) ? .benignRetag : .consistent
        } else if recorded?.matches == true {
            outcome = .refMoved
        } else {
            outcome = .contentDiverges
        }
        return ContentCheck(outcome: outcome, expected: expected, rebuilt: rebuilt)
    }
}

extension OriginChecker {
    /// The rebuild tier's inputs.
    public struct RebuildTier: Sendable {
        /// The recorded `h1:` of a module version (checksum database or go.sum), `nil` when unknown.
        public var expectedHash: @Sendable (ModuleVersion) async -> String?
        /// The rebuilder (cmd/go's VCS cache under GOMODCACHE).
        public var rebuilder: UpstreamRebuilder
        /// Rebuild even when the cheap check was conclusive and clean.
        public var always: Bool

        /// A rebuild tier.
        public init(expectedHash: @escaping @Sendable (ModuleVersion) async -> String?, rebuilder: UpstreamRebuilder,
                    always: Bool = false) {
            self.expectedHash = expectedHash
            self.rebuilder = rebuilder
            self.always = always
        }
    }

    /// Runs the rebuild tier for `result` when its verdict needs it (or `tier.always`): rebuilds
    /// at `Origin.Hash` and at the version's tag now, and compares each with the recorded `h1:`.
    public static func rebuild(_ result: Result, tier: RebuildTier) async -> ContentCheck? {
        let kind = result.verdict.kind
        guard let root = result.repository, root.vcs == "git", let codeDir = result.codeDir,
              kind.needsRebuild || (tier.always && kind.isClean) else { return nil }
        guard let expected = await tier.expectedHash(result.module) else { return nil }
        let path = result.module.path.utf8String ?? ""
        let location = (try? ModuleLocation(modulePath: path, root: root))
            ?? ModuleLocation(codeDir: codeDir, pathMajor: "")
        var rebuilt: [ContentCheck.Rebuilt] = []
        func attempt(_ candidate: String, commit: String?) async {
            do throws(OriginError) {
                let made = try await tier.rebuilder.rebuild(result.module, root: root, location: location, commit: commit)
                let hash = made.created.hash.description
                rebuilt.append(.init(candidate: candidate, commit: made.commit, hash: hash, matches: hash == expected))
            } catch {
                rebuilt.append(.init(candidate: candidate, commit: commit ?? "", hash: "", matches: false, error: error.message,
                                     errorCode: error.code.rawValue))
            }
        }
        if let hash = result.origin?.hash, !hash.isEmpty {
            await attempt("recorded", commit: hash)
        }
        if kind != .refDeleted || Module.isPseudoVersion(result.module.version) {
            await attempt("current", commit: nil)
        }
        return ContentCheck.conclude(verdict: kind, expected: expected, rebuilt: rebuilt)
    }
}

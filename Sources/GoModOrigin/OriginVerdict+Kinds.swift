public import GoModCore

// The verdicts of `OriginVerdict.Kind` this release knows, one static member each, in the
// order of `OriginVerdict.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == OriginVerdict {
    /// `Origin.Ref` is listed and still names `Origin.Hash`.
    public static var consistent: Self { Self("consistent") }
    /// No `Ref`; some listed ref names `Origin.Hash` (normally the version's tag).
    public static var hashOnlyPresent: Self { Self("hash-only-present") }
    /// No `Ref`; no listed ref names `Origin.Hash` (normal for a pseudo-version, whose commit
    /// is usually an ancestor of a branch; a rebuild decides).
    public static var hashOnlyAbsent: Self { Self("hash-only-absent") }
    /// `Origin.Ref` names another commit now: `ref "<ref>" moved from <old> to <new>`.
    public static var refMoved: Self { Self("ref-moved") }
    /// `Origin.Ref` is no longer listed: `ref "<ref>" deleted`.
    public static var refDeleted: Self { Self("ref-deleted") }
    /// The ref is unchanged but `Origin.TagSum` differs from the tags now (`tags changed`).
    public static var tagsChanged: Self { Self("tags-changed") }
    /// The ref is unchanged but `Origin.RepoSum` differs from the refs now (`refs changed`).
    public static var refsChanged: Self { Self("refs-changed") }
    /// `Origin.VCS`, `URL` or `Subdir` differs from the resolved repository.
    public static var originMoved: Self { Self("origin-moved") }
    /// The `.info` has no `Origin` (versions first cached before 2022): rebuild to decide.
    public static var noOrigin: Self { Self("no-origin") }
    /// `Origin` has none of `Hash`, `TagSum`, `RepoSum`: rebuild to decide.
    public static var nonSpecific: Self { Self("non-specific") }
    /// The module is served by a `mod` (GOPROXY protocol) server or a VCS GoModKit cannot
    /// list: there is no repository to compare with.
    public static var originUnverifiable: Self { Self("origin-unverifiable") }
    /// The `.info`, the repository or its refs could not be read.
    public static var couldNotVerify: Self { Self("could-not-verify") }
}

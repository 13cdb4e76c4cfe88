import Foundation
import Testing
import GoModCore
@testable import GoModOrigin

@Suite("Origin verdicts")
struct OriginVerdictTests {
    static let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40)
    static let c = String(repeating: "c", count: 40)
    static let root = RepoRoot(repoURL: "https://github.com/arvintian/loki-client-go", root: "github.com/arvintian/loki-client-go", vcs: "git")
    static let location = ModuleLocation(codeDir: "", pathMajor: "")

    func verdict(_ origin: ModuleOrigin?, _ refs: [ByteString: String], version: ByteString = "v0.0.2",
                 location: ModuleLocation = location) -> OriginVerdict {
        OriginVerdict.evaluate(origin: origin, version: version, root: Self.root, location: location,
                               listing: RefListing(refs: refs))
    }

    /// The loki-client `.info` (refunc/refunc#28): Ref and Hash; the tag later named another commit.
    static let loki = ModuleOrigin(vcs: "git", url: "https://github.com/arvintian/loki-client-go",
                                   hash: "487ac97bd7dfe6ddf5887da080fc39f4725cc2b6", ref: "refs/tags/v0.0.2")

    @Test func refConsistentMovedDeleted() {
        let same = verdict(Self.loki, ["refs/tags/v0.0.2": "487ac97bd7dfe6ddf5887da080fc39f4725cc2b6"])
        #expect(same.kind == .consistent)
        let moved = verdict(Self.loki, ["refs/tags/v0.0.2": Self.c])
        #expect(moved.kind == .refMoved)
        #expect(moved.message == "ref \"refs/tags/v0.0.2\" moved from 487ac97bd7dfe6ddf5887da080fc39f4725cc2b6 to \(Self.c)")
        #expect(moved.currentHash == Self.c)
        let deleted = verdict(Self.loki, ["refs/tags/v0.0.1": Self.c])
        #expect(deleted.kind == .refDeleted)
        #expect(deleted.message == #"ref "refs/tags/v0.0.2" deleted"#)
    }

    @Test func hashOnly() {
        // The BurntSushi answer: Hash only, equal to refs/tags/v1.6.0.
        let burnt = ModuleOrigin(vcs: "git", url: Self.root.repoURL, hash: "52534926" + String(repeating: "0", count: 32))
        let present = verdict(burnt, ["refs/tags/v1.6.0": burnt.hash!], version: "v1.6.0")
        #expect(present.kind == .hashOnlyPresent)
        #expect(present.ref == "refs/tags/v1.6.0")
        let absent = verdict(burnt, ["refs/tags/v1.6.0": Self.c], version: "v1.6.0")
        #expect(absent.kind == .hashOnlyAbsent)
        #expect(absent.currentHash == Self.c)
        // A pseudo-version whose commit a branch head names.
        let pseudo = ModuleOrigin(vcs: "git", url: Self.root.repoURL, hash: Self.a)
        #expect(verdict(pseudo, ["refs/heads/main": Self.a], version: "v0.0.0-20211109021931-aaaaaaaaaaaa").kind == .hashOnlyPresent)
        #expect(verdict(pseudo, ["refs/heads/main": Self.b], version: "v0.0.0-20211109021931-aaaaaaaaaaaa").kind == .hashOnlyAbsent)
    }

    @Test func cmdGoReuseMessages() {
        #expect(verdict(nil, [:]).kind == .noOrigin)
        #expect(verdict(nil, [:]).message == "missing origin")
        let moved = verdict(ModuleOrigin(vcs: "git", url: "https://github.com/other/repo", hash: Self.a), [:])
        #expect(moved.kind == .originMoved)
        #expect(moved.message == #"origin moved from git "https://github.com/other/repo" to git "https://github.com/arvintian/loki-client-go""#)
        let sub = verdict(ModuleOrigin(vcs: "git", url: Self.root.repoURL, subdir: "old", hash: Self.a), [:],
                          location: ModuleLocation(codeDir: "sub", pathMajor: ""))
        #expect(sub.message == #"origin moved from git "https://github.com/arvintian/loki-client-go" "old" to git "https://github.com/arvintian/loki-client-go" "sub""#)
        let vague = verdict(ModuleOrigin(vcs: "git", url: Self.root.repoURL, ref: "refs/tags/v0.0.2"), [:])
        #expect(vague.kind == .nonSpecific)
        #expect(vague.message == "non-specific origin")
        // TagSum and RepoSum recomputed from the listing.
        let refs: [ByteString: String] = ["refs/tags/v1.3.0": Self.a, "HEAD": Self.c]
        let listing = RefListing(refs: refs)
        let sums = ModuleOrigin(vcs: "git", url: Self.root.repoURL, tagPrefix: "", tagSum: listing.tagSum(prefix: ""),
                                repoSum: listing.repoSum)
        #expect(verdict(sums, refs).kind == .consistent)
        #expect(verdict(sums, refs.merging(["refs/tags/v1.3.1": Self.b]) { a, _ in a }).message == "tags changed")
        #expect(verdict(sums, refs.merging(["refs/heads/x": Self.b]) { a, _ in a }).message == "refs changed")
    }

    @Test func subdirectoryModule() {
        let origin = ModuleOrigin(vcs: "git", url: Self.root.repoURL, subdir: "sub", hash: Self.a, ref: "refs/tags/sub/v1.2.3")
        let location = ModuleLocation(codeDir: "sub", pathMajor: "")
        #expect(verdict(origin, ["refs/tags/sub/v1.2.3": Self.a], version: "v1.2.3", location: location).kind == .consistent)
        #expect(verdict(origin, ["refs/tags/sub/v1.2.3": Self.b], version: "v1.2.3", location: location).kind == .refMoved)
    }

    @Test func modAndOtherVCS() {
        let mod = RepoRoot(repoURL: "https://proxy.test", root: "example.test/m", vcs: "mod", isCustom: true)
        #expect(OriginVerdict.evaluate(origin: nil, version: "v1.0.0", root: mod, location: Self.location, listing: nil).kind == .originUnverifiable)
        let hg = RepoRoot(repoURL: "https://hg.test/m", root: "example.test/m", vcs: "hg", isCustom: true)
        let v = OriginVerdict.evaluate(origin: nil, version: "v1.0.0", root: hg, location: Self.location, listing: nil)
        #expect(v.message == "vcs hg does not implement CheckReuse")
    }

    @Test func decodesInfoOrigin() throws {
        let json = #"{"Hash":"487ac97bd7dfe6ddf5887da080fc39f4725cc2b6","Ref":"refs/tags/v0.0.2","URL":"https://github.com/arvintian/loki-client-go","VCS":"git"}"#
        #expect(try ModuleOrigin(json: Array(json.utf8)) == Self.loki)
        #expect(throws: OriginError.self) { try ModuleOrigin(json: Array(#"{"Hash":1}"#.utf8)) }
    }

    /// An origin verdict encodes as its name and decodes from it; an unknown name is an error.
    @Test func originVerdictKindCodable() throws {
        let data = try JSONEncoder().encode([OriginVerdict.Kind.refMoved, .hashOnlyAbsent])
        #expect(String(decoding: data, as: UTF8.self) == #"["ref-moved","hash-only-absent"]"#)
        #expect(try JSONDecoder().decode([OriginVerdict.Kind].self, from: data) == [.refMoved, .hashOnlyAbsent])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([OriginVerdict.Kind].self, from: Data(#"["moved"]"#.utf8))
        }
        #expect(OriginVerdict.Kind.consistent.isClean && OriginVerdict.Kind.refMoved.isFinding)
        #expect(OriginVerdict.Kind.noOrigin.needsRebuild && !OriginVerdict.Kind.couldNotVerify.needsRebuild)
    }
}

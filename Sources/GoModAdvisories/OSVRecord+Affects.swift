public import GoModCore

/// Version logic of the Go vulnerability database (golang/vuln `internal/semver`): OSV
/// versions carry no `v`, the standard library is versioned by Go release tags.
public enum AdvisoryVersion {
    /// `v` + `version` with a leading `v` or `go` removed first (golang/vuln
    /// `canonicalizeSemverPrefix`), so `1.9.3`, `v1.9.3` and `go1.9.3` compare alike.
    public static func canonicalPrefix(_ version: String) -> ByteString {
        var s = Substring(version)
        if s.hasPrefix("v") { s = s.dropFirst() } else if s.hasPrefix("go") { s = s.dropFirst(2) }
        return ByteString("v" + s)
    }

    /// `a < b` as golang/vuln's `semver.Less`: both with the prefix canonicalised, compared
    /// with x/mod `semver.Compare` (an invalid version sorts below every valid one).
    public static func less(_ a: String, _ b: String) -> Bool {
        Semver.compare(canonicalPrefix(a), canonicalPrefix(b)) < 0
    }

    /// A Go release tag as a semantic version (golang/vuln `GoTagToSemver`): `go1.21.0` →
    /// `v1.21.0`, `go1.20` → `v1.20.0`, `go1.20rc1` → `v1.20.0-rc.1`, `go1.19beta1` →
    /// `v1.19.0-beta.1`, `go1` → `v1.0.0`; anything after the first space is dropped (a
    /// `go version` line). `nil` when `tag` is not a Go release tag.
    public static func goTagToSemver(_ tag: String) -> String? {
        guard let first = tag.split(separator: " ").first else { return nil }
        let t = Array(first.utf8)
        if t == Array("go1".utf8) { return "v1.0.0" }
        guard t.count > 2, t[0] == UInt8(ascii: "g"), t[1] == UInt8(ascii: "o") else { return nil }
        var i = 2
        func digits() -> String? {
            let start = i
            while i < t.count, t[i] >= 0x30, t[i] <= 0x39 { i += 1 }
            guard i > start, i - start <= 9 else { return nil }
            return String(decoding: t[start..<i], as: UTF8.self)
        }
        guard let major = digits() else { return nil }
        var minor = "0", patch = "0"
        if i < t.count, t[i] == UInt8(ascii: ".") {
            i += 1
            guard let m = digits() else { return nil }
            minor = m
            if i < t.count, t[i] == UInt8(ascii: ".") {
                i += 1
                guard let p = digits() else { return nil }
                patch = p
            }
        }
        var version = "v\(major).\(minor).\(patch)"
        for kind in ["beta", "rc"] where t[i...].starts(with: kind.utf8) {
            i += kind.utf8.count
            guard let n = digits() else { return nil }
            version += "-\(kind).\(n)"
            break
        }
        if i < t.count {
            // A build suffix such as `-bigcorp` is kept as semver build metadata, as Go does.
            guard t[i] == UInt8(ascii: "-") else { return nil }
            version += "+" + String(decoding: t[(i + 1)...], as: UTF8.self)
        }
        return Semver.isValid(ByteString(version)) ? version : nil
    }
}

extension OSVRecord.Range {
    /// Whether `version` is in this range (golang/vuln `semver.ContainsSemver`, with OSV's
    /// `last_affected`): only SEMVER ranges contain anything; no events ⇒ every version.
    /// Events are sorted by their version, `introduced: "0"` first, ties in record order;
    /// walking them from "not affected", an `introduced` event sets affected to
    /// `x == "0" || version ≥ x`, a `fixed` event while affected sets it to `version < x`, a
    /// `last_affected` event while affected to `version ≤ x`.
    public func contains(_ version: String) -> Bool {
        guard type == "SEMVER" else { return false }
        if events.isEmpty { return true }
        func key(_ e: OSVRecord.Event) -> String? {
            if e.introduced == "0" { return nil }
            return e.fixed ?? e.lastAffected ?? e.introduced ?? e.limit
        }
        let sorted = events.enumerated().sorted { l, r in
            let a = key(l.element), b = key(r.element)
            switch (a, b) {
            case (nil, nil): return l.offset < r.offset
            case (nil, _): return true
            case (_, nil): return false
            case let (a?, b?):
                if AdvisoryVersion.less(a, b) { return true }
                if AdvisoryVersion.less(b, a) { return false }
                return l.offset < r.offset
            }
        }.map(\.element)
        var affected = false
        for e in sorted {
            if !affected, let x = e.introduced {
                affected = x == "0" || !AdvisoryVersion.less(version, x)
            } else if affected, let x = e.fixed {
                affected = AdvisoryVersion.less(version, x)
            } else if affected, let x = e.lastAffected {
                affected = !AdvisoryVersion.less(x, version)
            }
        }
        return affected
    }

    /// The range in words: `introduced 0, fixed 1.8.3; …` as OSV spells the events.
    public var summary: String {
        events.map { e in
            if let x = e.introduced { return "introduced \(x)" }
            if let x = e.fixed { return "fixed \(x)" }
            if let x = e.lastAffected { return "last_affected \(x)" }
            if let x = e.limit { return "limit \(x)" }
            return "?"
        }.joined(separator: ", ")
    }
}

extension OSVRecord.Affected {
    /// Whether `version` of this entry's package is affected (golang/vuln `semver.Affects`,
    /// plus OSV's `versions` list): no ranges and no versions ⇒ affected; only non-SEMVER
    /// ranges ⇒ affected (conservative); otherwise affected when a SEMVER range contains it
    /// or `versions` lists it (with or without the `v`).
    public func affects(_ version: String) -> Bool {
        let listed = versions.contains { Semver.compare(AdvisoryVersion.canonicalPrefix($0), AdvisoryVersion.canonicalPrefix(version)) == 0
            && Semver.isValid(AdvisoryVersion.canonicalPrefix($0)) }
        if listed { return true }
        let semverRanges = ranges.filter { $0.type == "SEMVER" }
        if semverRanges.isEmpty { return ranges.isEmpty ? versions.isEmpty : true }
        return semverRanges.contains { $0.contains(version) }
    }
}

extension OSVRecord {
    /// The affected entries for module `path` (for Go, `ecosystem` is `Go`).
    public func entries(for path: String) -> [Affected] {
        affected.filter { $0.package.name == path && $0.package.ecosystem == "Go" }
    }

    /// Whether `version` of module `path` is affected: not withdrawn and some entry for the
    /// module affects it.
    public func affects(module path: String, version: String) -> Bool {
        !isWithdrawn && entries(for: path).contains { $0.affects(version) }
    }

    /// The earliest fix for `version` of `path` that is not itself affected, with a `v`
    /// (golang/vuln `vulncheck.FixedVersion`: every `fixed` above the version, lowest first,
    /// the first not contained in any range); `nil` when there is none.
    public func fixedVersion(module path: String, version: String) -> String? {
        let entries = entries(for: path)
        var fixes: [String] = []
        for a in entries {
            for r in a.ranges where r.type == "SEMVER" {
                for e in r.events {
                    if let f = e.fixed, AdvisoryVersion.less(version, f) { fixes.append(f) }
                }
            }
        }
        let sorted = fixes.enumerated().sorted { l, r in
            if AdvisoryVersion.less(l.element, r.element) { return true }
            if AdvisoryVersion.less(r.element, l.element) { return false }
            return l.offset < r.offset
        }.map(\.element)
        for fix in sorted where !entries.contains(where: { $0.ranges.contains { $0.contains(fix) } }) {
            return fix.hasPrefix("v") ? fix : "v" + fix
        }
        return nil
    }
}

public import GoModCore

/// Version logic of the Go vulnerability database (golang/vuln `internal/semver`): OSV
/// versions carry no `v`, the standard library is versioned by Go release tags.
public enum AdvisoryVersion {
    /// `version` with the prefix canonicalised as golang/vuln's `canonicalizeSemverPrefix`
    /// does: a leading `v`, then a leading `go`, removed; `v` added unless the rest starts
    /// with `v` or `go`. So `1.9.3`, `v1.9.3` and `go1.9.3` all become `v1.9.3`.
    public static func canonicalPrefix(_ version: String) -> ByteString {
        var s = Substring(version)
        if s.hasPrefix("v") { s = s.dropFirst() }
        if s.hasPrefix("go") { s = s.dropFirst(2) }
        return ByteString(s.hasPrefix("v") || s.hasPrefix("go") ? String(s) : "v" + s)
    }

    /// `a < b` as golang/vuln's `semver.Less`: both with the prefix canonicalised, compared
    /// with x/mod `semver.Compare` (an invalid version sorts below every valid one).
    public static func less(_ a: String, _ b: String) -> Bool {
        Semver.compare(canonicalPrefix(a), canonicalPrefix(b)) < 0
    }

    /// A Go release tag as a semantic version (golang/vuln `GoTagToSemver`, its pattern
    /// `^go(\d+\.\d+)(\.\d+|)((beta|rc|-pre)(\d+))?$` on the first space-separated field):
    /// `go1.21.0` → `v1.21.0`, `go1.20` → `v1.20.0`, `go1.20rc1` → `v1.20.0-rc.1`,
    /// `go1.19beta1` → `v1.19.0-beta.1`, `go1.20-pre4` → `v1.20.0-pre.4`, `go1` → `v1.0.0`;
    /// `nil` for anything else (`go1.0` included, as in Go).
    public static func goTagToSemver(_ tag: String) -> String? {
        guard let first = tag.split(separator: " ", omittingEmptySubsequences: true).first else { return nil }
        let t = Array(first.utf8)
        if t == Array("go1".utf8) { return "v1.0.0" }
        if t == Array("go1.0".utf8) { return nil }
        guard t.starts(with: "go".utf8) else { return nil }
        var i = 2
        func digits() -> String? {
            let start = i
            while i < t.count, t[i] >= 0x30, t[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
            return String(decoding: t[start..<i], as: UTF8.self)
        }
        guard let major = digits(), i < t.count, t[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        guard let minor = digits() else { return nil }
        var version = "v\(major).\(minor)"
        if i < t.count, t[i] == UInt8(ascii: ".") {
            i += 1
            guard let patch = digits() else { return nil }
            version += ".\(patch)"
        } else {
            version += ".0"
        }
        if i < t.count {
            var kind: String?
            for k in ["beta", "rc", "-pre"] where t[i...].starts(with: k.utf8) { kind = k; break }
            guard let kind else { return nil }
            i += kind.utf8.count
            guard let n = digits() else { return nil }
            version += (kind.hasPrefix("-") ? "" : "-") + kind + "." + n
        }
        return i == t.count ? version : nil
    }

    /// A semantic version as govulncheck prints a Go release (golang/vuln `SemverToGoTag`):
    /// `v1.0.0` → `go1`; a `.0` patch is dropped before v1.21.0 and for pre-releases
    /// (`v1.20.0` → `go1.20`, `v1.21.0` → `go1.21.0`); the dot before a pre-release's final
    /// digits is removed (`v1.27.0-rc.2` → `go1.27-rc2`, govulncheck's spelling of go1.27rc2).
    public static func semverToGoTag(_ v: String) -> String {
        if v == "v1.0.0" { return "go1" }
        let canonical = Semver.canonical(ByteString(v))
        let pre = String(decoding: Semver.prerelease(canonical).bytes, as: UTF8.self)
        var base = String(decoding: canonical.bytes.dropLast(pre.utf8.count), as: UTF8.self)
        let majorMinor = String(decoding: Semver.majorMinor(canonical).bytes, as: UTF8.self)
        if base == majorMinor + ".0", Semver.compare(ByteString(v), "v1.21.0") < 0 || !pre.isEmpty {
            base = majorMinor
        }
        var out = "go" + base.dropFirst()
        if !pre.isEmpty {
            var p = Array(pre.utf8)
            var j = p.count
            while j > 0, p[j - 1] >= 0x30, p[j - 1] <= 0x39 { j -= 1 }
            if j < p.count, j >= 1 { p.remove(at: j - 1) }
            out += String(decoding: p, as: UTF8.self)
        }
        return out
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

public import struct Foundation.Date

// Pseudo-versions (x/mod `module/pseudo.go`; https://go.dev/ref/mod#pseudo-versions):
//   vX.0.0-yyyymmddhhmmss-abcdefabcdef           no base tag
//   vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef     base is the prerelease vX.Y.Z-pre
//   vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef     base is the release vX.Y.Z
// each optionally followed by +incompatible (or other build metadata).

extension Module {
    /// The timestamp layout of pseudo-versions, `yyyymmddhhmmss` in UTC (Go's
    /// `module.PseudoVersionTimestampFormat`, `"20060102150405"`).
    public static let pseudoVersionTimestampFormat = "20060102150405"

    /// Whether `version` is a pseudo-version (Go's `module.IsPseudoVersion`): at least two
    /// `-`, a valid semantic version, and a match for x/mod's pseudo-version pattern
    /// `^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`.
    ///
    /// Like Go's, the check is lax: the timestamp is not validated (see
    /// ``pseudoVersionTime(_:)``) and the revision may be of any length and case.
    public static func isPseudoVersion(_ version: ByteString) -> Bool {
        isPseudoVersionBytes(version.bytes)
    }

    /// Whether `version` is the zero pseudo-version of its major version, e.g.
    /// `v0.0.0-00010101000000-000000000000` (Go's `module.IsZeroPseudoVersion`).
    public static func isZeroPseudoVersion(_ version: ByteString) -> Bool {
        version == zeroPseudoVersion(major: Semver.major(version))
    }

    /// The pseudo-version with a zero timestamp and revision, a placeholder (Go's
    /// `module.ZeroPseudoVersion`): `<major>.0.0-00010101000000-000000000000`.
    public static func zeroPseudoVersion(major: ByteString) -> ByteString {
        pseudoVersion(major: major, older: "", timestamp: Array("00010101000000".utf8), revision: "000000000000")
    }

    /// Builds a pseudo-version (Go's `module.PseudoVersion`) from a major version (`""` means
    /// `v0`), the most recent older tag (`""` if none), the commit time and a revision
    /// identifier (usually the first 12 hex digits of the commit hash).
    ///
    /// The time is formatted in UTC with the proleptic Gregorian calendar, like Go's
    /// `time.Time.Format`; fractional seconds are dropped. Dates beyond ±10¹⁵ seconds from 1970
    /// (far outside any commit time) are clamped to that range.
    public static func pseudoVersion(major: ByteString, older: ByteString, time: Date,
                                     revision: ByteString) -> ByteString {
        pseudoVersion(major: major, older: older, timestamp: formatTimestamp(time), revision: revision)
    }

    /// The commit time recorded in a pseudo-version (Go's `module.PseudoVersionTime`).
    ///
    /// Errors: `pseudo-version "<v>" invalid: syntax error` when `version` is not a
    /// pseudo-version; `… invalid: malformed time "<ts>"` when the timestamp is not a valid
    /// date and time (month 1–12, a day that exists in that month, hour < 24, minute and
    /// second < 60), as Go's `time.Parse` decides.
    public static func pseudoVersionTime(_ version: ByteString) throws(ModulePathError) -> Date {
        let parts = try parsePseudoVersion(version.bytes)
        guard let seconds = parseTimestamp(parts.timestamp) else {
            throw versionError(.pseudoVersionMalformedTime, version: version.bytes, pseudo: true,
                               reason: Array("malformed time ".utf8) + quotedBytes(parts.timestamp))
        }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// The revision identifier of a pseudo-version, e.g. `abcdefabcdef` (Go's
    /// `module.PseudoVersionRev`). Errors as ``pseudoVersionTime(_:)`` for a non-pseudo-version.
    public static func pseudoVersionRev(_ version: ByteString) throws(ModulePathError) -> ByteString {
        ByteString(try parsePseudoVersion(version.bytes).revision)
    }

    /// The canonical version a pseudo-version is based on, or `""` when it has none (Go's
    /// `module.PseudoVersionBase`): `v1.2.4-0.2006…-hash` → `v1.2.3`;
    /// `v1.2.3-pre.0.2006…-hash+incompatible` → `v1.2.3-pre+incompatible`.
    ///
    /// Errors: not a pseudo-version (`syntax error`); a `vX.0.0-…` pseudo-version with build
    /// metadata (`lacks base version, but has build metadata "+…"`); a `vX.Y.0-0.…` form,
    /// whose base would have a negative patch number.
    public static func pseudoVersionBase(_ version: ByteString) throws(ModulePathError) -> ByteString {
        let v = version.bytes
        let parts = try parsePseudoVersion(v)
        var base = parts.base
        let pre = Semver.prerelease(ByteString(base)).bytes
        if pre.isEmpty {
            if !parts.build.isEmpty {
                throw versionError(.pseudoVersionBuildWithoutBase, version: v, pseudo: true,
                                   reason: Array("lacks base version, but has build metadata ".utf8)
                                       + quotedBytes(parts.build))
            }
            return ""
        }
        if pre == Array("-0".utf8) {
            base.removeLast(pre.count)
            // base is vX.Y.Z here: the pattern guarantees a patch number after the last dot.
            let dot = base.lastIndex(of: UInt8(ascii: ".")) ?? 0
            guard let patch = decrementDecimal(Array(base[(dot + 1)...])) else {
                throw versionError(.pseudoVersionNegativePatch, version: v, pseudo: true,
                                   reason: Array("version before ".utf8) + base
                                       + Array(" would have negative patch number".utf8))
            }
            return ByteString(Array(base[...dot]) + patch + parts.build)
        }
        // vX.Y.Z-pre.0.yyyymmddhhmmss-rev: the pattern guarantees the ".0" before the date.
        if base.hasSuffix(Array(".0".utf8)) { base.removeLast(2) }
        return ByteString(base + parts.build)
    }

    // MARK: - Internals

    /// The pieces of a pseudo-version (Go's `parsePseudoVersion`).
    struct PseudoVersionParts {
        var base: [UInt8]
        var timestamp: [UInt8]
        var revision: [UInt8]
        var build: [UInt8]
    }

    static func parsePseudoVersion(_ version: [UInt8]) throws(ModulePathError) -> PseudoVersionParts {
        guard isPseudoVersionBytes(version) else {
            throw versionError(.pseudoVersionSyntax, version: version, pseudo: true, reason: Array("syntax error".utf8))
        }
        let build = Semver.build(ByteString(version)).bytes
        var v = Array(version[..<(version.count - build.count)])
        // The pattern guarantees at least two dashes before the build suffix.
        let j = v.lastIndex(of: UInt8(ascii: "-")) ?? 0
        let revision = Array(v[(j + 1)...])
        v = Array(v[..<j])
        let i = v.lastIndex(of: UInt8(ascii: "-")) ?? 0
        if let dot = v.lastIndex(of: UInt8(ascii: ".")), dot > i {
            return PseudoVersionParts(base: Array(v[..<dot]), timestamp: Array(v[(dot + 1)...]),
                                      revision: revision, build: build)
        }
        return PseudoVersionParts(base: Array(v[..<i]), timestamp: Array(v[(i + 1)...]),
                                  revision: revision, build: build)
    }

    /// Go's `IsPseudoVersion` on bytes; the regular expression is matched by hand in linear
    /// time (see the comments for why each step is forced).
    static func isPseudoVersionBytes(_ v: [UInt8]) -> Bool {
        guard v.lazy.filter({ $0 == UInt8(ascii: "-") }).count >= 2, SemverParse(v) != nil else { return false }
        // Split off the optional build part: no other part of the pattern may contain '+'.
        let plus = v.firstIndex(of: UInt8(ascii: "+")) ?? v.count
        if plus < v.count {
            // \+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*
            let build = v[(plus + 1)...]
            guard !build.isEmpty else { return false }
            var previousDot = true
            for c in build {
                if c == UInt8(ascii: ".") {
                    if previousDot { return false }
                    previousDot = true
                } else if isASCIIDigit(c) || isASCIILetter(c) || c == UInt8(ascii: "-") {
                    previousDot = false
                } else {
                    return false
                }
            }
            if previousDot { return false }
        }
        let main = v[..<plus]
        // \d{14}-[A-Za-z0-9]+$ : the revision contains no '-', so its dash is the last one.
        guard let lastDash = main.lastIndex(of: UInt8(ascii: "-")) else { return false }
        let revision = main[(lastDash + 1)...]
        guard !revision.isEmpty, revision.allSatisfy({ isASCIIDigit($0) || isASCIILetter($0) }) else { return false }
        let q = lastDash - 14  // where the 14-digit timestamp must start
        guard q >= 0, main[q..<lastDash].allSatisfy(isASCIIDigit) else { return false }
        // ^v[0-9]+\.
        guard main.first == UInt8(ascii: "v") else { return false }
        var i = 1
        let digitsStart = i
        while i < q && isASCIIDigit(main[i]) { i += 1 }
        guard i > digitsStart, i < q, main[i] == UInt8(ascii: ".") else { return false }
        i += 1
        // Alternative 1: 0\.0- directly before the timestamp.
        if q - i == 4 && main[i..<q].elementsEqual(Array("0.0-".utf8)) { return true }
        // Alternative 2: \d+\.\d+-([^+]*\.)?0\. with "0." directly before the timestamp.
        let a = i
        while i < q && isASCIIDigit(main[i]) { i += 1 }
        guard i > a, i < q, main[i] == UInt8(ascii: ".") else { return false }
        i += 1
        let b = i
        while i < q && isASCIIDigit(main[i]) { i += 1 }
        guard i > b, i < q, main[i] == UInt8(ascii: "-") else { return false }
        i += 1
        let p = q - 2  // start of the "0." before the timestamp
        guard p >= i, main[p] == UInt8(ascii: "0"), main[p + 1] == UInt8(ascii: ".") else { return false }
        // ([^+]*\.)? : empty, or anything (no '+' exists in `main`) ending in '.'.
        return p == i || main[p - 1] == UInt8(ascii: ".")
    }

    /// Go's `PseudoVersion` with the timestamp already formatted.
    static func pseudoVersion(major: ByteString, older: ByteString, timestamp: [UInt8],
                              revision: ByteString) -> ByteString {
        let majorBytes = major.isEmpty ? Array("v0".utf8) : major.bytes
        let segment = timestamp + [UInt8(ascii: "-")] + revision.bytes
        let build = Semver.build(older).bytes
        let canonical = Semver.canonicalBytes(older.bytes)
        if canonical.isEmpty {
            return ByteString(majorBytes + Array(".0.0-".utf8) + segment)
        }
        if !Semver.prerelease(ByteString(canonical)).isEmpty {
            return ByteString(canonical + Array(".0.".utf8) + segment + build)
        }
        let dot = (canonical.lastIndex(of: UInt8(ascii: ".")) ?? -1) + 1
        let prefix = Array(canonical[..<dot]), patch = Array(canonical[dot...])
        return ByteString(prefix + incrementDecimal(patch) + Array("-0.".utf8) + segment + build)
    }

    /// Go's `incDecimal`: a decimal string plus one.
    static func incrementDecimal(_ decimal: [UInt8]) -> [UInt8] {
        var digits = decimal
        var i = digits.count - 1
        while i >= 0 && digits[i] == UInt8(ascii: "9") {
            digits[i] = UInt8(ascii: "0")
            i -= 1
        }
        if i >= 0 {
            digits[i] += 1
        } else if !digits.isEmpty {
            digits[0] = UInt8(ascii: "1")
            digits.append(UInt8(ascii: "0"))
        }
        return digits
    }

    /// Go's `decDecimal`: a decimal string minus one, `nil` when it is all zeros.
    static func decrementDecimal(_ decimal: [UInt8]) -> [UInt8]? {
        var digits = decimal
        var i = digits.count - 1
        while i >= 0 && digits[i] == UInt8(ascii: "0") {
            digits[i] = UInt8(ascii: "9")
            i -= 1
        }
        if i < 0 { return nil }
        if i == 0 && digits[i] == UInt8(ascii: "1") && digits.count > 1 {
            digits.removeFirst()
        } else {
            digits[i] -= 1
        }
        return digits
    }

    /// Parses `yyyymmddhhmmss` (14 ASCII digits, guaranteed by the pattern) as a UTC time like
    /// Go's `time.Parse("20060102150405", …)`; seconds since 1970, or `nil` when out of range.
    static func parseTimestamp(_ ts: [UInt8]) -> Int64? {
        guard ts.count == 14, ts.allSatisfy(isASCIIDigit) else { return nil }
        func number(_ range: Range<Int>) -> Int64 {
            ts[range].reduce(0) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
        }
        let year = number(0..<4), month = number(4..<6), day = number(6..<8)
        let hour = number(8..<10), minute = number(10..<12), second = number(12..<14)
        guard (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        guard day >= 1 && day <= daysIn(month: month, year: year) else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// UTC `yyyymmddhhmmss` of a date, as Go's `Format("20060102150405")` prints it
    /// (years outside 0…9999 print with a sign or more digits, as Go's `appendInt` does).
    package static func formatTimestamp(_ date: Date) -> [UInt8] {
        let limit = 1e15
        var t = date.timeIntervalSince1970.rounded(.down)
        if t.isNaN { t = 0 }
        t = Swift.min(Swift.max(t, -limit), limit)
        let seconds = Int64(t)
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        var out: [UInt8] = []
        if year < 0 { out.append(UInt8(ascii: "-")) }
        out += paddedDecimal(year.magnitude, width: 4)
        out += paddedDecimal(UInt64(month), width: 2)
        out += paddedDecimal(UInt64(day), width: 2)
        out += paddedDecimal(UInt64(secondOfDay / 3_600), width: 2)
        out += paddedDecimal(UInt64(secondOfDay / 60 % 60), width: 2)
        out += paddedDecimal(UInt64(secondOfDay % 60), width: 2)
        return out
    }

    private static func paddedDecimal(_ value: UInt64, width: Int) -> [UInt8] {
        let digits = Array(String(value).utf8)
        return Array(repeating: UInt8(ascii: "0"), count: Swift.max(0, width - digits.count)) + digits
    }

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days in `month` (1…12) of `year`, proleptic Gregorian.
    package static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    package static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (inverse of
    /// ``daysFromCivil(year:month:day:)``).
    package static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

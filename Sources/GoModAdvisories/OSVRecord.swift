import GoModPlatform

/// One advisory in the Open Source Vulnerability format (https://ossf.github.io/osv-schema/),
/// with the fields the Go vulnerability database and ossf/malicious-packages use
/// (golang/vulndb `doc/format.md`; golang/vuln `internal/osv/osv.go`). Unknown fields are
/// ignored, as Go's readers ignore them.
public struct OSVRecord: Sendable, Hashable, Codable {
    /// One `affected[].ranges[].events[]` item: exactly one of its fields is set.
    public struct Event: Sendable, Hashable, Codable {
        /// `introduced`: the first affected version; `"0"` means "from the first commit".
        public var introduced: String?
        /// `fixed`: the first version no longer affected.
        public var fixed: String?
        /// `last_affected`: the last affected version (OSV; not used by the Go database).
        public var lastAffected: String?
        /// `limit`: an upper bound for git ranges; ignored for SEMVER, as OSV specifies.
        public var limit: String?

        /// An event.
        public init(introduced: String? = nil, fixed: String? = nil, lastAffected: String? = nil, limit: String? = nil) {
            self.introduced = introduced
            self.fixed = fixed
            self.lastAffected = lastAffected
            self.limit = limit
        }

        enum CodingKeys: String, CodingKey {
            case introduced, fixed, limit
            case lastAffected = "last_affected"
        }
    }

    /// One `affected[].ranges[]` item.
    public struct Range: Sendable, Hashable, Codable {
        /// `SEMVER`, `ECOSYSTEM` or `GIT`.
        public var type: String
        /// The events, in the record's order.
        public var events: [Event]

        /// A range.
        public init(type: String, events: [Event]) {
            self.type = type
            self.events = events
        }

        enum CodingKeys: String, CodingKey { case type, events }

        /// Decodes a range; a missing `events` list is an empty one.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            events = try c.decodeIfPresent([Event].self, forKey: .events) ?? []
        }
    }

    /// `affected[].package`.
    public struct Package: Sendable, Hashable, Codable {
        /// The ecosystem, `Go` for Go modules.
        public var ecosystem: String
        /// The module path, or `stdlib` / `toolchain` in the Go database.
        public var name: String

        /// A package.
        public init(ecosystem: String, name: String) {
            self.ecosystem = ecosystem
            self.name = name
        }
    }

    /// `affected[].ecosystem_specific.imports[]`: affected packages and symbols.
    public struct AffectedImport: Sendable, Hashable, Codable {
        /// The package import path.
        public var path: String
        /// Affected functions and methods (empty: the whole package).
        public var symbols: [String]?
        /// Restricting GOOS values.
        public var goos: [String]?
        /// Restricting GOARCH values.
        public var goarch: [String]?
    }

    /// `affected[].ecosystem_specific`.
    public struct EcosystemSpecific: Sendable, Hashable, Codable {
        /// The affected packages.
        public var imports: [AffectedImport]?
    }

    /// One `affected[]` entry.
    public struct Affected: Sendable, Hashable, Codable {
        /// The package (for Go: the module).
        public var package: Package
        /// The version ranges.
        public var ranges: [Range]
        /// Enumerated affected versions (OSV `versions`).
        public var versions: [String]
        /// The affected packages and symbols (Go database only).
        public var ecosystemSpecific: EcosystemSpecific?

        /// An entry.
        public init(package: Package, ranges: [Range], versions: [String] = [], ecosystemSpecific: EcosystemSpecific? = nil) {
            self.package = package
            self.ranges = ranges
            self.versions = versions
            self.ecosystemSpecific = ecosystemSpecific
        }

        enum CodingKeys: String, CodingKey {
            case package, ranges, versions
            case ecosystemSpecific = "ecosystem_specific"
        }

        /// Decodes an entry; missing `ranges` and `versions` are empty.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            package = try c.decode(Package.self, forKey: .package)
            ranges = try c.decodeIfPresent([Range].self, forKey: .ranges) ?? []
            versions = try c.decodeIfPresent([String].self, forKey: .versions) ?? []
            ecosystemSpecific = try? c.decodeIfPresent(EcosystemSpecific.self, forKey: .ecosystemSpecific)
        }
    }

    /// One `references[]` item.
    public struct Reference: Sendable, Hashable, Codable {
        /// `ADVISORY`, `ARTICLE`, `FIX`, `REPORT`, `WEB`, …
        public var type: String
        /// The address.
        public var url: String
    }

    /// `database_specific`, the fields GoModKit keeps.
    public struct DatabaseSpecific: Sendable, Hashable, Codable {
        /// `url`: the record's page (`https://pkg.go.dev/vuln/<id>`).
        public var url: String?
        /// `review_status`: `REVIEWED` or `UNREVIEWED` (absent means reviewed).
        public var reviewStatus: String?

        enum CodingKeys: String, CodingKey {
            case url
            case reviewStatus = "review_status"
        }

        /// Decodes the two fields, ignoring values of other types (OSV leaves the object free-form).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            url = try? c.decodeIfPresent(String.self, forKey: .url)
            reviewStatus = try? c.decodeIfPresent(String.self, forKey: .reviewStatus)
        }
    }

    /// `id`: `GO-YYYY-NNNN`, `MAL-YYYY-N`, `GHSA-…`, …
    public var id: String
    /// `aliases`: the same issue under other ids (CVE, GHSA).
    public var aliases: [String]
    /// `summary`.
    public var summary: String?
    /// `details`.
    public var details: String?
    /// `modified`, RFC 3339.
    public var modified: String?
    /// `published`, RFC 3339.
    public var published: String?
    /// `withdrawn`, RFC 3339: a withdrawn record never matches.
    public var withdrawn: String?
    /// `affected`.
    public var affected: [Affected]
    /// `references`.
    public var references: [Reference]
    /// `database_specific`.
    public var databaseSpecific: DatabaseSpecific?

    enum CodingKeys: String, CodingKey {
        case id, aliases, summary, details, modified, published, withdrawn, affected, references
        case databaseSpecific = "database_specific"
    }

    /// A record with only an id (fill in the rest).
    public init(id: String) {
        self.id = id
        aliases = []
        affected = []
        references = []
    }

    /// Decodes a record: `id` is required, every list may be absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        details = try c.decodeIfPresent(String.self, forKey: .details)
        modified = try c.decodeIfPresent(String.self, forKey: .modified)
        published = try c.decodeIfPresent(String.self, forKey: .published)
        withdrawn = try c.decodeIfPresent(String.self, forKey: .withdrawn)
        affected = try c.decodeIfPresent([Affected].self, forKey: .affected) ?? []
        references = (try? c.decodeIfPresent([Reference].self, forKey: .references)) ?? []
        databaseSpecific = try? c.decodeIfPresent(DatabaseSpecific.self, forKey: .databaseSpecific)
    }

    /// Whether the record is withdrawn (`withdrawn` set).
    public var isWithdrawn: Bool { withdrawn.map { !$0.isEmpty } ?? false }

    /// The review status as published: `database_specific.review_status`, `REVIEWED` when absent
    /// (golang/vulndb `doc/format.md`).
    public var reviewStatus: String { databaseSpecific?.reviewStatus ?? "REVIEWED" }

    /// The largest record accepted: 4 MiB. The largest Go database record is about 150 KB.
    public static let maxSize = 4 << 20

    /// Parses one record, refusing more than `limit` bytes and anything but a JSON object
    /// with a string `id` of at most 128 printable ASCII bytes.
    ///
    /// - Throws: ``AdvisoryError`` `.oversizedRecord` or `.malformedRecord`, naming `origin`.
    public static func parse(_ bytes: [UInt8], origin: String, limit: Int = maxSize) throws(AdvisoryError) -> OSVRecord {
        guard bytes.count <= limit else {
            throw AdvisoryError(.oversizedRecord, source: origin, detail: "\(bytes.count) bytes, more than \(limit)")
        }
        let record: OSVRecord
        do { record = try JSONDecoder().decode(OSVRecord.self, from: Data(bytes)) } catch {
            throw AdvisoryError(.malformedRecord, source: origin, detail: describeDecoding(error))
        }
        guard isValidID(record.id) else {
            throw AdvisoryError(.malformedRecord, source: origin, detail: "id \(quoted(record.id)) is not an advisory id")
        }
        return record
    }

    /// Whether `id` can name a record file: 1–128 bytes of `A-Z a-z 0-9 - _ .`, not starting
    /// with a dot.
    static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard !bytes.isEmpty, bytes.count <= 128, bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
        }
    }
}

/// A short description of a `DecodingError`.
func describeDecoding(_ error: any Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let c):
        c.codingPath.isEmpty ? "not valid JSON" : "\(path(c.codingPath)): \(c.debugDescription)"
    case DecodingError.keyNotFound(let key, let c): "\(path(c.codingPath + [key])): missing"
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
        "\(path(c.codingPath)): \(c.debugDescription)"
    default: "not valid JSON"
    }
}

private func path(_ keys: [any CodingKey]) -> String {
    keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
}

/// `s` in double quotes, non-printable bytes escaped, cut to 80 bytes.
func quoted(_ s: String) -> String {
    var out = "\""
    for b in s.utf8.prefix(80) {
        if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
            out.unicodeScalars.append(Unicode.Scalar(b))
        } else {
            let hex = String(b, radix: 16)
            out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return out + (s.utf8.count > 80 ? "…\"" : "\"")
}

import GoModCore
import GoModPlatform

/// One finding of a scan: one JSON object per line in a shard's output.
///
/// Every finding has ``kind``, ``path``, ``version``, ``repository`` and ``message``; a
/// typosquat adds ``target`` and ``rule``. Records carry no wall-clock time, so a resumed shard
/// writes the same bytes as an uninterrupted one.
public struct ScanFinding: Sendable, Hashable, Codable, Comparable {
    /// The kind of a finding.
    public struct Kind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The name written to the output.
        public let rawValue: String
        /// A kind by name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A tag names another commit than the mirror's `Origin` (or than the scan saw before).
        public static let tagMoved = Kind(rawValue: "tag-moved")
        /// A tag the mirror's version came from is gone from the repository.
        public static let tagDeleted = Kind(rawValue: "tag-deleted")
        /// A rebuild from the repository does not hash to the checksum database's `h1:`.
        public static let divergence = Kind(rawValue: "divergence")
        /// A new module path imitates a well-known or earlier path.
        public static let typosquat = Kind(rawValue: "typosquat")
        /// A version matches a known advisory.
        public static let advisory = Kind(rawValue: "advisory")
        /// A version gained a capability its previous version lacked.
        public static let capabilityAdded = Kind(rawValue: "capability-added")
        /// The name.
        public var description: String { rawValue }

        /// Decodes the name (a JSON string).
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        /// Encodes the name as a JSON string.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(rawValue)
        }
    }

    /// The kind.
    public var kind: Kind
    /// The module path.
    public var path: String
    /// The version (empty for a finding about a path, such as a typosquat on its first version).
    public var version: String
    /// The repository URL (the unit key), or the module path of an unresolved unit.
    public var repository: String
    /// What was found, for people.
    public var message: String
    /// For a typosquat: the path imitated.
    public var target: String?
    /// For a typosquat: the rule that matched; for an advisory: its ID.
    public var rule: String?

    /// A finding.
    public init(kind: Kind, path: String, version: String, repository: String, message: String,
                target: String? = nil, rule: String? = nil) {
        self.kind = kind; self.path = path; self.version = version; self.repository = repository
        self.message = message; self.target = target; self.rule = rule
    }

    /// Bytewise order on (repository, path, version, kind, message, target, rule).
    public static func < (a: ScanFinding, b: ScanFinding) -> Bool {
        func k(_ f: ScanFinding) -> [[UInt8]] {
            [Array(f.repository.utf8), Array(f.path.utf8), Array(f.version.utf8), Array(f.kind.rawValue.utf8),
             Array(f.message.utf8), Array((f.target ?? "").utf8), Array((f.rule ?? "").utf8)]
        }
        return k(a).lexicographicallyPrecedes(k(b)) { $0.lexicographicallyPrecedes($1) }
    }

    /// The JSON line (sorted keys, no newline).
    public var jsonLine: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? []
    }

    /// Decodes one JSON line; `nil` when it is not a finding.
    public init?(jsonLine: some Collection<UInt8>) {
        guard let f = try? JSONDecoder().decode(ScanFinding.self, from: Data(jsonLine)) else { return nil }
        self = f
    }

    /// `<path>@<version> (<repository>): <kind>: <message>`, with control characters escaped.
    public var text: String {
        let module = version.isEmpty ? path : "\(path)@\(version)"
        return printable("\(module) (\(repository)): \(kind.rawValue): \(message)")
    }
}

/// `text` with control characters and bidi overrides shown as `\u{…}` escapes (terminal safety).
func printable(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        let v = scalar.value
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
            out += "\\u{\(String(v, radix: 16))}"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// Joining shard outputs into one report (`gomodkit scan merge`).
public enum ScanReport {
    /// The merged findings and what was read.
    public struct Merged: Sendable, Equatable {
        /// Every finding, sorted bytewise and deduplicated.
        public var findings: [ScanFinding]
        /// The shard count the files declare (`shard-I-of-N`), when they are shard files.
        public var shardCount: Int?
        /// Shard indexes of that count with no file: the scan is incomplete.
        public var missingShards: [Int]
        /// Files read.
        public var files: [String]
    }

    /// Reads shard outputs: each input is a file or a directory (whose `shard-*-of-*.jsonl`
    /// files are read). Throws `ScanError.Code.badInput` for an unreadable file, a line that
    /// is not a finding, or shard files of different counts.
    public static func merge(_ inputs: [String]) throws(ScanError) -> Merged {
        var files: [String] = []
        for input in inputs {
            if directoryExists(input) {
                var names: [String] = []
                walkTree(input) { relative, isDirectory in
                    if !isDirectory, !relative.contains("/"), shardName(relative) != nil { names.append(relative) }
                }
                guard !names.isEmpty else { throw ScanError(.badInput, "\(input): no shard-<I>-of-<N>.jsonl files") }
                files += names.sortedByBytes().map { input + "/" + $0 }
            } else {
                files.append(input)
            }
        }
        var count: Int? = nil
        var present = Set<Int>()
        var all = Set<ScanFinding>()
        for file in files {
            if let shard = shardName(lastPathComponent(file)) {
                let (i, n) = shard
                if let count, count != n {
                    throw ScanError(.badInput, "\(file): a shard of \(n), but other inputs are shards of \(count)")
                }
                count = n
                present.insert(i)
            }
            let data: [UInt8]
            switch readFile(file, limit: 4 << 30) {
            case .success(let d): data = d
            case .failure(.open): throw ScanError(.badInput, "open \(file): no such file or not readable")
            case .failure(.tooLarge): throw ScanError(.badInput, "\(file): larger than 4 GiB")
            case .failure(.read(let e)): throw ScanError(.badInput, "read \(file): \(systemMessage(e.code))")
            }
            var number = 0
            for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
                number += 1
                if line.isEmpty { continue }
                guard let finding = ScanFinding(jsonLine: line) else {
                    throw ScanError(.badInput, "\(file):\(number): not a finding: \(goQuote(line.prefix(120)))")
                }
                all.insert(finding)
            }
        }
        let missing = count.map { n in (0..<n).filter { !present.contains($0) } } ?? []
        return Merged(findings: all.sorted(), shardCount: count, missingShards: missing, files: files)
    }

    /// `(I, N)` for a name `shard-I-of-N.jsonl`.
    static func shardName(_ name: String) -> (Int, Int)? {
        guard name.hasPrefix("shard-"), name.hasSuffix(".jsonl") else { return nil }
        let middle = name.dropFirst(6).dropLast(6)
        let parts = middle.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1] == "of", let i = Int(parts[0]), let n = Int(parts[2]), n >= 1, i >= 0, i < n,
              String(i) == parts[0], String(n) == parts[2] else { return nil }
        return (i, n)
    }

    /// One finding per line.
    public static func text(_ findings: [ScanFinding]) -> String {
        findings.map { $0.text + "\n" }.joined()
    }

    /// `{"findings":[…]}` with sorted keys.
    public static func json(_ merged: Merged) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return (try? Array(encoder.encode(MergedOutput(findings: merged.findings, shardCount: merged.shardCount,
                                                        missingShards: merged.missingShards)))) ?? []
    }

    /// A SARIF 2.1.0 log: one run of tool `gomodkit scan`, one rule per finding kind, one result
    /// per finding (level `error`, the module as a logical location).
    public static func sarif(_ findings: [ScanFinding]) -> [UInt8] {
        typealias Message = SARIF.Message
        typealias Rule = SARIF.Rule
        typealias Driver = SARIF.Driver
        typealias Tool = SARIF.Tool
        typealias LogicalLocation = SARIF.LogicalLocation
        typealias Location = SARIF.Location
        typealias Properties = SARIF.Properties
        typealias Result = SARIF.Result
        typealias Run = SARIF.Run
        typealias Log = SARIF.Log
        let descriptions: [String: String] = [
            "tag-moved": "A tag names another commit than the module mirror recorded.",
            "tag-deleted": "A tag the module mirror's version came from was deleted.",
            "divergence": "A rebuild from the repository does not match the checksum database.",
            "typosquat": "A new module path imitates a well-known or earlier module path.",
            "advisory": "A version matches a known advisory.",
            "capability-added": "A version gained a capability its previous version lacked.",
        ]
        let kinds = Set(findings.map(\.kind.rawValue)).sorted()
        let rules = kinds.map { Rule(id: $0, shortDescription: Message(text: descriptions[$0] ?? $0)) }
        let results = findings.map { f in
            let module = f.version.isEmpty ? f.path : "\(f.path)@\(f.version)"
            return Result(ruleId: f.kind.rawValue, level: "error", message: Message(text: "\(module): \(f.message)"),
                          locations: [Location(logicalLocations: [LogicalLocation(name: f.path, fullyQualifiedName: module, kind: "module")])],
                          properties: Properties(repository: f.repository, version: f.version, target: f.target, rule: f.rule))
        }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(name: "gomodkit scan", informationUri: "https://pkg.go.dev/golang.org/x/mod", rules: rules)), results: results)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return (try? Array(encoder.encode(log))) ?? []
    }
}

private struct MergedOutput: Encodable {
    var findings: [ScanFinding]
    var shardCount: Int?
    var missingShards: [Int]
}

/// The parts of SARIF 2.1.0 that `scan merge --format sarif` writes.
private enum SARIF {
    struct Message: Encodable { var text: String }
    struct Rule: Encodable { var id: String; var shortDescription: Message }
    struct Driver: Encodable { var name: String; var informationUri: String; var rules: [Rule] }
    struct Tool: Encodable { var driver: Driver }
    struct LogicalLocation: Encodable { var name: String; var fullyQualifiedName: String; var kind: String }
    struct Location: Encodable { var logicalLocations: [LogicalLocation] }
    struct Properties: Encodable { var repository: String; var version: String; var target: String?; var rule: String? }
    struct Result: Encodable {
        var ruleId: String; var level: String; var message: Message; var locations: [Location]; var properties: Properties
    }
    struct Run: Encodable { var tool: Tool; var results: [Result] }
    struct Log: Encodable {
        var version = "2.1.0"
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }
    }
}

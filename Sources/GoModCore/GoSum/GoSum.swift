/// A go.sum (or go.work.sum) file: the module checksums a Go module has recorded
/// (cmd/go `internal/modfetch/fetch.go`; https://go.dev/ref/mod#go-sum-files).
///
/// Each line is `<module path> <version>[/go.mod] <hash>`. Reading follows cmd/go
/// (`modfetch.readGoSum`): the file is split on `\n`, each line into fields at Unicode white
/// space (Go's `strings.Fields`), blank lines are skipped, and lines with the hash of an empty
/// go.mod are dropped. Records keep their bytes exactly — names are never decoded or
/// normalized — and their file order; several hashes may be recorded for one key.
///
/// Four reading modes (``ReadingMode``):
/// * ``ReadingMode/strict`` (the default): every line is read; every malformed line, invalid
///   path or version, non-canonical hash, unknown algorithm, duplicate and conflicting hash
///   becomes a ``GoSumDiagnostic`` with its line number, and reading continues. Records are
///   exactly those cmd/go would keep when it does not stop (`go mod tidy`), so
///   ``formatted()`` is what cmd/go writes.
/// * ``ReadingMode/go``: cmd/go 1.22+ — the first line without three fields throws cmd/go's
///   `malformed go.sum` error; no diagnostics.
/// * ``ReadingMode/goModTidy``: cmd/go during `go mod tidy` — such lines are skipped.
/// * ``ReadingMode/legacyGo``: cmd/go ≤ 1.21 — reading silently stops at the first such line
///   (``truncatedAtLine`` says where), losing every later record (golang/go#62345).
///
/// Reading is linear in the input and refuses inputs larger than ``Limits/maxBytes``.
public struct GoSum: Sendable, Equatable {
    /// How to read a file; see ``GoSum``.
    public enum ReadingMode: String, Sendable, Hashable, CaseIterable {
        /// GoModKit's strict reading: everything reported, nothing fatal.
        case strict
        /// cmd/go 1.22 and later: a malformed line is fatal.
        case go
        /// cmd/go during `go mod tidy`: malformed lines are skipped.
        case goModTidy
        /// cmd/go 1.21 and earlier: reading stops silently at the first malformed line.
        case legacyGo
    }

    /// Resource limits for reading.
    public struct Limits: Sendable, Hashable {
        /// The largest accepted input in bytes. Real go.sum files are well under 1 MiB; the
        /// default, 64 MiB, leaves room for about 700,000 lines.
        public var maxBytes: Int

        /// Creates limits.
        public init(maxBytes: Int = 64 << 20) { self.maxBytes = maxBytes }

        /// 64 MiB.
        public static let `default` = Limits()
    }

    /// One recorded checksum: a line of the file.
    public struct Record: Hashable, Sendable, CustomStringConvertible {
        /// The module path, exactly as written.
        public var path: ByteString
        /// The version, exactly as written, including any `/go.mod` suffix.
        public var version: ByteString
        /// The hash, exactly as written, e.g. `h1:…=`.
        public var hash: ByteString
        /// The 1-based line number (0 for records not read from a file).
        public var line: Int

        /// Creates a record.
        public init(path: ByteString, version: ByteString, hash: ByteString, line: Int = 0) {
            self.path = path
            self.version = version
            self.hash = hash
            self.line = line
        }

        /// The (path, version) key cmd/go files the hash under.
        public var key: GoModule.Version { GoModule.Version(path: path, version: version) }

        /// Whether the record is a `/go.mod` record (the hash of the module's go.mod alone).
        public var isGoMod: Bool { version.hasSuffix(GoSum.goModSuffix) }

        /// The version without a `/go.mod` suffix.
        public var moduleVersion: ByteString {
            isGoMod ? ByteString(Array(version.bytes.dropLast(GoSum.goModSuffix.count))) : version
        }

        /// The validated module and version (path passes `module.Check`, version canonical),
        /// or `nil`.
        public var module: ModuleVersion? {
            let v = moduleVersion
            guard Semver.isValid(v), GoModule.canonicalVersion(v) == v else { return nil }
            return try? ModuleVersion(path, v)
        }

        /// The hash when it is a canonical `h1:` hash, else `nil`.
        public var dirHash: DirHash? { hash.utf8String.flatMap(DirHash.init) }

        /// The line as cmd/go writes it, without the newline: `path version hash`.
        public var text: [UInt8] { path.bytes + [0x20] + version.bytes + [0x20] + hash.bytes }

        /// The line, Go-quoted where needed.
        public var description: String {
            let bytes = text
            return String(validating: bytes, as: UTF8.self) ?? goQuote(bytes)
        }
    }

    /// The file name used in diagnostics and error messages.
    public let fileName: String
    /// How the file was read.
    public let mode: ReadingMode
    /// The records in file order (blank, malformed and empty-go.mod-hash lines excluded).
    public private(set) var records: [Record]
    /// Problems found by the strict reading, ordered by line; always empty in the Go modes.
    public internal(set) var diagnostics: [GoSumDiagnostic]
    /// In ``ReadingMode/legacyGo``, the line where old cmd/go stopped reading; otherwise `nil`.
    public let truncatedAtLine: Int?

    /// For each key, its first and last record (indices into `records`); the records of a key
    /// are chained in file order through `nextRecord`.
    var index: [KeyRef: Chain]
    /// For each record, the next record with the same key, or -1.
    var nextRecord: [Int]

    /// A key's chain of records.
    struct Chain: Sendable {
        var first: Int
        var last: Int
        var count: Int
    }

    /// A go.sum key with a fast hash: the bytes are fed to Swift's (randomly seeded, hence
    /// collision-resistant) hasher eight at a time instead of one at a time.
    struct KeyRef: Hashable, Sendable {
        let path: [UInt8]
        let version: [UInt8]

        init(_ key: GoModule.Version) {
            path = key.path.bytes
            version = key.version.bytes
        }

        var key: GoModule.Version { GoModule.Version(path: ByteString(path), version: ByteString(version)) }

        static func == (lhs: KeyRef, rhs: KeyRef) -> Bool { lhs.path == rhs.path && lhs.version == rhs.version }

        func hash(into hasher: inout Hasher) {
            Self.combine(path, into: &hasher)
            Self.combine(version, into: &hasher)
        }

        private static func combine(_ bytes: [UInt8], into hasher: inout Hasher) {
            hasher.combine(bytes.count)
            var word: UInt64 = 0
            var shift: UInt64 = 0
            for b in bytes {
                word |= UInt64(b) << shift
                shift += 8
                if shift == 64 {
                    hasher.combine(word)
                    word = 0
                    shift = 0
                }
            }
            if shift > 0 { hasher.combine(word) }
        }
    }

    /// The suffix of go.mod-only records.
    public static let goModSuffix: ByteString = "/go.mod"

    /// The hash of a one-file tree holding an empty go.mod: an old cmd/go bug wrote it for
    /// non-modules, and cmd/go drops such lines when reading.
    public static let emptyGoModHash: ByteString = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="

    /// An empty go.sum.
    public init(fileName: String = "go.sum", mode: ReadingMode = .strict) {
        self.fileName = fileName
        self.mode = mode
        self.records = []
        self.diagnostics = []
        self.truncatedAtLine = nil
        self.index = [:]
        self.nextRecord = []
    }

    /// Builds a go.sum from records (e.g. to write a new file with ``formatted()``); no
    /// validation, no diagnostics.
    public init(records: [Record], fileName: String = "go.sum", mode: ReadingMode = .strict) {
        self.init(fileName: fileName, mode: mode)
        for record in records { append(record) }
    }

    /// Internal memberwise initializer for the parser.
    init(fileName: String, mode: ReadingMode, records: [Record], diagnostics: [GoSumDiagnostic],
         truncatedAtLine: Int?) {
        self.fileName = fileName
        self.mode = mode
        self.records = []
        self.diagnostics = diagnostics
        self.truncatedAtLine = truncatedAtLine
        self.index = [:]
        self.nextRecord = []
        self.records.reserveCapacity(records.count)
        self.nextRecord.reserveCapacity(records.count)
        self.index.reserveCapacity(records.count)
        for record in records { append(record) }
    }

    /// Adds a record at the end (as cmd/go's `addModSumLocked` appends a new hash).
    public mutating func append(_ record: Record) {
        let position = records.count
        records.append(record)
        nextRecord.append(-1)
        let ref = KeyRef(record.key)
        if let chain = index[ref] {
            nextRecord[chain.last] = position
            index[ref] = Chain(first: chain.first, last: position, count: chain.count + 1)
        } else {
            index[ref] = Chain(first: position, last: position, count: 1)
        }
    }

    /// The indices of a key's records, in file order.
    func recordIndices(_ key: KeyRef) -> [Int] {
        guard let chain = index[key] else { return [] }
        var out: [Int] = []
        out.reserveCapacity(chain.count)
        var i = chain.first
        while i >= 0 {
            out.append(i)
            i = nextRecord[i]
        }
        return out
    }

    /// The number of records.
    public var count: Int { records.count }

    /// The distinct keys in cmd/go's go.sum order (``GoModule/sort(_:)``).
    public var keys: [GoModule.Version] {
        var keys = index.keys.map(\.key)
        GoModule.sort(&keys)
        return keys
    }

    /// The records for a key, in file order.
    public func records(for key: GoModule.Version) -> [Record] {
        recordIndices(KeyRef(key)).map { records[$0] }
    }

    /// The hashes recorded for a key, in file order (cmd/go's `goSum.m[mod]`).
    public func hashes(for key: GoModule.Version) -> [ByteString] {
        recordIndices(KeyRef(key)).map { records[$0].hash }
    }

    /// The hashes recorded for a module's zip (`goMod: false`) or go.mod (`goMod: true`).
    public func hashes(for module: ModuleVersion, goMod: Bool) -> [ByteString] {
        hashes(for: Self.key(module, goMod: goMod))
    }

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The file exactly as cmd/go writes it (`modfetch.tidyGoSum` with nothing added or
    /// removed): keys in ``GoModule/sort(_:)`` order, each key's hashes sorted bytewise and
    /// de-duplicated, one `path version hash\n` line per hash.
    ///
    /// cmd/go's order among keys whose versions are different spellings of the same semantic
    /// version (`v1.0.0` and `v1.0.0+meta`, or two invalid versions) depends on Go's map
    /// iteration and varies between runs; here it is fixed by ``GoModule/sort(_:)``.
    public func formatted() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(records.reduce(0) { $0 + $1.path.count + $1.version.count + $1.hash.count + 3 })
        for key in keys {
            var hashes = hashes(for: key)
            hashes.sort()
            var previous: ByteString?
            for hash in hashes where hash != previous {
                previous = hash
                out += key.path.bytes
                out.append(0x20)
                out += key.version.bytes
                out.append(0x20)
                out += hash.bytes
                out.append(0x0A)
            }
        }
        return out
    }

    /// The key of a module's zip or go.mod record.
    static func key(_ module: ModuleVersion, goMod: Bool) -> GoModule.Version {
        GoModule.Version(path: module.path.bytes, version: goMod ? module.version.bytes + goModSuffix : module.version.bytes)
    }

    /// Equal when read from the same name in the same mode with the same records and
    /// diagnostics.
    public static func == (lhs: GoSum, rhs: GoSum) -> Bool {
        lhs.fileName == rhs.fileName && lhs.mode == rhs.mode && lhs.records == rhs.records
            && lhs.diagnostics == rhs.diagnostics && lhs.truncatedAtLine == rhs.truncatedAtLine
    }
}

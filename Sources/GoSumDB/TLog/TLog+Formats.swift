import GoModCore
extension TLog {
    /// A tree head: size and root hash (x/mod `tlog.Tree`).
    public struct Tree: Hashable, Sendable, Codable {
        /// Number of records.
        public var size: Int64
        /// Root hash.
        public var hash: Hash

        /// A tree.
        public init(size: Int64, hash: Hash) {
            self.size = size
            self.hash = hash
        }

        /// The empty tree (size 0, SHA-256 of the empty string).
        public static let empty = Tree(size: 0, hash: emptyTreeHash)

        static let header = Array("go.sum database tree\n".utf8)

        /// The most bytes a tree note text may have (x/mod's 1e6 limit).
        public static let maxNoteTextSize = 1_000_000

        /// `go.sum database tree\n<N>\n<hash>\n` (x/mod `tlog.FormatTree`).
        public var noteText: [UInt8] { Tree.header + Array("\(size)\n\(hash)\n".utf8) }

        /// Parses a tree note's text (x/mod `tlog.ParseTree`): canonical decimal size, canonical
        /// base64 hash. Lines after the hash are ignored, as in Go; ``hasExtraLines(_:)`` reports them.
        public init(noteText text: [UInt8]) throws(TLogError) {
            guard text.count <= Tree.maxNoteTextSize, text.starts(with: Tree.header) else {
                throw TLogError(.malformedTree)
            }
            let lines = text.split(separator: 0x0A, maxSplits: 3, omittingEmptySubsequences: false)
            guard lines.count >= 4 else { throw TLogError(.malformedTree) }
            guard let n = parseCanonicalInt64(lines[1]), n <= maxTreeSize else { throw TLogError(.malformedTree, "size") }
            guard let h = try? Hash(base64: lines[2]) else { throw TLogError(.malformedTree, "hash") }
            self.size = n
            self.hash = h
        }

        /// Whether a tree note's text carries lines after the hash (never used by the checksum
        /// database; x/mod `sumdb/tlog/note.go`).
        public static func hasExtraLines(_ text: [UInt8]) -> Bool {
            text.split(separator: 0x0A, maxSplits: 3, omittingEmptySubsequences: false).last.map { !$0.isEmpty } ?? false
        }
    }

    /// A lookup record as the server sends it: `<id>\n<record text>\n<signed tree note>`.
    public struct Record: Sendable, Equatable {
        /// The record id (its position in the log).
        public var id: Int64
        /// The record text (the go.sum lines, each ending in `\n`).
        public var text: [UInt8]
        /// The rest of the message: the signed tree note.
        public var note: [UInt8]

        /// A record.
        public init(id: Int64, text: [UInt8], note: [UInt8] = []) {
            self.id = id
            self.text = text
            self.note = note
        }

        /// `<id>\n<text>\n` (x/mod `tlog.FormatRecord`); the text must be valid record text.
        public static func format(id: Int64, text: [UInt8]) throws(TLogError) -> [UInt8] {
            guard id >= 0, isValidRecordText(text) else { throw TLogError(.malformedRecord) }
            return Array("\(id)\n".utf8) + text + [0x0A]
        }

        /// Parses a lookup response (x/mod `tlog.ParseRecord`), stricter than Go: the id must be
        /// canonical decimal and non-negative (see Docs/stricter-than-go.md; Go accepts `-1`, `+5`,
        /// `007`).
        public init(parsing message: [UInt8]) throws(TLogError) {
            guard let nl = message.firstIndex(of: 0x0A) else { throw TLogError(.malformedRecord, "no id line") }
            guard let id = parseCanonicalInt64(message[..<nl]) else {
                throw TLogError(.malformedRecord, "id \(goQuote(Array(message[..<nl].prefix(40))))")
            }
            let rest = Array(message[(nl + 1)...])
            guard let blank = rest.firstIndex(ofBytes: [0x0A, 0x0A]) else { throw TLogError(.malformedRecord, "no blank line") }
            let text = Array(rest[...blank])
            guard Record.isValidRecordText(text) else { throw TLogError(.malformedRecord, "text") }
            self.id = id
            self.text = text
            self.note = Array(rest[(blank + 2)...])
        }

        /// x/mod `isValidRecordText`: non-empty valid UTF-8 ending in `\n`, no blank line, no
        /// control characters other than `\n`.
        public static func isValidRecordText(_ text: [UInt8]) -> Bool {
            guard let last = text.last, last == 0x0A, let s = String(validating: text, as: UTF8.self) else { return false }
            var previous: UInt32 = 0
            for scalar in s.unicodeScalars {
                if scalar.value < 0x20 && scalar.value != 0x0A { return false }
                if scalar.value == 0x0A && previous == 0x0A { return false }
                previous = scalar.value
            }
            return true
        }
    }
}

/// A canonical non-negative decimal `Int64` (no sign, no leading zeros): `FormatInt(n) == text`.
func parseCanonicalInt64(_ text: some Collection<UInt8>) -> Int64? {
    guard !text.isEmpty, text.count <= 19, text.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
    if text.count > 1 && text.first == 48 { return nil }
    var value: Int64 = 0
    for byte in text {
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(Int64(byte - 48))
        if o1 || o2 { return nil }
        value = s
    }
    return value
}

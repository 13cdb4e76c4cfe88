/// The tokens of one line, stored in one byte buffer plus end offsets (two allocations per line
/// however many tokens it has, so a hostile 16 MiB line of one-byte tokens costs about
/// 9 bytes per token).
struct TokenList: Sendable, Hashable {
    private(set) var storage: [UInt8] = []
    private(set) var ends: [Int] = []

    init() {}

    init(_ tokens: [[UInt8]]) {
        for token in tokens { append(token[...]) }
    }

    /// The number of tokens.
    var count: Int { ends.count }

    var isEmpty: Bool { ends.isEmpty }

    /// The bytes of token `i`.
    subscript(_ i: Int) -> ArraySlice<UInt8> {
        storage[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// Appends a token.
    mutating func append(_ token: ArraySlice<UInt8>) {
        storage.append(contentsOf: token)
        ends.append(storage.count)
    }

    /// Appends a token.
    mutating func append(_ token: [UInt8]) { append(token[...]) }

    /// Replaces token `i`.
    mutating func replace(_ i: Int, with token: [UInt8]) {
        let start = i == 0 ? 0 : ends[i - 1]
        let delta = token.count - (ends[i] - start)
        storage.replaceSubrange(start..<ends[i], with: token)
        if delta != 0 {
            for k in i..<ends.count { ends[k] += delta }
        }
    }

    /// The tokens after the first `n`.
    func dropping(first n: Int) -> TokenList {
        guard n > 0 else { return self }
        var out = TokenList()
        guard n < count else { return out }
        let base = ends[n - 1]
        out.storage = Array(storage[base...])
        out.ends = ends[n...].map { $0 - base }
        return out
    }

    /// This list followed by `other`.
    func appending(_ other: TokenList) -> TokenList {
        var out = self
        let base = storage.count
        out.storage += other.storage
        out.ends += other.ends.map { $0 + base }
        return out
    }

    /// Whether token `i` exists and equals `text`.
    func token(_ i: Int, is text: String) -> Bool {
        i < count && self[i].elementsEqual(text.utf8)
    }

    /// The tokens as byte strings.
    var byteStrings: [ByteString] { (0..<count).map { ByteString(Array(self[$0])) } }

    /// x/mod's `compareLine`: token by token bytewise, then by count.
    static func compare(_ a: TokenList, _ b: TokenList) -> Int {
        let n = min(a.count, b.count)
        for k in 0..<n {
            let c = compareByteOrder(a[k], b[k])
            if c != 0 { return c }
        }
        return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
    }
}

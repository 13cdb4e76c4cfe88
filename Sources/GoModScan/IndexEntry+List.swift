public import GoModCore
public import GoModFetch

extension IndexEntry {
    /// Parses a plain list: one `path@version` (or `path version`) per line; `#` starts a
    /// comment; blank lines are skipped. Throws ``ScanError`` naming the first bad line.
    public static func parseList(_ data: [UInt8], name: String) throws(ScanError) -> [IndexEntry] {
        var out: [IndexEntry] = []
        var number = 0
        for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var line = Array(raw)
            if let hash = line.firstIndex(of: 0x23) { line = Array(line[..<hash]) }
            line = trimmedASCII(line)
            if line.isEmpty { continue }
            let fields: [[UInt8]]
            if let at = line.firstIndex(of: 0x40) {
                fields = [Array(line[..<at]), Array(line[(at + 1)...])]
            } else {
                fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map(Array.init)
            }
            guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw ScanError(.badInput, "\(name):\(number): want path@version, got \(goQuote(line))")
            }
            let module = ModuleVersion(path: ByteString(fields[0]), version: ByteString(fields[1]))
            do throws(ModulePathError) { try Module.check(module) } catch {
                throw ScanError(.badInput, "\(name):\(number): \(error.description)")
            }
            out.append(IndexEntry(path: module.path, version: module.version, timestamp: nil))
        }
        return out
    }
}

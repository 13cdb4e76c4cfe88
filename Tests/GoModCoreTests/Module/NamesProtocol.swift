import Foundation
import GoModCore

/// The request/answer line protocol of `Tests/Reference/names` (see its main.go), implemented
/// with GoModKit so both sides can be compared line by line.
///
/// A request is an operation name and byte-string arguments; it is sent as tab-separated
/// fields with the arguments hex-encoded. An answer is a list of fields, byte strings
/// hex-encoded, errors as `err` + hex(message).
struct NamesRequest: Hashable, Sendable, CustomStringConvertible {
    var op: String
    var args: [[UInt8]]

    init(_ op: String, _ args: [UInt8]...) {
        self.op = op
        self.args = args
    }

    init(_ op: String, list: [[UInt8]]) {
        self.op = op
        self.args = list
    }

    /// The wire form: `op\thex\thex…`.
    var line: String { ([op] + args.map(hexString)).joined(separator: "\t") }

    /// Human-readable form for failure messages.
    var description: String { op + "(" + args.map { goQuoted($0) }.joined(separator: ", ") + ")" }

    /// GoModKit's answer, in the reference's format.
    func answer() -> [String] {
        let a = args.map(ByteString.init)
        func arg(_ i: Int) -> ByteString { i < a.count ? a[i] : "" }
        func result(_ body: () throws(ModulePathError) -> ByteString) -> [String] {
            do {
                return ["ok", hexString(try body().bytes)]
            } catch {
                return ["err", hexString(error.message.bytes)]
            }
        }
        func check(_ body: () throws(ModulePathError) -> Void) -> [String] {
            do {
                try body()
                return ["ok"]
            } catch {
                return ["err", hexString(error.message.bytes)]
            }
        }
        switch op {
        case "checkPath": return check { () throws(ModulePathError) in try Module.checkPath(arg(0)) }
        case "checkImportPath": return check { () throws(ModulePathError) in try Module.checkImportPath(arg(0)) }
        case "checkFilePath": return check { () throws(ModulePathError) in try Module.checkFilePath(arg(0)) }
        case "splitPathVersion":
            let (p, m, ok) = Module.splitPathVersion(arg(0))
            return [hexString(p.bytes), hexString(m.bytes), String(ok)]
        case "check": return check { () throws(ModulePathError) in try Module.check(ModuleVersion(path: arg(0), version: arg(1))) }
        case "checkPathMajor":
            return check { () throws(ModulePathError) in try Module.checkPathMajor(arg(0), arg(1)) }
        case "matchPathMajor": return [String(Module.matchPathMajor(arg(0), arg(1)))]
        case "pathMajorPrefix":
            guard let prefix = Module.pathMajorPrefix(arg(0)) else { return ["panic"] }
            return ["ok", hexString(prefix.bytes)]
        case "canonicalVersion": return [hexString(Module.canonicalVersion(arg(0)).bytes)]
        case "escapePath": return result { () throws(ModulePathError) in try Module.escapePath(arg(0)) }
        case "escapeVersion": return result { () throws(ModulePathError) in try Module.escapeVersion(arg(0)) }
        case "unescapePath": return result { () throws(ModulePathError) in try Module.unescapePath(arg(0)) }
        case "unescapeVersion": return result { () throws(ModulePathError) in try Module.unescapeVersion(arg(0)) }
        case "isValid": return [String(Semver.isValid(arg(0)))]
        case "canonical": return [hexString(Semver.canonical(arg(0)).bytes)]
        case "major": return [hexString(Semver.major(arg(0)).bytes)]
        case "majorMinor": return [hexString(Semver.majorMinor(arg(0)).bytes)]
        case "prerelease": return [hexString(Semver.prerelease(arg(0)).bytes)]
        case "build": return [hexString(Semver.build(arg(0)).bytes)]
        case "compare": return [String(Semver.compare(arg(0), arg(1)))]
        case "max": return [hexString(Semver.max(arg(0), arg(1)).bytes)]
        case "semverSort":
            var list = a
            Semver.sort(&list)
            return ["ok"] + list.map { hexString($0.bytes) }
        case "moduleSort":
            var list: [ModuleVersion] = []
            var i = 0
            while i + 1 < a.count {
                list.append(ModuleVersion(path: a[i], version: a[i + 1]))
                i += 2
            }
            Module.sort(&list)
            return ["ok"] + list.flatMap { [hexString($0.path.bytes), hexString($0.version.bytes)] }
        case "isPseudoVersion": return [String(Module.isPseudoVersion(arg(0)))]
        case "isZeroPseudoVersion": return [String(Module.isZeroPseudoVersion(arg(0)))]
        case "zeroPseudoVersion": return [hexString(Module.zeroPseudoVersion(major: arg(0)).bytes)]
        case "pseudoVersionTime":
            do {
                let date = try Module.pseudoVersionTime(arg(0))
                return ["ok", String(Int64(date.timeIntervalSince1970))]
            } catch {
                return ["err", hexString(error.message.bytes)]
            }
        case "pseudoVersionRev": return result { () throws(ModulePathError) in try Module.pseudoVersionRev(arg(0)) }
        case "pseudoVersionBase": return result { () throws(ModulePathError) in try Module.pseudoVersionBase(arg(0)) }
        case "pseudoVersion":
            guard let seconds = Int64(String(decoding: arg(2).bytes, as: UTF8.self)) else { return ["badrequest"] }
            let date = Date(timeIntervalSince1970: Double(seconds))
            return [hexString(Module.pseudoVersion(major: arg(0), older: arg(1), time: date, revision: arg(3)).bytes)]
        case "pathMatch":
            do {
                return ["ok", String(try Module.pathMatch(arg(0), arg(1)))]
            } catch {
                return ["err", hexString(error.message.bytes)]
            }
        case "versionError":
            let module = ModuleVersion(path: arg(0), version: arg(1))
            do {
                switch arg(2) {
                case "pathMajor": try Module.checkPathMajor(arg(3), arg(4))
                case "check": try Module.check(ModuleVersion(path: arg(3), version: arg(4)))
                case "pseudoBase": _ = try Module.pseudoVersionBase(arg(3))
                case "escapeVersion": _ = try Module.escapeVersion(arg(3))
                case "checkPath": try Module.checkPath(arg(3))
                case "text": return ["err", hexString(Module.versionError(module, message: arg(3)).bytes)]
                default: return ["unknown-op"]
                }
                return ["nil"]
            } catch {
                return ["err", hexString(Module.versionError(module, error).message.bytes)]
            }
        case "matchPrefixPatterns": return [String(Module.matchPrefixPatterns(arg(0), arg(1)))]
        default: return ["unknown-op"]
        }
    }
}

/// Lower-case hex of bytes (Go's `hex.EncodeToString`).
func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Decodes lower- or upper-case hex; `nil` when malformed.
func bytesFromHex(_ text: some StringProtocol) -> [UInt8]? {
    let chars = Array(text.utf8)
    guard chars.count % 2 == 0 else { return nil }
    func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    var out: [UInt8] = []
    out.reserveCapacity(chars.count / 2)
    var i = 0
    while i < chars.count {
        guard let hi = value(chars[i]), let lo = value(chars[i + 1]) else { return nil }
        out.append(hi << 4 | lo)
        i += 2
    }
    return out
}

/// Go-style quoting for failure messages (valid UTF-8 shown as is, other bytes as \xNN).
func goQuoted(_ bytes: [UInt8]) -> String { ByteString(bytes).description }

/// Renders an answer with hex fields decoded where they are text, for failure messages.
func readableAnswer(_ fields: [String]) -> String {
    fields.map { field in
        if field.count >= 2, let bytes = bytesFromHex(field), field.allSatisfy(\.isHexDigit) {
            return goQuoted(bytes)
        }
        return field
    }.joined(separator: " ")
}

import Foundation
import GoModKit
import Testing
@testable import gomodkit_cli

/// Text output never carries raw control characters, bidi overrides or invalid UTF-8 from
/// input; `--json` stays valid JSON and keeps input bytes (Docs/output-encoding.md). Hostile
/// module paths, go.sum lines and zip entry names with ESC, CR, U+202E and invalid UTF-8 go
/// through the built executable. Go's verdicts on these names: `module.CheckFilePath` refuses
/// control characters, U+202E (not a letter, digit or allowed punctuation) and invalid UTF-8
/// ("invalid char", "invalid UTF-8"), and `module.CheckPath` refuses them in module paths.
@Suite struct OutputEncodingTests {
    /// Bytes that must never reach a terminal raw: ESC, CR, BEL, DEL, a C1 control (U+009B, the
    /// 8-bit CSI), U+202E, U+2066, and a lone 0xE9 (invalid UTF-8).
    static func rawHazards(_ data: [UInt8]) -> [String] {
        var found: [String] = []
        if data.contains(0x1B) { found.append("ESC") }
        if data.contains(0x0D) { found.append("CR") }
        if data.contains(0x07) { found.append("BEL") }
        if data.contains(0x7F) { found.append("DEL") }
        let text = String(validating: data, as: UTF8.self)
        if text == nil { found.append("invalid UTF-8") }
        for scalar in (text ?? "").unicodeScalars {
            switch scalar.value {
            case 0x80...0x9F: found.append("C1 \(String(scalar.value, radix: 16))")
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: found.append("bidi \(String(scalar.value, radix: 16))")
            default: break
            }
        }
        return found
    }

    static let hostileNames: [[UInt8]] = [
        Array("a\u{1B}[2J\u{1B}]0;pwned\u{07}.go".utf8),
        Array("b\r.go".utf8),
        Array("\u{202E}og.txt".utf8),
        Array("c\u{2066}d.go".utf8),
        Array("caf".utf8) + [0xE9] + Array(".go".utf8),
        Array("e\u{7F}\u{9B}31m.go".utf8),
    ]

    // MARK: - zip check (JSON)

    @Test func zipCheckJSONKeepsHostileNames() throws {
        let scratch = try Scratch("enc-zip")
        let prefix = Array("example.com/m@v1.0.0/".utf8)
        var entries: [([UInt8], [UInt8])] = [(prefix + Array("go.mod".utf8), Array("module example.com/m\n".utf8))]
        for name in Self.hostileNames { entries.append((prefix + name, Array("package m\n".utf8))) }
        let zip = scratch.url.appendingPathComponent("m.zip")
        try Data(StoredZip.make(entries)).write(to: zip)

        for mode in [[], ["--go-compatible"]] {
            let r = try CLITests.gomodkit(["zip", "check", "--module", "example.com/m", "--version", "v1.0.0"] + mode + [zip.path])
            #expect(r.status == 1, "\(mode) \(r.stdout)\(r.stderr)")
            let stdout = Array(r.stdoutData), stderr = Array(r.stderrData)
            #expect(Self.rawHazards(stdout).isEmpty, "\(mode) stdout: \(Self.rawHazards(stdout))")
            #expect(Self.rawHazards(stderr).isEmpty, "\(mode) stderr: \(Self.rawHazards(stderr))")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout)) as? [String: Any], "\(mode)")
            if let error = object["error"] as? String {
                // The strict reader refused the container (invalid UTF-8 name): the message names it escaped.
                #expect(error.contains("\\xe9"), "\(error)")
                continue
            }
            // Every hostile name is listed as invalid, and its bytes come back exactly.
            let listed = (object["invalid"] as? [[String: Any]] ?? []).map { item -> [UInt8] in
                if let b64 = item["pathBase64"] as? String, let data = Data(base64Encoded: b64) { return Array(data) }
                return Array((item["path"] as? String ?? "").utf8)
            }
            for name in Self.hostileNames {
                #expect(listed.contains(prefix + name) || listed.contains(name), "\(mode) missing \(String(decoding: name, as: UTF8.self)) in \(object)")
            }
        }
    }

    // MARK: - gosum check (text and JSON), sumdb audit

    static func hostileGoSum() -> [UInt8] {
        let hash = " v1.0.0 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n"
        var out: [UInt8] = Array("example.com/hello v1.0.0 h1:Qmqb//qqVbdXtTHcGX787s5tnO9byUg648KakHQrC/4=\n".utf8)
        for name in hostileNames { out += Array("example.com/".utf8) + name + Array(hash.utf8) }
        return out
    }

    @Test func gosumCheckEscapesText() throws {
        let scratch = try Scratch("enc-gosum")
        let file = scratch.url.appendingPathComponent("go.sum")
        try Data(Self.hostileGoSum()).write(to: file)
        let text = try CLITests.gomodkit(["gosum", "check", file.path])
        #expect(text.status == 1)
        #expect(Self.rawHazards(Array(text.stdoutData)).isEmpty, "\(Self.rawHazards(Array(text.stdoutData)))")
        #expect(Self.rawHazards(Array(text.stderrData)).isEmpty)
        // The escapes are Go's %q forms.
        #expect(text.stdout.contains("\\x1b"), "\(text.stdout)")
        #expect(text.stdout.contains("\\u202e"), "\(text.stdout)")
        #expect(text.stdout.contains("\\xe9"), "\(text.stdout)")
        let json = try CLITests.gomodkit(["gosum", "check", "--json", file.path])
        #expect(json.status == 1)
        #expect(Self.rawHazards(Array(json.stdoutData)).isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect((object["diagnostics"] as? [Any])?.count ?? 0 >= Self.hostileNames.count)
    }

    @Test func sumdbAuditEscapesTextAndKeepsJSONValid() throws {
        let scratch = try Scratch("enc-audit")
        let file = scratch.url.appendingPathComponent("go.sum")
        try Data(Self.hostileGoSum()).write(to: file)
        var env = ProcessInfo.processInfo.environment
        env["GOPATH"] = scratch.url.appendingPathComponent("gopath").path
        env["GOSUMDB"] = nil
        env["GOENV"] = "off"
        for args in [["sumdb", "audit", "--offline", file.path], ["sumdb", "audit", "--offline", "--json", file.path]] {
            let r = try CLITests.gomodkit(args, environment: env)
            // The hostile lines are malformed local input (2), which wins over the offline cache
            // miss of the one good line (3).
            #expect(r.status == 2, "\(args) \(r.stdout)\(r.stderr)")
            #expect(Self.rawHazards(Array(r.stdoutData)).isEmpty, "\(args) \(Self.rawHazards(Array(r.stdoutData)))")
            #expect(Self.rawHazards(Array(r.stderrData)).isEmpty, "\(args) \(Self.rawHazards(Array(r.stderrData)))")
            if args.contains("--json") {
                #expect(try JSONSerialization.jsonObject(with: r.stdoutData) is [String: Any])
            }
        }
    }

    // MARK: - verify-zip (module path from hostile entry names)

    @Test func verifyZipEscapesHostileModulePath() throws {
        let scratch = try Scratch("enc-vz")
        let hostile = Array("example.com/\u{1B}]0;pwned\u{07}\u{202E}x@v1.0.0/".utf8)
        let zip = scratch.url.appendingPathComponent("h.zip")
        try Data(StoredZip.make([(hostile + Array("go.mod".utf8), Array("module x\n".utf8))])).write(to: zip)
        let r = try CLITests.gomodkit(["verify-zip", zip.path, "--h1", "h1:Qmqb//qqVbdXtTHcGX787s5tnO9byUg648KakHQrC/4="])
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")   // go: malformed module path
        #expect(Self.rawHazards(Array(r.stderrData)).isEmpty, "\(Self.rawHazards(Array(r.stderrData)))")
        #expect(r.stderr.contains("\\x1b") || r.stderr.contains("\\u001b") || r.stderr.contains("\\x{1b}"), "\(r.stderr)")

        // A stray hostile entry next to a named module: go's "unexpected file" text, escaped;
        // the JSON parses and carries the message.
        let prefix = Array("example.com/hello@v1.0.0/".utf8)
        var entries: [([UInt8], [UInt8])] = [(prefix + Array("go.mod".utf8), Array("module example.com/hello\n".utf8))]
        entries.append((Array("x\r\u{202E}".utf8) + [0xE9], Array("x".utf8)))
        let stray = scratch.url.appendingPathComponent("s.zip")
        try Data(StoredZip.make(entries)).write(to: stray)
        for json in [false, true] {
            let s = try CLITests.gomodkit(["verify-zip", stray.path, "--module", "example.com/hello", "--version", "v1.0.0",
                                           "--gosum", CLITests.goSum, "--go-compatible"] + (json ? ["--json"] : []))
            #expect(s.status == 1, "\(s.stdout)\(s.stderr)")
            #expect(Self.rawHazards(Array(s.stdoutData)).isEmpty && Self.rawHazards(Array(s.stderrData)).isEmpty,
                    "\(Self.rawHazards(Array(s.stdoutData))) \(Self.rawHazards(Array(s.stderrData)))")
            if json {
                let object = try #require(try JSONSerialization.jsonObject(with: s.stdoutData) as? [String: Any])
                #expect(object["module"] as? String == "example.com/hello")
                #expect(object["moduleBase64"] == nil)
            }
        }
    }

    // MARK: - The encoders themselves

    @Test func terminalTextUsesGoEscapes() {
        #expect(terminalName(ByteString(Array("a\u{1B}b\rc\n\td".utf8))) == "a\\x1bb\\rc\\n\\td")
        #expect(terminalSafe("line1\n\tline2 \u{1B}[31m") == "line1\n\tline2 \\x1b[31m")
        #expect(terminalName(ByteString([0x63, 0x61, 0x66, 0xE9])) == "caf\\xe9")
        #expect(terminalName("\u{202E}gpj.go") == "\\u202egpj.go")
        #expect(terminalName("x\u{7F}\u{9B}\u{2066}\u{200F}") == "x\\x7f\\u009b\\u2066\\u200f")
        // Idempotent: escaped text is printable ASCII and stays as it is.
        let once = terminalSafe("a\u{1B}b\u{202E}")
        #expect(terminalSafe(once) == once)
        // Printable non-ASCII stays.
        #expect(terminalName("café → 日本") == "café → 日本")
    }

    @Test func jsonRoundTripsEveryByte() throws {
        struct Row: Encodable { var path: String; var pathBase64: String? }
        let names: [ByteString] = Self.hostileNames.map { ByteString($0) } + [ByteString([0xFF, 0xFE, 0x00, 0x41])]
        for name in names {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = terminalSafeJSON(Array(try encoder.encode(Row(path: jsonText(name), pathBase64: jsonBytes(name)))))
            #expect(Self.rawHazards(data).isEmpty, "\(Self.rawHazards(data))")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any])
            let back: [UInt8]
            if let b64 = object["pathBase64"] as? String {
                back = Array(try #require(Data(base64Encoded: b64)))
            } else {
                back = Array((object["path"] as? String ?? "").utf8)
            }
            #expect(back == name.bytes, "\(name)")
        }
        // U+2028, U+202E, DEL and C1 become \u escapes; the JSON value is the same string.
        let value = "x\u{2028}\u{202E}\u{7F}\u{85}y"
        let data = terminalSafeJSON(Array(try JSONEncoder().encode([value])))
        #expect(String(decoding: data, as: UTF8.self) == #"["x\u2028\u202e\u007f\u0085y"]"#)
        #expect(try JSONSerialization.jsonObject(with: Data(data)) as? [String] == [value])
    }
}

extension CLITests.Result {
    var stdoutData: Data { Data(stdoutBytes) }
    var stderrData: Data { Data(stderrBytes) }
}

/// A minimal zip writer (stored entries, no extras) for hostile names the test needs byte for byte.
enum StoredZip {
    static func make(_ entries: [([UInt8], [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        for (name, data) in entries {
            let offset = UInt32(out.count), crc = crc32(data), size = UInt32(data.count)
            out += u32(0x0403_4B50) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(crc) + u32(size) + u32(size)
                + u16(name.count) + u16(0) + name + data
            central += u32(0x0201_4B50) + u16(20) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(crc) + u32(size)
                + u32(size) + u16(name.count) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(offset) + name
        }
        let start = UInt32(out.count)
        out += central
        out += u32(0x0605_4B50) + u16(0) + u16(0) + u16(entries.count) + u16(entries.count) + u32(UInt32(central.count))
            + u32(start) + u16(0)
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}

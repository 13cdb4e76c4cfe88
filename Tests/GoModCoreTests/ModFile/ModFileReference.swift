import Foundation
@testable import GoModCore
import GoModTestSupport
import Testing

/// The protocol of Tests/Reference/modfile (x/mod's modfile + cmd/go's edit flag handling) and
/// GoModKit's answers to the same requests, so the two can be compared field by field.
enum ModFileReference {
    /// Which parser a request uses.
    enum Kind: String, Sendable {
        case mod, lax, work
    }

    /// One request: a file, how to parse it, and `go mod edit` / `go work edit` flags
    /// (`name=value`, applied in order).
    struct Request: Sendable {
        var kind: Kind
        var name: String
        var data: [UInt8]
        var flags: [String] = []
        /// Where the input came from, for failure messages.
        var origin: String

        var line: String {
            ([kind.rawValue, hexString(Array(name.utf8)), hexString(data)] + flags.map { hexString(Array($0.utf8)) })
                .joined(separator: "\t")
        }
    }

    /// One answer (from Go or from GoModKit).
    struct Answer: Equatable, Sendable, CustomStringConvertible {
        struct ParseError: Equatable, Sendable {
            var line: Int
            var column: Int
            var text: [UInt8]
        }

        var fatal: [UInt8]?
        var errors: [ParseError] = []
        var errorText: [UInt8]?
        var tree: [UInt8]?
        var raw: [UInt8]?
        var json: [UInt8]?
        var formatted: [UInt8]?

        var accepted: Bool { errorText == nil }

        var description: String {
            func s(_ b: [UInt8]?) -> String { b.map { String(decoding: $0, as: UTF8.self) } ?? "-" }
            return "fatal: \(s(fatal))\nerrors: \(s(errorText))\njson: \(s(json))\nfmt:\n\(s(formatted))\ntree:\n\(s(tree))"
        }
    }

    /// Runs the reference over all requests in one process.
    static func run(_ requests: [Request]) throws -> [Answer] {
        let program = try GoReference.program("modfile", flavour: .current)
        var input = requests.map(\.line).joined(separator: "\n")
        input += "\n"
        let output = try GoReference.run(program, ["batch"], stdin: Array(input.utf8))
        try #require(output.status == 0, "reference failed: \(output.stderrText)")
        var answers: [Answer] = []
        var current = Answer()
        for line in output.stdout.split(separator: 0x0A) {
            let text = String(decoding: line, as: UTF8.self)
            let f = text.split(separator: " ", omittingEmptySubsequences: false)
            func value(_ i: Int) throws -> [UInt8] { try #require(bytesFromHex(f.count > i ? f[i] : "")) }
            switch f[0] {
            case "begin": current = Answer()
            case "fatal": current.fatal = try value(1)
            case "err":
                current.errors.append(.init(line: Int(f[1]) ?? -1, column: Int(f[2]) ?? -1, text: try value(3)))
            case "errtext": current.errorText = try value(1)
            case "tree": current.tree = try value(1)
            case "raw": current.raw = try value(1)
            case "json": current.json = try value(1)
            case "fmt": current.formatted = try value(1)
            case "end": answers.append(current)
            default: Issue.record("unexpected reference output \(text.prefix(80))")
            }
        }
        try #require(answers.count == requests.count, "reference answered \(answers.count) of \(requests.count)")
        return answers
    }

    /// GoModKit's answer to a request, computed the way the reference computes Go's.
    static func answer(_ r: Request) -> Answer {
        var answer = Answer()
        var module: ByteString?, goVersion: ByteString?, toolchain: ByteString?
        var modEdits: [GoMod.Edit] = []
        var workEdits: [GoWork.Edit] = []
        do throws(ModFileError) {
            for flag in r.flags {
                let bytes = Array(flag.utf8)
                let eq = bytes.firstIndex(of: UInt8(ascii: "=")) ?? bytes.count
                let name = String(decoding: bytes[..<eq], as: UTF8.self)
                let arg = ByteString(eq < bytes.count ? Array(bytes[(eq + 1)...]) : [])
                switch name {
                case "module" where r.kind != .work: module = arg.isEmpty ? nil : arg
                case "go": goVersion = arg.isEmpty ? nil : arg
                case "toolchain": toolchain = arg.isEmpty ? nil : arg
                default:
                    if r.kind == .work {
                        workEdits.append(try GoWork.Edit(flag: name, argument: arg))
                    } else {
                        modEdits.append(try GoMod.Edit(flag: name, argument: arg))
                    }
                }
            }
            try GoMod.checkEditCommand(module: module, goVersion: goVersion, toolchain: toolchain)
        } catch {
            let prefix: String
            switch error.code {
            case .invalidGoArgument, .invalidToolchainArgument: prefix = r.kind == .work ? "go work: " : "go mod: "
            default: prefix = error.message.bytes.starts(with: "flag provided".utf8) ? "" : "go: "
            }
            answer.fatal = Array(prefix.utf8) + error.message.bytes
            return answer
        }

        func parseFailure(_ error: ModFileError) {
            answer.errors = error.allErrors.map { .init(line: $0.line, column: $0.column, text: $0.goTextOfFirst.bytes) }
            answer.errorText = error.goText.bytes
        }
        if r.kind == .work {
            do {
                var file = try GoWork.parse(r.data, fileName: r.name)
                answer.tree = dump(file.syntax)
                answer.raw = file.syntax.formatted()
                try file.edit(goVersion: goVersion, toolchain: toolchain, edits: workEdits)
                answer.json = file.editJSON()
                answer.formatted = file.formatted()
            } catch {
                if answer.tree == nil { parseFailure(error) } else { answer.fatal = Array("go: ".utf8) + error.message.bytes }
            }
        } else {
            do {
                var file = try GoMod.parse(r.data, fileName: r.name, strictness: r.kind == .lax ? .lax : .strict)
                answer.tree = dump(file.syntax)
                answer.raw = file.syntax.formatted()
                try file.edit(module: module, goVersion: goVersion, toolchain: toolchain, edits: modEdits)
                answer.json = file.editJSON()
                answer.formatted = file.formatted()
            } catch {
                if answer.tree == nil { parseFailure(error) } else { answer.fatal = Array("go: ".utf8) + error.message.bytes }
            }
        }
        return answer
    }

    // MARK: - The syntax dump of the reference program (dumpSyntax)

    static func dump(_ f: GoModSyntax) -> [UInt8] {
        var b = ""
        func pos(_ p: GoModSyntax.Position) { b += "\(p.line):\(p.lineRune):\(p.byte)" }
        func comments(_ c: GoModSyntax.Comments) {
            for (tag, list) in [("B", c.before), ("S", c.suffix), ("A", c.after)] {
                b += " \(tag)["
                for (i, com) in list.enumerated() {
                    if i > 0 { b += "," }
                    pos(com.start)
                    b += "|\(com.isSuffix)|\(hexString(com.token.bytes))"
                }
                b += "]"
            }
        }
        func tokens(_ t: [ByteString]) { b += " T[" + t.map { hexString($0.bytes) }.joined(separator: ",") + "]" }
        func line(_ indent: String, _ l: GoModSyntax.Line) {
            b += indent + "line "
            pos(l.start)
            b += " "
            pos(l.end)
            b += " \(l.isInBlock)"
            tokens(l.tokens)
            comments(l.comments)
            b += "\n"
        }
        b += "file"
        comments(f.comments)
        b += "\n"
        for stmt in f.statements {
            switch stmt {
            case .comments(let c):
                b += "comments "
                pos(c.start)
                comments(c.comments)
                b += "\n"
            case .line(let l): line("", l)
            case .block(let x):
                b += "block "
                pos(x.start)
                tokens(x.tokens)
                comments(x.comments)
                b += "\n  lparen "
                pos(x.lparen.position)
                comments(x.lparen.comments)
                b += "\n"
                for l in x.lines { line("  ", l) }
                b += "  rparen "
                pos(x.rparen.position)
                comments(x.rparen.comments)
                b += "\n"
            }
        }
        return Array(b.utf8)
    }

    /// Compares one answer field by field, recording an issue per difference.
    static func compare(_ request: Request, go: Answer, ours: Answer) {
        let label = "\(request.origin) [\(request.kind.rawValue)] \(request.flags)"
        func show(_ b: [UInt8]?) -> String { b.map { terminalSafe($0) } ?? "nil" }
        func field(_ name: String, _ g: [UInt8]?, _ o: [UInt8]?) {
            if g != o { Issue.record("\(label): \(name) differs\n go: \(show(g))\n us: \(show(o))") }
        }
        field("fatal", go.fatal, ours.fatal)
        field("errors", go.errorText, ours.errorText)
        if ours.errors != go.errors { Issue.record("\(label): error positions differ: go \(go.errors), us \(ours.errors)") }
        field("syntax tree", go.tree, ours.tree)
        field("Format", go.raw, ours.raw)
        field("-json", go.json, ours.json)
        field("-fmt", go.formatted, ours.formatted)
    }
}

import Foundation
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport
import Testing

/// The temporary lax go.mod reader behind the vendoring rule (``LaxGoVersion``): the language
/// version must be what x/mod's `zip.parseGoVers` + `version.Lang` give (`modfile.ParseLax`,
/// empty on any parse error), for every go.mod of the module corpus and for crafted inputs that
/// exercise each lexer and lax-directive error.
@Suite struct LaxGoVersionTests {
    static let crafted: [String] = [
        "module example.com/m\n\ngo 1.24\n",
        "module example.com/m\ngo 1.23\n",
        "go 1.24rc1\n",
        "go 1.21.0\n",
        "go 1.21.3\n",
        "go 1.21.0rc1\n",
        "go 1.0\n",
        "go 2.0\n",
        "go 1.24-beta\n",
        "go v1.22.x\n",
        "go 1.05\n",
        "go 1.5x\n",
        "go 1\n",
        "go 1.24 extra\n",
        "go\n",
        "go 1.22\ngo 1.23\n",
        "module example.com/m\nmodule example.com/n\ngo 1.24\n",
        "module\ngo 1.24\n",
        "module \"example.com/m\"\ngo 1.24\n",
        "module \"example.com/\\q\"\ngo 1.24\n",
        "module \"example.com/\\u00e9\"\ngo 1.24\n",
        "module `example.com/m`\ngo 1.24\n",
        "module example.com/'m'\ngo 1.24\n",
        "go 1.24\nrequire example.com/x v1.0.0\n",
        "go 1.24\nrequire example.com/x 1.0\n",
        "go 1.24\nrequire example.com/x v1\n",
        "go 1.24\nrequire example.com/x/v2 v1.0.0\n",
        "go 1.24\nrequire example.com/x v2.0.0\n",
        "go 1.24\nrequire example.com/x v2.0.0+incompatible\n",
        "go 1.24\nrequire example.com/x\n",
        "go 1.24\nrequire (\n\texample.com/x v1.0.0\n\texample.com/y bad\n)\n",
        "go 1.24\nrequire (\n\texample.com/x v1.0.0 // indirect\n)\n",
        "go 1.24\nretract [v1.0.0, v1.1.0]\nretract garbage (\n",
        "go 1.24\nretract what ever\n",
        "go 1.24\nreplace example.com/x => nonsense\n",
        "go 1.24\nexclude what\n",
        "go 1.24\ntoolchain bogus\n",
        "go 1.24\ngodebug x\n",
        "go 1.24\nignore ./a ./b\n",
        "go 1.24\nignore ./a\n",
        "go 1.24\nunknown directive here\n",
        "go 1.24\nfoo (\n bar\n)\n",
        "go 1.24\nfoo bar (\n baz\n)\n",
        "go 1.24\nrequire (\n",
        "go 1.24\nrequire (\n example.com/x v1.0.0\n) junk\n",
        "go 1.24\nrequire ()\n",
        "go 1.24\n/* comment */\n",
        "go 1.24 /* x */\n",
        "// comment\ngo 1.24 // trailing\n",
        "go 1.24\nmodule \"unterminated\n",
        "go 1.24\nmodule \"unterminated",
        "go 1.24\r\nmodule example.com/m\r\n",
        "go 1.24\n\u{0}\n",
        "go 1.24\n\u{A0}\n",
        "go 1.24\nmodule ex\u{E9}mple.com\n",
        "go\t1.24\n",
        "go 1.24\nrequire \"example.com/x\" \"v1.0.0\"\n",
        "go 1.24\nrequire example.com/x \"v1.0.0\n",
        ")\ngo 1.24\n",
        "go 1.24\n( x\n",
        "go (\n 1.24\n)\n",
        "",
    ]

    @Test func craftedInputsMatchGo() throws {
        let sandbox = try Sandbox()
        var paths: [String] = []
        for (index, text) in Self.crafted.enumerated() {
            let path = sandbox.sub("\(index).mod")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        // Raw bytes that are not UTF-8.
        let raw: [[UInt8]] = [
            Array("go 1.24\nmodule ex".utf8) + [0xFF] + Array("ample.com\n".utf8),
            Array("go 1.24\nmodule \"ex".utf8) + [0xFF] + Array("\"\n".utf8),
            Array("go 1.2".utf8) + [0xFF] + [0x0A],
        ]
        for (index, bytes) in raw.enumerated() {
            let path = sandbox.sub("raw\(index).mod")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        try compareWithGo(paths)
    }

    @Test func corpusGoModsMatchGo() throws {
        guard let corpus = Corpus.shared else {
            try GoReference.unavailable("module corpus; run scripts/make-corpus.sh")
        }
        let files = corpus.goMods.map(\.file)
        #expect(files.count >= 50)
        try compareWithGo(files)
    }

    /// x/mod `zip.isVendoredPackage`: go 1.24 and later (including release candidates) select the new vendoring
    /// rule; missing, older and unparsable versions the old one.
    @Test func comparisonWithGo124() {
        func modern(_ goMod: String) -> Bool {
            LaxGoVersion.compare(LaxGoVersion.languageVersion(ofGoMod: Array(goMod.utf8)), Array("go1.24".utf8)) >= 0
        }
        #expect(modern("go 1.24\n"))
        #expect(modern("go 1.24rc1\n"))
        #expect(modern("go 1.25.3\n"))
        #expect(!modern("go 1.23\n"))
        #expect(!modern(""))
        #expect(!modern("go 1.24\nrequire x\n"))
    }

    private func compareWithGo(_ paths: [String]) throws {
        let answers = try ModZipRef.run(["govers"] + paths)
        #expect(answers.count == paths.count)
        for (path, answer) in zip(paths, answers) {
            let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let want = answer["vers"] as? String ?? "<error>"
            let got = String(decoding: LaxGoVersion.languageVersion(ofGoMod: data), as: UTF8.self)
            #expect(got == want, "\(path): \(ByteString(data)) (Go: \(answer["parseError"] ?? "parsed"))")
        }
    }
}

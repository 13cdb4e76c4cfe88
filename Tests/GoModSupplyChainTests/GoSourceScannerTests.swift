import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModFetch
@testable import GoModVCS
@testable import GoModSupplyChain

/// The lexical Go scanner behind the divergence classification. Expected values follow the Go
/// specification (import declarations, comments, string literals, `func init()`).
@Suite struct GoSourceScannerTests {
    @Test func importsInAllShapes() {
        let source = """
            // Package p has "import" in a comment: import "fake/comment"
            package p

            import "fmt"
            import n "net"
            import . "strings"
            import (
            \t"os/exec" // trailing comment
            \t_ "unsafe"
            \tsys "syscall"
            \t/* block */ "plugin"
            \t`net/http`
            )

            var s = "import \\"fake/string\\""
            var r = `import "fake/raw"`

            func f() {
            \timport_ := 1
            \t_ = import_
            }
            """
        let facts = GoSourceFacts(scanning: Array(source.utf8))
        #expect(facts.imports == ["fmt", "net", "strings", "os/exec", "unsafe", "syscall", "plugin", "net/http"])
    }

    @Test func initFunctionsOnlyAtTopLevel() {
        let source = """
            package p

            // func init() { in a comment }
            func (t T) init() {}
            func initialize() {}
            func init() {
            \tx := "}"
            \t_ = x
            }
            func init() { println('}') }
            var s = "func init() {}"
            """
        let facts = GoSourceFacts(scanning: Array(source.utf8))
        #expect(facts.initBodies.count == 2)
        #expect(facts.initBodies[0] != facts.initBodies[1])
    }

    @Test func commentOnlyChangesKeepTheFingerprint() {
        let a = GoSourceFacts(scanning: Array("package p\n\n// A.\nfunc A() int { return 1 }\n".utf8))
        let b = GoSourceFacts(scanning: Array("package p\n\n/* B,\nlonger. */\nfunc A()  int {\treturn 1 } // c\n".utf8))
        let c = GoSourceFacts(scanning: Array("package p\n\nfunc A() int { return 2 }\n".utf8))
        #expect(a.codeFingerprint == b.codeFingerprint)
        #expect(a.codeFingerprint != c.codeFingerprint)
    }

    @Test func directivesAndCgo() {
        let source = """
            //go:build linux && cgo
            // +build linux,cgo

            package p

            // #include <stdio.h>
            // #cgo LDFLAGS: -lm
            import "C"

            //go:linkname now runtime.nanotime
            //go:generate go run gen.go
            //go:embed payload.bin
            //export Exported
            """
        let facts = GoSourceFacts(scanning: Array(source.utf8))
        #expect(facts.buildConstraints == ["//go:build linux && cgo", "// +build linux,cgo"])
        #expect(facts.linknames == ["//go:linkname now runtime.nanotime"])
        #expect(facts.generates == ["//go:generate go run gen.go"])
        #expect(facts.otherDirectives == ["//go:embed payload.bin", "//export Exported"])
        #expect(facts.imports == ["C"])
        #expect(facts.cgoPreamble != nil)
        let other = GoSourceFacts(scanning: Array(source.replacingOccurrences(of: "-lm", with: "-lcurl").utf8))
        #expect(other.cgoPreamble != facts.cgoPreamble)
    }

    @Test func encodedBlobs() {
        let hex = String(repeating: "deadbeef", count: 16)
        let ints = (0..<200).map { "0x\(String($0 % 256, radix: 16))" }.joined(separator: ", ")
        let source = "package p\n\nvar h = \"\(hex)\"\nvar b = []byte{\(ints)}\nvar short = \"abc123\"\n"
        let facts = GoSourceFacts(scanning: Array(source.utf8))
        #expect(facts.blobs.count == 2)
        #expect(facts.blobs.contains("hex string of 128 characters"))
    }

    /// Go spec escapes in interpreted strings; raw strings drop carriage returns.
    @Test func unquoting() {
        #expect(unquoteGoString(Array(#""a\tb\x41\101\u00e9\"""#.utf8)) == Array("a\tbAAé\"".utf8))
        #expect(unquoteGoString(Array("`a\r\nb`".utf8)) == Array("a\nb".utf8))
    }

    /// Hostile input: unterminated literals and comments, NUL bytes, deep braces — no crash.
    @Test func hostileInputDoesNotTrap() {
        for text in ["\"unterminated", "/* open", "`raw", "'", String(repeating: "{", count: 100_000), "func init() {",
                     "import (", "\u{0}\u{0}import \"x\"", "0x1p-2 1e+5 .5"] {
            _ = GoSourceFacts(scanning: Array(text.utf8))
        }
    }
}

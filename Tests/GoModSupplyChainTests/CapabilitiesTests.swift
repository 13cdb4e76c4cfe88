import Foundation
import GoModCore
import GoModZip
import GoModVCS
import GoModSupplyChain
import GoModTestSupport
import Testing

/// Import-level capabilities with Capslock's names (google/capslock; Docs/advisories.md, "Capabilities").
@Suite struct CapabilitiesTests {
    static func files(_ list: [(String, String)]) -> [(path: ByteString, contents: [UInt8])] {
        list.map { (ByteString($0.0), Array($0.1.utf8)) }
    }

    /// The example's backdoored v1.3.1 (the mirror's zip) against the tag's code today: the
    /// root package gains NETWORK (import "net") and EXEC (import "os/exec") and an init().
    /// The tag's db.go imports errors, os and sync (OPERATING_SYSTEM), the backdoored one adds
    /// net, os/exec and time and a func init() (`git show v1.3.1:db.go` in the bundle; `unzip -p`).
    @Test func backdooredBoltGainsNetworkAndExec() throws {
        let sandbox = try Sandbox()
        let clone = sandbox.sub("bolt.git")
        try Divergence.cloneBundle(BoltExample.bundle, to: clone)
        let module = ModuleVersion.raw("github.com/boltdb-go/bolt", "v1.3.1")
        let tagZip = try #require(try ModuleZip.createFromGit(module, source: ModuleZip.GitSource(repository: clone), output: .memory).created.zipBytes)
        let tag = try Capabilities.analyze(zip: tagZip, subject: "tag")
        let mirror = try Capabilities.analyze(zip: Array(try Data(contentsOf: URL(fileURLWithPath: BoltExample.zip))), subject: "mirror")
        #expect(tag.module == "github.com/boltdb-go/bolt")
        #expect(mirror.version == "v1.3.1")
        #expect(tag.packages.map(\.capabilities) == [["OPERATING_SYSTEM"]])
        #expect(mirror.packages.map(\.capabilities) == [["EXEC", "NETWORK", "OPERATING_SYSTEM", "init"]])
        let changes = Capabilities.diff(old: tag, new: mirror)
        #expect(changes.count == 1)
        #expect(changes[0].directory == "")
        #expect(changes[0].added == ["EXEC", "NETWORK", "init"])
        #expect(changes[0].removed == [])
        #expect(changes[0].reasons["NETWORK"]?.map(\.description) == ["import \"net\" in db.go"])
        // The other direction gains nothing.
        #expect(Capabilities.diff(old: mirror, new: tag).allSatisfy { $0.added.isEmpty })
    }

    @Test func pureComputationIsSafe() {
        let report = Capabilities.analyze(files: Self.files([
            ("go.mod", "module example.com/m\n"),
            ("sum.go", "package m\n\nimport (\n\t\"fmt\"\n\t\"math\"\n\t\"strings\"\n\t\"crypto/sha256\"\n)\n\nfunc F() string { return fmt.Sprint(math.Pi, strings.ToUpper(\"x\"), sha256.Sum256(nil)) }\n"),
            ("sum_test.go", "package m\nimport \"os/exec\"\nvar _ = exec.Command\n"),
            ("testdata/x.go", "package x\nimport \"net\"\n"),
        ]))
        #expect(report.packages.count == 1)
        #expect(report.packages[0].capabilities == [])
        #expect(report.capabilities == [])
    }

    @Test func cgoAssemblyLinknameUnsafe() {
        let report = Capabilities.analyze(files: Self.files([
            ("cgo/c.go", "package cgo\n\n// #include <stdio.h>\nimport \"C\"\n\nfunc F() { C.puts(nil) }\n"),
            ("asm/a.go", "package asm\nfunc add(a, b int) int\n"),
            ("asm/add_amd64.s", "TEXT ·add(SB),4,$0\n RET\n"),
            ("link/l.go", "package link\nimport _ \"unsafe\"\n//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n"),
            ("ptr/p.go", "package ptr\nimport \"unsafe\"\n// unsafe.Pointer in a comment only counts in code:\nfunc F(x *int) uintptr { return uintptr(unsafe.Pointer(x)) }\n"),
            ("nptr/p.go", "package nptr\nimport \"unsafe\"\nvar s = \"unsafe.Pointer\"\nfunc F() uintptr { return unsafe.Sizeof(0) }\n"),
            ("logs/l.go", "package logs\nimport (\n\t\"log\"\n\t\"plugin\"\n\t\"os/signal\"\n\t\"reflect\"\n\t\"syscall\"\n)\nfunc init() {}\n"),
        ]))
        let byDir = Dictionary(report.packages.map { ($0.directory, $0.capabilities) }, uniquingKeysWith: { a, _ in a })
        #expect(byDir["cgo"] == ["CGO"])
        #expect(byDir["asm"] == ["ARBITRARY_EXECUTION"])
        #expect(byDir["link"] == ["ARBITRARY_EXECUTION"])
        #expect(byDir["ptr"] == ["ARBITRARY_EXECUTION", "UNSAFE_POINTER"])
        #expect(byDir["nptr"] == ["ARBITRARY_EXECUTION"])
        #expect(byDir["logs"] == ["EXEC", "MODIFY_SYSTEM_STATE/LOGGING", "MODIFY_SYSTEM_STATE/SIGNALS", "REFLECT", "SYSTEM_CALLS", "init"])
        #expect(Capabilities.enumName("MODIFY_SYSTEM_STATE/ENV") == "CAPABILITY_MODIFY_SYSTEM_STATE")
        #expect(Capabilities.enumName("NETWORK") == "CAPABILITY_NETWORK")
        #expect(Capabilities.enumName("init") == nil)
    }

    @Test func hostileZipsAreTypedErrors() {
        #expect(throws: DivergenceError(.invalidZip, subject: "", message: "")) {
            try Capabilities.analyze(zip: Array("not a zip".utf8), subject: "x.zip")
        }
    }
}

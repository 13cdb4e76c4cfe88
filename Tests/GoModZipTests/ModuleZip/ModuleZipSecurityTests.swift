#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport
import Testing

/// Module-zip policy (x/mod `zip.CheckZip`; rows 46–70, numbered as in the test names): each row's zip
/// is built with the test ``ZipBuilder`` (its baseline `P/go.mod`, `P/m.go` plus the row's entries),
/// and ``ModuleZip/checkZip(_:archive:)`` must give the row's typed outcome. The Go messages
/// quoted in the rows are checked byte for byte, and rows tagged [O] are also run through Go
/// 1.27.3's `zip.CheckZip` (hashref, live) whose lists must equal ours.
@Suite struct ModuleZipSecurityTests {
    static let module = ModuleVersion.raw("example.com/m", "v1.0.0")
    static let p = ZipBuilder.prefix

    /// Checks `builder`'s zip (strict reader) and compares the lists with Go's `CheckZip`.
    private func check(_ builder: ZipBuilder, module: ModuleVersion = module, compareWithGo: Bool = true,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> ModuleZip.CheckedFiles {
        let bytes = builder.bytes
        let archive = try ZipArchive(bytes: bytes, mode: .goCompatible, limits: ModuleZip.policyLimits)
        let cf = try ModuleZip.checkZip(module, archive: archive)
        if compareWithGo {
            let sandbox = try Sandbox()
            let path = sandbox.sub("row.zip")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let go = try Hashref.run(.current, ["checkzip", module.path.utf8String ?? "", module.version.utf8String ?? "", path])
            #expect(formatCheckedFiles(cf) == ModZipRef.format(go), sourceLocation: sourceLocation)
            #expect(cf.sizeError?.message == go["sizeError"] as? String, sourceLocation: sourceLocation)
            // The strict reader agrees on these honest containers.
            #expect(try ModuleZip.checkZip(module, path: path) == cf, sourceLocation: sourceLocation)
        }
        return cf
    }

    private func baseline(_ extra: [ZipBuilder.Entry]) -> ZipBuilder {
        var b = ZipBuilder.baseline()
        b.entries += extra
        return b
    }

    private func entry(_ name: String, _ content: String = "x") -> ZipBuilder.Entry { ZipBuilder.Entry(name, content) }
    private func raw(_ name: [UInt8], _ content: String = "x") -> ZipBuilder.Entry {
        ZipBuilder.Entry(name: Array(Self.p.utf8) + name, content: Array(content.utf8))
    }

    private func only(_ cf: ModuleZip.CheckedFiles, _ code: ModuleZipError.Code) -> ModuleZip.FileError? {
        #expect(cf.invalid.count == 1, "\(cf.invalid)")
        #expect(cf.invalid.first?.code == code)
        return cf.invalid.first
    }

    @Test func row46DotDotElement() throws {
        let cf = try check(baseline([entry(Self.p + "../../evil.go")]))
        let e = try #require(only(cf, .invalidPath))
        #expect(e.message == "malformed file path \"../../evil.go\": invalid path element \"..\"")
        #expect(e.pathError?.code == .dotsOnlyElement)
    }

    @Test func row47OutsidePrefix() throws {
        for name in ["../../../evil.go", "/etc/evil"] {
            let cf = try check(baseline([entry(name)]))
            let e = try #require(only(cf, .outsidePrefix))
            #expect(e.message == "path does not have prefix \"example.com/m@v1.0.0/\"")
        }
    }

    @Test func row48Backslash() throws {
        let cf = try check(baseline([entry(Self.p + "a\\..\\..\\evil.go")]))
        let e = try #require(only(cf, .invalidPath))
        #expect(e.message == "malformed file path \"a\\\\..\\\\..\\\\evil.go\": invalid char '\\\\'")
        #expect(e.pathError?.code == .invalidCharacter)
    }

    @Test(arguments: [[0x61, 0x00, 0x62], [0x61, 0x01], [0x61, 0x1F], [0x61, 0x7F], Array("a:b.go".utf8),
                      Array("a*b".utf8), Array("a?b".utf8), Array("a<b".utf8), Array("a>b".utf8), Array("a\"b".utf8),
                      Array("a'b".utf8), Array("a`b".utf8), Array("a|b".utf8)] as [[UInt8]])
    func row49InvalidCharacters(_ name: [UInt8]) throws {
        let cf = try check(baseline([raw(name)]))
        let e = try #require(only(cf, .invalidPath))
        #expect(e.pathError?.code == .invalidCharacter)
        #expect(String(decoding: e.message.bytes, as: UTF8.self).contains("invalid char"))
    }

    @Test func row50NotClean() throws {
        for name in ["./a.go", "a//b", "a//"] {
            let cf = try check(baseline([entry(Self.p + name, name.hasSuffix("/") ? "" : "x")]))
            #expect(try #require(only(cf, .pathNotClean)).message == "file path is not clean")
        }
    }

    @Test func row51ReservedNames() throws {
        for (name, element) in [("con.go", "con"), ("aux/x.go", "aux"), ("NUL.txt", "NUL"), ("com1", "com1")] {
            let cf = try check(baseline([entry(Self.p + name)]))
            let e = try #require(only(cf, .invalidPath))
            #expect(e.pathError?.code == .windowsReservedName)
            #expect(e.message == ByteString("malformed file path \"\(name)\": \"\(element)\" disallowed as path element component on Windows"))
        }
    }

    @Test func row52DuplicateEntry() throws {
        let cf = try check(baseline([entry(Self.p + "m.go", "package evil\n")]))
        #expect(try #require(only(cf, .duplicateEntry)).message == "multiple entries for file \"m.go\"")
    }

    @Test func row53CaseCollisions() throws {
        let upper = try check(baseline([entry(Self.p + "M.go")]))
        #expect(try #require(only(upper, .caseCollision)).message == "case-insensitive file name collision: \"m.go\" and \"M.go\"")
        let kelvin = try check(baseline([entry(Self.p + "k.go"), entry(Self.p + "\u{212A}.go")]))
        #expect(try #require(only(kelvin, .caseCollision)).message
                == ByteString("case-insensitive file name collision: \"k.go\" and \"\u{212A}.go\""))
    }

    @Test func row54NormalizationVariants() throws {
        // The row's h1 is for both files holding "package m\n" (found by recomputing it).
        let builder = baseline([entry(Self.p + "\u{AC00}.go", "package m\n"), entry(Self.p + "\u{1100}\u{1161}.go", "package m\n")])
        let cf = try check(builder)
        #expect(cf.isValid)
        #expect(cf.valid.count == 4)
        #expect(cf.warnings.contains { $0.code == .normalizationCollision })
        #expect(try DirHash.hashZip(ZipArchive(bytes: builder.bytes)).description == "h1:YBeOkM1tsCj4SojR/fwuEX37cUOT+Qwi/2a8YeHbSF0=")

        let sandbox = try Sandbox()
        try Data(builder.bytes).write(to: URL(fileURLWithPath: sandbox.sub("z.zip")))
        #expect(throws: ModuleZipError(.normalizationCollision, message: "")) {
            try ModuleZip.unzip(sandbox.sub("z.zip"), module: Self.module, to: sandbox.sub("apfs"),
                                options: .init(volume: .normalizing))
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.sub("apfs")))
        try ModuleZip.unzip(sandbox.sub("z.zip"), module: Self.module, to: sandbox.sub("ext4"), options: .init(volume: .exact))
        #expect(FS.tree(sandbox.sub("ext4")).count == 4)
    }

    @Test func row55TrailingSpaceAlias() throws {
        let builder = baseline([entry(Self.p + "m.go ", "package evil\n")])
        let cf = try check(builder)
        #expect(cf.isValid)
        #expect(cf.warnings.contains { $0.code == .platformAlias && $0.path == ByteString(Self.p + "m.go ") })
        #expect(try DirHash.hashZip(ZipArchive(bytes: builder.bytes)).description == "h1:Du7NtjRyGH8lbAvqB0Ba/LLGsEP9fwJQJjxGaMqJS4w=")
        let dir = try check(baseline([entry(Self.p + "dir /m.go")]))
        #expect(dir.isValid && dir.warnings.contains { $0.code == .platformAlias })
        // `m.go.`-style aliases: Go itself refuses trailing dots.
        let dot = try check(baseline([entry(Self.p + "m.go.")]))
        #expect(try #require(only(dot, .invalidPath)).pathError?.code == .trailingDot)
    }

    @Test func row56FileAndDirectory() throws {
        let cf = try check(baseline([entry(Self.p + "a.go"), entry(Self.p + "a.go/b.go")]))
        #expect(try #require(only(cf, .fileDirectoryCollision)).message == "entry \"a.go\" is both a file and a directory")
    }

    @Test func row57GoModCase() throws {
        var b = ZipBuilder([entry(Self.p + "GO.MOD", "module example.com/m\n"), entry(Self.p + "m.go")])
        let cf = try check(b)
        #expect(try #require(only(cf, .goModCase)).message == "go.mod files must have lowercase names")
        b = baseline([entry(Self.p + "b/GO.MOD", "module example.com/m\n")])
        #expect(try #require(only(try check(b), .goModNotInRoot)).message == "go.mod file not in module root directory")
    }

    @Test func row58NestedGoMod() throws {
        let cf = try check(baseline([entry(Self.p + "sub/go.mod", "module example.com/m/sub\n")]))
        #expect(try #require(only(cf, .goModNotInRoot)).message == "go.mod file not in module root directory")
    }

    @Test func row59WrongPrefix() throws {
        let other = try check(baseline([entry("example.com/m@v1.0.1/x.go")]))
        #expect(try #require(only(other, .outsidePrefix)).path == "example.com/m@v1.0.1/x.go")
        let bare = try check(baseline([entry("example.com/m@v1.0.0")]))
        #expect(try #require(only(bare, .outsidePrefix)).path == "example.com/m@v1.0.0")
    }

    @Test func row60InvalidModuleVersion() throws {
        let archive = try ZipArchive(bytes: ZipBuilder.baseline().bytes)
        do {
            _ = try ModuleZip.checkZip(ModuleVersion.raw("example.com/m", "v2.0.0"), archive: archive)
            Issue.record("accepted v2.0.0 for example.com/m")
        } catch {
            #expect(error.code == .invalidModuleVersion)
            #expect(error.message == "example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")
        }
        do {
            _ = try ModuleZip.checkZip(ModuleVersion.raw("example.com/m", "v1.0.0+bad"), archive: archive)
            Issue.record("accepted a non-canonical version")
        } catch {
            #expect(error.code == .invalidModuleVersion)
            #expect(error.message == "version \"v1.0.0+bad\" is not canonical (should be \"v1.0.0\")")
        }
    }

    /// An entry whose headers declare `size` uncompressed bytes (the data is one stored byte).
    private func declaring(_ name: String, _ size: UInt32) -> ZipBuilder.Entry {
        var e = ZipBuilder.Entry(name, "x", method: 8)
        e.local.uncompressedSize = size
        e.central.uncompressedSize = size
        return e
    }

    @Test func row61DeclaredSixHundredMiB() throws {
        let cf = try check(baseline([declaring(Self.p + "big.bin", 600 << 20)]))
        #expect(cf.sizeError?.code == .moduleTooLarge)
        #expect(cf.sizeError?.message == "total uncompressed size of module contents too large (max size is 524288000 bytes)")
    }

    @Test func row62GoModAndLicenseSizes() throws {
        let goMod = try check(ZipBuilder([declaring(Self.p + "go.mod", 17 << 20)]))
        #expect(try #require(only(goMod, .goModTooLarge)).message == "go.mod file too large (max size is 16777216 bytes)")
        let license = try check(baseline([declaring(Self.p + "LICENSE", (16 << 20) + 1)]))
        #expect(try #require(only(license, .licenseTooLarge)).message == "LICENSE file too large (max size is 16777216 bytes)")
    }

    @Test func row63SparseZipTooLarge() throws {
        let sandbox = try Sandbox()
        let path = sandbox.sub("huge.zip")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        #expect(ftruncate(fd, 524_288_001) == 0)
        close(fd)
        let cf = try ModuleZip.checkZip(Self.module, path: path)
        #expect(cf.sizeError?.code == .zipTooLarge)
        #expect(cf.sizeError?.message == "module zip file is too large (524288001 bytes; limit is 524288000 bytes)")
        let go = try Hashref.run(.current, ["checkzip", "example.com/m", "v1.0.0", path])
        #expect(go["sizeError"] as? String == cf.sizeError?.message)
    }

    @Test func row64DirectoryAndPrefixEntries() throws {
        let dir = baseline([entry(Self.p + "dir/", "")])
        let cf = try check(dir)
        #expect(cf.isValid && cf.warnings.contains { $0.code == .directoryEntry })
        #expect(try DirHash.hashZip(ZipArchive(bytes: dir.bytes)).description == "h1:iy4uZ/oBwafZoB5FAKGjYrp3exlN0aQtAVzJexe+nzg=")
        let prefixOnly = baseline([entry(Self.p, "")])
        let cf2 = try check(prefixOnly)
        #expect(cf2.isValid && cf2.warnings.contains { $0.code == .directoryEntry })
        #expect(try DirHash.hashZip(ZipArchive(bytes: prefixOnly.bytes)).description == "h1:5UMkL+d6QZjuzPs4BGN9yYF2Kbf+S3haCIBDPTpoA4Q=")
    }

    @Test func row65DirectoryEntryWithData() throws {
        let builder = baseline([entry(Self.p + "dir/", String(repeating: "h", count: 33))])
        // Strict reader: refused when the central directory is read.
        do {
            _ = try ModuleZip.checkZip(Self.module, archive: try ZipArchive(bytes: builder.bytes))
            Issue.record("strict reader accepted a directory entry with data")
        } catch let error as ZipError {
            #expect(error.code == .directoryEntryWithData)
        }
        // Lenient reader: the module policy refuses it.
        let cf = try check(builder, compareWithGo: false)
        #expect(try #require(only(cf, .directoryEntryWithData)).path == ByteString(Self.p + "dir/"))
    }

    @Test func row66DirectoryEntryDeclaringSixHundredMiB() throws {
        var dir = ZipBuilder.Entry(Self.p + "dir/", "", method: 8)
        dir.local.uncompressedSize = 600 << 20
        dir.central.uncompressedSize = 600 << 20
        let cf = try check(baseline([dir]), compareWithGo: false)
        #expect(try #require(only(cf, .directoryEntryWithData)).path == ByteString(Self.p + "dir/"))
        #expect(cf.sizeError?.code == .moduleTooLarge)
    }

    @Test func row67SymlinkModeEntry() throws {
        var link = ZipBuilder.Entry(Self.p + "link.go", "/etc/passwd", method: 0)
        link.versionMadeBy = 3 << 8 | 20
        link.externalAttributes = 0o120777 << 16
        let builder = baseline([link])
        let cf = try check(builder)
        #expect(cf.isValid && cf.valid.contains(ByteString(Self.p + "link.go")))
        #expect(cf.warnings.contains { $0.code == .symlinkEntry })
        let sandbox = try Sandbox()
        try Data(builder.bytes).write(to: URL(fileURLWithPath: sandbox.sub("z.zip")))
        try ModuleZip.unzip(sandbox.sub("z.zip"), module: Self.module, to: sandbox.sub("out"))
        var info = stat()
        #expect(lstat(sandbox.sub("out/link.go"), &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFREG)
        #expect(try String(contentsOfFile: sandbox.sub("out/link.go"), encoding: .utf8) == "/etc/passwd")
    }

    @Test func row68VendorContent() throws {
        let builder = baseline([entry(Self.p + "vendor/x.com/y/y.go", "package y\n"), entry(Self.p + "vendor/modules.txt", "# x\n")])
        let cf = try check(builder)
        #expect(cf.isValid && cf.valid.count == 4)
        #expect(cf.warnings.filter { $0.code == .vendoredContent }.count == 2)
        #expect(try DirHash.hashZip(ZipArchive(bytes: builder.bytes)).description == "h1:owrLdvMnUtQks77vHTpd1uO8tQYB7TaMnzhOX9BFdEs=")
    }

    @Test func row69EmptyZip() throws {
        let builder = ZipBuilder([])
        let cf = try check(builder)
        #expect(cf.isValid && cf.valid.isEmpty)
        #expect(try DirHash.hashZip(ZipArchive(bytes: builder.bytes)).description == "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test func row70LegacyModuleWithoutGoMod() throws {
        let builder = ZipBuilder([ZipBuilder.baseline().entries[1]])
        let cf = try check(builder)
        #expect(cf.isValid)
        #expect(try DirHash.hashZip(ZipArchive(bytes: builder.bytes)).description == "h1:GR20fivJKFmDxgKCn2wuB4ugyxDDWGraj8BDB0A5XQI=")
        #expect(ModuleZip.legacyGoMod("example.com/m") == Array("module example.com/m\n".utf8))
        #expect(DirHash.hashGoMod(ModuleZip.legacyGoMod("example.com/m")).description == "h1:flS2VctbRrTv+sBE+VKgxx6hlkMGPVz9MGOmzMYFg3k=")
        // A real sum.golang.org record of cmd/go's synthesized go.mod (modfetch.LegacyGoMod).
        #expect(DirHash.hashGoMod(ModuleZip.legacyGoMod("github.com/davecgh/go-spew")).description
                == "h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38=")
    }

    /// modfile's `AutoQuote`/`MustQuote` and cmd/go's `LegacyGoMod` against Go, on paths that
    /// need quoting and ones that do not.
    @Test func legacyGoModQuotingMatchesGo() throws {
        let inputs: [[UInt8]] = ["example.com/m", "", "a b", "x\"y", "a//b", "a/*b", "(", "a(", "é", "\u{7}", "tab\t",
                                 "`", "'", "k\u{212A}"].map { Array($0.utf8) } + [[0x61, 0xFF]]
        let go = try ModZipRef.run(["autoquote"],
                                   stdin: Array(try JSONSerialization.data(withJSONObject: inputs.map { Data($0).base64EncodedString() })))
        #expect(go.count == inputs.count)
        for (input, answer) in zip(inputs, go) {
            #expect(GoMod.autoQuote(ByteString(input)).bytes == ModZipRef.base64(answer["quotedBase64"]), "\(ByteString(input))")
            #expect(ModuleZip.legacyGoMod(ByteString(input)) == ModZipRef.base64(answer["legacyGoModBase64"]))
        }
    }
}

import GoModKit
import GoModTestSupport
import Testing

/// The public error codes are extensible structs (the swift-asn1 `ASN1Error.ErrorCode` shape)
/// rather than enums, so a later release can add a code without breaking a client's `switch`.
/// These tests pin what the change must not alter: codes compare and hash as the former enum
/// cases did, errors still compare on their code only, a code still prints as its name, and
/// ``description`` still reads as Go's message.
///
/// Every expected message is Go's: `archive/zip` (`reader.go`: `ErrFormat`, `ErrChecksum`),
/// x/mod `sumdb/note` (`note.go`: `errMalformedNote`, `errVerifierID`, `errVerifierAlg`,
/// `errVerifierHash`, `errInvalidSigner`, `InvalidSignatureError`, `ambiguousKeyError`,
/// `UnverifiedNoteError`), x/mod `sumdb/tlog` (`note.go`: `errMalformedTree`,
/// `errMalformedRecord`; `tlog.go`: `errProofFailed`), `net/http` (`client.go`:
/// `stopped after 10 redirects`), cmd/go `modfetch/sumdb.go` (`checksum database disabled by
/// GOSUMDB=off`), x/mod `module.CheckPath` and `modfile` (`repeated module statement`,
/// `modfile.Error.Error`'s `<file>:<line>: ` prefix), cmd/go's go.sum reader and x/mod's
/// `dirhash`.
@Suite struct ErrorCodeTests {
    /// Checks the value semantics every code type must keep: reflexive equality, distinct codes
    /// unequal, equal codes hashing alike, and set membership.
    func checkValueSemantics<C: Hashable>(_ a: C, _ b: C, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a == a, sourceLocation: sourceLocation)
        #expect(a != b, sourceLocation: sourceLocation)
        var h1 = Hasher(), h2 = Hasher()
        h1.combine(a)
        h2.combine(a)
        #expect(h1.finalize() == h2.finalize(), sourceLocation: sourceLocation)
        #expect(Set([a, b, a]).count == 2, sourceLocation: sourceLocation)
    }

    @Test func zipError() {
        checkValueSemantics(ZipError.Code.notAZip, .crcMismatch)
        checkValueSemantics(ZipError.Code.localHeaderMismatch(.name), .localHeaderMismatch(.size))
        checkValueSemantics(ZipError.Code.unsupportedMethod(12), .unsupportedMethod(9))
        checkValueSemantics(ZipError.LocalHeaderField.name, .method)
        checkValueSemantics(ZipWarning.Code.relaxed(.trailingData), .relaxed(.prependedData))
        #expect(ZipError.Code.localHeaderMismatch(.crc32).localHeaderField == .crc32)
        #expect(ZipError.Code.notAZip.localHeaderField == nil)
        #expect(ZipError.Code.unsupportedMethod(93).compressionMethod == 93)
        #expect(ZipWarning.Code.relaxed(.zip64Inconsistent).relaxedCode == .zip64Inconsistent)
        #expect(ZipWarning.Code.archiveComment.relaxedCode == nil)
        // Equality and hashing on the code only; the context is for people.
        let a = ZipError(.crcMismatch, entry: ByteString("m@v1.0.0/a.go"), offset: 10, detail: "x")
        let b = ZipError(.crcMismatch)
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(a != ZipError(.notAZip))
        // Go's archive/zip messages.
        #expect(ZipError(.notAZip).description == "zip: not a valid zip file")
        #expect(ZipError(.crcMismatch).description == "zip: checksum error")
    }

    @Test func dirHashError() {
        checkValueSemantics(DirHashError.Code.newlineInName, .duplicateEntry)
        #expect(DirHashError(.zip, message: "a") == DirHashError(.zip, message: "b"))
        #expect(DirHashError(.zip, message: "a") != DirHashError(.io, message: "a"))
        #expect("\(DirHashError.Code.newlineInName)" == "newlineInName")
        do {
            _ = try DirHash.hash1(files: [(ByteString("a\nb"), [])])
            Issue.record("a name with a newline must be refused")
        } catch {
            #expect(error.code == .newlineInName)
            #expect(error.message == "dirhash: filenames with newlines are not supported")
        }
    }

    @Test func moduleZipError() throws {
        checkValueSemantics(ModuleZipError.Code.pathNotClean, .caseCollision)
        let a = ModuleZipError(.io, message: "a", context: "unzip x.zip")
        #expect(a == ModuleZipError(.io, message: "b") && a.hashValue == ModuleZipError(.io, message: "b").hashValue)
        #expect(a != ModuleZipError(.git, message: "a"))
        let cf = try ModuleZip.checkFiles([
            ModuleZip.File(path: ByteString("a/../b.go"), size: 2, content: .bytes(Array("x\n".utf8)))
        ])
        // x/mod zip: `errPathNotClean`, printed by `FileError.Error` as `<path>: <err>`.
        #expect(cf.invalid.first?.code == .pathNotClean)
        #expect(cf.invalid.first?.description == "a/../b.go: file path is not clean")
    }

    @Test func modulePathError() {
        checkValueSemantics(ModulePathError.Code.empty, .leadingDash)
        #expect(ModulePathError.Code(rawValue: "missingDotInFirstElement") == .missingDotInFirstElement)
        #expect(ModulePathError.Code(rawValue: "noSuchCode") == nil)
        #expect(ModulePathError.Code.allCases.count == Set(ModulePathError.Code.allCases).count)
        #expect(ModulePathError.Code.allCases.first == .invalidUTF8)
        #expect(ModulePathError.Code.badPattern.rawValue == "badPattern")
        #expect("\(ModulePathError.Code.badPattern)" == "badPattern")
        do {
            try Module.checkPath(ByteString("x"))
            Issue.record("x has no dot")
        } catch {
            #expect(error.code == .missingDotInFirstElement)
            #expect(error.description == #"malformed module path "x": missing dot in first path element"#)
        }
    }

    @Test func modFileError() {
        checkValueSemantics(ModFileError.Code.usage, .repeatedStatement)
        #expect(ModFileError.Code.allCases.contains(.nonCanonicalEditVersion))
        do {
            _ = try GoMod.parse(Array("module example.com/a\nmodule example.com/b\n".utf8))
            Issue.record("two module statements")
        } catch {
            #expect(error.code == .repeatedStatement)
            #expect(error.description == "go.mod:2: repeated module statement")
        }
    }

    @Test func goSumErrorAndDiagnostic() {
        checkValueSemantics(GoSumError.Code.tooLarge, .malformedLine)
        checkValueSemantics(GoSumDiagnostic.Code.nulByte, .invalidUTF8)
        #expect(GoSumDiagnostic.Code.wrongFieldCount.rawValue == "wrongFieldCount")
        let data = GoSumCorpus.hostile.first { $0.name == "row92-two-fields.sum" }?.data ?? []
        #expect(!data.isEmpty)
        do {
            _ = try GoSum(parsing: data, fileName: "/w/go.sum", mode: .go)
            Issue.record("cmd/go 1.22+ stops at line 2")
        } catch {
            #expect(error.code == .malformedLine)
            #expect(error.description == "malformed go.sum:\n/w/go.sum:2: wrong number of fields 2")
        }
    }

    @Test func noteError() {
        checkValueSemantics(NoteError.Code.malformedNote, .malformedKey)
        #expect(NoteError(.invalidSignature, keyName: ByteString("a"), keyHash: 1)
            == NoteError(.invalidSignature, keyName: ByteString("b"), keyHash: 2))
        #expect(NoteError(.malformedNote).description == "malformed note")
        #expect(NoteError(.malformedKey).description == "malformed verifier id")
        #expect(NoteError(.unknownAlgorithm).description == "unknown verifier algorithm")
        #expect(NoteError(.keyHashMismatch).description == "invalid verifier hash")
        #expect(NoteError(.invalidSigner).description == "invalid signer")
        #expect(NoteError(.unverifiedNote).description == "note has no verifiable signatures")
        #expect(NoteError(.invalidSignature, keyName: ByteString("PeterNeumann"), keyHash: 0xc74f_20a3).description
            == "invalid signature for key PeterNeumann+c74f20a3")
        #expect(NoteError(.ambiguousKey, keyName: ByteString("PeterNeumann"), keyHash: 0xc74f_20a3).description
            == "ambiguous key PeterNeumann+c74f20a3")
    }

    @Test func tlogError() {
        checkValueSemantics(TLogError.Code.malformedTree, .malformedRecord)
        #expect(TLogError(.malformedTree).description == "malformed tree note")
        #expect(TLogError(.malformedRecord).description == "malformed record data")
        #expect(TLogError(.invalidProof).description == "invalid transparency proof")
    }

    @Test func checksumDatabaseAndTransportErrors() {
        checkValueSemantics(ChecksumDatabaseError.Code.disabled, .skipped)
        #expect(ChecksumDatabaseError(.disabled).description == "checksum database disabled by GOSUMDB=off")
        #expect(ChecksumDatabaseError(.notFound, "a") == ChecksumDatabaseError(.notFound, "b"))
        checkValueSemantics(HTTPTransportError.Code.timeout, .failed)
        #expect(HTTPTransportError(.timeout, url: "https://a/") == HTTPTransportError(.timeout, url: "https://b/"))
        #expect(HTTPTransportError(.tooManyRedirects, url: "https://a/").description
            .hasSuffix(": stopped after 10 redirects"))
        #expect(HTTPTransportError.Code(rawValue: "insecureRedirect") == .insecureRedirect)
    }

    @Test func fetchAndSupplyChainErrors() {
        checkValueSemantics(ModuleProxyError.Code.notFound, .proxyOff)
        #expect(ModuleProxyError(.notFound, "a", status: 404) == ModuleProxyError(.notFound, "b", status: 410))
        #expect(ModuleProxyError(.notFound, "a").isNotExist && ModuleProxyError(.proxyOff, "a").isNotExist)
        #expect(!ModuleProxyError(.noVersions, "a").isNotExist)
        checkValueSemantics(ModuleCacheError.Code.goSumMismatch, .io)
        #expect(ModuleCacheError(.goSumMismatch, "a").isSecurityFailure)
        #expect(!ModuleCacheError(.io, "a").isSecurityFailure)
        #expect(ModuleCacheError(.io, "a") == ModuleCacheError(.io, "b"))
        checkValueSemantics(DivergenceError.Code.allCases[0], DivergenceError.Code.allCases[1])
    }

    /// A client's `switch` over a code compiles with a `default`, as the doc comments ask.
    @Test func switchWithDefault() {
        func kind(_ code: ZipError.Code) -> String {
            switch code {
            case .notAZip: "container"
            case .crcMismatch, .sizeMismatch: "content"
            case .localHeaderMismatch(.name): "name"
            default: "other"
            }
        }
        #expect(kind(.notAZip) == "container")
        #expect(kind(.sizeMismatch) == "content")
        #expect(kind(.localHeaderMismatch(.name)) == "name")
        #expect(kind(.localHeaderMismatch(.size)) == "other")
    }
}

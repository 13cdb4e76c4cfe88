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

    /// Every domain's codes, written out: each static member carries its own name, in the
    /// declaration order of the former enum cases (``ErrorCode/allCases``), and no other name is
    /// a code. A code added to a domain fails here until it is added to the lists, which is
    /// where each code's description and classification below are checked too.
    @Test func everyDomainListsItsCodes() {
        checkErrorCodes(
            [ModFileError.Code.unexpectedCharacter, .blockComment, .unterminatedString, .newlineInString,
             .unterminatedBlock, .expectedNewlineAfterParen, .unknownDirective, .unknownBlockType,
             .repeatedStatement, .usage, .invalidGoVersion, .invalidToolchain, .invalidQuotedString,
             .invalidVersion, .invalidModulePath, .majorVersionMismatch, .replacementVersionInPath,
             .replacementNotDirectory, .replacementDirectoryWithVersion, .replacementWindowsPath,
             .invalidRetraction, .invalidEditArgument, .invalidModuleArgument, .invalidGoArgument,
             .invalidToolchainArgument, .nonCanonicalEditVersion],
            names: ["unexpectedCharacter", "blockComment", "unterminatedString", "newlineInString",
                    "unterminatedBlock", "expectedNewlineAfterParen", "unknownDirective", "unknownBlockType",
                    "repeatedStatement", "usage", "invalidGoVersion", "invalidToolchain", "invalidQuotedString",
                    "invalidVersion", "invalidModulePath", "majorVersionMismatch", "replacementVersionInPath",
                    "replacementNotDirectory", "replacementDirectoryWithVersion", "replacementWindowsPath",
                    "invalidRetraction", "invalidEditArgument", "invalidModuleArgument", "invalidGoArgument",
                    "invalidToolchainArgument", "nonCanonicalEditVersion"])
        checkErrorCodes(
            [GoSumDiagnostic.Code.wrongFieldCount, .nulByte, .invalidUTF8, .invalidModulePath, .invalidVersion,
             .malformedHash, .unknownHashAlgorithm, .emptyGoModHash, .duplicateLine, .conflictingHashes,
             .unusualWhitespace],
            names: ["wrongFieldCount", "nulByte", "invalidUTF8", "invalidModulePath", "invalidVersion",
                    "malformedHash", "unknownHashAlgorithm", "emptyGoModHash", "duplicateLine",
                    "conflictingHashes", "unusualWhitespace"])
        checkErrorCodes(
            [GoSumError.Code.tooLarge, .malformedLine],
            names: ["tooLarge", "malformedLine"])
        checkErrorCodes(
            [GoMod.Finding.Code.invalidModulePath, .invalidToolPath, .nonCanonicalVersion],
            names: ["invalidModulePath", "invalidToolPath", "nonCanonicalVersion"])
        checkErrorCodes(
            [ModulePathError.Code.invalidUTF8, .empty, .leadingDash, .doubleSlash, .trailingSlash,
             .emptyElement, .dotsOnlyElement, .leadingDot, .trailingDot, .invalidCharacter,
             .windowsReservedName, .windowsShortName, .leadingSlash, .missingDotInFirstElement,
             .leadingDashInFirstElement, .invalidCharacterInFirstElement, .invalidMajorVersionSuffix,
             .notSemanticVersion, .majorVersionMismatch, .disallowedVersionString, .escapingInconsistency,
             .invalidEscapedPath, .invalidEscapedVersion, .pseudoVersionSyntax, .pseudoVersionMalformedTime,
             .pseudoVersionBuildWithoutBase, .pseudoVersionNegativePatch, .badPattern],
            names: ["invalidUTF8", "empty", "leadingDash", "doubleSlash", "trailingSlash", "emptyElement",
                    "dotsOnlyElement", "leadingDot", "trailingDot", "invalidCharacter", "windowsReservedName",
                    "windowsShortName", "leadingSlash", "missingDotInFirstElement", "leadingDashInFirstElement",
                    "invalidCharacterInFirstElement", "invalidMajorVersionSuffix", "notSemanticVersion",
                    "majorVersionMismatch", "disallowedVersionString", "escapingInconsistency",
                    "invalidEscapedPath", "invalidEscapedVersion", "pseudoVersionSyntax",
                    "pseudoVersionMalformedTime", "pseudoVersionBuildWithoutBase", "pseudoVersionNegativePatch",
                    "badPattern"])
        checkErrorCodes(
            [ChecksumDatabaseError.Code.disabled, .skipped, .invalidConfiguration, .note, .tlog, .securityFork,
             .recordNotInTree, .recordNotAuthenticated, .lookupMissingEntry, .inconsistentTile,
             .unexpectedNoteContent, .notFound, .httpStatus, .transport, .offlineMissing, .stateCorrupt,
             .tooManyRequests, .writeConflict, .storeFailure, .invalidModule, .deadlineExceeded],
            names: ["disabled", "skipped", "invalidConfiguration", "note", "tlog", "securityFork",
                    "recordNotInTree", "recordNotAuthenticated", "lookupMissingEntry", "inconsistentTile",
                    "unexpectedNoteContent", "notFound", "httpStatus", "transport", "offlineMissing",
                    "stateCorrupt", "tooManyRequests", "writeConflict", "storeFailure", "invalidModule",
                    "deadlineExceeded"])
        checkErrorCodes(
            [TLogError.Code.malformedTree, .malformedRecord, .malformedTilePath, .malformedHash, .invalidProof,
             .invalidInput, .inconsistentTile],
            names: ["malformedTree", "malformedRecord", "malformedTilePath", "malformedHash", "invalidProof",
                    "invalidInput", "inconsistentTile"])
        checkErrorCodes(
            [NoteError.Code.malformedNote, .malformedKey, .unknownAlgorithm, .keyHashMismatch,
             .invalidSignature, .unverifiedNote, .ambiguousKey, .invalidSigner],
            names: ["malformedNote", "malformedKey", "unknownAlgorithm", "keyHashMismatch", "invalidSignature",
                    "unverifiedNote", "ambiguousKey", "invalidSigner"])
        checkErrorCodes(
            [HTTPTransportError.Code.oversizeResponse, .timeout, .truncatedResponse, .insecureRedirect,
             .tooManyRedirects, .redirectToOtherHost, .malformedResponse, .failed],
            names: ["oversizeResponse", "timeout", "truncatedResponse", "insecureRedirect", "tooManyRedirects",
                    "redirectToOtherHost", "malformedResponse", "failed"])
        checkErrorCodes(
            [OriginError.Code.invalidImportPath, .unknownVCS, .discoveryFailed, .noMatchingMetaTag,
             .multipleMetaTags, .metaTagDisagreement, .invalidRepoRoot, .insecureRepoRoot, .govcsSyntax,
             .govcsDisallowed, .noSecureProtocol, .listingFailed, .repositoryNotFound, .unsupportedVCS,
             .invalidOrigin, .invalidRefListing, .unreachable, .diskLimit, .unsupportedProtocol],
            names: ["invalidImportPath", "unknownVCS", "discoveryFailed", "noMatchingMetaTag",
                    "multipleMetaTags", "metaTagDisagreement", "invalidRepoRoot", "insecureRepoRoot",
                    "govcsSyntax", "govcsDisallowed", "noSecureProtocol", "listingFailed", "repositoryNotFound",
                    "unsupportedVCS", "invalidOrigin", "invalidRefListing", "unreachable", "diskLimit",
                    "unsupportedProtocol"])
        checkErrorCodes(
            [OriginVerdict.Kind.consistent, .hashOnlyPresent, .hashOnlyAbsent, .refMoved, .refDeleted,
             .tagsChanged, .refsChanged, .originMoved, .noOrigin, .nonSpecific, .originUnverifiable,
             .couldNotVerify],
            names: ["consistent", "hash-only-present", "hash-only-absent", "ref-moved", "ref-deleted",
                    "tags-changed", "refs-changed", "origin-moved", "no-origin", "non-specific",
                    "origin-unverifiable", "could-not-verify"])
        checkErrorCodes(
            [DirHashError.Code.newlineInName, .duplicateEntry, .symlinkInTree, .irregularFile, .notADirectory,
             .zip, .io, .cancelled],
            names: ["newlineInName", "duplicateEntry", "symlinkInTree", "irregularFile", "notADirectory", "zip",
                    "io", "cancelled"])
        checkErrorCodes(
            [ModuleZipError.Code.invalidModuleVersion, .zipTooLarge, .moduleTooLarge, .invalidFiles, .zip, .io,
             .fileChanged, .tooManyFiles, .targetNotEmpty, .targetNotDirectory, .fileExists,
             .normalizationCollision, .platformAlias, .git, .unknownRevision, .moduleNotFound, .invalidArchive,
             .invalidPseudoVersion, .invalidRepositoryPath, .outsidePrefix, .pathNotClean, .pathNotRelative,
             .invalidPath, .caseCollision, .fileDirectoryCollision, .duplicateEntry, .goModCase,
             .goModNotInRoot, .goModTooLarge, .licenseTooLarge, .directoryEntryWithData, .pathTooDeep,
             .pathTooLong, .unreadableFile, .vendored, .inSubmodule, .submoduleDirectory, .vcsDirectory,
             .hgArchival, .symbolicLink, .notRegularFile, .directoryEntry, .symlinkEntry, .vendoredContent],
            names: ["invalidModuleVersion", "zipTooLarge", "moduleTooLarge", "invalidFiles", "zip", "io",
                    "fileChanged", "tooManyFiles", "targetNotEmpty", "targetNotDirectory", "fileExists",
                    "normalizationCollision", "platformAlias", "git", "unknownRevision", "moduleNotFound",
                    "invalidArchive", "invalidPseudoVersion", "invalidRepositoryPath", "outsidePrefix",
                    "pathNotClean", "pathNotRelative", "invalidPath", "caseCollision", "fileDirectoryCollision",
                    "duplicateEntry", "goModCase", "goModNotInRoot", "goModTooLarge", "licenseTooLarge",
                    "directoryEntryWithData", "pathTooDeep", "pathTooLong", "unreadableFile", "vendored",
                    "inSubmodule", "submoduleDirectory", "vcsDirectory", "hgArchival", "symbolicLink",
                    "notRegularFile", "directoryEntry", "symlinkEntry", "vendoredContent"], describedByName: false)
        checkErrorCodes(
            [DivergenceError.Code.invalidZip, .invalidInfo, .versionMismatch, .notFound, .fetchFailed,
             .tooLarge, .invalidModule, .upstream, .io],
            names: ["invalidZip", "invalidInfo", "versionMismatch", "notFound", "fetchFailed", "tooLarge",
                    "invalidModule", "upstream", "io"])
        checkErrorCodes(
            [ModuleCacheError.Code.invalidModule, .proxy, .goSumMismatch, .checksumDatabaseMismatch,
             .checksumDatabaseFailure, .invalidZip, .modulePathMismatch, .io, .missingZipHash, .zipModified,
             .dirModified, .hashFailed, .goSumCacheMismatch, .goSumDatabaseMismatch, .invalidPseudoVersion,
             .graph, .vendorInconsistent, .vendorFileModified, .vendorUnverifiable, .deadlineExceeded],
            names: ["invalidModule", "proxy", "goSumMismatch", "checksumDatabaseMismatch",
                    "checksumDatabaseFailure", "invalidZip", "modulePathMismatch", "io", "missingZipHash",
                    "zipModified", "dirModified", "hashFailed", "goSumCacheMismatch", "goSumDatabaseMismatch",
                    "invalidPseudoVersion", "graph", "vendorInconsistent", "vendorFileModified",
                    "vendorUnverifiable", "deadlineExceeded"])
        checkErrorCodes(
            [GoEnvironmentError.Code.invalidGOFLAGS, .moduleCacheUnset, .moduleCacheRelative, .gopathUnset],
            names: ["invalidGOFLAGS", "moduleCacheUnset", "moduleCacheRelative", "gopathUnset"])
        checkErrorCodes(
            [ModuleProxyError.Code.notFound, .httpStatus, .transport, .oversizeResponse, .proxyOff,
             .directUnsupported, .emptyProxyList, .invalidProxyURL, .invalidResponse, .proxyVersionMismatch,
             .notAZip, .invalidModule, .notCanonical, .noVersions, .writeFailed, .directFailed],
            names: ["notFound", "httpStatus", "transport", "oversizeResponse", "proxyOff", "directUnsupported",
                    "emptyProxyList", "invalidProxyURL", "invalidResponse", "proxyVersionMismatch", "notAZip",
                    "invalidModule", "notCanonical", "noVersions", "writeFailed", "directFailed"])
        checkErrorCodes(
            [ModuleIndexError.Code.network, .tooLarge, .cannotAdvance],
            names: ["network", "tooLarge", "cannotAdvance"])
        checkErrorCodes(
            [AdvisoryError.Code.unreadableSource, .malformedRecord, .oversizedRecord, .malformedIndex,
             .tooManyRecords, .invalidLocation],
            names: ["unreadable-source", "malformed-record", "oversized-record", "malformed-index",
                    "too-many-records", "invalid-location"])
    }

    /// ``ModuleZipError/Code``'s description is a short text naming the rule, for every code
    /// (the texts of the former enum's `description`).
    @Test func moduleZipCodeDescriptions() {
        let texts: [(ModuleZipError.Code, String)] = [
            (.invalidModuleVersion, "invalid module version"),
            (.zipTooLarge, "module zip file is too large"),
            (.moduleTooLarge, "module contents too large"),
            (.invalidFiles, "invalid files"),
            (.zip, "invalid zip file"),
            (.io, "I/O error"),
            (.fileChanged, "file is larger than declared size"),
            (.tooManyFiles, "too many files"),
            (.targetNotEmpty, "target directory exists and is not empty"),
            (.targetNotDirectory, "target is not a directory"),
            (.fileExists, "file exists"),
            (.normalizationCollision, "Unicode normalization collision"),
            (.platformAlias, "name aliased on some platforms"),
            (.git, "git failed"),
            (.unknownRevision, "unknown revision"),
            (.moduleNotFound, "module not found at revision"),
            (.invalidArchive, "invalid VCS archive"),
            (.invalidPseudoVersion, "invalid pseudo-version"),
            (.invalidRepositoryPath, "invalid repository path"),
            (.outsidePrefix, "path does not have the module prefix"),
            (.pathNotClean, "file path is not clean"),
            (.pathNotRelative, "file path is not relative"),
            (.invalidPath, "malformed file path"),
            (.caseCollision, "case-insensitive file name collision"),
            (.fileDirectoryCollision, "entry is both a file and a directory"),
            (.duplicateEntry, "multiple entries for file"),
            (.goModCase, "go.mod files must have lowercase names"),
            (.goModNotInRoot, "go.mod file not in module root directory"),
            (.goModTooLarge, "go.mod file too large"),
            (.licenseTooLarge, "LICENSE file too large"),
            (.directoryEntryWithData, "directory entry with data"),
            (.pathTooDeep, "file path too deep"),
            (.pathTooLong, "file path too long"),
            (.unreadableFile, "file could not be examined"),
            (.vendored, "file is in vendor directory"),
            (.inSubmodule, "file is in another module"),
            (.submoduleDirectory, "directory is in another module"),
            (.vcsDirectory, "directory is a version control repository"),
            (.hgArchival, "file is inserted by 'hg archive'"),
            (.symbolicLink, "file is a symbolic link"),
            (.notRegularFile, "not a regular file"),
            (.directoryEntry, "directory entry"),
            (.symlinkEntry, "symbolic-link entry"),
            (.vendoredContent, "vendored content"),
        ]
        #expect(texts.map(\.0) == ModuleZipError.Code.allCases)
        for (code, text) in texts {
            #expect(code.description == text, "\(code.rawValue)")
        }
    }

    /// Every HTTP transport code's message: `net/http`'s wording where Go has one
    /// (`stopped after 10 redirects`, `redirected from secure URL … to insecure URL …`,
    /// `unexpected EOF`).
    @Test func httpTransportDescriptions() {
        let url = "https://a.example/x"
        let cases: [(HTTPTransportError, String)] = [
            (HTTPTransportError(.oversizeResponse, url: url, detail: "10"), "\(url): response body larger than 10 bytes"),
            (HTTPTransportError(.timeout, url: url), "\(url): timeout"),
            (HTTPTransportError(.timeout, url: url, detail: "30s"), "\(url): timeout (30s)"),
            (HTTPTransportError(.truncatedResponse, url: url), "\(url): unexpected EOF"),
            (HTTPTransportError(.insecureRedirect, url: url, detail: "http://b.example/"),
             "\(url): redirected from secure URL to insecure URL http://b.example/"),
            (HTTPTransportError(.tooManyRedirects, url: url), "\(url): stopped after 10 redirects"),
            (HTTPTransportError(.redirectToOtherHost, url: url, detail: "https://c.example/"),
             "\(url): redirected to another host: https://c.example/"),
            (HTTPTransportError(.malformedResponse, url: url, detail: "bad status line"),
             "\(url): malformed HTTP response: bad status line"),
            (HTTPTransportError(.failed, url: url, detail: "connection refused"), "\(url): connection refused"),
        ]
        #expect(Set(cases.map(\.0.code)) == Set(HTTPTransportError.Code.allCases))
        for (error, text) in cases {
            #expect(error.description == text)
        }
    }

    /// Every tlog code's message, in x/mod `sumdb/tlog`'s words (`malformed tree note`,
    /// `malformed record data`, `malformed tile path "…"`, `malformed hash`,
    /// `invalid transparency proof`, `tlog: invalid inputs in …`) and cmd/go's
    /// `downloaded inconsistent tile`.
    @Test func tlogDescriptions() {
        let cases: [(TLogError, String)] = [
            (TLogError(.malformedTree), "malformed tree note"),
            (TLogError(.malformedTree, "no size"), "malformed tree note (no size)"),
            (TLogError(.malformedRecord), "malformed record data"),
            (TLogError(.malformedTilePath, #""tile/x""#), #"malformed tile path "tile/x""#),
            (TLogError(.malformedHash), "malformed hash"),
            (TLogError(.invalidProof), "invalid transparency proof"),
            (TLogError(.invalidInput), "tlog: invalid inputs"),
            (TLogError(.invalidInput, "ReadTileData"), "tlog: invalid inputs in ReadTileData"),
            (TLogError(.inconsistentTile), "downloaded inconsistent tile"),
        ]
        #expect(Set(cases.map(\.0.code)) == Set(TLogError.Code.allCases))
        for (error, text) in cases {
            #expect(error.description == text)
        }
    }

    /// Every note code's message (x/mod `sumdb/note`), including the two that print the key.
    @Test func noteDescriptionsCoverEveryCode() {
        let described: [NoteError.Code] = [
            .malformedNote, .malformedKey, .unknownAlgorithm, .keyHashMismatch, .invalidSignature, .unverifiedNote,
            .ambiguousKey, .invalidSigner,
        ]
        // The texts are checked one by one in noteError(); here, that none falls back to the name.
        #expect(described == NoteError.Code.allCases)
        for code in described {
            #expect(NoteError(code).description != code.rawValue)
        }
    }

    /// Every advisory code's rule text.
    @Test func advisoryDescriptions() {
        let cases: [(AdvisoryError.Code, String)] = [
            (.unreadableSource, "db: cannot read advisory source: x"),
            (.malformedRecord, "db: malformed advisory record: x"),
            (.oversizedRecord, "db: advisory record too large: x"),
            (.malformedIndex, "db: malformed advisory index: x"),
            (.tooManyRecords, "db: too many advisory records: x"),
            (.invalidLocation, "db: not an advisory source location: x"),
        ]
        #expect(cases.map(\.0) == AdvisoryError.Code.allCases)
        for (code, text) in cases {
            #expect(AdvisoryError(code, source: "db", detail: "x").description == text)
        }
        #expect(AdvisoryError(.malformedIndex, source: "db").description == "db: malformed advisory index")
        #expect(AdvisoryError(.malformedIndex, source: "a", detail: "1") == AdvisoryError(.malformedIndex, source: "b"))
    }

    /// Which codes show the data (or the server) is wrong rather than unavailable: every code
    /// of ``ChecksumDatabaseError`` and ``ModuleCacheError`` is classified here.
    @Test func securityFailureClassification() {
        let sumdbSecurity: [ChecksumDatabaseError.Code] = [
            .securityFork, .note, .tlog, .recordNotInTree, .recordNotAuthenticated, .lookupMissingEntry,
            .inconsistentTile, .unexpectedNoteContent,
        ]
        let sumdbOther: [ChecksumDatabaseError.Code] = [
            .disabled, .skipped, .invalidConfiguration, .notFound, .httpStatus, .transport, .offlineMissing,
            .stateCorrupt, .tooManyRequests, .writeConflict, .storeFailure, .invalidModule, .deadlineExceeded,
        ]
        #expect(Set(sumdbSecurity + sumdbOther) == Set(ChecksumDatabaseError.Code.allCases))
        #expect(sumdbSecurity.count + sumdbOther.count == ChecksumDatabaseError.Code.allCases.count)
        for code in sumdbSecurity {
            #expect(ChecksumDatabaseError(code).isSecurityFailure, "\(code)")
        }
        for code in sumdbOther {
            #expect(!ChecksumDatabaseError(code).isSecurityFailure, "\(code)")
        }
        let cacheSecurity: [ModuleCacheError.Code] = [
            .goSumMismatch, .checksumDatabaseMismatch, .zipModified, .dirModified, .goSumCacheMismatch,
            .goSumDatabaseMismatch, .vendorFileModified, .modulePathMismatch, .invalidZip, .invalidPseudoVersion,
        ]
        let cacheOther: [ModuleCacheError.Code] = [
            .invalidModule, .proxy, .checksumDatabaseFailure, .io, .missingZipHash, .hashFailed, .graph,
            .vendorInconsistent, .vendorUnverifiable, .deadlineExceeded,
        ]
        #expect(Set(cacheSecurity + cacheOther) == Set(ModuleCacheError.Code.allCases))
        #expect(cacheSecurity.count + cacheOther.count == ModuleCacheError.Code.allCases.count)
        for code in cacheSecurity {
            #expect(ModuleCacheError(code, "m").isSecurityFailure, "\(code)")
        }
        for code in cacheOther {
            #expect(!ModuleCacheError(code, "m").isSecurityFailure, "\(code)")
        }
    }
}

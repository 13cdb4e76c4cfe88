public import GoModCore
public import GoSumDB
/// A module-cache failure (download, verify, vendor check), cmd/go's wording where it has one.
///
/// Equality and hashing use ``code`` only.
public struct ModuleCacheError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case invalidModule
            case proxy
            case goSumMismatch
            case checksumDatabaseMismatch
            case checksumDatabaseFailure
            case invalidZip
            case modulePathMismatch
            case io
            case missingZipHash
            case zipModified
            case dirModified
            case hashFailed
            case goSumCacheMismatch
            case goSumDatabaseMismatch
            case invalidPseudoVersion
            case graph
            case vendorInconsistent
            case vendorFileModified
            case vendorUnverifiable
            case deadlineExceeded
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The module path or version is invalid or not canonical; nothing was touched.
        public static let invalidModule = Code(.invalidModule)
        /// The proxy failed (see ``ModuleCacheError/proxyError``).
        public static let proxy = Code(.proxy)
        /// A hash differs from go.sum: cmd/go's `SECURITY ERROR` go.sum text.
        public static let goSumMismatch = Code(.goSumMismatch)
        /// A hash differs from the checksum database: cmd/go's `SECURITY ERROR` checksum-server text.
        public static let checksumDatabaseMismatch = Code(.checksumDatabaseMismatch)
        /// The checksum database could not answer (unreachable, 404, misbehaving); the download is
        /// refused, never accepted unverified.
        public static let checksumDatabaseFailure = Code(.checksumDatabaseFailure)
        /// The zip breaks the module zip rules (x/mod `CheckZip`) or cannot be read.
        public static let invalidZip = Code(.invalidZip)
        /// The `.mod` file's `module` line names another path (`module declares its path as: …`).
        public static let modulePathMismatch = Code(.modulePathMismatch)
        /// A file-system failure (create, write, rename, lock).
        public static let io = Code(.io)
        /// `go mod verify`: `missing ziphash`.
        public static let missingZipHash = Code(.missingZipHash)
        /// `go mod verify`: `zip has been modified`.
        public static let zipModified = Code(.zipModified)
        /// `go mod verify`: `dir has been modified`.
        public static let dirModified = Code(.dirModified)
        /// The directory or zip could not be hashed.
        public static let hashFailed = Code(.hashFailed)
        /// Beyond Go: a go.sum line disagrees with the module cache.
        public static let goSumCacheMismatch = Code(.goSumCacheMismatch)
        /// Beyond Go: a go.sum line is not what the checksum database records.
        public static let goSumDatabaseMismatch = Code(.goSumDatabaseMismatch)
        /// A pseudo-version whose revision is not 12 lower-case hex digits or whose timestamp is
        /// not the `.info` time (Docs/stricter-than-go.md).
        public static let invalidPseudoVersion = Code(.invalidPseudoVersion)
        /// The module graph could not be loaded (a go.mod missing from the cache, unparsable).
        public static let graph = Code(.graph)
        /// vendor/modules.txt is inconsistent with go.mod (cmd/go's `modload` vendor rules).
        public static let vendorInconsistent = Code(.vendorInconsistent)
        /// A vendored file differs from the module zip go.sum authenticates, or is not in it.
        public static let vendorFileModified = Code(.vendorFileModified)
        /// A vendored module could not be checked (zip not in the cache, no go.sum line).
        public static let vendorUnverifiable = Code(.vendorUnverifiable)
        /// The caller's deadline passed before this module or go.sum line was checked: not
        /// verified (neither verified nor refused).
        public static let deadlineExceeded = Code(.deadlineExceeded)

        /// The code's name, such as `invalidModule`.
        public var rawValue: String { backing.rawValue }

        /// The code with this name, or `nil` for a name this release does not know.
        public init?(rawValue: String) {
            guard let backing = Backing(rawValue: rawValue) else { return nil }
            self.init(backing)
        }

        /// The codes this release knows, in declaration order.
        public static var allCases: [Code] { Backing.allCases.map { Code($0) } }

        /// The code's name (``rawValue``).
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The module concerned, if any.
    public var module: ModuleVersion?
    /// The message (cmd/go's wording where it has one, without the `go: ` prefix).
    public var message: String
    /// The proxy error behind ``Code/proxy``.
    public var proxyError: ModuleProxyError?
    /// The file-system error behind ``Code/io``, when there is one (its operation, path and
    /// `errno`).
    public var underlying: (any Error & Sendable)?
    /// The checksum-database error behind ``Code/checksumDatabaseFailure`` (a fork or a bad
    /// signature is not the same failure as an unreachable server), when there is one.
    public var checksumDatabaseError: ChecksumDatabaseError?

    /// An error.
    public init(_ code: Code, module: ModuleVersion? = nil, _ message: String, proxyError: ModuleProxyError? = nil,
                checksumDatabaseError: ChecksumDatabaseError? = nil) {
        self.code = code
        self.module = module
        self.message = message
        self.proxyError = proxyError
        self.checksumDatabaseError = checksumDatabaseError
    }

    /// Whether the failure shows the data is wrong (as opposed to unavailable).
    public var isSecurityFailure: Bool {
        // Over the backing enum, without `default`, so a new code must be classified here.
        switch code.backing {
        case .goSumMismatch, .checksumDatabaseMismatch, .zipModified, .dirModified, .goSumCacheMismatch,
             .goSumDatabaseMismatch, .vendorFileModified, .modulePathMismatch, .invalidZip, .invalidPseudoVersion:
            true
        case .invalidModule, .proxy, .checksumDatabaseFailure, .io, .missingZipHash, .hashFailed, .graph,
             .vendorInconsistent, .vendorUnverifiable, .deadlineExceeded:
            false
        }
    }

    /// Equality on ``code`` only.
    public static func == (lhs: ModuleCacheError, rhs: ModuleCacheError) -> Bool { lhs.code == rhs.code }
    /// Hashes ``code`` only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The message.
    public var description: String { message }
}

/// The bytes of a name as text, unquoted (cmd/go prints module paths and versions raw).
func plain(_ s: ByteString) -> String { String(decoding: s.bytes, as: UTF8.self) }
/// Already text.
func plain(_ s: String) -> String { s }

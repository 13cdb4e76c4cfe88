public import GoModCore
public import GoSumDB
/// A module-cache failure (download, verify, vendor check), cmd/go's wording where it has one.
///
/// Equality and hashing use ``code`` only.
public struct ModuleCacheError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<ModuleCacheError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "invalidModule", "proxy", "goSumMismatch", "checksumDatabaseMismatch", "checksumDatabaseFailure",
        "invalidZip", "modulePathMismatch", "io", "missingZipHash", "zipModified", "dirModified",
        "hashFailed", "goSumCacheMismatch", "goSumDatabaseMismatch", "invalidPseudoVersion", "graph",
        "vendorInconsistent", "vendorFileModified", "vendorUnverifiable", "deadlineExceeded",
    ]

    /// What went wrong.
    public var code: Code
    /// The module concerned, if any.
    public var module: ModuleVersion?
    /// The message (cmd/go's wording where it has one, without the `go: ` prefix).
    public var message: String
    /// The proxy error behind `Code.proxy`.
    public var proxyError: ModuleProxyError?
    /// The file-system error behind `Code.io`, when there is one (its operation, path and
    /// `errno`).
    public var underlying: (any Error & Sendable)?
    /// The checksum-database error behind `Code.checksumDatabaseFailure` (a fork or a bad
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
        // A test lists every code with its class, so a new code must be classified here.
        switch code {
        case .goSumMismatch, .checksumDatabaseMismatch, .zipModified, .dirModified, .goSumCacheMismatch,
             .goSumDatabaseMismatch, .vendorFileModified, .modulePathMismatch, .invalidZip, .invalidPseudoVersion:
            true
        default:
            false
        }
    }

    /// The message.
    public var description: String { message }
}

/// The bytes of a name as text, unquoted (cmd/go prints module paths and versions raw).
func plain(_ s: ByteString) -> String { String(decoding: s.bytes, as: UTF8.self) }
/// Already text.
func plain(_ s: String) -> String { s }

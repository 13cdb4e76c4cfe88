public import GoModCore
public import GoModZip
public import GoSumDB
public import GoModNet
/// A module-cache failure (download, verify, vendor check), cmd/go's wording where it has one.
///
/// Equality and hashing use ``code`` only (STYLE §5).
public struct ModuleCacheError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The module path or version is invalid or not canonical; nothing was touched.
        case invalidModule
        /// The proxy failed (see ``ModuleCacheError/proxyError``).
        case proxy
        /// A hash differs from go.sum: cmd/go's `SECURITY ERROR` go.sum text.
        case goSumMismatch
        /// A hash differs from the checksum database: cmd/go's `SECURITY ERROR` checksum-server text.
        case checksumDatabaseMismatch
        /// The checksum database could not answer (unreachable, 404, misbehaving); the download is
        /// refused, never accepted unverified.
        case checksumDatabaseFailure
        /// The zip breaks the module zip rules (x/mod `CheckZip`) or cannot be read.
        case invalidZip
        /// The `.mod` file's `module` line names another path (`module declares its path as: …`).
        case modulePathMismatch
        /// A file-system failure (create, write, rename, lock).
        case io
        /// `go mod verify`: `missing ziphash`.
        case missingZipHash
        /// `go mod verify`: `zip has been modified`.
        case zipModified
        /// `go mod verify`: `dir has been modified`.
        case dirModified
        /// The directory or zip could not be hashed.
        case hashFailed
        /// Beyond Go: a go.sum line disagrees with the module cache.
        case goSumCacheMismatch
        /// Beyond Go: a go.sum line is not what the checksum database records.
        case goSumDatabaseMismatch
        /// A pseudo-version whose revision is not 12 lower-case hex digits or whose timestamp is
        /// not the `.info` time (SECURITY row 156).
        case invalidPseudoVersion
        /// The module graph could not be loaded (a go.mod missing from the cache, unparsable).
        case graph
        /// vendor/modules.txt is inconsistent with go.mod (cmd/go's `modload` vendor rules).
        case vendorInconsistent
        /// A vendored file differs from the module zip go.sum authenticates, or is not in it.
        case vendorFileModified
        /// A vendored module could not be checked (zip not in the cache, no go.sum line).
        case vendorUnverifiable
    }

    /// What went wrong.
    public var code: Code
    /// The module concerned, if any.
    public var module: ModuleVersion?
    /// The message (cmd/go's wording where it has one, without the `go: ` prefix).
    public var message: String
    /// The proxy error behind ``Code/proxy``.
    public var proxyError: ModuleProxyError?

    /// An error.
    public init(_ code: Code, module: ModuleVersion? = nil, _ message: String, proxyError: ModuleProxyError? = nil) {
        self.code = code
        self.module = module
        self.message = message
        self.proxyError = proxyError
    }

    /// Whether the failure shows the data is wrong (as opposed to unavailable).
    public var isSecurityFailure: Bool {
        switch code {
        case .goSumMismatch, .checksumDatabaseMismatch, .zipModified, .dirModified, .goSumCacheMismatch,
             .goSumDatabaseMismatch, .vendorFileModified, .modulePathMismatch, .invalidZip, .invalidPseudoVersion:
            true
        default:
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

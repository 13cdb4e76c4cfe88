import GoModCore
import GoModPlatform

/// A module-proxy failure: cmd/go's `modfetch` proxy errors as a typed value.
///
/// Equality and hashing use ``code`` only. ``description`` is Go's wording where Go
/// has one (`module lookup disabled by GOPROXY=off`, `reading <url>: 404 Not Found`, …).
public struct ModuleProxyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case notFound
            case httpStatus
            case transport
            case oversizeResponse
            case proxyOff
            case directUnsupported
            case emptyProxyList
            case invalidProxyURL
            case invalidResponse
            case proxyVersionMismatch
            case notAZip
            case invalidModule
            case notCanonical
            case noVersions
            case writeFailed
            case directFailed
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// 404 or 410 from every proxy tried, or a `file://` proxy without the file
        /// (Go: `fs.ErrNotExist`, falls through to the next list entry).
        public static let notFound = Code(.notFound)
        /// Any other HTTP status (5xx, 403…): `reading <url>: <status>`.
        public static let httpStatus = Code(.httpStatus)
        /// A transport failure: timeout, refused connection, truncated body, redirect loop,
        /// https→http redirect (see ``underlying``).
        public static let transport = Code(.transport)
        /// The body is larger than the limit for its kind (`downloaded zip file too large`).
        public static let oversizeResponse = Code(.oversizeResponse)
        /// `GOPROXY=off` reached: `module lookup disabled by GOPROXY=off`.
        public static let proxyOff = Code(.proxyOff)
        /// The list reached `direct` (or a GONOPROXY/GOPRIVATE path) and the client has no
        /// ``DirectModuleSource``.
        public static let directUnsupported = Code(.directUnsupported)
        /// `GOPROXY list is not the empty string, but contains no entries`.
        public static let emptyProxyList = Code(.emptyProxyList)
        /// `invalid proxy URL scheme (must be https, http, file)` or an unparsable URL.
        public static let invalidProxyURL = Code(.invalidProxyURL)
        /// A `.info` or `@latest` answer that is not the JSON it should be:
        /// `invalid response from proxy "<base>": …`.
        public static let invalidResponse = Code(.invalidResponse)
        /// A `.info` answer for another version than the canonical one requested:
        /// `proxy returned info for version <x> instead of requested version`.
        public static let proxyVersionMismatch = Code(.proxyVersionMismatch)
        /// A `.zip` answer that is not a zip archive (an HTML error page, a truncated file).
        public static let notAZip = Code(.notAZip)
        /// The module path or version is invalid; nothing was requested
        /// (`malformed module path …`, `disallowed version string …`).
        public static let invalidModule = Code(.invalidModule)
        /// A version query (not a canonical version) where only canonical versions are allowed.
        public static let notCanonical = Code(.notCanonical)
        /// No versions in `@v/list` and no `@latest`: `no matching versions for query "latest"`.
        public static let noVersions = Code(.noVersions)
        /// Writing a streamed download to its file failed (disk full, file too large, I/O
        /// error): `write <file>: <errno text>`.
        public static let writeFailed = Code(.writeFailed)

        /// A direct (version-control) fetch failed: the repository could not be resolved or
        /// read, the version is not in it, or its content breaks the module rules. The detail
        /// is cmd/go's message (`invalid version: unknown revision v1.2.3`,
        /// `unrecognized import path …`).
        public static let directFailed = Code(.directFailed)

        /// The code's name, such as `notFound`.
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
    /// `path@version` (or just the path) the request was for, when known.
    public var module: String?
    /// The message, in Go's words where Go has some.
    public var detail: String
    /// The HTTP status for ``Code/notFound`` and ``Code/httpStatus`` (0 otherwise).
    public var status: Int
    /// The transport or parsing error behind this one.
    public var underlying: (any Error & Sendable)?

    /// An error.
    public init(_ code: Code, _ detail: String, module: String? = nil, status: Int = 0,
                underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.detail = detail
        self.module = module
        self.status = status
        self.underlying = underlying
    }

    /// Whether cmd/go treats this error as `fs.ErrNotExist` (falls through `,`).
    public var isNotExist: Bool { code == .notFound || code == .proxyOff }

    /// Equality on ``code`` only.
    public static func == (lhs: ModuleProxyError, rhs: ModuleProxyError) -> Bool { lhs.code == rhs.code }
    /// Hashes ``code`` only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `<module>: <detail>` (Go's `module.VersionError` form) or just the detail.
    public var description: String {
        if let module { return "\(module): \(detail)" }
        return detail
    }
}

/// Go's error-detail excerpt of a server answer (`web.formatErrorDetail`): at most 8 lines and
/// 648 bytes, each line tab-indented after the first, control characters escaped (stricter
/// than Go, which prints them raw: Docs/stricter-than-go.md).
func proxyErrorDetail(_ body: [UInt8]) -> String {
    let text = String(decoding: body.prefix(64 << 10), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while let last = lines.last, last.trimmingSpace().isEmpty { lines.removeLast() }
    var out = ""
    for (i, raw) in lines.enumerated() {
        var line = ""
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0x09: line.append("\t")
            case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069:
                line += "\\u{\(String(scalar.value, radix: 16))}"
            default: line.unicodeScalars.append(scalar)
            }
        }
        if i > 0 { out += "\n\t" }
        if i >= 8 { out += "[Truncated: too many lines.]"; break }
        if out.utf8.count + line.utf8.count > 8 * 81 { out += "[Truncated: too long.]"; break }
        out += line
    }
    return out
}

/// `404 Not Found` and friends, as Go's net/http prints a status.
func httpStatusText(_ status: Int) -> String {
    let texts: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
        408: "Request Timeout", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
        501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
    if let text = texts[status] { return "\(status) \(text)" }
    return "\(status) status code \(status)"
}

public import GoModCore
import GoModPlatform

/// A module-proxy failure: cmd/go's `modfetch` proxy errors as a typed value.
///
/// Equality and hashing use ``code`` only. ``description`` is Go's wording where Go
/// has one (`module lookup disabled by GOPROXY=off`, `reading <url>: 404 Not Found`, …).
public struct ModuleProxyError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<ModuleProxyError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "notFound", "httpStatus", "transport", "oversizeResponse", "proxyOff", "directUnsupported",
        "emptyProxyList", "invalidProxyURL", "invalidResponse", "proxyVersionMismatch", "notAZip",
        "invalidModule", "notCanonical", "noVersions", "writeFailed", "directFailed",
    ]

    /// What went wrong.
    public var code: Code
    /// `path@version` (or just the path) the request was for, when known.
    public var module: String?
    /// The message, in Go's words where Go has some.
    public var detail: String
    /// The HTTP status for `Code.notFound` and `Code.httpStatus` (0 otherwise).
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

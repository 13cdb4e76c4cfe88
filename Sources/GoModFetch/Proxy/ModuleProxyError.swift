public import GoModCore
public import GoModZip
public import GoSumDB
public import GoModNet
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A module-proxy failure: cmd/go's `modfetch` proxy errors as a typed value.
///
/// Equality and hashing use ``code`` only (STYLE §5). ``description`` is Go's wording where Go
/// has one (`module lookup disabled by GOPROXY=off`, `reading <url>: 404 Not Found`, …).
public struct ModuleProxyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// 404 or 410 from every proxy tried, or a `file://` proxy without the file
        /// (Go: `fs.ErrNotExist`, falls through to the next list entry).
        case notFound
        /// Any other HTTP status (5xx, 403…): `reading <url>: <status>`.
        case httpStatus
        /// A transport failure: timeout, refused connection, truncated body, redirect loop,
        /// https→http redirect (see ``underlying``).
        case transport
        /// The body is larger than the limit for its kind (`downloaded zip file too large`).
        case oversizeResponse
        /// `GOPROXY=off` reached: `module lookup disabled by GOPROXY=off`.
        case proxyOff
        /// The list reached `direct` (or a GONOPROXY/GOPRIVATE path): GoModKit never fetches from
        /// version control.
        case directUnsupported
        /// `GOPROXY list is not the empty string, but contains no entries`.
        case emptyProxyList
        /// `invalid proxy URL scheme (must be https, http, file)` or an unparsable URL.
        case invalidProxyURL
        /// A `.info` or `@latest` answer that is not the JSON it should be:
        /// `invalid response from proxy "<base>": …`.
        case invalidResponse
        /// A `.info` answer for another version than the canonical one requested:
        /// `proxy returned info for version <x> instead of requested version`.
        case proxyVersionMismatch
        /// A `.zip` answer that is not a zip archive (an HTML error page, a truncated file).
        case notAZip
        /// The module path or version is invalid; nothing was requested
        /// (`malformed module path …`, `disallowed version string …`).
        case invalidModule
        /// A version query (not a canonical version) where only canonical versions are allowed.
        case notCanonical
        /// No versions in `@v/list` and no `@latest`: `no matching versions for query "latest"`.
        case noVersions
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
/// than Go, which prints them raw: SECURITY row 154/164).
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

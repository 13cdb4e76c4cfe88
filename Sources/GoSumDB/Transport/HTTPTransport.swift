public import GoModCore
public import GoModPlatform

/// An HTTP response: status code and body.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The body (at most the limit the request asked for).
    public var body: [UInt8]
    /// Header fields the caller may need (lowercased name → value; repeated fields joined with
    /// `", "`). Transports fill at least `retry-after`; stubs may leave it empty.
    public var headers: [String: String]

    /// The URL that answered, after the redirects followed (``HTTPTransport/send(_:limit:redirects:)``
    /// fills it; `nil` when a transport does not say).
    public var url: URL?

    /// A response.
    public init(status: Int, body: [UInt8], headers: [String: String] = [:], url: URL? = nil) {
        self.status = status
        self.body = body
        self.headers = headers
        self.url = url
    }
}

/// A request for ``HTTPTransport/send(_:limit:redirects:)``: a method, header fields and a body
/// (git's smart HTTP protocol POSTs `git-upload-pack` requests; gitprotocol-http).
public struct HTTPRequest: Sendable, Hashable {
    /// The method (`GET`, `POST`).
    public var method: String
    /// The URL.
    public var url: URL
    /// Header fields sent with the request, in order (name, value).
    public var headers: [HTTPHeaderField]
    /// The body (empty: none).
    public var body: [UInt8]

    /// A request.
    public init(method: String = "GET", url: URL, headers: [HTTPHeaderField] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first problem with the method or a header field, for a typed refusal before anything
    /// is sent: a method must be an RFC 9110 token, a field name a token, a value free of CR, LF
    /// and NUL (Go's `net/http` `validMethod`, `httpguts.ValidHeaderFieldName` and
    /// `ValidHeaderFieldValue`).
    public var invalidity: String? {
        func isToken(_ text: String) -> Bool {
            !text.isEmpty && text.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || Array("!#$%&'*+-.^_`|~".utf8).contains(b)
            }
        }
        if !isToken(method) { return "invalid method \(goQuote(Array(method.utf8)))" }
        for field in headers {
            if !isToken(field.name) { return "invalid header field name \(goQuote(Array(field.name.utf8)))" }
            if field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
                return "invalid header field value for \(goQuote(Array(field.name.utf8)))"
            }
        }
        return nil
    }
}

/// One request header field.
public struct HTTPHeaderField: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The value.
    public var value: String

    /// A field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The outcome of ``HTTPTransport/stream(_:limit:redirects:into:)``: the status, how many body
/// bytes went to the sink, and (for any status but 200) the start of the body, for messages.
public struct HTTPStreamedResponse: Sendable, Hashable {
    /// The HTTP status code.
    public var status: Int
    /// For status 200: the number of body bytes given to the sink; 0 otherwise.
    public var byteCount: Int
    /// For any status but 200: the body, at most ``errorBodyLimit`` bytes (the rest is not
    /// read); empty for 200, whose body went to the sink.
    public var body: [UInt8]

    /// The most bytes of a non-200 body kept (enough for Go's 648-byte error excerpt).
    public static let errorBodyLimit = 64 << 10

    /// A response.
    public init(status: Int, byteCount: Int, body: [UInt8]) {
        self.status = status
        self.byteCount = byteCount
        self.body = body
    }
}

/// Receives a streamed body chunk by chunk, in order. A sink that throws stops the download;
/// the transport rethrows the sink's error unchanged (so a disk-full `errno` stays the caller's).
public typealias HTTPBodySink = @Sendable (UnsafeRawBufferPointer) throws -> Void

/// A transport failure (not an HTTP status).
public struct HTTPTransportError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<HTTPTransportError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "oversizeResponse", "timeout", "truncatedResponse", "insecureRedirect", "tooManyRedirects",
        "redirectToOtherHost", "malformedResponse", "failed",
    ]

    /// What went wrong.
    public var code: Code
    /// The URL (redacted of user info).
    public var url: String
    /// Detail for people.
    public var detail: String

    /// An error.
    public init(_ code: Code, url: String, detail: String = "") {
        self.code = code
        self.url = url
        self.detail = detail
    }

    /// `<url>: <problem>` (a test checks every code's).
    public var description: String {
        switch code {
        case .oversizeResponse: "\(url): response body larger than \(detail) bytes"
        case .timeout: detail.isEmpty ? "\(url): timeout" : "\(url): timeout (\(detail))"
        case .truncatedResponse: "\(url): unexpected EOF"
        case .insecureRedirect: "\(url): redirected from secure URL to insecure URL \(detail)"
        case .tooManyRedirects: "\(url): stopped after 10 redirects"
        case .redirectToOtherHost: "\(url): redirected to another host: \(detail)"
        case .malformedResponse: "\(url): malformed HTTP response: \(detail)"
        default: "\(url): \(detail)" // .failed
        }
    }
}

/// The network as the checksum-database and proxy clients see it: one GET with a body limit.
///
/// Inject a stub in tests; GoModNet's `DefaultHTTPTransport` is the default.
public protocol HTTPTransport: Sendable {
    /// GETs `url`, reading at most `limit` body bytes; a longer body is
    /// `HTTPTransportError.Code.oversizeResponse` and is never read past the limit.
    func get(_ url: URL, limit: Int) async throws -> HTTPResponse

    /// GETs `url` as ``get(_:limit:)`` does, following redirects only as `redirects` allows.
    ///
    /// The default implementation ignores `redirects` and calls ``get(_:limit:)``: right for
    /// stubs that never redirect; transports that follow redirects implement it.
    func get(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse

    /// GETs `url` as ``get(_:limit:redirects:)`` does (same byte cap, redirect rules and
    /// deadline), but hands a 200 body to `sink` chunk by chunk instead of returning it, so that
    /// a large body (a module zip) never sits in memory. A body longer than `limit` is
    /// `HTTPTransportError.Code.oversizeResponse` as soon as the limit is passed (the sink has
    /// then received at most `limit` bytes); a body that stops arriving for the transport's idle
    /// timeout is `HTTPTransportError.Code.timeout`. Any other status is returned with the
    /// start of its body (``HTTPStreamedResponse/body``) and nothing goes to the sink.
    ///
    /// The default implementation calls ``get(_:limit:redirects:)`` and passes the whole body to
    /// `sink` at once: right for stubs; streaming transports implement it.
    func stream(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy,
                into sink: @escaping HTTPBodySink) async throws -> HTTPStreamedResponse

    /// Sends `request` with the same byte cap and deadline as ``get(_:limit:redirects:)``,
    /// returning every response header field (lowercased names, repeated fields joined with
    /// `", "`) and the URL that answered (``HTTPResponse/url``). A `GET` follows redirects as
    /// `redirects` allows, resending the header fields on each hop; any other method follows
    /// none (a 3xx is returned as the response: git's `http.followRedirects=initial` follows
    /// redirects on the first request of a fetch only).
    ///
    /// The default implementation serves a `GET` without header fields or body by
    /// ``get(_:limit:redirects:)`` and refuses anything else with
    /// `HTTPTransportError.Code.failed` (`does not send …`): existing stubs keep working, and a
    /// caller that needs more learns it at once. Transports that send requests implement it.
    func send(_ request: HTTPRequest, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse
}

extension HTTPTransport {
    /// Calls ``get(_:limit:)`` (for transports that never follow redirects).
    public func get(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        try await get(url, limit: limit)
    }

    /// Calls ``get(_:limit:redirects:)`` and gives a 200 body to `sink` in one chunk (for stubs:
    /// the body is in memory once).
    public func stream(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy,
                       into sink: @escaping HTTPBodySink) async throws -> HTTPStreamedResponse {
        let response = try await get(url, limit: limit, redirects: redirects)
        guard response.status == 200 else {
            return HTTPStreamedResponse(status: response.status, byteCount: 0,
                                        body: Array(response.body.prefix(HTTPStreamedResponse.errorBodyLimit)))
        }
        try response.body.withUnsafeBytes { try sink($0) }
        return HTTPStreamedResponse(status: 200, byteCount: response.body.count, body: [])
    }
}

extension HTTPTransport {
    /// ``HTTPTransport/send(_:limit:redirects:)`` for transports that only GET: a plain `GET` goes
    /// to ``HTTPTransport/get(_:limit:redirects:)``; other requests are refused.
    public func send(_ request: HTTPRequest, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        guard request.method == "GET", request.headers.isEmpty, request.body.isEmpty else {
            throw HTTPTransportError(.failed, url: redact(request.url),
                                     detail: "this transport does not send \(request.method) requests with header fields or a body")
        }
        return try await get(request.url, limit: limit, redirects: redirects)
    }
}

/// Which redirects a transport follows: Go's rules (`cmd/go/internal/web`
/// `securityPreservingHTTPClient` over `net/http`'s `defaultCheckRedirect`), optionally pinned to
/// the original host.
public struct HTTPRedirectPolicy: Sendable, Hashable {
    /// Refuse a redirect to a host other than the original request's (stricter than Go).
    public var sameHostOnly: Bool

    /// A policy.
    public init(sameHostOnly: Bool) { self.sameHostOnly = sameHostOnly }

    /// Go's rules: at most 9 redirects followed (the 10th is `stopped after 10 redirects`), never
    /// from an https original to a non-https URL.
    public static let go = HTTPRedirectPolicy(sameHostOnly: false)
    /// Go's rules, and every hop must stay on the original host (stricter than Go: the
    /// checksum database is pinned to its host; see Docs/stricter-than-go.md).
    public static let sameHost = HTTPRedirectPolicy(sameHostOnly: true)

    /// The status codes `net/http` follows (`redirectBehavior`: 301, 302, 303, 307, 308).
    public static func isRedirect(_ status: Int) -> Bool { [301, 302, 303, 307, 308].contains(status) }

    /// The decision for the `count`-th redirect response (1-based) of a chain that started at
    /// `original`, leading to `next`: `nil` to follow it, else the error. Mirrors
    /// `securityPreservingHTTPClient`'s `CheckRedirect` (`len(via) ≥ 10` with `via` = the
    /// `count` requests made so far; the scheme rule first), then the host pin.
    public func check(original: URL, to next: URL, count: Int) -> HTTPTransportError? {
        if original.scheme?.lowercased() == "https", next.scheme?.lowercased() != "https" {
            return HTTPTransportError(.insecureRedirect, url: redact(original), detail: redact(next))
        }
        if count >= 10 { return HTTPTransportError(.tooManyRedirects, url: redact(original)) }
        if sameHostOnly, original.host?.lowercased() != next.host?.lowercased() {
            return HTTPTransportError(.redirectToOtherHost, url: redact(original), detail: redact(next))
        }
        let scheme = next.scheme?.lowercased()
        if scheme != "http" && scheme != "https" {
            return HTTPTransportError(.failed, url: redact(original), detail: "unsupported protocol scheme \(goQuote(Array((next.scheme ?? "").utf8)))")
        }
        return nil
    }
}

/// The URL for messages, as Go's `net/url` `URL.Redacted` writes it: a password in the user
/// information becomes `xxxxx` (an empty one too: `user:@host`); the user name is kept, and a URL
/// with a user name but no password is unchanged. cmd/go shows every proxy and checksum-database
/// URL this way (cmd/go/internal/modfetch/proxy.go, cmd/go/internal/web/http.go).
package func redact(_ url: URL) -> String { redact(url.absoluteString) }

/// ``redact(_:)-(URL)`` on the text of a URL. The user information is what Go's `url.Parse` takes
/// it to be: after `scheme://`, up to the last `@` of the authority (which ends at the first `/`,
/// `?` or `#`), and the password is what follows its first `:`.
package func redact(_ url: String) -> String {
    var text = Array(url.utf8)
    // Go's getScheme: a letter, then letters, digits, `+`, `-` or `.`, up to the first `:`.
    guard let colon = text.firstIndex(of: UInt8(ascii: ":")), colon > 0, isASCIILetter(text[0]),
          text[..<colon].allSatisfy({ isASCIILetter($0) || isASCIIDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }),
          text[colon...].starts(with: Array("://".utf8)) else { return url }
    let authorityStart = colon + 3
    let authorityEnd = text[authorityStart...].firstIndex(where: {
        $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
    }) ?? text.endIndex
    guard let at = text[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")),
          let passwordColon = text[authorityStart..<at].firstIndex(of: UInt8(ascii: ":")) else { return url }
    text.replaceSubrange((passwordColon + 1)..<at, with: Array("xxxxx".utf8))
    return String(decoding: text, as: UTF8.self)
}

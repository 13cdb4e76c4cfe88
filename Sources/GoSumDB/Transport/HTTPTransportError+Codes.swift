public import GoModCore

// The codes of `HTTPTransportError` this release knows, one static member each, in the order of
// `HTTPTransportError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == HTTPTransportError {
    /// The body is longer than the limit.
    public static var oversizeResponse: Self { Self("oversizeResponse") }
    /// No answer, or the body stalled, within the timeout.
    public static var timeout: Self { Self("timeout") }
    /// The connection ended before the declared body length.
    public static var truncatedResponse: Self { Self("truncatedResponse") }
    /// A redirect from https to http (Go: `redirected from secure URL … to insecure URL …`).
    public static var insecureRedirect: Self { Self("insecureRedirect") }
    /// A 10th redirect (Go: `stopped after 10 redirects`: `net/http` follows at most 9).
    public static var tooManyRedirects: Self { Self("tooManyRedirects") }
    /// A redirect to another host under ``HTTPRedirectPolicy/sameHost`` (stricter than Go,
    /// which follows it).
    public static var redirectToOtherHost: Self { Self("redirectToOtherHost") }
    /// The server broke the HTTP/1.1 framing (bad status line, header too long, bad chunk
    /// size, conflicting lengths…).
    public static var malformedResponse: Self { Self("malformedResponse") }
    /// Any other failure (DNS, refused connection, TLS…).
    public static var failed: Self { Self("failed") }
}

import GoModCore
public import GoSumDB
public import GoModPlatform

/// Which proxy, if any, a request goes through: Go's `net/http.ProxyFromEnvironment`, that is
/// `golang.org/x/net/http/httpproxy` (`Config`, `FromEnvironment`, `ProxyFunc`;
/// `src/vendor/golang.org/x/net/http/httpproxy/proxy.go` in the Go tree), rule for rule:
///
/// - `HTTP_PROXY` or else `http_proxy` for `http://` requests, `HTTPS_PROXY` or else
///   `https_proxy` for `https://` requests (the upper-case name wins when both are set and
///   non-empty); no fallback from one to the other; other schemes are never proxied.
/// - A value is a URL, or `host[:port]` read as `http://host[:port]`; a value that is neither is
///   ignored (no proxy), as Go ignores it.
/// - `localhost` and loopback addresses (`127.0.0.0/8`, `::1`) are never proxied.
/// - `NO_PROXY` / `no_proxy`: comma-separated, case-insensitive; `*` matches everything; an IP
///   address or CIDR prefix matches IP hosts (`1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32`,
///   optionally with a port: `1.2.3.4:80`, `[::1]:443`); a domain name matches itself and its
///   subdomains, a leading `.` or `*.` subdomains only, optionally with a port.
/// - In a CGI process (`REQUEST_METHOD` set), an `http://` request with `HTTP_PROXY` set fails:
///   a client could have set that header (golang.org/s/cgihttpproxy).
///
/// Not done: IDNA conversion of non-ASCII host names and `NO_PROXY` entries (Go applies
/// `idna.Lookup.ToASCII` to both); such names are compared as given.
public struct HTTPProxyConfiguration: Sendable, Hashable {
    /// `HTTP_PROXY` / `http_proxy`.
    public var httpProxy: String { didSet { parsedHTTPProxy = Self.parseProxy(httpProxy) } }
    /// `HTTPS_PROXY` / `https_proxy`.
    public var httpsProxy: String { didSet { parsedHTTPSProxy = Self.parseProxy(httpsProxy) } }
    /// `NO_PROXY` / `no_proxy`.
    public var noProxy: String { didSet { noProxyRules = NoProxyRules(noProxy) } }
    /// Whether the process runs as a CGI handler (`REQUEST_METHOD` set).
    public var cgi: Bool

    // The three values parsed once (httpproxy's `config.init`, run once per config), not per
    // request and redirect hop.
    private var parsedHTTPProxy: URL?
    private var parsedHTTPSProxy: URL?
    private var noProxyRules: NoProxyRules

    /// A configuration with the given values (all empty: never a proxy).
    public init(httpProxy: String = "", httpsProxy: String = "", noProxy: String = "", cgi: Bool = false) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
        self.cgi = cgi
        parsedHTTPProxy = Self.parseProxy(httpProxy)
        parsedHTTPSProxy = Self.parseProxy(httpsProxy)
        noProxyRules = NoProxyRules(noProxy)
    }

    /// No proxy for any request.
    public static let direct = HTTPProxyConfiguration()

    /// httpproxy's `FromEnvironment`: the variables of `environment` (`nil`: the process's).
    public static func fromEnvironment(_ environment: [String: String]? = nil) -> HTTPProxyConfiguration {
        func value(_ name: String) -> String {
            if let environment { return environment[name] ?? "" }
            return getenv(name).map { String(cString: $0) } ?? ""
        }
        func any(_ names: String...) -> String {
            for name in names { let v = value(name); if !v.isEmpty { return v } }
            return ""
        }
        return HTTPProxyConfiguration(httpProxy: any("HTTP_PROXY", "http_proxy"),
                                      httpsProxy: any("HTTPS_PROXY", "https_proxy"),
                                      noProxy: any("NO_PROXY", "no_proxy"),
                                      cgi: !value("REQUEST_METHOD").isEmpty)
    }

    /// The proxy for a request to `url`, or `nil` for a direct connection (httpproxy's
    /// `proxyForURL`).
    ///
    /// - Throws: `HTTPTransportError` (`HTTPTransportError.Code.failed`) for an `http://`
    ///   request with `HTTP_PROXY` set in a CGI process, with Go's text.
    public func proxy(for url: URL) throws(HTTPTransportError) -> URL? {
        let scheme = url.scheme?.lowercased()
        let proxy: URL?
        if scheme == "https" {
            proxy = parsedHTTPSProxy
        } else if scheme == "http" {
            proxy = parsedHTTPProxy
            if proxy != nil && cgi {
                throw HTTPTransportError(.failed, url: redact(url),
                                         detail: "refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy")
            }
        } else {
            return nil
        }
        guard let proxy else { return nil }
        var host = url.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = url.port.map(String.init) ?? (scheme == "https" ? "443" : "80")
        return usesProxy(host: host, port: port) ? proxy : nil
    }

    /// httpproxy's `parseProxy`: a URL with a scheme and a host, else `http://` + the value;
    /// `nil` when empty or unparsable.
    static func parseProxy(_ value: String) -> URL? {
        guard !value.isEmpty else { return nil }
        if let url = URL(string: value), let scheme = url.scheme, !scheme.isEmpty, let host = url.host, !host.isEmpty {
            return url
        }
        if let url = URL(string: "http://" + value), let host = url.host, !host.isEmpty { return url }
        return nil
    }

    /// httpproxy's `useProxy` for a request host (no brackets) and port.
    func usesProxy(host: String, port: String) -> Bool {
        if host == "localhost" { return false }
        let ip = IPAddress(host)
        if let ip, ip.isLoopback { return false }
        let name = host.trimmingSpace().lowercased()
        let rules = noProxyRules
        if rules.all { return false }
        if let ip {
            for rule in rules.ipRules where rule.matches(ip, port: port) { return false }
            // Domain rules never match an IP host.
            return true
        }
        for rule in rules.domainRules where rule.matches(name, port: port) { return false }
        return true
    }
}

/// The parsed `NO_PROXY` list (httpproxy's `config.init`).
struct NoProxyRules: Hashable {
    enum IPRule: Hashable {
        case cidr(IPNetwork)
        case address(IPAddress, port: String)

        func matches(_ ip: IPAddress, port: String) -> Bool {
            switch self {
            case .cidr(let network): return network.contains(ip)
            case .address(let address, let rulePort): return address == ip && (rulePort.isEmpty || rulePort == port)
            }
        }
    }

    struct DomainRule: Hashable {
        /// With a leading `.`.
        var suffix: String
        var port: String
        /// Whether the name itself (without the dot) matches too.
        var matchesHost: Bool

        func matches(_ host: String, port: String) -> Bool {
            if host.utf8.count >= suffix.utf8.count && host.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
                || (matchesHost && host.utf8.elementsEqual(suffix.utf8.dropFirst())) {
                return self.port.isEmpty || self.port == port
            }
            return false
        }
    }

    var all = false
    var ipRules: [IPRule] = []
    var domainRules: [DomainRule] = []

    init(_ list: String) {
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let p = String(item).trimmingSpace().lowercased()
            if p.isEmpty { continue }
            if p == "*" {
                all = true
                return
            }
            if let network = IPNetwork(p) {
                ipRules.append(.cidr(network))
                continue
            }
            var host: Substring
            var port = ""
            if let (h, pt) = splitHostPort(p) {
                if h.isEmpty { continue }
                host = h
                port = String(pt)
                if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            } else {
                host = Substring(p)
            }
            if let ip = IPAddress(String(host), allowZone: false) {
                ipRules.append(.address(ip, port: port))
                continue
            }
            if host.isEmpty { continue }
            if host.hasPrefix("*.") { host = host.dropFirst() }
            var matchesHost = false
            if host.first != "." {
                matchesHost = true
                host = "." + host
            }
            domainRules.append(DomainRule(suffix: String(host), port: port, matchesHost: matchesHost))
        }
    }
}

/// Go's `net.SplitHostPort`: `host:port` or `[host]:port` (the brackets removed); `nil` where Go
/// returns an error (no port, too many colons, misplaced brackets).
func splitHostPort(_ s: String) -> (Substring, Substring)? {
    let b = Array(s.utf8)
    guard let i = b.lastIndex(of: UInt8(ascii: ":")) else { return nil }
    var j = 0, k = 0
    let host: [UInt8]
    if b.first == UInt8(ascii: "[") {
        guard let end = b.firstIndex(of: UInt8(ascii: "]")), end + 1 == i else { return nil }
        host = Array(b[1..<end])
        j = 1
        k = end + 1
    } else {
        host = Array(b[..<i])
        if host.contains(UInt8(ascii: ":")) { return nil }
    }
    if b[j...].contains(UInt8(ascii: "[")) || b[k...].contains(UInt8(ascii: "]")) { return nil }
    return (Substring(String(decoding: host, as: UTF8.self)), Substring(String(decoding: b[(i + 1)...], as: UTF8.self)))
}

/// An IP address as 16 bytes (IPv4 as IPv4-mapped IPv6, as Go's `net.IP` compares them).
struct IPAddress: Hashable {
    var bytes: [UInt8]
    var isIPv4: Bool

    /// Parses dotted-quad IPv4 or IPv6 (`inet_pton`, as strict as Go's parser: no leading zeros
    /// in IPv4 parts); with `allowZone`, an IPv6 `%zone` suffix is ignored (netip.ParseAddr).
    init?(_ text: String, allowZone: Bool = true) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let b = withUnsafeBytes(of: &v4) { Array($0) }
            bytes = Array(repeating: 0, count: 10) + [0xFF, 0xFF] + b
            isIPv4 = true
            return
        }
        var address = text
        if let percent = text.firstIndex(of: "%") {
            guard allowZone, text.index(after: percent) != text.endIndex else { return nil }
            address = String(text[..<percent])
        }
        var v6 = in6_addr()
        guard address.contains(":"), inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &v6) { Array($0) }
        isIPv4 = false
    }

    /// Whether the address is IPv4-mapped (`::ffff:a.b.c.d`): Go's `To4` succeeds.
    var isMappedIPv4: Bool { Self.mapped(bytes) }

    /// Go's `net.IP.IsLoopback`: 127.0.0.0/8 (also IPv4-mapped), or `::1`.
    var isLoopback: Bool {
        if isMappedIPv4 { return bytes[12] == 127 }
        return bytes == Array(repeating: 0, count: 15) + [1]
    }
}

/// Go's `net.ParseCIDR` result and `IPNet.Contains`.
struct IPNetwork: Hashable {
    /// The network number: 4 bytes when IPv4 (also an IPv4-mapped IPv6 prefix, as Go's
    /// `networkNumberAndMask` reduces it), else 16.
    var network: [UInt8]
    var mask: [UInt8]

    init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let addressText = String(text[..<slash])
        let bitsText = text[text.index(after: slash)...]
        guard let address = IPAddress(addressText, allowZone: false), !bitsText.isEmpty,
              bitsText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), bitsText.utf8.count <= 6,
              let bits = Int(bitsText) else { return nil }
        let length = address.isIPv4 ? 32 : 128
        guard bits <= length else { return nil }
        var full = [UInt8](repeating: 0, count: length / 8)
        for i in 0..<bits { full[i / 8] |= 0x80 >> UInt8(i % 8) }
        var ip = address.isIPv4 ? Array(address.bytes.suffix(4)) : address.bytes
        for i in ip.indices { ip[i] &= full[i] }
        // networkNumberAndMask: an IPv4-mapped network is compared on its last 4 bytes, with the
        // last 4 bytes of its mask.
        if !address.isIPv4, IPAddress.mapped(ip) {
            network = Array(ip.suffix(4))
            mask = Array(full.suffix(4))
        } else {
            network = ip
            mask = full
        }
    }

    func contains(_ ip: IPAddress) -> Bool {
        let candidate = ip.isMappedIPv4 ? Array(ip.bytes.suffix(4)) : ip.bytes
        guard candidate.count == network.count else { return false }
        for i in network.indices where network[i] & mask[i] != candidate[i] & mask[i] { return false }
        return true
    }
}

extension IPAddress {
    static func mapped(_ bytes: [UInt8]) -> Bool {
        bytes.count == 16 && bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
    }
}

import Foundation
import GoModTestSupport
@testable import GoModCore
@testable import GoSumDB
@testable import GoModNet
import Testing

/// ``HTTPProxyConfiguration`` against Go's own expectations: the tables of
/// golang.org/x/net/http/httpproxy's `proxy_test.go` (`proxyForURLTests`, `UseProxyTests` with
/// its `noProxy` list, `TestInvalidNoProxy`, `TestAllNoProxy`, `TestFromEnvironment*`), minus
/// the three IDNA rows (non-ASCII names are not converted; see the type's discussion). Then
/// ``DefaultHTTPTransport`` through a loopback `CONNECT` proxy.
@Suite struct HTTPProxyTests {
    typealias Config = HTTPProxyConfiguration

    /// `proxyForURLTests`: (config, request URL, Go's answer: proxy URL, "<nil>", or the error).
    static let proxyForURL: [(Config, String, String)] = [
        (Config(httpProxy: "127.0.0.1:8080"), "", "http://127.0.0.1:8080"),
        (Config(httpProxy: "cache.corp.example.com:1234"), "", "http://cache.corp.example.com:1234"),
        (Config(httpProxy: "cache.corp.example.com"), "", "http://cache.corp.example.com"),
        (Config(httpProxy: "localhost"), "", "http://localhost"),
        (Config(httpProxy: "https://cache.corp.example.com"), "", "https://cache.corp.example.com"),
        (Config(httpProxy: "http://127.0.0.1:8080"), "", "http://127.0.0.1:8080"),
        (Config(httpProxy: "https://127.0.0.1:8080"), "", "https://127.0.0.1:8080"),
        (Config(httpProxy: "socks5://127.0.0.1"), "", "socks5://127.0.0.1"),
        (Config(httpProxy: "foo://host"), "", "foo://host"),
        (Config(httpProxy: "http.proxy.tld", httpsProxy: "secure.proxy.tld"), "http://insecure.tld/", "http://http.proxy.tld"),
        (Config(httpProxy: "http.proxy.tld", httpsProxy: "secure.proxy.tld"), "https://secure.tld/", "http://secure.proxy.tld"),
        (Config(httpProxy: "http.proxy.tld", httpsProxy: "https://secure.proxy.tld"), "https://secure.tld/", "https://secure.proxy.tld"),
        (Config(httpProxy: "http.proxy.tld"), "https://secure.tld/", "<nil>"),
        (Config(httpProxy: "http.proxy.tld"), "ftp://insecure.tld/", "<nil>"),
        (Config(httpProxy: "http://10.1.2.3:8080", cgi: true), "",
         "error: refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy"),
        (Config(httpsProxy: "https://secure.proxy.tld", cgi: true), "https://secure.tld/", "https://secure.proxy.tld"),
        (Config(), "", "<nil>"),
        (Config(httpProxy: "proxy", noProxy: "example.com"), "http://example.com/", "<nil>"),
        (Config(httpProxy: "proxy", noProxy: ".example.com"), "http://example.com/", "http://proxy"),
        (Config(httpProxy: "proxy", noProxy: "ample.com"), "http://example.com/", "http://proxy"),
        (Config(httpProxy: "proxy", noProxy: "example.com"), "http://foo.example.com/", "<nil>"),
        (Config(httpProxy: "proxy", noProxy: ".foo.com"), "http://example.com/", "http://proxy"),
    ]

    @Test func proxyForURLMatchesGo() throws {
        for (config, request, want) in Self.proxyForURL {
            let url = try #require(URL(string: request.isEmpty ? "http://example.com" : request))
            let got: String
            do { got = try config.proxy(for: url)?.absoluteString ?? "<nil>" } catch {
                got = "error: " + error.detail
            }
            #expect(got == want, "\(config) req=\(request)")
        }
    }

    /// `UseProxyTests` against `noProxy`; each host with port 80. `true`: proxied.
    static let noProxy = "foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64"
    static let useProxy: [(String, Bool)] = [
        ("localhost", false), ("127.0.0.1", false), ("127.0.0.2", false), ("[::1]", false), ("[::2]", true),
        ("192.168.1.1", false), ("192.168.1.2", true), ("192.168.1.3", false), ("192.168.1.4", true),
        ("10.0.0.2", false), ("[2001:db8::52:0:1]", false), ("[2001:db8::52:0:2]", true),
        ("[2001:db8::52:0:3]", false), ("[2002:db8:a::123]", false), ("[fe80::424b:c8be:1643:a1b6]", true),
        ("barbaz.net", true), ("www.barbaz.net", false), ("foobar.com", false), ("www.foobar.com", false),
        ("foofoobar.com", true), ("baz.com", true), ("localhost.net", true), ("local.localhost", true),
        ("barbarbaz.net", true), ("wildcard.io", true), ("nested.wildcard.io", false), ("awildcard.io", true),
    ]

    static func host(_ text: String) -> String {
        text.hasPrefix("[") ? String(text.dropFirst().dropLast()) : text
    }

    @Test func useProxyMatchesGo() {
        let config = Config(noProxy: Self.noProxy)
        for (host, want) in Self.useProxy {
            #expect(config.usesProxy(host: Self.host(host), port: "80") == want, "\(host)")
        }
        // TestAllNoProxy: "*" exempts every host.
        let all = Config(noProxy: "*")
        for (host, _) in Self.useProxy { #expect(!all.usesProxy(host: Self.host(host), port: "80"), "\(host)") }
        // TestInvalidNoProxy: a malformed entry is ignored, not a crash.
        #expect(Config(noProxy: ":1").usesProxy(host: "example.com", port: "80"))
    }

    /// The values are parsed once, at `init` and when a value is set: a configuration changed
    /// after `init` answers as one made with the new values (rows of `proxyForURLTests`).
    @Test func valuesSetAfterInitTakeEffect() throws {
        let url = try #require(URL(string: "http://example.com/"))
        var config = Config()
        #expect(try config.proxy(for: url) == nil)
        config.httpProxy = "proxy"
        #expect(try config.proxy(for: url)?.absoluteString == "http://proxy")
        config.noProxy = "example.com"
        #expect(try config.proxy(for: url) == nil)
        #expect(config == Config(httpProxy: "proxy", noProxy: "example.com"))
        config.noProxy = ".example.com"
        #expect(try config.proxy(for: url)?.absoluteString == "http://proxy")
        config.httpsProxy = "secure.proxy.tld"
        #expect(try config.proxy(for: try #require(URL(string: "https://secure.tld/")))?.absoluteString == "http://secure.proxy.tld")
    }

    /// `TestFromEnvironment`, `…WithRequestMethod`, `…LowerCase`; the upper-case name wins
    /// (`getEnvAny("HTTP_PROXY", "http_proxy")`), an empty one does not count.
    @Test func fromEnvironment() {
        #expect(Config.fromEnvironment(["HTTP_PROXY": "httpproxy", "HTTPS_PROXY": "httpsproxy", "NO_PROXY": "noproxy", "REQUEST_METHOD": ""])
                == Config(httpProxy: "httpproxy", httpsProxy: "httpsproxy", noProxy: "noproxy"))
        #expect(Config.fromEnvironment(["HTTP_PROXY": "httpproxy", "HTTPS_PROXY": "httpsproxy", "NO_PROXY": "noproxy", "REQUEST_METHOD": "PUT"])
                == Config(httpProxy: "httpproxy", httpsProxy: "httpsproxy", noProxy: "noproxy", cgi: true))
        #expect(Config.fromEnvironment(["http_proxy": "httpproxy", "https_proxy": "httpsproxy", "no_proxy": "noproxy"])
                == Config(httpProxy: "httpproxy", httpsProxy: "httpsproxy", noProxy: "noproxy"))
        #expect(Config.fromEnvironment(["HTTP_PROXY": "upper", "http_proxy": "lower", "HTTPS_PROXY": "", "https_proxy": "lower"])
                == Config(httpProxy: "upper", httpsProxy: "lower"))
    }

    /// A loopback server that is both a `CONNECT` proxy and the origin: it answers `CONNECT` with
    /// 200 and then serves the tunnelled request itself on the same connection.
    static func proxyAndOrigin() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { path, connection in
            if !path.hasPrefix("/") {
                if path.hasSuffix(":443") { return .close }  // no TLS here: the tunnel ends
                connection.write("HTTP/1.1 200 Connection established\r\n\r\n")
                return .keepAlive
            }
            connection.respond(200, Array("origin \(path)".utf8))
            return .keepAlive
        }
    }

    /// `HTTP_PROXY` with credentials: an `http://` request to a non-loopback name goes through the
    /// proxy (`CONNECT name:80` with `Proxy-Authorization: Basic`), and the body comes back; an
    /// `https://` request uses `HTTPS_PROXY` (`CONNECT name:443`); a loopback request, and a name
    /// in `NO_PROXY`, never reach the proxy. No name is resolved: the proxy is the only peer.
    @Test func requestsGoThroughALoopbackConnectProxy() async throws {
        let server = try Self.proxyAndOrigin()
        defer { server.stop() }
        let proxy = "http://user:p%40ss@127.0.0.1:\(server.port)"
        let transport = DefaultHTTPTransport(timeout: 10, proxy: Config(httpProxy: proxy, httpsProxy: "127.0.0.1:\(server.port)",
                                                                          noProxy: "skipped.test"))
        let response = try await transport.get(URL(string: "http://proxied.test/m/@v/list")!, limit: 1 << 10)
        #expect(response.status == 200)
        #expect(response.body == Array("origin /m/@v/list".utf8))
        let heads = server.heads
        #expect(heads.first?.hasPrefix("CONNECT proxied.test:80 HTTP/1.1\r\n") == true, "\(heads)")
        // user:p@ss, percent-decoded from the URL, as Go's (*url.Userinfo).Password gives it.
        #expect(heads.first?.lowercased().contains("proxy-authorization: basic dxnlcjpwqhnz") == true, "\(heads)")
        #expect(server.paths.count == 2, "\(server.paths)")

        // https: HTTPS_PROXY (host:port form); the tunnel is refused before TLS, the request fails.
        await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.get(URL(string: "https://secure.test/x")!, limit: 1 << 10)
        }
        #expect(server.paths.last == "secure.test:443", "\(server.paths)")

        // Loopback: direct, though HTTP_PROXY is set.
        let before = server.paths.count
        let direct = try await transport.get(URL(string: "http://127.0.0.1:\(server.port)/direct")!, limit: 1 << 10)
        #expect(direct.body == Array("origin /direct".utf8))
        #expect(Array(server.paths.dropFirst(before)) == ["/direct"])
        #expect(server.heads.last?.hasPrefix("GET /direct HTTP/1.1") == true)
    }

    /// An `https://` proxy URL (TLS to the proxy, which Go supports) and an unknown scheme are
    /// typed failures naming the proxy (its password redacted), not a silent direct connection.
    @Test func unsupportedProxySchemesFail() async throws {
        for (value, detail) in [("https://u:secret@proxy.test:3128", "TLS to the proxy"), ("foo://proxy.test", "unsupported proxy scheme \"foo\"")] {
            let transport = DefaultHTTPTransport(timeout: 5, proxy: Config(httpProxy: value))
            do {
                _ = try await transport.get(URL(string: "http://example.test/x")!, limit: 1 << 10)
                Issue.record("no error for \(value)")
            } catch let error as HTTPTransportError {
                #expect(error.code == .failed)
                #expect(error.detail.contains(detail), "\(error)")
                #expect(!error.description.contains("secret"), "\(error)")
            }
        }
    }
}

public import GoModCore
public import GoSumDB
public import GoModPlatform

/// A repository's refs as git's smart HTTP protocol advertises them, in the order and form
/// `git ls-remote -q` prints them: one line per ref, an annotated tag followed by its peeled
/// line `<commit> <tag>^{}`.
public struct RemoteRefs: Sendable, Hashable {
    /// One advertised ref.
    public struct Line: Sendable, Hashable {
        /// The object name, lowercase hex.
        public var oid: String
        /// The ref name (`X^{}` for the object the annotated tag `X` peels to).
        public var name: ByteString

        /// A line.
        public init(oid: String, name: ByteString) {
            self.oid = oid
            self.name = name
        }
    }

    /// The refs in the server's order.
    public var lines: [Line]
    /// Symbolic refs the server named (`HEAD` → `refs/heads/main`): v2's `symref-target`, v0's
    /// `symref=` capability.
    public var symrefs: [ByteString: ByteString]
    /// The protocol version the server answered with (2, or 0 for a v0/v1 advertisement).
    public var protocolVersion: Int

    /// A listing.
    public init(lines: [Line], symrefs: [ByteString: ByteString], protocolVersion: Int) {
        self.lines = lines
        self.symrefs = symrefs
        self.protocolVersion = protocolVersion
    }

    /// The lines as `git ls-remote -q` prints them: `<oid>\t<name>\n`.
    public var lsRemoteOutput: [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            out += Array(line.oid.utf8)
            out.append(0x09)
            out += line.name.bytes
            out.append(0x0A)
        }
        return out
    }

    /// The listing cmd/go would make of the same `git ls-remote` output (``RefListing``).
    public var listing: RefListing { RefListing(lsRemoteOutput: lsRemoteOutput) }
}

/// Lists an http(s) repository's refs in-process over git's smart HTTP protocol
/// (https://git-scm.com/docs/gitprotocol-http, gitprotocol-v2, gitprotocol-pack's pkt-line;
/// Docs/origin.md): `GET <url>/info/refs?service=git-upload-pack` with `Git-Protocol:
/// version=2`; a v2 server is then asked `command=ls-refs` (`peel`, `symrefs`, `ref-prefix`
/// `HEAD`, `refs/heads/`, `refs/tags/`) by `POST <url>/git-upload-pack`; a v0/v1 server's
/// advertisement is read from the GET itself. The result is what `git ls-remote -q <url>` prints
/// for `HEAD`, `refs/heads/*` and `refs/tags/*` (the refs cmd/go's `gitRepo.loadRefs` keeps).
///
/// No process is started: the ecosystem scan's cheap pass (one listing per repository) spent
/// almost all of its CPU spawning `git ls-remote` and `git remote-http` (Docs/scale.md). What
/// git would add and this does not: `url.<base>.insteadOf` and other git configuration,
/// credential helpers, the dumb HTTP protocol (`OriginError.Code.unsupportedProtocol`: list
/// such a server with ``GitRefLister``).
///
/// Bounds: each response at most ``maxResponse-swift.property`` bytes (`OriginError.Code.invalidRefListing`
/// beyond it); the transport's deadline, redirect rules (Go's, for the GET; the POST goes to the
/// base the GET was redirected to and follows none, as git's `http.followRedirects=initial`)
/// and proxies. Hostile answers are typed errors naming the URL and the rule broken: every
/// pkt-line length is 4 hex digits, `0000`–`0002` or 4…65520; object names are hex of the
/// advertised object format's length; ref names follow `git check-ref-format`.
public struct SmartHTTPRefLister: Sendable {
    /// The largest response read (the advertisement or the `ls-refs` answer): 64 MiB, as
    /// ``GitRefLister/maxListing``.
    public static let maxResponse = GitRefLister.maxListing

    /// The transport (GoModNet's `DefaultHTTPTransport`, or a test's).
    public let transport: any HTTPTransport
    /// The most bytes read per response.
    public let maxResponse: Int

    /// A lister over `transport`.
    public init(transport: any HTTPTransport, maxResponse: Int = SmartHTTPRefLister.maxResponse) {
        self.transport = transport
        self.maxResponse = max(0, maxResponse)
    }

    /// Whether `url` is one this lister takes: `http://` or `https://` with a host, no user
    /// information, query or fragment. Other URLs (`git://`, `ssh://`, scp-like, local paths) are
    /// for `git ls-remote`.
    public static func handles(_ url: String) -> Bool {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
        guard !url.utf8.contains(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") || $0 <= 0x20 || $0 == 0x7F }),
              let parsed = URL(string: url), let host = parsed.host, !host.isEmpty, parsed.user == nil else { return false }
        return true
    }

    /// The refs of the repository at `url` as cmd/go keeps them.
    ///
    /// - Throws: `OriginError.Code.repositoryNotFound` for a 404 answer;
    ///   `OriginError.Code.listingFailed` for another status or a transport failure;
    ///   `OriginError.Code.invalidRefListing` for a malformed or oversized answer;
    ///   `OriginError.Code.unsupportedProtocol` for a dumb HTTP server.
    public func list(_ url: String) async throws(OriginError) -> RefListing {
        try await remoteRefs(url).listing
    }

    /// The advertised refs of the repository at `url` (`HEAD`, `refs/heads/*`, `refs/tags/*`),
    /// as `git ls-remote -q` prints them. Errors as ``list(_:)``.
    public func remoteRefs(_ url: String) async throws(OriginError) -> RemoteRefs {
        guard Self.handles(url) else {
            throw OriginError(.listingFailed, subject: url, message: "\(url): not an http(s) repository URL the smart HTTP lister takes")
        }
        // git's remote-curl: the URL with one trailing slash, then `info/refs?service=…`.
        let base = url.hasSuffix("/") ? url : url + "/"
        let tail = "info/refs?service=git-upload-pack"
        guard let discovery = URL(string: base + tail) else {
            throw OriginError(.listingFailed, subject: url, message: "\(url): not a valid URL")
        }
        let advertisement = try await send(HTTPRequest(method: "GET", url: discovery, headers: [HTTPHeaderField("Git-Protocol", "version=2")]),
                                           redirects: .go, repository: url)
        let parsed = try Self.parseAdvertisement(advertisement.body, contentType: advertisement.headers["content-type"], url: url)
        guard case .v2(let capabilities) = parsed else {
            if case .v0(let refs) = parsed { return refs }
            throw OriginError(.unsupportedProtocol, subject: url,
                              message: "\(url): the server does not speak git's smart HTTP protocol (dumb HTTP); list it with git ls-remote")
        }
        // git's `update_url_from_redirect`: the answering URL must end with what was asked after
        // the base; the POST goes to the base it was redirected to.
        var postBase = base
        if let answered = advertisement.url?.absoluteString, answered != discovery.absoluteString {
            guard answered.hasSuffix(tail) else {
                throw OriginError(.listingFailed, subject: url, message: "\(url): unable to update url base from redirection: asked for \(discovery.absoluteString), redirected to \(answered)")
            }
            postBase = String(answered.dropLast(tail.utf8.count))
        }
        guard let post = URL(string: postBase + "git-upload-pack") else {
            throw OriginError(.listingFailed, subject: url, message: "\(url): redirected to an invalid URL \(postBase)")
        }
        let request = HTTPRequest(method: "POST", url: post, headers: [
            HTTPHeaderField("Content-Type", "application/x-git-upload-pack-request"),
            HTTPHeaderField("Accept", "application/x-git-upload-pack-result"),
            HTTPHeaderField("Git-Protocol", "version=2"),
        ], body: Self.lsRefsRequest(objectFormat: capabilities.objectFormat))
        let answer = try await send(request, redirects: .go, repository: url)
        let type = Self.mediaType(answer.headers["content-type"])
        guard type == "application/x-git-upload-pack-result" else {
            throw OriginError(.invalidRefListing, subject: url,
                              message: "\(url): ls-refs answer has content type \(goQuote(Array((answer.headers["content-type"] ?? "").utf8))), not application/x-git-upload-pack-result")
        }
        return try Self.parseLsRefs(answer.body, objectFormat: capabilities.objectFormat ?? "sha1", url: url)
    }

    /// One request; the status checked (200; 404 is `OriginError.Code.repositoryNotFound`) and
    /// transport failures mapped.
    private func send(_ request: HTTPRequest, redirects: HTTPRedirectPolicy, repository url: String) async throws(OriginError) -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await transport.send(request, limit: maxResponse, redirects: redirects)
        } catch let error as HTTPTransportError where error.code == .oversizeResponse {
            throw OriginError(.invalidRefListing, subject: url, message: "\(url): \(request.method) \(redact(request.url)): response larger than \(maxResponse) bytes")
        } catch {
            throw OriginError(.listingFailed, subject: url, message: "\(url): \(request.method) \(redact(request.url)): \(error)")
        }
        switch response.status {
        case 200:
            return response
        case 404:
            // git: `repository '<url>/' not found`.
            throw OriginError(.repositoryNotFound, subject: url, message: "\(url): repository not found (\(request.method) \(redact(request.url)): 404)")
        case 401:
            throw OriginError(.listingFailed, subject: url, message: "\(url): \(request.method) \(redact(request.url)): 401: authentication required")
        default:
            throw OriginError(.listingFailed, subject: url, message: "\(url): \(request.method) \(redact(request.url)): the requested URL returned error: \(response.status)")
        }
    }

    /// The `ls-refs` request body (gitprotocol-v2), in the order git's `get_remote_refs` writes
    /// it: the command, the object format when the server advertised one, delimiter, `peel`,
    /// `symrefs`, the ref prefixes, flush. No `unborn`: git asks for it only when cloning, so
    /// `git ls-remote --symref` names no `HEAD` target for an empty repository, and neither does
    /// this.
    package static func lsRefsRequest(objectFormat: String?) -> [UInt8] {
        var body = PktLine.encode("command=ls-refs\n")
        if let objectFormat { body += PktLine.encode("object-format=\(objectFormat)\n") }
        body += Array("0001".utf8)
        for argument in ["peel", "symrefs", "ref-prefix HEAD", "ref-prefix refs/heads/", "ref-prefix refs/tags/"] {
            body += PktLine.encode(argument + "\n")
        }
        return body + Array("0000".utf8)
    }

    /// What the `info/refs` answer says.
    package enum Advertisement: Sendable, Hashable {
        /// A v2 capability advertisement.
        case v2(V2Capabilities)
        /// A v0/v1 advertisement: the refs themselves.
        case v0(RemoteRefs)
        /// Not smart HTTP.
        case dumb
    }

    /// The v2 capabilities a listing needs.
    package struct V2Capabilities: Sendable, Hashable {
        /// The `object-format` value, if advertised.
        package var objectFormat: String?
    }

    /// The media type of a `Content-Type` value (before any parameter), lowercased.
    static func mediaType(_ value: String?) -> String {
        guard let value else { return "" }
        let type = Array(value.utf8).split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        let trimmed = type.drop(while: { $0 == 0x20 || $0 == 0x09 }).reversed().drop(while: { $0 == 0x20 || $0 == 0x09 }).reversed()
        return String(decoding: trimmed, as: UTF8.self).lowercased()
    }

    /// Parses the `info/refs?service=git-upload-pack` answer as git's `discover_refs` does: a
    /// smart v0/v1 answer has the advertisement content type and starts with `# service=…`; a v2
    /// answer starts (after an optional `# service=…` section) with `version 2`; anything else is
    /// a dumb server. Only `HEAD`, `refs/heads/*` and `refs/tags/*` lines of a v0 advertisement
    /// are kept (a v2 `ls-refs` is asked for those only).
    package static func parseAdvertisement(_ body: [UInt8], contentType: String?, url: String) throws(OriginError) -> Advertisement {
        var reader = PktLine.Reader(body, url: url)
        let smartType = mediaType(contentType) == "application/x-git-upload-pack-advertisement"
        // git checks the first packet's fifth byte before parsing any length.
        let looksService = body.count >= 5 && body[4] == UInt8(ascii: "#")
        let looksV2 = body.count > 5 && body[4...].starts(with: Array("version 2".utf8))
        guard (smartType && looksService) || looksV2 else { return .dumb }
        var first = try reader.next()
        if looksService {
            guard case .data(let line) = first, PktLine.chomp(line).elementsEqual("# service=git-upload-pack".utf8) else {
                throw reader.error("invalid server response; expected \"# service=git-upload-pack\"")
            }
            // Lines up to the flush are ignored (git's `check_smart_http`).
            while true {
                let packet = try reader.next()
                if packet == .flush { break }
                if packet == .end { throw reader.error("advertisement ends before the flush after \"# service=\"") }
            }
            first = try reader.next()
        }
        if case .data(let line) = first, PktLine.chomp(line).elementsEqual("version 2".utf8) {
            var capabilities = V2Capabilities()
            var lsRefs = false
            while true {
                let packet = try reader.next()
                guard case .data(let raw) = packet else {
                    guard packet == .flush else { throw reader.error("capability advertisement does not end with a flush") }
                    break
                }
                let line = PktLine.chomp(raw)
                guard !line.isEmpty else { throw reader.error("empty capability line") }
                if line.elementsEqual("ls-refs".utf8) || line.starts(with: Array("ls-refs=".utf8)) { lsRefs = true }
                if line.starts(with: Array("object-format=".utf8)) {
                    let value = String(decoding: line.dropFirst("object-format=".utf8.count), as: UTF8.self)
                    guard hexLength(value) != nil else { throw reader.error("unknown object format \(goQuote(Array(value.utf8)))") }
                    capabilities.objectFormat = value
                }
            }
            guard try reader.next() == .end else { throw reader.error("data after the capability advertisement") }
            guard lsRefs else { throw reader.error("the server does not advertise ls-refs") }
            return .v2(capabilities)
        }
        if case .data(let line) = first, PktLine.chomp(line).elementsEqual("version 1".utf8) {
            first = try reader.next()
        }
        return .v0(try parseV0(first: first, reader: &reader))
    }

    /// A v0/v1 ref advertisement (gitprotocol-pack; git's `get_remote_heads`): the first line
    /// `<oid> <name>\0<capabilities>` (`<zero oid> capabilities^{}` for an empty repository),
    /// then `<oid> <name>` lines, `shallow <oid>` lines, a flush and nothing after it.
    static func parseV0(first: PktLine.Packet, reader: inout PktLine.Reader) throws(OriginError) -> RemoteRefs {
        var lines: [RemoteRefs.Line] = []
        var symrefs: [ByteString: ByteString] = [:]
        var hexCount = 40
        var packet = first
        var index = 0
        var shallow = false
        while true {
            guard case .data(let raw) = packet else {
                guard packet == .flush else { throw reader.error("ref advertisement does not end with a flush") }
                break
            }
            var line = Array(PktLine.chomp(raw))
            if index == 0, let nul = line.firstIndex(of: 0) {
                let capabilities = line[(nul + 1)...].split(separator: 0x20)
                for capability in capabilities {
                    if capability.starts(with: Array("object-format=".utf8)) {
                        let value = String(decoding: capability.dropFirst("object-format=".utf8.count), as: UTF8.self)
                        guard let length = hexLength(value) else { throw reader.error("unknown object format \(goQuote(Array(value.utf8)))") }
                        hexCount = length
                    } else if capability.starts(with: Array("symref=".utf8)) {
                        let value = capability.dropFirst("symref=".utf8.count)
                        guard let colon = value.firstIndex(of: UInt8(ascii: ":")) else { continue }
                        let from = Array(value[..<colon]), to = Array(value[(colon + 1)...])
                        try checkRefName(from, reader: reader)
                        try checkRefName(to, reader: reader)
                        symrefs[ByteString(from)] = ByteString(to)
                    }
                }
                line = Array(line[..<nul])
            } else if line.contains(0) {
                throw reader.error("capabilities after the first ref line")
            }
            if line.starts(with: Array("shallow ".utf8)) {
                _ = try oid(line.dropFirst(8), hexCount: hexCount, reader: reader)
                shallow = true
            } else {
                guard !shallow else { throw reader.error("ref line after a shallow line") }
                guard line.count > hexCount + 1, line[hexCount] == 0x20 else {
                    throw reader.error("ref line is not <\(hexCount)-hex oid> <name>")
                }
                let hash = try oid(line[..<hexCount], hexCount: hexCount, reader: reader)
                let name = Array(line[(hexCount + 1)...])
                if index == 0 && name == Array("capabilities^{}".utf8) {
                    guard hash.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) else {
                        throw reader.error("capabilities^{} with a non-zero object name")
                    }
                } else if name == Array(".have".utf8) {
                    // An alternate's object: not a ref.
                } else {
                    var base = name
                    if base.count > 3 && Array(base.suffix(3)) == Array("^{}".utf8) { base.removeLast(3) }
                    try checkRefName(base, reader: reader)
                    if isListed(base) { lines.append(.init(oid: hash, name: ByteString(name))) }
                }
            }
            index += 1
            packet = try reader.next()
        }
        guard try reader.next() == .end else { throw reader.error("data after the ref advertisement's flush") }
        return RemoteRefs(lines: lines, symrefs: symrefs, protocolVersion: 0)
    }

    /// The `ls-refs` answer (gitprotocol-v2): lines `<oid> <name>[ symref-target:<t>][
    /// peeled:<oid>]` (`unborn <name> …` skipped), a flush, then nothing (or a response-end
    /// packet). A peeled object becomes the `<name>^{}` line after the ref, as `git ls-remote`
    /// prints it.
    package static func parseLsRefs(_ body: [UInt8], objectFormat: String, url: String) throws(OriginError) -> RemoteRefs {
        var reader = PktLine.Reader(body, url: url)
        guard let hexCount = hexLength(objectFormat) else { throw reader.error("unknown object format \(goQuote(Array(objectFormat.utf8)))") }
        var lines: [RemoteRefs.Line] = []
        var symrefs: [ByteString: ByteString] = [:]
        while true {
            let packet = try reader.next()
            guard case .data(let raw) = packet else {
                guard packet == .flush else { throw reader.error("ls-refs answer does not end with a flush") }
                break
            }
            let fields = PktLine.chomp(raw).split(separator: 0x20, omittingEmptySubsequences: false)
            guard fields.count >= 2 else { throw reader.error("ls-refs line is not <oid> <name> [attributes]") }
            let name = Array(fields[1])
            try checkRefName(name, reader: reader)
            let unborn = fields[0].elementsEqual("unborn".utf8)
            let hash = unborn ? "" : try oid(fields[0], hexCount: hexCount, reader: reader)
            var peeled: String?
            for attribute in fields.dropFirst(2) {
                if attribute.starts(with: Array("symref-target:".utf8)) {
                    let target = Array(attribute.dropFirst("symref-target:".utf8.count))
                    try checkRefName(target, reader: reader)
                    symrefs[ByteString(name)] = ByteString(target)
                } else if attribute.starts(with: Array("peeled:".utf8)) {
                    peeled = try oid(attribute.dropFirst("peeled:".utf8.count), hexCount: hexCount, reader: reader)
                } else {
                    throw reader.error("unknown ls-refs attribute \(goQuote(Array(attribute)))")
                }
            }
            guard !unborn, isListed(name) else { continue }
            lines.append(.init(oid: hash, name: ByteString(name)))
            if let peeled { lines.append(.init(oid: peeled, name: ByteString(name + Array("^{}".utf8)))) }
        }
        var after = try reader.next()
        if after == .responseEnd { after = try reader.next() }
        guard after == .end else { throw reader.error("data after the ls-refs answer's flush") }
        return RemoteRefs(lines: lines, symrefs: symrefs, protocolVersion: 2)
    }

    /// Whether cmd/go keeps the ref: `HEAD`, `refs/heads/…`, `refs/tags/…`.
    static func isListed(_ name: [UInt8]) -> Bool {
        name == Array("HEAD".utf8) || name.starts(with: Array("refs/heads/".utf8)) || name.starts(with: Array("refs/tags/".utf8))
    }

    /// The hex length of an object format's names (`sha1` 40, `sha256` 64), `nil` for another.
    static func hexLength(_ format: String) -> Int? {
        switch format {
        case "sha1": 40
        case "sha256": 64
        default: nil
        }
    }

    /// An object name: exactly `hexCount` hex digits (either case, as git's `get_oid_hex`
    /// reads them), lowercased (as `git ls-remote` prints it).
    static func oid(_ bytes: some Collection<UInt8>, hexCount: Int, reader: PktLine.Reader) throws(OriginError) -> String {
        guard bytes.count == hexCount, bytes.allSatisfy({ isASCIIHexDigit($0) }) else {
            throw reader.error("object name \(goQuote(Array(bytes.prefix(80)))) is not \(hexCount) hex digits")
        }
        return String(decoding: bytes.map { asciiLower($0) }, as: UTF8.self)
    }

    /// `git check-ref-format --allow-onelevel` (refs.c `check_refname_component`): no control
    /// byte, space, `~ ^ : ? * [ \`, `..` or `@{`; no empty component; no component starting
    /// with `.` or ending with `.lock`; not ending with `.`; not `@`.
    static func checkRefName(_ name: [UInt8], reader: PktLine.Reader) throws(OriginError) {
        func bad(_ rule: String) -> OriginError { reader.error("invalid ref name \(goQuote(name)): \(rule)") }
        guard !name.isEmpty else { throw bad("empty") }
        guard name != [UInt8(ascii: "@")] else { throw bad("is \"@\"") }
        guard name.last != UInt8(ascii: ".") else { throw bad("ends with \".\"") }
        for (i, b) in name.enumerated() {
            if b < 0x20 || b == 0x7F { throw bad("control character") }
            if Array(" ~^:?*[\\".utf8).contains(b) { throw bad("forbidden character \(goQuote([b]))") }
            if b == UInt8(ascii: "."), i + 1 < name.count, name[i + 1] == UInt8(ascii: ".") { throw bad("contains \"..\"") }
            if b == UInt8(ascii: "@"), i + 1 < name.count, name[i + 1] == UInt8(ascii: "{") { throw bad("contains \"@{\"") }
        }
        for component in name.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if component.isEmpty { throw bad("empty component") }
            if component.first == UInt8(ascii: ".") { throw bad("component starts with \".\"") }
            if component.count >= 5, Array(component.suffix(5)) == Array(".lock".utf8) { throw bad("component ends with \".lock\"") }
        }
    }
}

/// git's pkt-line framing (gitprotocol-common, gitprotocol-v2): 4 hex digits giving the line's
/// length including themselves, then the payload; `0000` flush, `0001` delimiter, `0002`
/// response end; `0003` is invalid; the longest line is 65520 bytes (`LARGE_PACKET_MAX`).
package enum PktLine {
    /// The longest packet, length prefix included.
    package static let maxLength = 65520

    /// One packet.
    package enum Packet: Sendable, Hashable {
        case data(ArraySlice<UInt8>)
        case flush
        case delimiter
        case responseEnd
        /// No bytes left.
        case end
    }

    /// `text` as one data packet.
    package static func encode(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let length = payload.count + 4
        let digits = Array("0123456789abcdef".utf8)
        return [digits[(length >> 12) & 15], digits[(length >> 8) & 15], digits[(length >> 4) & 15], digits[length & 15]] + payload
    }

    /// The payload without one trailing newline (git's `PACKET_READ_CHOMP_NEWLINE`).
    package static func chomp(_ payload: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        payload.last == 0x0A ? payload.dropLast() : payload
    }

    /// Reads packets from a body, checking every length.
    package struct Reader: Sendable {
        let bytes: [UInt8]
        /// The offset of the next packet.
        package private(set) var offset = 0
        let url: String

        /// A reader over `bytes` of the answer for `url` (named in errors).
        package init(_ bytes: [UInt8], url: String) {
            self.bytes = bytes
            self.url = url
        }

        /// A `OriginError.Code.invalidRefListing` error naming the URL, the offset and `rule`.
        package func error(_ rule: String) -> OriginError {
            OriginError(.invalidRefListing, subject: url, message: "\(url): smart HTTP answer, byte \(offset): \(rule)")
        }

        /// The next packet, or ``Packet/end`` at the end of the body.
        package mutating func next() throws(OriginError) -> Packet {
            guard offset < bytes.count else { return .end }
            guard bytes.count - offset >= 4 else { throw error("truncated pkt-line length") }
            var length = 0
            for b in bytes[offset..<(offset + 4)] {
                let digit: Int
                switch b {
                case 0x30...0x39: digit = Int(b - 0x30)
                case 0x61...0x66: digit = Int(b - 0x61 + 10)
                case 0x41...0x46: digit = Int(b - 0x41 + 10)
                default: throw error("pkt-line length \(goQuote(Array(bytes[offset..<(offset + 4)]))) is not 4 hex digits")
                }
                length = length << 4 | digit
            }
            switch length {
            case 0: offset += 4; return .flush
            case 1: offset += 4; return .delimiter
            case 2: offset += 4; return .responseEnd
            case 3: throw error("invalid pkt-line length 3")
            default: break
            }
            guard length <= PktLine.maxLength else { throw error("pkt-line length \(length) exceeds \(PktLine.maxLength)") }
            guard length <= bytes.count - offset else { throw error("pkt-line length \(length) runs past the end of the answer") }
            let payload = bytes[(offset + 4)..<(offset + length)]
            offset += length
            return .data(payload)
        }
    }
}

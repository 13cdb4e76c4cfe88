package import Foundation
package import GoModCore
package import GoSumDB
package import Synchronization

/// An in-process checksum database speaking the sum.golang.org protocol over ``HTTPTransport``
/// (records in a ``TestLog``, notes signed with x/mod's public test key), with hooks for the
/// hostile behaviours a client must survive (altered tiles, lookups and note text, HTTP statuses,
/// missing partial tiles, a replaced log; cf. x/mod's sumdb/client_test.go). URLs: `https://<host>/…`.
package final class FakeSumDBServer: HTTPTransport {
    package static let signerKey = "PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk"
    package static let verifierKey = "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6"

    package struct State {
        package var log = TestLog()
        package var records: [[UInt8]] = []
        package var index: [String: Int] = [:]   // "path@version" → record id
        package var requests: [String] = []
        package var noteSuffix: [UInt8] = []
        package var tileHook: (@Sendable (TLog.Tile, [UInt8]) -> [UInt8])? = nil
        package var lookupHook: (@Sendable (String, [UInt8]) -> [UInt8])? = nil
        package var statusHook: (@Sendable (String) -> Int?)? = nil
        package var partialTilesMissing = false
        package var offline = false
        package var servedSize: Int64? = nil
    }

    package let state = Mutex(State())
    package let signer: NoteSigner
    package let height: Int

    package init(height: Int = 2, signer: String = FakeSumDBServer.signerKey) throws {
        self.height = height
        self.signer = try NoteSigner(signerKey: signer)
    }

    package static var verifier: NoteVerifier { get throws { try NoteVerifier(verifierKey: verifierKey) } }

    /// Appends a module's record: `path version h1:…` and `path version/go.mod h1:…` (or `text`).
    package func add(_ path: String, _ version: String, text: String? = nil) {
        let body = text ?? "\(path) \(version) h1:\(fakeHash(path + version))\n\(path) \(version)/go.mod h1:\(fakeHash(path + version + "mod"))\n"
        state.withLock { s in
            s.index["\(path)@\(version)"] = s.records.count
            s.records.append(Array(body.utf8))
            s.log.append(Array(body.utf8))
        }
    }

    package func fakeHash(_ seed: String) -> String { TLog.recordHash(Array(seed.utf8)).description }

    /// The signed note for the first `size` records (default: all).
    package func signedTree(_ size: Int64? = nil) throws -> [UInt8] {
        let (log, suffix, served) = state.withLock { ($0.log, $0.noteSuffix, $0.servedSize) }
        let n = size ?? served ?? log.size
        let text = TLog.Tree(size: n, hash: try log.treeHash(n)).noteText + suffix
        return try Note.sign(text, with: [signer])
    }

    package var requests: [String] { state.withLock { $0.requests } }

    package func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        let path = url.path
        let hooks = state.withLock { s -> (@Sendable (String) -> Int?)? in
            s.requests.append(url.absoluteString)
            return s.statusHook
        }
        if state.withLock({ $0.offline }) { throw HTTPTransportError(.failed, url: url.absoluteString, detail: "network disabled") }
        if let status = hooks?(path) { return HTTPResponse(status: status, body: Array("status \(status)\n".utf8)) }
        let response = try respond(path)
        if response.body.count > limit { throw HTTPTransportError(.oversizeResponse, url: url.absoluteString, detail: "\(limit)") }
        return response
    }

    private func respond(_ fullPath: String) throws -> HTTPResponse {
        guard let r = fullPath.range(of: "/latest") ?? fullPath.range(of: "/lookup/") ?? fullPath.range(of: "/tile/") else {
            return HTTPResponse(status: 404, body: Array("not found\n".utf8))
        }
        let path = String(fullPath[r.lowerBound...].dropFirst())
        if path == "latest" { return HTTPResponse(status: 200, body: try signedTree()) }
        if path.hasPrefix("lookup/") {
            let key = String(path.dropFirst("lookup/".count))
            let (id, records, hook) = state.withLock { ($0.index[key], $0.records, $0.lookupHook) }
            guard let id else { return HTTPResponse(status: 404, body: Array("not found\n".utf8)) }
            var body = try TLog.Record.format(id: Int64(id), text: records[id]) + (try signedTree())
            if let hook { body = hook(key, body) }
            return HTTPResponse(status: 200, body: body)
        }
        let tile = try TLog.Tile(path: path)
        let (log, hook, partialMissing, served) = state.withLock { ($0.log, $0.tileHook, $0.partialTilesMissing, $0.servedSize) }
        if partialMissing && !tile.isFull { return HTTPResponse(status: 404, body: []) }
        // Serve every tile that exists in the server's whole log (the note may show less).
        _ = served
        let size = log.size
        let levelSize = size >> (tile.level * tile.height)
        guard tile.index << tile.height + Int64(tile.width) <= levelSize, var data = log.tileData(tile) else {
            return HTTPResponse(status: 404, body: [])
        }
        if let hook { data = hook(tile, data) }
        return HTTPResponse(status: 200, body: data)
    }
}

extension FakeSumDBServer {
    /// Replaces the whole log (a forked or rewritten history).
    package func replace(with records: [(String, String, String?)]) {
        state.withLock { $0 = State(noteSuffix: $0.noteSuffix) }
        for (path, version, text) in records { add(path, version, text: text) }
    }

    package func set(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    /// A client for this server with a memory store.
    package func client(store: MemoryChecksumDatabaseStore = MemoryChecksumDatabaseStore(), strict: Bool = false,
                noSumDB: ByteString = "", offline: Bool = false,
                proxies: [(entry: String, fallbackOnAnyError: Bool)]? = nil) throws -> ChecksumDatabase {
        let config = ChecksumDatabaseConfiguration(verifier: try FakeSumDBServer.verifier,
                                                   explicitURL: proxies == nil ? URL(string: "https://localhost.localdev/sumdb") : nil,
                                                   proxies: proxies ?? [],
                                                   noSumDB: noSumDB, tileHeight: height, offline: offline, strictNotes: strict)
        return ChecksumDatabase(configuration: config, store: store, transport: self)
    }
}

import Foundation
import GoModCore
import GoSumDB

/// x/mod's test key (`note` package examples): the database is named after it.
let (verifier, signer): (NoteVerifier, NoteSigner) = {
    guard let verifier = try? NoteVerifier(verifierKey: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
          let signer = try? NoteSigner(signerKey: "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
    else { fatalError("test keys") }
    return (verifier, signer)
}()

/// `text` signed by the database key, or `text` itself when it cannot be signed (no final
/// newline): a server may send anything, and the fuzzer should not have to forge Ed25519.
func signed(_ text: [UInt8]) -> [UInt8] {
    (try? Note.sign(text, with: [signer])) ?? text
}

/// A checksum database whose answers come from the fuzz input: `/latest` is the signed tree
/// note, `/lookup/…` the record followed by the same signed note, every `/tile/…` the tile bytes.
struct FuzzedDatabase: HTTPTransport {
    let latest: [UInt8], record: [UInt8], tiles: [UInt8]

    func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        let path = url.path
        let body: [UInt8]
        if path.hasSuffix("/latest") {
            body = signed(latest)
        } else if path.contains("/lookup/") {
            body = record + signed(latest)
        } else if path.contains("/tile/") {
            body = tiles
        } else {
            return HTTPResponse(status: 404, body: Array("not found".utf8))
        }
        guard body.count <= limit else { throw HTTPTransportError(.oversizeResponse, url: url.absoluteString, detail: String(limit)) }
        return HTTPResponse(status: 200, body: body)
    }
}

/// Runs `body` to completion from libFuzzer's synchronous callback.
func blocking(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await body()
        done.signal()
    }
    done.wait()
}

/// The input split at its first three NUL bytes: the stored `latest` tree text (signed; empty
/// means first contact), the served tree text (signed), the lookup record text (id line, record
/// lines, blank line), and the rest — the tile bytes.
func parts(_ bytes: [UInt8]) -> [[UInt8]] {
    var rest = bytes[...]
    var out: [[UInt8]] = []
    for _ in 0..<3 {
        if let nul = rest.firstIndex(of: 0) {
            out.append(Array(rest[..<nul]))
            rest = rest[(nul + 1)...]
        } else {
            out.append(Array(rest))
            rest = []
        }
    }
    out.append(Array(rest))
    return out
}

/// libFuzzer entry point for the checksum-database client on hostile server answers (Docs/Testing.md,
/// "Fuzzing"; issue 13 point 9): stored and served tree heads, lookup records and tiles
/// all come from the input, correctly signed by the database key, so the fuzzer reaches tree,
/// record, tile and proof handling behind the signature check.
///
/// Invariants: every failure of `fetchLatest` and `lookup` is a `ChecksumDatabaseError`; a
/// successful lookup's lines all name the module version asked for and come from the record text;
/// its tree is the client's latest; the request count stays within the per-lookup budget.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSumDBClient(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let p = parts(bytes)
    let store = MemoryChecksumDatabaseStore(config: p[0].isEmpty ? [:] : ["PeterNeumann/latest": signed(p[0])])
    let configuration = ChecksumDatabaseConfiguration(verifier: verifier, explicitURL: URL(string: "https://sum.example"),
                                                      maxConcurrentRequests: 1)
    let client = ChecksumDatabase(configuration: configuration, store: store,
                                  transport: FuzzedDatabase(latest: p[1], record: p[2], tiles: p[3]))
    blocking {
        do {
            _ = try await client.fetchLatest()
        } catch let error as ChecksumDatabaseError {
            _ = error.description
        } catch {
            fatalError("fetchLatest: untyped \(type(of: error)): \(error)")
        }
        for version in ["v1.0.0", "v1.0.0/go.mod"] {
            let module = ModuleVersion(path: "example.com/m", version: ByteString(version))
            do {
                let result = try await client.lookup(module)
                for line in result.lines where !line.hasPrefix("example.com/m " + module.version + " ") {
                    fatalError("lookup of \(module) returned \(line)")
                }
                let text = ByteString(result.recordText)
                for line in result.lines where !text.bytes.split(separator: 0x0A).contains(where: { $0.elementsEqual(line.bytes) }) {
                    fatalError("line \(line) is not in the record text")
                }
                let latest = try await client.latest()
                if result.tree != latest.tree { fatalError("lookup tree is not the latest") }
            } catch let error as ChecksumDatabaseError {
                _ = error.description
            } catch {
                fatalError("lookup: untyped \(type(of: error)): \(error)")
            }
        }
        let requests = await client.requestCount
        if requests > 3 * ChecksumDatabase.maxRequestsPerLookup(tileHeight: 8, proxies: 0) {
            fatalError("\(requests) requests")
        }
    }
    return 0
}

import Foundation
import GoModCore
import GoModFetch
import GoSumDB

/// A GOPROXY server whose every answer comes from the fuzz input.
struct FuzzedProxy: HTTPTransport {
    let status: Int
    let list: [UInt8], info: [UInt8], latest: [UInt8], zip: [UInt8]

    func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        let path = url.path
        let body = path.hasSuffix("/@v/list") ? list : path.hasSuffix(".info") ? info : path.hasSuffix("/@latest") ? latest
            : path.hasSuffix(".zip") ? zip : path.hasSuffix(".mod") ? info : []
        guard body.count <= limit else {
            throw HTTPTransportError(.oversizeResponse, url: url.absoluteString, detail: String(limit))
        }
        return HTTPResponse(status: status, body: body)
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

/// The input in parts: the first byte picks the HTTP status; the rest is split at its first three
/// NUL bytes into the `@v/list`, `.info` (and `.mod`), `@latest` and `.zip` bodies.
func parts(_ bytes: [UInt8]) -> (status: Int, [[UInt8]]) {
    let statuses = [200, 200, 200, 200, 404, 410, 500, 302]
    let status = statuses[Int(bytes.first ?? 0) % statuses.count]
    var rest = bytes.dropFirst()
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
    return (status, out)
}

/// libFuzzer entry point for the module-proxy responses GoModKit interprets itself (Docs/Testing.md,
/// "Fuzzing"; issue 13 point 9): `@v/list` lines, `.info` and `@latest` JSON, `.zip`
/// bodies, with the HTTP status chosen by the input; plus `GOPROXY` parsing and the redirect policy
/// (`HTTPRedirectPolicy.check`, Go's `CheckRedirect`) on URLs from the input.
///
/// Invariants: every failure is a `ModuleProxyError` (typed throws) whose not-found-ness follows
/// the status; `versions` returns only valid, non-pseudo, distinct versions, each the first field
/// of some line of the list body; `info` for a canonical version returns that version; a status
/// other than 200 never yields data; a redirect from https to anything else is always refused, and
/// a 10th redirect always is.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProxyResponse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let (status, p) = parts(bytes)
    let transport = FuzzedProxy(status: status, list: p[0], info: p[1], latest: p[2], zip: p[3])
    guard let configuration = try? ModuleProxyConfiguration.parse(goproxy: "https://proxy.example") else { fatalError("GOPROXY") }
    let client = ModuleProxyClient(configuration: configuration, transport: transport)
    let module = ModuleVersion(path: "example.com/m", version: "v1.0.0")

    if let info = ModuleInfo(json: p[1]) { _ = (info.version, info.time, info.origin) }

    blocking {
        func expectStatus(_ error: any Error) {
            guard let error = error as? ModuleProxyError else { fatalError("untyped \(type(of: error)): \(error)") }
            _ = error.description
            if status != 200 && error.isNotExist != (status == 404 || status == 410) {
                fatalError("status \(status) gave \(error.code)")
            }
        }
        do {
            let versions = try await client.versions(path: module.path)
            if status != 200 { fatalError("status \(status) yielded a list") }
            let firstFields = Set(p[0].split(separator: 0x0A).compactMap {
                $0.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }).first.map { ByteString(Array($0)) }
            })
            if Set(versions).count != versions.count { fatalError("duplicate versions") }
            for v in versions where !Semver.isValid(v) || Module.isPseudoVersion(v) || !firstFields.contains(v) {
                fatalError("listed \(v)")
            }
        } catch { expectStatus(error) }
        do {
            let info = try await client.info(module)
            if status != 200 { fatalError("status \(status) yielded info") }
            if info.version != module.version { fatalError("info for \(info.version) accepted for \(module.version)") }
        } catch { expectStatus(error) }
        do {
            let info = try await client.info(ModuleVersion(path: module.path, version: "master"))
            _ = info.raw
        } catch { expectStatus(error) }
        do {
            let info = try await client.latest(path: module.path)
            if !Semver.isValid(info.version) { fatalError("@latest accepted the invalid \(info.version)") }
        } catch { expectStatus(error) }
        do {
            _ = try await client.resolveLatest(path: module.path)
        } catch { expectStatus(error) }
        do {
            _ = try await client.goMod(module)
        } catch { expectStatus(error) }
        do {
            let zip = try await client.zip(module)
            if zip != p[3] { fatalError("zip body altered") }
        } catch { expectStatus(error) }
    }

    // GOPROXY values and redirects from the input's text.
    let text = String(decoding: p[0], as: UTF8.self)
    if let parsed = try? ModuleProxyConfiguration.parse(goproxy: text, noProxy: ByteString(p[1])) {
        _ = parsed.entries.map(\.description)
    }
    if let next = URL(string: text) {
        for original in [URL(string: "https://proxy.example/a/@v/list"), URL(string: "http://proxy.example/x")].compactMap({ $0 }) {
            for policy in [HTTPRedirectPolicy.go, .sameHost] {
                for count in [1, 9, 10] {
                    let verdict = policy.check(original: original, to: next, count: count)
                    if let verdict { _ = verdict.description }
                    if original.scheme == "https" && next.scheme?.lowercased() != "https" && verdict?.code != .insecureRedirect {
                        fatalError("https → \(text) not refused as insecure")
                    }
                    if count >= 10 && verdict == nil { fatalError("10th redirect followed") }
                }
            }
        }
    }
    return 0
}

public import GoModCore
import GoModZip
public import GoSumDB
import GoModVCS
public import GoModPlatform

extension Divergence {
    /// What a mirror serves for one module version: the zip and, when it has one, the `.info`.
    public struct Mirror: Sendable, Hashable {
        /// The zip's bytes (at most `ModuleZip.maxZipFile`).
        public var zip: [UInt8]
        /// The parsed `.info`, nil when the mirror has none (404/410 or no file).
        public var info: Info?

        /// A mirror answer.
        public init(zip: [UInt8], info: Info?) {
            self.zip = zip
            self.info = info
        }
    }

    /// Fetches `<proxy>/<escaped path>/@v/<escaped version>.info` and `.zip`
    /// (https://go.dev/ref/mod#goproxy-protocol) with size caps: ``maxInfoSize`` for the `.info`,
    /// `ModuleZip.maxZipFile` for the zip (cmd/go: `downloaded zip file too large`). `file://`
    /// URLs are read from the file system; other URLs go through `transport` (only `https` and
    /// `http`). A missing `.info` (404, 410, no file) is tolerated; a missing zip is
    /// `DivergenceError.Code.notFound`.
    ///
    /// This is deliberately minimal (one proxy, no GOPROXY list semantics, no go.sum check).
    public static func fetch(_ module: ModuleVersion, proxy: URL,
                             transport: any HTTPTransport) async throws(DivergenceError) -> Mirror {
        let subject = module.description
        let escapedPath: ByteString, escapedVersion: ByteString
        do {
            try Module.check(module)
            escapedPath = try Module.escapePath(module.path)
            escapedVersion = try Module.escapeVersion(module.version)
        } catch {
            throw DivergenceError(.invalidModule, subject: subject, message: error.description)
        }
        guard let scheme = proxy.scheme?.lowercased(), ["file", "https", "http"].contains(scheme) else {
            throw DivergenceError(.fetchFailed, subject: proxy.absoluteString,
                                  message: "invalid proxy URL scheme (must be https, http, file)")
        }
        let relative = String(decoding: escapedPath.bytes, as: UTF8.self) + "/@v/" + String(decoding: escapedVersion.bytes, as: UTF8.self)
        let infoBytes = try await get(proxy, relative + ".info", limit: maxInfoSize, transport: transport, optional: true)
        guard let zip = try await get(proxy, relative + ".zip", limit: Int(ModuleZip.maxZipFile), transport: transport, optional: false) else {
            throw DivergenceError(.notFound, subject: subject, message: "not found")
        }
        let info = try infoBytes.map { data throws(DivergenceError) in
            try Info.parse(data, expectedVersion: module.version, subject: "\(proxy.absoluteString)/\(relative).info")
        }
        return Mirror(zip: zip, info: info)
    }

    /// One GET (or file read) with a cap; nil for a missing optional resource.
    private static func get(_ base: URL, _ relative: String, limit: Int, transport: any HTTPTransport,
                            optional: Bool) async throws(DivergenceError) -> [UInt8]? {
        if base.isFileURL {
            let path = base.path.hasSuffix("/") ? base.path + relative : base.path + "/" + relative
            guard FileManager.default.fileExists(atPath: path) else {
                if optional { return nil }
                throw DivergenceError(.notFound, subject: path, message: "no such file")
            }
            return try readFile(path, limit: limit)
        }
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        // Path-escape each byte outside the unreserved set (escaped module paths are ASCII).
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!/@+".utf8)
        let escaped = percentEncoded(relative, keeping: allowed.contains)
        guard let url = URL(string: text + "/" + escaped) else {
            throw DivergenceError(.fetchFailed, subject: text, message: "cannot build the URL for \(relative)")
        }
        let response: HTTPResponse
        do {
            response = try await transport.get(url, limit: limit)
        } catch let error as HTTPTransportError where error.code == .oversizeResponse {
            throw DivergenceError(.tooLarge, subject: url.absoluteString, message: "larger than \(limit) bytes")
        } catch {
            throw DivergenceError(.fetchFailed, subject: url.absoluteString, message: "\(error)")
        }
        if response.status == 404 || response.status == 410 {
            if optional { return nil }
            throw DivergenceError(.notFound, subject: url.absoluteString, message: "\(response.status) Not Found")
        }
        guard response.status == 200 else {
            throw DivergenceError(.fetchFailed, subject: url.absoluteString, message: "status \(response.status)")
        }
        guard response.body.count <= limit else {
            throw DivergenceError(.tooLarge, subject: url.absoluteString, message: "larger than \(limit) bytes")
        }
        return response.body
    }

    /// Reads a local file with a cap (at most `limit` bytes; one more is an error).
    public static func readFile(_ path: String, limit: Int) throws(DivergenceError) -> [UInt8] {
        switch GoModCore.readFile(path, limit: limit) {
        case .success(let data): return data
        case .failure(.open): throw DivergenceError(.io, subject: path, message: "cannot open")
        case .failure(.read(let error)): throw DivergenceError(.io, subject: path, message: systemMessage(error.code))
        case .failure(.tooLarge): throw DivergenceError(.tooLarge, subject: path, message: "larger than \(limit) bytes")
        }
    }

    /// A repository directory a `ModuleZip.GitSource` can read, for `repository`: a git
    /// repository directory (returned as it is), or a git bundle file, cloned with
    /// ``cloneBundle(_:to:git:)`` into a new temporary directory that is returned as
    /// `temporaryClone` too: the caller removes it when done. A failed clone leaves nothing.
    ///
    /// - Throws: `DivergenceError.Code.io` when nothing exists at `repository`;
    ///   `DivergenceError.Code.upstream` with git's message when the clone fails.
    public static func openRepository(_ repository: String,
                                      git: String = "git") throws(DivergenceError) -> (directory: String, temporaryClone: String?) {
        guard FileManager.default.fileExists(atPath: repository) else {
            throw DivergenceError(.io, subject: repository, message: "no such file or directory")
        }
        if directoryExists(repository) { return (repository, nil) }
        let clone = FileManager.default.temporaryDirectory
            .appendingPathComponent("gomodkit-clone-\(UUID().uuidString)").path
        do {
            try cloneBundle(repository, to: clone, git: git)
        } catch {
            try? FileManager.default.removeItem(atPath: clone)
            throw error
        }
        return (clone, clone)
    }

    /// Clones a git bundle (or any repository git can clone locally) into `directory` as a bare
    /// repository (`git clone --bare --quiet --no-hardlinks -- <bundle> <directory>`), so that a
    /// `ModuleZip.GitSource` can read it. `directory` must not exist or be empty.
    ///
    /// - Throws: `DivergenceError.Code.upstream` with git's message.
    public static func cloneBundle(_ bundle: String, to directory: String, git: String = "git") throws(DivergenceError) {
        let result: GitCommand.Result
        do {
            result = try GitCommand(executable: git).run(["clone", "--bare", "--quiet", "--no-hardlinks", "--", bundle, directory],
                                                         limit: 1 << 20)
        } catch {
            throw DivergenceError(.upstream, subject: bundle, message: error.description, zipError: error)
        }
        guard result.status == 0 else {
            throw DivergenceError(.upstream, subject: bundle, message: "git clone: \(result.stderrText)")
        }
    }
}

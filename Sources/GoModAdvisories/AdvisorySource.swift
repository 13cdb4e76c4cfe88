public import GoSumDB
import GoModCore
import GoModZip
import GoModPlatform

/// Where advisories come from.
///
/// * ``vulnDB(_:)``: the Go vulnerability database layout (https://vuln.go.dev; golang/vulndb
///   `doc/format.md`): `index/modules.json` finds the records, `ID/<id>.json` holds them. The
///   location is a directory, a `file://` URL, an `http://`/`https://` URL (read through the
///   injected `HTTPTransport`), or the database's zip form (`vulndb.zip`) — the forms
///   govulncheck's `-db` and `GOVULNDB` take, plus the zip.
/// * ``osv(_:)``: an OSV tree such as ossf/malicious-packages, laid out
///   `osv/malicious/go/<module path>/<ID>.json` (the repository root, `osv/malicious`, or the
///   `go` directory itself may be given; `osv/withdrawn` is never read), or a flat directory or
///   zip of OSV records (OSV.dev's `Go/all.zip`).
public enum AdvisorySource: Sendable, Hashable, CustomStringConvertible {
    /// A Go vulnerability database.
    case vulnDB(String)
    /// An OSV tree, flat directory or zip.
    case osv(String)

    /// The location.
    public var location: String {
        switch self {
        case .vulnDB(let s), .osv(let s): s
        }
    }

    /// `vulndb <location>` or `osv <location>`.
    public var description: String {
        switch self {
        case .vulnDB(let s): "vulndb \(s)"
        case .osv(let s): "osv \(s)"
        }
    }

    /// The default database, as govulncheck reads it: `GOVULNDB` when set and not empty,
    /// else https://vuln.go.dev.
    public static func defaultVulnDB(environment: [String: String]) -> AdvisorySource {
        if let v = environment["GOVULNDB"], !v.isEmpty { return .vulnDB(v) }
        return .vulnDB("https://vuln.go.dev")
    }
}

/// Reads advisory records for given modules from one ``AdvisorySource``, with bounded reads.
public struct AdvisoryReader: Sendable {
    /// Resource bounds.
    public struct Limits: Sendable, Hashable {
        /// Largest record: ``OSVRecord/maxSize``.
        public var maxRecordSize = OSVRecord.maxSize
        /// Largest `index/modules.json`: 64 MiB (vuln.go.dev's is a few MB).
        public var maxIndexSize = 64 << 20
        /// Most records read from one source in one call: 100,000.
        public var maxRecords = 100_000
        /// Largest zip accepted: 1 GiB.
        public var maxZipSize: Int64 = 1 << 30

        /// The defaults.
        public init() {}
    }

    /// The source.
    public var source: AdvisorySource
    /// The transport for http(s) locations; `nil` refuses them (offline).
    public var transport: (any HTTPTransport)?
    /// The bounds.
    public var limits: Limits

    /// A reader.
    public init(source: AdvisorySource, transport: (any HTTPTransport)? = nil, limits: Limits = Limits()) {
        self.source = source
        self.transport = transport
        self.limits = limits
    }

    /// The records naming any of `modules` in an `affected[].package.name` (withdrawn ones
    /// included; matching ignores them), each once, sorted by id.
    ///
    /// - Throws: ``AdvisoryError`` when the source or a record it names cannot be read or is
    ///   malformed: a source that cannot be read fully is never reported as "no advisories".
    public func records(for modules: Set<String>) async throws(AdvisoryError) -> [OSVRecord] {
        let records: [OSVRecord]
        switch source {
        case .vulnDB(let location): records = try await vulnDBRecords(location, modules)
        case .osv(let location): records = try osvRecords(location, modules)
        }
        var seen = Set<String>()
        return records.filter { r in r.affected.contains { modules.contains($0.package.name) } && seen.insert(r.id).inserted }
            .sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }

    // MARK: - Go vulnerability database

    private enum Location {
        case directory(String)
        case zip(String)
        case http(URL)
    }

    private func classify(_ location: String) throws(AdvisoryError) -> Location {
        if location.hasPrefix("https://") || location.hasPrefix("http://") {
            guard let url = URL(string: location.hasSuffix("/") ? String(location.dropLast()) : location) else {
                throw AdvisoryError(.invalidLocation, source: location, detail: "not a valid URL")
            }
            return .http(url)
        }
        var path = location
        if location.hasPrefix("file://") {
            guard let url = URL(string: location), url.isFileURL, !url.path.isEmpty else {
                throw AdvisoryError(.invalidLocation, source: location, detail: "not a valid file:// URL")
            }
            path = url.path
        } else if location.contains("://") {
            throw AdvisoryError(.invalidLocation, source: location, detail: "want a directory, a zip, or a file://, http:// or https:// URL")
        }
        if directoryExists(path) { return .directory(path) }
        if FileManager.default.fileExists(atPath: path) { return .zip(path) }
        throw AdvisoryError(.unreadableSource, source: location, detail: "no such directory or file")
    }

    private func vulnDBRecords(_ location: String, _ modules: Set<String>) async throws(AdvisoryError) -> [OSVRecord] {
        switch try classify(location) {
        case .directory(let dir):
            let (indexBytes, indexFile) = try readLocalJSON(dir + "/index/modules", limit: limits.maxIndexSize, source: location)
            let index = try Self.parseIndex(indexBytes, origin: indexFile)
            let ids = try selectIDs(index, modules, origin: location)
            return try ids.map { id throws(AdvisoryError) in
                let (bytes, file) = try readLocalJSON(dir + "/ID/" + id, limit: limits.maxRecordSize, source: dir + "/ID/" + id + ".json", oversized: true)
                return try OSVRecord.parse(bytes, origin: file, limit: limits.maxRecordSize)
            }
        case .zip(let path):
            let archive = try openZip(path)
            var byName: [String: ZipArchive.Entry] = [:]
            for e in archive.entries { if let n = e.name.utf8String { byName[n] = e } }
            // index/modules.json at the root, or under one top-level prefix (the shortest such name).
            let indexName = byName.keys.filter { $0 == "index/modules.json" || $0.hasSuffix("/index/modules.json") }
                .min { $0.utf8.count < $1.utf8.count }
            guard let indexName, let indexEntry = byName[indexName] else {
                throw AdvisoryError(.unreadableSource, source: path, detail: "no index/modules.json in the zip")
            }
            let prefix = String(indexName.dropLast("index/modules.json".count))
            let index = try Self.parseIndex(try zipContents(archive, indexEntry, limit: limits.maxIndexSize, origin: path, isIndex: true),
                                            origin: path + ": index/modules.json")
            let ids = try selectIDs(index, modules, origin: path)
            return try ids.map { id throws(AdvisoryError) in
                let name = prefix + "ID/" + id + ".json"
                guard let entry = byName[name] else {
                    throw AdvisoryError(.unreadableSource, source: path, detail: "the index names \(id) but \(name) is not in the zip")
                }
                return try OSVRecord.parse(try zipContents(archive, entry, limit: limits.maxRecordSize, origin: path + ": " + name, isIndex: false),
                                           origin: path + ": " + name, limit: limits.maxRecordSize)
            }
        case .http(let base):
            guard let transport else {
                throw AdvisoryError(.unreadableSource, source: location, detail: "offline: no network transport for an http(s) database")
            }
            // govulncheck asks an http(s) database for the gzip form of every endpoint
            // (golang.org/x/vuln internal/client/source.go, httpSource.get: endpoint + ".json.gz").
            let indexURL = base.appendingPathComponent("index").appendingPathComponent("modules.json.gz")
            let index = try Self.parseIndex(try await fetch(indexURL, transport, limit: limits.maxIndexSize, isIndex: true),
                                            origin: indexURL.absoluteString)
            let ids = try selectIDs(index, modules, origin: location)
            var records: [OSVRecord] = []
            let limit = limits.maxRecordSize
            // A few requests at a time, in id order.
            var start = 0
            while start < ids.count {
                let batch = Array(ids[start..<min(start + 8, ids.count)])
                start += batch.count
                let results = await withTaskGroup(of: (Int, Result<OSVRecord, AdvisoryError>).self) { group in
                    for (i, id) in batch.enumerated() {
                        let url = base.appendingPathComponent("ID").appendingPathComponent(id + ".json.gz")
                        group.addTask {
                            do throws(AdvisoryError) {
                                let body = try await Self.fetchStatic(url, transport, limit: limit, isIndex: false)
                                return (i, .success(try OSVRecord.parse(body, origin: url.absoluteString, limit: limit)))
                            } catch {
                                return (i, .failure(error))
                            }
                        }
                    }
                    var out: [(Int, Result<OSVRecord, AdvisoryError>)] = []
                    for await r in group { out.append(r) }
                    return out.sorted { $0.0 < $1.0 }
                }
                for (_, r) in results { records.append(try r.get()) }
            }
            return records
        }
    }

    /// `index/modules.json`: module path → the ids of its records.
    static func parseIndex(_ bytes: [UInt8], origin: String) throws(AdvisoryError) -> [String: [String]] {
        struct Entry: Decodable {
            struct Vuln: Decodable { var id: String }
            var path: String
            var vulns: [Vuln]?
        }
        let entries: [Entry]
        do { entries = try JSONDecoder().decode([Entry].self, from: Data(bytes)) } catch {
            throw AdvisoryError(.malformedIndex, source: origin, detail: describeDecoding(error))
        }
        var index: [String: [String]] = [:]
        for e in entries { index[e.path, default: []] += (e.vulns ?? []).map(\.id) }
        return index
    }

    private func selectIDs(_ index: [String: [String]], _ modules: Set<String>, origin: String) throws(AdvisoryError) -> [String] {
        var ids = Set<String>()
        for m in modules { for id in index[m] ?? [] { ids.insert(id) } }
        for id in ids where !OSVRecord.isValidID(id) {
            throw AdvisoryError(.malformedIndex, source: origin, detail: "index names \(quoted(id)), not an advisory id")
        }
        guard ids.count <= limits.maxRecords else {
            throw AdvisoryError(.tooManyRecords, source: origin, detail: "\(ids.count) records, more than \(limits.maxRecords)")
        }
        return ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func fetch(_ url: URL, _ transport: any HTTPTransport, limit: Int, isIndex: Bool) async throws(AdvisoryError) -> [UInt8] {
        try await Self.fetchStatic(url, transport, limit: limit, isIndex: isIndex)
    }

    private static func fetchStatic(_ url: URL, _ transport: any HTTPTransport, limit: Int, isIndex: Bool) async throws(AdvisoryError) -> [UInt8] {
        let response: HTTPResponse
        do { response = try await transport.get(url, limit: limit) } catch let error as HTTPTransportError where error.code == .oversizeResponse {
            throw AdvisoryError(isIndex ? .malformedIndex : .oversizedRecord, source: url.absoluteString, detail: "more than \(limit) bytes")
        } catch {
            throw AdvisoryError(.unreadableSource, source: url.absoluteString, detail: "\(error)")
        }
        guard response.status == 200 else {
            throw AdvisoryError(.unreadableSource, source: url.absoluteString, detail: "HTTP status \(response.status)")
        }
        return try gunzipped(response.body, limit: limit, origin: url.absoluteString, isIndex: isIndex)
    }

    /// The content of a `.json.gz` endpoint, at most `limit` bytes.
    private static func gunzipped(_ bytes: [UInt8], limit: Int, origin: String, isIndex: Bool) throws(AdvisoryError) -> [UInt8] {
        do { return try gunzip(bytes, limit: limit, name: origin) } catch {
            if error.code == .entryTooLarge || error.code == .sizeMismatch {
                throw AdvisoryError(isIndex ? .malformedIndex : .oversizedRecord, source: origin, detail: "more than \(limit) bytes")
            }
            throw AdvisoryError(isIndex ? .malformedIndex : .malformedRecord, source: origin, detail: error.detail)
        }
    }

    /// `<base>.json`, else `<base>.json.gz` (a database tree may hold either form), and the
    /// name of the file read.
    private func readLocalJSON(_ base: String, limit: Int, source: String, oversized: Bool = false) throws(AdvisoryError) -> ([UInt8], String) {
        if !FileManager.default.fileExists(atPath: base + ".json"), FileManager.default.fileExists(atPath: base + ".json.gz") {
            let file = base + ".json.gz"
            // Compressed JSON is smaller than its content: the content's limit bounds the file too.
            let bytes = try readLocal(file, limit: limit, source: file, oversized: oversized)
            return (try Self.gunzipped(bytes, limit: limit, origin: file, isIndex: !oversized), file)
        }
        return (try readLocal(base + ".json", limit: limit, source: source, oversized: oversized), base + ".json")
    }

    private func readLocal(_ path: String, limit: Int, source: String, oversized: Bool = false) throws(AdvisoryError) -> [UInt8] {
        switch readFile(path, limit: limit) {
        case .success(let bytes): return bytes
        case .failure(.tooLarge):
            throw AdvisoryError(oversized ? .oversizedRecord : .malformedIndex, source: path, detail: "more than \(limit) bytes")
        case .failure(.open(let e)): throw AdvisoryError(.unreadableSource, source: path, detail: systemMessage(e.code))
        case .failure(.read(let e)): throw AdvisoryError(.unreadableSource, source: path, detail: systemMessage(e.code))
        }
    }

    private func openZip(_ path: String) throws(AdvisoryError) -> ZipArchive {
        var zipLimits = ZipArchive.Limits.goModuleZip
        zipLimits.maxArchiveSize = limits.maxZipSize
        zipLimits.maxEntrySize = Int64(max(limits.maxIndexSize, limits.maxRecordSize))
        zipLimits.maxTotalUncompressedSize = 8 * limits.maxZipSize
        zipLimits.maxContentsSize = Int64(max(limits.maxIndexSize, limits.maxRecordSize))
        zipLimits.maxEntries = limits.maxRecords + 16
        do { return try ZipArchive(path: path, mode: .goCompatible, limits: zipLimits) } catch {
            throw AdvisoryError(.unreadableSource, source: path, detail: "\(error)")
        }
    }

    private func zipContents(_ archive: ZipArchive, _ entry: ZipArchive.Entry, limit: Int, origin: String, isIndex: Bool) throws(AdvisoryError) -> [UInt8] {
        guard entry.uncompressedSize <= Int64(limit) else {
            throw AdvisoryError(isIndex ? .malformedIndex : .oversizedRecord, source: origin, detail: "\(entry.uncompressedSize) bytes, more than \(limit)")
        }
        do { return try archive.contents(of: entry) } catch {
            throw AdvisoryError(.unreadableSource, source: origin, detail: "\(error)")
        }
    }

    // MARK: - OSV trees

    private func osvRecords(_ location: String, _ modules: Set<String>) throws(AdvisoryError) -> [OSVRecord] {
        var path = location
        if location.hasPrefix("file://") {
            guard let url = URL(string: location), url.isFileURL else {
                throw AdvisoryError(.invalidLocation, source: location, detail: "not a valid file:// URL")
            }
            path = url.path
        } else if location.contains("://") {
            throw AdvisoryError(.invalidLocation, source: location, detail: "an OSV source is a local directory or zip")
        }
        guard directoryExists(path) else {
            guard FileManager.default.fileExists(atPath: path) else {
                throw AdvisoryError(.unreadableSource, source: location, detail: "no such directory or file")
            }
            return try osvZip(path, modules)
        }
        // The Go ecosystem directory of an ossf/malicious-packages checkout, at any of its levels.
        for sub in ["osv/malicious/go", "malicious/go", "go"] where directoryExists(path + "/" + sub) {
            return try osvTree(path + "/" + sub, modules, origin: location)
        }
        let top = try listDirectory(path, origin: location)
        if top.contains(where: { $0.hasSuffix(".json") }) {
            // A flat directory of OSV records: read them all.
            let files = top.filter { $0.hasSuffix(".json") }.sortedByBytes()
            guard files.count <= limits.maxRecords else {
                throw AdvisoryError(.tooManyRecords, source: location, detail: "\(files.count) files, more than \(limits.maxRecords)")
            }
            return try files.map { f throws(AdvisoryError) in
                let file = path + "/" + f
                return try OSVRecord.parse(try readLocal(file, limit: limits.maxRecordSize, source: file, oversized: true),
                                           origin: file, limit: limits.maxRecordSize)
            }
        }
        return try osvTree(path, modules, origin: location)
    }

    /// `<goDir>/<module path>/*.json` for each module.
    private func osvTree(_ goDir: String, _ modules: Set<String>, origin: String) throws(AdvisoryError) -> [OSVRecord] {
        var records: [OSVRecord] = []
        for module in modules.sortedByBytes() where Self.isSafeRelativePath(module) {
            let dir = goDir + "/" + module
            guard directoryExists(dir) else { continue }
            let files = try listDirectory(dir, origin: origin).filter { $0.hasSuffix(".json") }.sortedByBytes()
            guard records.count + files.count <= limits.maxRecords else {
                throw AdvisoryError(.tooManyRecords, source: origin, detail: "more than \(limits.maxRecords) records")
            }
            for f in files {
                let file = dir + "/" + f
                if directoryExists(file) { continue }
                records.append(try OSVRecord.parse(try readLocal(file, limit: limits.maxRecordSize, source: file, oversized: true),
                                                   origin: file, limit: limits.maxRecordSize))
            }
        }
        return records
    }

    private func osvZip(_ path: String, _ modules: Set<String>) throws(AdvisoryError) -> [OSVRecord] {
        let archive = try openZip(path)
        var records: [OSVRecord] = []
        for e in archive.entries where !e.isDirectory {
            guard let name = e.name.utf8String, name.hasSuffix(".json") else { continue }
            // In an ossf/malicious-packages zip, only the malicious tree (never osv/withdrawn).
            if name.contains("/withdrawn/") || name.hasPrefix("withdrawn/") { continue }
            let origin = path + ": " + name
            records.append(try OSVRecord.parse(try zipContents(archive, e, limit: limits.maxRecordSize, origin: origin, isIndex: false),
                                               origin: origin, limit: limits.maxRecordSize))
        }
        return records
    }

    private func listDirectory(_ dir: String, origin: String) throws(AdvisoryError) -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
            throw AdvisoryError(.unreadableSource, source: dir, detail: "cannot list the directory")
        }
    }

    /// A module path usable as a relative path: no empty, `.` or `..` element, no leading `/`,
    /// no NUL or backslash.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.utf8.contains(0), !path.contains("\\") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}

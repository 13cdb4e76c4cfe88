// Names from before the layers were cut (Docs/migration.md, "Renamed"), kept for code that
// imports the umbrella: each forwards to the new spelling and is deprecated with a fix-it.
// Nothing inside the package uses them.

/// Renamed `Module` (Go's package `module`; the old name sat beside `GoMod`).
@available(*, deprecated, renamed: "Module")
public typealias GoModule = Module

extension Module {
    /// Renamed `ModuleVersion`: the one "module at a version" type.
    @available(*, deprecated, renamed: "ModuleVersion")
    public typealias Version = ModuleVersion

    /// Renamed `Module.check(_:)`.
    @available(*, deprecated, renamed: "check(_:)")
    public static func check(path: ByteString, version: ByteString) throws(ModulePathError) {
        try check(ModuleVersion(path: path, version: version))
    }
}

extension DirHash {
    /// Replaced by `ZipArchive.Mode`: one mode for reading and hashing a zip.
    @available(*, deprecated, renamed: "ZipArchive.Mode")
    public typealias ZipMode = ZipArchive.Mode
}

extension ZipArchive.Mode {
    /// Renamed `ZipArchive.Mode.goCompatible`.
    @available(*, deprecated, renamed: "goCompatible")
    public static var lenient: ZipArchive.Mode { .goCompatible }
}

extension ProjectAudit {
    /// Renamed `ProjectAudit.UpstreamRepository` (the other `GitSource` is
    /// `ModuleZip.GitSource`, a commit to build a zip from).
    @available(*, deprecated, renamed: "UpstreamRepository")
    public typealias GitSource = UpstreamRepository
}

extension GoSum.Record {
    /// Renamed `GoSum.Record.init(_:hash:line:)`.
    @available(*, deprecated, renamed: "init(_:hash:line:)")
    public init(path: ByteString, version: ByteString, hash: ByteString, line: Int = 0) {
        self.init(ModuleVersion(path: path, version: version), hash: hash, line: line)
    }
}

extension GoMod.RequirementSpec {
    /// Renamed `GoMod.RequirementSpec.init(_:isIndirect:)`.
    @available(*, deprecated, renamed: "init(_:isIndirect:)")
    public init(path: ByteString, version: ByteString, isIndirect: Bool = false) {
        self.init(ModuleVersion(path: path, version: version), isIndirect: isIndirect)
    }
}

extension GoMod {
    /// Renamed `GoMod.addRequire(_:)`.
    @available(*, deprecated, renamed: "addRequire(_:)")
    public mutating func addRequire(path: ByteString, version: ByteString) throws(ModFileError) {
        try addRequire(ModuleVersion(path: path, version: version))
    }

    /// Renamed `GoMod.addExclude(_:)`.
    @available(*, deprecated, renamed: "addExclude(_:)")
    public mutating func addExclude(path: ByteString, version: ByteString) throws(ModFileError) {
        try addExclude(ModuleVersion(path: path, version: version))
    }

    /// Renamed `GoMod.dropExclude(_:)`.
    @available(*, deprecated, renamed: "dropExclude(_:)")
    public mutating func dropExclude(path: ByteString, version: ByteString) throws(ModFileError) {
        try dropExclude(ModuleVersion(path: path, version: version))
    }
}

extension ChecksumDatabase {
    /// Renamed `ChecksumDatabase.lookup(_:)`.
    @available(*, deprecated, renamed: "lookup(_:)")
    public func lookup(path: ByteString, version: ByteString) async throws -> ChecksumDatabaseLookup {
        try await lookup(ModuleVersion(path: path, version: version))
    }

    /// Renamed `ChecksumDatabase.proofBundle(_:)`.
    @available(*, deprecated, renamed: "proofBundle(_:)")
    public func proofBundle(path: ByteString, version: ByteString) async throws -> TLogProofBundle {
        try await proofBundle(ModuleVersion(path: path, version: version))
    }
}

extension ModuleProxyClient {
    /// Renamed `ModuleProxyClient.info(_:)`.
    @available(*, deprecated, renamed: "info(_:)")
    public func info(path: ByteString, version: ByteString) async throws(ModuleProxyError) -> ModuleInfo {
        try await info(ModuleVersion(path: path, version: version))
    }

    /// Renamed `ModuleProxyClient.goMod(_:)`.
    @available(*, deprecated, renamed: "goMod(_:)")
    public func goMod(path: ByteString, version: ByteString) async throws(ModuleProxyError) -> [UInt8] {
        try await goMod(ModuleVersion(path: path, version: version))
    }

    /// Renamed `ModuleProxyClient.zip(_:limit:)`.
    @available(*, deprecated, renamed: "zip(_:limit:)")
    public func zip(path: ByteString, version: ByteString,
                    limit: Int = ModuleProxyClient.maxZipResponse) async throws(ModuleProxyError) -> [UInt8] {
        try await zip(ModuleVersion(path: path, version: version), limit: limit)
    }
}

extension DownloadedModule {
    /// Renamed `DownloadedModule.goErrorJSON(_:query:error:)`.
    @available(*, deprecated, renamed: "goErrorJSON(_:query:error:)")
    public static func goErrorJSON(path: ByteString, version: ByteString, query: ByteString? = nil,
                                   error: String) -> [UInt8] {
        goErrorJSON(ModuleVersion(path: path, version: version), query: query, error: error)
    }
}

public import GoModCore

/// Where the `direct` entry of `GOPROXY` (and a path matching `GONOPROXY`/`GOPRIVATE`) fetches
/// from: the module's version-control repository, as cmd/go's `modfetch.lookupDirect` does.
///
/// GoModFetch sits below the layers that resolve repositories and run git (GoModOrigin,
/// GoModVCS), so it only declares what it needs; GoModOrigin's `DirectModuleFetcher` implements
/// it and the caller hands it to ``ModuleProxyClient/init(configuration:transport:direct:)``.
/// Without one, reaching `direct` is `ModuleProxyError.Code.directUnsupported`.
///
/// The three requests are cmd/go's `codeRepo.Stat`, `GoMod` and `Zip`; an implementation is
/// expected to do the repository work once per version and answer the three from it. Failures
/// are `ModuleProxyError.Code.directFailed` with cmd/go's message (the module is added by
/// the caller).
public protocol DirectModuleSource: Sendable {
    /// The `.info` of a canonical version as cmd/go writes it in direct mode: `Version`, `Time`
    /// (the commit time) and `Origin`, compact JSON (``ModuleInfo/raw``).
    func info(_ module: ModuleVersion) async throws(ModuleProxyError) -> ModuleInfo
    /// The go.mod cmd/go serves for the version (the raw blob, or a synthesized `module` line
    /// for a module without one).
    func goMod(_ module: ModuleVersion) async throws(ModuleProxyError) -> [UInt8]
    /// Writes the version's module zip to the file at `path` (replacing it) and returns its size.
    func zip(_ module: ModuleVersion, toFile path: String) async throws(ModuleProxyError) -> Int
}

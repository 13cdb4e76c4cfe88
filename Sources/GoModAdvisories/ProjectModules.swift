public import GoModCore
public import GoModFetch

/// The module versions of a project that a module-level scan checks, like `go list -m all`
/// feeds `govulncheck -scan module`: the build list from go.mod files in the module cache,
/// with `replace` applied (a module replaced by another version is scanned as that version; a
/// local directory replacement is skipped), and the Go version for the standard library.
public struct ProjectModules: Sendable, Hashable {
    /// The modules, sorted by path; the main module is not included.
    public var modules: [ModuleVersion]
    /// The Go release for `stdlib`: the `toolchain` directive, else `go` + the `go` directive
    /// (`go1.21`), as a Go release tag; `nil` when go.mod names neither.
    public var goVersion: String?
    /// Whether ``modules`` is the full build list (`false`: go.mod's requirements only, because
    /// the module cache lacked a dependency's go.mod).
    public var isBuildList: Bool
    /// Why ``isBuildList`` is `false`.
    public var note: String?

    /// Reads the project in `directory`; `cache` supplies dependencies' go.mod files.
    ///
    /// - Throws: `ModuleCacheError` `.graph` when go.mod is missing or does not parse.
    public static func load(project directory: String, cache: ModuleCache?) throws(ModuleCacheError) -> ProjectModules {
        let goModPath = directory + "/go.mod"
        guard let data = readSmallFile(goModPath, limit: 16 << 20) else {
            throw ModuleCacheError(.graph, "go.mod file not found in \(directory)")
        }
        let goMod: GoMod
        do { goMod = try GoMod.parse(data, fileName: goModPath) } catch {
            throw ModuleCacheError(.graph, "\(error)")
        }
        var modules: [ModuleVersion]
        var isBuildList = false
        var note: String?
        if let cache {
            do throws(ModuleCacheError) {
                modules = try ModuleBuildList.load(project: directory, cache: cache).modules
                isBuildList = true
            } catch {
                modules = goMod.requirements.map(\.module)
                note = "build list from go.mod's requirements only: \(error.message)"
            }
        } else {
            modules = goMod.requirements.map(\.module)
            note = "build list from go.mod's requirements only: no module cache"
        }
        var exact: [ModuleVersion: ModuleVersion] = [:]
        var wildcard: [ByteString: ModuleVersion] = [:]
        for r in goMod.replacements {
            if r.old.version.isEmpty { wildcard[r.old.path] = r.new } else { exact[r.old] = r.new }
        }
        var seen = Set<ModuleVersion>()
        modules = modules.compactMap { m -> ModuleVersion? in
            guard let r = exact[m] ?? wildcard[m.path] else { return m }
            return r.version.isEmpty ? nil : r
        }.filter { seen.insert($0).inserted }.sorted { $0.path < $1.path || ($0.path == $1.path && Semver.compare($0.version, $1.version) < 0) }
        var goVersion: String?
        if let t = goMod.toolchain?.utf8String, t.hasPrefix("go") { goVersion = t }
        else if let g = goMod.goVersion?.utf8String { goVersion = "go" + g }
        return ProjectModules(modules: modules, goVersion: goVersion, isBuildList: isBuildList, note: note)
    }
}

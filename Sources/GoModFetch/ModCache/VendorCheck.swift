import GoModZip
public import GoModCore
import GoModPlatform

/// Checks a project's `vendor/` tree: `vendor/modules.txt` against go.mod (cmd/go's
/// `modload.checkVendorConsistency`, same messages) and — what cmd/go never checks — every
/// vendored file against the module zip whose `h1:` go.sum records.
public enum VendorCheck {
    /// One `# path version [=> replacement]` block of `vendor/modules.txt` (cmd/go's `vendorMetadata`).
    public struct Entry: Sendable, Hashable {
        /// The module (version empty for a `# path => dir` wildcard replacement line).
        public var module: ModuleVersion
        /// `## explicit`.
        public var explicit: Bool
        /// The replacement, if the header has `=> new [version]`.
        public var replacement: ModuleVersion?
        /// The packages listed under the header.
        public var packages: [ByteString]
    }

    /// Parses `vendor/modules.txt` as cmd/go's `readVendorList` does (unknown lines ignored).
    public static func parseModulesTxt(_ data: [UInt8]) -> [Entry] {
        var entries: [Entry] = []
        var current: Int?
        for rawLine in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = String(decoding: rawLine, as: UTF8.self)
            if line.hasPrefix("# ") {
                var f = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map { ByteString(String($0)) }
                current = nil
                guard f.count >= 3 else { continue }
                var entry: Entry
                if Semver.isValid(f[2]) {
                    entry = Entry(module: ModuleVersion(path: f[1], version: f[2]), explicit: false, packages: [])
                    f.removeFirst(3)
                } else if f[2] == "=>" {
                    entry = Entry(module: ModuleVersion(path: f[1], version: ""), explicit: false, packages: [])
                    f.removeFirst(2)
                } else {
                    continue
                }
                if f.count >= 2 && f[0] == "=>" {
                    if f.count == 2 { entry.replacement = ModuleVersion(path: f[1], version: "") }
                    else if f.count == 3 && Semver.isValid(f[2]) { entry.replacement = ModuleVersion(path: f[1], version: f[2]) }
                }
                if let i = entries.firstIndex(where: { $0.module == entry.module }) {
                    if entry.replacement != nil { entries[i].replacement = entry.replacement }
                    current = i
                } else {
                    entries.append(entry)
                    current = entries.count - 1
                }
                continue
            }
            guard let i = current else { continue }
            if line.hasPrefix("## ") {
                for part in line.dropFirst(3).split(separator: ";") where part.trimmingSpace() == "explicit" {
                    entries[i].explicit = true
                }
                continue
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.count == 1, (try? Module.checkImportPath(ByteString(String(fields[0])))) != nil {
                entries[i].packages.append(ByteString(String(fields[0])))
            }
        }
        return entries
    }

    /// `modules.txt` consistency with go.mod: cmd/go's `inconsistent vendoring` error text
    /// (without `go: `), or `nil` when consistent.
    public static func consistencyError(goMod: GoMod, entries: [Entry], projectDirectory: String) -> String? {
        var lines: [String] = []
        func describe(_ m: ModuleVersion) -> String { m.version.isEmpty ? "\(plain(m.path))" : "\(plain(m.path))@\(plain(m.version))" }
        func add(_ m: ModuleVersion, _ detail: String) { lines.append("\n\t\(describe(m)): \(detail)") }
        let pre114 = Semver.compare("v" + (goMod.goVersion ?? "1.11"), "v1.14") < 0
        var meta: [ModuleVersion: Entry] = [:]
        for e in entries { meta[e.module] = e }
        // vendorVersion: the version of modules with packages.
        var vendorVersion: [ByteString: ByteString] = [:]
        var vendorList: [Entry] = []
        for e in entries where !e.packages.isEmpty && !e.module.version.isEmpty {
            if let v = vendorVersion[e.module.path], Semver.compare(v, e.module.version) >= 0 { continue }
            vendorList.append(e)
            vendorVersion[e.module.path] = e.module.version
        }
        for r in goMod.requirements where !(meta[r.module]?.explicit ?? false) {
            if pre114 {
                if let vv = vendorVersion[r.module.path], vv != r.module.version {
                    add(r.module, "is explicitly required in go.mod, but vendor/modules.txt indicates \(plain(r.module.path))@\(plain(vv))")
                }
            } else {
                add(r.module, "is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt")
            }
        }
        var seen = Set<ModuleVersion>()
        for r in goMod.replacements where seen.insert(r.old).inserted {
            let vr = meta[r.old]?.replacement
            let canonical = r.new
            if vr == nil {
                if pre114 && (r.old.version.isEmpty || vendorVersion[r.old.path] != r.old.version) { continue }
                add(r.old, "is replaced in go.mod, but not marked as replaced in vendor/modules.txt")
            } else if let vr, vr != canonical {
                add(r.old, "is replaced by \(describe(r.new)) in go.mod, but marked as replaced by \(describe(vr)) in vendor/modules.txt")
            }
        }
        let required = Set(goMod.requirements.map(\.module))
        for e in vendorList where e.explicit && !required.contains(e.module) {
            add(e.module, "is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod")
        }
        let replaced = goMod.replacements
        for e in entries where e.replacement != nil {
            let has = replaced.contains { $0.old == e.module || ($0.old.version.isEmpty && $0.old.path == e.module.path) }
            if !has { add(e.module, "is marked as replaced in vendor/modules.txt, but not replaced in go.mod") }
        }
        guard !lines.isEmpty else { return nil }
        return "inconsistent vendoring in \(projectDirectory):" + lines.joined()
            + "\n\n\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n\tTo sync the vendor directory, run:\n\t\tgo mod vendor"
    }

    /// Checks `project/vendor`: consistency, then every vendored file against the zip (in
    /// `cache`) of the module that provides it, after checking that zip's `h1:` against go.sum.
    public static func check(project: String, cache: ModuleCache) throws(ModuleCacheError) -> (errors: [ModuleCacheError], filesChecked: Int) {
        let vendor = project + "/vendor"
        guard let txt = readSmallFile(vendor + "/modules.txt", limit: 64 << 20) else {
            throw ModuleCacheError(.vendorUnverifiable, "open \(vendor)/modules.txt: no such file or directory")
        }
        guard let goModData = readSmallFile(project + "/go.mod", limit: 64 << 20) else {
            throw ModuleCacheError(.graph, "go.mod file not found in \(project)")
        }
        let goMod: GoMod
        do { goMod = try GoMod.parse(goModData, fileName: project + "/go.mod") } catch { throw ModuleCacheError(.graph, "\(error)") }
        let goSum = readSmallFile(project + "/go.sum", limit: 64 << 20).flatMap { try? GoSum(parsing: $0, fileName: project + "/go.sum", mode: .go) }
        let entries = parseModulesTxt(txt)
        var errors: [ModuleCacheError] = []
        if let text = consistencyError(goMod: goMod, entries: entries, projectDirectory: project) {
            errors.append(ModuleCacheError(.vendorInconsistent, text))
        }
        // Files, grouped by the module providing them (longest module path prefix).
        let modules = entries.filter { !$0.module.version.isEmpty }
        var files: [Int: [(rel: String, full: String)]] = [:]
        var items: [String] = []
        walkTree(vendor) { item, _ in items.append(item) }
        var checked = 0
        for item in items {
            let full = vendor + "/" + item
            if item == "modules.txt" || isDirectory(full) { continue }
            let itemBytes = ByteString(item)
            var best: Int?
            for (i, e) in modules.enumerated() {
                let p = e.module.path
                if itemBytes.hasPrefix(p + "/") && (best.map { modules[$0].module.path.count < p.count } ?? true) { best = i }
            }
            guard let owner = best else {
                errors.append(ModuleCacheError(.vendorFileModified, "vendor/\(item): not provided by any module listed in vendor/modules.txt"))
                continue
            }
            files[owner, default: []].append((String(item.dropFirst(modules[owner].module.path.count + 1)), full))
        }
        for (index, list) in files.sorted(by: { $0.key < $1.key }) {
            let entry = modules[index]
            let source = entry.replacement ?? entry.module
            if source.version.isEmpty {
                // Local directory replacement: compare with that directory.
                let base = source.path.utf8String.map { $0.hasPrefix("/") ? $0 : project + "/" + $0 } ?? ""
                for f in list {
                    checked += 1
                    let a = readSmallFile(f.full, limit: Int(ModuleZip.maxZipFile)), b = readSmallFile(base + "/" + f.rel, limit: Int(ModuleZip.maxZipFile))
                    if a == nil || a != b {
                        errors.append(ModuleCacheError(.vendorFileModified, module: entry.module,
                            "vendor/\(plain(entry.module.path))/\(f.rel): differs from \(base)/\(f.rel) (replacement directory)"))
                    }
                }
                continue
            }
            let head = "\(plain(source.path))@\(plain(source.version))"
            guard let zipPath = try? cache.cachePath(source, "zip"), fileExists(zipPath) else {
                errors.append(ModuleCacheError(.vendorUnverifiable, module: source, "\(head): zip not in the module cache; run gomodkit download \(head)"))
                continue
            }
            let archive: ZipArchive
            let h: DirHash
            do {
                archive = try ZipArchive(path: zipPath)
                h = try DirHash.hashZip(archive)
            } catch {
                errors.append(ModuleCacheError(.vendorUnverifiable, module: source, "\(head): \(error)"))
                continue
            }
            switch goSum?.check(source, hash: h) ?? .notPresent {
            case .match: break
            case .mismatch(let recorded, _):
                errors.append(ModuleCacheError(.vendorFileModified, module: source,
                    "\(head): the cached zip has \(h) but go.sum records \(plain(recorded)); vendored files not checked"))
                continue
            case .notPresent, .unverifiable:
                errors.append(ModuleCacheError(.vendorUnverifiable, module: source, "\(head): missing go.sum entry; vendored files not checked"))
                continue
            }
            var byName: [ByteString: ZipArchive.Entry] = [:]
            for e in archive.entries { byName[e.name] = e }
            for f in list {
                checked += 1
                let name = ByteString(head + "/" + f.rel)
                guard let ze = byName[name] else {
                    errors.append(ModuleCacheError(.vendorFileModified, module: source, "vendor/\(plain(entry.module.path))/\(f.rel): not in \(head)"))
                    continue
                }
                let vendored = readSmallFile(f.full, limit: Int(ModuleZip.maxZipFile))
                let original = try? archive.contents(of: ze)
                if vendored == nil || vendored != original {
                    errors.append(ModuleCacheError(.vendorFileModified, module: source,
                        "vendor/\(plain(entry.module.path))/\(f.rel): differs from \(head) (go.sum \(h))"))
                }
            }
        }
        return (errors, checked)
    }
}

import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit caps`: what a module's packages can do, with Capslock's capability names, at
/// import level (thin over ``Capabilities``); with `--against`, what a version gained.
struct CapsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caps",
        abstract: "List a module's capabilities per package (Capslock names), or what one version gains over another.",
        discussion: """
            The module is a zip (--zip), a directory (--dir) or path@version from the module \
            cache. Capabilities come from each package's imports (Capslock's standard-library \
            table), import "C" (CGO), assembly files and //go:linkname (ARBITRARY_EXECUTION) \
            and unsafe.Pointer (UNSAFE_POINTER); "init" marks a package-level func init(). \
            --against takes the older version: a zip, a directory, or a version of the same \
            module in the module cache. Exit status: 0, or 1 when --against is given and the \
            module gained a capability or an init function; 2 bad usage or unreadable input.
            """)

    @Argument(help: "path@version of a module in the module cache.")
    var module: String?

    @Option(help: "A module zip.")
    var zip: String?

    @Option(help: "A module directory.")
    var dir: String?

    @Option(help: "The version to compare with: a zip, a directory, or a version in the module cache.")
    var against: String?

    @OptionGroup var modcache: ModuleCacheOption

    @Flag(help: "Print JSON (capabilityInfo records as Capslock's -output=json names them).")
    var json = false

    func validate() throws {
        let given = [module != nil, zip != nil, dir != nil].filter { $0 }.count
        if given != 1 { throw ValidationError("give exactly one of path@version, --zip and --dir") }
    }

    func run() async throws {
        let cache = try modcache.cache()
        let report = try load(module: module, zip: zip, dir: dir, cache: cache)
        guard let against else {
            if json { try Terminal.json(CapslockJSON(report)) } else { print(renderList(report), terminator: "") }
            return
        }
        let base: Capabilities.Report
        if directoryExists(against) {
            base = try load(module: nil, zip: nil, dir: against, cache: cache)
        } else if FileManager.default.fileExists(atPath: against) {
            base = try load(module: nil, zip: against, dir: nil, cache: cache)
        } else {
            guard let path = report.module else {
                throw CLIFailure.input("--against \(terminalSafe(against)): no such file or directory (a version needs a module path)")
            }
            base = try load(module: path + "@" + against, zip: nil, dir: nil, cache: cache)
        }
        let changes = Capabilities.diff(old: base, new: report)
        if json {
            try Terminal.json(DiffJSON(old: base, new: report, changes: changes))
        } else {
            print(renderDiff(base, report, changes), terminator: "")
        }
        if changes.contains(where: { !$0.added.isEmpty }) { throw CLIFailure.verification("") }
    }

    private func load(module: String?, zip: String?, dir: String?, cache: ModuleCache?) throws -> Capabilities.Report {
        do {
            if let zip { return try Capabilities.analyze(zip: try readInputFile(zip, limit: Int(ModuleZip.maxZipFile)), subject: zip) }
            if let dir {
                guard directoryExists(dir) else { throw CLIFailure.input("\(terminalSafe(dir)): not a directory") }
                return try Capabilities.analyze(directory: dir)
            }
            guard let module, let at = module.firstIndex(of: "@") else { throw CLIFailure.input("want path@version") }
            let mv: ModuleVersion
            do { mv = try ModuleVersion(String(module[..<at]), String(module[module.index(after: at)...])) } catch {
                throw CLIFailure.input("\(terminalSafe(module)): \(error)")
            }
            guard let cache, let path = try? cache.cachePath(mv, "zip"), FileManager.default.fileExists(atPath: path) else {
                throw CLIFailure.input("\(terminalSafe(module)): not in the module cache; run go mod download or gomodkit download first")
            }
            return try Capabilities.analyze(zip: try readInputFile(path, limit: Int(ModuleZip.maxZipFile)), subject: path)
        } catch let error as DivergenceError {
            throw CLIFailure.input(terminalSafe(error.description))
        }
    }

    private func packageName(_ report: Capabilities.Report, _ dir: String) -> String {
        let root = report.module ?? "."
        return dir.isEmpty ? root : root + "/" + dir
    }

    func renderList(_ report: Capabilities.Report) -> String {
        var out = ""
        for p in report.packages {
            out += "\(terminalSafe(packageName(report, p.directory))): \(p.capabilities.isEmpty ? "SAFE (no capability found)" : p.capabilities.joined(separator: ", "))\n"
            for cap in p.capabilities {
                out += "    \(cap): \(terminalSafe((p.reasons[cap] ?? []).map(\.description).joined(separator: "; ")))\n"
            }
        }
        if report.packages.isEmpty { out += "no Go packages\n" }
        return out
    }

    func renderDiff(_ old: Capabilities.Report, _ new: Capabilities.Report, _ changes: [Capabilities.PackageChange]) -> String {
        var out = ""
        let from = old.version ?? "older", to = new.version ?? "newer"
        for c in changes {
            var words: [String] = c.added.map { "+" + $0 } + c.removed.map { "-" + $0 }
            if c.isNewPackage { words.append("(new package)") }
            if c.isRemovedPackage { words.append("(package removed)") }
            out += "\(terminalSafe(packageName(new, c.directory))): \(words.joined(separator: " "))\n"
            for cap in c.added { out += "    \(cap): \(terminalSafe((c.reasons[cap] ?? []).map(\.description).joined(separator: "; ")))\n" }
        }
        let gained = changes.contains { !$0.added.isEmpty }
        out += gained ? "\(terminalSafe(to)) gains capabilities over \(terminalSafe(from))\n"
            : "no capability gained from \(terminalSafe(from)) to \(terminalSafe(to))\n"
        return out
    }

    /// Capslock's `-output=json` shape (protojson names): `capabilityInfo`, `moduleInfo`,
    /// `packageInfo`; the `init` marker is not a Capslock capability and is left out.
    struct CapslockJSON: Encodable {
        struct Info: Encodable {
            var packageName: String
            var capabilityName: String
            var capability: String
            var depPath: String
            var packageDir: String
            var capabilityType = "CAPABILITY_TYPE_DIRECT"
        }
        struct Module: Encodable { var path: String; var version: String? }
        struct PackageInfo: Encodable { var path: String }
        var capabilityInfo: [Info] = []
        var moduleInfo: [Module] = []
        var packageInfo: [PackageInfo] = []

        init(_ report: Capabilities.Report) {
            let root = report.module ?? "."
            if let m = report.module { moduleInfo = [Module(path: m, version: report.version)] }
            for p in report.packages {
                let name = p.directory.isEmpty ? root : root + "/" + p.directory
                packageInfo.append(PackageInfo(path: name))
                for cap in p.capabilities {
                    guard let e = Capabilities.enumName(cap) else { continue }
                    capabilityInfo.append(Info(packageName: name, capabilityName: cap, capability: e, depPath: name, packageDir: p.directory))
                }
            }
        }
    }

    struct DiffJSON: Encodable {
        struct Change: Encodable {
            var packageName: String
            var newPackage: Bool
            var removedPackage: Bool
            var added: [String]
            var removed: [String]
            var reasons: [String: [String]]
        }
        var module: String?
        var oldVersion: String?
        var newVersion: String?
        var changes: [Change]

        init(old: Capabilities.Report, new: Capabilities.Report, changes: [Capabilities.PackageChange]) {
            module = new.module ?? old.module
            oldVersion = old.version
            newVersion = new.version
            let root = module ?? "."
            self.changes = changes.map {
                Change(packageName: $0.directory.isEmpty ? root : root + "/" + $0.directory, newPackage: $0.isNewPackage,
                       removedPackage: $0.isRemovedPackage, added: $0.added, removed: $0.removed, reasons: $0.reasons.mapValues { $0.map(\.description) })
            }
        }
    }
}

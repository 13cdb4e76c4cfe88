public import GoModCore
import GoModZip
import GoModPlatform

/// What the packages of a module can do, named with Capslock's capability taxonomy
/// (google/capslock v0.3.2 `proto/capability.proto`, `interesting/interesting.cm`), at import
/// level: without a call graph or a Go toolchain, from a module zip or directory alone.
///
/// Per package (non-test `.go` files of one directory, every build tag): the union over its
/// standard-library imports of the package's Capslock default or, for a package without one,
/// its non-SAFE function overrides (`log` → `MODIFY_SYSTEM_STATE/LOGGING`, `plugin` → `EXEC`);
/// `import "C"` → `CGO`; a `.s`/`.S` file or a `//go:linkname` directive →
/// `ARBITRARY_EXECUTION`; `unsafe.Pointer` in the code → `UNSAFE_POINTER`; and a top-level
/// `func init()` as the GoModKit marker ``initMarker`` (not a Capslock name). This
/// over-approximates what the package does with its imports, and misses capabilities that reach
/// it only through another module or through a standard-library package outside the table
/// (Capslock `docs/caveats.md` applies with more force).
public enum Capabilities {
    /// GoModKit's marker for a package-level `func init()`.
    public static let initMarker = "init"

    /// Capslock's package defaults (`interesting.cm` `package` lines), by import path.
    public static let packageDefaults: [String: String] = {
        var table: [String: String] = [
            "os": "OPERATING_SYSTEM", "os/exec": "EXEC", "os/signal": "MODIFY_SYSTEM_STATE/SIGNALS",
            "os/user": "READ_SYSTEM_STATE", "internal/syscall/execenv": "READ_SYSTEM_STATE",
            "net": "NETWORK", "net/http": "NETWORK", "reflect": "REFLECT",
            "runtime": "RUNTIME", "runtime/cgo": "RUNTIME", "runtime/debug": "RUNTIME", "runtime/pprof": "RUNTIME",
            "syscall": "SYSTEM_CALLS", "runtime/internal/syscall": "SYSTEM_CALLS", "internal/syscall/unix": "SYSTEM_CALLS",
            "internal/syscall/windows": "SYSTEM_CALLS", "internal/syscall/windows/registry": "SYSTEM_CALLS",
            "golang.org/x/sys/unix": "SYSTEM_CALLS", "unsafe": "ARBITRARY_EXECUTION",
        ]
        for safe in [
            "fmt", "math", "math/big", "time", "time/tzdata", "testing", "sync/atomic", "unique", "weak",
            "crypto/aes", "crypto/md5", "crypto/sha1", "crypto/sha256", "crypto/sha512", "crypto/subtle",
            "hash/adler32", "hash/crc32", "hash/crc64", "hash/fnv", "hash/maphash", "encoding/asn1",
            "debug/dwarf", "debug/gosym", "internal/bytealg", "internal/cpu", "internal/reflectlite",
            "internal/runtime/maps", "internal/synctest", "internal/sysinfo", "golang.org/x/sys/cpu",
        ] { table[safe] = "SAFE" }
        return table
    }()

    /// For standard-library packages without a default: the non-SAFE, non-UNSPECIFIED
    /// capabilities of their `interesting.cm` function overrides (v0.3.2).
    public static let functionOverrides: [String: [String]] = [
        "log": ["MODIFY_SYSTEM_STATE/LOGGING"],
        "plugin": ["EXEC"],
        "runtime/metrics": ["RUNTIME"],
        "mime/multipart": ["UNANALYZED"],
    ]

    /// Capslock's enum name for a `capability_name` (`MODIFY_SYSTEM_STATE/ENV` →
    /// `CAPABILITY_MODIFY_SYSTEM_STATE`); `nil` for ``initMarker``.
    public static func enumName(_ capabilityName: String) -> String? {
        guard capabilityName != initMarker else { return nil }
        let base = capabilityName.split(separator: "/").first.map(String.init) ?? capabilityName
        return "CAPABILITY_" + base
    }

    /// What incurs a capability: `import "net"`, `assembly`, `//go:linkname`, `unsafe.Pointer`,
    /// `import "C"`, `func init()`, in a file (relative to the module root).
    public struct Reason: Sendable, Hashable, Codable, CustomStringConvertible {
        /// What.
        public var what: String
        /// The file.
        public var file: String

        /// `<what> in <file>`.
        public var description: String { "\(what) in \(file)" }
    }

    /// One package's capabilities.
    public struct Package: Sendable, Hashable, Codable {
        /// The directory relative to the module root (`""` for the root package).
        public var directory: String
        /// Capability names (Capslock's `capability_name`), plus ``Capabilities/initMarker``,
        /// sorted bytewise.
        public var capabilities: [String]
        /// For each capability, what incurs it and where.
        public var reasons: [String: [Reason]]
        /// The package's imports, each once, sorted.
        public var imports: [String]
    }

    /// The packages of a module, sorted by directory.
    public struct Report: Sendable, Hashable, Codable {
        /// The module path (and version) when known.
        public var module: String?
        /// The version, when known.
        public var version: String?
        /// The packages.
        public var packages: [Package]

        /// A report.
        public init(module: String?, version: String?, packages: [Package]) {
            self.module = module
            self.version = version
            self.packages = packages
        }

        /// The union of every package's capabilities, sorted.
        public var capabilities: [String] {
            Array(Set(packages.flatMap(\.capabilities))).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }

    /// Analyses a module's files (paths relative to the module root).
    public static func analyze(files: [(path: ByteString, contents: [UInt8])], module: String? = nil, version: String? = nil) -> Report {
        struct Accumulator {
            var caps: [String: [Reason]] = [:]
            var imports = Set<String>()
            mutating func add(_ cap: String, _ what: String, _ file: String) {
                let why = Reason(what: what, file: file)
                if !(caps[cap]?.contains(why) ?? false) { caps[cap, default: []].append(why) }
            }
        }
        var packages: [String: Accumulator] = [:]
        for file in files {
            let p = file.path.bytes
            guard let directory = packageDirectory(p) else { continue }
            let name = String(decoding: p, as: UTF8.self)
            let isGo = Divergence.hasSuffix(p, ".go") && !Divergence.hasSuffix(p, "_test.go")
            let isAsm = Divergence.hasSuffix(p, ".s") || Divergence.hasSuffix(p, ".S")
            guard isGo || isAsm else { continue }
            var acc = packages[directory] ?? Accumulator()
            if isAsm {
                acc.add("ARBITRARY_EXECUTION", "assembly", name)
            } else {
                let facts = GoSourceFacts(scanning: file.contents)
                for imp in facts.imports {
                    let path = String(decoding: imp.bytes, as: UTF8.self)
                    acc.imports.insert(path)
                    if path == "C" { acc.add("CGO", "import \"C\"", name); continue }
                    if let d = packageDefaults[path] {
                        if d != "SAFE" { acc.add(d, "import \"\(path)\"", name) }
                    } else {
                        for cap in functionOverrides[path] ?? [] { acc.add(cap, "import \"\(path)\"", name) }
                    }
                }
                if !facts.linknames.isEmpty { acc.add("ARBITRARY_EXECUTION", "//go:linkname", name) }
                if facts.imports.contains("unsafe"), usesUnsafePointer(file.contents) {
                    acc.add("UNSAFE_POINTER", "unsafe.Pointer", name)
                }
                if !facts.initBodies.isEmpty { acc.add(initMarker, "func init()", name) }
            }
            packages[directory] = acc
        }
        let list = packages.map { dir, acc in
            Package(directory: dir,
                    capabilities: acc.caps.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
                    reasons: acc.caps,
                    imports: acc.imports.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }.sorted { $0.directory.utf8.lexicographicallyPrecedes($1.directory.utf8) }
        return Report(module: module, version: version, packages: list)
    }

    /// The package directory of a file, or `nil` when the go command ignores it: under
    /// `testdata`, `vendor`, or a directory whose name starts with `.` or `_`.
    static func packageDirectory(_ path: [UInt8]) -> String? {
        let elements = path.split(separator: 0x2F, omittingEmptySubsequences: false)
        guard let last = elements.last, last.first != 0x2E, last.first != 0x5F else { return nil }
        for dir in elements.dropLast() {
            if dir.first == 0x2E || dir.first == 0x5F || dir.elementsEqual("testdata".utf8) || dir.elementsEqual("vendor".utf8) { return nil }
        }
        return elements.dropLast().map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    }

    /// Whether the code (not comments or strings) holds the selector `unsafe.Pointer`.
    static func usesUnsafePointer(_ source: [UInt8]) -> Bool {
        var scanner = GoScanner(source)
        var state = 0
        while let t = scanner.next() {
            if t.kind == .comment || t.kind == .newline { continue }
            let text = source[t.start..<t.end]
            switch state {
            case 0: state = t.kind == .identifier && text.elementsEqual("unsafe".utf8) ? 1 : 0
            case 1: state = t.kind == .operator && text.elementsEqual([0x2E]) ? 2 : 0
            default:
                if t.kind == .identifier && text.elementsEqual("Pointer".utf8) { return true }
                state = t.kind == .identifier && text.elementsEqual("unsafe".utf8) ? 1 : 0
            }
        }
        return false
    }

    // MARK: - Inputs

    /// Analyses a module zip (`path@version/` prefix on every entry, as the go command makes
    /// them).
    public static func analyze(zip bytes: [UInt8], subject: String) throws(DivergenceError) -> Report {
        guard Int64(bytes.count) <= ModuleZip.maxZipFile else {
            throw DivergenceError(.tooLarge, subject: subject, message: "larger than \(ModuleZip.maxZipFile) bytes")
        }
        let archive: ZipArchive
        do { archive = try ZipArchive(bytes: bytes) } catch {
            throw DivergenceError(.invalidZip, subject: subject, message: error.description)
        }
        guard let first = archive.entries.first, let at = first.name.bytes.firstIndex(of: 0x40),
              let slash = first.name.bytes[at...].firstIndex(of: 0x2F) else {
            throw DivergenceError(.invalidZip, subject: subject, message: "not a module zip (no path@version/ prefix)")
        }
        let prefix = Array(first.name.bytes[...slash])
        let module = String(decoding: first.name.bytes[..<at], as: UTF8.self)
        let version = String(decoding: first.name.bytes[(at + 1)..<slash], as: UTF8.self)
        var files: [(path: ByteString, contents: [UInt8])] = []
        for entry in archive.entries where !entry.isDirectory {
            guard entry.name.bytes.starts(with: prefix) else {
                throw DivergenceError(.invalidZip, subject: subject, message: "unexpected file \(safeText(entry.name.bytes)) outside \(safeText(prefix))")
            }
            let rel = Array(entry.name.bytes.dropFirst(prefix.count))
            guard isRelevant(rel) else { continue }
            do { files.append((ByteString(rel), try archive.contents(of: entry))) } catch {
                throw DivergenceError(.invalidZip, subject: subject, message: error.description)
            }
        }
        return analyze(files: files, module: module, version: version)
    }

    /// Analyses a module directory (the files a module zip made from it would hold).
    public static func analyze(directory: String) throws(DivergenceError) -> Report {
        let listed: [ModuleZip.File]
        do { listed = try ModuleZip.listFiles(inDirectory: directory).files } catch {
            throw DivergenceError(.invalidZip, subject: directory, message: error.description)
        }
        var files: [(path: ByteString, contents: [UInt8])] = []
        var total: Int64 = 0
        for f in listed where f.kind == .regular && isRelevant(f.path.bytes) {
            let (sum, overflow) = total.addingReportingOverflow(f.size)
            guard !overflow, sum <= ModuleZip.maxZipFile else {
                throw DivergenceError(.tooLarge, subject: directory, message: "Go and assembly files larger than \(ModuleZip.maxZipFile) bytes together")
            }
            total = sum
            let path = directory + "/" + String(decoding: f.path.bytes, as: UTF8.self)
            guard let data = FileManager.default.contents(atPath: path), data.count <= Int(f.size) + 1 else {
                throw DivergenceError(.invalidZip, subject: path, message: "cannot read")
            }
            files.append((f.path, Array(data)))
        }
        return analyze(files: files)
    }

    private static func isRelevant(_ p: [UInt8]) -> Bool {
        (Divergence.hasSuffix(p, ".go") && !Divergence.hasSuffix(p, "_test.go")) || Divergence.hasSuffix(p, ".s") || Divergence.hasSuffix(p, ".S")
    }

    // MARK: - Diff

    /// One package's change between two versions.
    public struct PackageChange: Sendable, Hashable, Codable {
        /// The directory relative to the module root.
        public var directory: String
        /// Whether the package is new in the newer version.
        public var isNewPackage: Bool
        /// Whether the package is gone in the newer version.
        public var isRemovedPackage: Bool
        /// Capabilities (and ``Capabilities/initMarker``) the newer version adds.
        public var added: [String]
        /// Capabilities the newer version drops.
        public var removed: [String]
        /// Why each added capability is there, from the newer version.
        public var reasons: [String: [Reason]]
    }

    /// Per package, the capabilities `new` adds to and removes from `old`; packages without a
    /// change are left out. A new package counts all its capabilities as added.
    public static func diff(old: Report, new: Report) -> [PackageChange] {
        let before = Dictionary(old.packages.map { ($0.directory, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.packages.map { ($0.directory, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [PackageChange] = []
        for dir in Set(before.keys).union(after.keys).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let a = Set(before[dir]?.capabilities ?? []), b = Set(after[dir]?.capabilities ?? [])
            let added = b.subtracting(a).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let removed = a.subtracting(b).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let isNew = before[dir] == nil, isGone = after[dir] == nil
            guard !added.isEmpty || !removed.isEmpty || isNew || isGone else { continue }
            var reasons: [String: [Reason]] = [:]
            for cap in added { reasons[cap] = after[dir]?.reasons[cap] ?? [] }
            changes.append(PackageChange(directory: dir, isNewPackage: isNew, isRemovedPackage: isGone,
                                         added: added, removed: removed, reasons: reasons))
        }
        return changes
    }
}

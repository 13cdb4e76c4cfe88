public import GoModCore
public import GoModZip
public import GoModVCS
public import GoModOrigin
public import GoModFetch
import GoModPlatform
import Crypto

/// Mirror-versus-tag divergence: does the module zip a mirror serves for `path@version` still
/// match what the repository's tag holds today? (Docs/catch-a-poisoned-module.md; cmd/go
/// `internal/modfetch/coderepo.go`.)
///
/// This is the check that caught the boltdb-go attack: a typosquat published v1.3.1 with a
/// backdoored `init()`, the module mirror cached that zip, then the attacker force-pushed the tag
/// to clean code. Anyone reading the repository saw nothing; `go get` kept serving the backdoor.
///
/// ``compare(_:mirrorZip:info:source:recordedHash:)`` runs, in order:
/// 1. the cheap signal: the `.info` `Origin.Hash` (the commit the mirror archived) against the
///    commit the tag names today (``tagCommit(_:source:)``);
/// 2. the rebuild: the zip cmd/go would make from the tag now
///    (`ModuleZip.createFromGit(_:source:output:options:)`) and its `h1:` against the mirror
///    zip's `h1:` (`DirHash.hashZip(_:mode:parallelism:)`);
/// 3. when the hashes differ, a file-level diff (``FileChange``, with each side's SHA-256) and a
///    classification of what the MIRROR has that the tag does not (``Signal``): capabilities
///    its packages gain (``Capabilities``, Capslock's names), new or changed `init()` functions, `//go:linkname`, `//go:generate`,
///    build-constraint and cgo changes, binaries or archives, encoded blobs, new requirements;
/// 4. a ``Verdict`` with an explanation in words: a benign retag (same content, or differences
///    only in documentation, comments, formatting or tests) versus a suspicious one.
///
/// Go has no such check: cmd/go trusts the checksum database, which recorded the mirror's
/// backdoored hash.
public enum Divergence {
    /// The imports the divergence check used to watch before it reported capability changes
    /// (``Capabilities``); kept for source compatibility, no longer used by the check.
    @available(*, deprecated, message: "the divergence check reports Capabilities changes")
    public static let watchedImports: [ByteString] = ["net", "net/http", "os/exec", "syscall", "unsafe", "plugin", "C"]

    /// The largest `.info` document read: 1 MiB (real ones are a few hundred bytes).
    public static let maxInfoSize = 1 << 20

    // MARK: - .info

    /// The `Origin` section of a proxy `.info` document (cmd/go ≥ 1.19, `codehost.Origin`;
    /// https://go.dev/ref/mod#goproxy-protocol): GoModOrigin's `ModuleOrigin`, the one model
    /// of it in the package (every field optional; the JSON keys cmd/go writes).
    public typealias Origin = ModuleOrigin

    /// A proxy `.info` document: `{"Version": …, "Time": …, "Origin": {…}}` (cmd/go's
    /// `modfetch.RevInfo`), with its `Origin` decoded: the typed view of GoModFetch's
    /// `ModuleInfo`, which reads the bytes.
    public struct Info: Sendable, Hashable, Codable {
        /// `Version`.
        public var version: String
        /// `Time` (RFC 3339 text, not interpreted).
        public var time: String?
        /// `Origin`, when the proxy recorded one.
        public var origin: Origin?

        /// An info document.
        public init(version: String, time: String? = nil, origin: Origin? = nil) {
            self.version = version; self.time = time; self.origin = origin
        }

        /// The typed view of `info`.
        ///
        /// - Throws: `DivergenceError.Code.invalidInfo` when a field of the `Origin` block is
        ///   not of its JSON type.
        public init(_ info: ModuleInfo, subject: String = ".info") throws(DivergenceError) {
            let origin: Origin?
            do throws(OriginError) { origin = try info.decodedOrigin() } catch {
                throw DivergenceError(.invalidInfo, subject: subject, message: "invalid .info JSON: \(error.message)")
            }
            // JSON strings are Unicode: the version GoModFetch decoded is valid UTF-8.
            self.init(version: String(decoding: info.version.bytes, as: UTF8.self), time: info.time, origin: origin)
        }

        enum CodingKeys: String, CodingKey {
            case version = "Version", time = "Time", origin = "Origin"
        }

        /// Parses `.info` bytes with `ModuleInfo(json:)`. When `expectedVersion` is given
        /// (a canonical version), the document must name it, as cmd/go requires of proxies.
        ///
        /// - Throws: `DivergenceError.Code.invalidInfo` (`invalid response from proxy`-style:
        ///   not JSON, no `Version`, wrong field types), `DivergenceError.Code.tooLarge`,
        ///   `DivergenceError.Code.versionMismatch` (`proxy returned info for version <x>
        ///   instead of requested version`).
        public static func parse(_ data: [UInt8], expectedVersion: ByteString? = nil,
                                 subject: String = ".info") throws(DivergenceError) -> Info {
            guard data.count <= maxInfoSize else {
                throw DivergenceError(.tooLarge, subject: subject, message: "larger than \(maxInfoSize) bytes")
            }
            guard let raw = ModuleInfo(json: data) else {
                throw DivergenceError(.invalidInfo, subject: subject,
                                      message: "invalid .info JSON: not an object with a string Version, a string Time and an object Origin")
            }
            let info = try Info(raw, subject: subject)
            if let expectedVersion, raw.version != expectedVersion {
                throw DivergenceError(.versionMismatch, subject: subject,
                                      message: "proxy returned info for version \(info.version) instead of requested version")
            }
            return info
        }
    }

    // MARK: - Results

    /// One file that differs between the mirror's zip and the zip rebuilt from the tag.
    public struct FileChange: Sendable, Hashable, Codable {
        /// Which side has the file.
        public enum Kind: String, Sendable, Hashable, Codable {
            /// Only in the mirror's zip (the tag does not have it).
            case added
            /// Only in the tag (the mirror's zip does not have it).
            case removed
            /// In both, with different bytes.
            case changed
        }
        /// The path relative to the module root (no `path@version/` prefix).
        public var path: ByteString
        /// Which side has the file.
        public var kind: Kind
        /// Lower-case hex SHA-256 of the mirror's copy (nil for ``Kind/removed``).
        public var mirrorSHA256: String?
        /// Lower-case hex SHA-256 of the tag's copy (nil for ``Kind/added``).
        public var upstreamSHA256: String?
        /// Whether the difference cannot change what a build of the module does: documentation,
        /// tests, comments or formatting only.
        public var isHarmless: Bool
        /// A short description of the difference (`comments or formatting only`,
        /// `+import "net"`, `test file`, ...).
        public var note: String

        /// A file change.
        public init(path: ByteString, kind: Kind, mirrorSHA256: String?, upstreamSHA256: String?,
                    isHarmless: Bool, note: String) {
            self.path = path; self.kind = kind; self.mirrorSHA256 = mirrorSHA256
            self.upstreamSHA256 = upstreamSHA256; self.isHarmless = isHarmless; self.note = note
        }
    }

    /// Something the mirror's copy has that the tag's does not and that reviewers care about.
    public struct Signal: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The kind of change.
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            /// A capability (Capslock's name, import level: ``Capabilities``) that the mirror's
            /// package has and the tag's does not, with what incurs it (`+NETWORK: import "net"`).
            case watchedImport
            /// A `func init()` the tag's copy does not have.
            case initAdded
            /// A `func init()` whose body differs from every `init()` in the tag's copy.
            case initChanged
            /// A new or changed `//go:linkname` directive.
            case linkname
            /// A new or changed `//go:generate` directive.
            case generate
            /// Build constraints (`//go:build`, `// +build`) that differ.
            case buildConstraint
            /// cgo changes: a changed preamble before `import "C"`, or changed C, C++, assembly
            /// or `.syso` sources (which are compiled into the package).
            case cgo
            /// A binary file or archive added or changed (executable headers, zip/gzip/xz/7z
            /// magic, NUL bytes, or an archive/binary file extension).
            case binary
            /// A long base64 or hex string, or a long run of integer literals.
            case encodedBlob
            /// A requirement in the mirror's go.mod that the tag's go.mod does not have.
            case dependencyAdded
            /// Other new `//go:` or `//export` directives (e.g. `//go:embed`, `//go:cgo_ldflag`).
            case directive
        }
        /// The kind of change.
        public var kind: Kind
        /// The file.
        public var path: ByteString
        /// Details: the import path, the directive line, the blob's size, ...
        public var detail: String

        /// A signal.
        public init(kind: Kind, path: ByteString, detail: String) {
            self.kind = kind; self.path = path; self.detail = detail
        }

        /// `<path>: <detail>`.
        public var description: String { "\(safeText(path.bytes)): \(detail)" }
    }

    /// The outcome (Docs/catch-a-poisoned-module.md explains each verdict).
    public enum Verdict: String, Sendable, Hashable, Codable {
        /// Same content and, when the `.info` recorded it, the same commit.
        case consistent
        /// The tag moved, or the contents differ, but only in harmless ways (see
        /// ``FileChange/isHarmless``): a benign retag.
        case benign
        /// Code differs without a specific red flag: the tag was rewritten; review the diff.
        case codeChanged
        /// The mirror's copy has red flags the tag does not (``Report/signals``).
        case suspicious
        /// The mirror's zip does not match the recorded hash (go.sum or the checksum database):
        /// the mirror content does not match the log.
        case mirrorMismatch
    }

    /// How bad a verdict is.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        /// Nothing to do.
        case ok
        /// Worth a note (a benign retag).
        case low
        /// Review needed (the tag moved and code differs).
        case high
        /// Mirror content does not match the log.
        case critical

        /// Orders ``ok`` < ``low`` < ``high`` < ``critical``.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.ok, .low, .high, .critical]
            return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
        }
    }

    /// The result of ``compare(_:mirrorZip:info:source:recordedHash:)``.
    public struct Report: Sendable, Hashable, Codable {
        /// The module version checked.
        public var module: ModuleVersion
        /// The commit the tag names today.
        public var tagCommit: String
        /// The commit the mirror recorded (`.info` `Origin.Hash`), when known.
        public var originCommit: String?
        /// Whether the tag moved since the mirror archived it (nil when there is no Origin hash).
        public var tagMoved: Bool?
        /// `h1:` of the mirror's zip.
        public var mirrorHash: DirHash
        /// `h1:` of the zip rebuilt from the tag today.
        public var upstreamHash: DirHash
        /// The hash go.sum or the checksum database recorded, when given.
        public var recordedHash: DirHash?
        /// Files that differ, sorted by path (bytewise).
        public var changes: [FileChange]
        /// Red flags in the mirror's copy, in file order.
        public var signals: [Signal]
        /// The verdict.
        public var verdict: Verdict
        /// The explanation, one sentence per element.
        public var explanation: [String]

        /// The verdict's severity.
        public var severity: Severity {
            switch verdict {
            case .consistent: .ok
            case .benign: .low
            case .codeChanged, .suspicious: .high
            case .mirrorMismatch: .critical
            }
        }

        /// Whether mirror and tag hold the same content.
        public var hashesMatch: Bool { mirrorHash == upstreamHash }
    }

    // MARK: - Checks

    /// The commit the version's tag names today in `source` (the tag `<directory>/<version>`,
    /// `+incompatible` dropped, as cmd/go looks it up; a pseudo-version's commit). This is the
    /// cheap first check: compare it with the `.info` `Origin.Hash`.
    ///
    /// - Throws: `DivergenceError.Code.upstream` (`unknown revision <tag>`, git failures).
    public static func tagCommit(_ module: ModuleVersion, source: ModuleZip.GitSource) throws(DivergenceError) -> String {
        let version = module.version.bytes
        var rev: String
        var tagOnly = true
        if let revision = source.revision {
            rev = revision
            tagOnly = false
        } else if Module.isPseudoVersion(module.version) {
            rev = String(decoding: (try? Module.pseudoVersionRev(module.version).bytes) ?? [], as: UTF8.self)
            tagOnly = false
        } else {
            var tag = version
            if Semver.build(module.version) == "+incompatible" { tag.removeLast("+incompatible".utf8.count) }
            let dir = source.directory.bytes
            rev = String(decoding: dir.isEmpty ? tag : dir + [0x2F] + tag, as: UTF8.self)
        }
        do {
            return try GitRepository(source: source).resolve(rev, tagOnly: tagOnly, module: module)
        } catch {
            throw DivergenceError(.upstream, subject: module.description, message: error.description, zipError: error)
        }
    }

    /// Compares the mirror's zip of `module` with the zip cmd/go would build from the tag in
    /// `source` today, and classifies the difference. See ``Divergence`` for the steps.
    ///
    /// - Parameters:
    ///   - module: the module path and canonical version.
    ///   - mirrorZip: the zip the mirror serves (at most `ModuleZip.maxZipFile` bytes), read
    ///     with GoModKit's strict zip reader; every entry must carry the `path@version/` prefix.
    ///   - info: the mirror's `.info`, for the Origin check (nil: skipped).
    ///   - source: the upstream repository (a clone; ``cloneBundle(_:to:git:)`` makes one from a
    ///     bundle).
    ///   - recordedHash: the go.sum or checksum-database hash, when known: a mirror zip that does
    ///     not match it is ``Verdict/mirrorMismatch``.
    /// - Throws: ``DivergenceError`` when the zip cannot be read or the tag cannot be rebuilt.
    public static func compare(_ module: ModuleVersion, mirrorZip: [UInt8], info: Info?,
                               source: ModuleZip.GitSource, recordedHash: DirHash? = nil) throws(DivergenceError) -> Report {
        let subject = module.description
        do {
            try Module.check(module)
        } catch {
            throw DivergenceError(.invalidModule, subject: subject, message: error.description)
        }
        guard Module.canonicalVersion(module.version) == module.version else {
            throw DivergenceError(.invalidModule, subject: subject, message: "version \(module.version) is not canonical")
        }
        // 1. The cheap check.
        let tag = try tagCommit(module, source: source)
        let origin = info?.origin?.hash.flatMap { $0.isEmpty ? nil : $0 }
        let moved = origin.map { !commitsMatch($0, tag) }

        // 2. Both zips and their hashes.
        let (archive, mirrorFiles) = try readModuleZip(mirrorZip, module: module, subject: "mirror zip for \(subject)")
        let mirrorHash: DirHash
        do {
            mirrorHash = try DirHash.hashZip(archive)
        } catch {
            throw DivergenceError(.invalidZip, subject: "mirror zip for \(subject)", message: error.description)
        }
        let rebuilt: ModuleZip.GitCreated
        do {
            rebuilt = try ModuleZip.createFromGit(module, source: source, output: .memory)
        } catch {
            throw DivergenceError(.upstream, subject: subject, message: error.description, zipError: error)
        }
        let upstreamZip = rebuilt.created.zipBytes ?? []
        // createFromGit already hashed what it wrote: only the files are read back.
        let (_, upstreamFiles) = try readModuleZip(upstreamZip, module: module, subject: "zip rebuilt from \(rebuilt.commit)")
        let upstreamHash = rebuilt.created.hash

        // 3. The diff.
        var changes: [FileChange] = []
        var signals: [Signal] = []
        if mirrorHash != upstreamHash {
            (changes, signals) = diff(mirror: mirrorFiles, upstream: upstreamFiles)
        }

        // 4. Verdict and words.
        var words: [String] = []
        let mod = safeText(module.path.bytes) + "@" + safeText(module.version.bytes)
        if let origin, let moved {
            words.append(moved
                ? "The mirror archived commit \(origin), but tag \(safeText(module.version.bytes)) names \(tag) today: the tag moved."
                : "The mirror archived commit \(origin), which the tag still names.")
        } else {
            words.append("The mirror recorded no Origin commit; tag \(safeText(module.version.bytes)) names \(tag) today.")
        }
        let verdict: Verdict
        if let recordedHash, recordedHash != mirrorHash {
            verdict = .mirrorMismatch
            words.append("The mirror's zip hashes to \(mirrorHash), not the recorded \(recordedHash): the mirror content does not match the log.")
        } else if mirrorHash == upstreamHash {
            verdict = moved == true ? .benign : .consistent
            words.append(moved == true
                ? "The mirror's zip and the tag's content are identical (\(mirrorHash)): a benign retag."
                : "The mirror's zip and the zip rebuilt from the tag are identical (\(mirrorHash)).")
        } else {
            let harmful = changes.filter { !$0.isHarmless }
            words.append("The mirror's zip (\(mirrorHash)) differs from the zip rebuilt from the tag (\(upstreamHash)) in \(changes.count) file\(changes.count == 1 ? "" : "s").")
            if !signals.isEmpty {
                verdict = .suspicious
                let kinds = Set(signals.map(\.kind))
                var parts: [String] = []
                let imports = signals.filter { $0.kind == .watchedImport }.map(\.detail)
                if !imports.isEmpty { parts.append("new capabilities (\(imports.joined(separator: ", ")))") }
                if kinds.contains(.initAdded) || kinds.contains(.initChanged) { parts.append("new or changed init() functions") }
                for (kind, text) in [(Signal.Kind.linkname, "//go:linkname directives"), (.generate, "//go:generate directives"),
                                     (.buildConstraint, "build-constraint changes"), (.cgo, "cgo or native-code changes"),
                                     (.binary, "binaries or archives"), (.encodedBlob, "encoded blobs"),
                                     (.dependencyAdded, "new requirements in go.mod"), (.directive, "other compiler directives")]
                where kinds.contains(kind) {
                    parts.append(text)
                }
                words.append("SUSPICIOUS: what `go get \(mod)` builds has \(parts.joined(separator: ", ")) that the tag's code does not — the pattern of a backdoored version hidden by a retag.")
            } else if harmful.isEmpty {
                verdict = .benign
                words.append("Every difference is in documentation, tests, comments or formatting: a benign retag.")
            } else {
                verdict = .codeChanged
                words.append("Code differs (\(harmful.map { safeText($0.path.bytes) }.joined(separator: ", "))) without a specific red flag: the tag was rewritten; review the diff.")
            }
        }
        return Report(module: module, tagCommit: tag, originCommit: origin, tagMoved: moved, mirrorHash: mirrorHash,
                      upstreamHash: upstreamHash, recordedHash: recordedHash, changes: changes, signals: signals,
                      verdict: verdict, explanation: words)
    }

    /// The file-level diff of two module file trees (paths relative to the module root) and the
    /// red flags of the `mirror` side: what ``compare(_:mirrorZip:info:source:recordedHash:)``
    /// reports when the hashes differ. Usable on any two trees, e.g. a vendored copy against
    /// a zip.
    public static func diff(mirror: [(path: ByteString, contents: [UInt8])],
                            upstream: [(path: ByteString, contents: [UInt8])]) -> (changes: [FileChange], signals: [Signal]) {
        var upstreamByPath: [ByteString: [UInt8]] = [:]
        for file in upstream { upstreamByPath[file.path] = file.contents }
        var mirrorPaths = Set<ByteString>()
        var changes: [FileChange] = []
        var signals: [Signal] = []
        for file in mirror.sorted(by: { $0.path < $1.path }) {
            guard !mirrorPaths.contains(file.path) else { continue }
            mirrorPaths.insert(file.path)
            let old = upstreamByPath[file.path]
            if let old, old == file.contents { continue }
            let (harmless, note, fileSignals) = classify(path: file.path, mirror: file.contents, upstream: old)
            changes.append(FileChange(path: file.path, kind: old == nil ? .added : .changed,
                                      mirrorSHA256: sha256Hex(file.contents), upstreamSHA256: old.map(sha256Hex),
                                      isHarmless: harmless, note: note))
            signals += fileSignals
        }
        for file in upstream.sorted(by: { $0.path < $1.path }) where !mirrorPaths.contains(file.path) {
            mirrorPaths.insert(file.path)
            let doc = isDocumentation(file.path.bytes) || isTest(file.path.bytes)
            changes.append(FileChange(path: file.path, kind: .removed, mirrorSHA256: nil,
                                      upstreamSHA256: sha256Hex(file.contents), isHarmless: doc,
                                      note: doc ? "documentation or test file only in the tag" : "file only in the tag"))
        }
        changes.sort { $0.path < $1.path }
        // Capabilities (Capslock's names, import level) the mirror's packages have and the
        // tag's do not: one signal per reason (`+NETWORK: import "net"`). `init` is reported
        // by the init signals above.
        let capabilityChanges = Capabilities.diff(old: Capabilities.analyze(files: upstream), new: Capabilities.analyze(files: mirror))
        for change in capabilityChanges {
            for cap in change.added where cap != Capabilities.initMarker {
                for reason in change.reasons[cap] ?? [] {
                    signals.append(Signal(kind: .watchedImport, path: ByteString(reason.file), detail: "+\(cap): \(reason.what)"))
                }
            }
        }
        return (changes, signals)
    }

    // MARK: - Internals

    /// Commit hashes are equal (full or an abbreviation of at least 7 hex digits).
    static func commitsMatch(_ a: String, _ b: String) -> Bool {
        let x = a.lowercased(), y = b.lowercased()
        if x == y { return true }
        guard min(x.count, y.count) >= 7 else { return false }
        return x.hasPrefix(y) || y.hasPrefix(x)
    }

    /// Reads a module zip strictly: the archive (for ``DirHash/hashZip(_:mode:parallelism:)``,
    /// when the caller needs the `h1:`) and its files relative to the module root.
    static func readModuleZip(_ bytes: [UInt8], module: ModuleVersion,
                              subject: String) throws(DivergenceError) -> (ZipArchive, [(path: ByteString, contents: [UInt8])]) {
        guard Int64(bytes.count) <= ModuleZip.maxZipFile else {
            throw DivergenceError(.tooLarge, subject: subject, message: "larger than \(ModuleZip.maxZipFile) bytes")
        }
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: bytes)
        } catch {
            throw DivergenceError(.invalidZip, subject: subject, message: error.description)
        }
        let prefix = module.path.bytes + [0x40] + module.version.bytes + [0x2F]
        var files: [(path: ByteString, contents: [UInt8])] = []
        for entry in archive.entries {
            guard entry.name.bytes.starts(with: prefix) else {
                throw DivergenceError(.invalidZip, subject: subject,
                                      message: "zip for \(module) has unexpected file \(safeText(entry.name.bytes))")
            }
            if entry.isDirectory { continue }
            do {
                files.append((ByteString(entry.name.bytes.dropFirst(prefix.count)), try archive.contents(of: entry)))
            } catch {
                throw DivergenceError(.invalidZip, subject: subject, message: error.description)
            }
        }
        return (archive, files)
    }

    /// Classifies one added or changed file: harmless?, a note, red flags.
    static func classify(path: ByteString, mirror: [UInt8], upstream: [UInt8]?) -> (Bool, String, [Signal]) {
        let p = path.bytes
        var signals: [Signal] = []
        if let what = binaryKind(p, mirror) {
            signals.append(Signal(kind: .binary, path: path, detail: "\(upstream == nil ? "added" : "changed") \(what) (\(mirror.count) bytes)"))
            return (false, what, signals)
        }
        if hasSuffix(p, ".go") {
            if isTest(p) { return (true, "test file", []) }
            let new = GoSourceFacts(scanning: mirror)
            let old = upstream.map { GoSourceFacts(scanning: $0) } ?? GoSourceFacts(scanning: [])
            if upstream != nil && new.codeFingerprint == old.codeFingerprint {
                return (true, "comments or formatting only", [])
            }
            var notes: [String] = []
            let oldImports = Set(old.imports)
            let added = new.imports.filter { !oldImports.contains($0) }
            if !added.isEmpty { notes.append("+import " + added.map(\.description).joined(separator: ", ")) }
            let newImports = Set(new.imports)
            let removed = old.imports.filter { !newImports.contains($0) }
            if !removed.isEmpty { notes.append("-import " + removed.map(\.description).joined(separator: ", ")) }
            let oldInits = Set(old.initBodies)
            let newInits = new.initBodies.filter { !oldInits.contains($0) }
            if !newInits.isEmpty {
                let changed = min(newInits.count, max(0, old.initBodies.count - (new.initBodies.count - newInits.count)))
                for i in 0..<newInits.count {
                    let isChange = i < changed
                    signals.append(Signal(kind: isChange ? .initChanged : .initAdded, path: path,
                                          detail: isChange ? "func init() changed" : "func init() added"))
                }
                notes.append(changed > 0 ? "init() changed" : "+func init()")
            }
            func directiveSignals(_ kind: Signal.Kind, _ a: [ByteString], _ b: [ByteString], symmetric: Bool) {
                let before = Set(b), after = Set(a)
                for line in a where !before.contains(line) {
                    signals.append(Signal(kind: kind, path: path, detail: "+" + safeText(line.bytes)))
                }
                if symmetric {
                    for line in b where !after.contains(line) {
                        signals.append(Signal(kind: kind, path: path, detail: "-" + safeText(line.bytes)))
                    }
                }
            }
            directiveSignals(.linkname, new.linknames, old.linknames, symmetric: false)
            directiveSignals(.generate, new.generates, old.generates, symmetric: false)
            directiveSignals(.buildConstraint, new.buildConstraints, old.buildConstraints, symmetric: true)
            directiveSignals(.directive, new.otherDirectives, old.otherDirectives, symmetric: false)
            if new.cgoPreamble != nil && new.cgoPreamble != old.cgoPreamble && new.imports.contains("C") && old.imports.contains("C") {
                signals.append(Signal(kind: .cgo, path: path, detail: "cgo preamble changed"))
            }
            let oldBlobs = Set(old.blobs)
            for blob in new.blobs where !oldBlobs.contains(blob) {
                signals.append(Signal(kind: .encodedBlob, path: path, detail: blob.description))
            }
            if notes.isEmpty { notes.append(upstream == nil ? "new Go file" : "code changed") }
            return (false, notes.joined(separator: "; "), signals)
        }
        if p == Array("go.mod".utf8) {
            let newReqs = requirementPaths(mirror), oldReqs = Set(upstream.map(requirementPaths) ?? [])
            for req in newReqs where !oldReqs.contains(req) {
                signals.append(Signal(kind: .dependencyAdded, path: path, detail: "require \(req)"))
            }
            return (false, "go.mod changed", signals)
        }
        if isNativeSource(p) {
            signals.append(Signal(kind: .cgo, path: path, detail: "\(upstream == nil ? "added" : "changed") native source compiled into the package"))
            return (false, "native source", signals)
        }
        if isTest(p) { return (true, "test data", []) }
        if isDocumentation(p) { return (true, "documentation", []) }
        return (false, upstream == nil ? "new file" : "file changed", [])
    }

    /// Module paths required by a go.mod (lax parsing; empty when it does not parse).
    static func requirementPaths(_ data: [UInt8]) -> [ByteString] {
        guard let mod = try? GoMod.parse(data, strictness: .lax) else { return [] }
        return mod.requirements.map(\.module.path)
    }

    static func hasSuffix(_ p: [UInt8], _ s: String) -> Bool { p.count >= s.utf8.count && p.suffix(s.utf8.count).elementsEqual(s.utf8) }

    /// `_test.go` files and anything under a `testdata` directory.
    static func isTest(_ p: [UInt8]) -> Bool {
        hasSuffix(p, "_test.go") || p.split(separator: 0x2F).dropLast().contains { $0.elementsEqual("testdata".utf8) }
    }

    /// Documentation, licences, CI and editor configuration: files no Go build reads (unless
    /// embedded, which would need a changed `//go:embed` directive in a Go file).
    static func isDocumentation(_ p: [UInt8]) -> Bool {
        let elements = p.split(separator: 0x2F)
        if elements.dropLast().contains(where: { $0.first == 0x2E || $0.elementsEqual("docs".utf8) || $0.elementsEqual("doc".utf8) }) {
            return true
        }
        guard let last = elements.last else { return false }
        // Bytes, ASCII case folded: a String prefix or suffix test works on grapheme clusters
        // (a Prepend letter such as U+0D4E glues itself to the `.` of `x\u{0D4E}.s`), so it
        // can disagree with the extension Go's build sees.
        let name = asciiLower(Array(last))
        if name.first == 0x2E { return true }
        for prefix in ["license", "licence", "copying", "readme", "changelog", "changes", "authors", "contributors",
                       "notice", "security", "code_of_conduct", "contributing", "maintainers", "codeowners", "patents"]
        where name.starts(with: prefix.utf8) {
            return true
        }
        for ext in [".md", ".markdown", ".txt", ".rst", ".adoc", ".png", ".jpg", ".jpeg", ".gif", ".svg"] where hasSuffix(name, ext) {
            return true
        }
        return name.elementsEqual("makefile".utf8) || name.elementsEqual("dockerfile".utf8)
    }

    /// C, C++, Objective-C, assembly, Fortran, SWIG and `.syso` files: compiled into the package
    /// (bytewise and case-sensitive, as go/build compares extensions).
    static func isNativeSource(_ p: [UInt8]) -> Bool {
        [".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".m", ".s", ".S", ".sx", ".f", ".F",
         ".for", ".f90", ".swig", ".swigcxx", ".syso"].contains { hasSuffix(p, $0) }
    }

    /// Binary files and archives, by magic number, NUL bytes or extension.
    static func binaryKind(_ p: [UInt8], _ data: [UInt8]) -> String? {
        let magic: [(String, [UInt8])] = [
            ("ELF executable", [0x7F, 0x45, 0x4C, 0x46]), ("Windows executable", [0x4D, 0x5A]),
            ("Mach-O binary", [0xCF, 0xFA, 0xED, 0xFE]), ("Mach-O binary", [0xCE, 0xFA, 0xED, 0xFE]),
            ("Mach-O universal binary", [0xCA, 0xFE, 0xBA, 0xBE]), ("zip archive", [0x50, 0x4B, 0x03, 0x04]),
            ("gzip archive", [0x1F, 0x8B]), ("xz archive", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
            ("7z archive", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]), ("bzip2 archive", [0x42, 0x5A, 0x68]),
            ("zstd archive", [0x28, 0xB5, 0x2F, 0xFD]), ("WebAssembly module", [0x00, 0x61, 0x73, 0x6D]),
        ]
        for (name, m) in magic where data.starts(with: m) {
            // "MZ" and "BZh" are also plausible text openings; require a NUL nearby for them.
            if m.count <= 3 && name != "gzip archive" && !data.prefix(512).contains(0) { continue }
            return name
        }
        let name = asciiLower(p)
        for ext in [".zip", ".tar", ".tgz", ".gz", ".xz", ".bz2", ".7z", ".rar", ".jar", ".exe", ".dll", ".so",
                    ".dylib", ".a", ".o", ".bin", ".wasm", ".zst", ".deb", ".rpm"] where hasSuffix(name, ext) {
            return "binary or archive (\(ext))"
        }
        if data.prefix(8000).contains(0) { return "binary file" }
        return nil
    }

    static func sha256Hex(_ data: [UInt8]) -> String {
        hexLower(SHA256.hash(data: data))
    }
}

public import GoModCore
import GoModPlatform

extension ModuleZip {
    /// Options for ``unzip(_:module:to:options:)``.
    public struct UnzipOptions: Sendable, Hashable {
        /// How names that differ only in Unicode normalisation are treated.
        public enum Volume: Sendable, Hashable {
            /// Probe the target's file system: if it treats NFC and NFD spellings as one name,
            /// such pairs are an error (`ModuleZipError.Code.normalizationCollision`);
            /// otherwise they are extracted as distinct files (a warning in the report).
            case probe
            /// Treat the target as normalising (APFS, HFS+): such pairs are always an error.
            case normalizing
            /// Treat the target as byte-exact (ext4, XFS): such pairs are extracted.
            case exact
        }

        /// How the zip container is read (default strict, see Docs/stricter-than-go.md).
        public var mode: ZipArchive.Mode
        /// Make files 0444 and directories 0555, as in the module cache (default); otherwise
        /// files are 0644 and directories 0755 (before the umask).
        public var readOnly: Bool
        /// How normalisation collisions are decided.
        public var volume: Volume
        /// A root above the target (a module cache) below which no directory may be a symbolic
        /// link: the target's parent is then opened, and its missing parents made, one
        /// component at a time without following links (stricter than Go's `os.MkdirAll`; see
        /// Docs/stricter-than-go.md). `nil` (default): directories above the target are
        /// resolved as usual.
        public var confinedBelow: String?

        /// Creates options.
        public init(mode: ZipArchive.Mode = .strict, readOnly: Bool = true, volume: Volume = .probe,
                    confinedBelow: String? = nil) {
            self.mode = mode
            self.readOnly = readOnly
            self.volume = volume
            self.confinedBelow = confinedBelow
        }
    }

    /// Extracts a module zip into `directory` as x/mod's `zip.Unzip` does, safely.
    ///
    /// The target must be absent or an empty directory (`target directory … exists and is not
    /// empty`); a symbolic link is refused, never followed. The zip is checked first with
    /// ``checkZip(_:path:mode:)`` and nothing is written unless it is valid. Files are written
    /// into a private, mode-0700 temporary directory next to the target, every file created
    /// with `O_CREAT | O_EXCL | O_NOFOLLOW` relative to a directory descriptor, every directory
    /// with `mkdirat`; the finished tree is renamed onto the target in one step. Any failure
    /// removes the temporary tree: nothing is ever left behind, and nothing is ever written
    /// outside the target. No symbolic link is ever created; entry modes and external
    /// attributes are ignored. Directory entries and the prefix-only entry produce nothing.
    ///
    /// - Returns: the check report (with its warnings).
    /// - Throws: Go's errors prefixed `unzip <zip>: `, plus `ModuleZipError.Code.targetNotDirectory`,
    ///   `ModuleZipError.Code.normalizationCollision`, `ModuleZipError.Code.fileExists`.
    @discardableResult
    public static func unzip(_ zipPath: String, module: ModuleVersion, to directory: String,
                             options: UnzipOptions = UnzipOptions()) throws(ModuleZipError) -> CheckedFiles {
        do {
            return try unzipUnwrapped(zipPath, module: module, to: directory, options: options)
        } catch {
            throw error.within("unzip \(zipPath)")
        }
    }

    private static func unzipUnwrapped(_ zipPath: String, module: ModuleVersion, to directory: String,
                                       options: UnzipOptions) throws(ModuleZipError) -> CheckedFiles {
        let target = Array(directory.utf8)
        try requireEmptyOrAbsent(target, display: directory)

        let checked = try checkZip(module, path: zipPath, mode: options.mode)
        if let error = checked.error { throw error }
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: zipPath, mode: options.mode, limits: policyLimits)
        } catch {
            throw ModuleZipError(.zip, message: error.description, zipError: error)
        }

        let (parent, base) = splitTarget(target)
        let parentFD: Int32
        if let root = options.confinedBelow {
            // Missing parents made, and every directory below the root opened, without
            // following a symbolic link.
            do throws(AtomicFileError) {
                parentFD = try ConfinedDirectory.open(String(decoding: parent, as: UTF8.self), below: root, create: true)
            } catch {
                throw ModuleZipError(.io, message: error.description, systemError: error.code)
            }
        } else {
            // Like Go's os.MkdirAll(dir): missing parent directories are created.
            do throws(MakeDirectoryAllError) {
                try makeDirectoryAll(String(decoding: parent, as: UTF8.self))
            } catch {
                throw ModuleZipError.system("mkdir \(goQuote(error.path.utf8))", error.code)
            }
            parentFD = parent.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
            guard parentFD >= 0 else {
                throw ModuleZipError.system("open \(goQuote(parent))", errno)
            }
        }
        defer { close(parentFD) }
        let (tempName, tempFD) = try makePrivateDirectory(in: parentFD, near: base)
        var succeeded = false
        defer {
            close(tempFD)
            if !succeeded { removeTree(parentFD: parentFD, name: tempName) }
        }

        let collisions = checked.warnings.filter { $0.code == .normalizationCollision }
        if let first = collisions.first {
            let normalizing: Bool
            switch options.volume {
            case .exact: normalizing = false
            case .normalizing: normalizing = true
            case .probe: normalizing = probeNormalizing(tempFD)
            }
            if normalizing {
                throw ModuleZipError(.normalizationCollision, message: safeText(first.goText), path: first.path)
            }
        }

        let prefix = prefix(module)
        var entries: [ZipArchive.Entry] = []
        for entry in archive.entries {
            let name = entry.name.bytes
            guard name.count > prefix.count, name.last != 0x2F else { continue }
            entries.append(entry)
        }
        try extract(entries, of: archive, stripping: prefix.count, into: tempFD,
                    fileMode: options.readOnly ? 0o444 : 0o644)
        if options.readOnly { try makeDirectoriesReadOnly(below: tempFD) }
        guard fchmod(tempFD, options.readOnly ? 0o555 : directoryModeAfterUmask(tempFD)) == 0 else {
            throw ModuleZipError.system("chmod \(directory)", errno)
        }
        guard tempName.withCString({ from in base.withCString { renameat(parentFD, from, parentFD, $0) } }) == 0 else {
            let err = errno
            if err == ENOTEMPTY || err == EEXIST {
                throw ModuleZipError(.targetNotEmpty, message: "target directory \(directory) exists and is not empty")
            }
            if err == ENOTDIR {
                throw ModuleZipError(.targetNotDirectory, message: "target \(directory) is not a directory")
            }
            throw ModuleZipError.system("rename to \(directory)", err)
        }
        succeeded = true
        return checked
    }

    /// Writes `entries` below the directory `rootFD`: directories with `mkdirat` (mode 0777
    /// less the umask, reachable only through the private 0700 root), files with `O_CREAT | O_EXCL | O_NOFOLLOW`, every path element opened
    /// with `O_NOFOLLOW` relative to its parent's descriptor.
    ///
    /// Memory does not grow with the directories made (their paths are never kept: a list of
    /// them costs the sum of their lengths, quadratic in the depth of a tree of unique chains);
    /// time is one `mkdirat` and one `openat` per path element when a file's directory differs
    /// from the previous file's, bounded by ``maxPathDepth``.
    static func extract(_ entries: [ZipArchive.Entry], of archive: ZipArchive, stripping prefixLength: Int,
                        into rootFD: Int32, fileMode: mode_t) throws(ModuleZipError) {
        let reader: ZipEntryReader
        do {
            reader = try ZipEntryReader(bufferSize: 64 * 1024)
        } catch {
            throw ModuleZipError(.zip, message: error.description, zipError: error)
        }
        // The directory of the previous file stays open: module zips list files of one
        // directory together.
        var cached: (path: [UInt8], fd: Int32)?
        defer { if let cached { close(cached.fd) } }
        for entry in entries {
            let name = Array(entry.name.bytes[prefixLength...])
            let elements = name.split(separator: 0x2F, omittingEmptySubsequences: false).map(Array.init)
            guard let fileName = elements.last, !fileName.isEmpty,
                  !elements.contains(where: { $0.isEmpty || $0 == [0x2E] || $0 == [0x2E, 0x2E] }) else {
                // CheckZip never lets such a name through; refuse rather than guess.
                throw ModuleZipError(.invalidFiles, message: "refusing to extract \(goQuote(name))", path: entry.name)
            }
            let dirPath = Array(name[..<(name.count - fileName.count)])
            let dirFD: Int32
            if let cached, cached.path == dirPath {
                dirFD = cached.fd
            } else {
                var fd = dup(rootFD)
                guard fd >= 0 else { throw ModuleZipError.system("dup", errno, path: entry.name) }
                var walked: [UInt8] = []
                for element in elements.dropLast() {
                    walked += walked.isEmpty ? element : [0x2F] + element
                    // Inside the private 0700 directory: the umask's mode is safe here.
                    if element.withCString({ mkdirat(fd, $0, 0o777) }) != 0 && errno != EEXIST {
                        let err = errno
                        close(fd)
                        throw ModuleZipError.system("mkdir \(goQuote(walked))", err, path: entry.name)
                    }
                    let next = element.withCString { openat(fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
                    let err = errno
                    close(fd)
                    guard next >= 0 else {
                        throw ModuleZipError.system("open \(goQuote(walked))", err, path: entry.name)
                    }
                    fd = next
                }
                if let old = cached { close(old.fd) }
                cached = (dirPath, fd)
                dirFD = fd
            }
            let fileFD = fileName.withCString {
                openat(dirFD, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, fileMode)
            }
            guard fileFD >= 0 else {
                let err = errno
                if err == EEXIST {
                    throw ModuleZipError(.fileExists, message: "open \(goQuote(name)): file exists", path: entry.name)
                }
                throw ModuleZipError.system("open \(goQuote(name))", err, path: entry.name)
            }
            var writeError: ModuleZipError?
            do {
                try reader.read(entry, in: archive) { chunk in
                    guard writeError == nil else { return }
                    do throws(SystemErrno) { try writeFully(fileFD, chunk) } catch {
                        writeError = ModuleZipError.system("write \(goQuote(name))", error.code, path: entry.name)
                    }
                }
            } catch {
                close(fileFD)
                throw ModuleZipError(.zip, message: error.description, path: entry.name, zipError: error)
            }
            guard close(fileFD) == 0 || errno == EINTR else {
                throw ModuleZipError.system("close \(goQuote(name))", errno, path: entry.name)
            }
            if let writeError { throw writeError }
        }
    }

    /// Makes every directory below `rootFD` (the private extraction directory, which holds only
    /// what ``extract(_:of:stripping:into:fileMode:)`` made) mode 0555: a walk with descriptors,
    /// never following a link, holding one listing per level (at most ``maxPathDepth``
    /// levels). Pre-order works because 0555 keeps search permission.
    static func makeDirectoriesReadOnly(below rootFD: Int32) throws(ModuleZipError) {
        var stack: [(fd: Int32, names: [[UInt8]], next: Int)] = []
        defer { for frame in stack { close(frame.fd) } }
        func push(_ fd: Int32) throws(ModuleZipError) {
            let listFD = dup(fd)
            guard listFD >= 0 else {
                let err = errno
                close(fd)
                throw ModuleZipError.system("dup", err)
            }
            let names: [[UInt8]]
            do {
                names = try directoryNames(listFD)
            } catch {
                close(fd)
                throw error
            }
            stack.append((fd, names, 0))
        }
        let start = dup(rootFD)
        guard start >= 0 else { throw ModuleZipError.system("dup", errno) }
        try push(start)
        while let top = stack.last {
            guard top.next < top.names.count else {
                close(top.fd)
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].next += 1
            let name = top.names[top.next]
            var info = stat()
            guard name.withCString({ fstatat(top.fd, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                throw ModuleZipError.system("lstat \(goQuote(name))", errno)
            }
            guard info.st_mode & S_IFMT == S_IFDIR else { continue }
            let fd = name.withCString { openat(top.fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard fd >= 0 else { throw ModuleZipError.system("open \(goQuote(name))", errno) }
            guard fchmod(fd, 0o555) == 0 else {
                let err = errno
                close(fd)
                throw ModuleZipError.system("chmod \(goQuote(name))", err)
            }
            try push(fd)
        }
    }

    /// Fails unless `target` is absent or an empty directory (never following a link).
    private static func requireEmptyOrAbsent(_ target: [UInt8], display: String) throws(ModuleZipError) {
        var info = stat()
        guard target.withCString({ lstat($0, &info) }) == 0 else {
            guard errno == ENOENT else {
                throw ModuleZipError.system("lstat \(display)", errno)
            }
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ModuleZipError(.targetNotDirectory,
                                 message: "target \(display) exists and is not a directory (symbolic links are not followed)")
        }
        let fd = target.withCString { open($0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { throw ModuleZipError.system("open \(display)", errno) }
        guard try directoryNames(fd).isEmpty else {
            throw ModuleZipError(.targetNotEmpty, message: "target directory \(display) exists and is not empty")
        }
    }

    /// The parent directory (`.` when there is none) and the last element of a target path.
    private static func splitTarget(_ target: [UInt8]) -> (parent: [UInt8], base: [UInt8]) {
        var path = target
        while path.count > 1 && path.last == 0x2F { path.removeLast() }
        guard let slash = path.lastIndex(of: 0x2F) else { return ([0x2E], path) }
        let parent = slash == 0 ? [0x2F] : Array(path[..<slash])
        return (parent, Array(path[(slash + 1)...]))
    }

    /// Creates a new mode-0700 directory with an unpredictable name next to `base` and opens it.
    private static func makePrivateDirectory(in parentFD: Int32, near base: [UInt8]) throws(ModuleZipError) -> ([UInt8], Int32) {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let suffix = String(random.next() as UInt64, radix: 36)
            let name = Array(".\(String(decoding: base.prefix(64), as: UTF8.self)).gomodkit-unzip-\(suffix)".utf8)
            if name.withCString({ mkdirat(parentFD, $0, 0o700) }) == 0 {
                let fd = name.withCString { openat(parentFD, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
                guard fd >= 0 else {
                    let err = errno
                    _ = name.withCString { unlinkat(parentFD, $0, AT_REMOVEDIR) }
                    throw ModuleZipError.system("open temporary directory", err)
                }
                return (name, fd)
            }
            guard errno == EEXIST else {
                throw ModuleZipError.system("create temporary directory", errno)
            }
        }
        throw ModuleZipError(.io, message: "create temporary directory: too many collisions")
    }

    /// `0777` less the process umask, learnt from a probe directory (calling `umask` would
    /// race with other threads).
    private static func directoryModeAfterUmask(_ dirFD: Int32) -> mode_t {
        let probe = Array(".umask-probe".utf8)
        guard probe.withCString({ mkdirat(dirFD, $0, 0o777) }) == 0 else { return 0o755 }
        var info = stat()
        let ok = probe.withCString { fstatat(dirFD, $0, &info, AT_SYMLINK_NOFOLLOW) } == 0
        _ = probe.withCString { unlinkat(dirFD, $0, AT_REMOVEDIR) }
        return ok ? info.st_mode & 0o777 : 0o755
    }

    /// Whether the file system holding `dirFD` treats NFC and NFD spellings of a name as one.
    private static func probeNormalizing(_ dirFD: Int32) -> Bool {
        let nfc = Array(".probe-\u{E9}".utf8), nfd = Array(".probe-e\u{301}".utf8)
        let fd = nfc.withCString { openat(dirFD, $0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        guard fd >= 0 else { return true }
        close(fd)
        var info = stat()
        let aliased = nfd.withCString { fstatat(dirFD, $0, &info, AT_SYMLINK_NOFOLLOW) } == 0
        _ = nfc.withCString { unlinkat(dirFD, $0, 0) }
        return aliased
    }
}

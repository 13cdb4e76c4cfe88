public import GoModCore
import GoModPlatform

extension ModuleZip {
    /// Lists the files of a directory tree as x/mod's `CreateFromDir` does (its
    /// `listFilesInDir`), for ``create(_:files:output:options:)``, and reports what the
    /// listing itself leaves out.
    ///
    /// The walk is Go's `filepath.Walk` (lexical order, names compared as bytes; symbolic links
    /// are reported, never followed), without recursion. It omits directories named `.bzr`,
    /// `.git`, `.hg` or `.svn` (`directory is a version control repository`), directories
    /// holding an entry named exactly `go.mod` that is not a directory (`directory is in
    /// another module`), vendored paths by the rule of the root go.mod's `go` line, and
    /// anything that is not a regular file or directory (`not a regular file`).
    ///
    /// As in Go, the root `go.mod` is read through a symbolic link for its `go` line (bounded
    /// to 16 MiB; a larger or irregular go.mod counts as having none).
    public static func listFiles(inDirectory directory: String) throws(ModuleZipError) -> (files: [File], omitted: [FileError]) {
        let root = Array(directory.utf8)
        var goVersion: [UInt8] = []
        if let data = readFollowingLinks(root + Array("/go.mod".utf8), limit: maxGoMod) {
            goVersion = LaxGoVersion.languageVersion(ofGoMod: data)
        }
        let modern = usesModernVendorRule(goVersion)
        var files: [File] = []
        var omitted: [FileError] = []
        var nameBytes = 0

        var rootInfo = stat()
        guard root.withCString({ lstat($0, &rootInfo) }) == 0 else {
            throw ModuleZipError.system("lstat \(directory)", errno)
        }
        guard rootInfo.st_mode & S_IFMT == S_IFDIR else {
            // Go's walk calls its function on the root itself, with the relative path ".".
            if rootInfo.st_mode & S_IFMT == S_IFREG {
                files.append(File(path: ".", kind: .regular, size: Int64(rootInfo.st_size),
                                  content: .file(directory)))
            } else {
                omitted.append(FileError(path: [0x2E], code: .notRegularFile, "not a regular file"))
            }
            return (files, omitted)
        }

        struct Frame {
            var fd: Int32
            var relative: [UInt8]
            var names: [[UInt8]]
            var next = 0
        }
        var stack: [Frame] = []
        defer { for frame in stack { close(frame.fd) } }
        func openDirectory(_ relative: [UInt8]) throws(ModuleZipError) -> Frame {
            let fd = try openBeneath(root: root, relative: relative, flags: O_RDONLY | O_DIRECTORY)
            let listFD = dup(fd)
            guard listFD >= 0 else {
                close(fd)
                throw ModuleZipError.system("open \(goQuote(relative))", errno)
            }
            do {
                return Frame(fd: fd, relative: relative, names: try directoryNames(listFD))
            } catch {
                close(fd)
                throw ModuleZipError(.io, message: "readdir \(goQuote(root + [0x2F] + relative)): \(error.message)")
            }
        }
        stack.append(try openDirectory([]))

        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].next < stack[top].names.count else {
                close(stack[top].fd)
                stack.removeLast()
                continue
            }
            let name = stack[top].names[stack[top].next]
            stack[top].next += 1
            let parentFD = stack[top].fd
            let relative = stack[top].relative.isEmpty ? name : stack[top].relative + [0x2F] + name
            var info = stat()
            guard name.withCString({ fstatat(parentFD, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                throw ModuleZipError.system("lstat \(goQuote(root + [0x2F] + relative))", errno)
            }
            nameBytes += relative.count
            try checkCaps(count: files.count + omitted.count, nameBytes: nameBytes)
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                // Go reads a directory's names before deciding about it.
                let frame = try openDirectory(relative)
                if isVendored(relative, modern: modern) {
                    omitted.append(FileError(path: relative, code: .vendored, "file is in vendor directory"))
                    stack.append(frame)
                    continue
                }
                if [".bzr", ".git", ".hg", ".svn"].contains(where: { Array($0.utf8) == name }) {
                    omitted.append(FileError(path: relative, code: .vcsDirectory, "directory is a version control repository"))
                    close(frame.fd)
                    continue
                }
                var goModInfo = stat()
                if goModName.withCString({ fstatat(frame.fd, $0, &goModInfo, AT_SYMLINK_NOFOLLOW) }) == 0,
                   goModInfo.st_mode & S_IFMT != S_IFDIR {
                    omitted.append(FileError(path: relative, code: .submoduleDirectory, "directory is in another module"))
                    close(frame.fd)
                    continue
                }
                stack.append(frame)
                continue
            }
            if isVendored(relative, modern: modern) {
                omitted.append(FileError(path: relative, code: .vendored, "file is in vendor directory"))
                continue
            }
            guard type == S_IFREG else {
                omitted.append(FileError(path: relative, code: .notRegularFile, "not a regular file"))
                continue
            }
            files.append(File(path: ByteString(relative), kind: .regular, size: Int64(info.st_size),
                              content: .tree(root: root, relative: relative)))
        }
        return (files, omitted)
    }

    /// Checks the files of a directory tree as x/mod's `zip.CheckDir` does: the listing of
    /// ``listFiles(inDirectory:)`` classified by ``checkFiles(_:)``, with the listing's own
    /// omissions appended, every path joined with `directory` (Go's `filepath.Join`).
    ///
    /// - Throws: `ModuleZipError.Code.io` when the tree cannot be listed,
    ///   `ModuleZipError.Code.tooManyFiles` past GoModKit's caps.
    public static func checkDirectory(_ directory: String) throws(ModuleZipError) -> CheckedFiles {
        let (files, omitted) = try listFiles(inDirectory: directory)
        var cf = try checkFiles(files)
        cf.omitted += omitted
        let dir = Array(directory.utf8)
        func join(_ p: ByteString) -> ByteString {
            ByteString(goPathClean(dir.isEmpty ? p.bytes : dir + [0x2F] + p.bytes))
        }
        cf.valid = cf.valid.map(join)
        for i in cf.omitted.indices { cf.omitted[i].path = join(cf.omitted[i].path) }
        for i in cf.invalid.indices { cf.invalid[i].path = join(cf.invalid[i].path) }
        for i in cf.warnings.indices { cf.warnings[i].path = join(cf.warnings[i].path) }
        return cf
    }

    /// Builds a module zip from a directory tree as x/mod's `zip.CreateFromDir` does: the
    /// files of ``listFiles(inDirectory:)`` passed to ``create(_:files:output:options:)``.
    /// Nested modules, vendored packages, VCS directories, symbolic links and irregular files
    /// are left out; empty directories produce nothing. Errors carry Go's prefixes
    /// (`create zip <dir>: …`, `create zip from directory <dir>: …`).
    public static func createFromDirectory(_ module: ModuleVersion, directory: String, output: Output = .none,
                                           options: CreateOptions = CreateOptions()) throws(ModuleZipError) -> Created {
        let files: [File]
        do {
            files = try listFiles(inDirectory: directory).files
        } catch {
            throw error.within("create zip from directory \(directory)")
        }
        do {
            return try createChecked(module, files: files, output: output, options: options)
        } catch {
            throw error.within("create zip \(directory)")
        }
    }

    /// Reads a file the way `os.ReadFile` does (following symbolic links) if it is a regular
    /// file of at most `limit` bytes; `nil` otherwise.
    static func readFollowingLinks(_ path: [UInt8], limit: Int64) -> [UInt8]? {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int64(info.st_size) <= limit else { return nil }
        var out: [UInt8] = []
        var failed = false
        do {
            try readOpenFile(fd, limit: limit + 1) { out.append(contentsOf: $0) }
        } catch {
            failed = true
        }
        return failed || Int64(out.count) > limit ? nil : out
    }
}

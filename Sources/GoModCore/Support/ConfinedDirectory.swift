import GoModPlatform

/// Opening (and creating) a directory below a root without following a symbolic link in any
/// component below that root: the walk opens the root, then each further component with
/// `openat(parent, name, O_DIRECTORY|O_NOFOLLOW)`, creating a missing one with `mkdirat`
/// relative to its parent's descriptor. A component that is a symbolic link — even to a
/// directory — ends the walk with a typed error naming it, so a link planted at
/// `GOMODCACHE/cache/download/example.com/m/@v` cannot redirect a cache write elsewhere; nor can a
/// link swapped in during the walk, since every step is relative to a descriptor already held.
///
/// The root itself is opened as usual (a `GOMODCACHE` or `GOPATH` that is a symbolic link is the
/// user's choice, as for cmd/go). Stricter than cmd/go, which resolves every directory
/// (`os.MkdirAll`, `os.OpenFile`): see Docs/stricter-than-go.md.
package enum ConfinedDirectory {
    /// The rule a refused component breaks, as error texts quote it.
    package static func rule(root: String) -> String {
        "a directory below \(root) is a symbolic link; cache and state writes never follow one (stricter than go; remove the link)"
    }

    /// Opens the directory `path`, which must be `root` or below it, walking every component
    /// below `root` without following symbolic links; with `create`, missing directories
    /// (the root included, with its parents, as `os.MkdirAll` does) are made with mode 0777
    /// before the umask. Returns a descriptor (`O_RDONLY|O_DIRECTORY|O_CLOEXEC`) the caller
    /// closes.
    ///
    /// - Throws: ``AtomicFileError`` with operation ``AtomicFileError/Operation/openDirectory``
    ///   (or ``AtomicFileError/Operation/makeDirectory``) naming the component that failed;
    ///   for a symbolic link, code `ELOOP` and ``AtomicFileError/rule`` set.
    package static func open(_ path: String, below root: String, create: Bool) throws(AtomicFileError) -> Int32 {
        var rootPath = root
        while rootPath.utf8.count > 1 && rootPath.hasSuffix("/") { rootPath.removeLast() }
        let rootBytes = Array(rootPath.utf8)
        let bytes = Array(path.utf8)
        // `path` must be `root` or `root/…` (byte comparison).
        let relative: ArraySlice<UInt8>
        if bytes.count == rootBytes.count && bytes.elementsEqual(rootBytes) {
            relative = []
        } else if bytes.count > rootBytes.count, bytes.starts(with: rootBytes),
                  rootBytes == [UInt8(ascii: "/")] || bytes[rootBytes.count] == UInt8(ascii: "/") {
            relative = bytes[rootBytes.count...]
        } else {
            throw AtomicFileError(operation: .openDirectory, path: path, code: EXDEV,
                                  rule: "not below the root \(rootPath)")
        }
        let rootShown = rootPath.isEmpty ? "." : rootPath
        var fd = openDirectoryFollowing(rootShown)
        if fd < 0 && errno == ENOENT && create {
            do throws(MakeDirectoryAllError) { try makeDirectoryAll(rootShown) } catch {
                throw AtomicFileError(operation: .makeDirectory, path: error.path, code: error.code)
            }
            fd = openDirectoryFollowing(rootShown)
        }
        guard fd >= 0 else { throw AtomicFileError(operation: .openDirectory, path: rootShown, code: errno) }
        var shown = rootPath == "/" ? "" : rootPath
        for component in relative.split(separator: UInt8(ascii: "/")) {
            let name = String(decoding: component, as: UTF8.self)
            shown += "/" + name
            if component.elementsEqual(".".utf8) { continue }
            if component.elementsEqual("..".utf8) {
                close(fd)
                throw AtomicFileError(operation: .openDirectory, path: shown, code: EINVAL,
                                      rule: "a \"..\" component below \(rootPath) is refused")
            }
            var next: Int32 = -1
            var attempts = 0
            while true {
                next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if next >= 0 { break }
                var code = errno
                if code == EINTR { continue }
                if code == ENOENT && create && attempts < 8 {
                    attempts += 1
                    if mkdirat(fd, name, 0o777) == 0 || errno == EEXIST { continue }
                    code = errno
                    close(fd)
                    throw AtomicFileError(operation: .makeDirectory, path: shown, code: code)
                }
                // O_NOFOLLOW|O_DIRECTORY on a link fails with ELOOP or ENOTDIR (Linux checks
                // the directory flag first): tell a link from a plain file.
                var info = stat()
                if (code == ELOOP || code == ENOTDIR),
                   fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFLNK {
                    close(fd)
                    throw AtomicFileError(operation: .openDirectory, path: shown, code: ELOOP, rule: rule(root: rootPath))
                }
                close(fd)
                throw AtomicFileError(operation: .openDirectory, path: shown, code: code)
            }
            close(fd)
            fd = next
        }
        return fd
    }

    /// Makes `path` and its missing parents below `root` (see ``open(_:below:create:)``).
    package static func make(_ path: String, below root: String) throws(AtomicFileError) {
        close(try open(path, below: root, create: true))
    }

    /// Opens `name` in the directory `directoryFD` for a lock (`O_RDWR|O_CREAT|O_NOFOLLOW`).
    package static func openLockFile(_ directoryFD: Int32, _ name: String, shown: String) throws(AtomicFileError) -> Int32 {
        while true {
            let fd = openat(directoryFD, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o666)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            let code = errno
            if code == ELOOP {
                throw AtomicFileError(operation: .open, path: shown, code: code,
                                      rule: "the lock file is a symbolic link; refusing to follow it")
            }
            throw AtomicFileError(operation: .open, path: shown, code: code)
        }
    }
}

/// The root, opened as usual (`open` is shadowed inside ``ConfinedDirectory`` by its own).
private func openDirectoryFollowing(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
}

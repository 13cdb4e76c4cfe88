public import GoModCore
import GoModPlatform

extension ModuleZip {
    /// Where a created zip goes.
    public enum Output: Sendable, Hashable {
        /// Nowhere: only the `h1:` hash (and the report) is produced, from the same bytes a zip
        /// would hold. The fastest way to recompute a go.sum line.
        case none
        /// Into ``Created/zipBytes``.
        case memory
        /// Into a file, written under a temporary name in the same directory and renamed into
        /// place on success (an existing file is replaced; nothing is left on failure).
        case file(String)
    }

    /// Options for creating zips.
    public struct CreateOptions: Sendable, Hashable {
        /// zlib compression level, 0–9 or -1 for zlib's default (6, like Go's
        /// `flate.DefaultCompression`). The level changes the zip bytes, never the `h1:`.
        public var compressionLevel: Int32

        /// Creates options.
        public init(compressionLevel: Int32 = -1) {
            self.compressionLevel = compressionLevel
        }
    }

    /// The result of creating a module zip.
    public struct Created: Sendable, Hashable {
        /// How the input files were classified (valid ones are in the zip, in this order).
        public var checked: CheckedFiles
        /// The `h1:` hash of the zip (x/mod `dirhash.HashZip` of it): the go.sum line's hash.
        public var hash: DirHash
        /// The zip itself, for ``Output/memory``.
        public var zipBytes: [UInt8]?
        /// The content of the zip's root `go.mod`, when it has one.
        public var goMod: [UInt8]?
    }

    /// Builds a module zip from a list of files, as x/mod's `zip.Create` does: the version must
    /// be canonical and `module.Check` must pass; the files are classified by
    /// ``checkFiles(_:)`` and the call fails if any is invalid or the size limit is exceeded;
    /// valid files are written as `path@version/<name>`, deflated, in input order.
    ///
    /// Each file is read through a limit of its listed size plus one byte: a file that grew
    /// fails (`file "p" is larger than declared size`); one that shrank is written as it is now,
    /// as in Go. Errors carry Go's `create zip: ` prefix.
    public static func create(_ module: ModuleVersion, files: [File], output: Output = .none,
                              options: CreateOptions = CreateOptions()) throws(ModuleZipError) -> Created {
        do {
            return try createChecked(module, files: files, output: output, options: options)
        } catch {
            throw error.within("create zip")
        }
    }

    static func createChecked(_ module: ModuleVersion, files: [File], output: Output,
                              options: CreateOptions) throws(ModuleZipError) -> Created {
        try checkModule(module)
        let (checked, validIndices) = try checkFilesDetailed(files)
        if let error = checked.error { throw error }
        let prefix = prefix(module)

        var goMod: [UInt8]?
        if let root = validIndices.first(where: { files[$0].path.bytes == goModName }) {
            goMod = try readAll(files[root].content, limit: maxGoMod)
        }

        switch output {
        case .none:
            let writer = try ModuleZipWriter(sink: nil, level: options.compressionLevel)
            for index in validIndices {
                let file = files[index]
                try writer.add(name: prefix + file.path.bytes, path: file.path.bytes, content: file.content, size: file.size)
            }
            return Created(checked: checked, hash: try summary(writer), zipBytes: nil, goMod: goMod)
        case .memory:
            let sink = ZipSink(.memory)
            let writer = try ModuleZipWriter(sink: sink, level: options.compressionLevel)
            for index in validIndices {
                let file = files[index]
                try writer.add(name: prefix + file.path.bytes, path: file.path.bytes, content: file.content, size: file.size)
            }
            try writer.finish()
            return Created(checked: checked, hash: try summary(writer), zipBytes: sink.bytes, goMod: goMod)
        case .file(let path):
            return try writeFileAtomically(path) { (fd) throws(ModuleZipError) in
                let sink = ZipSink(.file(fd, path))
                let writer = try ModuleZipWriter(sink: sink, level: options.compressionLevel)
                for index in validIndices {
                    let file = files[index]
                    try writer.add(name: prefix + file.path.bytes, path: file.path.bytes, content: file.content, size: file.size)
                }
                try writer.finish()
                return Created(checked: checked, hash: try summary(writer), zipBytes: nil, goMod: goMod)
            }
        }
    }

    private static func summary(_ writer: ModuleZipWriter) throws(ModuleZipError) -> DirHash {
        do {
            return try DirHash.hash1(summarising: writer.digests)
        } catch {
            // Unreachable: valid paths never contain a newline.
            throw ModuleZipError(.invalidFiles, message: error.description)
        }
    }

    /// Runs `body` on a new temporary file next to `path`, then renames it to `path`; removes
    /// the temporary file if anything fails.
    static func writeFileAtomically<R>(_ path: String,
                                       _ body: (Int32) throws(ModuleZipError) -> R) throws(ModuleZipError) -> R {
        let target = Array(path.utf8)
        let (dir, base) = splitPath(target)
        var temporary: [UInt8] = []
        var fd: Int32 = -1
        for attempt in 0..<100 {
            var random = SystemRandomNumberGenerator()
            let suffix = String(random.next() as UInt64, radix: 36)
            temporary = dir + Array(".\(String(decoding: base, as: UTF8.self)).tmp-\(suffix)-\(attempt)".utf8)
            fd = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o666) }
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw ModuleZipError.system("create \(goQuote(target))", errno)
        }
        do throws(ModuleZipError) {
            let result = try body(fd)
            guard fsync(fd) == 0 || errno == EINVAL else {
                throw ModuleZipError.system("sync \(goQuote(target))", errno)
            }
            // A delayed write error (NFS, some FUSE volumes) can surface only at close.
            let closed = close(fd)
            let closeError = errno
            fd = -1
            guard closed == 0 || closeError == EINTR else {
                throw ModuleZipError.system("close \(goQuote(temporary))", closeError)
            }
            guard temporary.withCString({ from in target.withCString { rename(from, $0) } }) == 0 else {
                throw ModuleZipError.system("rename to \(goQuote(target))", errno)
            }
            return result
        } catch {
            if fd >= 0 { close(fd) }
            _ = temporary.withCString { unlink($0) }
            throw error
        }
    }
}

public import GoModCore
import Crypto
import Dispatch
import GoModPlatform
import Synchronization

extension DirHash {
    /// The `h1:` hash of a module zip: x/mod's `dirhash.HashZip`.
    ///
    /// Every central-directory entry is hashed under its stored name (including the
    /// `path@version/` prefix) with its decompressed contents; directory entries and an entry
    /// named exactly the prefix count as empty files, as in Go (x/mod `sumdb/dirhash/hash.go`). No
    /// module-zip policy is applied here.
    ///
    /// Entries are inflated and hashed on up to `parallelism` threads (default: one per active
    /// core), largest first; the summary is assembled in byte order afterwards, so the result
    /// does not depend on scheduling. Each thread streams through fixed buffers, so memory does
    /// not grow with entry sizes.
    ///
    /// With ``ZipArchive/Mode/strict`` (the default), a name occurring twice in the central
    /// directory is `DirHashError.Code.duplicateEntry`, as `CheckZip` rejects it. With
    /// ``ZipArchive/Mode/goCompatible`` the result is bit-for-bit x/mod `dirhash.HashZip`: the
    /// **last** entry of a duplicated name is hashed once per occurrence (Go opens entries through
    /// a name-to-entry map) — for forensics and differential tests.
    public static func hashZip(_ archive: ZipArchive, mode: ZipArchive.Mode = .strict,
                               parallelism: Int? = nil) throws(DirHashError) -> DirHash {
        let entries = archive.entries
        for entry in entries where entry.name.contains(0x0A) {
            throw DirHashError(.newlineInName, name: entry.name,
                               message: "dirhash: filenames with newlines are not supported")
        }
        // The entry each name resolves to: the last one with that name (Go's map semantics).
        var lastIndex: [ByteString: Int] = [:]
        lastIndex.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() {
            if lastIndex.updateValue(position, forKey: entry.name) != nil, mode == .strict {
                throw DirHashError(.duplicateEntry, name: entry.name,
                                   message: "multiple entries for file \(entry.name)")
            }
        }
        var work = Array(Set(lastIndex.values))
        work.sort { entries[$0].uncompressedSize > entries[$1].uncompressedSize }

        let digests = try hashEntries(work, of: archive, parallelism: parallelism)
        let items = entries.map { entry in
            // `lastIndex` has every name; `digests` has every resolved position.
            (name: entry.name, fileDigest: digests[lastIndex[entry.name] ?? 0] ?? [])
        }
        return try hash1(summarising: items)
    }

    /// Opens the zip at `path` in `mode` and returns its `h1:` hash (see
    /// ``hashZip(_:mode:parallelism:)`` for what `mode` changes).
    public static func hashZip(path: String, mode: ZipArchive.Mode = .strict,
                               limits: ZipArchive.Limits = .goModuleZip) throws(DirHashError) -> DirHash {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path, mode: mode, limits: limits)
        } catch {
            throw DirHashError(.zip, name: ByteString(path), message: error.description, zipError: error)
        }
        return try hashZip(archive, mode: mode)
    }

    /// SHA-256 of the contents of the entries at `positions`, computed on several threads.
    private static func hashEntries(_ positions: [Int], of archive: ZipArchive,
                                    parallelism: Int?) throws(DirHashError) -> [Int: [UInt8]] {
        let entries = archive.entries
        let totalBytes = positions.reduce(Int64(0)) { $0 &+ max(0, entries[$1].uncompressedSize) }
        // Small archives are hashed on the calling thread without asking how many cores there
        // are: FoundationEssentials' ProcessInfo costs about 0.3 ms to set up, a tenth of the
        // CLI's start-up (Docs/performance.md).
        var threads = totalBytes < 1 << 20 ? 1 : (parallelism ?? ProcessInfo.processInfo.activeProcessorCount)
        threads = max(1, min(threads, positions.count))

        let job = HashJob()
        let worker: @Sendable (Int) -> Void = { _ in
            var local: [(Int, [UInt8])] = []
            var failure: DirHashError?
            do throws(ZipError) {
                let reader = try ZipEntryReader()
                while !job.failed.load(ordering: .relaxed) {
                    let slot = job.next.add(1, ordering: .relaxed).oldValue
                    guard slot < positions.count else { break }
                    let entry = entries[positions[slot]]
                    var hasher = SHA256()
                    try reader.read(entry, in: archive) { chunk in hasher.update(bufferPointer: chunk) }
                    local.append((positions[slot], Array(hasher.finalize())))
                }
            } catch {
                failure = DirHashError(.zip, name: error.entry, message: error.description, zipError: error)
            }
            if failure != nil { job.failed.store(true, ordering: .relaxed) }
            job.results.withLock { state in
                for (position, digest) in local { state.digests[position] = digest }
                if state.error == nil, let failure { state.error = failure }
            }
        }
        if threads == 1 {
            worker(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: threads, execute: worker)
        }
        let (digests, error) = job.results.withLock { ($0.digests, $0.error) }
        if let error { throw error }
        return digests
    }
}

/// Shared state of one parallel ``DirHash/hashZip(_:mode:parallelism:)`` run.
private final class HashJob: Sendable {
    /// The next slot of the work list to take.
    let next = Atomic<Int>(0)
    /// Set when a worker failed, so the others stop early.
    let failed = Atomic<Bool>(false)
    /// Digests by entry position, and the first failure.
    let results = Mutex<(digests: [Int: [UInt8]], error: DirHashError?)>(([:], nil))
}

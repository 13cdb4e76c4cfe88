import GoModZip

/// Small limits so that every input is cheap and the fuzzer's `-malloc_limit_mb=64` turns any
/// allocation sized from a declared field into a finding.
let fuzzLimits = ZipArchive.Limits(
    maxArchiveSize: 4 << 20, maxEntries: 4096, maxNameLength: 4096, maxTotalNameBytes: 1 << 20,
    maxEntrySize: 8 << 20, maxTotalUncompressedSize: 16 << 20, maxContentsSize: 1 << 20)

/// libFuzzer entry point: opens the input as a zip in both modes, lists every entry (names
/// quoted as in messages), reads every entry with a reused reader and through `contents(of:)`,
/// and renders every error and warning.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZipReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for mode in [ZipArchive.Mode.strict, .lenient] {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: bytes, mode: mode, limits: fuzzLimits)
        } catch {
            _ = error.description
            continue
        }
        for warning in archive.warnings { _ = warning.description }
        guard let reader = try? ZipEntryReader(bufferSize: 8 * 1024) else { continue }
        var total = 0
        for entry in archive.entries {
            _ = entry.name.description
            do {
                try reader.read(entry, in: archive) { total &+= $0.count }
                precondition(total >= 0)
            } catch {
                _ = error.description
            }
            if let contents = try? archive.contents(of: entry) {
                precondition(Int64(contents.count) == entry.uncompressedSize || entry.isDirectory)
            }
        }
    }
    return 0
}

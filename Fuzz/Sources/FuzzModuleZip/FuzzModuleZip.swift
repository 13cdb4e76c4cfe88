import GoModCore
import GoModZip

/// The limits `ModuleZip.checkZip(_:path:mode:)` opens a zip with (`ModuleZip.policyLimits`,
/// package access, so restated here): the module-zip reader bounds with the size limits left to
/// the policy, so that the policy's own sums over the declared sizes — against the real 500 MiB
/// `ModuleZip.maxZipFile` — are what gets exercised (issue 13: fuzzing with 8–16 MiB reader limits
/// never reached the overflowing totals).
let policyLimits: ZipArchive.Limits = {
    var limits = ZipArchive.Limits.goModuleZip
    limits.maxEntrySize = .max
    limits.maxTotalUncompressedSize = .max
    return limits
}()

/// The module every entry must be under: taken from the first entry's name when that names a
/// valid `path@version/` prefix (so the fuzzer can vary it), else `example.com/m@v1.0.0`.
func module(of archive: ZipArchive) -> ModuleVersion {
    let fallback = ModuleVersion(path: "example.com/m", version: "v1.0.0")
    guard let name = archive.entries.first?.name.bytes, let at = name.firstIndex(of: 0x40),
          let slash = name[at...].firstIndex(of: 0x2F) else { return fallback }
    let candidate = ModuleVersion(path: ByteString(name[..<at]), version: ByteString(name[(at + 1)..<slash]))
    guard (try? candidate.check()) != nil, Module.canonicalVersion(candidate.version) == candidate.version else { return fallback }
    return candidate
}

/// libFuzzer entry point for the module-zip policy (x/mod `zip.CheckZip`) and `h1:` hashing with
/// the real module-zip limits (Docs/Testing.md, "Fuzzing"; issue 13 point 9).
///
/// Opens the input with the Go module zip limits and with the policy's limits, in both reader
/// modes; runs `ModuleZip.checkZip` and `DirHash.hashZip` on every archive that opens.
/// Invariants: the check never throws for a module that passes `module.Check`; every valid name
/// carries the module prefix, valid names are entries' names in entry order, and when the valid
/// files alone declare more than 500 MiB there is a size error; and a zip the check accepts hashes
/// identically in both modes (its names are unique, so Go's duplicate handling cannot differ).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModuleZip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for limits in [ZipArchive.Limits.goModuleZip, policyLimits] {
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            let archive: ZipArchive
            do {
                archive = try ZipArchive(bytes: bytes, mode: mode, limits: limits)
            } catch {
                _ = error.description
                continue
            }
            check(archive, mode: mode)
        }
    }
    return 0
}

func check(_ archive: ZipArchive, mode: ZipArchive.Mode) {
    let module = module(of: archive)
    let checked: ModuleZip.CheckedFiles
    do {
        checked = try ModuleZip.checkZip(module, archive: archive)
    } catch {
        fatalError("checkZip threw for a valid module \(module): \(error)")
    }
    let prefix = module.path.bytes + [0x40] + module.version.bytes + [0x2F]
    for name in checked.valid where !name.bytes.starts(with: prefix) {
        fatalError("valid name \(name) lacks the prefix")
    }
    // The size rule, one direction restated: every valid file was counted, so when the valid
    // files' declared sizes alone exceed 500 MiB (or overflow), the report has a size error.
    var total: Int64 = 0
    var tooLarge = false
    var next = checked.valid.makeIterator()
    var want = next.next()
    for entry in archive.entries where entry.name == want {
        let (sum, overflow) = total.addingReportingOverflow(entry.uncompressedSize)
        if overflow || sum > ModuleZip.maxZipFile { tooLarge = true }
        total = overflow ? .max : sum
        want = next.next()
    }
    if want != nil { fatalError("valid names are not the entries' names in order") }
    if tooLarge && checked.sizeError == nil {
        fatalError("valid files declare more than \(ModuleZip.maxZipFile) bytes and no size error")
    }
    for e in checked.invalid + checked.omitted + checked.warnings { _ = e.description }
    _ = checked.error?.description

    let hash = try? DirHash.hashZip(archive, mode: mode, parallelism: 1)
    if checked.isValid, mode == .strict, let hash {
        if let other = try? DirHash.hashZip(archive, mode: .goCompatible, parallelism: 1), other != hash {
            fatalError("strict and Go-compatible hashes differ for a zip the check accepts")
        }
    }
}

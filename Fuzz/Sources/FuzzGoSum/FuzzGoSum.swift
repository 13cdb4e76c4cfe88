import GoModCore

/// libFuzzer entry point for the go.sum reader (Docs/Testing.md, "Fuzzing").
///
/// Reads the input in every mode, then checks two invariants that hold for any input: the
/// canonical form of what was read parses again in cmd/go's strict mode without error, and
/// formatting is idempotent. Any crash, trap or violated invariant is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoSum(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for mode in GoSum.ReadingMode.allCases {
        guard let sums = try? GoSum(parsing: bytes, fileName: "fuzz.sum", mode: mode,
                                    limits: GoSum.Limits(maxBytes: 1 << 20)) else { continue }
        _ = sums.diagnostics.map(\.description)
        let formatted = sums.formatted()
        guard let again = try? GoSum(parsing: formatted, fileName: "formatted.sum", mode: .go) else {
            fatalError("canonical output does not parse in cmd/go mode")
        }
        if again.formatted() != formatted { fatalError("formatting is not idempotent") }
        if let first = sums.records.first, let hash = DirHash("h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") {
            _ = sums.check(first.key, hash: hash)
        }
    }
    return 0
}

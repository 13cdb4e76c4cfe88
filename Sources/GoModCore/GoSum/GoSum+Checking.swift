extension GoSum {
    /// The outcome of checking a computed hash against go.sum.
    public enum CheckResult: Sendable, Hashable {
        /// The hash is recorded for the key.
        case match
        /// A different `h1:` hash is recorded: cmd/go's `SECURITY ERROR` (see
        /// ``checksumMismatchMessage(for:downloaded:recorded:)``).
        case mismatch(recorded: ByteString, line: Int)
        /// Nothing is recorded for the key; cmd/go would consult the checksum database.
        case notPresent
        /// Only hashes of unknown algorithms are recorded; they can verify nothing. cmd/go
        /// would add the new hash with the warning of
        /// ``unknownHashesWarning(for:recorded:adding:)``.
        case unverifiable(recorded: [ByteString])
    }

    /// Checks a freshly computed hash for a key (`version` with a `/go.mod` suffix for go.mod
    /// hashes), as cmd/go's `checkModSum` consults go.sum.
    ///
    /// In the Go-compatible modes this is `haveModSumLocked` exactly: the recorded hashes are
    /// walked in file order; an identical one is a match, and the first different hash that
    /// starts with `h1:` is a mismatch — so with two different `h1:` lines the first one
    /// decides. In ``ReadingMode/strict`` mode any different `h1:` hash recorded for the key is
    /// a mismatch, even when another line matches (the file is conflicting; see
    /// `GoSumDiagnostic.Code.conflictingHashes`).
    public func check(_ key: ModuleVersion, hash: DirHash) -> CheckResult {
        let computed = ByteString(hash.description)
        let keyRecords = records(for: key)
        guard !keyRecords.isEmpty else { return .notPresent }
        if mode == .strict {
            if let other = keyRecords.first(where: { $0.hash != computed && $0.hash.hasPrefix("h1:") }) {
                return .mismatch(recorded: other.hash, line: other.line)
            }
            if keyRecords.contains(where: { $0.hash == computed }) { return .match }
        } else {
            for record in keyRecords {
                if record.hash == computed { return .match }
                if record.hash.hasPrefix("h1:") { return .mismatch(recorded: record.hash, line: record.line) }
            }
        }
        return .unverifiable(recorded: keyRecords.map(\.hash))
    }

    /// Checks the hash of a module's zip (`goMod: false`) or of its go.mod (`goMod: true`).
    public func check(_ module: ModuleVersion, goMod: Bool, hash: DirHash) -> CheckResult {
        check(Self.key(module, goMod: goMod), hash: hash)
    }

    /// The name cmd/go uses for this file in messages: `go.work.sum` when the file name ends
    /// in `go.work.sum`, else `go.sum`.
    public var sumFileName: String {
        ByteString(fileName).hasSuffix("go.work.sum") ? "go.work.sum" : "go.sum"
    }

    /// cmd/go's go.sum mismatch text (`modfetch.haveModSumLocked`), byte for byte as it
    /// follows `go: ` on standard error:
    ///
    ///     verifying <path>@<version>: checksum mismatch
    ///     	downloaded: <h>
    ///     	go.sum:     <recorded>
    ///
    ///     SECURITY ERROR
    ///     This download does NOT match an earlier download recorded in go.sum.
    ///     …
    ///
    /// `<version>` includes the `/go.mod` suffix for go.mod hashes; `go.work.sum` replaces
    /// `go.sum` on the third line for a workspace file (``sumFileName``). Path and version are
    /// inserted raw, as Go does; escape the text before showing untrusted names.
    public func checksumMismatchMessage(for key: ModuleVersion, downloaded: DirHash,
                                        recorded: ByteString) -> [UInt8] {
        Self.checksumMismatchMessage(for: key, downloaded: ByteString(downloaded.description), recorded: recorded,
                                     sumFileName: sumFileName)
    }

    /// cmd/go's go.sum mismatch text for any file name (see the instance method).
    public static func checksumMismatchMessage(for key: ModuleVersion, downloaded: ByteString,
                                               recorded: ByteString, sumFileName: String = "go.sum") -> [UInt8] {
        var out = Array("verifying ".utf8) + key.path.bytes + [UInt8(ascii: "@")] + key.version.bytes
        out += Array(": checksum mismatch\n\tdownloaded: ".utf8) + downloaded.bytes
        out += Array("\n\t\(sumFileName):     ".utf8) + recorded.bytes
        out += Array(goSumMismatchText.utf8)
        return out
    }

    /// cmd/go's warning when a hash is added to a key that has only unknown-algorithm hashes
    /// (`modfetch.addModSumLocked`), byte for byte as printed on standard error (no `go: `
    /// prefix): `warning: verifying <path>@<version>: unknown hashes in go.sum: <h, h…>; adding
    /// <h>` followed by the `SECURITY WARNING` paragraph.
    public static func unknownHashesWarning(for key: ModuleVersion, recorded: [ByteString],
                                            adding: DirHash) -> [UInt8] {
        var out = Array("warning: verifying ".utf8) + key.path.bytes + [UInt8(ascii: "@")] + key.version.bytes
        out += Array(": unknown hashes in go.sum: ".utf8)
        for (i, hash) in recorded.enumerated() {
            if i > 0 { out += Array(", ".utf8) }
            out += hash.bytes
        }
        out += Array("; adding ".utf8) + Array(adding.description.utf8)
        out += Array(hashVersionMismatchText.utf8)
        return out
    }

    /// The paragraph cmd/go appends to a go.sum mismatch (`modfetch.goSumMismatch`).
    static let goSumMismatchText = """


        SECURITY ERROR
        This download does NOT match an earlier download recorded in go.sum.
        The bits may have been replaced on the origin server, or an attacker may
        have intercepted the download attempt.

        For more information, see 'go help module-auth'.

        """

    /// The paragraph cmd/go appends to the unknown-hashes warning (`modfetch.hashVersionMismatch`).
    static let hashVersionMismatchText = """


        SECURITY WARNING
        This download is listed in go.sum, but using an unknown hash algorithm.
        The download cannot be verified.

        For more information, see 'go help module-auth'.


        """
}

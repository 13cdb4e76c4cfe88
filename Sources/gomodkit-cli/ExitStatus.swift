import GoModKit

/// The exit status of every `gomodkit` command: the one place that decides it.
///
/// | status | meaning |
/// |---|---|
/// | 0 | verified / clean |
/// | 1 | a finding: a mismatch, a fork, a bad zip, a typosquat, a divergence, a policy violation |
/// | 2 | usage error, or local input that cannot be read (go.mod, go.sum, zip, cache, config) |
/// | 3 | could not verify: database or proxy unreachable, timeout, offline cache miss, a check that could not run |
///
/// When several apply, 1 wins over 2, and 2 over 3 (a finding is never hidden behind a network
/// failure; a local problem that a retry cannot fix is never reported as retryable). Commands
/// report every checked item into an ``Outcome``; the mapping from typed library errors and
/// report contents to a ``Verdict`` is ``Verdict/init(_:)`` and its siblings below, never
/// string matching. The README describes the table; ``ExitStatus/help`` is the
/// text every command's `--help` ends with.
enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything checked out.
    case clean = 0
    /// A verification failed: the data is wrong or not vouched for.
    case finding = 1
    /// Bad usage or unreadable local input.
    case usage = 2
    /// Something could not be verified (the network, the cache, a check that could not run).
    case unverified = 3

    /// Precedence when several items end differently: finding > usage > unverified > clean.
    var precedence: Int {
        switch self {
        case .clean: 0
        case .unverified: 1
        case .usage: 2
        case .finding: 3
        }
    }

    /// The exit-status paragraph of every command's `--help` (and the README's table).
    static let help = """
        Exit status: 0 verified/clean; 1 a finding (mismatch, fork, bad zip, typosquat, \
        divergence, policy violation); 2 bad usage or unreadable local input; 3 could not \
        verify (database or proxy unreachable, timeout, offline cache miss, a check that could \
        not run). 1 wins over 2, and 2 over 3.
        """

    /// `discussion` followed by the exit-status paragraph.
    static func discussion(_ text: String) -> String {
        text.isEmpty ? help : text + "\n\n" + help
    }
}

/// What one checked item (a module, a go.sum line, a zip, a check) came to.
enum Verdict: Sendable, Hashable {
    /// Verified, or nothing to report.
    case clean
    /// A verification failed (exit 1).
    case finding
    /// Bad usage or unreadable local input (exit 2).
    case input
    /// Could not be verified (exit 3).
    case unverified

    /// The exit status this verdict alone would give.
    var status: ExitStatus {
        switch self {
        case .clean: .clean
        case .finding: .finding
        case .input: .usage
        case .unverified: .unverified
        }
    }
}

/// The verdicts of one command run, and the exit status they give.
///
/// Commands (and later additions such as a `--deadline` that leaves lines unchecked) call
/// ``record(_:)`` for every item they report, then ``finish(message:)``.
struct Outcome: Sendable {
    /// How many items ended with each verdict.
    private(set) var counts: [Verdict: Int] = [:]

    /// An empty outcome (exit 0 until something is recorded).
    init() {}

    /// Records one item's verdict.
    mutating func record(_ verdict: Verdict) { counts[verdict, default: 0] += 1 }

    /// Records the verdict of a failure (``Verdict/init(_:)``).
    mutating func record(_ error: any Error) { record(Verdict(error)) }

    /// The exit status: the verdict of highest ``ExitStatus/precedence``.
    var status: ExitStatus {
        counts.filter { $0.value > 0 }.keys.map(\.status).max { $0.precedence < $1.precedence } ?? .clean
    }

    /// Returns when clean; otherwise throws the ``CLIFailure`` that exits with ``status``.
    func finish(message: String = "") throws(CLIFailure) {
        let status = status
        guard status != .clean else { return }
        throw CLIFailure(code: status.rawValue, message: message)
    }
}

// MARK: - Classification of library errors

extension Verdict {
    /// The verdict of a library failure, from its type and code (unknown errors and codes a
    /// newer library adds are "could not verify", never "clean").
    init(_ error: any Error) {
        switch error {
        case let e as CLIFailure:
            self = switch e.code {
            case ExitStatus.clean.rawValue: .clean
            case ExitStatus.finding.rawValue: .finding
            case ExitStatus.usage.rawValue: .input
            default: .unverified
            }
        case let e as ModuleCacheError: self.init(e)
        case let e as ChecksumDatabaseError: self.init(e)
        case let e as ModuleProxyError: self.init(e)
        case let e as HTTPTransportError: self.init(e)
        case let e as DivergenceError: self.init(e, fromNetwork: true)
        case is ZipError, is ModuleZipError: self = .finding
        default: self = .unverified
        }
    }

    /// A module-cache failure (download, `go mod verify`, vendor check).
    init(_ error: ModuleCacheError) {
        switch error.code {
        case .goSumMismatch, .checksumDatabaseMismatch, .zipModified, .dirModified, .goSumCacheMismatch,
             .goSumDatabaseMismatch, .vendorFileModified, .modulePathMismatch, .invalidZip,
             .invalidPseudoVersion, .vendorInconsistent, .missingZipHash, .hashFailed:
            // A cached module without its .ziphash, or whose zip or tree cannot be hashed (a
            // checksum error), fails `go mod verify` as a modified one does.
            self = .finding
        case .proxy:
            self = error.proxyError.map { Verdict($0) } ?? .unverified
        case .checksumDatabaseFailure:
            self = error.checksumDatabaseError.map { Verdict($0) } ?? .unverified
        case .invalidModule, .io:
            self = .input
        case .graph:
            // The project's own go.mod (no module named) is local input; a dependency's go.mod
            // missing from the cache is an offline cache miss.
            self = error.module == nil ? .input : .unverified
        case .vendorUnverifiable:
            self = .unverified
        default:
            self = .unverified
        }
    }

    /// A checksum-database failure.
    init(_ error: ChecksumDatabaseError) {
        if error.isSecurityFailure { self = .finding; return }
        switch error.code {
        case .notFound:
            // The database says the module version does not exist: cmd/go refuses the module.
            self = .finding
        case .disabled, .invalidConfiguration, .invalidModule, .stateCorrupt, .storeFailure:
            self = .input
        case .skipped:
            self = .clean
        case .transport:
            self = (error.underlying as? HTTPTransportError).map { Verdict($0) } ?? .unverified
        case .httpStatus, .offlineMissing, .tooManyRequests, .writeConflict:
            self = .unverified
        default:
            self = .unverified
        }
    }

    /// A module-proxy failure.
    init(_ error: ModuleProxyError) {
        switch error.code {
        case .proxyVersionMismatch, .oversizeResponse:
            // The proxy answered for another version, or with more than a module may hold.
            self = .finding
        case .invalidModule, .notCanonical, .emptyProxyList, .invalidProxyURL, .directUnsupported:
            self = .input
        case .transport:
            self = (error.underlying as? HTTPTransportError).map { Verdict($0) } ?? .unverified
        case .notAZip:
            // No zip at all (an error page, a captive portal) could not be verified; a zip whose
            // records break the reader's rules (sizes that overflow, entries over the limits) is
            // a bad zip served by the proxy: a finding.
            if let zip = error.underlying as? ZipError, zip.code != .notAZip {
                self = .finding
            } else {
                self = .unverified
            }
        case .notFound, .httpStatus, .proxyOff, .invalidResponse, .noVersions:
            // GOPROXY=off is cmd/go's cache-only mode: a miss there is an offline cache miss.
            self = .unverified
        default:
            self = .unverified
        }
    }

    /// A transport failure: a redirect that breaks the security rules or an oversize body is a
    /// policy violation; the rest (timeout, refused, truncated) is "could not verify".
    init(_ error: HTTPTransportError) {
        switch error.code {
        case .insecureRedirect, .redirectToOtherHost, .oversizeResponse: self = .finding
        default: self = .unverified
        }
    }

    /// A divergence check that could not run. `fromNetwork` says whether the data came from a
    /// proxy (else from local files the user named).
    init(_ error: DivergenceError, fromNetwork: Bool) {
        switch error.code {
        case .invalidZip, .versionMismatch:
            // The mirror's zip breaks the module zip rules, or its .info names another version.
            self = .finding
        case .tooLarge:
            self = fromNetwork ? .finding : .input
        case .invalidInfo:
            self = fromNetwork ? .unverified : .input
        case .notFound, .fetchFailed:
            self = .unverified
        case .invalidModule, .io, .upstream:
            self = .input
        default:
            self = .unverified
        }
    }

    /// One go.sum line checked against the checksum database.
    init(_ audit: GoSumLineAudit) {
        switch audit.status {
        case .verified, .skipped: self = .clean
        case .mismatch, .missing: self = .finding
        case .notVerified: self = .unverified
        case .error: self = audit.error.map { Verdict($0) } ?? .unverified
        }
    }

    /// One finding of `gomodkit audit`: notes are clean; a check that could not run or a line
    /// that could not be verified is "could not verify"; every other warning or error is a finding.
    init(_ finding: AuditFinding) {
        guard finding.severity >= .warning else { self = .clean; return }
        switch finding.rule {
        case .checkFailed, .checksumUnverified: self = .unverified
        default: self = .finding
        }
    }

    /// A divergence report: anything but consistent is a finding (benign retags included).
    init(_ report: Divergence.Report) {
        self = report.verdict == .consistent ? .clean : .finding
    }
}

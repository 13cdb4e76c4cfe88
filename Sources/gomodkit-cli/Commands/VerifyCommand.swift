import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit verify [DIR]`: `go mod verify` plus what go never checks.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the module cache (and vendor/) of the Go project in DIR, like go mod verify and more.",
        discussion: ExitStatus.discussion("""
            Like go mod verify: every module of the build list that is in the module cache must \
            still match its .ziphash (zip and extracted tree); prints "all modules verified". \
            Beyond go: go.sum lines must match the cached files, and (unless --offline or \
            GOSUMDB=off) what the checksum database records, with proofs. With --vendor, \
            vendor/modules.txt must be consistent with go.mod and every vendored file must equal \
            the file in the module zip whose hash go.sum records. "all modules verified" is printed \
            only when everything was verified (exit 0).
            """))

    @OptionGroup var directory: ProjectDirectoryArgument

    @Flag(help: "Also check vendor/ against go.mod, go.sum and the module zips.")
    var vendor = false

    @Flag(help: "Do not contact the checksum database.")
    var offline = false

    @OptionGroup var network: TimeoutOption<ShortTimeout>

    @OptionGroup var deadline: DeadlineOption

    func run() async throws {
        let until = deadline.fromNow
        let environment = try GoEnvironment.forCommand()
        let dir = try directory.resolve()
        let cache = try environment.cache()
        let project = dir
        let db = try environment.checksumDatabase(offline: offline, timeout: network.timeout)
        let useDB = offline ? nil : db
        let progress = ProgressLine()
        progress.show("gomodkit: verifying \(terminalSafe(dir))")
        let result: Result<ModuleVerifyReport, ModuleCacheError>
        do { result = .success(try await cache.verify(project: project, checksumDatabase: useDB, deadline: until)) } catch { result = .failure(error) }
        progress.clear()
        var errors: [ModuleCacheError]
        var notVerified: [ModuleCacheError] = []
        var outcome = Outcome()
        switch result {
        case .success(let report):
            errors = report.errors
            notVerified = report.notVerified
        case .failure(let error):
            // go fails the same way (exit 1); here a project go.mod that cannot be read is
            // input (2) and a dependency's go.mod missing from the cache is a cache miss (3).
            Terminal.error("go: \(terminalSafe(error.message))")
            errors = []
            outcome.record(Verdict(error))
        }
        if vendor {
            do { errors += try VendorCheck.check(project: dir, cache: cache).errors } catch {
                errors.append(error)
            }
        }
        // go mod verify prints its errors without the "go: " prefix (base.Errorf("%s", err)).
        for error in errors {
            Terminal.error(terminalSafe(error.message))
            outcome.record(Verdict(error))
        }
        for item in notVerified {
            Terminal.error(terminalSafe(item.message))
            outcome.record(.unverified)
        }
        try outcome.finish()
        print("all modules verified")
    }
}
